/*
 * test_ipc.c — the IPC driver (kernel/ipc.c, tock-abi.md §10): discovery by
 * package name from RO allow 0, notify service / client as TASK_IPC tasks,
 * delivery by the main loop with the caller's shared buffer mapped into the
 * target's MPU, and the error cases.  Uses test_syscall.c's fixture:
 * process 0 "alpha" and process 1 "beta".
 */
#include <check.h>
#include <string.h>

#include "kernel/kernel.h"

Suite *ipc_suite(void);

extern int fake_switch_calls;
void ktest_setup(void);
void ktest_teardown(void);
struct process *ktest_running(int i);
struct sysret ktest_call(struct process *p, uint8_t cls, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3);
extern struct kernel ktest_k;

#define IPC IPC_DRIVER_NUM

static struct process *A, *B;

static void setup(void)
{
    ktest_setup();
    A = ktest_running(0);
    B = ktest_running(1);
    ck_assert_uint_eq(ktest_call(A, 5, 0, A->mem_start + 1024, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(ktest_call(B, 5, 0, B->mem_start + 1024, 0, 0).variant, SYSRET_SUCCESS);
}

static struct sysret cmd(struct process *p, uint32_t c, uint32_t arg)
{
    return ktest_call(p, 2, IPC, c, arg, 0);
}

/* Puts `name` in p's RAM and allows it as RO buffer 0. */
static void search_for(struct process *p, const char *name)
{
    uint32_t at = p->mem_start + 512;
    memcpy((void *)(uintptr_t)at, name, strlen(name));
    ck_assert_uint_eq(ktest_call(p, 4, IPC, 0, at, (uint32_t)strlen(name)).variant, SYSRET_SUCCESS_2U32);
}

static void wait(struct process *p)
{
    ktest_call(p, 0, 1, 0, 0, 0);
    ck_assert_int_eq(p->state, PROC_YIELDED);
}

static uint32_t *frame(const struct process *p) { return (uint32_t *)(uintptr_t)p->regs.psp; }

START_TEST(exists_and_unknown_command)
{
    ck_assert_uint_eq(cmd(A, 0, 0).variant, SYSRET_SUCCESS);
    struct sysret r = cmd(A, 9, 0);
    ck_assert_uint_eq(r.variant, SYSRET_FAILURE);
    ck_assert_uint_eq(r.r1, ERR_NOSUPPORT);
}
END_TEST

START_TEST(discover_by_name)
{
    struct sysret r = cmd(A, 1, 0);
    ck_assert_uint_eq(r.variant, SYSRET_FAILURE);               /* nothing allowed */
    ck_assert_uint_eq(r.r1, ERR_INVAL);
    search_for(A, "beta");
    r = cmd(A, 1, 0);
    ck_assert_uint_eq(r.variant, SYSRET_SUCCESS_U32);
    ck_assert_uint_eq(r.r1, 1);
    search_for(A, "alpha");                                     /* a service finds itself */
    ck_assert_uint_eq(cmd(A, 1, 0).r1, 0);
    search_for(A, "bet");                                       /* exact length */
    r = cmd(A, 1, 0);
    ck_assert_uint_eq(r.variant, SYSRET_FAILURE);
    ck_assert_uint_eq(r.r1, ERR_NODEVICE);
    search_for(A, "betax");
    ck_assert_uint_eq(cmd(A, 1, 0).r1, ERR_NODEVICE);
    search_for(B, "alpha");
    ck_assert_uint_eq(cmd(B, 1, 0).r1, 0);
}
END_TEST

START_TEST(notify_service_with_shared_buffer)
{
    uint32_t buf = A->mem_start + 256, fn = B->app_start + 0x21;
    ck_assert_uint_eq(ktest_call(A, 3, IPC, 1, buf, 64).variant, SYSRET_SUCCESS_2U32);   /* shared with 1 */
    ck_assert_uint_eq(ktest_call(B, 1, IPC, 1, fn, 0xBEEF).variant, SYSRET_SUCCESS_2U32); /* own index */
    wait(B);
    ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);
    ck_assert_int_eq(B->tasks.count, 1);
    ck_assert_int_eq(B->tasks.slot[B->tasks.head].kind, TASK_IPC);
    wait(A);
    uint8_t regions = B->mpu.n;
    kernel_loop_once(&ktest_k);
    uint32_t *f = frame(B);
    ck_assert_uint_eq(f[0], 0);                                 /* caller index */
    ck_assert_uint_eq(f[1], 64);
    ck_assert_uint_eq(f[2], buf);
    ck_assert_uint_eq(f[3], 0xBEEF);
    ck_assert_uint_eq(f[6], fn | 1u);
    ck_assert_uint_eq(B->mpu.n, regions + 1);                   /* A's buffer mapped for B */
    ck_assert_int_eq(fake_switch_calls, 1);
}
END_TEST

/* The mapping lasts while A shares that buffer: a new allow under B's index
 * unmaps it at once, and so does A's end. */
START_TEST(revoked_or_dead_sharer_is_unmapped)
{
    uint32_t buf = A->mem_start + 256, fn = B->app_start + 0x21;
    uint8_t regions = B->mpu.n;
    ck_assert_uint_eq(ktest_call(A, 3, IPC, 1, buf, 64).variant, SYSRET_SUCCESS_2U32);
    ck_assert_uint_eq(ktest_call(B, 1, IPC, 1, fn, 0).variant, SYSRET_SUCCESS_2U32);
    wait(B);
    ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);
    wait(A);
    kernel_loop_once(&ktest_k);
    ck_assert_uint_eq(B->mpu.n, regions + 1);
    ck_assert_uint_eq(B->n_ipc_maps, 1);
    uint32_t version = B->mpu.version;
    ck_assert_uint_eq(ktest_call(A, 3, IPC, 1, 0, 0).variant, SYSRET_SUCCESS_2U32);    /* taken back */
    ck_assert_uint_eq(B->mpu.n, regions);
    ck_assert_uint_eq(B->n_ipc_maps, 0);
    ck_assert_uint_ne(B->mpu.version, version);                /* the kernel reapplies B's MPU */

    ck_assert_uint_eq(ktest_call(A, 3, IPC, 1, buf, 64).variant, SYSRET_SUCCESS_2U32);  /* shared again */
    ck_assert_uint_eq(B->mpu.n, regions);                      /* not mapped before a notify */
    ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);
    kernel_loop_once(&ktest_k);
    ck_assert_uint_eq(B->mpu.n, regions + 1);
    process_terminate(&ktest_k, A, false, 0);                  /* the sharer ends */
    ck_assert_uint_eq(B->mpu.n, regions);
    ck_assert_uint_eq(B->n_ipc_maps, 0);
}
END_TEST

