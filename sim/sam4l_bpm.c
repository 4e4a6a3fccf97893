/*
 * sam4l_bpm.c — the SAM4L Backup Power Manager model (type "bpm",
 * 0x400F0000).  It accepts Tock's power-scaling sequence (tock-abi.md §12.7:
 * poll SR.PSOK, UNLOCK, write PMCON with PS and PSCREQ) and reports PSOK;
 * power scaling changes nothing in the simulation.  Shares the block
 * helpers of sam4l_pm.h.
 *
 * Registers: IER/IDR/IMR/ISR/ICR 0x00-0x10, SR 0x14 (PSOK bit 0 always 1),
 * UNLOCK 0x18 (0xAA << 24 | offset), PMCON 0x1C (PS [1:0], PSCREQ 2 — the
 * request completes at once, so PSCREQ reads 0 —, PSCM 3, SLEEP, RET, BKUP,
 * CK32S 16, FASTWKUP 24), BKUPWCAUSE 0x28 (reads 0), BKUPWEN 0x2C, BKUPPMUX
 * 0x30, IORET 0x34.  Protected (UNLOCK just before): PMCON,
 * BKUPWEN, BKUPPMUX, IORET.  All reset 0.  Interrupts are not modelled:
 * ISR reads 0 and the NVIC line is never driven.
 */
#include <stdlib.h>

#include "sam4l_pm.h"
#include "snapshot.h"             /* snapshots (#7) */

enum {
    R_IER, R_IDR, R_IMR, R_ISR, R_ICR, R_SR, R_UNLOCK, R_PMCON, R_BKUPWCAUSE, R_BKUPWEN,
    R_BKUPPMUX, R_IORET, R_COUNT
};

static const struct reg_def bpm_regs[R_COUNT] = {
    [R_IER]        = { 0x00, "IER",        REG_WO, 0, 0 },
    [R_IDR]        = { 0x04, "IDR",        REG_WO, 0, 0 },
    [R_IMR]        = { 0x08, "IMR",        REG_RO, 0, 0 },
    [R_ISR]        = { 0x0C, "ISR",        REG_RO, 0, 0 },
    [R_ICR]        = { 0x10, "ICR",        REG_WO, 0, 0 },
    [R_SR]         = { 0x14, "SR",         REG_RO, 0x1, 0 },
    [R_UNLOCK]     = { 0x18, "UNLOCK",     REG_WO, 0, 0 },
    [R_PMCON]      = { 0x1C, "PMCON",      REG_RW, 0, 0 },
    [R_BKUPWCAUSE] = { 0x28, "BKUPWCAUSE", REG_RO, 0, 0 },
    [R_BKUPWEN]    = { 0x2C, "BKUPWEN",    REG_RW, 0, 0 },
    [R_BKUPPMUX]   = { 0x30, "BKUPPMUX",   REG_RW, 0, 0 },
    [R_IORET]      = { 0x34, "IORET",      REG_RW, 0, 0 },
};

#define PMCON_PSCREQ (1u << 2)
#define IRQ_MASK 0x1u               /* PSOK */

struct bpm_dev {
    struct sam4l_block blk;
    uint32_t vals[R_COUNT];
};

static uint32_t bpm_read(void *dev, uint32_t off, unsigned size)
{
    struct bpm_dev *b = dev;
    if (sam4l_block_find(&b->blk, off, "read") < 0)
        return 0;
    return sam4l_lanes(regs_read(&b->blk.bank, off, NULL), off, size);
}

static void bpm_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct bpm_dev *b = dev;
    int i = sam4l_block_find(&b->blk, off, "write");
    if (i < 0 || sam4l_block_unlock(&b->blk, off, val))
        return;
    bool prot = i == R_PMCON || (i >= R_BKUPWEN && i <= R_IORET);
    if (!sam4l_block_may_write(&b->blk, off, prot))
        return;
    sam4l_block_store(&b->blk, off, size, val);
    if (i == R_PMCON)
        b->vals[R_PMCON] &= ~PMCON_PSCREQ;      /* the power scaling change is done */
    else if (i == R_IER)
        b->vals[R_IMR] |= val & IRQ_MASK;
    else if (i == R_IDR)
        b->vals[R_IMR] &= ~(val & IRQ_MASK);
}

static void bpm_reset(void *dev)
{
    struct bpm_dev *b = dev;
    sam4l_block_reset(&b->blk);
}

static void *bpm_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct bpm_dev *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    sam4l_block_init(&b->blk, m, desc, "bpm", SAM4L_PBD, 0, bpm_regs, R_COUNT, b->vals, 0x18);
    bpm_reset(b);
    return b;
}

static void bpm_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void bpm_save(void *dev, struct snap_buf *b)
{
    struct bpm_dev *d = dev;
    sam4l_block_save(&d->blk, b);
    snap_put_u32s(b, d->vals, R_COUNT);
}

static int bpm_restore(void *dev, struct snap_buf *b)
{
    struct bpm_dev *d = dev;
    sam4l_block_restore(&d->blk, b);
    snap_get_u32s(b, d->vals, R_COUNT);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model bpm_model = {
    .type = "bpm",
    .create = bpm_create,
    .reset = bpm_reset,
    .read = bpm_read,
    .write = bpm_write,
    .destroy = bpm_destroy,
    .save = bpm_save,
    .restore = bpm_restore,
};
