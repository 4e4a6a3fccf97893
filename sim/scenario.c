/*
 * scenario.c — loading and checking scenario files (see scenario.h and
 * docs/scenarios.md).  The YAML is read with libyaml's document API through
 * the board loader's checked readers (board_yaml.h), so messages have the
 * same "FILE:LINE: FIELD: problem; expected WHAT" form.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "board_yaml.h"
#include "cli.h"
#include "scenario.h"

#define SCN_MAX_FILE (256 * 1024)
#define TIME_WHAT "a time such as 1.5s, 250ms, 100us or 0"

const char *const scn_state_names[] = {
    "unused", "running", "yielded", "yielded-for", "stopped(running)", "stopped(yielded)",
    "stopped(yielded-for)", "faulted", "terminated", "stopped", "alive", NULL
};

const char *const scn_fault_names[] = {
    "any", "memmanage", "busfault", "usagefault", "hardfault", "bad-syscall", "bad-stack", "killed", NULL
};

static const char *const top_keys[] = {
    "name", "board", "kernel", "apps", "time_limit", "seed", "inputs", "expect", NULL
};

void scn_fmt_time(char *out, size_t len, uint64_t ns)
{
    if (ns == 0)
        snprintf(out, len, "0 s");
    else if (ns % 1000000000u == 0)
        snprintf(out, len, "%llu s", (unsigned long long)(ns / 1000000000u));
    else if (ns % 1000000u == 0)
        snprintf(out, len, "%llu ms", (unsigned long long)(ns / 1000000u));
    else if (ns % 1000u == 0)
        snprintf(out, len, "%llu us", (unsigned long long)(ns / 1000u));
    else
        snprintf(out, len, "%.9f s", (double)ns / 1e9);
}

/* ---- scalar readers ------------------------------------------------------------ */

static int read_time(struct byctx *c, yaml_node_t *n, const char *path, uint64_t *ns)
{
    const char *s = by_text(n);
    if (!n || n->type != YAML_SCALAR_NODE || !*s)
        return by_fail(c, n, path, "is not a time; expected " TIME_WHAT);
    if (strcmp(s, "0") == 0) {
        *ns = 0;
        return 0;
    }
    if (cli_parse_time(s, ns) != 0)
        return by_fail(c, n, path, "'%.40s' is not a time; expected " TIME_WHAT, s);
    return 0;
}

static int opt_time(struct byctx *c, yaml_node_t *map, const char *path, const char *key, uint64_t *ns)
{
    char p[BY_PATH_LEN];
    yaml_node_t *v = by_get(c, map, key);
    by_path_key(p, path, key);
    return v ? read_time(c, v, p, ns) : 0;
}

static int req_time(struct byctx *c, yaml_node_t *map, const char *path, const char *key, uint64_t *ns)
{
    yaml_node_t *v;
    char p[BY_PATH_LEN];
    if (by_req(c, map, path, key, TIME_WHAT, &v))
        return -1;
    by_path_key(p, path, key);
    return read_time(c, v, p, ns);
}

/* "0.1%" or a fraction 0..1 ("0.001"). */
static int read_fraction(struct byctx *c, yaml_node_t *n, const char *path, double *out)
{
    const char *what = "a percentage such as 0.1% or 50%, or a fraction 0..1";
    const char *s = by_text(n);
    char *end = NULL;
    errno = 0;
    double v = n && n->type == YAML_SCALAR_NODE && *s ? strtod(s, &end) : -1;
    bool pct = end && *end == '%' && end[1] == '\0';
    if (!end || errno || (*end && !pct) || v < 0 || (pct ? v > 100 : v > 1))
        return by_fail(c, n, path, "'%.40s' is not valid; expected %s", s, what);
    *out = pct ? v / 100 : v;
    return 0;
}

static int opt_fraction(struct byctx *c, yaml_node_t *map, const char *path, const char *key, double *out)
{
    char p[BY_PATH_LEN];
    yaml_node_t *v = by_get(c, map, key);
    by_path_key(p, path, key);
    return v ? read_fraction(c, v, p, out) : 0;
}

