/*
 * test_isocheck.c — `--check-isolation` (isocheck.c, isoshadow.c,
 * isoinv.c) through its entry points, with the awareness table and the MPU
 * written by hand: a process writing another's block stops the run; the
 * kernel may write grants, the caller's stacked frame, its allowed buffers
 * and its yield flag and nothing else of a live process; an allow the ABI
 * forbids, breaks out of order or an MPU that opens more than the process
 * owns stop the run at the entry into the process.
 */
#include <check.h>
#include <string.h>

#include "isocheck.h"
#include "machine.h"
#include "mpu.h"
#include "test_support.h"

#define TABLE 0x20000100u
#define BLOCK_A 0x20004000u                 /* alpha: app RAM up to +0x800, grants from +0x1000 */
#define BLOCK_B 0x20006000u                 /* beta: the same layout */
#define BLOCK_SIZE 0x2000u
#define FLASH_A 0x00030000u
#define FLASH_B 0x00032000u
#define SVC_AT 0x00030100u                  /* an `svc` instruction in alpha's flash */
#define SUCCESS_2U32 130u

static void put_record(struct machine *m, int i, const char *name, uint32_t start, uint32_t flash)
{
    uint32_t rec = TABLE + 24 + (uint32_t)i * 100;
    for (uint32_t k = 0; k < 100; k += 4)
        ut_wr32(m, rec + k, 0);
    memcpy(machine_host_ptr(m, rec, 24), name, strlen(name));
    ut_wr32(m, rec + 24, 2);                    /* Yielded */
    ut_wr32(m, rec + 28, (uint32_t)i);          /* pid */
    ut_wr32(m, rec + 32, flash);
    ut_wr32(m, rec + 36, 0x2000);
    ut_wr32(m, rec + 40, start);
    ut_wr32(m, rec + 44, BLOCK_SIZE);
    ut_wr32(m, rec + 48, start + 0x800);        /* app break */
    ut_wr32(m, rec + 52, start + 0x1000);       /* kernel break */
}

static void set_field(struct machine *m, int i, uint32_t off, uint32_t val)
{
    ut_wr32(m, TABLE + 24 + (uint32_t)i * 100 + off, val);
    ut_wr32(m, TABLE + 16, ut_rd32(m, TABLE + 16) + 1);     /* generation */
}

static void mpu_region(struct machine *m, uint32_t n, uint32_t base, uint32_t size_log2, uint32_t ap, bool xn)
{
    mpu_reg_write(&m->mpu, 0x8, n);
    mpu_reg_write(&m->mpu, 0xC, base);
    mpu_reg_write(&m->mpu, 0x10, (xn ? 1u << 28 : 0) | ap << 24 | (size_log2 - 1) << 1 | 1u);
}

/* alpha may use its flash (read-only) and [BLOCK_A, +0x800) of its RAM. */
static void setup(struct machine *m, struct isocheck *ic)
{
    memset(ic, 0, sizeof *ic);
    ut_wr32(m, TABLE, 0x4B415741u);            /* magic */
    ut_wr32(m, TABLE + 4, 1);                  /* version */
    ut_wr32(m, TABLE + 8, 100);                /* record size */
    ut_wr32(m, TABLE + 12, 2);
    ut_wr32(m, TABLE + 16, 1);                 /* generation */
    put_record(m, 0, "alpha", BLOCK_A, FLASH_A);
    put_record(m, 1, "beta", BLOCK_B, FLASH_B);
    mpu_region(m, 0, FLASH_A, 13, 6, false);   /* 8 KiB read-only */
    mpu_region(m, 1, BLOCK_A, 11, 3, true);    /* 2 KiB read-write */
    mpu_reg_write(&m->mpu, 0x4, 5u);           /* MPU on, PRIVDEFENA */
    ut_wr16(m, SVC_AT, 0xDF03);                /* svc 3 */
    ut_wr16(m, SVC_AT + 2, 0xDF00);            /* svc 0 */
    ic->pv.m = m;
    ic->pv.present = true;
    ic->pv.addr = TABLE;
    ic->running = -1;
    ic->app_lo = m->board->app_ram.base;
    ic->app_hi = m->board->app_ram.base + m->board->app_ram.size;
}

