/*
 * termview.c — the host loop (pacing, keyboard, PTY/TCP polling) and the
 * terminal view's status line (see termview.h).
 *
 * Screen layout: a scroll region (DECSTBM) covers rows 1..R-1, where the
 * console UART's bytes land as board_io writes them to stdout; the status
 * line on row R is drawn between save-cursor / restore-cursor, so it never
 * disturbs the console text.  Console output and status line go through
 * the same FILE (stdout), so their order is kept.
 *
 * Pacing: an anchor (host ns, cycle) is kept; the tick sleeps until
 * host ≥ anchor_host + (cycle − anchor_cycle) / clock / speed.  When the
 * simulation falls behind by more than PACE_SLACK_NS the anchor moves, so a
 * slow stretch is never "caught up" later at full speed.
 *
 * WFI fast-forwards are paced too: cpu_sleep calls termview_pace_to()
 * (m->idle_fn) before each jump, so an event is never early in host time.
 */
#define _GNU_SOURCE             /* ppoll */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "board_io.h"
#include "hostio.h"
#include "machine.h"
#include "termview.h"

#define PACE_SLACK_NS 100000000ull      /* behind by more than 100 ms: stop trying to catch up */
#define RATE_WINDOW_NS 500000000ull     /* the speed shown is measured over >= 0.5 s host */
#define KEY_CTRL_B 0x02
#define KEY_CTRL_Q 0x11
#define MAX_FDS 4

/* Global state, only what signal handlers strictly need: the keyboard
 * settings to restore, whether the keyboard is raw and whether the scroll
 * region is set (so a handler or atexit restores exactly what was changed),
 * and the SIGWINCH flag. */
static struct termios g_saved_termios;
static volatile sig_atomic_t g_raw_active;
static volatile sig_atomic_t g_screen_active;
static volatile sig_atomic_t g_winch;

struct termview {
    struct machine *m;
    struct evq_timer tick;
    bool terminal, keyboard, quit, dirty, stopped;
    double speed;
    struct hostio *hostio;
    uint64_t tick_cycles;
    int rx_budget, budget;                  /* console bytes per tick; left in this tick */
    uint64_t anchor_host, anchor_cycle;     /* pacing */
    uint64_t last_redraw, rate_host, rate_cycle, start_host, start_cycle;
    double shown_speed;
    int rows, cols, user_button;
    bool led_drawn[BOARD_MAX_LEDS], button_drawn[BOARD_MAX_BUTTONS];
};

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cycles_ns(const struct termview *v, uint64_t cycles)
{
    return (uint64_t)(((unsigned __int128)cycles * 1000000000u) / v->m->clock_hz);
}

/* ---- the terminal: raw mode, scroll region, restoring on every exit path ----------- */

static void write_all(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w <= 0 && errno != EINTR)
            return;
        if (w > 0) {
            s += w;
            n -= (size_t)w;
        }
    }
}

/* Async-signal-safe: keyboard back to normal, scroll region off, cursor below the status line. */
static void restore_terminal(void)
{
    if (g_raw_active)
        tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
    if (g_screen_active)
        write_all("\0337\033[r\0338\033[999;1H\r\n");
    g_raw_active = 0;
    g_screen_active = 0;
}

