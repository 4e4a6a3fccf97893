/*
 * test_syscall.c — the system-call layer (kernel/syscall.c, tock-abi.md §1,
 * §4): every class, every return variant and error code, swap semantics,
 * pointer validation edge cases, yield no-wait / wait / wait-for, memop,
 * exit, and kernel_schedule_upcall / kernel_get_allow.  Also holds the
 * fixture shared with test_kernel.c and test_ipc.c (ktest_*): Hail memory
 * mapped at its real addresses, TBF images in app flash, a kernel with a
 * fake driver + grant, the IPC driver and a tiny "first runnable" scheduler.
 */
#include <check.h>
#include <string.h>

#include "kernel/kernel.h"

Suite *syscall_suite(void);

/* ---- from fake_arch.c ---------------------------------------------------------- */
bool fake_hail_memory(void);
void fake_syscall_reset(void);
extern struct arch_syscall fake_syscall;
extern bool fake_syscall_bad;
extern struct sysret fake_sysret;
extern int fake_sysret_count;
extern uint32_t fake_ret_regs[4];

/* ---- the shared fixture ------------------------------------------------------------ */
#define KT_FLASH 0x30000u
#define KT_FLASH_END 0x70000u
#define KT_POOL 0x20004000u
#define KT_POOL_END 0x20010000u
#define KT_DRV 0x99u
#define KT_DRV_NOGRANT 0x98u

struct ktest_app {
    const char *name;
    uint32_t total, min_ram, trailer, flags;
    int n_wfr;
    uint32_t wfr_off[2], wfr_size[2];
    bool fixed, no_kversion, padding;
    uint32_t fixed_ram, fixed_flash;
};

struct ktest_cmd_log { int calls; uint32_t cmd, a1, a2; processid_t pid; int allow_calls; bool rw; uint32_t num; };

void ktest_setup(void);
void ktest_teardown(void);
uint32_t ktest_put_tbf(uint32_t addr, const struct ktest_app *a);
struct process *ktest_running(int i);
struct sysret ktest_call(struct process *p, uint8_t cls, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3);
void ktest_queue(struct process *p, uint32_t driver, uint8_t num, uint32_t fn, uint32_t a0);

struct kernel ktest_k;
struct scheduler ktest_sched;
struct chip_ops ktest_chip;
struct grant ktest_grant = { .driver_num = KT_DRV, .data_size = 16, .n_upcalls = 3, .n_ro_allows = 2,
                             .n_rw_allows = 2 };
struct ktest_cmd_log ktest_log;
bool ktest_irq_pending;
int ktest_services, ktest_sleeps, ktest_results;
bool ktest_sleep_masked;
enum sched_result_reason ktest_last_why;
uint32_t ktest_last_used, ktest_slice_us;
extern bool fake_irq_masked;

static struct sysret kt_command(void *ctx, uint32_t cmd, uint32_t a1, uint32_t a2, processid_t pid)
{
    (void)ctx;
    ktest_log.calls++, ktest_log.cmd = cmd, ktest_log.a1 = a1, ktest_log.a2 = a2, ktest_log.pid = pid;
    return cmd == 0 ? sysret_success() : cmd == 1 ? sysret_success_u32(a1 + a2) : sysret_failure(ERR_NOSUPPORT);
}

static void kt_allow_changed(void *ctx, processid_t pid, bool rw, uint32_t num)
{
    (void)ctx, (void)pid;
    ktest_log.allow_calls++, ktest_log.rw = rw, ktest_log.num = num;
}

static const struct syscall_driver kt_driver = { KT_DRV, NULL, kt_command, kt_allow_changed, &ktest_grant };
static const struct syscall_driver kt_nogrant = { KT_DRV_NOGRANT, NULL, kt_command, NULL, NULL };

static void kt_service(void) { ktest_services++; ktest_irq_pending = false; }
static bool kt_pending(void) { return ktest_irq_pending; }
static void kt_sleep(void) { ktest_sleeps++; ktest_sleep_masked = fake_irq_masked; }

static struct sched_decision kt_next(struct scheduler *s, struct kernel *k)
{
    (void)s;
    for (int i = 0; i < k->nprocs; i++)
        if (process_is_runnable(k->procs[i]))
            return (struct sched_decision){ true, i, ktest_slice_us };
    return (struct sched_decision){ false, 0, 0 };
}

static void kt_result(struct scheduler *s, struct kernel *k, enum sched_result_reason why, uint32_t used)
{
    (void)s, (void)k;
    ktest_results++, ktest_last_why = why, ktest_last_used = used;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v), put16(p + 2, v >> 16); }
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static uint32_t tlv(uint8_t *b, uint32_t off, uint32_t type, const void *v, uint32_t len)
{
    put16(b + off, type), put16(b + off + 2, len);
    memcpy(b + off + 4, v, len);
    return off + 4 + ((len + 3) & ~3u);
}

static uint32_t tlv_words(uint8_t *b, uint32_t off, uint32_t type, int n, const uint32_t *w)
{
    uint8_t p[64];
    for (int i = 0; i < n; i++)
        put32(p + 4 * i, w[i]);
    return tlv(b, off, type, p, 4u * (uint32_t)n);
}

/* Writes an elf2tab-like TBF object at addr; returns its total size. */
uint32_t ktest_put_tbf(uint32_t addr, const struct ktest_app *a)
{
    uint8_t *b = (uint8_t *)(uintptr_t)addr;
    uint32_t off = 16, total = a->total ? a->total : 1024;
    memset(b, 0, total);
    put16(b, 2), put32(b + 4, total), put32(b + 8, a->flags);
    if (!a->padding) {
        off = tlv_words(b, off, 9, 5, (const uint32_t[]){ a->trailer + 0x10, a->trailer, a->min_ram, total, 1 });
        off = tlv(b, off, 3, a->name, (uint32_t)strlen(a->name));
        for (int i = 0; i < a->n_wfr; i++)
            off = tlv_words(b, off, 2, 2, (const uint32_t[]){ a->wfr_off[i], a->wfr_size[i] });
        if (a->fixed)
            off = tlv_words(b, off, 5, 2, (const uint32_t[]){ a->fixed_ram, a->fixed_flash });
        if (!a->no_kversion)
            off = tlv(b, off, 8, (const uint8_t[]){ 2, 0, 2, 0 }, 4);
    }
    put16(b + 2, off);
    uint32_t sum = 0;
    for (uint32_t o = 0; o < off; o += 4)
        sum ^= o == 12 ? 0 : get32(b + o);
    put32(b + 12, sum);
    return total;
}

