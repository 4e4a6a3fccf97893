/*
 * test_grant.c — grants (kernel/grant.c): region layout and size, carving
 * from kernel_break on first use (zeroed, recorded in the pointer table),
 * NOMEM for that process only, grant_enter through the_kernel with stale
 * process ids, reclaiming on terminate/restart, grant_count_allocated.
 */
#include <check.h>
#include <string.h>

#include "kernel/kernel.h"

Suite *grant_suite(void);
bool fake_hail_memory(void);     /* fake_arch.c */

#define POOL 0x20004000u
#define POOL_END 0x20010000u

static struct kernel k;
static struct grant g_alarm = { .driver_num = 0x0, .data_size = 20, .n_upcalls = 1 };
static struct grant g_console = { .driver_num = 0x1, .data_size = 44, .n_upcalls = 3, .n_ro_allows = 2,
                                  .n_rw_allows = 1 };
static struct grant g_big = { .driver_num = 0x40001, .data_size = 3000 };
static uint32_t pool;

static struct process *make(int index, uint32_t min_ram)
{
    struct tbf_header h = { .version = 2, .header_size = 76, .total_size = 0x4000, .init_fn_offset = 0x40,
                            .minimum_ram_size = min_ram, .binary_end_offset = 0x4000, .has_kernel_version = true };
    ck_assert_int_eq(process_create(&k, index, 0x30000u + 0x4000u * (uint32_t)index, &h, &pool, POOL_END),
                     ERR_NONE);
    k.nprocs = index + 1;
    return k.procs[index];
}

static void setup(void)
{
    ck_assert(fake_hail_memory());
    memset(&k, 0, sizeof k);
    memset((void *)(uintptr_t)POOL, 0x5A, POOL_END - POOL);
    struct grant *gs[] = { &g_alarm, &g_console, &g_big };
    for (int i = 0; i < 3; i++)
        gs[i]->index = (uint8_t)i, k.grants[i] = gs[i];
    k.ngrants = 3;
    the_kernel = &k;
    pool = POOL;
}

START_TEST(region_layout)
{
    ck_assert_uint_eq(grant_region_size(&g_alarm), 16 + 24);             /* 4 + 8 → 16, data 24 */
    ck_assert_uint_eq(grant_region_size(&g_console), 56 + 48);           /* 4 + 48 → 56, data 48 */
    uint8_t buf[128] __attribute__((aligned(8)));
    void *r = buf;
    ck_assert_ptr_eq(grant_upcalls(&g_console, r), buf + 4);
    ck_assert_ptr_eq(grant_ro_allows(&g_console, r), buf + 4 + 24);
    ck_assert_ptr_eq(grant_rw_allows(&g_console, r), buf + 4 + 24 + 16);
    ck_assert_ptr_eq(grant_data(&g_console, r), buf + 56);
    ck_assert_uint_eq((uintptr_t)grant_data(&g_alarm, r) % 8, 0);
    struct grant empty = { 0 };
    ck_assert_uint_eq(grant_region_size(&empty), 8);
}
END_TEST