static int opt_int(struct byctx *c, yaml_node_t *map, const char *path, const char *key, int max, int *out)
{
    char p[BY_PATH_LEN];
    uint32_t v;
    yaml_node_t *n = by_get(c, map, key);
    if (!n)
        return 0;
    by_path_key(p, path, key);
    if (by_u32(c, n, p, 0, (uint32_t)max, 0, NULL, &v))
        return -1;
    *out = (int)v;
    return 0;
}

/* Any scalar text (may be empty for console text? no: 1..cap-1 bytes, control characters allowed). */
static int read_text(struct byctx *c, yaml_node_t *n, const char *path, char *buf, size_t cap)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return by_fail(c, n, path, "is not a string; expected a string of 1..%zu bytes", cap - 1);
    size_t len = n->data.scalar.length;
    if (len == 0 || len >= cap || strlen(by_text(n)) != len)
        return by_fail(c, n, path, "has %zu bytes%s; expected a string of 1..%zu bytes without NUL", len,
                       strlen(by_text(n)) != len ? " and a NUL" : "", cap - 1);
    memcpy(buf, by_text(n), len + 1);
    return 0;
}

/* ---- top-level fields ------------------------------------------------------------ */

static void app_path(char *out, const char *name)
{
    size_t n = strlen(name);
    bool is_path = strchr(name, '/') || (n > 4 && strcmp(name + n - 4, ".tbf") == 0);
    if (is_path)
        snprintf(out, SCN_PATH_LEN, "%s", name);
    else
        snprintf(out, SCN_PATH_LEN, SCN_APPS_DIR "/%s.tbf", name);
}

static int parse_apps(struct byctx *c, yaml_node_t *root, struct scenario *s)
{
    yaml_node_t *apps = by_get(c, root, "apps");
    char p[BY_PATH_LEN], name[SCN_PATH_LEN - 16];
    if (!apps)
        return 0;
    if (by_check_seq(c, apps, "apps", SCN_MAX_APPS, "a list of app names (build/apps/NAME.tbf) or paths",
                     &s->napps))
        return -1;
    for (int i = 0; i < s->napps; i++) {
        by_path_idx(p, "apps", i);
        if (by_str(c, by_seq_item(c, apps, i), p, name, sizeof name))
            return -1;
        app_path(s->apps[i], name);
        s->app_line[i] = by_line(by_seq_item(c, apps, i));
    }
    return 0;
}

static int parse_header(struct byctx *c, yaml_node_t *root, struct scenario *s)
{
    uint32_t seed = 0;
    yaml_node_t *v;
    snprintf(s->board, sizeof s->board, SCN_DEFAULT_BOARD);
    snprintf(s->kernel, sizeof s->kernel, SCN_DEFAULT_KERNEL);
    if ((v = by_get(c, root, "name")) && by_str(c, v, "name", s->name, sizeof s->name))
        return -1;
    if ((v = by_get(c, root, "board")) && by_str(c, v, "board", s->board, sizeof s->board))
        return -1;
    if ((v = by_get(c, root, "kernel")) && by_str(c, v, "kernel", s->kernel, sizeof s->kernel))
        return -1;
    s->kernel_line = v ? by_line(v) : 1;
    if ((v = by_get(c, root, "seed")) && by_u32(c, v, "seed", 0, UINT32_MAX, 0, NULL, &seed))
        return -1;
    s->seed = seed;
    if (req_time(c, root, "", "time_limit", &s->time_limit_ns))
        return -1;
    if (s->time_limit_ns == 0)
        return by_fail(c, by_get(c, root, "time_limit"), "time_limit", "is 0; expected a time greater than 0");
    return parse_apps(c, root, s);
}

/* ---- inputs ---------------------------------------------------------------------- */

