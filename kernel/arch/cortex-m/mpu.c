/*
 * mpu.c — ARMv7-M PMSAv7 MPU: process memory layout and region computation
 * (pure, host unit-tested) and programming the registers (target only).
 *
 * Scheme (Tock's, tock-abi.md §9, §11):
 *   RAM block: a power of two S >= 512 bytes holding min_app + kernel_part,
 *   placed at the first multiple of S/2 at or above the pool pointer.  Doubled
 *   while the app part rounded up to S/16 would overlap the kernel part.
 *   Region 0 = [mem_start, +S/2), region 1 = [mem_start + S/2, +S/2): 8
 *   subregions each, so the unprivileged RW+XN window is [mem_start,
 *   app_break rounded up to S/16); a region with no enabled subregion is
 *   disabled.  The window must end at or below kernel_break, else
 *   arch_mpu_compute fails (brk / grant allocation then report NOMEM).
 *   Region 2 = the TBF object in flash, unprivileged read-only + executable
 *   (AP = 0b010, XN = 0): one region, either a naturally aligned power of two
 *   or an exact run of subregions of a larger one; otherwise it fails.
 *   Regions 3-7: IPC shared buffers (RW, XN), same fitting rule.
 */
#include "kernel/arch.h"

#define RBAR_VALID (1u << 4)
#define RASR_ENABLE 1u
#define RASR_XN (1u << 28)
#define AP_RW_RW 3u         /* privileged RW, unprivileged RW */
#define AP_RW_RO 2u         /* privileged RW, unprivileged RO */
#define MIN_BLOCK 512u
#define RAM_REGIONS 2
#define FLASH_REGION 2

/* The last configuration version handed out (arch.h: never 0). */
static uint32_t mpu_versions;

static uint32_t next_version(void)
{
    if (++mpu_versions == 0)
        mpu_versions = 1;
    return mpu_versions;
}

static bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

static unsigned log2_ceil(uint64_t x)
{
    unsigned lg = 0;
    while (((uint64_t)1 << lg) < x)
        lg++;
    return lg;
}

static uint32_t rasr(unsigned lg, uint32_t srd, uint32_t ap, bool xn)
{
    return RASR_ENABLE | (uint32_t)(lg - 1) << 1 | (srd & 0xFFu) << 8 | ap << 24 | (xn ? RASR_XN : 0);
}

static void set_region(struct arch_mpu_config *c, int i, uint32_t base, uint32_t attr)
{
    c->rbar[i] = (base & ~31u) | RBAR_VALID | (uint32_t)i;
    c->rasr[i] = attr;
}

/* Finds one region exactly covering [start, start + size): sets base, log2 size and SRD. */
static bool fit_region(uint32_t start, uint32_t size, uint32_t *base, unsigned *lg, uint32_t *srd)
{
    uint64_t end = (uint64_t)start + size;
    if (size < 32 || end > ((uint64_t)1 << 32))
        return false;
    if (is_pow2(size) && start % size == 0) {
        *base = start, *lg = log2_ceil(size), *srd = 0;
        return true;
    }
    for (unsigned l = log2_ceil(size) < 8 ? 8 : log2_ceil(size); l <= 32; l++) {
        uint64_t r = (uint64_t)1 << l, sub = r / 8;
        uint64_t b = start & ~(r - 1);
        if (sub > size)
            break;
        if (end > b + r || (start - b) % sub || size % sub)
            continue;
        unsigned first = (unsigned)((start - b) / sub), last = (unsigned)((end - b) / sub);
        *base = (uint32_t)b, *lg = l, *srd = 0xFFu & ~((0xFFu << first) & ~(0xFFu << last));
        return true;
    }
    return false;
}

bool arch_mpu_allocate(uint32_t pool, uint32_t pool_end, uint32_t min_app, uint32_t kernel_part,
                       uint32_t *start, uint32_t *size)
{
    uint64_t s = MIN_BLOCK, need = (uint64_t)min_app + kernel_part;
    while (s < need)
        s <<= 1;
    while (((uint64_t)min_app + s / 16 - 1) / (s / 16) * (s / 16) + kernel_part > s)
        s <<= 1;
    if (s > ((uint64_t)1 << 31))
        return false;
    uint64_t base = ((uint64_t)pool + s / 2 - 1) & ~(s / 2 - 1);
    if (base + s > pool_end)
        return false;
    *start = (uint32_t)base;
    *size = (uint32_t)s;
    return true;
}

