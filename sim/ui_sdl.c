/*
 * ui_sdl.c — the SDL2 window: set-up, the host loop in an evq timer
 * (events, pacing, redraw), mouse and keyboard, screenshots, the state dump
 * for tests and injected events (see ui_sdl.h; drawing is in ui_draw.c).
 *
 * Pacing follows termview.c: an anchor (host ns, cycle); the tick waits
 * until host >= anchor_host + (cycle - anchor_cycle) / clock / speed, and
 * re-anchors when more than PACE_SLACK_NS behind, so a slow stretch is
 * never caught up later at full speed.  The tick waits in
 * SDL_WaitEventTimeout, so window events are handled while waiting;
 * WFI fast-forwards are paced by m->idle_fn (a plain sleep).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>

#include "board_io.h"
#include "cli.h"
#include "exc.h"
#include "hostio.h"
#include "machine.h"
#include "png_write.h"
#include "procview.h"
#include "ui_draw.h"
#include "ui_sdl.h"

#define PACE_SLACK_NS 100000000ull      /* behind by more than 100 ms: stop trying to catch up */
#define RATE_WINDOW_NS 500000000ull     /* rate and MIPS measured over >= 0.5 s host */
#define FRAME_NS 33000000ull            /* redraw at most ~30/s when something changed */
#define IDLE_FRAME_NS 100000000ull      /* ~10/s when only the clock moved */
#define RXQ_SIZE 1024
#define MAX_UI_EVENTS 64

struct ui_event_spec {
    uint64_t t_ns;
    SDL_Event ev;
};

struct ui_sdl {
    struct machine *m;
    struct ui_sdl_config cfg;
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Surface *surface;               /* offscreen target */
    struct ui_painter painter;
    struct ui_layout layout;
    struct procview pv;
    struct ui_console con;
    struct evq_timer tick, step, shot, inject;
    bool quit, paused, show_help, show_log, dirty, shot_done, finished, sdl_video;
    int speed_idx;                      /* into speeds[], -1: the --speed value */
    double speed;
    uint64_t tick_cycles;
    int rx_budget, budget;
    uint8_t rxq[RXQ_SIZE];
    int rxq_head, rxq_len;
    unsigned rx_taken, rx_lost;         /* typed bytes the console UART took / lost */
    uint64_t anchor_host, anchor_cycle;
    uint64_t rate_host, rate_cycle, rate_insns, last_frame;
    double shown_rate, shown_mips;
    int held_part;                      /* button part held with the mouse, -1 */
    bool key_held;                      /* F2 holds the user button */
    int user_button;
    int shot_seq;
    int nevents, next_event;
    struct ui_event_spec events[MAX_UI_EVENTS];
};

static const double speeds[] = { 1.0, 10.0, 0.0 };

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cycles_ns(const struct ui_sdl *ui, uint64_t cycles)
{
    return (uint64_t)(((unsigned __int128)cycles * 1000000000u) / ui->m->clock_hz);
}

bool ui_sdl_display_available(void)
{
    static const char *const vars[] = { "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return true;
    }
    return false;
}

bool ui_sdl_quit_requested(const struct ui_sdl *ui)
{
    return ui && ui->quit;
}

/* ---- drawing and screenshots ------------------------------------------------------------ */

static void output_size(struct ui_sdl *ui, int *w, int *h, double *dpi)
{
    int ww = ui->cfg.width, wh = ui->cfg.height;
    SDL_GetRendererOutputSize(ui->ren, w, h);
    if (ui->win)
        SDL_GetWindowSize(ui->win, &ww, &wh);
    *dpi = ww > 0 ? (double)*w / ww : 1.0;
}

static void render(struct ui_sdl *ui)
{
    int w, h;
    double dpi;
    procview_sample(&ui->pv);
    output_size(ui, &w, &h, &dpi);
    ui_layout_compute(&ui->layout, w, h, dpi, ui->m->board, ui->pv.nprocs, ui->show_log);
    struct ui_model mdl = {
        .m = ui->m, .pv = &ui->pv, .con = &ui->con,
        .st = { .paused = ui->paused, .show_help = ui->show_help, .show_log = ui->show_log,
                .speed = ui->speed, .rate = ui->shown_rate, .mips = ui->shown_mips,
                .stopped = ui->finished && ui->m->stop != STOP_TIME_LIMIT ? ui->m->stop_msg : NULL },
    };
    ui_draw(&ui->painter, &ui->layout, &mdl);
}

