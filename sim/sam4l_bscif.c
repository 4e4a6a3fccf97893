/*
 * sam4l_bscif.c — the SAM4L Backup System Control Interface model (type
 * "bscif", 0x400F0400): the 32 kHz oscillators, RC1M, brown-out detectors,
 * regulator and bandgap.  It accepts Tock's RC32K set-up (tock-abi.md §12.7:
 * UNLOCK, RC32KCR with EN, poll EN, UNLOCK, RC32KTUNE) and reports the
 * ready bits; nothing changes speed (the AST takes its 32 kHz rate from the
 * board YAML).  Shares the block helpers of sam4l_pm.h.
 *
 * Registers: IER/IDR/IMR/ISR/ICR 0x00-0x10, PCLKSR 0x14, UNLOCK 0x18
 * (0xAA << 24 | offset), CSCR 0x1C, OSCCTRL32 0x20, RC32KCR 0x24, RC32KTUNE
 * 0x28, BOD33CTRL/LEVEL/SAMPLING 0x2C-0x34, BOD18CTRL/LEVEL/SAMPLING
 * 0x38-0x40, VREGCR 0x44, RC1MCR 0x58, BGCTRL 0x60, BGSR 0x64 (BGRDY and
 * LPBGRDY: 0x30000), BR0-BR3 0x78-0x84 (backup registers, read/write).
 * Protected (UNLOCK just before): OSCCTRL32 .. VREGCR, RC1MCR, BGCTRL.
 * All reset 0.
 *
 * PCLKSR (delays chosen here, in virtual time):
 *   OSC32RDY (0)  OSCCTRL32.OSC32EN set, 100 us after (the STARTUP field is
 *                 not applied: the real crystal takes up to seconds)
 *   RC32KRDY (1)  RC32KCR.EN set, 100 us after
 *   VREGOK (10), LPBGRDY (12)  always 1
 *   RC1MRDY (11)  RC1MCR.CLKOEN set (at once)
 * Enable bits read back at once (Tock polls RC32KCR.EN and RC1MCR.CLKOEN).
 * Interrupts are not modelled: ISR reads 0, the NVIC line is never driven.
 */
#include <stdlib.h>

#include "sam4l_pm.h"
#include "snapshot.h"             /* snapshots (#7) */

enum {
    R_IER, R_IDR, R_IMR, R_ISR, R_ICR, R_PCLKSR, R_UNLOCK, R_CSCR, R_OSCCTRL32, R_RC32KCR,
    R_RC32KTUNE, R_BOD33CTRL, R_BOD33LEVEL, R_BOD33SAMPLING, R_BOD18CTRL, R_BOD18LEVEL,
    R_BOD18SAMPLING, R_VREGCR, R_RC1MCR, R_BGCTRL, R_BGSR, R_BR0, R_BR1, R_BR2, R_BR3, R_COUNT
};

static const struct reg_def bscif_regs[R_COUNT] = {
    [R_IER]           = { 0x00, "IER",           REG_WO, 0, 0 },
    [R_IDR]           = { 0x04, "IDR",           REG_WO, 0, 0 },
    [R_IMR]           = { 0x08, "IMR",           REG_RO, 0, 0 },
    [R_ISR]           = { 0x0C, "ISR",           REG_RO, 0, 0 },
    [R_ICR]           = { 0x10, "ICR",           REG_WO, 0, 0 },
    [R_PCLKSR]        = { 0x14, "PCLKSR",        REG_RO, 0, 0 },
    [R_UNLOCK]        = { 0x18, "UNLOCK",        REG_WO, 0, 0 },
    [R_CSCR]          = { 0x1C, "CSCR",          REG_RW, 0, 0 },
    [R_OSCCTRL32]     = { 0x20, "OSCCTRL32",     REG_RW, 0, 0 },
    [R_RC32KCR]       = { 0x24, "RC32KCR",       REG_RW, 0, 0 },
    [R_RC32KTUNE]     = { 0x28, "RC32KTUNE",     REG_RW, 0, 0 },
    [R_BOD33CTRL]     = { 0x2C, "BOD33CTRL",     REG_RW, 0, 0 },
    [R_BOD33LEVEL]    = { 0x30, "BOD33LEVEL",    REG_RW, 0, 0 },
    [R_BOD33SAMPLING] = { 0x34, "BOD33SAMPLING", REG_RW, 0, 0 },
    [R_BOD18CTRL]     = { 0x38, "BOD18CTRL",     REG_RW, 0, 0 },
    [R_BOD18LEVEL]    = { 0x3C, "BOD18LEVEL",    REG_RW, 0, 0 },
    [R_BOD18SAMPLING] = { 0x40, "BOD18SAMPLING", REG_RW, 0, 0 },
    [R_VREGCR]        = { 0x44, "VREGCR",        REG_RW, 0, 0 },
    [R_RC1MCR]        = { 0x58, "RC1MCR",        REG_RW, 0, 0 },
    [R_BGCTRL]        = { 0x60, "BGCTRL",        REG_RW, 0, 0 },
    [R_BGSR]          = { 0x64, "BGSR",          REG_RO, 0x30000, 0 },
    [R_BR0]           = { 0x78, "BR0",           REG_RW, 0, 0 },
    [R_BR1]           = { 0x7C, "BR1",           REG_RW, 0, 0 },
    [R_BR2]           = { 0x80, "BR2",           REG_RW, 0, 0 },
    [R_BR3]           = { 0x84, "BR3",           REG_RW, 0, 0 },
};