/* A machine past boot with alpha entered (running). */
static struct machine *alpha_running(struct isocheck *ic)
{
    struct machine *m = ut_machine_new();
    setup(m, ic);
    ic->booted = true;
    isocheck_enter(m, ic, BLOCK_A + 0x100, 0);
    return m;
}

/* alpha traps with svc #imm (at SVC_AT + 2 * which) with r0-r3; its frame goes to psp. */
static void alpha_svc(struct machine *m, struct isocheck *ic, int which, uint32_t psp, uint32_t r0, uint32_t r1,
                      uint32_t r2, uint32_t r3)
{
    uint32_t frame[8] = { r0, r1, r2, r3, 0, 0, SVC_AT + 2u * (uint32_t)which + 2u, 0x01000000u };
    isocheck_leave(m, ic, 11, frame, psp);
}

START_TEST(write_into_other_block_stops)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);     /* alpha runs */
    ck_assert(ic.armed);
    ut_wr32(m, BLOCK_B + 0x40, 0xDEADBEEFu);       /* ... and beta's RAM changes */
    isocheck_leave(m, &ic, 15, (uint32_t[8]){ 0 }, BLOCK_A + 0xE0);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "'beta'"));
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "'alpha' ran"));
    ut_machine_free(m);
}
END_TEST

START_TEST(own_block_and_ipc_share_are_fine)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    /* beta shares [BLOCK_B + 0x100, +0x100) with process index 0 (alpha) through IPC ... */
    struct procview_proc beta = { .pid = 1, .mem_start = BLOCK_B, .mem_size = BLOCK_SIZE,
                                  .app_break = BLOCK_B + 0x800, .kernel_break = BLOCK_B + 0x1000 };
    isoshadow_trap(&ic.shadow[1], &beta, BLOCK_B + 0x200, 3, (uint32_t[4]){ 0x10000, 0, BLOCK_B + 0x100, 0x100 });
    ck_assert(isoshadow_resume(&ic.shadow[1], SUCCESS_2U32));
    /* ... and the kernel maps it into alpha's MPU */
    mpu_region(m, 2, BLOCK_B + 0x100, 8, 3, true);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    ck_assert_int_eq(m->stop, STOP_NONE);
    ut_wr32(m, BLOCK_A + 0x80, 1);             /* its own memory */
    ut_wr32(m, BLOCK_B + 0x110, 2);            /* the shared buffer */
    isocheck_leave(m, &ic, 15, (uint32_t[8]){ 0 }, BLOCK_A + 0xE0);
    ck_assert_int_eq(m->stop, STOP_NONE);
    ck_assert_uint_eq(ic.checks, 1);
    ut_machine_free(m);
}
END_TEST

START_TEST(mpu_opening_unshared_memory_stops)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    mpu_region(m, 2, BLOCK_B + 0x100, 8, 3, true);  /* beta's RAM, never shared */
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert(!ic.armed);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "MPU lets process 'alpha' read [0x20006100, 0x20006120)"));
    ut_machine_free(m);
}
END_TEST

START_TEST(mpu_opening_grants_or_flash_writes_stops)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    mpu_region(m, 1, BLOCK_A, 13, 3, true);    /* the whole block, grants included */
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "read [0x20005000, 0x20005400)"));
    ut_machine_free(m);

    m = ut_machine_new();
    setup(m, &ic);
    mpu_region(m, 0, FLASH_A, 13, 3, false);   /* its flash, writable */
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "write [0x00030000, 0x00030400)"));
    ut_machine_free(m);
}
END_TEST

START_TEST(mpu_off_or_unknown_process_stops)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    mpu_reg_write(&m->mpu, 0x4, 0);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "MPU is off"));
    ut_machine_free(m);

    m = ut_machine_new();
    setup(m, &ic);
    isocheck_enter(m, &ic, 0x20002000u, 0);    /* kernel RAM */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "PSP 0x20002000, outside every live process"));
    ut_machine_free(m);
}
END_TEST

