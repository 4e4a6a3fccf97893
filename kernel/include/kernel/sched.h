/*
 * sched.h — the scheduler interface (Tock's Scheduler trait) and the four
 * schedulers a board can choose: round robin (SysTick timeslices),
 * cooperative, priority (lowest slot index first) and MLFQ (3 queues,
 * 10/20/50 ms, all promoted every 5 s).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/types.h"

struct kernel;

enum sched_result_reason {
    SCHED_NO_WORK_LEFT, SCHED_STOPPED_FAULTED, SCHED_STOPPED, SCHED_TIMESLICE_EXPIRED, SCHED_KERNEL_PREEMPTION
};

struct sched_decision {
    bool run;                   /* false: try to sleep */
    int index;                  /* process slot to run */
    uint32_t timeslice_us;      /* 0 = no timeslice (run until it yields) */
};

#define SCHED_MIN_QUANTUM_US 500u   /* do not (re)enter a process with less left than this */

struct scheduler {
    const char *name;
    struct sched_decision (*next)(struct scheduler *s, struct kernel *k);
    void (*result)(struct scheduler *s, struct kernel *k, enum sched_result_reason why, uint32_t executed_us);
    /* defaults exist for the last three (NULL = Tock's default behaviour) */
    void (*execute_kernel_work)(struct scheduler *s, struct kernel *k);
    bool (*do_kernel_work_now)(struct scheduler *s, struct kernel *k);
    bool (*continue_process)(struct scheduler *s, struct kernel *k, int index);
    void *state;
};

/* Each returns a ready-to-use scheduler backed by storage the caller owns. */
/* cont (added): the last process was preempted by kernel work and continues next */
struct sched_rr_state { int last; uint32_t timeslice_us; uint32_t remaining_us[32]; bool cont; };
struct sched_mlfq_state { uint8_t queue[32]; uint32_t used_us[32]; uint32_t since_boost_us; int last; bool cont; };
void sched_round_robin_init(struct scheduler *s, struct sched_rr_state *st, uint32_t timeslice_us);
void sched_cooperative_init(struct scheduler *s, struct sched_rr_state *st);
void sched_priority_init(struct scheduler *s);
void sched_mlfq_init(struct scheduler *s, struct sched_mlfq_state *st);
/* (added) The first runnable slot after `after` in cyclic order (after itself
 * last), considering slots below min(nprocs, 32); -1 if none.  `after` < 0:
 * start at slot 0. */
int sched_next_runnable(struct kernel *k, int after);

#endif