/* Two apps: "alpha" (1 KiB flash, 2 writeable flash regions) and "beta". */
void ktest_setup(void)
{
    ck_assert(fake_hail_memory());
    memset((void *)(uintptr_t)0x20000000u, 0, 0x10000);
    memset((void *)(uintptr_t)KT_FLASH, 0xFF, KT_FLASH_END - KT_FLASH);
    fake_syscall_reset();
    memset(&ktest_log, 0, sizeof ktest_log);
    ktest_irq_pending = ktest_sleep_masked = false;
    ktest_services = ktest_sleeps = ktest_results = 0;
    ktest_last_used = ktest_slice_us = 0;
    ktest_chip = (struct chip_ops){ kt_service, kt_pending, kt_sleep };
    ktest_sched = (struct scheduler){ .name = "test", .next = kt_next, .result = kt_result };
    uint32_t at = KT_FLASH;
    at += ktest_put_tbf(at, &(struct ktest_app){ .name = "alpha", .min_ram = 2048, .flags = 1, .total = 1024,
                                                  .n_wfr = 2, .wfr_off = { 0x200, 0x300 },
                                                  .wfr_size = { 0x100, 0x80 } });
    ktest_put_tbf(at, &(struct ktest_app){ .name = "beta", .min_ram = 2048, .flags = 1, .total = 512 });
    kernel_init(&ktest_k, &ktest_chip, &ktest_sched, (struct fault_policy){ FAULT_POLICY_STOP, 0 }, KT_POOL,
                KT_POOL_END);
    ck_assert_int_eq(kernel_register_grant(&ktest_k, &ktest_grant), 0);
    ck_assert_int_eq(kernel_register_driver(&ktest_k, &kt_driver), 0);
    ck_assert_int_eq(kernel_register_driver(&ktest_k, &kt_nogrant), 1);
    ck_assert_int_ge(ipc_register(&ktest_k), 0);
    ck_assert_int_eq(kernel_load_processes(&ktest_k, KT_FLASH, KT_FLASH_END, NULL), 2);
}

void ktest_teardown(void) {}

/* Slot i as a Running process with an empty queue (the entry point taken). */
struct process *ktest_running(int i)
{
    struct process *p = ktest_k.procs[i];
    task_queue_init(&p->tasks);
    p->state = PROC_RUNNING;
    return p;
}

struct sysret ktest_call(struct process *p, uint8_t cls, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3)
{
    fake_syscall = (struct arch_syscall){ cls, { r0, r1, r2, r3 } };
    fake_sysret = (struct sysret){ 0xDEADu, 0xDEADu, 0xDEADu, 0xDEADu };
    fake_sysret_count = 0;          /* counts the writes of this call only */
    for (int i = 0; i < 4; i++)
        fake_ret_regs[i] = 0xDEADu;
    syscall_handle(&ktest_k, p);
    return fake_sysret;
}

void ktest_queue(struct process *p, uint32_t driver, uint8_t num, uint32_t fn, uint32_t a0)
{
    struct task t = { .kind = TASK_UPCALL, .subscribe_num = num, .driver_num = driver, .fn = fn,
                      .args = { a0, a0 + 1, a0 + 2, 0 } };
    ck_assert(task_queue_push(&p->tasks, &t));
}

/* ---- helpers for this file ------------------------------------------------------------ */
#define ck_ret(r, v, a, b) do { struct sysret r_ = (r); ck_assert_uint_eq(r_.variant, (v)); \
        ck_assert_uint_eq(r_.r1, (a)); ck_assert_uint_eq(r_.r2, (b)); } while (0)

static struct process *P;
static uint32_t FN_FLASH;       /* a valid upcall address in alpha's flash */

static void setup(void)
{
    ktest_setup();
    P = ktest_running(0);
    FN_FLASH = P->app_start + 0x41;
}

static struct sysret call(uint8_t cls, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3)
{
    return ktest_call(P, cls, r0, r1, r2, r3);
}

static uint32_t grow(uint32_t bytes)
{
    ck_assert_uint_eq(call(5, 0, P->mem_start + bytes, 0, 0).variant, SYSRET_SUCCESS);
    return P->app_break;
}

/* ---- dispatch, counting, faults ------------------------------------------------------------ */
START_TEST(counts_and_last_syscall)
{
    call(2, KT_DRV, 1, 2, 3);
    call(5, 2, 0, 0, 0);
    ck_assert_uint_eq(P->syscall_count, 2);
    ck_assert_uint_eq(P->last_syscall, 5u | 2u << 8);
    call(2, KT_DRV, 0, 0, 0);
    ck_assert_uint_eq(P->last_syscall, 2u | KT_DRV << 8);
}
END_TEST

START_TEST(class_8_faults)
{
    call(8, 0, 0, 0, 0);
    ck_assert_int_eq(P->state, PROC_FAULTED);
    ck_assert_int_eq(P->fault.kind, FAULT_BAD_SYSCALL);
    ck_assert_int_eq(fake_sysret_count, 0);
    ktest_running(1);
    ktest_call(ktest_k.procs[1], 255, 0, 0, 0, 0);
    ck_assert_int_eq(ktest_k.procs[1]->state, PROC_FAULTED);
}
END_TEST

