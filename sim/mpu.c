/*
 * mpu.c — PMSAv7 MPU registers and permission decisions (see mpu.h).
 */
#include "mpu.h"

#define RASR_ENABLE 1u
#define RASR_XN (1u << 28)
#define RBAR_VALID (1u << 4)

void mpu_reset(struct mpu_state *mpu, int nregions)
{
    *mpu = (struct mpu_state){0};
    mpu->nregions = nregions > MPU_MAX_REGIONS ? MPU_MAX_REGIONS : nregions;
    mpu->generation = 1;
}

static uint32_t region_size_log2(uint32_t rasr)
{
    return ((rasr >> 1) & 0x1Fu) + 1u;
}

uint32_t mpu_reg_read(struct mpu_state *mpu, uint32_t off)
{
    uint32_t r = mpu->rnr;
    switch (off) {
    case 0x0: return (uint32_t)mpu->nregions << 8;          /* TYPE: DREGION, separate = 0 */
    case 0x4: return mpu->ctrl;
    case 0x8: return mpu->rnr;
    case 0xC: case 0x14: case 0x1C: case 0x24:
        return r < (uint32_t)mpu->nregions ? (mpu->rbar[r] | r) : 0;
    case 0x10: case 0x18: case 0x20: case 0x28:
        return r < (uint32_t)mpu->nregions ? mpu->rasr[r] : 0;
    default: return 0;
    }
}

void mpu_reg_write(struct mpu_state *mpu, uint32_t off, uint32_t val)
{
    switch (off) {
    case 0x4: mpu->ctrl = val & 7u; break;
    case 0x8:
        if (val < (uint32_t)mpu->nregions)
            mpu->rnr = val;
        return;
    case 0xC: case 0x14: case 0x1C: case 0x24:
        if (val & RBAR_VALID) {
            uint32_t r = val & 0xFu;
            if (r >= (uint32_t)mpu->nregions)
                return;
            mpu->rnr = r;
        }
        if (mpu->rnr < (uint32_t)mpu->nregions)
            mpu->rbar[mpu->rnr] = val & ~0x1Fu;
        break;
    case 0x10: case 0x18: case 0x20: case 0x28:
        if (mpu->rnr < (uint32_t)mpu->nregions)
            mpu->rasr[mpu->rnr] = val & 0x173FFF3Fu;   /* XN, AP, TEX/S/C/B, SRD, SIZE, ENABLE */
        break;
    default: return;
    }
    mpu->generation++;
}

bool mpu_default_xn(uint32_t addr)
{
    return (addr >= 0x40000000u && addr < 0x60000000u) || addr >= 0xA0000000u;
}

static bool default_map_allows(uint32_t addr, int acc)
{
    return !((acc & ACC_EXEC) && mpu_default_xn(addr));
}

/* Does enabled region r cover addr (taking subregion disables into account)? */
static bool region_hits(const struct mpu_state *mpu, int r, uint32_t addr)
{
    uint32_t rasr = mpu->rasr[r];
    if (!(rasr & RASR_ENABLE))
        return false;
    uint32_t lg = region_size_log2(rasr);
    if (lg < 5)
        return false;                       /* SIZE < 4 is UNPREDICTABLE: treat as disabled */
    uint64_t size = 1ull << lg;
    uint32_t base = (uint32_t)(mpu->rbar[r] & ~(size - 1));
    if ((uint64_t)addr - base >= size || addr < base)
        return false;
    if (lg >= 8) {
        uint32_t sub = (uint32_t)((addr - base) >> (lg - 3));
        if ((rasr >> (8 + sub)) & 1u)
            return false;
    }
    return true;
}

static bool ap_allows(uint32_t ap, int acc, bool priv)
{
    bool write = (acc & ACC_WRITE) != 0;
    switch (ap) {
    case 1: return priv;
    case 2: return priv || !write;
    case 3: return true;
    case 5: return priv && !write;
    case 6: case 7: return !write;
    default: return false;                  /* 0: no access; 4: reserved */
    }
}

bool mpu_allows(const struct mpu_state *mpu, uint32_t addr, int acc, bool priv, bool ignore_mpu)
{
    if (!(mpu->ctrl & MPU_CTRL_ENABLE) || ignore_mpu)
        return default_map_allows(addr, acc);
    for (int r = mpu->nregions - 1; r >= 0; r--) {
        if (!region_hits(mpu, r, addr))
            continue;
        uint32_t rasr = mpu->rasr[r];
        if ((acc & ACC_EXEC) && (rasr & RASR_XN))
            return false;
        return ap_allows((rasr >> 24) & 7u, acc, priv);
    }
    if (priv && (mpu->ctrl & MPU_CTRL_PRIVDEFENA))
        return default_map_allows(addr, acc);
    return false;
}

static int add_point(uint64_t *out, int n, int cap, uint64_t p, uint64_t lo, uint64_t hi)
{
    if (p > lo && p < hi && n < cap)
        out[n++] = p;
    return n;
}

int mpu_boundaries(const struct mpu_state *mpu, uint64_t lo, uint64_t hi, uint64_t *out, int n, int cap)
{
    static const uint32_t default_edges[] = { 0x40000000u, 0x60000000u, 0xA0000000u };
    for (size_t i = 0; i < sizeof default_edges / sizeof default_edges[0]; i++)
        n = add_point(out, n, cap, default_edges[i], lo, hi);
    for (int r = 0; r < mpu->nregions; r++) {
        uint32_t rasr = mpu->rasr[r];
        if (!(rasr & RASR_ENABLE) || region_size_log2(rasr) < 5)
            continue;
        uint32_t lg = region_size_log2(rasr);
        uint64_t size = 1ull << lg;
        uint64_t base = mpu->rbar[r] & ~(size - 1);
        int steps = lg >= 8 ? 8 : 1;
        for (int s = 0; s <= steps; s++)
            n = add_point(out, n, cap, base + (size / (uint64_t)steps) * (uint64_t)s, lo, hi);
    }
    return n;
}
