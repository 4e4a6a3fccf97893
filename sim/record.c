/*
 * record.c — record and replay of external inputs (see record.h).
 *
 * The file is text, one item per line:
 *   hailsim-record 1
 *   board PATH / kernel PATH / seed N / app PATH (one per app, in order)
 *   button CYCLE NAME 0|1       a board button changed
 *   uart CYCLE NAME XX          a byte (hex) offered to a UART's receiver
 *   reset CYCLE                 the board's RESET button
 *   end CYCLE time-limit|exit|stopped
 * CYCLE is the core clock cycle (virtual time) at which the input arrived.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "machine.h"
#include "record.h"

#define REC_MAGIC "hailsim-record 1"
#define REC_PATH 256

enum rec_kind { REC_BUTTON, REC_UART, REC_RESET };

struct rec_event {
    uint64_t cycle;
    enum rec_kind kind;
    char name[BOARD_NAME_LEN];
    int value;                          /* button: pressed; uart: the byte */
};

struct rec {
    bool replay;
    const char *path;
    FILE *f;                            /* --record */
    struct machine *m;
    char board[REC_PATH], kernel[REC_PATH], apps[CLI_MAX_APPS][REC_PATH];
    int napps;
    uint64_t seed;
    struct rec_event *ev;               /* --replay */
    int nev, cap, next;
    bool has_end;
    uint64_t end_cycle;
    char end_how[16];
    struct evq_timer timer;
};

/* ---- recording ---------------------------------------------------------------------- */

static void put(struct rec *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct rec *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->f, fmt, ap);
    va_end(ap);
    fflush(r->f);
}

static void on_button(void *ctx, int button, bool pressed)
{
    struct rec *r = ctx;
    put(r, "button %" PRIu64 " %s %d\n", r->m->cycles, r->m->board->buttons[button].name, pressed);
}

static void on_uart_rx(void *ctx, const char *uart, uint8_t byte)
{
    struct rec *r = ctx;
    put(r, "uart %" PRIu64 " %s %02x\n", r->m->cycles, uart, byte);
}

static void on_reset(void *ctx)
{
    struct rec *r = ctx;
    put(r, "reset %" PRIu64 "\n", r->m->cycles);
}

static const struct board_io_observer rec_observer = { .button = on_button, .uart_rx = on_uart_rx, .reset = on_reset };

static int start_recording(struct rec *r, const struct cli_options *o, char *err, size_t errlen)
{
    if (!(r->f = fopen(r->path, "w"))) {
        snprintf(err, errlen, "--record: %s: cannot create the file: %s", r->path, strerror(errno));
        return -1;
    }
    put(r, REC_MAGIC "\nboard %s\nkernel %s\nseed %" PRIu64 "\n", o->board, o->kernel, o->seed);
    for (int i = 0; i < o->napps; i++)
        put(r, "app %s\n", o->apps[i]);
    return 0;
}

/* ---- reading a record ------------------------------------------------------------------- */

static int add_event(struct rec *r, const struct rec_event *e)
{
    if (r->nev == r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        struct rec_event *p = realloc(r->ev, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        r->ev = p;
        r->cap = cap;
    }
    if (r->nev && e->cycle < r->ev[r->nev - 1].cycle)
        return -1;                              /* inputs are recorded in time order */
    r->ev[r->nev++] = *e;
    return 0;
}

/* Header lines; 1 = handled, 0 = not a header line, -1 = bad. */
static int parse_header(struct rec *r, const char *key, const char *rest)
{
    char *dst = strcmp(key, "board") == 0 ? r->board : strcmp(key, "kernel") == 0 ? r->kernel : NULL;
    if (strcmp(key, "app") == 0) {
        if (r->napps == CLI_MAX_APPS)
            return -1;
        dst = r->apps[r->napps++];
    }
    if (dst) {
        snprintf(dst, REC_PATH, "%s", rest);
        return *rest ? 1 : -1;
    }
    if (strcmp(key, "seed") == 0)
        return sscanf(rest, "%" SCNu64, &r->seed) == 1 ? 1 : -1;
    return 0;
}

static int parse_event(struct rec *r, const char *key, const char *rest)
{
    struct rec_event e = { 0 };
    unsigned v = 0;
    char how[16];
    if (strcmp(key, "end") == 0) {
        r->has_end = sscanf(rest, "%" SCNu64 " %15s", &r->end_cycle, how) == 2;
        snprintf(r->end_how, sizeof r->end_how, "%s", r->has_end ? how : "");
        return r->has_end ? 0 : -1;
    }
    if (strcmp(key, "reset") == 0)
        e.kind = REC_RESET;
    else if (strcmp(key, "button") == 0 || strcmp(key, "uart") == 0)
        e.kind = key[0] == 'b' ? REC_BUTTON : REC_UART;
    else
        return -1;
    int n = sscanf(rest, e.kind == REC_UART ? "%" SCNu64 " %23s %x" : "%" SCNu64 " %23s %u", &e.cycle, e.name, &v);
    if (n != (e.kind == REC_RESET ? 1 : 3) || v > 255)
        return -1;
    e.value = (int)v;
    return add_event(r, &e);
}

static int parse_line(struct rec *r, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (!*line || *line == '#')
        return 0;
    char *sp = strchr(line, ' ');
    if (!sp)
        return -1;
    *sp = '\0';
    int h = parse_header(r, line, sp + 1);
    return h != 0 ? (h > 0 ? 0 : -1) : parse_event(r, line, sp + 1);
}

static int load(struct rec *r, char *err, size_t errlen)
{
    char line[512];
    int lineno = 1, rc = 0;
    FILE *f = fopen(r->path, "r");
    if (!f) {
        snprintf(err, errlen, "--replay: %s: cannot open: %s", r->path, strerror(errno));
        return -1;
    }
    if (!fgets(line, sizeof line, f) || strncmp(line, REC_MAGIC, strlen(REC_MAGIC)) != 0) {
        snprintf(err, errlen, "--replay: %s:1: not a hailsim record; expected the line '" REC_MAGIC "'", r->path);
        fclose(f);
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof line, f) && ++lineno)
        rc = parse_line(r, line);
    fclose(f);
    if (rc != 0)
        snprintf(err, errlen, "--replay: %s:%d: bad line; expected board/kernel/seed/app, 'button CYCLE NAME 0|1', "
                 "'uart CYCLE NAME XX', 'reset CYCLE' or 'end CYCLE HOW', in time order", r->path, lineno);
    else if (!r->board[0] || !r->kernel[0])
        snprintf(err, errlen, "--replay: %s: the record names no board or kernel", r->path), rc = -1;
    return rc;
}