START_TEST(bad_stack_faults)
{
    fake_syscall_bad = true;
    call(2, KT_DRV, 1, 0, 0);
    ck_assert_int_eq(P->state, PROC_FAULTED);
    ck_assert_int_eq(P->fault.kind, FAULT_BAD_STACK);
    ck_assert_int_eq(ktest_log.calls, 0);
    ck_assert_int_eq(fake_sysret_count, 0);
}
END_TEST

/* ---- yield ------------------------------------------------------------------------------------ */
START_TEST(yield_no_wait_empty)
{
    uint32_t flag = grow(64) - 4;
    *(uint8_t *)(uintptr_t)flag = 7;
    call(0, 0, flag, 0, 0);
    ck_assert_uint_eq(*(uint8_t *)(uintptr_t)flag, 0);
    ck_assert_int_eq(P->state, PROC_RUNNING);
    ck_assert_int_eq(fake_sysret_count, 0);           /* no return registers */
    call(0, 0, 0, 0, 0);                                /* null pointer: fine */
    ck_assert_int_eq(P->state, PROC_RUNNING);
}
END_TEST

START_TEST(yield_no_wait_with_task)
{
    uint32_t flag = grow(64) - 1;                       /* last byte below the break */
    ktest_queue(P, KT_DRV, 0, FN_FLASH, 5);
    call(0, 0, flag, 0, 0);
    ck_assert_uint_eq(*(uint8_t *)(uintptr_t)flag, 1);
    ck_assert_int_eq(P->state, PROC_YIELDED);
    ck_assert_int_eq(P->tasks.count, 1);                /* the loop runs exactly one */
    ck_assert_int_eq(fake_sysret_count, 0);
}
END_TEST

START_TEST(yield_no_wait_flag_outside_ram_not_written)
{
    uint32_t brk = grow(64);
    uint8_t *at_break = (uint8_t *)(uintptr_t)brk;
    *at_break = 9;
    ktest_queue(P, KT_DRV, 0, FN_FLASH, 5);
    call(0, 0, brk, 0, 0);                              /* at the break: not the app's */
    ck_assert_uint_eq(*at_break, 9);
    ck_assert_int_eq(P->state, PROC_YIELDED);
    uint8_t *fl = (uint8_t *)(uintptr_t)P->app_start;   /* flash: never written */
    uint8_t before = *fl;
    P->state = PROC_RUNNING;
    call(0, 0, P->app_start, 0, 0);
    ck_assert_uint_eq(*fl, before);
}
END_TEST

START_TEST(yield_no_wait_only_null_upcalls)
{
    uint32_t flag = grow(64) - 4;
    ktest_queue(P, KT_DRV, 1, 0, 5);
    call(0, 0, flag, 0, 0);
    ck_assert_uint_eq(*(uint8_t *)(uintptr_t)flag, 0);
    ck_assert_int_eq(P->state, PROC_RUNNING);
    ck_assert_int_eq(P->tasks.count, 1);                /* kept for a later yield-wait-for */
}
END_TEST

START_TEST(yield_wait_drops_null_head)
{
    ktest_queue(P, KT_DRV, 1, 0, 1);
    ktest_queue(P, KT_DRV, 1, 0, 2);
    ktest_queue(P, KT_DRV, 0, FN_FLASH, 3);
    ktest_queue(P, KT_DRV, 1, 0, 4);
    call(0, 1, 0, 0, 0);
    ck_assert_int_eq(P->state, PROC_YIELDED);
    ck_assert_int_eq(P->tasks.count, 2);
    ck_assert_uint_eq(P->tasks.slot[P->tasks.head].args[0], 3);
    ck_assert_int_eq(fake_sysret_count, 0);
}
END_TEST

START_TEST(yield_wait_for_queued)
{
    ktest_queue(P, KT_DRV, 0, FN_FLASH, 10);
    ktest_queue(P, KT_DRV, 2, 0, 20);
    ktest_queue(P, KT_DRV, 2, 0, 30);
    struct sysret r = call(0, 2, KT_DRV, 2, 0x1234);
    ck_assert_uint_eq(r.variant, 20);
    ck_assert_uint_eq(r.r1, 21);
    ck_assert_uint_eq(r.r2, 22);
    ck_assert_uint_eq(r.r3, 0x1234);                    /* r3 untouched */
    ck_assert_int_eq(P->state, PROC_RUNNING);
    ck_assert_int_eq(P->tasks.count, 2);                /* consumed; others keep their order */
    ck_assert_uint_eq(P->tasks.slot[P->tasks.head].args[0], 10);
}
END_TEST

START_TEST(yield_wait_for_blocks_then_upcall_resumes)
{
    call(0, 2, KT_DRV, 1, 77);
    ck_assert_int_eq(P->state, PROC_YIELDED_FOR);
    ck_assert_uint_eq(P->yield_for_driver, KT_DRV);
    ck_assert_uint_eq(P->yield_for_subscribe, 1);
    ck_assert_int_eq(fake_sysret_count, 0);
    /* another event: queued, still waiting */
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 0, 1, 2, 3), ERR_NONE);
    ck_assert_int_eq(P->state, PROC_YIELDED_FOR);
    ck_assert_int_eq(P->tasks.count, 1);
    /* the awaited one (nothing subscribed): resumes with r0-r2 = args */
    fake_syscall.r[3] = 77;
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 1, 0xA, 0xB, 0xC), ERR_NONE);
    ck_assert_int_eq(P->state, PROC_RUNNING);
    ck_assert_uint_eq(fake_sysret.variant, 0xA);
    ck_assert_uint_eq(fake_sysret.r1, 0xB);
    ck_assert_uint_eq(fake_sysret.r2, 0xC);
    ck_assert_uint_eq(fake_sysret.r3, 77);
    ck_assert_int_eq(P->tasks.count, 1);
}
END_TEST

