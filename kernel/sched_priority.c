/*
 * sched_priority.c — fixed priority (tock-abi.md §8): the runnable process
 * with the lowest slot index runs, with no timeslice.  continue_process stops
 * the current process when kernel work is pending or a higher-priority
 * (lower index) process has become runnable, so it is preempted.
 */
#include "kernel/kernel.h"

static struct sched_decision prio_next(struct scheduler *s, struct kernel *k)
{
    (void)s;
    for (int i = 0; i < k->nprocs && i < KERNEL_MAX_PROCS; i++)
        if (process_is_runnable(k->procs[i]))
            return (struct sched_decision){ true, i, 0 };
    return (struct sched_decision){ false, -1, 0 };
}

static void prio_result(struct scheduler *s, struct kernel *k, enum sched_result_reason why, uint32_t executed_us)
{
    (void)s, (void)k, (void)why, (void)executed_us;
}

static bool prio_continue(struct scheduler *s, struct kernel *k, int index)
{
    (void)s;
    if (k->deferred_pending || (k->chip && k->chip->has_pending_interrupts && k->chip->has_pending_interrupts()))
        return false;
    for (int i = 0; i < index && i < k->nprocs; i++)
        if (process_is_runnable(k->procs[i]))
            return false;
    return true;
}

void sched_priority_init(struct scheduler *s)
{
    *s = (struct scheduler){ .name = "priority", .next = prio_next, .result = prio_result,
                             .continue_process = prio_continue };
}
