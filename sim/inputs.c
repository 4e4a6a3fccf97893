/*
 * inputs.c — scheduled inputs (see inputs.h): parsing of --press and
 * --uart-input, and the one evq timer that fires them in time order.
 *
 * Each spec becomes one or two actions (press + release, or a UART text)
 * at an absolute cycle; the actions are sorted once and the timer is
 * re-armed for the next one after each firing.  At equal times releases
 * come first (so a press that starts when another ends presses again), then
 * command-line order.  Overlapping presses of one button merge: the button
 * is released at the first release.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "cli.h"
#include "inputs.h"
#include "machine.h"

#define PRESS_SYNTAX "expected NAME@TIME[:DURATION], e.g. user@1.5s:200ms"
#define UART_SYNTAX "expected TEXT@TIME, e.g. 'help\\n@2s'"
#define TIME_EXPECTED "expected a time such as 1.5s, 250ms, 5000us or 100ns"

/* ---- parsing ------------------------------------------------------------------ */

static int parse_time(const char *opt, const char *arg, const char *what, const char *text,
                      uint64_t *ns, char *err, size_t errlen)
{
    if (cli_parse_time(text, ns) == 0)
        return 0;
    snprintf(err, errlen, "%s: '%s': %s '%s' is not valid; %s", opt, arg, what, text, TIME_EXPECTED);
    return -1;
}

int inputs_parse_press(const char *arg, struct input_spec *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->kind = INPUT_PRESS;
    s->duration_ns = INPUT_DEFAULT_PRESS_NS;
    const char *at = strchr(arg, '@');
    if (!at) {
        snprintf(err, errlen, "--press: '%s' has no '@TIME'; " PRESS_SYNTAX, arg);
        return -1;
    }
    size_t nlen = (size_t)(at - arg);
    if (nlen == 0 || nlen >= sizeof s->button) {
        snprintf(err, errlen, "--press: '%s': %s; " PRESS_SYNTAX, arg,
                 nlen ? "the button name is too long" : "the button name is missing");
        return -1;
    }
    memcpy(s->button, arg, nlen);
    char when[64];
    snprintf(when, sizeof when, "%s", at + 1);
    char *colon = strchr(when, ':');
    if (colon)
        *colon = '\0';
    if (parse_time("--press", arg, "time", when, &s->at_ns, err, errlen) != 0)
        return -1;
    if (colon && parse_time("--press", arg, "duration", colon + 1, &s->duration_ns, err, errlen) != 0)
        return -1;
    if (s->duration_ns == 0) {
        snprintf(err, errlen, "--press: '%s': the duration is 0; expected a duration greater than 0", arg);
        return -1;
    }
    if (s->at_ns + s->duration_ns < s->at_ns) {
        snprintf(err, errlen, "--press: '%s': the release time overflows; expected a smaller time", arg);
        return -1;
    }
    return 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* One escape at text[*i] (the backslash); returns the byte or -1. */
static int unescape_one(const char *text, size_t n, size_t *i, char *err, size_t errlen)
{
    static const char simple_in[] = "nrt\\", simple_out[] = "\n\r\t\\";
    size_t j = *i + 1;
    if (j >= n) {
        snprintf(err, errlen, "a '\\' ends the text; expected an escape \\n \\r \\t \\\\ or \\xNN");
        return -1;
    }
    const char *p = strchr(simple_in, text[j]);
    if (p && *p) {
        *i = j + 1;
        return (unsigned char)simple_out[p - simple_in];
    }
    int hi = j + 1 < n ? hex_digit(text[j + 1]) : -1, lo = j + 2 < n ? hex_digit(text[j + 2]) : -1;
    if (text[j] == 'x' && hi >= 0 && lo >= 0) {
        *i = j + 3;
        return hi << 4 | lo;
    }
    snprintf(err, errlen, "'\\%.*s' is not an escape; expected \\n \\r \\t \\\\ or \\xNN (two hex digits)",
             text[j] == 'x' ? (int)(n - j < 3 ? n - j : 3) : 1, text + j);
    return -1;
}

int inputs_unescape(const char *text, size_t n, uint8_t *out, size_t outmax, char *err, size_t errlen)
{
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        int c = text[i] == '\\' ? unescape_one(text, n, &i, err, errlen) : (unsigned char)text[i++];
        if (c < 0)
            return -1;
        if (len == outmax) {
            snprintf(err, errlen, "the text is longer than %zu bytes", outmax);
            return -1;
        }
        out[len++] = (uint8_t)c;
    }
    return (int)len;
}

int inputs_parse_uart(const char *arg, struct input_spec *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->kind = INPUT_UART;
    const char *at = strrchr(arg, '@');
    if (!at) {
        snprintf(err, errlen, "--uart-input: '%s' has no '@TIME'; " UART_SYNTAX, arg);
        return -1;
    }
    if (at == arg) {
        snprintf(err, errlen, "--uart-input: '%s': the text is empty; " UART_SYNTAX, arg);
        return -1;
    }
    if (parse_time("--uart-input", arg, "time", at + 1, &s->at_ns, err, errlen) != 0)
        return -1;
    char why[200];
    int len = inputs_unescape(arg, (size_t)(at - arg), s->text, sizeof s->text, why, sizeof why);
    if (len < 0) {
        snprintf(err, errlen, "--uart-input: '%s': %s", arg, why);
        return -1;
    }
    s->len = (size_t)len;
    return 0;
}

