/*
 * test_mpu.c — the PMSAv7 MPU: its register file through the SCS MMIO path
 * (TYPE, CTRL, RNR, RBAR/RASR with VALID+REGION, the three alias pairs) on a
 * Hail machine (8 regions), and mpu_allows() decisions on a bare mpu_state
 * configured through mpu_reg_write(): every AP value for privileged and
 * unprivileged read/write/execute, XN, subregion disables, PRIVDEFENA and
 * the default map, overlapping regions (the higher number wins), region
 * sizes and base masking; access_check() (with its remembered decisions)
 * after MPU changes.
 */
#include <check.h>

#include "mpu.h"
#include "mpu_enforce.h"
#include "test_support.h"

#define MPU_TYPE  0xE000ED90u
#define MPU_CTRL  0xE000ED94u
#define MPU_RNR   0xE000ED98u
#define MPU_RBAR  0xE000ED9Cu
#define MPU_RASR  0xE000EDA0u
#define MPU_RBAR_A(n) (0xE000ED9Cu + 8u * (n))
#define MPU_RASR_A(n) (0xE000EDA0u + 8u * (n))

static struct machine *m;

static void setup(void) { m = ut_machine_new(); }
static void teardown(void) { ut_machine_free(m); m = NULL; }

/* ---- MPU registers ---------------------------------------------------------------------- */

START_TEST(mpu_type_ctrl_rnr)
{
    ck_assert_uint_eq(ut_rd32(m, MPU_TYPE), 8u << 8);       /* DREGION 8, unified */
    ut_wr32(m, MPU_TYPE, 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, MPU_TYPE), 8u << 8);
    ck_assert_uint_eq(ut_rd32(m, MPU_CTRL), 0);
    ut_wr32(m, MPU_CTRL, 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, MPU_CTRL), 7);
    ut_wr32(m, MPU_CTRL, 0);
    ut_wr32(m, MPU_RNR, 3);
    ck_assert_uint_eq(ut_rd32(m, MPU_RNR), 3);
    ut_wr32(m, MPU_RNR, 8);                                  /* no region 8 */
    ck_assert_uint_eq(ut_rd32(m, MPU_RNR), 3);
}
END_TEST

START_TEST(mpu_rbar_rasr)
{
    uint32_t gen = m->mpu.generation;
    ut_wr32(m, MPU_RNR, 3);
    ut_wr32(m, MPU_RBAR, 0x20000000u);                      /* VALID clear: region RNR */
    ut_wr32(m, MPU_RASR, 0x0306000Du);                      /* AP 3, C B, 128 bytes, enabled */
    ck_assert_uint_eq(m->mpu.rbar[3], 0x20000000u);
    ck_assert_uint_eq(ut_rd32(m, MPU_RBAR), 0x20000003u);   /* REGION reads RNR, VALID 0 */
    ck_assert_uint_eq(ut_rd32(m, MPU_RASR), 0x0306000Du);
    ck_assert_uint_gt(m->mpu.generation, gen);
    ut_wr32(m, MPU_RASR, 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, MPU_RASR), 0x173FFF3Fu);   /* reserved bits read 0 */
    /* VALID + REGION: selects the region and updates RNR */
    ut_wr32(m, MPU_RBAR, 0x20001000u | 0x10u | 5u);
    ck_assert_uint_eq(ut_rd32(m, MPU_RNR), 5);
    ck_assert_uint_eq(m->mpu.rbar[5], 0x20001000u);
    ck_assert_uint_eq(m->mpu.rbar[3], 0x20000000u);
    ck_assert_uint_eq(ut_rd32(m, MPU_RBAR), 0x20001005u);
    /* VALID with a region that does not exist: ignored */
    ut_wr32(m, MPU_RBAR, 0x30000000u | 0x10u | 9u);
    ck_assert_uint_eq(ut_rd32(m, MPU_RNR), 5);
    for (int r = 0; r < 8; r++)
        ck_assert_uint_ne(m->mpu.rbar[r], 0x30000000u);
    /* REGION bits without VALID are ignored: RNR still selects */
    ut_wr32(m, MPU_RBAR, 0x20002000u | 2u);
    ck_assert_uint_eq(m->mpu.rbar[5], 0x20002000u);
    ck_assert_uint_eq(m->mpu.rbar[2], 0);
    /* the SRD byte of RASR on its own */
    ut_wr32(m, MPU_RASR, 0x03060013u);                      /* 1 KiB */
    ut_wr8(m, MPU_RASR + 1, 0x0F);
    ck_assert_uint_eq(ut_rd32(m, MPU_RASR), 0x03060F13u);
}
END_TEST

