/*
 * vcd.c — the Value Change Dump writer (see vcd.h).
 *
 * Every variable is a 1-bit wire with a one-character identifier.  Changes
 * are queued with their cycle and an arrival number, kept sorted, and
 * written once no later report can precede them: a UART byte reported now
 * starts at most one character time (10 bits) ago, so everything older than
 * that horizon is final.  Writing drops changes that repeat the value
 * already written.  Times are converted from cycles exactly like the trace
 * (cycles × 10⁹ / clock_hz, rounded down).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "machine.h"
#include "vcd.h"

#define VCD_MAX_VARS (BOARD_MAX_LEDS + BOARD_MAX_BUTTONS + BOARD_MAX_HEADER_PINS + 1)

struct vcd_var {
    char id;                    /* a-z, A-Z: never '#' or '$', which some readers misparse */
    char value;                 /* last written: '0' '1' 'z' 'x' */
};

struct vcd_change {
    uint64_t cycle, seq;
    int var;
    char value;
};

struct vcd {
    struct machine *m;
    FILE *f;
    int nvars, led0, button0, header0, tx;      /* first variable of each group; tx -1: none */
    struct vcd_var var[VCD_MAX_VARS];
    struct vcd_change *pend;
    size_t npend, cap;
    uint64_t seq, last_ns;
    bool wrote_time;
    const char *console;
    uint32_t baud;
    uint64_t tx_free;           /* cycle at which the reconstructed TX line is idle again */
};

static uint64_t cycles_to_ns(const struct vcd *v, uint64_t cycles)
{
    return (uint64_t)(((unsigned __int128)cycles * 1000000000u) / v->m->clock_hz);
}

/* Cycle at which bit k (0 = start bit) of a character starting at `start` begins. */
static uint64_t bit_edge(const struct vcd *v, uint64_t start, int k)
{
    return start + ((uint64_t)k * v->m->clock_hz + v->baud / 2) / v->baud;
}

static uint64_t char_cycles(const struct vcd *v)
{
    return v->tx >= 0 ? bit_edge(v, 0, 10) : 0;
}

/* ---- writing ---------------------------------------------------------------------- */

static void write_change(struct vcd *v, const struct vcd_change *c)
{
    struct vcd_var *var = &v->var[c->var];
    if (var->value == c->value)
        return;
    uint64_t ns = cycles_to_ns(v, c->cycle);
    if (!v->wrote_time || ns > v->last_ns)
        fprintf(v->f, "#%llu\n", (unsigned long long)ns);
    v->wrote_time = true;
    v->last_ns = ns > v->last_ns ? ns : v->last_ns;
    var->value = c->value;
    fprintf(v->f, "%c%c\n", c->value, var->id);
}

/* Writes the held changes older than `horizon` (all of them for EVQ_NEVER). */
static void flush_before(struct vcd *v, uint64_t horizon)
{
    size_t n = 0;
    while (n < v->npend && v->pend[n].cycle < horizon)
        write_change(v, &v->pend[n++]);
    if (n && n < v->npend)
        memmove(v->pend, v->pend + n, (v->npend - n) * sizeof *v->pend);
    v->npend -= n;
}

static void queue(struct vcd *v, uint64_t cycle, int var, char value)
{
    if (v->npend == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        struct vcd_change *p = realloc(v->pend, cap * sizeof *p);
        if (!p) {                               /* out of memory: write what we have, in order */
            flush_before(v, EVQ_NEVER);
            if (v->cap == 0)
                return;
        } else {
            v->pend = p;
            v->cap = cap;
        }
    }
    size_t i = v->npend++;
    for (; i > 0 && v->pend[i - 1].cycle > cycle; i--)
        v->pend[i] = v->pend[i - 1];
    v->pend[i] = (struct vcd_change){ cycle, v->seq++, var, value };
}

/* A change happening now: queue it, write whatever became final. */
static void change_now(struct vcd *v, int var, char value)
{
    uint64_t now = v->m->cycles, cc = char_cycles(v);
    queue(v, now, var, value);
    flush_before(v, now > cc ? now - cc : 0);
}

/* ---- observer callbacks ---------------------------------------------------------------- */

void vcd_led(void *ctx, int led, bool on)
{
    struct vcd *v = ctx;
    if (led >= 0 && led < v->button0 - v->led0)
        change_now(v, v->led0 + led, on ? '1' : '0');
}

void vcd_button(void *ctx, int button, bool pressed)
{
    struct vcd *v = ctx;
    if (button >= 0 && button < v->header0 - v->button0)
        change_now(v, v->button0 + button, pressed ? '1' : '0');
}

static char pin_value(int level, bool driven)
{
    return !driven ? 'z' : level == 1 ? '1' : level == 0 ? '0' : 'x';
}

void vcd_pin(void *ctx, int port, int pin, int level, bool driven)
{
    struct vcd *v = ctx;
    const struct board *b = v->m->board;
    for (int i = 0; i < b->nheader_pins; i++)
        if (b->header_pins[i].pin.port == port && b->header_pins[i].pin.index == pin)
            change_now(v, v->header0 + i, pin_value(level, driven));
}