static void present(struct ui_sdl *ui)
{
    render(ui);
    if (ui->win)
        SDL_RenderPresent(ui->ren);
    ui->last_frame = host_ns();
    ui->dirty = false;
}

static int write_png(struct ui_sdl *ui, const char *path, char *err, size_t errlen)
{
    int w = ui->layout.w, h = ui->layout.h;
    uint8_t *px = malloc((size_t)w * (size_t)h * 3);
    if (!px || SDL_RenderReadPixels(ui->ren, NULL, SDL_PIXELFORMAT_RGB24, px, w * 3) != 0) {
        snprintf(err, errlen, "%s: cannot read the window's pixels: %s", path, px ? SDL_GetError() : "out of memory");
        free(px);
        return -1;
    }
    int r = png_write_rgb(path, px, w, h, (size_t)w * 3, err, errlen);
    free(px);
    return r;
}

/* Renders a frame and writes it to `path` (the frame is shown in the window too). */
static int screenshot(struct ui_sdl *ui, const char *path, char *err, size_t errlen)
{
    render(ui);
    int r = write_png(ui, path, err, errlen);
    if (ui->win)
        SDL_RenderPresent(ui->ren);
    return r;
}

static void numbered_path(const struct ui_sdl *ui, char *out, size_t len)
{
    const char *p = ui->cfg.screenshot;
    size_t n = strlen(p);
    if (n > 4 && strcmp(p + n - 4, ".png") == 0)
        n -= 4;
    snprintf(out, len, "%.*s-%04d.png", (int)n, p, ui->shot_seq);
}

static void update_rate(struct ui_sdl *ui, uint64_t now, bool force);

/* ---- the state dump (tests) --------------------------------------------------------------- */

static void dump_board(struct ui_sdl *ui, FILE *f)
{
    const struct board *b = ui->m->board;
    for (int i = 0; i < b->nleds; i++)
        fprintf(f, "led %s %s\n", b->leds[i].name, board_io_led_on(ui->m, i) ? "on" : "off");
    for (int i = 0; i < b->nbuttons; i++)
        fprintf(f, "button %s %s\n", b->buttons[i].name, board_io_button_pressed(ui->m, i) ? "pressed" : "released");
    for (int i = 0; i < b->nheader_pins; i++) {
        int lv = board_io_pin_level(ui->m, b->header_pins[i].pin.port, b->header_pins[i].pin.index);
        fprintf(f, "pin %s %s\n", b->header_pins[i].label, lv < 0 ? "float" : lv ? "high" : "low");
    }
}

/* Part rectangles in window coordinates (what --ui-event takes) and output pixels. */
static void dump_parts(struct ui_sdl *ui, FILE *f)
{
    static const char *const kinds[] = { "chip", "led", "button", "pin", "label" };
    const struct board *b = ui->m->board;
    int w, h;
    double dpi;
    output_size(ui, &w, &h, &dpi);
    for (int i = 0; i < b->view.nparts; i++) {
        SDL_Rect r = ui_part_rect(&ui->layout, b, i);
        const struct board_view_part *p = &b->view.parts[i];
        fprintf(f, "part %d %s %s window %d %d %d %d pixels %d %d %d %d\n", i, kinds[p->kind],
                p->ref[0] ? p->ref : p->label, (int)(r.x / dpi), (int)(r.y / dpi), (int)(r.w / dpi),
                (int)(r.h / dpi), r.x, r.y, r.w, r.h);
    }
}

static void dump_procs(struct ui_sdl *ui, FILE *f)
{
    fprintf(f, "awareness %s\n", !ui->pv.present ? "absent" : ui->pv.valid ? "valid" : "invalid");
    for (int i = 0; i < ui->pv.nprocs; i++) {
        const struct procview_proc *p = &ui->pv.procs[i];
        fprintf(f, "proc %d %s state=%s syscalls=%u restarts=%u timeslices=%u fault=%s\n", i, p->name,
                procview_state_name(p->state), p->syscalls, p->restarts, p->timeslices,
                procview_fault_name(p->fault_kind));
    }
    for (int i = 0; i < ui->pv.nlog; i++) {
        const struct procview_log_entry *e = procview_log_get(&ui->pv, i);
        char sc[48];
        procview_syscall_text(e->syscall, sc, sizeof sc);
        fprintf(f, "syscall_log %d t_ns=%llu %s %s calls=%u\n", i, (unsigned long long)e->t_ns, e->name, sc, e->calls);
    }
}

