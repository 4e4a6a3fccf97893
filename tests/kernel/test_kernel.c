/*
 * test_kernel.c — the kernel core (kernel/kernel.c, awareness.c): loading
 * processes from app flash (skips and reports, §5.4), the main loop (task
 * delivery, timeslices, kernel preemption, faults, kernel work, deferred
 * calls, sleep), registration limits, panic, process iteration, the
 * awareness table.  Uses the fixture of test_syscall.c (ktest_*).
 */
#include <check.h>
#include <setjmp.h>
#include <string.h>

#include "kernel/awareness_update.h"
#include "kernel/kernel.h"

Suite *kernel_suite(void);

/* ---- fake_arch.c ------------------------------------------------------------------ */
struct fake_switch_step {
    enum arch_switch_reason reason;
    struct arch_syscall sc;
    void (*before)(void);
};
#define FAKE_SWITCH_MAX 32
extern struct fake_switch_step fake_switch[FAKE_SWITCH_MAX];
extern int fake_switch_len, fake_switch_pos, fake_switch_calls;
extern uint32_t fake_timer_started_us, fake_timer_remaining, fake_timer_stops;
extern bool fake_timer_expired, fake_irq_masked;
extern int fake_irq_disables, fake_irq_enables, fake_mpu_applies;
extern struct fault_record fake_fault;
extern struct sysret fake_sysret;
extern jmp_buf *fake_panic_jmp;
extern const char *fake_panic_why;

/* ---- test_syscall.c's fixture ----------------------------------------------------------- */
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
extern struct kernel ktest_k;
extern struct scheduler ktest_sched;
extern struct chip_ops ktest_chip;
extern struct grant ktest_grant;
extern struct ktest_cmd_log ktest_log;
extern bool ktest_irq_pending, ktest_sleep_masked;
extern int ktest_services, ktest_sleeps, ktest_results;
extern enum sched_result_reason ktest_last_why;
extern uint32_t ktest_last_used, ktest_slice_us;

#define KT_FLASH 0x30000u
#define KT_DRV 0x99u

static struct kernel *K = &ktest_k;

static void quiet(int i) { task_queue_init(&K->procs[i]->tasks); K->procs[i]->state = PROC_YIELDED; }

static uint32_t *frame(const struct process *p) { return (uint32_t *)(uintptr_t)p->regs.psp; }

static void step(enum arch_switch_reason why, struct arch_syscall sc, void (*before)(void))
{
    fake_switch[fake_switch_len++] = (struct fake_switch_step){ why, sc, before };
}

/* ---- loading ------------------------------------------------------------------------------ */
START_TEST(load_two_apps)
{
    ck_assert_int_eq(K->nprocs, 2);
    struct process *a = K->procs[0], *b = K->procs[1];
    ck_assert_int_eq(a->name_len, 5);
    ck_assert(memcmp(a->name, "alpha", 5) == 0);
    ck_assert(memcmp(b->name, "beta", 4) == 0);
    ck_assert_uint_eq(a->flash_start, KT_FLASH);
    ck_assert_uint_eq(b->flash_start, KT_FLASH + 1024);
    ck_assert_int_eq(a->state, PROC_YIELDED);
    ck_assert_int_eq(a->tasks.count, 1);
    ck_assert_int_eq(a->tasks.slot[a->tasks.head].kind, TASK_FUNCTION_CALL);
    ck_assert_uint_ge(a->mem_start, 0x20004000u);
    ck_assert_uint_ge(b->mem_start, a->mem_start + a->mem_size);
    ck_assert_uint_eq(a->id.index, 0);
    ck_assert_uint_eq(b->id.index, 1);
}
END_TEST

static char rep_names[8][40], rep_whys[8][48];
static uint32_t rep_addrs[8];
static int nrep;

static void report(const char *name, uint32_t addr, const char *why)
{
    if (nrep < 8) {
        strncpy(rep_names[nrep], name, sizeof rep_names[0] - 1);
        strncpy(rep_whys[nrep], why, sizeof rep_whys[0] - 1);
        rep_addrs[nrep] = addr;
    }
    nrep++;
}

