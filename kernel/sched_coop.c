/*
 * sched_coop.c — cooperative scheduler (tock-abi.md §8): round robin in slot
 * order with no timeslice; a process runs until it yields.  After a
 * KernelPreemption (an interrupt) the same process continues; otherwise the
 * next runnable process after it gets the CPU.
 */
#include "kernel/kernel.h"

static struct sched_decision coop_next(struct scheduler *s, struct kernel *k)
{
    struct sched_rr_state *st = s->state;
    int last = st->last;
    if (st->cont && last >= 0 && last < k->nprocs && process_is_runnable(k->procs[last]))
        return (struct sched_decision){ true, last, 0 };
    st->cont = false;
    int i = sched_next_runnable(k, last);
    if (i < 0)
        return (struct sched_decision){ false, -1, 0 };
    st->last = i;
    return (struct sched_decision){ true, i, 0 };
}

static void coop_result(struct scheduler *s, struct kernel *k, enum sched_result_reason why, uint32_t executed_us)
{
    (void)k, (void)executed_us;
    struct sched_rr_state *st = s->state;
    st->cont = why == SCHED_KERNEL_PREEMPTION;
}

void sched_cooperative_init(struct scheduler *s, struct sched_rr_state *st)
{
    *st = (struct sched_rr_state){ .last = -1, .timeslice_us = 0 };
    *s = (struct scheduler){ .name = "cooperative", .next = coop_next, .result = coop_result, .state = st };
}
