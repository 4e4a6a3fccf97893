/*
 * test_mpu_layout.c — the PMSAv7 layout of kernel/arch/cortex-m/mpu.c
 * (linked through fake_arch.c): block sizing and placement, and for
 * thousands of random blocks and breaks, decoding the computed regions like
 * the hardware does: the unprivileged RW window covers [mem_start,
 * app_break), never a byte at or above kernel_break; regions are legal
 * (size >= 32, power of two, base aligned, subregions only when >= 256);
 * flash is exactly the TBF object, read-only and executable.
 */
#include <check.h>
#include <stdlib.h>

#include "kernel/arch.h"

Suite *mpu_layout_suite(void);

struct region { bool on; uint64_t base, size; uint32_t srd, ap; bool xn; };

static struct region decode(const struct arch_mpu_config *c, int i)
{
    uint32_t rasr = c->rasr[i];
    struct region r = { .on = rasr & 1 };
    r.size = (uint64_t)1 << (((rasr >> 1) & 31) + 1);
    r.base = c->rbar[i] & ~31u;
    r.srd = (rasr >> 8) & 0xFF;
    r.ap = (rasr >> 24) & 7;
    r.xn = rasr >> 28 & 1;
    return r;
}

static void check_legal(const struct arch_mpu_config *c)
{
    ck_assert_uint_le(c->n, ARCH_MPU_REGIONS);
    for (int i = 0; i < c->n; i++) {
        ck_assert_uint_eq(c->rbar[i] & 0x1F, 0x10u | (uint32_t)i);     /* VALID | region */
        struct region r = decode(c, i);
        if (!r.on)
            continue;
        ck_assert_uint_ge(r.size, 32);
        ck_assert_uint_eq(r.base % r.size, 0);
        if (r.srd)
            ck_assert_uint_ge(r.size, 256);
        ck_assert_uint_ne(r.srd, 0xFF);
    }
}

/* Region i covers addr (subregions considered)? */
static bool covers(const struct region *r, uint64_t addr)
{
    if (!r->on || addr < r->base || addr >= r->base + r->size)
        return false;
    if (r->size >= 256 && (r->srd >> ((addr - r->base) / (r->size / 8)) & 1))
        return false;
    return true;
}

/* Unprivileged write access: the highest-numbered covering region decides. */
static bool user_writable(const struct arch_mpu_config *c, uint64_t addr)
{
    for (int i = c->n - 1; i >= 0; i--) {
        struct region r = decode(c, i);
        if (covers(&r, addr))
            return r.ap == 3;
    }
    return false;
}

START_TEST(allocate_sizes)
{
    uint32_t start, size;
    ck_assert(arch_mpu_allocate(0x20004000, 0x20010000, 32, 0, &start, &size));
    ck_assert_uint_eq(size, 512);
    ck_assert_uint_eq(start, 0x20004000);
    ck_assert(arch_mpu_allocate(0x20004010, 0x20010000, 3000, 128, &start, &size));
    ck_assert_uint_eq(size, 4096);
    ck_assert_uint_eq(start, 0x20004800);      /* next multiple of size / 2 */
    ck_assert(arch_mpu_allocate(0x20004000, 0x20010000, 480, 32, &start, &size));
    ck_assert_uint_eq(size, 512);
    ck_assert(arch_mpu_allocate(0x20004000, 0x20010000, 481, 32, &start, &size));
    ck_assert_uint_eq(size, 1024);
    /* 900 + 100 fits 1024, but 900 rounded up to 1024/16 = 960, + 100 > 1024: doubled */
    ck_assert(arch_mpu_allocate(0x20004000, 0x20010000, 900, 100, &start, &size));
    ck_assert_uint_eq(size, 2048);
    ck_assert(!arch_mpu_allocate(0x20004000, 0x20010000, 0xC000, 8, &start, &size));
    ck_assert(!arch_mpu_allocate(0x2000FF00, 0x20010000, 32, 0, &start, &size));
    ck_assert(!arch_mpu_allocate(0x20000000, 0x20010000, 0xFFFFFFF0u, 0x100, &start, &size));
}
END_TEST