static void reinit(void)
{
    kernel_init(K, &ktest_chip, &ktest_sched, (struct fault_policy){ FAULT_POLICY_STOP, 0 }, 0x20004000u,
                0x20010000u);
    ck_assert_int_eq(kernel_register_grant(K, &ktest_grant), 0);
    memset((void *)(uintptr_t)KT_FLASH, 0xFF, 0x40000);
    memset(rep_names, 0, sizeof rep_names);
    memset(rep_whys, 0, sizeof rep_whys);
    nrep = 0;
}

START_TEST(load_skips_and_reports)
{
    reinit();
    uint32_t at = KT_FLASH, addr[8];
    int n = 0;
    const struct ktest_app apps[] = {
        { .name = "one", .min_ram = 1024, .flags = 1, .total = 512 },
        { .name = "off", .min_ram = 1024, .flags = 0, .total = 512 },                 /* disabled */
        { .name = "old", .min_ram = 1024, .flags = 1, .total = 512, .no_kversion = true },
        { .name = "", .flags = 1, .total = 512, .padding = true },                     /* silent */
        { .name = "fix", .min_ram = 1024, .flags = 1, .total = 512, .fixed = true, .fixed_ram = 0xFFFFFFFFu,
          .fixed_flash = 0x12345 },
        { .name = "big", .min_ram = 0x100000, .flags = 1, .total = 512 },              /* does not fit */
        { .name = "two", .min_ram = 1024, .flags = 1, .total = 1024 },
    };
    for (unsigned i = 0; i < sizeof apps / sizeof apps[0]; i++) {
        addr[n++] = at;
        at += ktest_put_tbf(at, &apps[i]);
    }
    /* a corrupted checksum: skipped, walk continues */
    addr[n] = at;
    at += ktest_put_tbf(at, &(struct ktest_app){ .name = "bad", .min_ram = 1024, .flags = 1, .total = 512 });
    ((uint8_t *)(uintptr_t)addr[n])[12] ^= 1;
    ktest_put_tbf(at, &(struct ktest_app){ .name = "three", .min_ram = 1024, .flags = 1, .total = 512 });
    ck_assert_int_eq(kernel_load_processes(K, KT_FLASH, 0x70000u, report), 3);
    ck_assert_int_eq(K->nprocs, 3);
    ck_assert(memcmp(K->procs[1]->name, "two", 3) == 0);
    ck_assert_uint_eq(K->procs[1]->flash_start, addr[6]);
    ck_assert(memcmp(K->procs[2]->name, "three", 5) == 0);
    ck_assert_int_eq(nrep, 5);
    ck_assert_str_eq(rep_names[0], "off");
    ck_assert_uint_eq(rep_addrs[0], addr[1]);
    ck_assert_str_eq(rep_whys[0], "disabled");
    ck_assert_str_eq(rep_names[1], "old");
    ck_assert_str_eq(rep_names[2], "fix");
    ck_assert_str_eq(rep_whys[2], "fixed flash address mismatch");
    ck_assert_str_eq(rep_names[3], "big");
    ck_assert_str_eq(rep_whys[3], "does not fit");
    ck_assert_uint_eq(rep_addrs[4], addr[7]);
    ck_assert_str_eq(rep_whys[4], "bad checksum");
}
END_TEST

START_TEST(load_stops_at_truncated_and_end)
{
    reinit();
    uint32_t at = KT_FLASH + ktest_put_tbf(KT_FLASH, &(struct ktest_app){ .name = "one", .min_ram = 1024,
                                                                            .flags = 1, .total = 512 });
    ktest_put_tbf(at, &(struct ktest_app){ .name = "cut", .min_ram = 1024, .flags = 1, .total = 1024 });
    ck_assert_int_eq(kernel_load_processes(K, KT_FLASH, at + 512, report), 1);
    ck_assert_int_eq(nrep, 1);
    ck_assert_uint_eq(rep_addrs[0], at);
    /* erased flash ends the list silently */
    reinit();
    ktest_put_tbf(KT_FLASH, &(struct ktest_app){ .name = "one", .min_ram = 1024, .flags = 1, .total = 512 });
    ck_assert_int_eq(kernel_load_processes(K, KT_FLASH, 0x70000u, report), 1);
    ck_assert_int_eq(nrep, 0);
}
END_TEST

