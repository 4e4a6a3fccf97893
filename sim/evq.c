/*
 * evq.c — the virtual-time event queue (see evq.h).  A handful of timers
 * exist (one per timer source), so a linear scan for the minimum is both
 * simple and fast; the minimum is cached so the per-block check in the CPU
 * loop is one comparison.
 */
#include <stddef.h>

#include "evq.h"

void evq_recompute(struct evq *q)
{
    uint64_t min = EVQ_NEVER;
    for (int i = 0; i < q->ntimers; i++)
        if (q->timers[i]->when < min)
            min = q->timers[i]->when;
    q->next_when = min;
}

void evq_init(struct evq *q)
{
    q->ntimers = 0;
    q->next_when = EVQ_NEVER;
    q->seq = 0;
    q->watch = NULL;
}

void evq_watch(struct evq *q, uint64_t *bound)
{
    q->watch = bound;
}

int evq_add_timer(struct evq *q, struct evq_timer *t, const char *name, evq_fn fn, void *ctx)
{
    if (q->ntimers >= EVQ_MAX_TIMERS)
        return -1;
    t->when = EVQ_NEVER;
    t->seq = 0;
    t->fn = fn;
    t->ctx = ctx;
    t->name = name;
    q->timers[q->ntimers++] = t;
    return 0;
}

void evq_remove_timer(struct evq *q, struct evq_timer *t)
{
    t->when = EVQ_NEVER;
    for (int i = 0; i < q->ntimers; i++)
        if (q->timers[i] == t) {
            q->timers[i] = q->timers[--q->ntimers];
            break;
        }
    /* a stale, too early next_when only costs one empty check */
}

void evq_arm(struct evq *q, struct evq_timer *t, uint64_t when)
{
    t->when = when;
    t->seq = ++q->seq;
    if (q->watch && when < *q->watch)
        *q->watch = when;
    if (when < q->next_when)
        q->next_when = when;
    else
        evq_recompute(q);
}

void evq_cancel(struct evq *q, struct evq_timer *t)
{
    t->when = EVQ_NEVER;
    evq_recompute(q);
}

/* The due timer with the smallest (when, seq), or NULL. */
static struct evq_timer *evq_first_due(struct evq *q, uint64_t now)
{
    struct evq_timer *best = NULL;
    for (int i = 0; i < q->ntimers; i++) {
        struct evq_timer *t = q->timers[i];
        if (t->when > now)
            continue;
        if (!best || t->when < best->when || (t->when == best->when && t->seq < best->seq))
            best = t;
    }
    return best;
}

int evq_run_due(struct evq *q, uint64_t now)
{
    int fired = 0;
    struct evq_timer *t;
    while (q->next_when <= now && (t = evq_first_due(q, now)) != NULL) {
        uint64_t when = t->when;
        t->when = EVQ_NEVER;
        evq_recompute(q);
        t->fn(t->ctx, when);
        fired++;
    }
    return fired;
}