START_TEST(mpu_alias_registers)
{
    for (uint32_t a = 1; a <= 3; a++) {
        uint32_t r = a + 4;
        ut_wr32(m, MPU_RBAR_A(a), (0x20000000u + 0x1000u * a) | 0x10u | r);
        ut_wr32(m, MPU_RASR_A(a), 0x03000011u + (a << 8));
        ck_assert_uint_eq(ut_rd32(m, MPU_RNR), r);
        ck_assert_uint_eq(m->mpu.rbar[r], 0x20000000u + 0x1000u * a);
        ck_assert_uint_eq(m->mpu.rasr[r], 0x03000011u + (a << 8));
        /* every alias reads the region RNR selects */
        for (uint32_t b = 0; b <= 3; b++) {
            ck_assert_uint_eq(ut_rd32(m, MPU_RBAR_A(b)), (0x20000000u + 0x1000u * a) | r);
            ck_assert_uint_eq(ut_rd32(m, MPU_RASR_A(b)), 0x03000011u + (a << 8));
        }
    }
    /* a whole table in one go, as an RTOS does with the aliases */
    ut_wr32(m, MPU_RNR, 0);
    ut_wr32(m, MPU_RBAR_A(0), 0x00000000u | 0x10u | 0u);
    ut_wr32(m, MPU_RASR_A(0), 0x0600002Fu);                 /* SIZE 23: 16 MiB */
    ut_wr32(m, MPU_RBAR_A(1), 0x20000000u | 0x10u | 1u);
    ut_wr32(m, MPU_RASR_A(1), 0x1300001Du);                 /* 32 KiB, XN */
    ck_assert_uint_eq(m->mpu.rasr[0], 0x0600002Fu);
    ck_assert_uint_eq(m->mpu.rasr[1], 0x1300001Du);
    ck_assert_uint_eq(ut_rd32(m, MPU_RNR), 1);
}
END_TEST

/* ---- mpu_allows on a bare mpu_state --------------------------------------------------------- */

static struct mpu_state mpu;

static void mpu_region(int r, uint32_t base, uint32_t size_log2, uint32_t ap, bool xn, uint32_t srd)
{
    mpu_reg_write(&mpu, 0xC, (base & ~0x1Fu) | 0x10u | (uint32_t)r);
    mpu_reg_write(&mpu, 0x10, (xn ? 1u << 28 : 0) | ap << 24 | (srd & 0xFFu) << 8 |
                              ((size_log2 - 1u) & 0x1Fu) << 1 | 1u);
}

static void mpu_on(uint32_t ctrl) { mpu_reg_write(&mpu, 0x4, ctrl | MPU_CTRL_ENABLE); }

static bool allows(uint32_t addr, int acc, bool priv) { return mpu_allows(&mpu, addr, acc, priv, false); }