static int dump_state(struct ui_sdl *ui, char *err, size_t errlen)
{
    FILE *f = fopen(ui->cfg.dump_state, "w");
    if (!f) {
        snprintf(err, errlen, "--dump-ui-state %s: cannot create the file", ui->cfg.dump_state);
        return -1;
    }
    fprintf(f, "time_ns %llu\nsize %d %d\n", (unsigned long long)machine_time_ns(ui->m), ui->layout.w, ui->layout.h);
    fprintf(f, "paused %d\nspeed %g\n", ui->paused, ui->speed);
    fprintf(f, "console_rx taken=%u lost=%u queued=%d\n", ui->rx_taken, ui->rx_lost, ui->rxq_len);
    dump_board(ui, f);
    dump_parts(ui, f);
    dump_procs(ui, f);
    for (int i = 4; i >= 0; i--)
        if (ui_console_line(&ui->con, i))
            fprintf(f, "console %s\n", ui_console_line(&ui->con, i));
    return fclose(f) == 0 ? 0 : -1;
}

/* The screenshot and the dump that are due now; failures are reported on stderr. */
static void capture(struct ui_sdl *ui)
{
    char err[512];
    update_rate(ui, host_ns(), ui->shown_rate == 0);
    if (ui->cfg.screenshot && screenshot(ui, ui->cfg.screenshot, err, sizeof err) != 0)
        fprintf(stderr, "hailsim: --screenshot: %s\n", err);
    if (ui->cfg.dump_state && dump_state(ui, err, sizeof err) != 0)
        fprintf(stderr, "hailsim: %s\n", err);
    ui->shot_done = true;
}

/* ---- actions ------------------------------------------------------------------------------ */

static void request_quit(struct ui_sdl *ui)
{
    ui->quit = true;
    if (ui->m->stop_at > ui->m->cycles)
        cpu_set_stop_at(ui->m, ui->m->cycles);     /* the run loop stops at the next block boundary */
}

static void reanchor(struct ui_sdl *ui)
{
    ui->anchor_host = host_ns();
    ui->anchor_cycle = ui->m->cycles;
}

/* SYSRESETREQ-equivalent: the run loop resets the machine at the next block
 * boundary, or at once when the core sleeps (cpu_sleep checks for it). */
static void board_reset(struct ui_sdl *ui)
{
    board_io_request_reset(ui->m);          /* observers (--record) see it */
    ui_console_put(&ui->con, '\n');
    for (const char *s = "--- board reset ---\n"; *s; s++)
        ui_console_put(&ui->con, (uint8_t)*s);
    ui->paused = false;
    ui->dirty = true;
}

static void set_button(struct ui_sdl *ui, int button, bool pressed)
{
    if (button >= 0 && board_io_button_pressed(ui->m, button) != pressed)
        board_io_button(ui->m, ui->m->board->buttons[button].name, pressed);
    ui->dirty = true;
}

static void cycle_speed(struct ui_sdl *ui)
{
    ui->speed_idx = (ui->speed_idx + 1) % (int)(sizeof speeds / sizeof speeds[0]);
    ui->speed = speeds[ui->speed_idx];
    reanchor(ui);
    ui->dirty = true;
}

static void single_step(struct ui_sdl *ui)
{
    if (!ui->paused) {
        ui->paused = true;
    } else {
        ui->paused = false;
        evq_arm(&ui->m->evq, &ui->step, ui->m->cycles + machine_ns_to_cycles(ui->m, UI_SDL_STEP_NS));
    }
    ui->dirty = true;
}

static void queue_rx(struct ui_sdl *ui, uint8_t byte)
{
    if (ui->rxq_len < RXQ_SIZE)
        ui->rxq[(ui->rxq_head + ui->rxq_len++) % RXQ_SIZE] = byte;
}

/* At most this tick's share of bytes at the console's baud rate. */
static void feed_rx(struct ui_sdl *ui)
{
    const char *uart = board_io_console(ui->m);
    while (uart && ui->rxq_len > 0 && ui->budget > 0) {
        if (board_io_uart_rx(ui->m, uart, ui->rxq[ui->rxq_head]) == 1)
            ui->rx_taken++;
        else
            ui->rx_lost++;
        ui->rxq_head = (ui->rxq_head + 1) % RXQ_SIZE;
        ui->rxq_len--;
        ui->budget--;
    }
}