START_TEST(notify_client)
{
    uint32_t buf = B->mem_start + 128, fn = A->app_start + 0x31;
    ck_assert_uint_eq(ktest_call(B, 3, IPC, 0, buf, 32).variant, SYSRET_SUCCESS_2U32);   /* shared with 0 */
    ck_assert_uint_eq(ktest_call(A, 1, IPC, 1, fn, 0x77).variant, SYSRET_SUCCESS_2U32);  /* service's index */
    wait(A);
    ck_assert_uint_eq(cmd(B, 3, 0).variant, SYSRET_SUCCESS);
    wait(B);
    kernel_loop_once(&ktest_k);
    uint32_t *f = frame(A);
    ck_assert_uint_eq(f[0], 1);
    ck_assert_uint_eq(f[1], 32);
    ck_assert_uint_eq(f[2], buf);
    ck_assert_uint_eq(f[3], 0x77);
    ck_assert_uint_eq(f[6], fn | 1u);
}
END_TEST

START_TEST(notify_without_buffer)
{
    uint32_t fn = B->app_start + 0x21;
    ktest_call(B, 1, IPC, 1, fn, 5);
    wait(B);
    uint8_t regions = B->mpu.n;
    ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);
    wait(A);
    kernel_loop_once(&ktest_k);
    uint32_t *f = frame(B);
    ck_assert_uint_eq(f[0], 0);
    ck_assert_uint_eq(f[1], 0);
    ck_assert_uint_eq(f[2], 0);
    ck_assert_uint_eq(f[3], 5);
    ck_assert_uint_eq(B->mpu.n, regions);
}
END_TEST