static int parse_input(struct byctx *c, yaml_node_t *n, const char *path, struct scenario *s)
{
    static const char *const keys[] = { "at", "press", "duration", "uart", NULL };
    struct input_spec *in = &s->inputs[s->ninputs];
    yaml_node_t *press, *uart;
    char p[BY_PATH_LEN];
    memset(in, 0, sizeof *in);
    if (by_check_map(c, n, path, keys, "a mapping {at: TIME, press: BUTTON[, duration: TIME]} or "
                     "{at: TIME, uart: TEXT}") || req_time(c, n, path, "at", &in->at_ns))
        return -1;
    press = by_get(c, n, "press");
    uart = by_get(c, n, "uart");
    if (!press == !uart)
        return by_fail(c, n, path, "has %s; expected exactly one of press, uart", press ? "both" : "neither");
    s->input_line[s->ninputs] = by_line(n);
    if (uart) {
        if (by_get(c, n, "duration"))
            return by_fail(c, by_get(c, n, "duration"), path, "duration is for press; expected no duration with uart");
        in->kind = INPUT_UART;
        by_path_key(p, path, "uart");
        if (read_text(c, uart, p, (char *)in->text, sizeof in->text))
            return -1;
        in->len = strlen((char *)in->text);
        return 0;
    }
    in->kind = INPUT_PRESS;
    in->duration_ns = INPUT_DEFAULT_PRESS_NS;
    by_path_key(p, path, "press");
    if (by_str(c, press, p, in->button, sizeof in->button) || opt_time(c, n, path, "duration", &in->duration_ns))
        return -1;
    if (in->duration_ns == 0)
        return by_fail(c, by_get(c, n, "duration"), path, "duration is 0; expected a time greater than 0");
    return 0;
}

static int parse_inputs(struct byctx *c, yaml_node_t *root, struct scenario *s)
{
    yaml_node_t *list = by_get(c, root, "inputs");
    char p[BY_PATH_LEN];
    int n;
    if (!list)
        return 0;
    if (by_check_seq(c, list, "inputs", SCN_MAX_INPUTS, "a list of timed inputs", &n))
        return -1;
    for (int i = 0; i < n; i++, s->ninputs++) {
        by_path_idx(p, "inputs", i);
        if (parse_input(c, by_seq_item(c, list, i), p, s))
            return -1;
        if (s->inputs[i].at_ns > s->time_limit_ns)
            return by_fail(c, by_seq_item(c, list, i), p, "is at a time after time_limit; expected a time <= time_limit");
    }
    return 0;
}

/* ---- expectations ---------------------------------------------------------------- */

struct item {
    struct byctx *c;
    yaml_node_t *n;
    const char *path;
    struct scenario *s;
    struct scn_expect *e;
};

static int window(struct item *it)
{
    struct scn_expect *e = it->e;
    e->until_ns = it->s->time_limit_ns;
    if (opt_time(it->c, it->n, it->path, "from", &e->from_ns) ||
        opt_time(it->c, it->n, it->path, "until", &e->until_ns))
        return -1;
    if (e->from_ns > e->until_ns)
        return by_fail(it->c, it->n, it->path, "from is after until; expected from <= until");
    return 0;
}

static int at_time(struct item *it)
{
    if (req_time(it->c, it->n, it->path, "at", &it->e->at_ns))
        return -1;
    if (it->e->at_ns > it->s->time_limit_ns)
        return by_fail(it->c, by_get(it->c, it->n, "at"), it->path,
                       "at is after time_limit; expected a time <= time_limit");
    return 0;
}

/* glibc's regcomp takes exponential time on stacked repetition operators
 * ("a++++"); no useful expression needs them, so they are refused first. */
static bool stacked_repetition(const char *re)
{
    bool prev_rep = false;
    for (const char *s = re; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            prev_rep = false;
            continue;
        }
        bool rep = *s == '*' || *s == '+' || *s == '?' || *s == '{';
        if (rep && prev_rep)
            return true;
        if (*s == '{')
            while (s[1] && *s != '}')
                s++;
        prev_rep = rep;
    }
    return false;
}

static int check_regex(struct item *it)
{
    regex_t re;
    char p[BY_PATH_LEN], why[200];
    if (stacked_repetition(it->e->text)) {
        by_path_key(p, it->path, "console");
        return by_fail(it->c, by_get(it->c, it->n, "console"), p, "regular expression with stacked repetition "
                       "operators (like a++); expected at most one of * + ? {n,m} after each item");
    }
    int rc = regcomp(&re, it->e->text, REG_EXTENDED | REG_NOSUB);
    if (rc == 0) {
        regfree(&re);
        return 0;
    }
    regerror(rc, &re, why, sizeof why);
    by_path_key(p, it->path, "console");
    return by_fail(it->c, by_get(it->c, it->n, "console"), p, "bad regular expression: %s; "
                   "expected a POSIX extended regular expression", why);
}

