/*
 * sched_rr.c — round robin (tock-abi.md §8, Hail's scheduler): processes in
 * slot order, each with a SysTick timeslice (default 10 ms).  After a
 * KernelPreemption the same process continues with what is left of its
 * slice, unless that is <= SCHED_MIN_QUANTUM_US (then it counts as expired);
 * after anything else it goes to the back (the scan restarts after it).
 */
#include "kernel/kernel.h"

#define RR_MAX 32
#define DEFAULT_TIMESLICE_US 10000u

static int nslots(const struct kernel *k) { return k->nprocs < RR_MAX ? k->nprocs : RR_MAX; }

int sched_next_runnable(struct kernel *k, int after)
{
    int n = nslots(k);
    if (after < 0 || after >= n)
        after = n - 1;
    for (int j = 1; j <= n; j++) {
        int i = (after + j) % n;
        if (process_is_runnable(k->procs[i]))
            return i;
    }
    return -1;
}

static bool valid(const struct kernel *k, int i) { return i >= 0 && i < nslots(k); }

static struct sched_decision rr_next(struct scheduler *s, struct kernel *k)
{
    struct sched_rr_state *st = s->state;
    int last = st->last;
    if (st->cont && valid(k, last) && process_is_runnable(k->procs[last]) &&
        st->remaining_us[last] > SCHED_MIN_QUANTUM_US)
        return (struct sched_decision){ true, last, st->remaining_us[last] };
    st->cont = false;
    int i = sched_next_runnable(k, last);
    if (i < 0)
        return (struct sched_decision){ false, -1, 0 };
    st->last = i;
    st->remaining_us[i] = st->timeslice_us;
    return (struct sched_decision){ true, i, st->timeslice_us };
}

static void rr_result(struct scheduler *s, struct kernel *k, enum sched_result_reason why, uint32_t executed_us)
{
    struct sched_rr_state *st = s->state;
    if (!valid(k, st->last))
        return;
    uint32_t *rem = &st->remaining_us[st->last];
    *rem = *rem > executed_us ? *rem - executed_us : 0;
    st->cont = why == SCHED_KERNEL_PREEMPTION && *rem > SCHED_MIN_QUANTUM_US;
    if (!st->cont)
        *rem = 0;
}

void sched_round_robin_init(struct scheduler *s, struct sched_rr_state *st, uint32_t timeslice_us)
{
    *st = (struct sched_rr_state){ .last = -1, .timeslice_us = timeslice_us ? timeslice_us : DEFAULT_TIMESLICE_US };
    *s = (struct scheduler){ .name = "round-robin", .next = rr_next, .result = rr_result, .state = st };
}