START_TEST(initial_layout)
{
    struct arch_mpu_config c;
    ck_assert(arch_mpu_compute(&c, 0x30000, 0x4000, 0x20004000, 8192, 0x20004020, 0x20004000 + 8192 - 64));
    check_legal(&c);
    ck_assert_uint_eq(c.n, 3);
    struct region r0 = decode(&c, 0), r1 = decode(&c, 1), f = decode(&c, 2);
    ck_assert(r0.on && !r1.on);
    ck_assert_uint_eq(r0.base, 0x20004000);
    ck_assert_uint_eq(r0.size, 4096);
    ck_assert_uint_eq(r0.srd, 0xFE);           /* one 512-byte subregion */
    ck_assert(r0.xn);
    ck_assert_uint_eq(r0.ap, 3);
    ck_assert_uint_eq(f.base, 0x30000);
    ck_assert_uint_eq(f.size, 0x4000);
    ck_assert_uint_eq(f.ap, 2);
    ck_assert(!f.xn);
    ck_assert_uint_eq(f.srd, 0);
}
END_TEST

START_TEST(separation_failure)
{
    struct arch_mpu_config c;
    uint32_t m = 0x20004000, top = m + 8192;        /* subregions of 512 */
    ck_assert(arch_mpu_compute(&c, 0x30000, 0x4000, m, 8192, top - 512, top - 512));
    ck_assert(!arch_mpu_compute(&c, 0x30000, 0x4000, m, 8192, top - 511, top - 100));
    ck_assert(!arch_mpu_compute(&c, 0x30000, 0x4000, m, 8192, top - 100, top - 200));  /* break > kernel_break */
    ck_assert(!arch_mpu_compute(&c, 0x30000, 0x4000, m, 8192, m - 4, top));
    ck_assert(!arch_mpu_compute(&c, 0x30000, 0x4000, m + 1024, 8192, m + 2048, top));   /* misaligned block */
    ck_assert(arch_mpu_compute(&c, 0x30000, 0x4000, m, 8192, top, top));                 /* everything */
    ck_assert_uint_eq(decode(&c, 0).srd, 0);
    ck_assert_uint_eq(decode(&c, 1).srd, 0);
}
END_TEST

START_TEST(flash_regions)
{
    struct arch_mpu_config c;
    uint32_t m = 0x20004000;
    /* 32 KiB at 0x34000: not aligned, needs 4 subregions of a 64 KiB region */
    ck_assert(arch_mpu_compute(&c, 0x34000, 0x8000, m, 512, m + 32, m + 512));
    check_legal(&c);
    struct region f = decode(&c, 2);
    ck_assert_uint_eq(f.base, 0x30000);
    ck_assert_uint_eq(f.size, 0x10000);
    ck_assert_uint_eq(f.srd, 0xC3);
    ck_assert(arch_mpu_compute(&c, 0x30100, 0x300, m, 512, m + 32, m + 512));
    ck_assert(!arch_mpu_compute(&c, 0x30010, 0x100, m, 512, m + 32, m + 512));
    ck_assert(!arch_mpu_compute(&c, 0x30000, 16, m, 512, m + 32, m + 512));
}
END_TEST

START_TEST(shared_regions)
{
    struct arch_mpu_config c;
    uint32_t m = 0x20004000;
    ck_assert(arch_mpu_compute(&c, 0x30000, 0x4000, m, 4096, m + 32, m + 4096));
    for (int i = 3; i < ARCH_MPU_REGIONS; i++)
        ck_assert(arch_mpu_add_shared(&c, 0x20008000u + 0x100u * (uint32_t)i, 64));
    ck_assert_uint_eq(c.n, ARCH_MPU_REGIONS);
    ck_assert(!arch_mpu_add_shared(&c, 0x20009000, 64));
    check_legal(&c);
    ck_assert(user_writable(&c, 0x20008300));
    ck_assert(decode(&c, 3).xn);
    ck_assert(arch_mpu_compute(&c, 0x30000, 0x4000, m, 4096, m + 32, m + 4096));
    ck_assert(!arch_mpu_add_shared(&c, 0x20008004, 64));
    ck_assert(!arch_mpu_add_shared(&c, 0x20008000, 16));
}
END_TEST