/* r0 is raw data here: with a0 = 0 (= "Failure") r1/r2 must still be written */
START_TEST(yield_wait_for_raw_registers)
{
    ktest_queue(P, KT_DRV, 1, 0, 0);
    P->tasks.slot[P->tasks.head].args[0] = 0;
    P->tasks.slot[P->tasks.head].args[1] = 0x11;
    P->tasks.slot[P->tasks.head].args[2] = 0x22;
    call(0, 2, KT_DRV, 1, 0x33);
    ck_assert_uint_eq(fake_ret_regs[0], 0);
    ck_assert_uint_eq(fake_ret_regs[1], 0x11);
    ck_assert_uint_eq(fake_ret_regs[2], 0x22);
    ck_assert_uint_eq(fake_ret_regs[3], 0x33);
    call(0, 2, KT_DRV, 1, 0x44);
    for (int i = 0; i < 4; i++)
        fake_ret_regs[i] = 0xDEADu;
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 1, SYSRET_SUCCESS, 0x55, 0x66), ERR_NONE);
    ck_assert_uint_eq(fake_ret_regs[0], SYSRET_SUCCESS);
    ck_assert_uint_eq(fake_ret_regs[1], 0x55);
    ck_assert_uint_eq(fake_ret_regs[2], 0x66);
    ck_assert_uint_eq(fake_ret_regs[3], 0x44);
}
END_TEST

START_TEST(yield_bad_number_faults)
{
    call(0, 3, 0, 0, 0);
    ck_assert_int_eq(P->state, PROC_FAULTED);
    ck_assert_int_eq(P->fault.kind, FAULT_BAD_SYSCALL);
}
END_TEST

/* ---- subscribe ---------------------------------------------------------------------------------- */
START_TEST(subscribe_swap)
{
    ck_ret(call(1, KT_DRV, 0, FN_FLASH, 0x11), SYSRET_SUCCESS_2U32, 0, 0);
    ck_ret(call(1, KT_DRV, 0, FN_FLASH + 8, 0x22), SYSRET_SUCCESS_2U32, FN_FLASH, 0x11);
    ck_ret(call(1, KT_DRV, 0, 0, 0), SYSRET_SUCCESS_2U32, FN_FLASH + 8, 0x22);
    ck_ret(call(1, KT_DRV, 0, 0, 0), SYSRET_SUCCESS_2U32, 0, 0);
    ck_ret(call(1, KT_DRV, 2, FN_FLASH, 5), SYSRET_SUCCESS_2U32, 0, 0);      /* numbers independent */
}
END_TEST

START_TEST(subscribe_fn_validation)
{
    uint32_t brk = grow(256);
    uint32_t flash_end = P->flash_start + P->flash_size;
    ck_ret(call(1, KT_DRV, 0, P->flash_start + 4, 1), SYSRET_FAILURE_2U32, ERR_INVAL, P->flash_start + 4);
    ck_ret(call(1, KT_DRV, 0, P->app_start - 4, 1), SYSRET_FAILURE_2U32, ERR_INVAL, P->app_start - 4);
    ck_ret(call(1, KT_DRV, 0, flash_end - 2, 1), SYSRET_FAILURE_2U32, ERR_INVAL, flash_end - 2);
    ck_ret(call(1, KT_DRV, 0, flash_end, 1), SYSRET_FAILURE_2U32, ERR_INVAL, flash_end);
    ck_ret(call(1, KT_DRV, 0, brk, 1), SYSRET_FAILURE_2U32, ERR_INVAL, brk);
    ck_ret(call(1, KT_DRV, 0, 0xFFFFFFFFu, 1), SYSRET_FAILURE_2U32, ERR_INVAL, 0xFFFFFFFFu);
    ck_ret(call(1, KT_DRV, 0, P->app_start, 1), SYSRET_SUCCESS_2U32, 0, 0);
    ck_ret(call(1, KT_DRV, 0, flash_end - 4, 2), SYSRET_SUCCESS_2U32, P->app_start, 1);
    ck_ret(call(1, KT_DRV, 0, brk - 4, 3), SYSRET_SUCCESS_2U32, flash_end - 4, 2);       /* RAM */
    ck_ret(call(1, KT_DRV, 0, P->mem_start, 4), SYSRET_SUCCESS_2U32, brk - 4, 3);
    /* a failed subscribe keeps the old upcall */
    ck_ret(call(1, KT_DRV, 0, brk, 1), SYSRET_FAILURE_2U32, ERR_INVAL, brk);
    ck_ret(call(1, KT_DRV, 0, 0, 0), SYSRET_SUCCESS_2U32, P->mem_start, 4);
}
END_TEST

START_TEST(subscribe_errors)
{
    ck_ret(call(1, 0x1234, 0, FN_FLASH, 9), SYSRET_FAILURE_2U32, ERR_NODEVICE, FN_FLASH);
    ck_assert_uint_eq(fake_sysret.r3, 9);
    ck_assert_uint_eq(fake_ret_regs[3], 9);
    ck_ret(call(1, KT_DRV, 3, FN_FLASH, 9), SYSRET_FAILURE_2U32, ERR_NOSUPPORT, FN_FLASH);
    ck_ret(call(1, KT_DRV_NOGRANT, 0, FN_FLASH, 9), SYSRET_FAILURE_2U32, ERR_NOSUPPORT, FN_FLASH);
    /* INVAL is checked before the driver */
    ck_ret(call(1, 0x1234, 0, P->flash_start, 9), SYSRET_FAILURE_2U32, ERR_INVAL, P->flash_start);
}
END_TEST