static int parse_console(struct item *it)
{
    static const char *const keys[] = { "console", "match", "count", "never", "from", "until", NULL };
    static const char *const matches[] = { "exact", "contains", "regex", NULL };
    struct scn_expect *e = it->e;
    yaml_node_t *m;
    char p[BY_PATH_LEN];
    bool never = false;
    int idx = 0;
    e->kind = SCN_CONSOLE;
    e->count = -1;
    by_path_key(p, it->path, "console");
    if (by_check_map(it->c, it->n, it->path, keys, "a console expectation") ||
        read_text(it->c, by_get(it->c, it->n, "console"), p, e->text, sizeof e->text) || window(it) ||
        opt_int(it->c, it->n, it->path, "count", 100000, &e->count) ||
        by_opt_bool(it->c, it->n, it->path, "never", &never))
        return -1;
    by_path_key(p, it->path, "match");
    if ((m = by_get(it->c, it->n, "match")) && by_enum(it->c, m, p, matches, &idx))
        return -1;
    e->match = (enum scn_match)idx;
    if (never && by_get(it->c, it->n, "count"))
        return by_fail(it->c, it->n, it->path, "has both never and count; expected one of them");
    if (never)
        e->count = 0;
    return e->match == SCN_MATCH_REGEX ? check_regex(it) : 0;
}

static int parse_blink(struct item *it, yaml_node_t *b)
{
    static const char *const keys[] = { "period", "duty", "tolerance", "duty_tolerance", NULL };
    struct scn_expect *e = it->e;
    char p[BY_PATH_LEN];
    by_path_key(p, it->path, "blink");
    e->kind = SCN_BLINK;
    e->duty = 0.5;
    e->tolerance = 0.001;
    e->duty_tolerance = 0.01;
    if (by_check_map(it->c, b, p, keys, "a mapping {period: TIME[, duty: 50%, tolerance: 0.1%, duty_tolerance: 1%]}") ||
        req_time(it->c, b, p, "period", &e->period_ns) || opt_fraction(it->c, b, p, "duty", &e->duty) ||
        opt_fraction(it->c, b, p, "tolerance", &e->tolerance) ||
        opt_fraction(it->c, b, p, "duty_tolerance", &e->duty_tolerance))
        return -1;
    if (e->period_ns == 0)
        return by_fail(it->c, by_get(it->c, b, "period"), p, "period is 0; expected a time greater than 0");
    return window(it);
}

static int parse_toggles(struct item *it, yaml_node_t *t)
{
    static const char *const keys[] = { "min", "max", NULL };
    struct scn_expect *e = it->e;
    char p[BY_PATH_LEN];
    uint32_t v;
    by_path_key(p, it->path, "toggles");
    e->kind = SCN_TOGGLES;
    if (t->type == YAML_SCALAR_NODE) {
        if (by_u32(it->c, t, p, 0, 1000000, 0, NULL, &v))
            return -1;
        e->min_toggles = e->max_toggles = (int)v;
        return window(it);
    }
    e->max_toggles = 1000000000;
    if (by_check_map(it->c, t, p, keys, "a count, or a mapping {min: N, max: N}") ||
        opt_int(it->c, t, p, "min", 1000000000, &e->min_toggles) ||
        opt_int(it->c, t, p, "max", 1000000000, &e->max_toggles))
        return -1;
    if (e->min_toggles > e->max_toggles)
        return by_fail(it->c, t, p, "min is greater than max; expected min <= max");
    return window(it);
}

static int parse_level(struct item *it, bool led)
{
    struct scn_expect *e = it->e;
    const char *key = led ? "on" : "level";
    bool on = false;
    uint32_t v;
    yaml_node_t *n;
    char p[BY_PATH_LEN];
    e->kind = SCN_LEVEL;
    if (at_time(it) || by_req(it->c, it->n, it->path, key, led ? "true or false" : "0 or 1", &n))
        return -1;
    by_path_key(p, it->path, key);
    if (led ? by_bool(it->c, n, p, &on) : by_u32(it->c, n, p, 0, 1, 0, NULL, &v))
        return -1;
    e->level = led ? on : (int)v;
    return 0;
}