START_TEST(first_use_carves)
{
    struct process *p = make(0, 3000);
    uint32_t kb = p->kernel_break;
    errorcode_t err = ERR_FAIL;
    ck_assert_ptr_null(grant_region(p, &g_console, false, &err));
    ck_assert_int_eq(err, ERR_NONE);
    ck_assert_int_eq(grant_count_allocated(p), 0);
    uint32_t *r = grant_region(p, &g_console, true, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(err, ERR_NONE);
    ck_assert_uint_eq((uintptr_t)r, kb - grant_region_size(&g_console));
    ck_assert_uint_eq(p->kernel_break, (uint32_t)(uintptr_t)r);
    ck_assert_uint_eq(r[0], 3u | 2u << 8 | 1u << 16);
    for (uint32_t i = 1; i < grant_region_size(&g_console) / 4; i++)
        ck_assert_uint_eq(r[i], 0);
    ck_assert_uint_eq(p->grant_table[1].ptr, (uint32_t)(uintptr_t)r);
    ck_assert_uint_eq(p->grant_table[1].driver_num, 0x1);
    ck_assert_ptr_eq(grant_region(p, &g_console, true, NULL), r);        /* second use: same */
    ck_assert_ptr_eq(grant_region(p, &g_console, false, NULL), r);
    ck_assert_uint_eq(p->kernel_break, (uint32_t)(uintptr_t)r);
    ck_assert_int_eq(grant_count_allocated(p), 1);
    ck_assert_ptr_nonnull(grant_region(p, &g_alarm, true, NULL));
    ck_assert_int_eq(grant_count_allocated(p), 2);
    ck_assert_uint_lt(p->kernel_break, (uint32_t)(uintptr_t)r);
}
END_TEST

START_TEST(nomem_only_for_that_process)
{
    struct process *a = make(0, 600);      /* 1 KiB block: 3000 bytes of grant never fit */
    struct process *b = make(1, 8000);
    errorcode_t err = ERR_NONE;
    uint32_t kb = a->kernel_break;
    ck_assert_ptr_null(grant_region(a, &g_big, true, &err));
    ck_assert_int_eq(err, ERR_NOMEM);
    ck_assert_uint_eq(a->kernel_break, kb);
    ck_assert_uint_eq(a->grant_table[2].ptr, 0);
    ck_assert_ptr_nonnull(grant_region(b, &g_big, true, &err));
    ck_assert_int_eq(err, ERR_NONE);
    /* the app's heap and the grants compete for the same gap */
    uint32_t sub = b->mem_size / 16;
    uint32_t brk = b->mem_start + (b->kernel_break - b->mem_start) / sub * sub;
    ck_assert_int_eq(process_brk(&k, b, brk), ERR_NONE);
    ck_assert_ptr_nonnull(process_alloc_kernel(&k, b, (b->kernel_break - brk) & ~7u));
    ck_assert_ptr_null(grant_region(b, &g_console, true, &err));
    ck_assert_int_eq(err, ERR_NOMEM);
}
END_TEST

START_TEST(enter_by_pid)
{
    struct process *p = make(0, 3000);
    make(1, 1024);
    processid_t pid = p->id;
    uint8_t *d = grant_enter(&g_alarm, pid);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_eq(d, grant_data(&g_alarm, (void *)(uintptr_t)p->grant_table[0].ptr));
    memset(d, 0x11, g_alarm.data_size);
    ck_assert_ptr_eq(grant_enter(&g_alarm, pid), d);
    ck_assert_uint_eq(d[0], 0x11);
    process_restart(&k, p);                                  /* new generation, grants reclaimed */
    ck_assert_ptr_null(grant_enter(&g_alarm, pid));
    ck_assert_int_eq(grant_count_allocated(p), 0);
    ck_assert_uint_eq(p->kernel_break, p->initial_kernel_break);
    uint8_t *d2 = grant_enter(&g_alarm, p->id);
    ck_assert_ptr_eq(d2, d);                                 /* same place again, zeroed */
    ck_assert_uint_eq(d2[0], 0);
    process_terminate(&k, p, false, 0);
    ck_assert_ptr_null(grant_enter(&g_alarm, p->id));
    ck_assert_int_eq(grant_count_allocated(p), 0);
    errorcode_t err = ERR_NONE;
    ck_assert_ptr_null(grant_region(p, &g_alarm, true, &err));
    ck_assert_int_ne(err, ERR_NONE);
    ck_assert_ptr_null(grant_enter(&g_alarm, (processid_t){ 7, 0 }));
    ck_assert_ptr_null(grant_enter(&g_alarm, PROCESSID_NONE));
}
END_TEST

START_TEST(unregistered_index_fails)
{
    struct process *p = make(0, 3000);
    struct grant stray = { .driver_num = 9, .data_size = 8, .index = 5 };
    errorcode_t err = ERR_NONE;
    ck_assert_ptr_null(grant_region(p, &stray, true, &err));
    ck_assert_int_ne(err, ERR_NONE);
    ck_assert_uint_eq(p->kernel_break, p->initial_kernel_break);
}
END_TEST

Suite *grant_suite(void)
{
    Suite *s = suite_create("grant");
    TCase *tc = tcase_create("grant");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, region_layout);
    tcase_add_test(tc, first_use_carves);
    tcase_add_test(tc, nomem_only_for_that_process);
    tcase_add_test(tc, enter_by_pid);
    tcase_add_test(tc, unregistered_index_fails);
    suite_add_tcase(s, tc);
    return s;
}