#define BSCIF_START_US 100
#define PCLKSR_OSC32RDY (1u << 0)
#define PCLKSR_RC32KRDY (1u << 1)
#define PCLKSR_VREGOK (1u << 10)
#define PCLKSR_RC1MRDY (1u << 11)
#define PCLKSR_LPBGRDY (1u << 12)

struct bscif_dev {
    struct sam4l_block blk;
    uint32_t vals[R_COUNT];
    uint64_t osc32_at, rc32k_at;        /* ready cycles, EVQ_NEVER while off */
};

static uint32_t bscif_pclksr(struct bscif_dev *b, uint64_t now)
{
    uint32_t v = PCLKSR_VREGOK | PCLKSR_LPBGRDY;
    if (now >= b->osc32_at)
        v |= PCLKSR_OSC32RDY;
    if (now >= b->rc32k_at)
        v |= PCLKSR_RC32KRDY;
    if (b->vals[R_RC1MCR] & 1u)
        v |= PCLKSR_RC1MRDY;
    return v;
}

static uint32_t bscif_read(void *dev, uint32_t off, unsigned size)
{
    struct bscif_dev *b = dev;
    int i = sam4l_block_find(&b->blk, off, "read");
    if (i < 0)
        return 0;
    uint32_t v = regs_read(&b->blk.bank, off, NULL);
    if (i == R_PCLKSR)
        v = bscif_pclksr(b, machine_mmio_now(b->blk.m));
    return sam4l_lanes(v, off, size);
}

static void bscif_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct bscif_dev *b = dev;
    int i = sam4l_block_find(&b->blk, off, "write");
    if (i < 0 || sam4l_block_unlock(&b->blk, off, val))
        return;
    bool prot = (i >= R_OSCCTRL32 && i <= R_VREGCR) || i == R_RC1MCR || i == R_BGCTRL;
    if (!sam4l_block_may_write(&b->blk, off, prot))
        return;
    bool osc_was = b->vals[R_OSCCTRL32] & 1u, rc_was = b->vals[R_RC32KCR] & 1u;
    sam4l_block_store(&b->blk, off, size, val);
    uint64_t now = machine_mmio_now(b->blk.m);
    b->osc32_at = sam4l_ready_after(b->blk.m, b->osc32_at, osc_was, b->vals[R_OSCCTRL32] & 1u, now, BSCIF_START_US);
    b->rc32k_at = sam4l_ready_after(b->blk.m, b->rc32k_at, rc_was, b->vals[R_RC32KCR] & 1u, now, BSCIF_START_US);
    if (i == R_IER)
        b->vals[R_IMR] |= val;
    else if (i == R_IDR)
        b->vals[R_IMR] &= ~val;
}

static void bscif_reset(void *dev)
{
    struct bscif_dev *b = dev;
    sam4l_block_reset(&b->blk);
    b->osc32_at = b->rc32k_at = EVQ_NEVER;
}

static void *bscif_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct bscif_dev *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    sam4l_block_init(&b->blk, m, desc, "bscif", SAM4L_PBD, 1, bscif_regs, R_COUNT, b->vals, 0x18);
    bscif_reset(b);
    return b;
}

static void bscif_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void bscif_save(void *dev, struct snap_buf *b)
{
    struct bscif_dev *d = dev;
    sam4l_block_save(&d->blk, b);
    snap_put_u32s(b, d->vals, R_COUNT);
    snap_put_u64(b, d->osc32_at);
    snap_put_u64(b, d->rc32k_at);
}

static int bscif_restore(void *dev, struct snap_buf *b)
{
    struct bscif_dev *d = dev;
    sam4l_block_restore(&d->blk, b);
    snap_get_u32s(b, d->vals, R_COUNT);
    d->osc32_at = snap_get_u64(b);
    d->rc32k_at = snap_get_u64(b);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model bscif_model = {
    .type = "bscif",
    .create = bscif_create,
    .reset = bscif_reset,
    .read = bscif_read,
    .write = bscif_write,
    .destroy = bscif_destroy,
    .save = bscif_save,
    .restore = bscif_restore,
};