START_TEST(subscribe_nomem)
{
    /* the break at the last MPU subregion boundary under the kernel part, then
     * grant memory carved so that 200 bytes are left: the IPC grant region
     * (336 bytes) no longer fits, the small test grant (80 bytes) still does */
    uint32_t sub = P->mem_size / 16;
    uint32_t brk = P->mem_start + (P->kernel_break - P->mem_start) / sub * sub;
    if (P->kernel_break - brk < 200)
        brk -= sub;
    ck_assert_uint_eq(call(5, 0, brk, 0, 0).variant, SYSRET_SUCCESS);
    uint32_t gap = P->kernel_break - brk;
    if (gap > 200)
        ck_assert_ptr_nonnull(process_alloc_kernel(&ktest_k, P, gap - 200));
    ck_assert_uint_eq(P->kernel_break - P->app_break, 200);
    ck_ret(call(1, IPC_DRIVER_NUM, 0, FN_FLASH, 9), SYSRET_FAILURE_2U32, ERR_NOMEM, FN_FLASH);
    ck_ret(call(3, IPC_DRIVER_NUM, 0, P->mem_start, 4), SYSRET_FAILURE_2U32, ERR_NOMEM, P->mem_start);
    ck_ret(call(4, IPC_DRIVER_NUM, 0, P->mem_start, 4), SYSRET_FAILURE_2U32, ERR_NOMEM, P->mem_start);
    ck_ret(call(1, KT_DRV, 0, FN_FLASH, 9), SYSRET_SUCCESS_2U32, 0, 0);
    ck_assert_int_eq(P->state, PROC_RUNNING);           /* only this call sees it */
}
END_TEST

START_TEST(subscribe_cancels_queued)
{
    ktest_queue(P, KT_DRV, 0, 0, 1);
    ktest_queue(P, KT_DRV, 1, 0, 2);
    ktest_queue(P, KT_DRV, 0, FN_FLASH, 3);
    ktest_queue(P, KT_DRV + 1, 0, 0, 4);
    ck_assert_uint_eq(call(1, KT_DRV, 1, FN_FLASH, 0).variant, SYSRET_SUCCESS_2U32);
    ck_assert_int_eq(P->tasks.count, 3);
    ck_assert_uint_eq(call(1, KT_DRV, 0, 0, 0).variant, SYSRET_SUCCESS_2U32);
    ck_assert_int_eq(P->tasks.count, 1);
    ck_assert_uint_eq(P->tasks.slot[P->tasks.head].args[0], 4);
    /* a failed subscribe cancels nothing */
    ktest_queue(P, KT_DRV, 2, 0, 5);
    call(1, KT_DRV, 2, P->flash_start, 0);
    ck_assert_int_eq(P->tasks.count, 2);
}
END_TEST

/* ---- command ------------------------------------------------------------------------------------- */
START_TEST(command_dispatch)
{
    struct sysret r = call(2, 0x4242, 0, 0, 0);
    ck_assert_uint_eq(r.variant, SYSRET_FAILURE);
    ck_assert_uint_eq(r.r1, ERR_NODEVICE);
    ck_assert_int_eq(ktest_log.calls, 0);
    r = call(2, KT_DRV, 1, 40, 2);
    ck_assert_uint_eq(r.variant, SYSRET_SUCCESS_U32);
    ck_assert_uint_eq(r.r1, 42);
    ck_assert_uint_eq(ktest_log.cmd, 1);
    ck_assert_uint_eq(ktest_log.a1, 40);
    ck_assert_uint_eq(ktest_log.a2, 2);
    ck_assert(processid_eq(ktest_log.pid, P->id));
    ck_assert_uint_eq(call(2, KT_DRV, 0, 0, 0).variant, SYSRET_SUCCESS);
    r = call(2, KT_DRV, 7, 0, 0);
    ck_assert_uint_eq(r.variant, SYSRET_FAILURE);
    ck_assert_uint_eq(r.r1, ERR_NOSUPPORT);
    ck_assert_uint_eq(call(2, IPC_DRIVER_NUM, 0, 0, 0).variant, SYSRET_SUCCESS);
}
END_TEST

/* ---- allow ----------------------------------------------------------------------------------------- */
START_TEST(allow_rw_swap_and_notify)
{
    uint32_t brk = grow(512), a = P->mem_start + 64;
    ck_ret(call(3, KT_DRV, 1, a, 16), SYSRET_SUCCESS_2U32, 0, 0);
    ck_assert_int_eq(ktest_log.allow_calls, 1);
    ck_assert(ktest_log.rw);
    ck_assert_uint_eq(ktest_log.num, 1);
    ck_ret(call(3, KT_DRV, 1, brk - 4, 4), SYSRET_SUCCESS_2U32, a, 16);       /* up to the break */
    ck_ret(call(3, KT_DRV, 1, 0, 0), SYSRET_SUCCESS_2U32, brk - 4, 4);        /* take it back */
    ck_ret(call(3, KT_DRV, 1, 0, 0), SYSRET_SUCCESS_2U32, 0, 0);
    ck_assert_int_eq(ktest_log.allow_calls, 4);
    /* RO and RW spaces are independent */
    ck_ret(call(3, KT_DRV, 0, a, 8), SYSRET_SUCCESS_2U32, 0, 0);
    ck_ret(call(4, KT_DRV, 0, a + 8, 8), SYSRET_SUCCESS_2U32, 0, 0);
    ck_assert(!ktest_log.rw);
    ck_ret(call(3, KT_DRV, 0, 0, 0), SYSRET_SUCCESS_2U32, a, 8);
    ck_ret(call(4, KT_DRV, 0, 0, 0), SYSRET_SUCCESS_2U32, a + 8, 8);
}
END_TEST