/* ---- events ------------------------------------------------------------------------------- */

/* Ctrl+key shortcuts and F-keys; returns true when the key was one. */
static bool shortcut(struct ui_sdl *ui, SDL_Keycode k, bool ctrl)
{
    if (k == SDLK_F1 || (ctrl && k == SDLK_h)) ui->show_help = !ui->show_help;
    else if (ctrl && k == SDLK_b) set_button(ui, ui->user_button, !board_io_button_pressed(ui->m, ui->user_button));
    else if (k == SDLK_F5 || (ctrl && k == SDLK_r)) board_reset(ui);
    else if (k == SDLK_F6 || (ctrl && k == SDLK_p)) ui->paused = !ui->paused;
    else if (k == SDLK_F7 || (ctrl && k == SDLK_n)) single_step(ui);
    else if (k == SDLK_F8 || (ctrl && k == SDLK_s)) cycle_speed(ui);
    else if (k == SDLK_F9 || (ctrl && k == SDLK_l)) ui->show_log = !ui->show_log;
    else if (ctrl && k == SDLK_q) request_quit(ui);
    else return false;
    ui->dirty = true;
    return true;
}

static void key_down(struct ui_sdl *ui, const SDL_Keysym *ks)
{
    bool ctrl = (ks->mod & KMOD_CTRL) != 0;
    if (ks->sym == SDLK_F2) {
        ui->key_held = true;
        set_button(ui, ui->user_button, true);
    } else if (shortcut(ui, ks->sym, ctrl)) {
        return;
    } else if (ks->sym == SDLK_RETURN || ks->sym == SDLK_KP_ENTER) {
        queue_rx(ui, '\r');
    } else if (ks->sym == SDLK_BACKSPACE || ks->sym == SDLK_TAB || ks->sym == SDLK_ESCAPE) {
        queue_rx(ui, ks->sym == SDLK_BACKSPACE ? '\b' : (uint8_t)ks->sym);
    } else if (ctrl && ks->sym >= SDLK_a && ks->sym <= SDLK_z) {
        queue_rx(ui, (uint8_t)(ks->sym - SDLK_a + 1));     /* other Ctrl-letters: control codes */
    }
}

static void key_up(struct ui_sdl *ui, const SDL_Keysym *ks)
{
    if (ks->sym == SDLK_F2 && ui->key_held) {
        ui->key_held = false;
        set_button(ui, ui->user_button, false);
    }
}

/* A board button part's board button, or -1 (e.g. RESET, which is no chip input). */
static int part_button(const struct ui_sdl *ui, int part)
{
    const struct board *b = ui->m->board;
    for (int i = 0; part >= 0 && i < b->nbuttons; i++)
        if (strcmp(b->buttons[i].name, b->view.parts[part].ref) == 0)
            return i;
    return -1;
}

static void mouse(struct ui_sdl *ui, int x, int y, bool down)
{
    int w, h;
    double dpi;
    output_size(ui, &w, &h, &dpi);
    if (!down) {
        set_button(ui, part_button(ui, ui->held_part), false);
        ui->held_part = -1;
        return;
    }
    int part = ui_hit_button(&ui->layout, ui->m->board, (int)(x * dpi), (int)(y * dpi));
    if (part < 0)
        return;
    if (part_button(ui, part) >= 0) {
        ui->held_part = part;
        set_button(ui, part_button(ui, part), true);
    } else if (strcmp(ui->m->board->view.parts[part].ref, "reset") == 0) {
        board_reset(ui);
    }
}

static void handle_event(struct ui_sdl *ui, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_QUIT: request_quit(ui); break;
    case SDL_KEYDOWN: key_down(ui, &e->key.keysym); break;
    case SDL_KEYUP: key_up(ui, &e->key.keysym); break;
    case SDL_TEXTINPUT:
        for (const char *s = e->text.text; *s; s++)
            queue_rx(ui, (uint8_t)*s);
        break;
    case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT)
            mouse(ui, e->button.x, e->button.y, e->type == SDL_MOUSEBUTTONDOWN);
        break;
    case SDL_WINDOWEVENT: ui->dirty = true; break;
    default: break;
    }
}

static void poll_events(struct ui_sdl *ui)
{
    SDL_Event e;
    while (ui->win && SDL_PollEvent(&e))
        handle_event(ui, &e);
}