/* Regions 0-1: the RW window of n subregions (S/16 each) from mem_start. */
static void ram_regions(struct arch_mpu_config *c, uint32_t mem_start, uint32_t mem_size, unsigned n)
{
    unsigned lg = log2_ceil(mem_size) - 1;
    for (int i = 0; i < RAM_REGIONS; i++) {
        unsigned on = n > 8u * (unsigned)i ? n - 8u * (unsigned)i : 0;
        on = on > 8 ? 8 : on;
        set_region(c, i, mem_start + (uint32_t)i * (mem_size / 2),
                   on ? rasr(lg, 0xFFu << on, AP_RW_RW, true) : 0);
    }
}

bool arch_mpu_compute(struct arch_mpu_config *c, uint32_t flash_start, uint32_t flash_size,
                      uint32_t mem_start, uint32_t mem_size, uint32_t app_break, uint32_t kernel_break)
{
    uint64_t mem_end = (uint64_t)mem_start + mem_size;
    if (mem_size < MIN_BLOCK || !is_pow2(mem_size) || mem_start % (mem_size / 2) || mem_end > ((uint64_t)1 << 32))
        return false;
    if (app_break < mem_start || app_break > kernel_break || kernel_break > mem_end)
        return false;
    uint32_t sub = mem_size / 16;
    unsigned n = (app_break - mem_start + sub - 1) / sub;
    if ((uint64_t)mem_start + (uint64_t)n * sub > kernel_break)
        return false;
    uint32_t fbase, fsrd;
    unsigned flg;
    if (!fit_region(flash_start, flash_size, &fbase, &flg, &fsrd))
        return false;
    for (int i = 0; i < ARCH_MPU_REGIONS; i++)
        c->rbar[i] = c->rasr[i] = 0;
    ram_regions(c, mem_start, mem_size, n);
    set_region(c, FLASH_REGION, fbase, rasr(flg, fsrd, AP_RW_RO, false));
    c->n = FLASH_REGION + 1;
    c->version = next_version();
    return true;
}

bool arch_mpu_add_shared(struct arch_mpu_config *c, uint32_t start, uint32_t size)
{
    uint32_t base, srd;
    unsigned lg;
    if (c->n >= ARCH_MPU_REGIONS || !fit_region(start, size, &base, &lg, &srd))
        return false;
    set_region(c, c->n, base, rasr(lg, srd, AP_RW_RW, true));
    c->n++;
    c->version = next_version();
    return true;
}

#ifndef KERNEL_HOST_TEST
#define MPU_CTRL (*(volatile uint32_t *)0xE000ED94u)
/* RBAR/RASR and their three aliases (A1-A3): 4 consecutive pairs, so four
 * regions (each selected by RBAR.VALID | number) are written in one run. */
#define MPU_PAIRS ((volatile uint32_t *)0xE000ED9Cu)
#define MPU_CTRL_ENABLE 1u
#define MPU_CTRL_PRIVDEFENA 4u

static inline __attribute__((always_inline)) void barrier(void)
{
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

/* Writes all 8 regions (RBAR with VALID selects the region), unused ones disabled. */
void arch_mpu_apply(const struct arch_mpu_config *c)
{
    volatile uint32_t *pair = MPU_PAIRS;
    MPU_CTRL = 0;
    barrier();
#pragma GCC unroll 8
    for (uint32_t i = 0; i < ARCH_MPU_REGIONS; i++) {
        bool used = i < c->n && (c->rbar[i] & RBAR_VALID);
        pair[2 * (i & 3u)] = used ? c->rbar[i] : (RBAR_VALID | i);
        pair[2 * (i & 3u) + 1] = used ? c->rasr[i] : 0;
    }
    MPU_CTRL = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    barrier();
}

void arch_mpu_disable_apps(void)
{
    MPU_CTRL = 0;
    barrier();
}
#endif