START_TEST(allow_validation)
{
    uint32_t brk = grow(512);
    int changed;
    ck_ret(call(3, KT_DRV, 0, brk - 4, 5), SYSRET_FAILURE_2U32, ERR_INVAL, brk - 4);
    ck_ret(call(3, KT_DRV, 0, P->mem_start - 1, 4), SYSRET_FAILURE_2U32, ERR_INVAL, P->mem_start - 1);
    ck_ret(call(3, KT_DRV, 0, brk, 1), SYSRET_FAILURE_2U32, ERR_INVAL, brk);
    ck_ret(call(3, KT_DRV, 0, P->app_start, 4), SYSRET_FAILURE_2U32, ERR_INVAL, P->app_start);   /* RW: no flash */
    ck_ret(call(3, KT_DRV, 0, 0xFFFFFFF0u, 0x20), SYSRET_FAILURE_2U32, ERR_INVAL, 0xFFFFFFF0u);  /* wraps */
    ck_ret(call(4, KT_DRV, 0, 0xFFFFFFF0u, 0x20), SYSRET_FAILURE_2U32, ERR_INVAL, 0xFFFFFFF0u);
    ck_ret(call(3, KT_DRV, 0, P->mem_start, 0xFFFFFFFFu), SYSRET_FAILURE_2U32, ERR_INVAL, P->mem_start);
    changed = ktest_log.allow_calls;
    ck_assert_int_eq(changed, 0);
    /* length 0: any address */
    ck_ret(call(3, KT_DRV, 0, 0xFFFFFFF0u, 0), SYSRET_SUCCESS_2U32, 0, 0);
    ck_ret(call(3, KT_DRV, 0, 0, 0), SYSRET_SUCCESS_2U32, 0xFFFFFFF0u, 0);
    /* RO: RAM or own flash after the protected region */
    uint32_t fend = P->flash_start + P->flash_size;
    ck_ret(call(4, KT_DRV, 1, P->app_start, 16), SYSRET_SUCCESS_2U32, 0, 0);
    ck_ret(call(4, KT_DRV, 1, fend - 16, 16), SYSRET_SUCCESS_2U32, P->app_start, 16);
    ck_ret(call(4, KT_DRV, 1, fend - 16, 17), SYSRET_FAILURE_2U32, ERR_INVAL, fend - 16);
    ck_ret(call(4, KT_DRV, 1, P->flash_start, 4), SYSRET_FAILURE_2U32, ERR_INVAL, P->flash_start);
    ck_ret(call(4, KT_DRV, 1, P->app_start - 1, 2), SYSRET_FAILURE_2U32, ERR_INVAL, P->app_start - 1);
    ck_ret(call(4, KT_DRV, 1, ktest_k.procs[1]->app_start, 4), SYSRET_FAILURE_2U32, ERR_INVAL,
           ktest_k.procs[1]->app_start);                                       /* another app's flash */
    ck_ret(call(4, KT_DRV, 1, P->mem_start, 32), SYSRET_SUCCESS_2U32, fend - 16, 16);
    ck_ret(call(4, KT_DRV, 1, brk - 1, 2), SYSRET_FAILURE_2U32, ERR_INVAL, brk - 1);
}
END_TEST

START_TEST(allow_errors)
{
    uint32_t a = P->mem_start + 4;
    ck_ret(call(3, 0x1234, 0, a, 4), SYSRET_FAILURE_2U32, ERR_NODEVICE, a);
    ck_ret(call(4, 0x1234, 0, a, 4), SYSRET_FAILURE_2U32, ERR_NODEVICE, a);
    ck_ret(call(3, KT_DRV, 2, a, 4), SYSRET_FAILURE_2U32, ERR_NOSUPPORT, a);
    ck_ret(call(4, KT_DRV, 2, a, 4), SYSRET_FAILURE_2U32, ERR_NOSUPPORT, a);
    ck_ret(call(3, KT_DRV_NOGRANT, 0, a, 4), SYSRET_FAILURE_2U32, ERR_NOSUPPORT, a);
    ck_ret(call(3, 0x1234, 0, P->app_break, 4), SYSRET_FAILURE_2U32, ERR_INVAL, P->app_break);
    ck_assert_uint_eq(fake_sysret.r2, P->app_break);
    ck_assert_int_eq(ktest_log.allow_calls, 0);
}
END_TEST

