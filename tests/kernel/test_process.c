/*
 * test_process.c — process creation, memory layout and breaks, the state
 * machine (reset / terminate / restart / stop / resume), the fault policies
 * and the address checks of kernel/process.c.  Process RAM and flash are
 * Hail's real addresses, mapped on the host by fake_hail_memory().
 */
#include <check.h>
#include <setjmp.h>
#include <string.h>

#include "kernel/kernel.h"

Suite *process_suite(void);
bool fake_hail_memory(void);     /* fake_arch.c */

#define FLASH 0x30000u
#define POOL 0x20004000u
#define POOL_END 0x20010000u

static struct kernel k;
static struct grant grants[3] = {
    { .driver_num = 0x0, .data_size = 24, .n_upcalls = 1 },
    { .driver_num = 0x1, .data_size = 40, .n_upcalls = 3, .n_ro_allows = 1, .n_rw_allows = 1 },
    { .driver_num = 0x2, .data_size = 0 },
};
static int observed;

static void observer(struct kernel *kk, struct process *p) { (void)kk, (void)p, observed++; }

static void setup(void)
{
    ck_assert(fake_hail_memory());
    memset(&k, 0, sizeof k);
    for (int i = 0; i < 3; i++)
        grants[i].index = (uint8_t)i, k.grants[i] = &grants[i];
    k.ngrants = 3;
    k.app_ram_start = POOL, k.app_ram_end = POOL_END;
    k.observer = observer;
    k.fault_policy = (struct fault_policy){ FAULT_POLICY_STOP, 0 };
    the_kernel = &k;
    observed = 0;
}

static struct tbf_header hdr(uint32_t min_ram)
{
    return (struct tbf_header){ .version = 2, .header_size = 76, .total_size = 0x4000, .flags = 1,
                                .init_fn_offset = 0x40, .minimum_ram_size = min_ram, .binary_end_offset = 0x3000,
                                .has_program = true, .name = "app", .name_len = 3, .has_kernel_version = true,
                                .kernel_major = 2, .kernel_minor = 2 };
}

static struct process *make(int index, uint32_t min_ram, uint32_t *pool)
{
    struct tbf_header h = hdr(min_ram);
    memset((void *)(uintptr_t)POOL, 0xAA, POOL_END - POOL);
    ck_assert_int_eq(process_create(&k, index, FLASH + 0x4000u * (uint32_t)index, &h, pool, POOL_END), ERR_NONE);
    if (k.nprocs <= index)
        k.nprocs = index + 1;
    return k.procs[index];
}

START_TEST(create_layout)
{
    uint32_t pool = POOL + 4;
    struct process *p = make(0, 5000, &pool);
    ck_assert_uint_eq(p->mem_size, 8192);
    ck_assert_uint_eq(p->mem_start, POOL + 4096);
    ck_assert_uint_eq(pool, p->mem_start + p->mem_size);
    ck_assert_uint_eq(p->app_break, p->mem_start + 32);
    /* the top of the block: the PCB itself, then the grant pointer table under it */
    ck_assert_ptr_eq(p, (void *)(uintptr_t)(p->mem_start + 8192 - PROCESS_PCB_BYTES));
    ck_assert_uint_eq(process_kernel_part(&k), PROCESS_PCB_BYTES + 3 * 8);
    ck_assert_uint_eq(p->kernel_break, p->mem_start + 8192 - PROCESS_PCB_BYTES - 3 * 8);
    ck_assert_uint_eq(p->ngrants, 3);
    ck_assert_uint_eq(p->initial_kernel_break, p->kernel_break);
    ck_assert_ptr_eq(p->grant_table, (void *)(uintptr_t)p->kernel_break);
    for (int i = 0; i < 3; i++) {
        ck_assert_uint_eq(p->grant_table[i].driver_num, grants[i].driver_num);
        ck_assert_uint_eq(p->grant_table[i].ptr, 0);
    }
    ck_assert_uint_eq(p->flash_start, FLASH);
    ck_assert_uint_eq(p->flash_size, 0x4000);
    ck_assert_uint_eq(p->app_start, FLASH + 76);
    ck_assert_uint_eq(p->entry, (FLASH + 76 + 0x40) | 1);
    ck_assert_uint_eq(p->binary_end, FLASH + 0x3000);
    ck_assert_uint_eq(p->min_ram, 5000);
    ck_assert_int_eq(p->state, PROC_YIELDED);
    ck_assert(process_is_alive(p) && process_is_runnable(p));
    ck_assert_uint_eq(p->id.index, 0);
    ck_assert_int_gt(observed, 0);
    /* the entry point is queued with (app_start, mem_start, mem_size, app_break) */
    struct task t;
    ck_assert_uint_eq(p->tasks.count, 1);
    ck_assert(task_queue_pop(&p->tasks, &t));
    ck_assert_int_eq(t.kind, TASK_FUNCTION_CALL);
    ck_assert_uint_eq(t.fn, p->entry);
    ck_assert_uint_eq(t.args[0], p->app_start);
    ck_assert_uint_eq(t.args[1], p->mem_start);
    ck_assert_uint_eq(t.args[2], p->mem_size);
    ck_assert_uint_eq(t.args[3], p->mem_start + 32);
    ck_assert_uint_eq(p->regs.psp, p->mem_start);
    /* the MPU exposes the first 32 bytes */
    ck_assert_uint_eq(p->mpu.n, 3);
}
END_TEST