START_TEST(load_fixed_ram_honoured_or_rejected)
{
    reinit();
    uint32_t at = KT_FLASH;
    at += ktest_put_tbf(at, &(struct ktest_app){ .name = "fr", .min_ram = 1024, .flags = 1, .total = 512,
                                                 .fixed = true, .fixed_ram = 0x20008000u,
                                                 .fixed_flash = 0xFFFFFFFFu });
    ktest_put_tbf(at, &(struct ktest_app){ .name = "lo", .min_ram = 1024, .flags = 1, .total = 512,
                                           .fixed = true, .fixed_ram = 0x20004000u, .fixed_flash = 0xFFFFFFFFu });
    ck_assert_int_eq(kernel_load_processes(K, KT_FLASH, 0x70000u, report), 1);
    ck_assert_uint_eq(K->procs[0]->mem_start, 0x20008000u);
    ck_assert_int_eq(nrep, 1);
    ck_assert_str_eq(rep_names[0], "lo");
    ck_assert_str_eq(rep_whys[0], "fixed RAM address mismatch");
}
END_TEST

START_TEST(load_respects_max_procs)
{
    reinit();
    uint32_t at = KT_FLASH;
    for (int i = 0; i < KERNEL_MAX_PROCS + 2; i++)
        at += ktest_put_tbf(at, &(struct ktest_app){ .name = "x", .min_ram = 32, .flags = 1, .total = 512 });
    nrep = 0;
    ck_assert_int_eq(kernel_load_processes(K, KT_FLASH, 0x70000u, report), KERNEL_MAX_PROCS);
    ck_assert_int_eq(K->nprocs, KERNEL_MAX_PROCS);
    ck_assert_int_eq(nrep, 2);                          /* the objects beyond the slots are reported */
    ck_assert_str_eq(rep_whys[0], "no free process slot");
    ck_assert_str_eq(rep_whys[1], "no free process slot");
}
END_TEST

/* ---- the main loop --------------------------------------------------------------------------- */
START_TEST(loop_starts_entry_point)
{
    struct process *p = K->procs[0];
    quiet(1);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_results, 1);
    ck_assert_int_eq(ktest_last_why, SCHED_NO_WORK_LEFT);
    ck_assert_int_eq(fake_switch_calls, 1);
    ck_assert_int_eq(p->state, PROC_YIELDED);          /* trapped with yield-wait */
    uint32_t *f = frame(p);
    ck_assert_uint_eq(f[6], p->entry | 1u);
    ck_assert_uint_eq(f[0], p->app_start);
    ck_assert_uint_eq(f[1], p->mem_start);
    ck_assert_uint_eq(f[2], p->mem_size);
    ck_assert_uint_eq(f[3], p->mem_start + 32);
    ck_assert_uint_eq(p->syscall_count, 1);
    ck_assert_int_eq(fake_mpu_applies, 1);
}
END_TEST

START_TEST(loop_delivers_upcall)
{
    struct process *p = ktest_running(0);
    quiet(1);
    uint32_t fn = p->app_start + 0x81;
    ktest_call(p, 1, KT_DRV, 2, fn, 0xCAFE);
    ktest_call(p, 0, 1, 0, 0, 0);
    ck_assert_int_eq(p->state, PROC_YIELDED);
    p->regs.yield_pc = p->app_start + 0x200;
    ck_assert_int_eq(kernel_schedule_upcall(p->id, &ktest_grant, 2, 7, 8, 9), ERR_NONE);
    kernel_loop_once(K);
    uint32_t *f = frame(p);
    ck_assert_uint_eq(f[0], 7);
    ck_assert_uint_eq(f[1], 8);
    ck_assert_uint_eq(f[2], 9);
    ck_assert_uint_eq(f[3], 0xCAFE);
    ck_assert_uint_eq(f[5], (p->app_start + 0x200) | 1u);
    ck_assert_uint_eq(f[6], fn | 1u);
    ck_assert_int_eq(fake_switch_calls, 1);
    ck_assert_int_eq(p->tasks.count, 0);
}
END_TEST