/* Blocks up to `ns` for a window event (offscreen: sleeps), then handles all that came. */
static void wait_events(struct ui_sdl *ui, uint64_t ns)
{
    SDL_Event e;
    if (ui->win && ns >= 1000000u) {
        if (SDL_WaitEventTimeout(&e, (int)(ns / 1000000u)))
            handle_event(ui, &e);
    } else {
        struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
        nanosleep(&ts, NULL);
    }
    poll_events(ui);
}

/* ---- the host loop ------------------------------------------------------------------------ */

static void update_rate(struct ui_sdl *ui, uint64_t now, bool force)
{
    if (now == ui->rate_host || (!force && now - ui->rate_host < RATE_WINDOW_NS))
        return;
    double host = (double)(now - ui->rate_host);
    ui->shown_rate = (double)(cycles_ns(ui, ui->m->cycles) - cycles_ns(ui, ui->rate_cycle)) / host;
    ui->shown_mips = (double)(machine_insns(ui->m) - ui->rate_insns) * 1e3 / host;
    ui->rate_host = now;
    ui->rate_cycle = ui->m->cycles;
    ui->rate_insns = machine_insns(ui->m);
    ui->dirty = true;
}

static void maybe_redraw(struct ui_sdl *ui)
{
    uint64_t now = host_ns();
    update_rate(ui, now, false);
    if (ui->win && now - ui->last_frame >= (ui->dirty ? FRAME_NS : IDLE_FRAME_NS))
        present(ui);
}

static uint64_t host_due(const struct ui_sdl *ui, uint64_t cycle)
{
    if (ui->speed <= 0 || cycle < ui->anchor_cycle)
        return 0;
    return ui->anchor_host + (uint64_t)((double)cycles_ns(ui, cycle - ui->anchor_cycle) / ui->speed);
}

static void pace(struct ui_sdl *ui, uint64_t cycle, bool with_input)
{
    while (!ui->quit && !ui->paused) {
        uint64_t now = host_ns(), due = host_due(ui, cycle);
        if (now >= due) {
            if (due && now - due > PACE_SLACK_NS)
                reanchor(ui);
            return;
        }
        if (with_input) {
            wait_events(ui, due - now);
            maybe_redraw(ui);
        } else {
            struct timespec ts = { (time_t)((due - now) / 1000000000u), (long)((due - now) % 1000000000u) };
            nanosleep(&ts, NULL);
        }
    }
}

static void idle_pace(void *ctx, uint64_t cycle)
{
    pace(ctx, cycle, false);
}

static void pause_loop(struct ui_sdl *ui)
{
    if (!ui->win)
        ui->paused = false;             /* offscreen: nothing could resume */
    while (ui->paused && !ui->quit) {
        wait_events(ui, 50000000u);
        maybe_redraw(ui);
    }
    reanchor(ui);
}

static void on_tick(void *ctx, uint64_t now)
{
    struct ui_sdl *ui = ctx;
    struct machine *m = ui->m;
    ui->budget = ui->rx_budget;
    poll_events(ui);
    if (procview_sample(&ui->pv))
        ui->dirty = true;
    pace(ui, now, true);
    pause_loop(ui);
    feed_rx(ui);
    if (ui->cfg.hostio && ui->budget > 0)
        ui->budget -= hostio_poll(ui->cfg.hostio, ui->budget);
    maybe_redraw(ui);
    if (ui->quit)
        request_quit(ui);
    else if (ui->win || !m->sleeping || evq_next(&m->evq) != EVQ_NEVER)
        evq_arm(&m->evq, &ui->tick, now + ui->tick_cycles);
}

static void on_step(void *ctx, uint64_t now)
{
    struct ui_sdl *ui = ctx;
    ui->paused = true;
    ui->dirty = true;
    pause_loop(ui);
}

static void on_shot(void *ctx, uint64_t now)
{
    struct ui_sdl *ui = ctx;
    if (ui->cfg.has_at && now >= machine_ns_to_cycles(ui->m, ui->cfg.at_ns)) {
        capture(ui);
        if (ui->m->stop_at > ui->m->cycles)
            cpu_set_stop_at(ui->m, ui->m->cycles);
        return;
    }
    char path[600], err[512];
    ui->shot_seq++;
    numbered_path(ui, path, sizeof path);
    if (screenshot(ui, path, err, sizeof err) != 0)
        fprintf(stderr, "hailsim: --screenshot-every: %s\n", err);
    uint64_t next = machine_ns_to_cycles(ui->m, (uint64_t)(ui->shot_seq + 1) * ui->cfg.every_ns);
    if (ui->cfg.has_at && next > machine_ns_to_cycles(ui->m, ui->cfg.at_ns))
        next = machine_ns_to_cycles(ui->m, ui->cfg.at_ns);
    evq_arm(&ui->m->evq, &ui->shot, next);
}

