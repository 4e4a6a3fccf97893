/*
 * scenario_eval.c — judging what a run observed (struct scn_obs) against a
 * scenario's expectations: pure functions, no simulator, so the unit tests
 * feed them synthetic observations.  Each failed expectation gets a message
 * "expected ...; seen ..." with virtual times.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procview.h"
#include "scenario_run.h"

/* ---- observations ------------------------------------------------------------------ */

static int grow(void **arr, int *cap, int n, size_t size)
{
    if (n < *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, (size_t)ncap * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

int scn_obs_line(struct scn_obs *o, uint64_t t_ns, const char *text)
{
    if (grow((void **)&o->lines, &o->caplines, o->nlines, sizeof *o->lines))
        return -1;
    struct scn_line *l = &o->lines[o->nlines++];
    l->t_ns = t_ns;
    snprintf(l->text, sizeof l->text, "%s", text);
    return 0;
}

int scn_obs_edge(struct scn_obs *o, int i, uint64_t t_ns, int level)
{
    if (grow((void **)&o->edges[i], &o->capedges[i], o->nedges[i], sizeof *o->edges[i]))
        return -1;
    o->edges[i][o->nedges[i]++] = (struct scn_edge){ t_ns, level };
    return 0;
}

int scn_obs_fault(struct scn_obs *o, uint64_t t_ns, const char *name, int kind)
{
    if (grow((void **)&o->faults, &o->capfaults, o->nfaults, sizeof *o->faults))
        return -1;
    struct scn_fault *f = &o->faults[o->nfaults++];
    f->t_ns = t_ns;
    snprintf(f->name, sizeof f->name, "%s", name);
    f->kind = kind;
    return 0;
}

void scn_obs_free(struct scn_obs *o)
{
    free(o->lines);
    free(o->faults);
    for (int i = 0; i < SCN_MAX_EXPECTS; i++)
        free(o->edges[i]);
    memset(o, 0, sizeof *o);
}

/* ---- helpers ------------------------------------------------------------------------- */

static double secs(uint64_t ns) { return (double)ns / 1e9; }

__attribute__((format(printf, 3, 4)))
static void verdict(struct scn_exp_result *r, bool ok, const char *fmt, ...)
{
    va_list ap;
    r->passed = ok;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
}

static bool in_window(const struct scn_expect *e, uint64_t t) { return t >= e->from_ns && t <= e->until_ns; }

void scn_describe_end(const struct scn_obs *o, char *out, size_t len)
{
    switch (o->stop) {
    case STOP_TIME_LIMIT: snprintf(out, len, "time limit at %.6f s", secs(o->end_ns)); break;
    case STOP_GUEST_EXIT:
        snprintf(out, len, "semihosting exit with status %d at %.6f s", o->exit_status, secs(o->end_ns));
        break;
    default: snprintf(out, len, "stopped: %s at %.6f s", o->stop_msg, secs(o->end_ns)); break;
    }
}

/* ---- console --------------------------------------------------------------------------- */

static bool line_matches(const struct scn_expect *e, const regex_t *re, const char *text)
{
    switch (e->match) {
    case SCN_MATCH_EXACT: return strcmp(text, e->text) == 0;
    case SCN_MATCH_CONTAINS: return strstr(text, e->text) != NULL;
    default: return regexec(re, text, 0, NULL, 0) == 0;
    }
}

/* Up to three times of matching lines, "at 0.1 s, 0.2 s, ..." */
static void list_times(char *out, size_t len, const uint64_t *t, int n)
{
    size_t k = (size_t)snprintf(out, len, "at");
    for (int i = 0; i < n && i < 4 && k < len; i++)
        k += (size_t)snprintf(out + k, len - k, "%s %.6f s", i ? "," : "", secs(t[i]));
    if (n > 4 && k < len)
        snprintf(out + k, len - k, ", ...");
}

/* Appends the first console lines of the window to a message (what was there instead). */
static void window_lines(const struct scn_expect *e, const struct scn_obs *o, struct scn_exp_result *r)
{
    size_t k = strlen(r->msg);
    int shown = 0;
    for (int i = 0; i < o->nlines && shown < 3 && k < sizeof r->msg; i++)
        if (in_window(e, o->lines[i].t_ns))
            k += (size_t)snprintf(r->msg + k, sizeof r->msg - k, "%s \"%.60s\" at %.6f s", shown++ ? "," :
                                  "; the window has", o->lines[i].text, secs(o->lines[i].t_ns));
    if (!shown && k < sizeof r->msg)
        snprintf(r->msg + k, sizeof r->msg - k, "; the window has no console lines");
}

static void eval_console(const struct scn_expect *e, const struct scn_obs *o, struct scn_exp_result *r)
{
    regex_t re;
    uint64_t in_t[5] = { 0 }, out_t[5] = { 0 };
    int nin = 0, nout = 0, last = -1;
    if (e->match == SCN_MATCH_REGEX && regcomp(&re, e->text, REG_EXTENDED | REG_NOSUB) != 0) {
        verdict(r, false, "the regular expression does not compile");
        return;
    }
    for (int i = 0; i < o->nlines; i++) {
        if (!line_matches(e, &re, o->lines[i].text))
            continue;
        bool w = in_window(e, o->lines[i].t_ns);
        if (w && nin < 5) in_t[nin] = o->lines[i].t_ns;
        if (!w && nout < 5) out_t[nout] = o->lines[i].t_ns;
        nin += w, nout += !w;
        if (w && last < 0) last = i;
    }
    if (e->match == SCN_MATCH_REGEX)
        regfree(&re);
    char when[120], other[160] = "";
    list_times(when, sizeof when, in_t, nin);
    if (nout) {
        char t[120];
        list_times(t, sizeof t, out_t, nout);
        snprintf(other, sizeof other, "; outside the window %d more %s", nout, t);
    }
    bool ok = e->count < 0 ? nin > 0 : nin == e->count;
    if (ok)
        verdict(r, true, "seen %d matching line%s%s%s", nin, nin == 1 ? "" : "s", nin ? " " : "", nin ? when : "");
    else if (e->count == 0)
        verdict(r, false, "expected no such line; seen \"%.120s\" %s", o->lines[last].text, when);
    else if (nin == 0) {
        verdict(r, false, "expected %s; seen no matching line in the window%s", e->count > 0 ? "matching lines"
                : "a matching line", other);
        window_lines(e, o, r);
    }
    else
        verdict(r, false, "expected %d matching lines; seen %d %s%s", e->count, nin, when, other);
}

/* ---- LEDs and pins ----------------------------------------------------------------------- */

static int level_at(const struct scn_expect *e, const struct scn_obs *o, int i, uint64_t t, uint64_t *since)
{
    int level = e->sig.is_led ? 0 : -1;
    *since = 0;
    for (int k = 0; k < o->nedges[i] && o->edges[i][k].t_ns <= t; k++) {
        level = o->edges[i][k].level;
        *since = o->edges[i][k].t_ns;
    }
    return level;
}

static const char *level_name(const struct scn_expect *e, int level)
{
    if (e->sig.is_led)
        return level == 1 ? "on" : "off";
    return level == 1 ? "1" : level == 0 ? "0" : "floating";
}

static void eval_level(const struct scn_expect *e, const struct scn_obs *o, int i, struct scn_exp_result *r)
{
    uint64_t since;
    if (o->end_ns < e->at_ns) {
        verdict(r, false, "expected %s at %.6f s; seen the run end earlier (%.6f s)", level_name(e, e->level),
                secs(e->at_ns), secs(o->end_ns));
        return;
    }
    int level = level_at(e, o, i, e->at_ns, &since);
    if (level == e->level)
        verdict(r, true, "seen %s (since %.6f s)", level_name(e, level), secs(since));
    else
        verdict(r, false, "expected %s at %.6f s; seen %s (since %.6f s)", level_name(e, e->level), secs(e->at_ns),
                level_name(e, level), secs(since));
}

static void eval_toggles(const struct scn_expect *e, const struct scn_obs *o, int i, struct scn_exp_result *r)
{
    int n = 0, prev = e->sig.is_led ? 0 : -1;
    uint64_t first = 0, lastt = 0;
    for (int k = 0; k < o->nedges[i]; k++) {
        const struct scn_edge *g = &o->edges[i][k];
        bool toggle = prev >= 0 && g->level >= 0 && g->level != prev;   /* 0 <-> 1, not floating */
        prev = g->level;
        if (!toggle || !in_window(e, g->t_ns))
            continue;
        if (!n++)
            first = g->t_ns;
        lastt = g->t_ns;
    }
    bool ok = n >= e->min_toggles && n <= e->max_toggles;
    if (ok && n)
        verdict(r, true, "seen %d toggle%s (%.6f s..%.6f s)", n, n == 1 ? "" : "s", secs(first), secs(lastt));
    else if (ok)
        verdict(r, true, "seen no toggles");
    else
        verdict(r, false, "expected %d..%d toggles in %.6f s..%.6f s; seen %d%s", e->min_toggles, e->max_toggles,
                secs(e->from_ns), secs(e->until_ns), n, n ? " (see the times in the trace)" : "");
}

struct blink_stats {
    int cycles, bad;
    uint64_t bad_at, bad_period;
    double bad_duty, min_p, max_p, min_d, max_d;
};

static void blink_cycle(const struct scn_expect *e, struct blink_stats *st, uint64_t rise, uint64_t fall,
                        uint64_t next)
{
    double p = (double)(next - rise), d = fall > rise && fall <= next ? (double)(fall - rise) / p : 1.0;
    double P = (double)e->period_ns;
    bool bad = p < P * (1 - e->tolerance) || p > P * (1 + e->tolerance) ||
               d < e->duty - e->duty_tolerance || d > e->duty + e->duty_tolerance;
    if (!st->cycles++ || p < st->min_p) st->min_p = p;
    if (p > st->max_p) st->max_p = p;
    if (st->cycles == 1 || d < st->min_d) st->min_d = d;
    if (d > st->max_d) st->max_d = d;
    if (bad && !st->bad++) {
        st->bad_at = rise;
        st->bad_period = next - rise;
        st->bad_duty = d;
    }
}

static void eval_blink(const struct scn_expect *e, const struct scn_obs *o, int i, struct scn_exp_result *r)
{
    struct blink_stats st = { 0 };
    uint64_t rise = 0, fall = 0;
    bool have_rise = false;
    int prev = e->sig.is_led ? 0 : -1;
    for (int k = 0; k < o->nedges[i]; k++) {
        const struct scn_edge *g = &o->edges[i][k];
        bool w = in_window(e, g->t_ns), up = g->level == 1 && prev != 1;
        if (w && up && have_rise)
            blink_cycle(e, &st, rise, fall, g->t_ns);
        if (w && up)
            rise = g->t_ns, have_rise = true;
        if (w && g->level != 1 && prev == 1)
            fall = g->t_ns;
        prev = g->level;
    }
    if (st.cycles < 2) {
        verdict(r, false, "expected a period of %.6f s; seen %d complete cycle%s in %.6f s..%.6f s (need 2)",
                secs(e->period_ns), st.cycles, st.cycles == 1 ? "" : "s", secs(e->from_ns), secs(e->until_ns));
        return;
    }
    if (!st.bad)
        verdict(r, true, "seen %d cycles: period %.6f..%.6f s, duty %.3f..%.3f %%", st.cycles, st.min_p / 1e9,
                st.max_p / 1e9, st.min_d * 100, st.max_d * 100);
    else
        verdict(r, false, "expected period %.6f s +- %g %%, duty %g %% +- %g %%; seen %d of %d cycles out of "
                "tolerance, first at %.6f s: period %.6f s, duty %.3f %% (all: period %.6f..%.6f s, duty "
                "%.3f..%.3f %%)", secs(e->period_ns), e->tolerance * 100, e->duty * 100, e->duty_tolerance * 100,
                st.bad, st.cycles, secs(st.bad_at), secs(st.bad_period), st.bad_duty * 100, st.min_p / 1e9,
                st.max_p / 1e9, st.min_d * 100, st.max_d * 100);
}

/* ---- processes, faults, the end ---------------------------------------------------------- */

static bool state_matches(int want, uint32_t state)
{
    if (want == SCN_STATE_STOPPED)
        return state >= 4 && state <= 6;
    if (want == SCN_STATE_ALIVE)
        return state >= 1 && state <= 6;
    return (uint32_t)want == state;
}

static void eval_process(const struct scn_expect *e, const struct scn_obs *o, int i, struct scn_exp_result *r)
{
    const struct scn_sample *s = &o->samples[i];
    char want[64] = "", rs[32] = "";
    if (e->restarts >= 0)
        snprintf(rs, sizeof rs, " restarts %d", e->restarts);
    snprintf(want, sizeof want, "%s%s", e->state >= 0 ? scn_state_names[e->state] : "", rs);
    if (!s->taken || !s->table || !s->found) {
        verdict(r, false, "expected %s at %.6f s; seen %s", want, secs(e->at_ns),
                !s->taken ? "the run end before that time" : !s->table ? "no valid kernel_awareness table"
                : s->procs[0] ? "no such process (the table has:" : "no processes in the table");
        if (s->taken && s->table && !s->found && s->procs[0])
            snprintf(r->msg + strlen(r->msg), sizeof r->msg - strlen(r->msg), " %s)", s->procs);
        return;
    }
    bool ok = (e->state < 0 || state_matches(e->state, s->state)) &&
              (e->restarts < 0 || (uint32_t)e->restarts == s->restarts);
    if (ok)
        verdict(r, true, "seen %s, restarts %u (sampled at %.6f s)", procview_state_name(s->state), s->restarts,
                secs(s->t_ns));
    else
        verdict(r, false, "expected %s at %.6f s; seen %s, restarts %u (sampled at %.6f s)", want, secs(e->at_ns),
                procview_state_name(s->state), s->restarts, secs(s->t_ns));
}

static const char *kind_text(int kind) { return kind ? scn_fault_names[kind] : "unknown kind"; }

static void eval_fault(const struct scn_expect *e, const struct scn_obs *o, struct scn_exp_result *r)
{
    int n = 0, first = -1;
    uint64_t t[5] = { 0 };
    for (int k = 0; k < o->nfaults; k++) {
        const struct scn_fault *f = &o->faults[k];
        if (!in_window(e, f->t_ns) || (e->process[0] && strcmp(f->name, e->process) != 0) ||
            (e->fault_kind && f->kind != e->fault_kind))
            continue;
        if (n < 5) t[n] = f->t_ns;
        if (first < 0) first = k;
        n++;
    }
    char when[120];
    list_times(when, sizeof when, t, n);
    bool stopped = o->stop != STOP_TIME_LIMIT && o->stop != STOP_GUEST_EXIT;
    if (e->none && (n || stopped)) {
        if (n)
            verdict(r, false, "expected no fault; seen %d: process '%s' (%s) %s", n, o->faults[first].name,
                    kind_text(o->faults[first].kind), when);
        else
            verdict(r, false, "expected no fault; seen the CPU stop: %s at %.6f s", o->stop_msg, secs(o->end_ns));
        return;
    }
    bool ok = e->none || (e->count < 0 ? n > 0 : n == e->count);
    if (ok)
        verdict(r, true, "seen %d fault%s%s%s", n, n == 1 ? "" : "s", n ? " " : "", n ? when : "");
    else
        verdict(r, false, "expected %s%d fault%s; seen %d %s (all faults in the run: %d)",
                e->count < 0 ? "at least " : "", e->count < 0 ? 1 : e->count, e->count == 1 ? "" : "s",
                n, n ? when : "", o->nfaults);
}

static void eval_exit(const struct scn_expect *e, const struct scn_obs *o, struct scn_exp_result *r)
{
    char end[300];
    scn_describe_end(o, end, sizeof end);
    bool ok = e->exit_time_limit ? o->stop == STOP_TIME_LIMIT
                                 : o->stop == STOP_GUEST_EXIT && o->exit_status == e->exit_status;
    if (ok)
        verdict(r, true, "seen %s", end);
    else if (e->exit_time_limit)
        verdict(r, false, "expected the time limit; seen %s", end);
    else
        verdict(r, false, "expected a semihosting exit with status %d; seen %s", e->exit_status, end);
}

void scn_evaluate(const struct scenario *s, const struct scn_obs *o, struct scn_result *r)
{
    r->state = SCN_DONE;
    r->nexpects = s->nexpects;
    r->nfailed = 0;
    scn_describe_end(o, r->ending, sizeof r->ending);
    for (int i = 0; i < s->nexpects; i++) {
        const struct scn_expect *e = &s->expects[i];
        struct scn_exp_result *x = &r->r[i];
        switch (e->kind) {
        case SCN_CONSOLE: eval_console(e, o, x); break;
        case SCN_LEVEL: eval_level(e, o, i, x); break;
        case SCN_BLINK: eval_blink(e, o, i, x); break;
        case SCN_TOGGLES: eval_toggles(e, o, i, x); break;
        case SCN_PROCESS: eval_process(e, o, i, x); break;
        case SCN_FAULT: eval_fault(e, o, x); break;
        case SCN_EXIT: eval_exit(e, o, x); break;
        }
        r->nfailed += !x->passed;
    }
}
