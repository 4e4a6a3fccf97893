/*
 * test_upcall.c — the per-process task queue (kernel/upcall.c): FIFO order
 * across the ring's wrap, drop-and-count when full, removal by (driver,
 * subscribe) keeping the order of the rest, Null-Upcall head dropping.
 */
#include <check.h>

#include "kernel/upcall.h"

Suite *upcall_suite(void);

static struct task up(uint32_t driver, uint8_t sub, uint32_t fn, uint32_t a0)
{
    return (struct task){ .kind = TASK_UPCALL, .driver_num = driver, .subscribe_num = sub, .fn = fn,
                          .args = { a0, 0, 0, 0 } };
}

START_TEST(fifo_and_wrap)
{
    struct task_queue q;
    struct task t;
    task_queue_init(&q);
    ck_assert(!task_queue_pop(&q, &t));
    for (uint32_t round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < 7; i++)
            ck_assert(task_queue_push(&q, &(struct task){ .kind = TASK_UPCALL, .args = { round * 10 + i } }));
        for (uint32_t i = 0; i < 7; i++) {
            ck_assert(task_queue_pop(&q, &t));
            ck_assert_uint_eq(t.args[0], round * 10 + i);
        }
    }
    ck_assert_uint_eq(q.count, 0);
    ck_assert_uint_eq(q.dropped, 0);
}
END_TEST

START_TEST(full_drops_and_counts)
{
    struct task_queue q;
    struct task t;
    task_queue_init(&q);
    for (uint32_t i = 0; i < TASK_QUEUE_LEN; i++)
        ck_assert(task_queue_push(&q, &(struct task){ .args = { i } }));
    ck_assert(!task_queue_push(&q, &(struct task){ .args = { 99 } }));
    ck_assert(!task_queue_push(&q, &(struct task){ .args = { 98 } }));
    ck_assert_uint_eq(q.dropped, 2);
    ck_assert_uint_eq(q.count, TASK_QUEUE_LEN);
    for (uint32_t i = 0; i < TASK_QUEUE_LEN; i++) {
        ck_assert(task_queue_pop(&q, &t));
        ck_assert_uint_eq(t.args[0], i);
    }
}
END_TEST

START_TEST(take_match_keeps_order)
{
    struct task_queue q;
    struct task t;
    task_queue_init(&q);
    for (int i = 0; i < 6; i++)      /* move head off zero to exercise the wrap */
        task_queue_push(&q, &(struct task){ 0 }), task_queue_pop(&q, NULL);
    t = up(1, 1, 0x100, 1), task_queue_push(&q, &t);
    t = up(0, 0, 0x200, 2), task_queue_push(&q, &t);
    t = up(1, 1, 0x100, 3), task_queue_push(&q, &t);
    t = up(1, 2, 0x300, 4), task_queue_push(&q, &t);
    t = (struct task){ .kind = TASK_IPC, .driver_num = 1, .subscribe_num = 2 }, task_queue_push(&q, &t);
    t = up(0, 0, 0x200, 5), task_queue_push(&q, &t);
    ck_assert(task_queue_has_match(&q, 1, 2));
    ck_assert(!task_queue_has_match(&q, 7, 0));
    ck_assert(task_queue_take_match(&q, 1, 2, &t));
    ck_assert_uint_eq(t.args[0], 4);
    ck_assert(!task_queue_take_match(&q, 1, 2, &t));    /* the IPC task does not match */
    ck_assert(task_queue_take_match(&q, 0, 0, &t));
    ck_assert_uint_eq(t.args[0], 2);
    ck_assert_uint_eq(q.count, 4);
    uint32_t order[] = { 1, 3, 0, 5 };
    for (int i = 0; i < 4; i++) {
        ck_assert(task_queue_pop(&q, &t));
        ck_assert_uint_eq(t.args[0], order[i]);
    }
}
END_TEST

START_TEST(remove_matching)
{
    struct task_queue q;
    struct task t;
    task_queue_init(&q);
    for (uint32_t i = 0; i < TASK_QUEUE_LEN; i++) {
        t = up(i % 3 == 0 ? 5 : 6, 1, 0x10, i);
        task_queue_push(&q, &t);
    }
    task_queue_remove_matching(&q, 5, 1);
    ck_assert_uint_eq(q.count, 6);
    uint32_t prev = 0;
    for (int i = 0; i < 6; i++) {
        ck_assert(task_queue_pop(&q, &t));
        ck_assert_uint_eq(t.driver_num, 6);
        ck_assert(i == 0 || t.args[0] > prev);
        prev = t.args[0];
    }
    task_queue_remove_matching(&q, 5, 1);    /* empty: no-op */
    ck_assert_uint_eq(q.count, 0);
}
END_TEST

START_TEST(drop_null_head)
{
    struct task_queue q;
    struct task t;
    task_queue_init(&q);
    t = up(1, 1, 0, 1), task_queue_push(&q, &t);
    t = up(1, 1, 0, 2), task_queue_push(&q, &t);
    t = up(1, 1, 0x40, 3), task_queue_push(&q, &t);
    t = up(1, 1, 0, 4), task_queue_push(&q, &t);
    task_queue_drop_null_head(&q);
    ck_assert_uint_eq(q.count, 2);
    ck_assert(task_queue_pop(&q, &t));
    ck_assert_uint_eq(t.args[0], 3);
    task_queue_drop_null_head(&q);
    ck_assert_uint_eq(q.count, 0);
    t = (struct task){ .kind = TASK_FUNCTION_CALL, .fn = 0 }, task_queue_push(&q, &t);
    task_queue_drop_null_head(&q);      /* only upcalls are Null Upcalls */
    ck_assert_uint_eq(q.count, 1);
}
END_TEST

Suite *upcall_suite(void)
{
    Suite *s = suite_create("upcall");
    TCase *tc = tcase_create("task_queue");
    tcase_add_test(tc, fifo_and_wrap);
    tcase_add_test(tc, full_drops_and_counts);
    tcase_add_test(tc, take_match_keeps_order);
    tcase_add_test(tc, remove_matching);
    tcase_add_test(tc, drop_null_head);
    suite_add_tcase(s, tc);
    return s;
}