START_TEST(create_small_and_failures)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 0, &pool);
    ck_assert_uint_eq(p->min_ram, 32);
    ck_assert_uint_eq(p->mem_size, 1024);           /* 32 app bytes + PCB + table > 512 */
    /* the fabricated frame fills the initial 32 bytes (fake arch_init_process); nothing else is touched */
    const uint32_t *frame = (const uint32_t *)(uintptr_t)p->mem_start;
    uint32_t expect[8] = { p->app_start, p->mem_start, 1024, p->mem_start + 32, 0, 1, p->entry, 0x01000000 };
    for (int i = 0; i < 8; i++)
        ck_assert_uint_eq(frame[i], expect[i]);
    ck_assert_uint_eq(((const uint8_t *)frame)[32], 0xAA);
    struct tbf_header h = hdr(0x10000);
    uint32_t before = pool;
    ck_assert_int_eq(process_create(&k, 1, FLASH + 0x4000, &h, &pool, POOL_END), ERR_NOMEM);
    ck_assert_uint_eq(pool, before);
    h = hdr(1024);
    ck_assert_int_eq(process_create(&k, KERNEL_MAX_PROCS, FLASH, &h, &pool, POOL_END), ERR_INVAL);
    h.has_fixed_addresses = true, h.fixed_ram = 0xFFFFFFFF, h.fixed_flash = FLASH + 0x100;
    ck_assert_int_eq(process_create(&k, 1, FLASH, &h, &pool, POOL_END), ERR_INVAL);
    h.fixed_flash = FLASH + 76;
    h.fixed_ram = 0x20008000;
    ck_assert_int_eq(process_create(&k, 1, FLASH, &h, &pool, POOL_END), ERR_NONE);
    ck_assert_uint_eq(k.procs[1]->mem_start, 0x20008000);
    h.fixed_ram = 0x20008100;       /* not a legal block start */
    ck_assert_int_eq(process_create(&k, 2, FLASH, &h, &pool, POOL_END), ERR_NOMEM);
    h = hdr(1024);
    h.total_size = 0x300;           /* flash image the MPU cannot cover at 0x30010 */
    ck_assert_int_eq(process_create(&k, 2, FLASH + 0x10, &h, &pool, POOL_END), ERR_SIZE);
}
END_TEST