static void on_inject(void *ctx, uint64_t now)
{
    struct ui_sdl *ui = ctx;
    while (ui->next_event < ui->nevents &&
           machine_ns_to_cycles(ui->m, ui->events[ui->next_event].t_ns) <= now) {
        render(ui);                     /* hit-test against the layout as it is now */
        handle_event(ui, &ui->events[ui->next_event++].ev);
    }
    if (ui->next_event < ui->nevents)
        evq_arm(&ui->m->evq, &ui->inject, machine_ns_to_cycles(ui->m, ui->events[ui->next_event].t_ns));
}

/* ---- injected events: --ui-event down:X,Y@T | up:X,Y@T | key:NAME@T | text:STRING@T ---------- */

static int parse_pointer(const char *spec, SDL_Event *e)
{
    bool down = strncmp(spec, "down:", 5) == 0;
    int x, y;
    char end;
    if ((!down && strncmp(spec, "up:", 3) != 0) || sscanf(strchr(spec, ':') + 1, "%d,%d%c", &x, &y, &end) != 3 || end != '@')
        return -1;
    e->type = down ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
    e->button.button = SDL_BUTTON_LEFT;
    e->button.x = x;
    e->button.y = y;
    return 0;
}

static int parse_key(const char *spec, SDL_Event *e)
{
    char name[32];
    const char *at = strrchr(spec, '@');
    size_t n = (size_t)(at - spec - 4);
    if (strncmp(spec, "key:", 4) != 0 || n == 0 || n >= sizeof name)
        return -1;
    memcpy(name, spec + 4, n);
    name[n] = '\0';
    bool ctrl = strncmp(name, "Ctrl-", 5) == 0;
    SDL_Keycode k = SDL_GetKeyFromName(ctrl ? name + 5 : name);
    if (k == SDLK_UNKNOWN)
        return -1;
    e->type = SDL_KEYDOWN;
    e->key.keysym.sym = k;
    e->key.keysym.mod = ctrl ? KMOD_LCTRL : KMOD_NONE;
    return 0;
}

static int parse_text(const char *spec, SDL_Event *e)
{
    const char *at = strrchr(spec, '@');
    size_t n = (size_t)(at - spec - 5);
    if (strncmp(spec, "text:", 5) != 0 || n >= sizeof e->text.text)
        return -1;
    e->type = SDL_TEXTINPUT;
    memcpy(e->text.text, spec + 5, n);
    e->text.text[n] = '\0';
    return 0;
}

static int parse_event(const char *spec, struct ui_event_spec *out, char *err, size_t errlen)
{
    const char *at = strrchr(spec, '@');
    memset(out, 0, sizeof *out);
    if (!at || cli_parse_time(at + 1, &out->t_ns) != 0 ||
        (parse_pointer(spec, &out->ev) != 0 && parse_key(spec, &out->ev) != 0 && parse_text(spec, &out->ev) != 0)) {
        snprintf(err, errlen, "--ui-event: '%s' is not an event; expected down:X,Y@TIME, up:X,Y@TIME, "
                 "key:NAME@TIME (an SDL key name, e.g. F5 or Ctrl-B) or text:STRING@TIME", spec);
        return -1;
    }
    return 0;
}

static int compare_events(const void *a, const void *b)
{
    const struct ui_event_spec *x = a, *y = b;
    return x->t_ns < y->t_ns ? -1 : x->t_ns > y->t_ns;
}

static int parse_events(struct ui_sdl *ui, char *err, size_t errlen)
{
    if (ui->cfg.nevents > MAX_UI_EVENTS) {
        snprintf(err, errlen, "--ui-event: at most %d events", MAX_UI_EVENTS);
        return -1;
    }
    for (int i = 0; i < ui->cfg.nevents; i++)
        if (parse_event(ui->cfg.events[i], &ui->events[i], err, errlen) != 0)
            return -1;
    ui->nevents = ui->cfg.nevents;
    qsort(ui->events, (size_t)ui->nevents, sizeof ui->events[0], compare_events);  /* stable enough: ties keep no order */
    return 0;
}

