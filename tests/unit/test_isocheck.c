/*
 * test_isocheck.c — the --check-isolation watchdog: a write into another
 * process's RAM block while a process runs stops the run; writes into the
 * running process's own block, or into memory the MPU lets it write (IPC
 * shares), do not.  The awareness table is written into guest RAM by hand.
 */
#include <check.h>
#include <string.h>

#include "isocheck.h"
#include "machine.h"
#include "mpu.h"
#include "test_support.h"

#define TABLE 0x20000100u
#define BLOCK_A 0x20004000u
#define BLOCK_B 0x20006000u
#define BLOCK_SIZE 0x2000u

static void put_record(struct machine *m, int i, const char *name, uint32_t start)
{
    uint32_t rec = TABLE + 24 + (uint32_t)i * 100;
    for (uint32_t k = 0; k < 100; k += 4)
        ut_wr32(m, rec + k, 0);
    memcpy(machine_host_ptr(m, rec, 24), name, strlen(name));
    ut_wr32(m, rec + 24, 2);                    /* Yielded */
    ut_wr32(m, rec + 28, (uint32_t)i);
    ut_wr32(m, rec + 40, start);
    ut_wr32(m, rec + 44, BLOCK_SIZE);
}

static struct isocheck *setup(struct machine *m, struct isocheck *ic)
{
    memset(ic, 0, sizeof *ic);
    ut_wr32(m, TABLE, 0x4B415741u);            /* magic */
    ut_wr32(m, TABLE + 4, 1);                  /* version */
    ut_wr32(m, TABLE + 8, 100);                /* record size */
    ut_wr32(m, TABLE + 12, 2);
    ut_wr32(m, TABLE + 16, 1);                 /* generation */
    put_record(m, 0, "alpha", BLOCK_A);
    put_record(m, 1, "beta", BLOCK_B);
    mpu_reg_write(&m->mpu, 0x4, 5u);          /* MPU on, no region yet: unprivileged may write nothing */
    ic->pv.m = m;
    ic->pv.present = true;
    ic->pv.addr = TABLE;
    ic->running = -1;
    return ic;
}

START_TEST(write_into_other_block_stops)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    isocheck_enter(m, &ic, BLOCK_A + 0x100);   /* alpha runs */
    ut_wr32(m, BLOCK_B + 0x40, 0xDEADBEEFu);   /* ... and beta's RAM changes */
    isocheck_leave(m, &ic);
    ck_assert_int_eq(m->stop, STOP_CPU_ERROR);
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "'beta'"));
    ck_assert_ptr_nonnull(strstr(m->stop_msg, "'alpha' ran"));
    ut_machine_free(m);
}
END_TEST

START_TEST(own_block_and_shared_memory_are_fine)
{
    struct machine *m = ut_machine_new();
    struct isocheck ic;
    setup(m, &ic);
    /* MPU on: region 0 lets unprivileged code write 256 bytes of beta's block (an IPC share) */
    mpu_reg_write(&m->mpu, 0x8, 0);
    mpu_reg_write(&m->mpu, 0xC, BLOCK_B);
    mpu_reg_write(&m->mpu, 0x10, (1u << 28) | (3u << 24) | (7u << 1) | 1u);
    mpu_reg_write(&m->mpu, 0x4, 5u);
    isocheck_enter(m, &ic, BLOCK_A + 0x100);
    ut_wr32(m, BLOCK_A + 0x80, 1);             /* its own memory */
    ut_wr32(m, BLOCK_B + 0x10, 2);             /* the shared buffer */
    isocheck_leave(m, &ic);
    ck_assert_int_eq(m->stop, STOP_NONE);
    ck_assert_uint_eq(ic.checks, 1);
    ut_machine_free(m);
}
END_TEST

Suite *isocheck_suite(void);
Suite *isocheck_suite(void)
{
    Suite *s = suite_create("isocheck");
    TCase *tc = tcase_create("watchdog");
    tcase_add_test(tc, write_into_other_block_stops);
    tcase_add_test(tc, own_block_and_shared_memory_are_fine);
    suite_add_tcase(s, tc);
    return s;
}