START_TEST(breaks_out_of_order_stop)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    set_field(m, 1, 48, BLOCK_B + 0x1800);     /* beta's app break above its kernel break */
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "process 'beta'"));
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "breaks are out of order"));
    ut_machine_free(m);

    m = ut_machine_new();
    setup(m, &ic);
    set_field(m, 1, 40, BLOCK_A + 0x1000);     /* beta's block overlaps alpha's */
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "overlaps another process"));
    ut_machine_free(m);
}
END_TEST

START_TEST(kernel_writes_grants_and_frame_only)
{
    struct isocheck ic;
    struct machine *m = alpha_running(&ic);
    alpha_svc(m, &ic, 1, BLOCK_A + 0xE0, 1, 0, 0, 0);    /* yield-wait, frame at +0xE0 */
    isocheck_kernel_write(m, &ic, BLOCK_B + 0x1F00, 4, 0x1000);    /* beta's grants */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x1000, 4, 0x1000);    /* alpha's grants */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0xE0, 4, 0x1000);      /* alpha's frame: r0 */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0xFC, 4, 0x1000);      /* ... xPSR */
    ck_assert_int_eq(m->stop, STOP_NONE);
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x100, 4, 0x1234);     /* above the frame */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "the kernel (pc 0x00001234) wrote 4 bytes at 0x20004100 in the "
                                              "RAM of 'alpha'"));
    ut_machine_free(m);

    m = alpha_running(&ic);
    alpha_svc(m, &ic, 1, BLOCK_A + 0xE0, 1, 0, 0, 0);
    isocheck_kernel_write(m, &ic, BLOCK_B + 0x10, 1, 0x1000);      /* beta's RAM while alpha called */
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "RAM of 'beta'"));
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "last process: 'alpha'"));
    ut_machine_free(m);
}
END_TEST

START_TEST(kernel_writes_allowed_buffers_only)
{
    struct isocheck ic;
    struct machine *m = alpha_running(&ic);
    alpha_svc(m, &ic, 0, BLOCK_A + 0xE0, 0x40001, 0, BLOCK_A + 0x200, 16);  /* RW allow of 16 bytes */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x200, 4, 0x1000);     /* while the call runs */
    isocheck_enter(m, &ic, BLOCK_A + 0x100, SUCCESS_2U32);
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x20C, 4, 0x1000);     /* later, e.g. from an interrupt */
    ck_assert_int_eq(m->stop, STOP_NONE);
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x20D, 4, 0x1000);     /* one byte past its end */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ut_machine_free(m);

    /* swapped out: allow (0, 0) on the same number takes the buffer back */
    m = alpha_running(&ic);
    alpha_svc(m, &ic, 0, BLOCK_A + 0xE0, 0x40001, 0, BLOCK_A + 0x200, 16);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, SUCCESS_2U32);
    alpha_svc(m, &ic, 0, BLOCK_A + 0xE0, 0x40001, 0, 0, 0);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, SUCCESS_2U32);
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x200, 1, 0x1000);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ut_machine_free(m);
}
END_TEST

START_TEST(refused_allow_is_not_held_and_forbidden_one_stops)
{
    struct isocheck ic;
    struct machine *m = alpha_running(&ic);
    alpha_svc(m, &ic, 0, BLOCK_A + 0xE0, 0x40001, 0, BLOCK_A + 0x200, 16);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 2);     /* Failure 2×u32: refused */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x200, 4, 0x1000);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ut_machine_free(m);

    m = ut_machine_new();
    setup(m, &ic);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    alpha_svc(m, &ic, 0, BLOCK_A + 0xE0, 0x40001, 0, BLOCK_A + 0x7F8, 16);  /* across the app break */
    isocheck_enter(m, &ic, BLOCK_A + 0x100, SUCCESS_2U32);                  /* ... accepted */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "the kernel accepted allow(class 3, driver 0x40001, number 0) of "
                                              "[0x200047f8, +16) from 'alpha'"));
    ut_machine_free(m);
}
END_TEST