/* Random blocks from allocate(), random breaks: decode and check every byte boundary that matters. */
START_TEST(random_layouts)
{
    srand(777);
    int ok = 0, refused = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint32_t min_app = 32 + (uint32_t)rand() % (rand() % 2 ? 600 : 40000);
        uint32_t kpart = 8u * (uint32_t)(rand() % 17);
        uint32_t pool = 0x20000000u + ((uint32_t)rand() % 0x8000u & ~3u), start, size;
        if (!arch_mpu_allocate(pool, 0x20080000u, min_app, kpart, &start, &size))
            continue;
        ck_assert(size >= 512 && (size & (size - 1)) == 0 && start % (size / 2) == 0 && start >= pool);
        uint32_t sub = size / 16, top = start + size, kb0 = top - kpart;
        ck_assert_uint_le(((min_app + sub - 1) / sub) * sub, kb0);      /* min_app reachable */
        uint32_t kb = kb0 - ((uint32_t)rand() % (kb0 - start + 1) & ~7u);
        if (kb < start)
            kb = start;
        uint32_t brk = start + (uint32_t)rand() % (kb - start + 1);
        struct arch_mpu_config c;
        bool res = arch_mpu_compute(&c, 0x40000, 0x2000, start, size, brk, kb);
        uint32_t end = start + ((brk - start + sub - 1) / sub) * sub;
        ck_assert_int_eq(res, end <= kb);
        if (!res) {
            refused++;
            continue;
        }
        ok++;
        check_legal(&c);
        if (brk > start) {
            ck_assert(user_writable(&c, start));
            ck_assert(user_writable(&c, brk - 1));
            ck_assert(user_writable(&c, start + (brk - start) / 2));
        }
        ck_assert(!user_writable(&c, end));
        ck_assert(!user_writable(&c, kb));
        if (end < top)
            ck_assert(!user_writable(&c, top - 1));
        ck_assert(!user_writable(&c, start - 1));
        for (uint32_t a = start; a < top; a += sub)
            ck_assert_int_eq(user_writable(&c, a), a < end);
    }
    ck_assert_int_gt(ok, 10000);
    ck_assert_int_gt(refused, 10);
}
END_TEST

/* Random flash objects: when a region is found it covers exactly [start, start + size). */
START_TEST(random_flash)
{
    srand(99);
    int found = 0;
    for (int iter = 0; iter < 20000; iter++) {
        uint32_t size = 32u << (rand() % 12);
        if (rand() % 3 == 0)
            size = size / 8 * (1 + (uint32_t)rand() % 8);
        uint32_t start = 0x30000u + (((uint32_t)rand() % 0x40000u) & ~(rand() % 2 ? 31u : size / 8 - 1));
        struct arch_mpu_config c;
        if (!arch_mpu_compute(&c, start, size, 0x20004000, 512, 0x20004020, 0x20004200))
            continue;
        found++;
        check_legal(&c);
        struct region f = decode(&c, 2);
        ck_assert(covers(&f, start) && covers(&f, (uint64_t)start + size - 1));
        ck_assert(!covers(&f, start - 1) && !covers(&f, (uint64_t)start + size));
        ck_assert(f.ap == 2 && !f.xn);
    }
    ck_assert_int_gt(found, 1000);
}
END_TEST

Suite *mpu_layout_suite(void)
{
    Suite *s = suite_create("mpu_layout");
    TCase *tc = tcase_create("pmsav7");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, allocate_sizes);
    tcase_add_test(tc, initial_layout);
    tcase_add_test(tc, separation_failure);
    tcase_add_test(tc, flash_regions);
    tcase_add_test(tc, shared_regions);
    tcase_add_test(tc, random_layouts);
    tcase_add_test(tc, random_flash);
    suite_add_tcase(s, tc);
    return s;
}