static void on_fatal_signal(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void on_winch(int sig)
{
    (void)sig;
    g_winch = 1;
}

static void install_signals(bool on)
{
    static const int fatal[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on ? on_fatal_signal : SIG_DFL;
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
    sa.sa_handler = on ? on_winch : SIG_DFL;
    sigaction(SIGWINCH, &sa, NULL);
}

static void restore_at_exit(void)
{
    static bool registered;     /* atexit(restore_terminal) once per process */
    if (!registered && atexit(restore_terminal) == 0)
        registered = true;
}

static void keyboard_raw(void)
{
    if (tcgetattr(STDIN_FILENO, &g_saved_termios) != 0)
        return;
    struct termios t = g_saved_termios;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(IXON | IXOFF | ICRNL | INLCR | IGNCR | ISTRIP | BRKINT);
    t.c_cc[VMIN] = 0;           /* reads never block */
    t.c_cc[VTIME] = 0;
    g_raw_active = 1;
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

static void query_size(struct termview *v)
{
    struct winsize ws;
    v->rows = 24;
    v->cols = 80;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row >= 2 && ws.ws_col >= 10) {
        v->rows = ws.ws_row;
        v->cols = ws.ws_col;
    }
}

/* Leaves the cursor on a blank row above a blank status row, then limits scrolling to rows 1..R-1. */
static void setup_screen(struct termview *v)
{
    query_size(v);
    printf("\n\033[A\0337\033[1;%dr\0338", v->rows - 1);
    fflush(stdout);
    g_screen_active = 1;
}

static void handle_resize(struct termview *v)
{
    if (!g_winch)
        return;
    g_winch = 0;
    query_size(v);
    printf("\0337\033[1;%dr\0338", v->rows - 1);
    v->dirty = true;
}

/* ---- the status line ----------------------------------------------------------------------- */

static int led_dot(char *out, size_t len, uint32_t rgb, bool lit)
{
    unsigned r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
    if (!lit) {                 /* dim: a quarter of the colour on a dark grey */
        r = 0x30 + r / 5;
        g = 0x30 + g / 5;
        b = 0x30 + b / 5;
    }
    return snprintf(out, len, "\033[38;2;%u;%u;%um\xe2\x97\x8f\033[0m ", r, g, b);
}

static void format_speed(const struct termview *v, char *out, size_t len)
{
    const char *mode = v->speed > 0 ? "" : "max ";
    if (v->shown_speed <= 0)
        snprintf(out, len, "%s-", mode);
    else
        snprintf(out, len, "%s%.*fx", mode, v->shown_speed < 10 ? 2 : 1, v->shown_speed);
}

static void draw_status(struct termview *v)
{
    const struct board *b = v->m->board;
    char line[1024], spd[32];
    int o = snprintf(line, sizeof line, " "), visible = 1;
    for (int i = 0; i < b->nleds; i++, visible += 2) {
        v->led_drawn[i] = board_io_led_on(v->m, i);
        o += led_dot(line + o, sizeof line - (size_t)o, b->leds[i].color_rgb, v->led_drawn[i]);
    }
    for (int i = 0; i < b->nbuttons; i++) {
        v->button_drawn[i] = board_io_button_pressed(v->m, i);
        o += snprintf(line + o, sizeof line - (size_t)o, " %s%s\033[0m", v->button_drawn[i] ? "\033[7m" : "\033[2m",
                      b->buttons[i].name);
        visible += 1 + (int)strlen(b->buttons[i].name);
    }
    format_speed(v, spd, sizeof spd);
    int n = snprintf(line + o, sizeof line - (size_t)o, "   %.3f s   %s", (double)cycles_ns(v, v->m->cycles) / 1e9, spd);
    visible += n;
    o += n;
    static const char help[] = "   Ctrl-B button  Ctrl-Q quit";
    if (visible + (int)sizeof help - 1 <= v->cols)
        snprintf(line + o, sizeof line - (size_t)o, "\033[2m%s\033[0m", help);
    printf("\0337\033[%d;1H\033[2K%s\0338", v->rows, line);
    fflush(stdout);
}

static void update_rate(struct termview *v, uint64_t now)
{
    if (now - v->rate_host < RATE_WINDOW_NS)
        return;
    uint64_t dv = cycles_ns(v, v->m->cycles) - cycles_ns(v, v->rate_cycle);
    v->shown_speed = (double)dv / (double)(now - v->rate_host);
    v->rate_host = now;
    v->rate_cycle = v->m->cycles;
}

static bool leds_changed(const struct termview *v)
{
    const struct board *b = v->m->board;
    for (int i = 0; i < b->nleds; i++)
        if (board_io_led_on(v->m, i) != v->led_drawn[i])
            return true;
    for (int i = 0; i < b->nbuttons; i++)
        if (board_io_button_pressed(v->m, i) != v->button_drawn[i])
            return true;
    return false;
}

static void maybe_redraw(struct termview *v, bool force)
{
    if (!v->terminal)
        return;
    uint64_t now = host_ns();
    update_rate(v, now);
    v->dirty |= leds_changed(v);
    if (!force && now - v->last_redraw < TERMVIEW_REDRAW_NS)
        return;
    v->last_redraw = now;
    v->dirty = false;
    draw_status(v);
}

void termview_led(void *ctx, int led, bool on)
{
    struct termview *v = ctx;
    v->dirty = true;
    maybe_redraw(v, false);
}

void termview_button(void *ctx, int button, bool pressed)
{
    termview_led(ctx, button, pressed);
}

/* ---- input: keyboard and host console --------------------------------------------------- */

static void request_quit(struct termview *v)
{
    v->quit = true;
    if (v->m->stop_at > v->m->cycles)
        cpu_set_stop_at(v->m, v->m->cycles);  /* the run loop stops at the next block boundary */
}

static void key(struct termview *v, uint8_t c)
{
    struct machine *m = v->m;
    if (c == KEY_CTRL_Q) {
        request_quit(v);
    } else if (c == KEY_CTRL_B && v->user_button >= 0) {
        bool pressed = board_io_button_pressed(m, v->user_button);
        board_io_button(m, m->board->buttons[v->user_button].name, !pressed);
        v->dirty = true;
    } else {
        board_io_uart_rx(m, board_io_console(m), c);
    }
}

static void read_keyboard(struct termview *v)
{
    uint8_t buf[256];
    if (!v->keyboard || v->budget <= 0)
        return;
    ssize_t n = read(STDIN_FILENO, buf, (size_t)v->budget < sizeof buf ? (size_t)v->budget : sizeof buf);
    for (ssize_t i = 0; i < n && !v->quit; i++)
        key(v, buf[i]);
    if (n > 0)
        v->budget -= (int)n;
}

static void poll_inputs(struct termview *v)
{
    read_keyboard(v);
    if (v->hostio && v->budget > 0)
        v->budget -= hostio_poll(v->hostio, v->budget);
}

/* Sleeps up to `ns`, waking early when input is waiting (only while this tick may take more). */
static void wait_host(struct termview *v, uint64_t ns)
{
    struct pollfd fds[MAX_FDS];
    int n = 0;
    if (v->budget > 0) {
        if (v->keyboard)
            fds[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
        n += hostio_pollfds(v->hostio, fds + n, MAX_FDS - n);
    }
    struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    ppoll(fds, (nfds_t)n, &ts, NULL);
}

/* Host time at which virtual `cycle` is due, or 0 when not pacing. */
static uint64_t host_due(const struct termview *v, uint64_t cycle)
{
    if (v->speed <= 0 || cycle < v->anchor_cycle)
        return 0;
    double ns = (double)cycles_ns(v, cycle - v->anchor_cycle) / v->speed;
    return v->anchor_host + (uint64_t)ns;
}

static void pace(struct termview *v, uint64_t cycle, bool with_input)
{
    for (;;) {
        uint64_t now = host_ns(), due = host_due(v, cycle);
        if (now >= due) {
            if (due && now - due > PACE_SLACK_NS) {
                v->anchor_host = now;
                v->anchor_cycle = cycle;
            }
            return;
        }
        if (!with_input) {
            struct timespec ts = { (time_t)((due - now) / 1000000000u), (long)((due - now) % 1000000000u) };
            nanosleep(&ts, NULL);
            continue;
        }
        wait_host(v, due - now);
        poll_inputs(v);
        maybe_redraw(v, false);
        if (v->quit)
            return;
    }
}

void termview_pace_to(void *ctx, uint64_t cycle)
{
    pace(ctx, cycle, false);
}

/* ---- the tick ------------------------------------------------------------------------------ */

static bool input_possible(const struct termview *v)
{
    return v->keyboard || v->hostio;
}

static void on_tick(void *ctx, uint64_t now)
{
    struct termview *v = ctx;
    struct machine *m = v->m;
    v->budget = v->rx_budget;
    handle_resize(v);
    poll_inputs(v);
    if (!v->quit)
        pace(v, now, true);
    fflush(stdout);             /* partial console lines (prompts) */
    maybe_redraw(v, false);
    if (v->quit)
        request_quit(v);
    else if (input_possible(v) || !m->sleeping || evq_next(&m->evq) != EVQ_NEVER)
        evq_arm(&m->evq, &v->tick, now + v->tick_cycles);
    /* else: a sleeping CPU that nothing can wake: let the run end as without us */
}

static const struct board_io_observer termview_observer = { .led = termview_led, .button = termview_button };

/* LED changes redraw at once when board_io can tell; otherwise each tick compares. */
static void observe(struct termview *v)
{
    if (v->terminal)
        board_io_observe(v->m, &termview_observer, v);
}

static int find_user_button(const struct board *b)
{
    for (int i = 0; i < b->nbuttons; i++)
        if (strcmp(b->buttons[i].name, "user") == 0)
            return i;
    return b->nbuttons ? 0 : -1;
}

static void init_rates(struct termview *v)
{
    const struct machine *m = v->m;
    uint32_t baud = m->board->has_console ? m->board->console.baud : 115200;
    v->tick_cycles = machine_ns_to_cycles(m, TERMVIEW_TICK_NS);
    uint64_t char_cycles = (uint64_t)m->clock_hz * 10 / baud;
    v->rx_budget = (int)(v->tick_cycles / (char_cycles ? char_cycles : 1));
    if (v->rx_budget < 1)
        v->rx_budget = 1;
    v->anchor_host = v->rate_host = v->start_host = host_ns();
    v->anchor_cycle = v->rate_cycle = v->start_cycle = m->cycles;
}

struct termview *termview_start(struct machine *m, const struct termview_config *c,
                                char *err, size_t errlen)
{
    struct termview *v = calloc(1, sizeof *v);
    if (!v || evq_add_timer(&m->evq, &v->tick, "host loop", on_tick, v) != 0) {
        snprintf(err, errlen, v ? "too many timers for the host loop" : "out of memory");
        free(v);
        return NULL;
    }
    v->m = m;
    v->terminal = c->terminal;
    v->speed = c->speed;
    v->hostio = c->hostio;
    v->user_button = find_user_button(m->board);
    v->keyboard = c->terminal && isatty(STDIN_FILENO);
    init_rates(v);
    if (v->terminal) {
        restore_at_exit();
        install_signals(true);
        if (v->keyboard)
            keyboard_raw();
        setup_screen(v);
        maybe_redraw(v, true);
    }
    observe(v);
    m->idle_fn = termview_pace_to;
    m->idle_ctx = v;
    evq_arm(&m->evq, &v->tick, m->cycles + v->tick_cycles);
    return v;
}

void termview_stop(struct termview *v)
{
    if (!v || v->stopped)
        return;
    v->stopped = true;
    evq_cancel(&v->m->evq, &v->tick);
    v->m->idle_fn = NULL;
    board_io_unobserve(v->m, v);
    if (v->terminal) {
        uint64_t host = host_ns() - v->start_host;      /* the final line shows the average speed */
        if (host)
            v->shown_speed = (double)cycles_ns(v, v->m->cycles - v->start_cycle) / (double)host;
        fflush(stdout);
        draw_status(v);
        restore_terminal();
        install_signals(false);
    }
}

void termview_free(struct termview *v)
{
    termview_stop(v);
    free(v);
}

bool termview_quit_requested(const struct termview *v)
{
    return v && v->quit;
}