static int take_options(struct rec *r, struct cli_options *o, char *err, size_t errlen)
{
    if (o->ninputs || o->napps || o->record) {
        snprintf(err, errlen, "--replay: %s", o->record ? "cannot be combined with --record"
                 : "the record has the inputs and apps; give no --press, --uart-input or app images");
        return -1;
    }
    o->board = r->board;
    o->kernel = r->kernel;
    o->seed = r->seed;
    o->napps = r->napps;
    for (int i = 0; i < r->napps; i++)
        o->apps[i] = r->apps[i];
    o->view = CLI_VIEW_PLAIN;                   /* no keyboard, window or pacing: nothing else may add inputs */
    o->headless = true;
    o->has_speed = false;
    o->uart_pty = false;
    o->uart_tcp_port = 0;
    return 0;
}

int rec_open(struct cli_options *o, struct rec **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!o->record && !o->replay)
        return 0;
    struct rec *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->replay = o->replay != NULL;
    r->path = r->replay ? o->replay : o->record;
    if (r->replay && (load(r, err, errlen) != 0 || take_options(r, o, err, errlen) != 0)) {
        rec_free(r);
        return -1;
    }
    if (!r->replay && start_recording(r, o, err, errlen) != 0) {
        rec_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

/* ---- replaying ------------------------------------------------------------------------- */

static void apply(struct rec *r, const struct rec_event *e)
{
    if (e->kind == REC_BUTTON)
        board_io_button(r->m, e->name, e->value != 0);
    else if (e->kind == REC_UART)
        board_io_uart_rx(r->m, e->name, (uint8_t)e->value);
    else
        board_io_request_reset(r->m);
}

static void on_timer(void *ctx, uint64_t now)
{
    struct rec *r = ctx;
    while (r->next < r->nev && r->ev[r->next].cycle <= now)
        apply(r, &r->ev[r->next++]);
    if (r->next < r->nev)
        evq_arm(&r->m->evq, &r->timer, r->ev[r->next].cycle);
}

int rec_attach(struct rec *r, struct machine *m, char *err, size_t errlen)
{
    if (!r)
        return 0;
    r->m = m;
    if (!r->replay) {
        if (board_io_observe(m, &rec_observer, r) == 0)
            return 0;
        snprintf(err, errlen, "--record: too many board observers");
        return -1;
    }
    if (r->has_end && strcmp(r->end_how, "time-limit") == 0)
        cpu_set_stop_at(m, r->end_cycle);
    if (!r->nev)
        return 0;
    if (evq_add_timer(&m->evq, &r->timer, "replay", on_timer, r) != 0) {
        snprintf(err, errlen, "--replay: too many timers");
        return -1;
    }
    evq_arm(&m->evq, &r->timer, r->ev[0].cycle);
    return 0;
}

int rec_finish(struct rec *r)
{
    if (!r || r->replay || !r->f)
        return 0;
    const char *how = r->m->stop == STOP_TIME_LIMIT ? "time-limit" : r->m->stop == STOP_GUEST_EXIT ? "exit" : "stopped";
    board_io_unobserve(r->m, r);
    put(r, "end %" PRIu64 " %s\n", r->m->cycles, how);
    int rc = ferror(r->f) ? -1 : 0;
    rc |= fclose(r->f);
    r->f = NULL;
    return rc;
}

void rec_free(struct rec *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->ev);
    free(r);
}