static int parse_signal(struct item *it, bool led)
{
    static const char *const led_keys[] = { "led", "at", "on", "blink", "toggles", "from", "until", NULL };
    static const char *const pin_keys[] = { "pin", "at", "level", "blink", "toggles", "from", "until", NULL };
    struct scn_expect *e = it->e;
    char p[BY_PATH_LEN];
    yaml_node_t *blink = by_get(it->c, it->n, "blink"), *toggles = by_get(it->c, it->n, "toggles");
    bool at = by_get(it->c, it->n, "at") != NULL;
    e->sig.is_led = led;
    by_path_key(p, it->path, led ? "led" : "pin");
    if (by_check_map(it->c, it->n, it->path, led ? led_keys : pin_keys, "an LED or pin expectation") ||
        by_str(it->c, by_get(it->c, it->n, led ? "led" : "pin"), p, e->sig.name, sizeof e->sig.name))
        return -1;
    if ((int)at + (blink != NULL) + (toggles != NULL) != 1)
        return by_fail(it->c, it->n, it->path, "has %s of at, blink, toggles; expected exactly one",
                       at || blink || toggles ? "more than one" : "none");
    if (blink)
        return parse_blink(it, blink);
    if (toggles)
        return parse_toggles(it, toggles);
    if (by_get(it->c, it->n, "from") || by_get(it->c, it->n, "until"))
        return by_fail(it->c, it->n, it->path, "has from/until with at; expected only at");
    return parse_level(it, led);
}

static int parse_process(struct item *it)
{
    static const char *const keys[] = { "process", "at", "state", "restarts", NULL };
    struct scn_expect *e = it->e;
    char p[BY_PATH_LEN];
    yaml_node_t *st;
    e->kind = SCN_PROCESS;
    e->restarts = -1;
    by_path_key(p, it->path, "process");
    if (by_check_map(it->c, it->n, it->path, keys, "a process expectation") ||
        by_str(it->c, by_get(it->c, it->n, "process"), p, e->process, sizeof e->process) || at_time(it) ||
        opt_int(it->c, it->n, it->path, "restarts", 1000000, &e->restarts))
        return -1;
    e->state = -1;
    by_path_key(p, it->path, "state");
    if ((st = by_get(it->c, it->n, "state")) && by_enum(it->c, st, p, scn_state_names, &e->state))
        return -1;
    if (!st && e->restarts < 0)
        return by_fail(it->c, it->n, it->path, "has neither state nor restarts; expected at least one");
    return 0;
}

static int parse_fault(struct item *it)
{
    static const char *const keys[] = { "fault", "kind", "count", "from", "until", NULL };
    struct scn_expect *e = it->e;
    char p[BY_PATH_LEN];
    yaml_node_t *k;
    e->kind = SCN_FAULT;
    e->count = -1;
    by_path_key(p, it->path, "fault");
    if (by_check_map(it->c, it->n, it->path, keys, "a fault expectation") ||
        by_str(it->c, by_get(it->c, it->n, "fault"), p, e->process, sizeof e->process) || window(it) ||
        opt_int(it->c, it->n, it->path, "count", 100000, &e->count))
        return -1;
    by_path_key(p, it->path, "kind");
    if ((k = by_get(it->c, it->n, "kind")) && by_enum(it->c, k, p, scn_fault_names, &e->fault_kind))
        return -1;
    e->none = strcmp(e->process, "none") == 0;
    if (e->none && (k || by_get(it->c, it->n, "count")))
        return by_fail(it->c, it->n, it->path, "fault: none takes no kind or count; expected only from/until");
    if (strcmp(e->process, "any") == 0 || e->none)
        e->process[0] = '\0';
    return 0;
}

static int parse_exit(struct item *it)
{
    static const char *const keys[] = { "exit", NULL };
    struct scn_expect *e = it->e;
    yaml_node_t *v = by_get(it->c, it->n, "exit");
    char p[BY_PATH_LEN];
    uint32_t st;
    e->kind = SCN_EXIT;
    by_path_key(p, it->path, "exit");
    if (by_check_map(it->c, it->n, it->path, keys, "{exit: STATUS} or {exit: time_limit}"))
        return -1;
    if (strcmp(by_text(v), "time_limit") == 0) {
        e->exit_time_limit = true;
        return 0;
    }
    if (by_u32(it->c, v, p, 0, 255, 0, "(or time_limit)", &st))
        return -1;
    e->exit_status = (int)st;
    return 0;
}