START_TEST(loop_discards_null_upcalls)
{
    struct process *p = K->procs[0];
    quiet(0);
    quiet(1);
    ck_assert_int_eq(kernel_schedule_upcall(p->id, &ktest_grant, 0, 1, 2, 3), ERR_NONE);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_last_why, SCHED_NO_WORK_LEFT);
    ck_assert_int_eq(fake_switch_calls, 0);
    ck_assert_int_eq(p->state, PROC_YIELDED);
    ck_assert_int_eq(p->tasks.count, 0);
}
END_TEST

static void expire(void) { fake_timer_expired = true; }

START_TEST(loop_timeslice_expires)
{
    quiet(1);
    ktest_slice_us = 10000;
    step(SWITCH_TIMESLICE, (struct arch_syscall){ 0 }, expire);
    kernel_loop_once(K);
    ck_assert_uint_eq(fake_timer_started_us, 10000);
    ck_assert_int_eq(ktest_last_why, SCHED_TIMESLICE_EXPIRED);
    ck_assert_uint_eq(ktest_last_used, 10000);
    ck_assert_uint_eq(fake_timer_stops, 1);
    ck_assert_uint_eq(K->timeslice_expirations, 1);
    ck_assert_uint_eq(K->procs[0]->timeslice_expirations, 1);
    ck_assert_int_eq(K->procs[0]->state, PROC_RUNNING);
}
END_TEST

static void almost_out(void) { fake_timer_remaining = 400; }
static void some_left(void) { fake_timer_remaining = 7000; }

START_TEST(loop_min_quantum_and_used_time)
{
    quiet(1);
    ktest_slice_us = 10000;
    step(SWITCH_SYSCALL, (struct arch_syscall){ 2, { KT_DRV, 1, 2, 3 } }, almost_out);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_log.calls, 1);
    ck_assert_int_eq(fake_switch_calls, 1);             /* not re-entered with 400 us left */
    ck_assert_int_eq(ktest_last_why, SCHED_TIMESLICE_EXPIRED);
    /* a process that yields reports the time it used */
    fake_switch_len = fake_switch_pos = 0;
    step(SWITCH_SYSCALL, (struct arch_syscall){ 0, { 1, 0, 0, 0 } }, some_left);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_last_why, SCHED_NO_WORK_LEFT);
    ck_assert_uint_eq(ktest_last_used, 3000);
}
END_TEST

static void irq_arrives(void) { ktest_irq_pending = true; }

START_TEST(loop_kernel_preemption_then_work)
{
    quiet(1);
    step(SWITCH_INTERRUPT, (struct arch_syscall){ 0 }, irq_arrives);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_last_why, SCHED_KERNEL_PREEMPTION);
    ck_assert_int_eq(K->procs[0]->state, PROC_RUNNING);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_services, 1);
    ck_assert_int_eq(ktest_results, 1);                 /* kernel work, no process */
    kernel_loop_once(K);                                /* resumes: script ends with yield-wait */
    ck_assert_int_eq(ktest_last_why, SCHED_NO_WORK_LEFT);
    ck_assert_int_eq(fake_switch_calls, 2);
}
END_TEST

START_TEST(loop_fault_applies_policy)
{
    quiet(1);
    fake_fault = (struct fault_record){ .kind = FAULT_MEMMANAGE, .pc = 0x30123, .cfsr = 0x82, .mmfar = 0x20000000 };
    step(SWITCH_FAULT, (struct arch_syscall){ 0 }, NULL);
    kernel_loop_once(K);
    ck_assert_int_eq(K->procs[0]->state, PROC_FAULTED);
    ck_assert_uint_eq(K->procs[0]->fault.pc, 0x30123);
    ck_assert_int_eq(ktest_last_why, SCHED_STOPPED_FAULTED);
    ck_assert_uint_eq(kernel_awareness.procs[0].state, PROC_FAULTED);
    ck_assert_uint_eq(kernel_awareness.procs[0].fault_pc, 0x30123);
    ck_assert_uint_eq(kernel_awareness.procs[0].fault_addr, 0x20000000);
}
END_TEST

