/*
 * scs.c — maps the System Control Space and the DWT as MMIO and sends each
 * access to its register model.  Narrow (byte/halfword) accesses are turned
 * into a word access plus a byte mask, so the models only handle words.
 * The SCS is privileged-only.  QEMU's MPU does not stop unprivileged code
 * from reaching this MMIO window, and an MMIO callback cannot abort the
 * instruction, so an unprivileged access is dropped and reported as an
 * imprecise BusFault taken at the end of the current block (STIR is allowed
 * when CCR.USERSETMPEND is set).
 */
#include "cpu_state.h"
#include "mpu.h"
#include "mpu_enforce.h"
#include "scs.h"

#define SCS_BASE 0xE000E000u
#define DWT_BASE 0xE0001000u

static uint32_t scs_word_read(struct machine *m, uint32_t off)
{
    if (off >= 0x010 && off < 0x020)
        return systick_read(m, off);
    if ((off >= 0x100 && off < 0x600) || off == 0x004 || off == 0xF00)
        return nvic_read(m, off);
    if (off >= 0xD90 && off < 0xDBC)
        return mpu_reg_read(&m->mpu, off - 0xD90);
    return scb_read(m, off);
}

static void scs_word_write(struct machine *m, uint32_t off, uint32_t val, uint32_t mask)
{
    if (off >= 0x010 && off < 0x020) {
        if (mask != 0xFFFFFFFFu) {          /* narrow write: merge with the stored value */
            uint32_t cur = off == 0x10 ? m->systick.csr : off == 0x14 ? m->systick.rvr : 0;
            val = (cur & ~mask) | (val & mask);
        }
        systick_write(m, off, val);
    } else if ((off >= 0x100 && off < 0x600) || off == 0xF00) {
        nvic_write(m, off, val, mask);
    } else if (off >= 0xD90 && off < 0xDBC) {
        mpu_reg_write(&m->mpu, off - 0xD90, (mpu_reg_read(&m->mpu, off - 0xD90) & ~mask) | (val & mask));
    } else {
        scb_write(m, off, val, mask);
    }
}

static uint32_t lane_mask(uint32_t off, unsigned size)
{
    uint32_t bytes = size >= 4 ? 0xFFFFFFFFu : ((1u << (8 * size)) - 1u);
    return bytes << (8 * (off & 3u));
}

/* true (and a BusFault raised) if the current code may not touch the SCS */
static bool scs_denied(struct machine *m, uint32_t off)
{
    if (cpu_privileged_live(m) || (off == 0xF00 && (m->scb.ccr & 2u)))
        return false;
    if (!m->fault.valid)
        m->fault = (struct pending_fault){ true, EXC_BUSFAULT, CFSR_IMPRECISERR, 0 };
    cpu_defer_stop(m);
    return true;
}

static uint64_t scs_mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct machine *m = user;
    uint32_t off = (uint32_t)offset;
    if (scs_denied(m, off))
        return 0;
    uint32_t word = scs_word_read(m, off & ~3u);
    return (word & lane_mask(off, size)) >> (8 * (off & 3u));
}

static void scs_mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct machine *m = user;
    uint32_t off = (uint32_t)offset;
    if (scs_denied(m, off))
        return;
    uint32_t val = (uint32_t)value << (8 * (off & 3u));
    uint32_t generation = m->mpu.generation;
    scs_word_write(m, off & ~3u, val, lane_mask(off, size));
    if (m->mpu.generation != generation)
        cpu_defer_stop(m);                  /* MPU/CCR change: applied before the next block */
}

static uint64_t dwt_mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    uint32_t off = (uint32_t)offset;
    if (scs_denied(user, 0))
        return 0;
    return (dwt_read(user, off & ~3u) & lane_mask(off, size)) >> (8 * (off & 3u));
}

static void dwt_mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    if (!scs_denied(user, 0) && size == 4)
        dwt_write(user, (uint32_t)offset & ~3u, (uint32_t)value);
}

int scs_attach(struct machine *m, char *err, size_t errlen)
{
    uc_err e = uc_mmio_map(m->uc, SCS_BASE, 0x1000, scs_mmio_read, m, scs_mmio_write, m);
    if (e == UC_ERR_OK)
        e = uc_mmio_map(m->uc, DWT_BASE, 0x1000, dwt_mmio_read, m, dwt_mmio_write, m);
    if (e != UC_ERR_OK) {
        snprintf(err, errlen, "mapping the system control space failed: %s", uc_strerror(e));
        return -1;
    }
    struct mmio_dev scs = { .name = "scs", .base = SCS_BASE, .size = 0x1000 };
    struct mmio_dev dwt = { .name = "dwt", .base = DWT_BASE, .size = 0x1000 };
    m->mmio[m->nmmio++] = scs;
    m->mmio[m->nmmio++] = dwt;
    return 0;
}

void scs_reset(struct machine *m)
{
    m->scb = (struct scb_state){ .vtor = m->board->cpu.vtor & 0xFFFFFF80u, .ccr = 1u << 9 };
    systick_reset(m);
    mpu_reset(&m->mpu, m->board->cpu.mpu_regions);
    mpu_enforce_forget(m);                  /* the generation number restarts */
    dwt_reset(m);
}