START_TEST(mpu_allows_every_ap)
{
    /* expected permissions: priv R, priv W, unpriv R, unpriv W */
    static const bool table[8][4] = {
        {0, 0, 0, 0},   /* 0 no access */
        {1, 1, 0, 0},   /* 1 priv RW */
        {1, 1, 1, 0},   /* 2 priv RW, unpriv RO */
        {1, 1, 1, 1},   /* 3 full access */
        {0, 0, 0, 0},   /* 4 reserved: treated as no access */
        {1, 0, 0, 0},   /* 5 priv RO */
        {1, 0, 1, 0},   /* 6 RO */
        {1, 0, 1, 0},   /* 7 RO */
    };
    for (uint32_t ap = 0; ap < 8; ap++) {
        mpu_reset(&mpu, 8);
        mpu_region(0, 0x20000000u, 12, ap, false, 0);
        mpu_on(0);
        uint32_t a = 0x20000800u;
        ck_assert_msg(allows(a, ACC_READ, true) == table[ap][0], "AP %u priv read", ap);
        ck_assert_msg(allows(a, ACC_WRITE, true) == table[ap][1], "AP %u priv write", ap);
        ck_assert_msg(allows(a, ACC_READ, false) == table[ap][2], "AP %u unpriv read", ap);
        ck_assert_msg(allows(a, ACC_WRITE, false) == table[ap][3], "AP %u unpriv write", ap);
        /* executing needs read permission (XN clear) */
        ck_assert_msg(allows(a, ACC_EXEC, true) == table[ap][0], "AP %u priv exec", ap);
        ck_assert_msg(allows(a, ACC_EXEC, false) == table[ap][2], "AP %u unpriv exec", ap);
        /* XN: never executable, data permissions unchanged */
        mpu_region(0, 0x20000000u, 12, ap, true, 0);
        ck_assert_msg(!allows(a, ACC_EXEC, true) && !allows(a, ACC_EXEC, false), "AP %u XN", ap);
        ck_assert_msg(allows(a, ACC_READ, true) == table[ap][0], "AP %u XN priv read", ap);
        ck_assert_msg(allows(a, ACC_WRITE, false) == table[ap][3], "AP %u XN unpriv write", ap);
    }
}
END_TEST

START_TEST(mpu_allows_disabled_and_background)
{
    mpu_reset(&mpu, 8);
    /* MPU off: the default map, where only XN regions refuse execution */
    ck_assert(allows(0x20000000u, ACC_WRITE, false));
    ck_assert(allows(0x00001000u, ACC_EXEC, false));
    ck_assert(allows(0x60000000u, ACC_EXEC, false));
    ck_assert(!allows(0x40000000u, ACC_EXEC, true));
    ck_assert(!allows(0x5FFFFFFFu, ACC_EXEC, true));
    ck_assert(!allows(0xA0000000u, ACC_EXEC, true));
    ck_assert(!allows(0xE000E000u, ACC_EXEC, true));
    ck_assert(allows(0x9FFFFFFFu, ACC_EXEC, true));
    ck_assert(allows(0x40000000u, ACC_WRITE, false));
    ck_assert(mpu_default_xn(0x40000000u) && !mpu_default_xn(0x3FFFFFFFu));

    /* on, no region, no PRIVDEFENA: nothing is allowed */
    mpu_on(0);
    ck_assert(!allows(0x20000000u, ACC_READ, true));
    ck_assert(!allows(0x20000000u, ACC_READ, false));
    /* ... except with ignore_mpu (HardFault/NMI with HFNMIENA clear) */
    ck_assert(mpu_allows(&mpu, 0x20000000u, ACC_WRITE, false, true));
    ck_assert(!mpu_allows(&mpu, 0x40000000u, ACC_EXEC, true, true));
    /* PRIVDEFENA: the default map for privileged accesses only */
    mpu_on(MPU_CTRL_PRIVDEFENA);
    ck_assert(allows(0x20000000u, ACC_WRITE, true));
    ck_assert(allows(0x00000100u, ACC_EXEC, true));
    ck_assert(!allows(0x40000000u, ACC_EXEC, true));
    ck_assert(!allows(0x20000000u, ACC_READ, false));
    /* a region overrides the background, also for privileged code */
    mpu_region(2, 0x20000000u, 10, 0, false, 0);
    ck_assert(!allows(0x20000000u, ACC_READ, true));
    ck_assert(allows(0x20000400u, ACC_READ, true));
    /* a disabled region is no region */
    mpu_reg_write(&mpu, 0x10, 0);
    ck_assert(allows(0x20000000u, ACC_READ, true));
}
END_TEST

