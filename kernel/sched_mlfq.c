/*
 * sched_mlfq.c — multilevel feedback queue (tock-abi.md §8): 3 levels with
 * quanta 10 / 20 / 50 ms.  A process that uses up its level's quantum (or is
 * left with <= SCHED_MIN_QUANTUM_US of it) drops one level; every 5 s of
 * executed time (the scheduler has no clock of its own: it sums the
 * executed_us reports) all processes go back to the top.  Within a level the
 * order is round robin in slot order after the last process run; after a
 * KernelPreemption the same process continues with the rest of its quantum.
 */
#include "kernel/kernel.h"

#define LEVELS 3
#define MLFQ_MAX 32
#define BOOST_US 5000000u

static const uint32_t quantum_us[LEVELS] = { 10000u, 20000u, 50000u };

static int nslots(const struct kernel *k) { return k->nprocs < MLFQ_MAX ? k->nprocs : MLFQ_MAX; }

static uint32_t left_us(const struct sched_mlfq_state *st, int i)
{
    uint32_t q = quantum_us[st->queue[i]];
    return st->used_us[i] < q ? q - st->used_us[i] : 0;
}

static void boost(struct sched_mlfq_state *st)
{
    for (int i = 0; i < MLFQ_MAX; i++)
        st->queue[i] = 0, st->used_us[i] = 0;
    st->since_boost_us = 0;
    st->cont = false;
}

/* The first runnable process of `level` after st->last in cyclic slot order. */
static int pick_in_level(struct kernel *k, struct sched_mlfq_state *st, int level)
{
    int n = nslots(k), after = st->last >= 0 && st->last < n ? st->last : n - 1;
    for (int j = 1; j <= n; j++) {
        int i = (after + j) % n;
        if (st->queue[i] == level && process_is_runnable(k->procs[i]))
            return i;
    }
    return -1;
}

static struct sched_decision mlfq_next(struct scheduler *s, struct kernel *k)
{
    struct sched_mlfq_state *st = s->state;
    if (st->since_boost_us >= BOOST_US)
        boost(st);
    int last = st->last;
    if (st->cont && last >= 0 && last < nslots(k) && process_is_runnable(k->procs[last]))
        return (struct sched_decision){ true, last, left_us(st, last) };
    st->cont = false;
    for (int level = 0; level < LEVELS; level++) {
        int i = pick_in_level(k, st, level);
        if (i >= 0) {
            st->last = i;
            return (struct sched_decision){ true, i, left_us(st, i) };
        }
    }
    return (struct sched_decision){ false, -1, 0 };
}

static void demote(struct sched_mlfq_state *st, int i)
{
    if (st->queue[i] < LEVELS - 1)
        st->queue[i]++;
    st->used_us[i] = 0;
}

static void mlfq_result(struct scheduler *s, struct kernel *k, enum sched_result_reason why, uint32_t executed_us)
{
    struct sched_mlfq_state *st = s->state;
    st->since_boost_us += executed_us;
    int i = st->last;
    st->cont = false;
    if (i < 0 || i >= nslots(k))
        return;
    st->used_us[i] += executed_us;
    if (why == SCHED_TIMESLICE_EXPIRED || left_us(st, i) <= SCHED_MIN_QUANTUM_US)
        demote(st, i);
    else
        st->cont = why == SCHED_KERNEL_PREEMPTION;
}

void sched_mlfq_init(struct scheduler *s, struct sched_mlfq_state *st)
{
    *st = (struct sched_mlfq_state){ .last = -1 };
    *s = (struct scheduler){ .name = "mlfq", .next = mlfq_next, .result = mlfq_result, .state = st };
}