START_TEST(loop_bad_upcall_frame_faults)
{
    struct process *p = K->procs[0];
    quiet(1);
    p->regs.psp = p->app_break;                         /* frame would lie above the break */
    kernel_loop_once(K);
    ck_assert_int_eq(p->state, PROC_FAULTED);
    ck_assert_int_eq(p->fault.kind, FAULT_BAD_STACK);
    ck_assert_int_eq(fake_switch_calls, 0);
}
END_TEST

START_TEST(loop_mpu_applied_on_change_only)
{
    struct process *a = K->procs[0];
    kernel_loop_once(K);                                /* alpha: entry */
    kernel_loop_once(K);                                /* beta: entry */
    ck_assert_int_eq(fake_mpu_applies, 2);
    ktest_queue(a, KT_DRV, 0, a->app_start + 1, 0);
    kernel_loop_once(K);
    ck_assert_int_eq(fake_mpu_applies, 3);
    ktest_queue(a, KT_DRV, 0, a->app_start + 1, 0);
    kernel_loop_once(K);
    ck_assert_int_eq(fake_mpu_applies, 3);              /* same process, same regions */
}
END_TEST

START_TEST(loop_yield_for_after_resume)
{
    struct process *p = ktest_running(0);
    quiet(1);
    ktest_call(p, 0, 2, KT_DRV, 1, 0);
    process_stop(K, p);
    ck_assert_int_eq(p->state, PROC_STOPPED_YIELDED_FOR);
    ck_assert_int_eq(kernel_schedule_upcall(p->id, &ktest_grant, 1, 4, 5, 6), ERR_NONE);
    ck_assert_int_eq(p->tasks.count, 1);                /* queued while stopped */
    kernel_loop_once(K);
    ck_assert_int_eq(fake_switch_calls, 0);
    process_resume(K, p);
    kernel_loop_once(K);
    ck_assert_uint_eq(fake_sysret.variant, 4);
    ck_assert_uint_eq(fake_sysret.r2, 6);
    ck_assert_int_eq(fake_switch_calls, 1);
    ck_assert_int_eq(p->tasks.count, 0);
}
END_TEST

START_TEST(loop_sleeps_when_idle)
{
    quiet(0);
    quiet(1);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_sleeps, 1);
    ck_assert(ktest_sleep_masked);
    ck_assert(!fake_irq_masked);
    ck_assert_int_eq(ktest_results, 0);
}
END_TEST

/* ---- deferred calls and registration ------------------------------------------------------- */
static int order[8], norder;
static int handles[3];
static void dc(void *ctx) { order[norder++] = (int)(intptr_t)ctx; }
static void dc_irq(void *ctx) { dc(ctx); ktest_irq_pending = true; }

START_TEST(deferred_calls_in_order)
{
    quiet(0);
    quiet(1);
    norder = 0;
    handles[0] = kernel_register_deferred(K, dc, (void *)1);
    handles[1] = kernel_register_deferred(K, dc_irq, (void *)2);
    handles[2] = kernel_register_deferred(K, dc, (void *)3);
    ck_assert_int_eq(handles[2], 2);
    kernel_set_deferred(K, handles[2]);
    kernel_set_deferred(K, handles[0]);
    kernel_loop_once(K);
    ck_assert_int_eq(norder, 2);
    ck_assert_int_eq(order[0], 1);
    ck_assert_int_eq(order[1], 3);
    ck_assert_uint_eq(K->deferred_pending, 0);
    /* an interrupt raised by a deferred call is serviced before the next one */
    kernel_set_deferred(K, handles[1]);
    kernel_set_deferred(K, handles[2]);
    kernel_loop_once(K);
    ck_assert_int_eq(norder, 3);
    ck_assert_uint_eq(K->deferred_pending, 1u << 2);
    kernel_loop_once(K);
    ck_assert_int_eq(ktest_services, 3);               /* one bottom-half pass per kernel-work round */
    ck_assert_int_eq(norder, 4);
    ck_assert_int_eq(ktest_sleeps, 0);
    kernel_set_deferred(K, 17);
    kernel_set_deferred(K, -1);
    ck_assert_uint_eq(K->deferred_pending, 0);
}
END_TEST