START_TEST(notify_unsubscribed_is_dropped)
{
    wait(B);
    ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);    /* succeeds anyway */
    wait(A);
    kernel_loop_once(&ktest_k);
    ck_assert_int_eq(fake_switch_calls, 0);
    ck_assert_int_eq(B->state, PROC_YIELDED);
    ck_assert_int_eq(B->tasks.count, 0);
}
END_TEST

START_TEST(notify_errors)
{
    struct sysret r = cmd(A, 2, 5);
    ck_assert_uint_eq(r.variant, SYSRET_FAILURE);
    ck_assert_uint_eq(r.r1, ERR_INVAL);
    ck_assert_uint_eq(cmd(A, 3, 0xFFFFFFFFu).r1, ERR_INVAL);
    ktest_call(B, 1, IPC, 1, B->app_start + 0x21, 5);          /* B handles A's notifications */
    for (int i = 0; i < TASK_QUEUE_LEN; i++)
        ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);
    r = cmd(A, 2, 1);
    ck_assert_uint_eq(r.variant, SYSRET_FAILURE);
    ck_assert_uint_eq(r.r1, ERR_NOMEM);
    ck_assert_uint_eq(B->tasks.dropped, 1);
    ktest_call(B, 6, 0, 0, 0, 0);                               /* exit */
    ck_assert_uint_eq(cmd(A, 2, 1).r1, ERR_INVAL);
}
END_TEST

START_TEST(caller_gone_drops_event)
{
    ktest_call(B, 1, IPC, 1, B->app_start + 0x21, 5);
    wait(B);
    ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);
    ktest_call(A, 6, 1, 0, 0, 0);                               /* restart: new process id */
    A->tasks.count = 0;
    kernel_loop_once(&ktest_k);
    ck_assert_int_eq(B->state, PROC_YIELDED);
    ck_assert_int_eq(B->tasks.count, 0);
    ck_assert_int_eq(fake_switch_calls, 0);
}
END_TEST

START_TEST(ipc_tasks_survive_subscribe_and_wait_for)
{
    ktest_call(B, 1, IPC, 1, B->app_start + 0x21, 5);
    ck_assert_uint_eq(cmd(A, 2, 1).variant, SYSRET_SUCCESS);
    ck_assert_int_eq(B->tasks.count, 1);
    ktest_call(B, 1, IPC, 1, B->app_start + 0x41, 5);          /* re-subscribing does not cancel IPC tasks */
    ck_assert_int_eq(B->tasks.count, 1);
    ktest_call(B, 0, 2, IPC, 1, 0);                             /* not an upcall event: keeps waiting */
    ck_assert_int_eq(B->state, PROC_YIELDED_FOR);
    ck_assert_int_eq(B->tasks.count, 1);
}
END_TEST

Suite *ipc_suite(void)
{
    Suite *s = suite_create("ipc");
    TCase *tc = tcase_create("driver");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, exists_and_unknown_command);
    tcase_add_test(tc, discover_by_name);
    tcase_add_test(tc, notify_service_with_shared_buffer);
    tcase_add_test(tc, notify_client);
    tcase_add_test(tc, notify_without_buffer);
    tcase_add_test(tc, notify_unsubscribed_is_dropped);
    tcase_add_test(tc, notify_errors);
    tcase_add_test(tc, caller_gone_drops_event);
    tcase_add_test(tc, ipc_tasks_survive_subscribe_and_wait_for);
    tcase_add_test(tc, revoked_or_dead_sharer_is_unmapped);
    suite_add_tcase(s, tc);
    return s;
}