START_TEST(allow_rw_high_water_limits_brk)
{
    uint32_t brk = grow(1024), a = P->mem_start + 512;
    ck_ret(call(3, KT_DRV, 0, a, 256), SYSRET_SUCCESS_2U32, 0, 0);
    ck_assert_uint_eq(P->allow_high_water, a + 256);
    ck_assert_uint_eq(call(5, 0, a + 255, 0, 0).r1, ERR_NOMEM);
    ck_assert_uint_eq(call(5, 0, a + 256, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(P->app_break, a + 256);
    (void)brk;
    /* RO allows and empty RW allows do not raise it */
    ck_ret(call(4, KT_DRV, 0, a + 200, 56), SYSRET_SUCCESS_2U32, 0, 0);
    ck_ret(call(3, KT_DRV, 1, 0xFFFF0000u, 0), SYSRET_SUCCESS_2U32, 0, 0);
    ck_assert_uint_eq(P->allow_high_water, a + 256);
}
END_TEST

START_TEST(allow_userspace_readable)
{
    uint32_t a = P->mem_start + 4;
    ck_ret(call(7, KT_DRV, 0, a, 4), SYSRET_FAILURE_2U32, ERR_NOSUPPORT, a);
    ck_ret(call(7, 0x1234, 0, a, 4), SYSRET_FAILURE_2U32, ERR_NODEVICE, a);
    ck_ret(call(7, KT_DRV, 0, P->app_start, 4), SYSRET_FAILURE_2U32, ERR_INVAL, P->app_start);
    ck_assert_int_eq(ktest_log.allow_calls, 0);
}
END_TEST

/* ---- memop ------------------------------------------------------------------------------------------- */
START_TEST(memop_brk_sbrk)
{
    uint32_t start = P->app_break;
    ck_assert_uint_eq(call(5, 0, P->mem_start + 1024, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(P->app_break, P->mem_start + 1024);
    ck_ret(call(5, 1, 256, 0, 0), SYSRET_SUCCESS_U32, P->mem_start + 1024, 0);
    ck_assert_uint_eq(P->app_break, P->mem_start + 1280);
    ck_ret(call(5, 1, (uint32_t)-512, 0, 0), SYSRET_SUCCESS_U32, P->mem_start + 1280, 0);
    ck_assert_uint_eq(P->app_break, P->mem_start + 768);
    ck_ret(call(5, 1, 0, 0, 0), SYSRET_SUCCESS_U32, P->mem_start + 768, 0);
    /* failures: NOMEM, break unchanged */
    ck_ret(call(5, 0, P->kernel_break + 4, 0, 0), SYSRET_FAILURE, ERR_NOMEM, 0);
    ck_ret(call(5, 0, P->mem_start + P->mem_size, 0, 0), SYSRET_FAILURE, ERR_NOMEM, 0);
    ck_ret(call(5, 0, P->mem_start - 4, 0, 0), SYSRET_FAILURE, ERR_NOMEM, 0);
    ck_ret(call(5, 1, 0x7FFFFFFFu, 0, 0), SYSRET_FAILURE, ERR_NOMEM, 0);
    ck_ret(call(5, 1, 0x80000000u, 0, 0), SYSRET_FAILURE, ERR_NOMEM, 0);
    ck_assert_uint_eq(P->app_break, P->mem_start + 768);
    (void)start;
}
END_TEST

START_TEST(memop_brk_zero_fills)
{
    uint8_t *m = (uint8_t *)(uintptr_t)(P->mem_start + 100);
    grow(128);
    ck_assert_uint_eq(call(5, 0, P->mem_start + 64, 0, 0).variant, SYSRET_SUCCESS);
    *m = 0x5A;
    grow(128);
    ck_assert_uint_eq(*m, 0);
}
END_TEST

START_TEST(memop_introspection)
{
    ck_ret(call(5, 2, 0, 0, 0), SYSRET_SUCCESS_U32, P->mem_start, 0);
    ck_ret(call(5, 3, 0, 0, 0), SYSRET_SUCCESS_U32, P->mem_start + P->mem_size, 0);
    ck_ret(call(5, 4, 0, 0, 0), SYSRET_SUCCESS_U32, KT_FLASH, 0);
    ck_ret(call(5, 5, 0, 0, 0), SYSRET_SUCCESS_U32, KT_FLASH + 1024, 0);
    ck_ret(call(5, 6, 0, 0, 0), SYSRET_SUCCESS_U32, P->kernel_break, 0);
    call(1, KT_DRV, 0, FN_FLASH, 0);                     /* allocates a grant: kernel break moves */
    ck_ret(call(5, 6, 0, 0, 0), SYSRET_SUCCESS_U32, P->kernel_break, 0);
    ck_assert_uint_lt(P->kernel_break, P->initial_kernel_break);
    ck_ret(call(5, 7, 0, 0, 0), SYSRET_SUCCESS_U32, 2, 0);
    ck_ret(call(5, 8, 0, 0, 0), SYSRET_SUCCESS_U32, KT_FLASH + 0x200, 0);
    ck_ret(call(5, 9, 0, 0, 0), SYSRET_SUCCESS_U32, KT_FLASH + 0x300, 0);
    ck_ret(call(5, 8, 1, 0, 0), SYSRET_SUCCESS_U32, KT_FLASH + 0x300, 0);
    ck_ret(call(5, 9, 1, 0, 0), SYSRET_SUCCESS_U32, KT_FLASH + 0x380, 0);
    ck_ret(call(5, 8, 2, 0, 0), SYSRET_FAILURE, ERR_FAIL, 0);
    ck_ret(call(5, 9, 0xFFFFFFFFu, 0, 0), SYSRET_FAILURE, ERR_FAIL, 0);
    struct process *b = ktest_running(1);
    ck_ret(ktest_call(b, 5, 7, 0, 0, 0), SYSRET_SUCCESS_U32, 0, 0);
    ck_ret(ktest_call(b, 5, 8, 0, 0, 0), SYSRET_FAILURE, ERR_FAIL, 0);
    ck_ret(ktest_call(b, 5, 4, 0, 0, 0), SYSRET_SUCCESS_U32, KT_FLASH + 1024, 0);
}
END_TEST

START_TEST(memop_hints_and_unknown)
{
    ck_assert_uint_eq(call(5, 10, 0x20004800u, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(call(5, 11, 0x20004900u, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(P->stack_hint, 0x20004800u);
    ck_assert_uint_eq(P->heap_hint, 0x20004900u);
    ck_ret(call(5, 12, 0, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT, 0);
    ck_ret(call(5, 0xFFFFFFFFu, 0, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT, 0);
}
END_TEST

/* ---- exit ---------------------------------------------------------------------------------------------- */
START_TEST(exit_terminate)
{
    call(1, KT_DRV, 0, FN_FLASH, 0);
    call(5, 0, P->mem_start + 512, 0, 0);
    call(6, 0, 42, 0, 0);
    ck_assert_int_eq(P->state, PROC_TERMINATED);
    ck_assert(P->has_completion_code);
    ck_assert_uint_eq(P->completion_code, 42);
    ck_assert_int_eq(fake_sysret_count, 0);
    ck_assert_int_eq(grant_count_allocated(P), 0);
    ck_assert_ptr_null(kernel_process(&ktest_k, P->id));
}
END_TEST

START_TEST(exit_restart)
{
    processid_t old = P->id;
    call(1, KT_DRV, 0, FN_FLASH, 0);
    call(6, 1, 7, 0, 0);
    ck_assert_int_eq(P->state, PROC_YIELDED);
    ck_assert_uint_eq(P->restart_count, 1);
    ck_assert(P->has_completion_code);
    ck_assert_uint_eq(P->completion_code, 7);
    ck_assert(!processid_eq(P->id, old));
    ck_assert_ptr_null(kernel_process(&ktest_k, old));
    ck_assert_int_eq(P->tasks.count, 1);
    ck_assert_int_eq(P->tasks.slot[P->tasks.head].kind, TASK_FUNCTION_CALL);
    ck_assert_uint_eq(P->app_break, P->mem_start + 32);
    ck_assert_int_eq(fake_sysret_count, 0);
}
END_TEST

START_TEST(exit_other_nosupport)
{
    ck_ret(call(6, 2, 7, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT, 0);
    ck_assert_int_eq(P->state, PROC_RUNNING);
    ck_assert(!P->has_completion_code);
}
END_TEST

/* ---- capsule side: scheduling upcalls, reading allows ---------------------------------------------------- */
START_TEST(schedule_upcall_uses_subscription)
{
    call(1, KT_DRV, 2, FN_FLASH, 0x55);
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 2, 1, 2, 3), ERR_NONE);
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 1, 4, 5, 6), ERR_NONE);
    ck_assert_int_eq(P->tasks.count, 2);
    struct task *t = &P->tasks.slot[P->tasks.head];
    ck_assert_int_eq(t->kind, TASK_UPCALL);
    ck_assert_uint_eq(t->driver_num, KT_DRV);
    ck_assert_uint_eq(t->subscribe_num, 2);
    ck_assert_uint_eq(t->fn, FN_FLASH);
    ck_assert_uint_eq(t->args[0], 1);
    ck_assert_uint_eq(t->args[2], 3);
    ck_assert_uint_eq(t->args[3], 0x55);
    ck_assert_uint_eq(P->tasks.slot[(P->tasks.head + 1) % TASK_QUEUE_LEN].fn, 0);   /* Null Upcall */
}
END_TEST

START_TEST(schedule_upcall_overflow_and_errors)
{
    for (int i = 0; i < TASK_QUEUE_LEN; i++)
        ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 0, (uint32_t)i, 0, 0), ERR_NONE);
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 0, 99, 0, 0), ERR_NOMEM);
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 0, 100, 0, 0), ERR_NOMEM);
    ck_assert_uint_eq(P->tasks.dropped, 2);
    ck_assert_int_eq(P->tasks.count, TASK_QUEUE_LEN);
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 3, 0, 0, 0), ERR_INVAL);
    processid_t stale = { P->id.index, (uint16_t)(P->id.generation + 1) };
    ck_assert_int_eq(kernel_schedule_upcall(stale, &ktest_grant, 0, 0, 0, 0), ERR_NODEVICE);
    ck_assert_int_eq(kernel_schedule_upcall((processid_t){ 7, 0 }, &ktest_grant, 0, 0, 0, 0), ERR_NODEVICE);
    call(6, 0, 0, 0, 0);
    ck_assert_int_eq(kernel_schedule_upcall(P->id, &ktest_grant, 0, 0, 0, 0), ERR_NODEVICE);
}
END_TEST