void vcd_uart_tx(void *ctx, const char *uart, uint8_t byte)
{
    struct vcd *v = ctx;
    if (v->tx < 0 || strcmp(uart, v->console) != 0)
        return;
    uint64_t end = v->m->cycles, cc = char_cycles(v);
    uint64_t start = end > cc ? end - cc : 0;
    if (start < v->tx_free)
        start = v->tx_free;                     /* never overlap the previous character */
    queue(v, start, v->tx, '0');
    for (int i = 0; i < 8; i++)
        queue(v, bit_edge(v, start, 1 + i), v->tx, (byte >> i) & 1 ? '1' : '0');
    queue(v, bit_edge(v, start, 9), v->tx, '1');
    v->tx_free = bit_edge(v, start, 10);
    flush_before(v, end > cc ? end - cc : 0);
}

/* ---- header ------------------------------------------------------------------------------ */

static int add_var(struct vcd *v, const char *name, const char *suffix, char value)
{
    int i = v->nvars++;
    v->var[i].id = (char)(i < 26 ? 'a' + i : 'A' + i - 26);
    v->var[i].value = value;
    fprintf(v->f, "$var wire 1 %c %s%s $end\n", v->var[i].id, name, suffix);
    return i;
}

static void begin_scope(struct vcd *v, const char *name)
{
    fprintf(v->f, "$scope module %s $end\n", name);
}

static void declare(struct vcd *v)
{
    const struct machine *m = v->m;
    const struct board *b = m->board;
    begin_scope(v, "board");
    begin_scope(v, "leds");
    v->led0 = v->nvars;
    for (int i = 0; i < b->nleds; i++)
        add_var(v, b->leds[i].name, "", board_io_led_on(m, i) ? '1' : '0');
    fprintf(v->f, "$upscope $end\n");
    begin_scope(v, "buttons");
    v->button0 = v->nvars;
    for (int i = 0; i < b->nbuttons; i++)
        add_var(v, b->buttons[i].name, "", board_io_button_pressed(m, i) ? '1' : '0');
    fprintf(v->f, "$upscope $end\n");
    begin_scope(v, "header");
    v->header0 = v->nvars;
    for (int i = 0; i < b->nheader_pins; i++) {
        const struct board_pin *p = &b->header_pins[i].pin;
        add_var(v, b->header_pins[i].label, "",
                pin_value(board_io_pin_level(m, p->port, p->index), board_io_pin_driven(m, p->port, p->index)));
    }
    fprintf(v->f, "$upscope $end\n");
    v->tx = -1;
    if (v->console) {
        begin_scope(v, "console");
        v->tx = add_var(v, v->console, "_tx", '1');
        fprintf(v->f, "$upscope $end\n");
    }
    fprintf(v->f, "$upscope $end\n");
}

static void write_header(struct vcd *v)
{
    fprintf(v->f, "$version hailsim $end\n$comment board: %s; virtual time $end\n$timescale 1ns $end\n",
            v->m->board->name);
    declare(v);
    fprintf(v->f, "$enddefinitions $end\n");
    v->last_ns = cycles_to_ns(v, v->m->cycles);
    v->wrote_time = true;
    fprintf(v->f, "#%llu\n$dumpvars\n", (unsigned long long)v->last_ns);
    for (int i = 0; i < v->nvars; i++)
        fprintf(v->f, "%c%c\n", v->var[i].value, v->var[i].id);
    fprintf(v->f, "$end\n");
}

static const struct board_io_observer vcd_observer = {
    .pin = vcd_pin, .led = vcd_led, .button = vcd_button, .uart_tx = vcd_uart_tx
};

static int observe(struct vcd *v, char *err, size_t errlen)
{
    if (board_io_observe(v->m, &vcd_observer, v) != 0) {
        snprintf(err, errlen, "--vcd: too many board observers");
        return -1;
    }
    return 0;
}

struct vcd *vcd_open(struct machine *m, const char *path, char *err, size_t errlen)
{
    struct vcd *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    v->m = m;
    v->console = board_io_console(m);
    v->baud = m->board->console.baud ? m->board->console.baud : 115200;
    if (!(v->f = fopen(path, "w"))) {
        snprintf(err, errlen, "--vcd: %s: cannot open for writing", path);
        free(v);
        return NULL;
    }
    write_header(v);
    if (observe(v, err, errlen) != 0) {
        vcd_close(v);
        return NULL;
    }
    return v;
}

int vcd_close(struct vcd *v)
{
    if (!v)
        return 0;
    board_io_unobserve(v->m, v);
    flush_before(v, EVQ_NEVER);
    uint64_t end = cycles_to_ns(v, v->m->cycles);
    if (end > v->last_ns)
        fprintf(v->f, "#%llu\n", (unsigned long long)end);
    int r = ferror(v->f) ? -1 : 0;
    if (fclose(v->f) != 0)
        r = -1;
    free(v->pend);
    free(v);
    return r;
}