START_TEST(brk_rules)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 3000, &pool);      /* 4 KiB block, 256-byte MPU steps */
    uint32_t m = p->mem_start, top = m + p->mem_size;
    ck_assert_int_eq(process_brk(&k, p, m + 1000), ERR_NONE);
    ck_assert_uint_eq(p->app_break, m + 1000);
    const uint8_t *ram = (const uint8_t *)(uintptr_t)m;
    for (uint32_t i = 32; i < 1000; i++)
        ck_assert_uint_eq(ram[i], 0);
    ck_assert_uint_eq(ram[1000], 0xAA);
    ck_assert_int_eq(process_brk(&k, p, m + 500), ERR_NONE);       /* shrink */
    ck_assert_int_eq(process_brk(&k, p, m - 4), ERR_NOMEM);
    ck_assert_int_eq(process_brk(&k, p, top), ERR_NOMEM);
    ck_assert_int_eq(process_brk(&k, p, top + 64), ERR_NOMEM);
    ck_assert_int_eq(process_brk(&k, p, p->kernel_break + 1), ERR_NOMEM);
    ck_assert_int_eq(process_brk(&k, p, p->kernel_break), ERR_NOMEM); /* MPU step would cover the table */
    uint32_t highest = m + (p->kernel_break - m) / 256 * 256;      /* last MPU step under the PCB/table */
    ck_assert_int_eq(process_brk(&k, p, highest), ERR_NONE);
    ck_assert_uint_eq(p->app_break, highest);
    ck_assert_int_eq(process_brk(&k, p, highest + 1), ERR_NOMEM);
    p->allow_high_water = m + 2000;
    ck_assert_int_eq(process_brk(&k, p, m + 1999), ERR_NOMEM);
    ck_assert_int_eq(process_brk(&k, p, m + 2000), ERR_NONE);
    ck_assert_uint_eq(p->app_break, m + 2000);
    process_terminate(&k, p, false, 0);
    ck_assert_int_eq(process_brk(&k, p, m + 2100), ERR_NOMEM);
}
END_TEST

START_TEST(address_checks)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 3000, &pool);
    uint32_t m = p->mem_start;
    ck_assert(process_in_ram(p, m, 32));
    ck_assert(!process_in_ram(p, m, 33));
    ck_assert(!process_in_ram(p, m - 1, 2));
    ck_assert(process_in_ram(p, 0xFFFFFFF0u, 0));
    ck_assert(!process_in_ram(p, 0xFFFFFFF0u, 0x20));
    ck_assert(process_in_flash(p, FLASH + 76, 0x4000 - 76));
    ck_assert(!process_in_flash(p, FLASH + 75, 4));                /* the protected header */
    ck_assert(!process_in_flash(p, FLASH + 0x3FFF, 2));
    ck_assert(process_in_flash(p, 0, 0));
}
END_TEST

START_TEST(alloc_kernel)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 3000, &pool);      /* 4 KiB, steps of 256 */
    uint32_t kb = p->kernel_break;
    uint8_t *a = process_alloc_kernel(&k, p, 13);
    ck_assert_ptr_eq(a, (void *)(uintptr_t)(kb - 16));
    ck_assert_uint_eq(p->kernel_break, kb - 16);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(a[i], 0);
    ck_assert_ptr_nonnull(process_alloc_kernel(&k, p, 8));
    ck_assert_uint_eq(p->kernel_break % 8, 0);
    ck_assert_int_eq(process_brk(&k, p, p->mem_start + 2048), ERR_NONE);
    uint32_t room = p->kernel_break - (p->mem_start + 2048);
    ck_assert_ptr_null(process_alloc_kernel(&k, p, room + 8));
    ck_assert_ptr_null(process_alloc_kernel(&k, p, 0xFFFFFFF8u));
    ck_assert_ptr_nonnull(process_alloc_kernel(&k, p, room & ~7u));   /* exactly up to the break */
    ck_assert_uint_eq(p->kernel_break, p->mem_start + 2048 + (room % 8));
    ck_assert_int_eq(process_brk(&k, p, p->mem_start + 2049), ERR_NOMEM);
    /* the MPU cannot split inside a 256-byte step */
    process_restart(&k, p);
    ck_assert_int_eq(process_brk(&k, p, p->mem_start + 1000), ERR_NONE);
    ck_assert_ptr_null(process_alloc_kernel(&k, p, p->kernel_break - (p->mem_start + 1020)));
}
END_TEST