START_TEST(get_allow_reads_slots)
{
    uint8_t *ptr = (uint8_t *)1;
    uint32_t len = 1, a = P->mem_start + 8;
    ck_assert(!kernel_get_allow(P->id, &ktest_grant, true, 0, &ptr, &len));     /* no grant yet */
    ck_assert_ptr_null(ptr);
    ck_assert_uint_eq(len, 0);
    call(3, KT_DRV, 1, a, 16);
    call(4, KT_DRV, 0, P->app_start, 32);
    ck_assert(kernel_get_allow(P->id, &ktest_grant, true, 1, &ptr, &len));
    ck_assert_ptr_eq(ptr, (uint8_t *)(uintptr_t)a);
    ck_assert_uint_eq(len, 16);
    ck_assert(kernel_get_allow(P->id, &ktest_grant, false, 0, &ptr, &len));
    ck_assert_ptr_eq(ptr, (uint8_t *)(uintptr_t)P->app_start);
    ck_assert(!kernel_get_allow(P->id, &ktest_grant, true, 0, &ptr, &len));     /* never allowed */
    ck_assert(!kernel_get_allow(P->id, &ktest_grant, true, 2, &ptr, &len));     /* out of range */
    ck_assert(!kernel_get_allow(ktest_k.procs[1]->id, &ktest_grant, true, 1, &ptr, &len));
}
END_TEST

Suite *syscall_suite(void)
{
    Suite *s = suite_create("syscall");
    TCase *tc = tcase_create("classes");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, counts_and_last_syscall);
    tcase_add_test(tc, class_8_faults);
    tcase_add_test(tc, bad_stack_faults);
    tcase_add_test(tc, yield_no_wait_empty);
    tcase_add_test(tc, yield_no_wait_with_task);
    tcase_add_test(tc, yield_no_wait_flag_outside_ram_not_written);
    tcase_add_test(tc, yield_no_wait_only_null_upcalls);
    tcase_add_test(tc, yield_wait_drops_null_head);
    tcase_add_test(tc, yield_wait_for_queued);
    tcase_add_test(tc, yield_wait_for_blocks_then_upcall_resumes);
    tcase_add_test(tc, yield_wait_for_raw_registers);
    tcase_add_test(tc, yield_bad_number_faults);
    tcase_add_test(tc, subscribe_swap);
    tcase_add_test(tc, subscribe_fn_validation);
    tcase_add_test(tc, subscribe_errors);
    tcase_add_test(tc, subscribe_nomem);
    tcase_add_test(tc, subscribe_cancels_queued);
    tcase_add_test(tc, command_dispatch);
    tcase_add_test(tc, allow_rw_swap_and_notify);
    tcase_add_test(tc, allow_validation);
    tcase_add_test(tc, allow_errors);
    tcase_add_test(tc, allow_rw_high_water_limits_brk);
    tcase_add_test(tc, allow_userspace_readable);
    tcase_add_test(tc, memop_brk_sbrk);
    tcase_add_test(tc, memop_brk_zero_fills);
    tcase_add_test(tc, memop_introspection);
    tcase_add_test(tc, memop_hints_and_unknown);
    tcase_add_test(tc, exit_terminate);
    tcase_add_test(tc, exit_restart);
    tcase_add_test(tc, exit_other_nosupport);
    tcase_add_test(tc, schedule_upcall_uses_subscription);
    tcase_add_test(tc, schedule_upcall_overflow_and_errors);
    tcase_add_test(tc, get_allow_reads_slots);
    suite_add_tcase(s, tc);
    return s;
}