static void detach(struct ui_sdl *ui);

/* ---- set-up and tear-down ------------------------------------------------------------------- */

static int open_window(struct ui_sdl *ui, char *err, size_t errlen)
{
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot open a window: no usable SDL video driver (%s); "
                 "run with --headless for the terminal view", SDL_GetError());
        return -1;
    }
    ui->sdl_video = true;
    char title[128];
    snprintf(title, sizeof title, "hailsim - %s", ui->m->board->name);
    ui->win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, ui->cfg.width,
                               ui->cfg.height, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (ui->win)
        ui->ren = SDL_CreateRenderer(ui->win, -1, 0);
    if (!ui->ren) {
        snprintf(err, errlen, "cannot open a window: %s; run with --headless for the terminal view", SDL_GetError());
        return -1;
    }
    SDL_SetWindowMinimumSize(ui->win, 480, 360);
    SDL_StartTextInput();
    return 0;
}

static int open_offscreen(struct ui_sdl *ui, char *err, size_t errlen)
{
    ui->surface = SDL_CreateRGBSurfaceWithFormat(0, ui->cfg.width, ui->cfg.height, 32, SDL_PIXELFORMAT_RGB888);
    if (ui->surface)
        ui->ren = SDL_CreateSoftwareRenderer(ui->surface);
    if (!ui->ren) {
        snprintf(err, errlen, "cannot create the offscreen renderer: %s", SDL_GetError());
        return -1;
    }
    return 0;
}

static void on_led(void *ctx, int led, bool on) { ((struct ui_sdl *)ctx)->dirty = true; }
static void on_button(void *ctx, int b, bool pressed) { ((struct ui_sdl *)ctx)->dirty = true; }
static void on_pin(void *ctx, int port, int pin, int level, bool driven) { ((struct ui_sdl *)ctx)->dirty = true; }

static void on_uart(void *ctx, const char *uart, uint8_t byte)
{
    struct ui_sdl *ui = ctx;
    const char *console = board_io_console(ui->m);
    if (console && strcmp(uart, console) == 0) {
        ui_console_put(&ui->con, byte);
        ui->dirty = true;
    }
}

static const struct board_io_observer ui_observer = {
    .pin = on_pin, .led = on_led, .button = on_button, .uart_tx = on_uart
};

static int add_timers(struct ui_sdl *ui, char *err, size_t errlen)
{
    struct evq *q = &ui->m->evq;
    if (evq_add_timer(q, &ui->tick, "window", on_tick, ui) != 0 || evq_add_timer(q, &ui->step, "window step", on_step, ui) != 0 ||
        evq_add_timer(q, &ui->shot, "screenshot", on_shot, ui) != 0 ||
        evq_add_timer(q, &ui->inject, "window events", on_inject, ui) != 0 ||
        board_io_observe(ui->m, &ui_observer, ui) != 0) {
        snprintf(err, errlen, "too many timers or observers for the window");
        return -1;
    }
    return 0;
}

static void init_rates(struct ui_sdl *ui)
{
    const struct machine *m = ui->m;
    uint32_t baud = m->board->has_console ? m->board->console.baud : 115200;
    ui->tick_cycles = machine_ns_to_cycles(m, UI_SDL_TICK_NS);
    uint64_t char_cycles = (uint64_t)m->clock_hz * 10 / baud;
    ui->rx_budget = (int)(ui->tick_cycles / (char_cycles ? char_cycles : 1));
    if (ui->rx_budget < 1)
        ui->rx_budget = 1;
    ui->speed_idx = -1;
    ui->speed = ui->cfg.has_speed ? ui->cfg.speed : ui->cfg.offscreen ? 0.0 : 1.0;
    for (int i = 0; i < (int)(sizeof speeds / sizeof speeds[0]); i++)
        if (speeds[i] == ui->speed)
            ui->speed_idx = i;
    ui->rate_host = ui->anchor_host = host_ns();
    ui->rate_cycle = ui->anchor_cycle = m->cycles;
    ui->rate_insns = machine_insns(m);
}

static int find_user_button(const struct board *b)
{
    for (int i = 0; i < b->nbuttons; i++)
        if (strcmp(b->buttons[i].name, "user") == 0)
            return i;
    return b->nbuttons ? 0 : -1;
}