START_TEST(registration_limits)
{
    static struct grant g[KERNEL_MAX_GRANTS];
    static struct syscall_driver d[KERNEL_MAX_DRIVERS];
    for (int i = K->ngrants; i < KERNEL_MAX_GRANTS; i++)
        ck_assert_int_eq(kernel_register_grant(K, &g[i]), i);
    ck_assert_uint_eq(g[KERNEL_MAX_GRANTS - 1].index, KERNEL_MAX_GRANTS - 1);
    ck_assert_int_eq(kernel_register_grant(K, &g[0]), -1);
    ck_assert_int_eq(kernel_register_driver(K, K->drivers[0]), -1);        /* duplicate number */
    for (int i = K->ndrivers; i < KERNEL_MAX_DRIVERS; i++) {
        d[i].num = 0x1000u + (uint32_t)i;
        ck_assert_int_eq(kernel_register_driver(K, &d[i]), i);
    }
    d[0].num = 0x5000;
    ck_assert_int_eq(kernel_register_driver(K, &d[0]), -1);
    ck_assert_ptr_eq(kernel_find_driver(K, 0x1000u + KERNEL_MAX_DRIVERS - 1), &d[KERNEL_MAX_DRIVERS - 1]);
    for (int i = 0; i < KERNEL_MAX_DEFERRED; i++)
        ck_assert_int_eq(kernel_register_deferred(K, dc, NULL), i);
    ck_assert_int_eq(kernel_register_deferred(K, dc, NULL), -1);
    ck_assert_int_eq(kernel_register_deferred(K, NULL, NULL), -1);
}
END_TEST

/* ---- panic, iteration, awareness ----------------------------------------------------------- */
static const char *hook_why;
static void hook(struct kernel *k, const char *why) { (void)k; hook_why = why; }

START_TEST(panic_calls_hook_then_halts)
{
    jmp_buf jb;
    K->panic_hook = hook;
    fake_panic_jmp = &jb;
    if (setjmp(jb) == 0) {
        kernel_panic(K, "boom");
        ck_abort_msg("kernel_panic returned");
    }
    fake_panic_jmp = NULL;
    ck_assert_str_eq(hook_why, "boom");
    ck_assert_str_eq(fake_panic_why, "boom");
}
END_TEST

START_TEST(panic_policy_from_fault)
{
    jmp_buf jb;
    K->fault_policy = (struct fault_policy){ FAULT_POLICY_RESTART_THEN_PANIC, 1 };
    K->panic_hook = hook;
    hook_why = NULL;
    fake_panic_jmp = &jb;
    struct process *p = ktest_running(0);
    ktest_call(p, 9, 0, 0, 0, 0);
    ck_assert_int_eq(p->state, PROC_YIELDED);           /* restarted */
    ktest_running(0);
    ktest_call(p, 9, 0, 0, 0, 0);
    ck_assert_uint_eq(p->restart_count, 2);
    ktest_running(0);
    if (setjmp(jb) == 0) {
        ktest_call(p, 9, 0, 0, 0, 0);
        ck_abort_msg("no panic");
    }
    fake_panic_jmp = NULL;
    ck_assert_ptr_nonnull(hook_why);
}
END_TEST

START_TEST(process_iteration)
{
    processid_t a = kernel_next_process(PROCESSID_NONE);
    ck_assert(processid_eq(a, K->procs[0]->id));
    processid_t b = kernel_next_process(a);
    ck_assert(processid_eq(b, K->procs[1]->id));
    ck_assert(processid_eq(kernel_next_process(b), PROCESSID_NONE));
    ck_assert_ptr_eq(kernel_process(K, a), K->procs[0]);
    process_terminate(K, K->procs[0], false, 0);
    ck_assert_ptr_null(kernel_process(K, a));
    ck_assert(processid_eq(kernel_next_process(PROCESSID_NONE), b));
    ck_assert_ptr_null(kernel_process(K, (processid_t){ 5, 0 }));
    ck_assert_ptr_null(kernel_process(K, (processid_t){ 1, (uint16_t)(b.generation + 1) }));
}
END_TEST

