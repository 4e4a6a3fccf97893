/*
 * evq.h — the virtual-time event queue.  Timer models (SysTick, later the
 * AST, UART byte timing) and scheduled external inputs post events at an
 * absolute cycle; the CPU loop fires every event that is due at a block
 * boundary and fast-forwards to the next one on WFI.  Fixed capacity, no
 * allocation; each event source owns one slot (an evq_timer) that it re-arms.
 */
#ifndef HAILSIM_EVQ_H
#define HAILSIM_EVQ_H

#include <stdbool.h>
#include <stdint.h>

#define EVQ_NEVER UINT64_MAX

struct evq;
typedef void (*evq_fn)(void *ctx, uint64_t now);

struct evq_timer {
    uint64_t when;              /* absolute cycle, EVQ_NEVER when idle */
    uint64_t seq;               /* arming order: ties fire first-armed first */
    evq_fn fn;
    void *ctx;
    const char *name;
};

#define EVQ_MAX_TIMERS 64

struct evq {
    int ntimers;
    struct evq_timer *timers[EVQ_MAX_TIMERS];
    uint64_t next_when;         /* cached minimum of timers[].when */
    uint64_t seq;
    uint64_t *watch;            /* kept at or below next_when when a timer is armed (evq_watch) */
};

void evq_init(struct evq *q);
/* `*bound` is lowered to a timer's time whenever one is armed earlier than
 * it: the CPU's block hook keeps its fast path below that bound (cpu.c). */
void evq_watch(struct evq *q, uint64_t *bound);
/* Recomputes next_when from the timers (after their times were restored). */
void evq_recompute(struct evq *q);
/* Registers a timer slot (idle).  Returns 0, or -1 when the queue is full. */
int evq_add_timer(struct evq *q, struct evq_timer *t, const char *name, evq_fn fn, void *ctx);
/* Unregisters a timer slot (before its owner frees it); touches no other slot. */
void evq_remove_timer(struct evq *q, struct evq_timer *t);
void evq_arm(struct evq *q, struct evq_timer *t, uint64_t when);
void evq_cancel(struct evq *q, struct evq_timer *t);
static inline uint64_t evq_next(const struct evq *q) { return q->next_when; }
/* Fires every timer due at or before `now`, earliest first.  Returns how many fired. */
int evq_run_due(struct evq *q, uint64_t now);

#endif