START_TEST(terminate_and_restart)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 3000, &pool);
    processid_t id0 = p->id;
    ck_assert_ptr_nonnull(process_alloc_kernel(&k, p, 64));
    p->grant_table[1].ptr = p->kernel_break;
    ck_assert_int_eq(process_brk(&k, p, p->mem_start + 1024), ERR_NONE);
    process_terminate(&k, p, true, 7);
    ck_assert_int_eq(p->state, PROC_TERMINATED);
    ck_assert(!process_is_alive(p) && !process_is_runnable(p));
    ck_assert(p->has_completion_code);
    ck_assert_uint_eq(p->completion_code, 7);
    ck_assert_uint_eq(p->tasks.count, 0);
    ck_assert_uint_eq(p->grant_table[1].ptr, 0);
    ck_assert_uint_eq(p->kernel_break, p->initial_kernel_break);
    ck_assert_uint_eq(p->restart_count, 0);
    process_reset(&k, p);      /* boot again */
    ck_assert_int_eq(p->state, PROC_YIELDED);
    ck_assert(!processid_eq(p->id, id0));
    processid_t id1 = p->id;
    p->state = PROC_RUNNING;
    process_restart(&k, p);
    ck_assert_uint_eq(p->restart_count, 1);
    ck_assert(!processid_eq(p->id, id1));
    ck_assert_uint_eq(p->id.index, 0);
    ck_assert_uint_eq(p->app_break, p->mem_start + 32);
    ck_assert_int_eq(p->state, PROC_YIELDED);
    ck_assert_uint_eq(p->tasks.count, 1);
}
END_TEST

START_TEST(stop_resume)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 1024, &pool);
    enum process_state from[] = { PROC_RUNNING, PROC_YIELDED, PROC_YIELDED_FOR };
    enum process_state to[] = { PROC_STOPPED_RUNNING, PROC_STOPPED_YIELDED, PROC_STOPPED_YIELDED_FOR };
    for (int i = 0; i < 3; i++) {
        p->state = from[i];
        process_stop(&k, p);
        ck_assert_int_eq(p->state, to[i]);
        ck_assert(process_is_alive(p) && !process_is_runnable(p));
        process_stop(&k, p);
        ck_assert_int_eq(p->state, to[i]);
        process_resume(&k, p);
        ck_assert_int_eq(p->state, from[i]);
    }
    process_terminate(&k, p, false, 0);
    process_stop(&k, p);
    process_resume(&k, p);
    ck_assert_int_eq(p->state, PROC_TERMINATED);
}
END_TEST

START_TEST(runnable_yielded_for)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 1024, &pool);
    task_queue_init(&p->tasks);
    p->state = PROC_YIELDED;
    ck_assert(!process_is_runnable(p));
    p->state = PROC_YIELDED_FOR;
    p->yield_for_driver = 1, p->yield_for_subscribe = 1;
    struct task t = { .kind = TASK_UPCALL, .driver_num = 1, .subscribe_num = 2 };
    ck_assert(process_enqueue(p, &t));
    ck_assert(!process_is_runnable(p));
    t.subscribe_num = 1;
    ck_assert(process_enqueue(p, &t));
    ck_assert(process_is_runnable(p));
    for (int i = 2; i < TASK_QUEUE_LEN; i++)
        ck_assert(process_enqueue(p, &t));
    ck_assert(!process_enqueue(p, &t));
    ck_assert_uint_eq(p->tasks.dropped, 1);
    process_terminate(&k, p, false, 0);
    ck_assert(!process_enqueue(p, &t));
}
END_TEST

static jmp_buf panic_jmp;
static const char *panic_why;

static void panic_hook(struct kernel *kk, const char *why)
{
    (void)kk;
    panic_why = why;
    longjmp(panic_jmp, 1);
}

static void fault(struct process *p)
{
    struct fault_record f = { .kind = FAULT_MEMMANAGE, .pc = 0x30123 };
    p->state = PROC_RUNNING;
    process_fault(&k, p, &f);
}