static int parse_kind(struct item *it)
{
    struct byctx *c = it->c;
    if (!it->n || it->n->type != YAML_MAPPING_NODE)
        return by_fail(c, it->n, it->path, "is not a mapping; expected an expectation such as {console: TEXT}");
    if (by_get(c, it->n, "console"))
        return parse_console(it);
    if (by_get(c, it->n, "led") || by_get(c, it->n, "pin"))
        return parse_signal(it, by_get(c, it->n, "led") != NULL);
    if (by_get(c, it->n, "process"))
        return parse_process(it);
    if (by_get(c, it->n, "fault"))
        return parse_fault(it);
    if (by_get(c, it->n, "exit"))
        return parse_exit(it);
    return by_fail(c, it->n, it->path, "has no kind; expected one of the keys console, led, pin, process, "
                   "fault, exit");
}

/* ---- descriptions (reports, JUnit test case names) ------------------------------- */

static void describe_window(char *out, size_t len, const struct scn_expect *e, uint64_t limit)
{
    char a[32], b[32];
    scn_fmt_time(a, sizeof a, e->from_ns);
    scn_fmt_time(b, sizeof b, e->until_ns);
    if (e->from_ns == 0 && e->until_ns == limit)
        snprintf(out, len, "in the whole run");
    else
        snprintf(out, len, "in %s..%s", a, b);
}

static void describe_signal(char *out, size_t len, const struct scn_expect *e, const char *win)
{
    const char *what = e->sig.is_led ? "LED" : "pin";
    char t[32], per[32];
    scn_fmt_time(t, sizeof t, e->at_ns);
    scn_fmt_time(per, sizeof per, e->period_ns);
    if (e->kind == SCN_LEVEL && e->sig.is_led)
        snprintf(out, len, "LED %s is %s at %s", e->sig.name, e->level ? "on" : "off", t);
    else if (e->kind == SCN_LEVEL)
        snprintf(out, len, "pin %s is %d at %s", e->sig.name, e->level, t);
    else if (e->kind == SCN_BLINK)
        snprintf(out, len, "%s %s blinks: period %s +- %g %%, duty %g %% +- %g %% %s", what, e->sig.name, per,
                 e->tolerance * 100, e->duty * 100, e->duty_tolerance * 100, win);
    else if (e->max_toggles == 1000000000)
        snprintf(out, len, "%s %s toggles at least %d times %s", what, e->sig.name, e->min_toggles, win);
    else if (e->min_toggles == e->max_toggles)
        snprintf(out, len, "%s %s toggles %d times %s", what, e->sig.name, e->min_toggles, win);
    else
        snprintf(out, len, "%s %s toggles %d..%d times %s", what, e->sig.name, e->min_toggles, e->max_toggles, win);
}

static void describe_other(char *out, size_t len, const struct scn_expect *e, const char *win)
{
    static const char *const how[] = { "a line", "a line containing", "a line matching" };
    char t[32], cnt[32] = "";
    scn_fmt_time(t, sizeof t, e->at_ns);
    if (e->count > 0)
        snprintf(cnt, sizeof cnt, " %d times", e->count);
    switch (e->kind) {
    case SCN_CONSOLE:
        snprintf(out, len, "console: %s%s \"%.100s\"%s %s", e->count == 0 ? "never " : "", how[e->match],
                 e->text, cnt, win);
        break;
    case SCN_PROCESS:
        snprintf(cnt, sizeof cnt, ", restarts %d", e->restarts);
        snprintf(out, len, "process %s at %s: %s%s", e->process, t, e->state >= 0 ? scn_state_names[e->state] : "",
                 e->restarts < 0 ? "" : e->state >= 0 ? cnt : cnt + 2);
        break;
    case SCN_FAULT:
        if (e->none)
            snprintf(out, len, "no fault %s", win);
        else
            snprintf(out, len, "fault of %s (%s)%s %s", e->process[0] ? e->process : "any process",
                     scn_fault_names[e->fault_kind], cnt, win);
        break;
    default:
        if (e->exit_time_limit)
            snprintf(out, len, "the run reaches the time limit");
        else
            snprintf(out, len, "the run ends by a semihosting exit with status %d", e->exit_status);
        break;
    }
}