static void arm_timers(struct ui_sdl *ui)
{
    struct machine *m = ui->m;
    evq_arm(&m->evq, &ui->tick, m->cycles + ui->tick_cycles);
    uint64_t first_shot = ui->cfg.every_ns ? ui->cfg.every_ns : ui->cfg.at_ns;
    if (ui->cfg.has_at && ui->cfg.at_ns < first_shot)
        first_shot = ui->cfg.at_ns;
    if (ui->cfg.has_at || (ui->cfg.every_ns && ui->cfg.screenshot))
        evq_arm(&m->evq, &ui->shot, machine_ns_to_cycles(m, first_shot));
    if (ui->nevents)
        evq_arm(&m->evq, &ui->inject, machine_ns_to_cycles(m, ui->events[0].t_ns));
    if (ui->speed > 0) {
        m->idle_fn = idle_pace;
        m->idle_ctx = ui;
    }
}

static int start(struct ui_sdl *ui, char *err, size_t errlen)
{
    if (parse_events(ui, err, errlen) != 0 || procview_init(&ui->pv, ui->m, ui->cfg.kernel_elf, err, errlen) != 0)
        return -1;
    if ((ui->cfg.offscreen ? open_offscreen(ui, err, errlen) : open_window(ui, err, errlen)) != 0)
        return -1;
    if (ui_painter_init(&ui->painter, ui->ren, err, errlen) != 0 || add_timers(ui, err, errlen) != 0)
        return -1;
    init_rates(ui);
    arm_timers(ui);
    present(ui);
    return 0;
}

struct ui_sdl *ui_sdl_start(struct machine *m, const struct ui_sdl_config *c, char *err, size_t errlen)
{
    struct ui_sdl *ui = calloc(1, sizeof *ui);
    if (!ui) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ui->m = m;
    ui->cfg = *c;
    ui->cfg.width = c->width > 0 ? c->width : UI_SDL_DEFAULT_W;
    ui->cfg.height = c->height > 0 ? c->height : UI_SDL_DEFAULT_H;
    ui->held_part = -1;
    ui->user_button = find_user_button(m->board);
    if (start(ui, err, errlen) != 0) {
        detach(ui);
        ui_sdl_free(ui);
        return NULL;
    }
    return ui;
}

static void detach(struct ui_sdl *ui)
{
    struct evq *q = &ui->m->evq;
    evq_remove_timer(q, &ui->tick);
    evq_remove_timer(q, &ui->step);
    evq_remove_timer(q, &ui->shot);
    evq_remove_timer(q, &ui->inject);
    if (ui->m->idle_ctx == ui)
        ui->m->idle_fn = NULL;
    board_io_unobserve(ui->m, ui);
}

/* The guest stopped by itself: show why until the window is closed. */
static void linger(struct ui_sdl *ui)
{
    SDL_Event e;
    fprintf(stderr, "hailsim: the run has ended (%s); close the window or press Ctrl-Q to exit\n", ui->m->stop_msg);
    present(ui);
    while (!ui->quit && SDL_WaitEvent(&e)) {
        bool was_q = e.type == SDL_KEYDOWN && (e.key.keysym.mod & KMOD_CTRL) && e.key.keysym.sym == SDLK_q;
        if (e.type == SDL_QUIT || was_q || (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE))
            ui->quit = true;
        else if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_F1)
            ui->show_help = !ui->show_help;
        present(ui);
    }
}

void ui_sdl_finish(struct ui_sdl *ui)
{
    if (!ui || ui->finished)
        return;
    ui->finished = true;
    detach(ui);
    procview_sample(&ui->pv);
    if (!ui->shot_done && (ui->cfg.screenshot || ui->cfg.dump_state))
        capture(ui);
    enum stop_reason s = ui->m->stop;
    if (ui->win && !ui->quit && !ui->cfg.screenshot && s != STOP_TIME_LIMIT && s != STOP_NONE)
        linger(ui);
}

void ui_sdl_free(struct ui_sdl *ui)
{
    if (!ui)
        return;
    ui_painter_free(&ui->painter);
    if (ui->ren)
        SDL_DestroyRenderer(ui->ren);
    if (ui->win)
        SDL_DestroyWindow(ui->win);
    if (ui->surface)
        SDL_FreeSurface(ui->surface);
    if (ui->sdl_video)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    SDL_Quit();
    free(ui);
}