/* ---- scheduling ------------------------------------------------------------------ */

enum action_kind { ACT_RELEASE, ACT_PRESS, ACT_UART };   /* order at equal times */

struct action {
    uint64_t cycle;
    enum action_kind kind;
    int order;                  /* position on the command line */
    const struct input_spec *spec;
};

struct inputs {
    struct machine *m;
    struct evq_timer timer;
    int nspecs, nactions, next;
    bool warned;
    struct input_spec *specs;
    struct action *actions;
};

static int action_cmp(const void *pa, const void *pb)
{
    const struct action *a = pa, *b = pb;
    if (a->cycle != b->cycle)
        return a->cycle < b->cycle ? -1 : 1;
    bool ra = a->kind == ACT_RELEASE, rb = b->kind == ACT_RELEASE;
    if (ra != rb)
        return ra ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static void list_buttons(const struct board *b, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < b->nbuttons && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%s", i ? ", " : "", b->buttons[i].name);
}

static int check_spec(const struct machine *m, const struct input_spec *s, char *err, size_t errlen)
{
    const struct board *b = m->board;
    if (s->kind == INPUT_UART) {
        if (board_io_console(m))
            return 0;
        snprintf(err, errlen, "--uart-input: the board %s has no console UART (wiring.console)", b->path);
        return -1;
    }
    for (int i = 0; i < b->nbuttons; i++)
        if (strcmp(b->buttons[i].name, s->button) == 0)
            return 0;
    char names[200];
    list_buttons(b, names, sizeof names);
    if (b->nbuttons)
        snprintf(err, errlen, "--press: the board has no button '%s'; expected one of: %s", s->button, names);
    else
        snprintf(err, errlen, "--press: the board has no button '%s' (it has no buttons at all)", s->button);
    return -1;
}

static void add_action(struct inputs *in, uint64_t ns, enum action_kind kind, int order,
                       const struct input_spec *s)
{
    in->actions[in->nactions++] = (struct action){ machine_ns_to_cycles(in->m, ns), kind, order, s };
}

static void send_text(struct inputs *in, const struct input_spec *s)
{
    struct machine *m = in->m;
    int lost = 0;
    for (size_t i = 0; i < s->len; i++) {
        int r = board_io_uart_rx(m, board_io_console(m), s->text[i]);
        if (r < 0 && !in->warned) {
            fprintf(m->err, "hailsim: --uart-input: the console UART '%s' has no receiver model; "
                    "input dropped\n", board_io_console(m));
            in->warned = true;
        }
        lost += r == 0;
    }
    if (lost)
        fprintf(m->err, "hailsim: --uart-input: the console UART did not take %d of %zu bytes\n",
                lost, s->len);
}

static void fire(struct inputs *in, const struct action *a)
{
    if (a->kind == ACT_UART)
        send_text(in, a->spec);
    else
        board_io_button(in->m, a->spec->button, a->kind == ACT_PRESS);
}

static void on_timer(void *ctx, uint64_t now)
{
    struct inputs *in = ctx;
    while (in->next < in->nactions && in->actions[in->next].cycle <= now)
        fire(in, &in->actions[in->next++]);
    if (in->next < in->nactions)
        evq_arm(&in->m->evq, &in->timer, in->actions[in->next].cycle);
}

static struct inputs *alloc_inputs(struct machine *m, const struct input_spec *specs, int n)
{
    struct inputs *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->m = m;
    in->specs = malloc(sizeof *in->specs * (size_t)n);
    in->actions = malloc(sizeof *in->actions * 2 * (size_t)n);
    if (!in->specs || !in->actions) {
        inputs_free(in);
        return NULL;
    }
    memcpy(in->specs, specs, sizeof *specs * (size_t)n);
    in->nspecs = n;
    return in;
}

struct inputs *inputs_create(struct machine *m, const struct input_spec *specs, int n,
                             char *err, size_t errlen)
{
    for (int i = 0; i < n; i++)
        if (check_spec(m, &specs[i], err, errlen) != 0)
            return NULL;
    if (n == 0)
        return NULL;
    struct inputs *in = alloc_inputs(m, specs, n);
    if (!in || evq_add_timer(&m->evq, &in->timer, "inputs", on_timer, in) != 0) {
        snprintf(err, errlen, in ? "too many timers for the scheduled inputs" : "out of memory");
        inputs_free(in);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        const struct input_spec *s = &in->specs[i];
        add_action(in, s->at_ns, s->kind == INPUT_UART ? ACT_UART : ACT_PRESS, i, s);
        if (s->kind != INPUT_PRESS)
            continue;
        add_action(in, s->at_ns + s->duration_ns, ACT_RELEASE, i, s);
        struct action *rel = &in->actions[in->nactions - 1];
        if (rel->cycle <= rel[-1].cycle)    /* a sub-cycle press still lasts one cycle */
            rel->cycle = rel[-1].cycle + 1;
    }
    qsort(in->actions, (size_t)in->nactions, sizeof *in->actions, action_cmp);
    evq_arm(&m->evq, &in->timer, in->actions[0].cycle);
    return in;
}

void inputs_free(struct inputs *in)
{
    if (!in)
        return;
    free(in->specs);
    free(in->actions);
    free(in);
}

int inputs_pending(const struct inputs *in)
{
    return in ? in->nactions - in->next : 0;
}
