/*
 * upcall.c — a process's fixed-length task queue (upcall.h): a ring of
 * TASK_QUEUE_LEN entries.  Full → the new task is dropped and counted.
 * Removal from the middle keeps the order of the remaining tasks.
 */
#include "kernel/upcall.h"

#include <string.h>

static struct task *at(struct task_queue *q, unsigned i)
{
    return &q->slot[(q->head + i) % TASK_QUEUE_LEN];
}

static bool matches(const struct task *t, uint32_t driver, uint8_t subscribe)
{
    return t->kind == TASK_UPCALL && t->driver_num == driver && t->subscribe_num == subscribe;
}

/* Removes the i-th task (0 = head), shifting the later ones forward. */
static void remove_at(struct task_queue *q, unsigned i)
{
    for (; i + 1 < q->count; i++)
        *at(q, i) = *at(q, i + 1);
    q->count--;
}

void task_queue_init(struct task_queue *q)
{
    memset(q, 0, sizeof *q);
}

bool task_queue_push(struct task_queue *q, const struct task *t)
{
    if (q->count >= TASK_QUEUE_LEN) {
        q->dropped++;
        return false;
    }
    *at(q, q->count) = *t;
    q->count++;
    return true;
}

bool task_queue_pop(struct task_queue *q, struct task *out)
{
    if (q->count == 0)
        return false;
    if (out)
        *out = *at(q, 0);
    q->head = (uint8_t)((q->head + 1) % TASK_QUEUE_LEN);
    q->count--;
    return true;
}

bool task_queue_take_match(struct task_queue *q, uint32_t driver, uint8_t subscribe, struct task *out)
{
    for (unsigned i = 0; i < q->count; i++) {
        if (matches(at(q, i), driver, subscribe)) {
            if (out)
                *out = *at(q, i);
            remove_at(q, i);
            return true;
        }
    }
    return false;
}

bool task_queue_has_match(const struct task_queue *q, uint32_t driver, uint8_t subscribe)
{
    for (unsigned i = 0; i < q->count; i++)
        if (matches(&q->slot[(q->head + i) % TASK_QUEUE_LEN], driver, subscribe))
            return true;
    return false;
}

void task_queue_remove_matching(struct task_queue *q, uint32_t driver, uint8_t subscribe)
{
    for (unsigned i = 0; i < q->count;) {
        if (matches(at(q, i), driver, subscribe))
            remove_at(q, i);
        else
            i++;
    }
}

void task_queue_drop_null_head(struct task_queue *q)
{
    while (q->count > 0 && at(q, 0)->kind == TASK_UPCALL && at(q, 0)->fn == 0)
        task_queue_pop(q, NULL);
}