START_TEST(mpu_allows_subregions)
{
    mpu_reset(&mpu, 8);
    /* 2 KiB at 0x20000000: 8 subregions of 256 bytes; disable 0 and 7 */
    mpu_region(1, 0x20000000u, 11, 3, false, 0x81);
    mpu_on(MPU_CTRL_PRIVDEFENA);
    ck_assert(!allows(0x20000000u, ACC_READ, false));       /* subregion 0: background */
    ck_assert(!allows(0x200000FFu, ACC_READ, false));
    ck_assert(allows(0x20000100u, ACC_READ, false));        /* subregion 1 */
    ck_assert(allows(0x200006FFu, ACC_WRITE, false));       /* subregion 6 */
    ck_assert(!allows(0x20000700u, ACC_READ, false));       /* subregion 7 */
    ck_assert(allows(0x20000000u, ACC_READ, true));         /* privileged: background map */
    /* a disabled subregion of a higher region falls through to a lower one */
    mpu_region(0, 0x20000000u, 16, 6, false, 0);            /* 64 KiB read-only */
    ck_assert(allows(0x20000000u, ACC_READ, false));
    ck_assert(!allows(0x20000000u, ACC_WRITE, false));
    ck_assert(allows(0x20000100u, ACC_WRITE, false));
    /* the largest region: 4 GiB in 512 MiB subregions */
    mpu_reset(&mpu, 8);
    mpu_region(7, 0, 32, 3, false, 0x02);                   /* 0x20000000-0x3FFFFFFF disabled */
    mpu_on(0);
    ck_assert(allows(0x1FFFFFFFu, ACC_WRITE, false));
    ck_assert(!allows(0x20000000u, ACC_READ, false));
    ck_assert(allows(0x40000000u, ACC_WRITE, false));
    ck_assert(allows(0xFFFFFFFFu, ACC_READ, false));
}
END_TEST

START_TEST(mpu_allows_overlap_higher_number_wins)
{
    mpu_reset(&mpu, 8);
    mpu_region(1, 0x20000000u, 16, 3, false, 0);            /* 64 KiB RW */
    mpu_region(6, 0x20004000u, 10, 0, false, 0);            /* 1 KiB no access */
    mpu_on(0);
    ck_assert(allows(0x20003FFFu, ACC_WRITE, false));
    ck_assert(!allows(0x20004000u, ACC_READ, false));
    ck_assert(!allows(0x200043FFu, ACC_READ, true));
    ck_assert(allows(0x20004400u, ACC_WRITE, false));
    /* swapped numbers: the big region wins everywhere it covers */
    mpu_reset(&mpu, 8);
    mpu_region(6, 0x20000000u, 16, 0, false, 0);
    mpu_region(1, 0x20004000u, 10, 3, false, 0);
    mpu_on(0);
    ck_assert(!allows(0x20004000u, ACC_READ, false));
    ck_assert(!allows(0x20004000u, ACC_READ, true));
    /* XN of the winning region decides execution */
    mpu_reset(&mpu, 8);
    mpu_region(0, 0x00000000u, 19, 6, false, 0);            /* flash RO, executable */
    mpu_region(4, 0x00030000u, 16, 6, true, 0);             /* 64 KiB of it XN */
    mpu_on(0);
    ck_assert(allows(0x0002FFFEu, ACC_EXEC, false));
    ck_assert(!allows(0x00030000u, ACC_EXEC, false));
    ck_assert(allows(0x00030000u, ACC_READ, false));
    ck_assert(allows(0x00040000u, ACC_EXEC, false));
}
END_TEST