static void describe(struct scn_expect *e, uint64_t limit)
{
    char win[80];
    describe_window(win, sizeof win, e, limit);
    if (e->kind == SCN_LEVEL || e->kind == SCN_BLINK || e->kind == SCN_TOGGLES)
        describe_signal(e->desc, sizeof e->desc, e, win);
    else
        describe_other(e->desc, sizeof e->desc, e, win);
}

static int parse_expects(struct byctx *c, yaml_node_t *root, struct scenario *s)
{
    yaml_node_t *list;
    char p[BY_PATH_LEN];
    int n;
    if (by_req(c, root, "", "expect", "a list of expectations", &list) ||
        by_check_seq(c, list, "expect", SCN_MAX_EXPECTS, "a list of expectations", &n))
        return -1;
    if (n == 0)
        return by_fail(c, list, "expect", "is empty; expected at least one expectation");
    for (int i = 0; i < n; i++, s->nexpects++) {
        struct scn_expect *e = &s->expects[i];
        by_path_idx(p, "expect", i);
        struct item it = { c, by_seq_item(c, list, i), p, s, e };
        memset(e, 0, sizeof *e);
        e->line = by_line(it.n);
        if (parse_kind(&it))
            return -1;
        describe(e, s->time_limit_ns);
    }
    return 0;
}

/* ---- documents ------------------------------------------------------------------- */

static int yaml_fail(struct byctx *c, const yaml_parser_t *ps)
{
    int line = (int)(ps->error == YAML_READER_ERROR ? ps->mark.line : ps->problem_mark.line) + 1;
    snprintf(c->err, c->errlen, "%s:%d: (yaml syntax): %s; expected valid YAML", c->file, line,
             ps->problem ? ps->problem : "error");
    return -1;
}

static int parse_root(struct byctx *c, struct scenario *s)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    const char *what = "a mapping with the keys name, board, kernel, apps, time_limit, seed, inputs, expect";
    if (!root) {
        snprintf(c->err, c->errlen, "%s:1: (document): is empty; expected %s", c->file, what);
        return -1;
    }
    if (by_check_map(c, root, "", top_keys, what) || parse_header(c, root, s) || parse_inputs(c, root, s))
        return -1;
    return parse_expects(c, root, s);
}

static int load_doc(struct byctx *c, yaml_parser_t *ps, struct scenario *s)
{
    yaml_document_t doc, doc2;
    if (!yaml_parser_load(ps, &doc))
        return yaml_fail(c, ps);
    c->doc = &doc;
    int rc = parse_root(c, s);
    yaml_document_delete(&doc);
    c->doc = NULL;
    if (rc)
        return -1;
    if (!yaml_parser_load(ps, &doc2))
        return yaml_fail(c, ps);
    yaml_node_t *extra = yaml_document_get_root_node(&doc2);
    if (extra)
        rc = by_fail(c, extra, "(document)", "a second YAML document starts here; expected exactly one");
    yaml_document_delete(&doc2);
    return rc;
}

int scenario_load_string(const char *name, const char *yaml, size_t len, struct scenario *s,
                         char *err, size_t errlen)
{
    struct byctx c = { name, NULL, err, errlen };
    yaml_parser_t ps;
    memset(s, 0, sizeof *s);
    snprintf(s->file, sizeof s->file, "%s", name);
    if (!yaml_parser_initialize(&ps)) {
        snprintf(err, errlen, "%s: cannot start the YAML parser", name);
        return -1;
    }
    yaml_parser_set_input_string(&ps, (const unsigned char *)yaml, len);
    int rc = load_doc(&c, &ps, s);
    yaml_parser_delete(&ps);
    if (rc == 0 && !s->name[0]) {
        const char *base = strrchr(name, '/');
        snprintf(s->name, sizeof s->name, "%s", base ? base + 1 : name);
    }
    return rc;
}