START_TEST(awareness_table)
{
    struct awareness_table *t = &kernel_awareness;
    ck_assert_uint_eq(t->magic, AWARENESS_MAGIC);
    ck_assert_uint_eq(t->version, AWARENESS_VERSION);
    ck_assert_uint_eq(t->record_size, sizeof(struct awareness_proc));
    ck_assert_uint_eq(sizeof(struct awareness_proc), 100);
    ck_assert_uint_eq(t->kernel_version, 2u << 16 | 2u);
    ck_assert_uint_eq(t->nprocs, 2);
    ck_assert_str_eq(t->procs[0].name, "alpha");
    ck_assert_str_eq(t->procs[1].name, "beta");
    ck_assert_uint_eq(t->procs[0].state, PROC_YIELDED);
    ck_assert_uint_eq(t->procs[1].pid, (uint32_t)K->procs[1]->id.generation << 16 | 1u);
    ck_assert_uint_eq(t->procs[0].mem_start, K->procs[0]->mem_start);
    ck_assert_uint_eq(t->procs[0].flash_size, 1024);
    uint32_t gen = t->generation;
    quiet(1);
    kernel_loop_once(K);                                /* alpha runs, yields */
    ck_assert_uint_gt(t->generation, gen);
    ck_assert_uint_eq(t->procs[0].state, PROC_YIELDED);
    ck_assert_uint_eq(t->procs[0].syscall_count, 1);
    ck_assert_uint_eq(t->procs[0].last_syscall, 0u | 1u << 8);
    gen = t->generation;
    struct process *p = ktest_running(0);
    ktest_call(p, 6, 0, 3, 0, 0);                       /* exit: process.c's observer path */
    ck_assert_uint_gt(t->generation, gen);
    ck_assert_uint_eq(t->procs[0].state, PROC_TERMINATED);
    for (int i = 0; i < TASK_QUEUE_LEN + 1; i++)         /* beta's queue was emptied above */
        kernel_schedule_upcall(K->procs[1]->id, &ktest_grant, 0, 0, 0, 0);
    process_stop(K, K->procs[1]);
    ck_assert_uint_eq(t->procs[1].dropped_upcalls, 1);
    ck_assert_uint_eq(t->procs[1].state, PROC_STOPPED_YIELDED);
}
END_TEST

Suite *kernel_suite(void)
{
    Suite *s = suite_create("kernel");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, load_two_apps);
    tcase_add_test(tc, load_skips_and_reports);
    tcase_add_test(tc, load_stops_at_truncated_and_end);
    tcase_add_test(tc, load_fixed_ram_honoured_or_rejected);
    tcase_add_test(tc, load_respects_max_procs);
    tcase_add_test(tc, loop_starts_entry_point);
    tcase_add_test(tc, loop_delivers_upcall);
    tcase_add_test(tc, loop_discards_null_upcalls);
    tcase_add_test(tc, loop_timeslice_expires);
    tcase_add_test(tc, loop_min_quantum_and_used_time);
    tcase_add_test(tc, loop_kernel_preemption_then_work);
    tcase_add_test(tc, loop_fault_applies_policy);
    tcase_add_test(tc, loop_bad_upcall_frame_faults);
    tcase_add_test(tc, loop_mpu_applied_on_change_only);
    tcase_add_test(tc, loop_yield_for_after_resume);
    tcase_add_test(tc, loop_sleeps_when_idle);
    tcase_add_test(tc, deferred_calls_in_order);
    tcase_add_test(tc, registration_limits);
    tcase_add_test(tc, panic_calls_hook_then_halts);
    tcase_add_test(tc, panic_policy_from_fault);
    tcase_add_test(tc, process_iteration);
    tcase_add_test(tc, awareness_table);
    suite_add_tcase(s, tc);
    return s;
}