START_TEST(fault_policies)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 1024, &pool);
    k.fault_policy = (struct fault_policy){ FAULT_POLICY_STOP, 0 };
    fault(p);
    ck_assert_int_eq(p->state, PROC_FAULTED);
    ck_assert_uint_eq(p->fault.pc, 0x30123);
    ck_assert(!process_is_alive(p));
    process_reset(&k, p);
    k.fault_policy = (struct fault_policy){ FAULT_POLICY_RESTART, 0 };
    for (int i = 1; i <= 10; i++) {
        fault(p);
        ck_assert_int_eq(p->state, PROC_YIELDED);
        ck_assert_uint_eq(p->restart_count, (uint32_t)i);
    }
    p->restart_count = 0;
    k.fault_policy = (struct fault_policy){ FAULT_POLICY_RESTART_THEN_STOP, 2 };
    for (int i = 1; i <= 3; i++) {
        fault(p);
        ck_assert_int_eq(p->state, PROC_YIELDED);
    }
    fault(p);
    ck_assert_int_eq(p->state, PROC_FAULTED);
    ck_assert_uint_eq(p->restart_count, 3);
}
END_TEST

START_TEST(fault_panics)
{
    uint32_t pool = POOL;
    struct process *p = make(0, 1024, &pool);
    k.panic_hook = panic_hook;
    k.fault_policy = (struct fault_policy){ FAULT_POLICY_RESTART_THEN_PANIC, 4 };
    volatile int faults = 0;
    if (setjmp(panic_jmp) == 0) {
        for (;;) {
            faults++;
            fault(p);
            ck_assert_int_eq(p->state, PROC_YIELDED);
        }
    }
    ck_assert_int_eq(faults, 6);         /* Hail: faults 1-5 restart, the 6th panics */
    ck_assert_ptr_nonnull(panic_why);
    k.fault_policy = (struct fault_policy){ FAULT_POLICY_PANIC, 0 };
    panic_why = NULL;
    if (setjmp(panic_jmp) == 0) {
        fault(p);
        ck_abort_msg("no panic");
    }
    ck_assert_ptr_nonnull(panic_why);
}
END_TEST

START_TEST(state_names)
{
    ck_assert_str_eq(process_state_name(PROC_RUNNING), "Running");
    ck_assert_str_eq(process_state_name(PROC_YIELDED), "Yielded");
    ck_assert_str_eq(process_state_name(PROC_YIELDED_FOR), "YieldedFor");
    ck_assert_str_eq(process_state_name(PROC_STOPPED_RUNNING), "Stopped(Running)");
    ck_assert_str_eq(process_state_name(PROC_STOPPED_YIELDED), "Stopped(Yielded)");
    ck_assert_str_eq(process_state_name(PROC_STOPPED_YIELDED_FOR), "Stopped(YieldedFor)");
    ck_assert_str_eq(process_state_name(PROC_FAULTED), "Faulted");
    ck_assert_str_eq(process_state_name(PROC_TERMINATED), "Terminated");
    ck_assert_str_eq(process_state_name((enum process_state)77), "Unknown");
}
END_TEST

START_TEST(several_processes_share_the_pool)
{
    uint32_t pool = POOL;
    uint32_t sizes[] = { 5000, 1024, 0, 3000, 9000 };
    uint32_t prev_end = POOL;
    for (int i = 0; i < 5; i++) {
        struct process *p = make(i, sizes[i], &pool);
        ck_assert_uint_ge(p->mem_start, prev_end);
        ck_assert_uint_eq(p->mem_start % (p->mem_size / 2), 0);
        prev_end = p->mem_start + p->mem_size;
        ck_assert_uint_eq(pool, prev_end);
        ck_assert_uint_eq(p->id.index, (uint16_t)i);
    }
    ck_assert_uint_le(pool, POOL_END);
}
END_TEST

Suite *process_suite(void)
{
    Suite *s = suite_create("process");
    TCase *tc = tcase_create("process");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, create_layout);
    tcase_add_test(tc, create_small_and_failures);
    tcase_add_test(tc, brk_rules);
    tcase_add_test(tc, address_checks);
    tcase_add_test(tc, alloc_kernel);
    tcase_add_test(tc, terminate_and_restart);
    tcase_add_test(tc, stop_resume);
    tcase_add_test(tc, runnable_yielded_for);
    tcase_add_test(tc, fault_policies);
    tcase_add_test(tc, fault_panics);
    tcase_add_test(tc, state_names);
    tcase_add_test(tc, several_processes_share_the_pool);
    suite_add_tcase(s, tc);
    return s;
}