int scenario_load(const char *path, struct scenario *s, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the scenario: %s; expected a readable YAML file "
                 "(docs/scenarios.md)", path, strerror(errno));
        return -1;
    }
    char *buf = malloc(SCN_MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, SCN_MAX_FILE + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad || n > SCN_MAX_FILE) {
        snprintf(err, errlen, "%s: %s; expected a scenario file of at most %d bytes", path,
                 bad ? "cannot read the file" : "the file is too large", SCN_MAX_FILE);
        free(buf);
        return -1;
    }
    int rc = scenario_load_string(path, buf, n, s, err, errlen);
    free(buf);
    return rc;
}

/* ---- checks against the board and the file system ---------------------------------- */

static int fail_at(const struct scenario *s, int line, char *err, size_t errlen, const char *fmt, const char *a,
                   const char *b)
{
    int k = snprintf(err, errlen, "%s:%d: ", s->file, line);
    if (k > 0 && (size_t)k < errlen)
        snprintf(err + k, errlen - (size_t)k, fmt, a, b);
    return -1;
}

static void list_names(char *out, size_t len, const struct board *b, bool leds)
{
    size_t o = 0;
    out[0] = '\0';
    int n = leds ? b->nleds : b->nbuttons;
    for (int i = 0; i < n && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%s", i ? ", " : "", leds ? b->leds[i].name : b->buttons[i].name);
}

static int resolve_signal(struct scn_signal *g, const struct board *b)
{
    struct board_pin pin;
    for (int i = 0; g->is_led && i < b->nleds; i++)
        if (strcmp(b->leds[i].name, g->name) == 0) {
            g->led = i;
            return 0;
        }
    if (g->is_led)
        return -1;
    for (int i = 0; i < b->nheader_pins; i++)
        if (strcmp(b->header_pins[i].label, g->name) == 0) {
            g->port = b->header_pins[i].pin.port;
            g->pin = b->header_pins[i].pin.index;
            return 0;
        }
    if (board_parse_pin(g->name, &pin) != 0 || pin.port >= board_gpio_port_count(b))
        return -1;
    g->port = pin.port;
    g->pin = pin.index;
    return 0;
}

static int check_file(const struct scenario *s, int line, const char *what, const char *path, char *err,
                      size_t errlen)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return 0;
    return fail_at(s, line, err, errlen, "%s: no such file '%s'; expected an existing file (build it: make)", what, path);
}

static int check_expects(struct scenario *s, const struct board *b, char *err, size_t errlen)
{
    char names[300];
    for (int i = 0; i < s->nexpects; i++) {
        struct scn_expect *e = &s->expects[i];
        if ((e->kind != SCN_LEVEL && e->kind != SCN_BLINK && e->kind != SCN_TOGGLES) ||
            resolve_signal(&e->sig, b) == 0)
            continue;
        list_names(names, sizeof names, b, true);
        if (e->sig.is_led)
            return fail_at(s, e->line, err, errlen, "led: the board has no LED '%s'; expected one of: %s",
                           e->sig.name, names);
        return fail_at(s, e->line, err, errlen, "pin: '%s' is not a pin of the board%s; expected a chip pin "
                       "such as PB14 or a header label such as D0", e->sig.name, "");
    }
    return 0;
}

int scenario_check_board(struct scenario *s, const struct board *b, char *err, size_t errlen)
{
    char names[300];
    for (int i = 0; i < s->ninputs; i++) {
        const struct input_spec *in = &s->inputs[i];
        bool ok = in->kind == INPUT_UART ? b->has_console : false;
        for (int k = 0; in->kind == INPUT_PRESS && k < b->nbuttons; k++)
            ok |= strcmp(b->buttons[k].name, in->button) == 0;
        list_names(names, sizeof names, b, false);
        if (!ok && in->kind == INPUT_UART)
            return fail_at(s, s->input_line[i], err, errlen, "uart: the board %s has no console UART%s; "
                           "expected a board with wiring.console", b->path, "");
        if (!ok)
            return fail_at(s, s->input_line[i], err, errlen, "press: the board has no button '%s'; expected "
                           "one of: %s", in->button, names);
    }
    if (check_expects(s, b, err, errlen) || check_file(s, s->kernel_line, "kernel", s->kernel, err, errlen))
        return -1;
    for (int i = 0; i < s->napps; i++)
        if (check_file(s, s->app_line[i], "apps", s->apps[i], err, errlen))
            return -1;
    return 0;
}
