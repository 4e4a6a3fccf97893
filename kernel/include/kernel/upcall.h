/*
 * upcall.h — a process's fixed-length task queue (10 entries, like Tock):
 * upcalls to deliver, the entry-point function call, IPC notifications.
 * A full queue drops the new task and counts it.  Pure data structure.
 */
#ifndef KERNEL_UPCALL_H
#define KERNEL_UPCALL_H

#include "kernel/types.h"

#define TASK_QUEUE_LEN 10

enum task_kind { TASK_UPCALL, TASK_FUNCTION_CALL, TASK_IPC };

struct task {
    uint8_t kind;
    uint8_t subscribe_num;
    uint32_t driver_num;
    uint32_t fn;                 /* upcall / function address, 0 = Null Upcall (yield-wait-for) */
    uint32_t args[4];            /* r0-r3 */
};

struct task_queue {
    uint8_t head, count;
    uint32_t dropped;
    struct task slot[TASK_QUEUE_LEN];
};

void task_queue_init(struct task_queue *q);
bool task_queue_push(struct task_queue *q, const struct task *t);    /* false (and dropped++) when full */
bool task_queue_pop(struct task_queue *q, struct task *out);
/* Removes and returns the first task for (driver, subscribe); false if none. */
bool task_queue_take_match(struct task_queue *q, uint32_t driver, uint8_t subscribe, struct task *out);
/* Is a task for (driver, subscribe) queued?  (added: yield-wait-for readiness) */
bool task_queue_has_match(const struct task_queue *q, uint32_t driver, uint8_t subscribe);
/* Removes every task for (driver, subscribe) (a new Subscribe cancels them). */
void task_queue_remove_matching(struct task_queue *q, uint32_t driver, uint8_t subscribe);
/* Removes Null-Upcall tasks (fn == 0) at the head (yield-wait discards them). */
void task_queue_drop_null_head(struct task_queue *q);

#endif