START_TEST(yield_flag_and_reloading_blocks)
{
    struct isocheck ic;
    struct machine *m = alpha_running(&ic);
    alpha_svc(m, &ic, 1, BLOCK_A + 0xE0, 0, BLOCK_A + 0x300, 0, 0);     /* yield-no-wait, flag at +0x300 */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x300, 1, 0x1000);
    ck_assert_int_eq(m->stop, STOP_NONE);
    set_field(m, 1, 24, 8);                     /* beta terminated: the kernel may reset its block */
    isocheck_kernel_write(m, &ic, BLOCK_B + 0x10, 4, 0x1000);
    ck_assert_int_eq(m->stop, STOP_NONE);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x300, 1, 0x1000);     /* the yield is over */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ut_machine_free(m);
}
END_TEST

START_TEST(restart_between_entries_forgets_allows)
{
    struct isocheck ic;
    struct machine *m = alpha_running(&ic);
    alpha_svc(m, &ic, 0, BLOCK_A + 0xE0, 0x40001, 0, BLOCK_A + 0x200, 16);
    isocheck_enter(m, &ic, BLOCK_A + 0x100, SUCCESS_2U32);
    alpha_svc(m, &ic, 1, BLOCK_A + 0xE0, 1, 0, 0, 0);          /* yield-wait: the kernel runs */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x204, 4, 0x1000);
    ck_assert_int_eq(m->stop, STOP_NONE);
    set_field(m, 0, 28, 0x10000u);              /* alpha restarted: new pid, no process entered since */
    set_field(m, 0, 56, 1);                     /* restart count */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x204, 4, 0x1234);   /* into the buffer of its last life */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "pc 0x00001234"));
    ut_machine_free(m);
}
END_TEST

START_TEST(brk_zero_fill_and_yield_flag_bounds)
{
    struct isocheck ic;
    struct machine *m = alpha_running(&ic);
    alpha_svc(m, &ic, 1, BLOCK_A + 0xE0, 0, BLOCK_A + 0x800, 0x400, 0);    /* memop sbrk (svc 5 below) */
    ck_assert_int_eq(m->stop, STOP_NONE);
    ut_wr16(m, SVC_AT + 4, 0xDF05);             /* svc 5 */
    uint32_t frame[8] = { 1, 0x400, 0, 0, 0, 0, SVC_AT + 6, 0x01000000u };
    isocheck_enter(m, &ic, BLOCK_A + 0x100, 0);
    isocheck_leave(m, &ic, 11, frame, BLOCK_A + 0xE0);         /* sbrk(0x400) with the break at +0x800 */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x800, 4, 0x1000); /* zero-filling the new memory */
    ck_assert_int_eq(m->stop, STOP_NONE);
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x7FC, 4, 0x1000); /* below the old break */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ut_machine_free(m);

    m = alpha_running(&ic);
    alpha_svc(m, &ic, 1, BLOCK_A + 0xE0, 0, BLOCK_A + 0x900, 0, 0);  /* flag above the app break */
    isocheck_kernel_write(m, &ic, BLOCK_A + 0x900, 1, 0x1000);     /* the ABI forbids writing it */
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ut_machine_free(m);
}
END_TEST

Suite *isocheck_suite(void);
Suite *isocheck_suite(void)
{
    Suite *s = suite_create("isocheck");
    TCase *tc = tcase_create("watchdog");
    tcase_add_test(tc, write_into_other_block_stops);
    tcase_add_test(tc, own_block_and_ipc_share_are_fine);
    tcase_add_test(tc, mpu_opening_unshared_memory_stops);
    tcase_add_test(tc, mpu_opening_grants_or_flash_writes_stops);
    tcase_add_test(tc, mpu_off_or_unknown_process_stops);
    tcase_add_test(tc, breaks_out_of_order_stop);
    tcase_add_test(tc, kernel_writes_grants_and_frame_only);
    tcase_add_test(tc, kernel_writes_allowed_buffers_only);
    tcase_add_test(tc, refused_allow_is_not_held_and_forbidden_one_stops);
    tcase_add_test(tc, yield_flag_and_reloading_blocks);
    tcase_add_test(tc, restart_between_entries_forgets_allows);
    tcase_add_test(tc, brk_zero_fill_and_yield_flag_bounds);
    suite_add_tcase(s, tc);
    return s;
}