START_TEST(mpu_allows_sizes_and_base_masking)
{
    for (uint32_t lg = 5; lg <= 20; lg++) {
        uint32_t size = 1u << lg;
        mpu_reset(&mpu, 8);
        /* a base that is not size-aligned is rounded down to the size */
        mpu_region(3, 0x20000000u + size + 0x20u, lg, 3, false, 0);
        mpu_on(0);
        uint32_t base = (0x20000000u + size + 0x20u) & ~(size - 1);
        ck_assert_msg(allows(base, ACC_READ, false), "2^%u: first byte", lg);
        ck_assert_msg(allows(base + size - 1, ACC_READ, false), "2^%u: last byte", lg);
        ck_assert_msg(!allows(base + size, ACC_READ, false), "2^%u: byte after", lg);
        ck_assert_msg(!allows(base - 1, ACC_READ, false), "2^%u: byte before", lg);
    }
    /* SIZE < 4 is unpredictable: the region is ignored */
    mpu_reset(&mpu, 8);
    mpu_region(0, 0x20000000u, 4, 3, false, 0);
    mpu_on(0);
    ck_assert(!allows(0x20000000u, ACC_READ, true));
    /* subregions of regions under 256 bytes do not exist: SRD is ignored */
    mpu_reset(&mpu, 8);
    mpu_region(0, 0x20000000u, 7, 3, false, 0xFF);
    mpu_on(0);
    ck_assert(allows(0x20000000u, ACC_READ, false));
    ck_assert(allows(0x2000007Fu, ACC_READ, false));
}
END_TEST

/* ---- access_check (mpu_enforce.c): remembered decisions follow the MPU ----------------- */

static void region_through_scs(uint32_t n, uint32_t base, uint32_t size_log2, uint32_t ap)
{
    ut_wr32(m, MPU_RBAR, base | 0x10u | n);
    ut_wr32(m, MPU_RASR, 1u << 28 | ap << 24 | (size_log2 - 1) << 1 | 1u);
    ut_wr32(m, MPU_CTRL, 5u);                               /* on, PRIVDEFENA */
}

START_TEST(access_check_follows_mpu_changes)
{
    region_through_scs(0, 0x20000000u, 10, 3);              /* 1 KiB, RW for everyone */
    for (int i = 0; i < 2; i++)                             /* the second time from the memo */
        ck_assert_int_eq(access_check(m, 0x200003E0u, 32, ACC_WRITE, false), ACCESS_OK);
    /* a frame whose last byte leaves the region: the first block's memo does not decide */
    ck_assert_int_eq(access_check(m, 0x200003F0u, 32, ACC_WRITE, false), ACCESS_MEMMANAGE);
    ck_assert_int_eq(access_check(m, 0x200003F0u, 32, ACC_WRITE, true), ACCESS_OK);
    region_through_scs(0, 0x20000000u, 10, 1);              /* now privileged only */
    ck_assert_int_eq(access_check(m, 0x200003E0u, 32, ACC_WRITE, false), ACCESS_MEMMANAGE);
    ck_assert_int_eq(access_check(m, 0x200003E0u, 32, ACC_READ, true), ACCESS_OK);

    /* a replaced MPU state may repeat a generation number (snapshot restore) */
    struct mpu_state open = m->mpu;
    region_through_scs(0, 0x20000000u, 10, 3);
    ck_assert_int_eq(access_check(m, 0x20000000u, 4, ACC_READ, false), ACCESS_OK);
    uint32_t generation = m->mpu.generation;
    m->mpu = open;
    m->mpu.generation = generation;
    mpu_enforce_forget(m);
    ck_assert_int_eq(access_check(m, 0x20000000u, 4, ACC_READ, false), ACCESS_MEMMANAGE);
}
END_TEST

Suite *mpu_suite(void); /* called by tests/unit/runner.c */
Suite *mpu_suite(void)
{
    Suite *s = suite_create("mpu");
    TCase *tc = tcase_create("registers");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mpu_type_ctrl_rnr);
    tcase_add_test(tc, mpu_rbar_rasr);
    tcase_add_test(tc, mpu_alias_registers);
    tcase_add_test(tc, access_check_follows_mpu_changes);
    suite_add_tcase(s, tc);

    tc = tcase_create("allows");
    tcase_add_test(tc, mpu_allows_every_ap);
    tcase_add_test(tc, mpu_allows_disabled_and_background);
    tcase_add_test(tc, mpu_allows_subregions);
    tcase_add_test(tc, mpu_allows_overlap_higher_number_wins);
    tcase_add_test(tc, mpu_allows_sizes_and_base_masking);
    suite_add_tcase(s, tc);
    return s;
}
