/*
 * sam4l_scif.c — the SAM4L System Control Interface model (type "scif",
 * 0x400E0800): the oscillators, PLL, DFLL and generic clocks.  It accepts
 * Tock's set-up sequences (tock-abi.md §12.7) and reports the ready bits
 * drivers poll; like the PM it changes no speed (the CPU always runs at the
 * board's cpu.clock_hz).  Shares the block helpers of sam4l_pm.h.
 *
 * Registers: IER/IDR/IMR/ISR/ICR 0x00-0x10, PCLKSR 0x14, UNLOCK 0x18
 * (0xAA << 24 | offset), CSCR 0x1C, OSCCTRL0 0x20, PLL0 0x24, DFLL0CONF 0x28,
 * DFLL0VAL 0x2C, DFLL0MUL 0x30, DFLL0STEP 0x34, DFLL0SSG 0x38, DFLL0RATIO
 * 0x3C (reads 0), DFLL0SYNC 0x40, RCCR 0x44, RCFASTCFG 0x48, RCFASTSR 0x4C,
 * RC80MCR 0x50, HRPCR/FPCR/FPMUL/FPDIV 0x64-0x70, GCCTRL0-11 0x74-0xA0.
 * Protected (need UNLOCK just before): OSCCTRL0, PLL0, DFLL0CONF..DFLL0SSG,
 * RCCR, RCFASTCFG, RC80MCR, HRPCR..FPDIV.  GCCTRLn, CSCR and DFLL0SYNC are
 * not (Tock writes GCCTRL0 and DFLL0SYNC without unlocking).  All reset 0.
 *
 * PCLKSR, with the virtual-time delays chosen here:
 *   OSC0RDY (0)    OSCCTRL0.OSCEN set, 100 us after it was set
 *   PLL0LOCK (6)   PLL0.PLLEN set, 100 us after (the reference is not checked)
 *   DFLL0LOCKC (1), DFLL0LOCKF (2)
 *                  DFLL0CONF.EN and MODE = closed loop, 100 us after
 *   DFLL0RDY (3)   1, except for 2 us after each write to DFLL0CONF, VAL,
 *                  MUL, STEP, SSG or SYNC (the register synchronisation)
 *   RCFASTLOCK (13) RCFASTCFG.EN and TUNEEN, 100 us after
 * Enable bits (OSCEN, PLLEN, DFLL EN, RCFASTCFG.EN, RC80MCR.EN) read back
 * at once.  Interrupts are not modelled: ISR reads 0, IMR just follows
 * IER/IDR, the NVIC line is never driven.
 */
#include <stdlib.h>
#include <string.h>

#include "sam4l_pm.h"
#include "snapshot.h"             /* snapshots (#7) */

enum {
    R_IER, R_IDR, R_IMR, R_ISR, R_ICR, R_PCLKSR, R_UNLOCK, R_CSCR, R_OSCCTRL0, R_PLL0,
    R_DFLL0CONF, R_DFLL0VAL, R_DFLL0MUL, R_DFLL0STEP, R_DFLL0SSG, R_DFLL0RATIO, R_DFLL0SYNC,
    R_RCCR, R_RCFASTCFG, R_RCFASTSR, R_RC80MCR, R_HRPCR, R_FPCR, R_FPMUL, R_FPDIV,
    R_GCCTRL0, R_COUNT = R_GCCTRL0 + 12
};

#define GC(n) [R_GCCTRL0 + n] = { 0x74 + 4 * n, "GCCTRL" #n, REG_RW, 0, 0xFFFF1F03u }

static const struct reg_def scif_regs[R_COUNT] = {
    [R_IER]       = { 0x00, "IER",       REG_WO, 0, 0 },
    [R_IDR]       = { 0x04, "IDR",       REG_WO, 0, 0 },
    [R_IMR]       = { 0x08, "IMR",       REG_RO, 0, 0 },
    [R_ISR]       = { 0x0C, "ISR",       REG_RO, 0, 0 },
    [R_ICR]       = { 0x10, "ICR",       REG_WO, 0, 0 },
    [R_PCLKSR]    = { 0x14, "PCLKSR",    REG_RO, 0, 0 },
    [R_UNLOCK]    = { 0x18, "UNLOCK",    REG_WO, 0, 0 },
    [R_CSCR]      = { 0x1C, "CSCR",      REG_RW, 0, 0 },
    [R_OSCCTRL0]  = { 0x20, "OSCCTRL0",  REG_RW, 0, 0 },
    [R_PLL0]      = { 0x24, "PLL0",      REG_RW, 0, 0 },
    [R_DFLL0CONF] = { 0x28, "DFLL0CONF", REG_RW, 0, 0 },
    [R_DFLL0VAL]  = { 0x2C, "DFLL0VAL",  REG_RW, 0, 0 },
    [R_DFLL0MUL]  = { 0x30, "DFLL0MUL",  REG_RW, 0, 0 },
    [R_DFLL0STEP] = { 0x34, "DFLL0STEP", REG_RW, 0, 0 },
    [R_DFLL0SSG]  = { 0x38, "DFLL0SSG",  REG_RW, 0, 0 },
    [R_DFLL0RATIO] = { 0x3C, "DFLL0RATIO", REG_RO, 0, 0 },
    [R_DFLL0SYNC] = { 0x40, "DFLL0SYNC", REG_WO, 0, 0 },
    [R_RCCR]      = { 0x44, "RCCR",      REG_RW, 0, 0 },
    [R_RCFASTCFG] = { 0x48, "RCFASTCFG", REG_RW, 0, 0 },
    [R_RCFASTSR]  = { 0x4C, "RCFASTSR",  REG_RO, 0, 0 },
    [R_RC80MCR]   = { 0x50, "RC80MCR",   REG_RW, 0, 0 },
    [R_HRPCR]     = { 0x64, "HRPCR",     REG_RW, 0, 0 },
    [R_FPCR]      = { 0x68, "FPCR",      REG_RW, 0, 0 },
    [R_FPMUL]     = { 0x6C, "FPMUL",     REG_RW, 0, 0 },
    [R_FPDIV]     = { 0x70, "FPDIV",     REG_RW, 0, 0 },
    GC(0), GC(1), GC(2), GC(3), GC(4), GC(5), GC(6), GC(7), GC(8), GC(9), GC(10), GC(11),
};

#define SCIF_START_US 100           /* oscillator start-up, PLL and DFLL lock */
#define SCIF_SYNC_US 2              /* DFLL register synchronisation */

/* PCLKSR bits with a ready time */
enum { RDY_OSC0, RDY_PLL0, RDY_DFLL_LOCK, RDY_RCFAST, RDY_COUNT };
static const uint32_t rdy_bits[RDY_COUNT] = { 1u << 0, 1u << 6, (1u << 1) | (1u << 2), 1u << 13 };
#define PCLKSR_DFLL0RDY (1u << 3)

struct scif_dev {
    struct sam4l_block blk;
    uint32_t vals[R_COUNT];
    uint64_t ready_at[RDY_COUNT];   /* cycle the bit sets, EVQ_NEVER while off */
    uint64_t dfll_sync_until;       /* DFLL0RDY reads 0 before this cycle */
};

static bool scif_protected(int i)
{
    return (i >= R_OSCCTRL0 && i <= R_DFLL0SSG) || i == R_RCCR || i == R_RCFASTCFG ||
           (i >= R_RC80MCR && i <= R_FPDIV);
}

/* Whether register i's value asks for the ready bit r to come up. */
static bool wants(int r, const uint32_t *vals)
{
    switch (r) {
    case RDY_OSC0: return vals[R_OSCCTRL0] & (1u << 16);
    case RDY_PLL0: return vals[R_PLL0] & 1u;
    case RDY_DFLL_LOCK: return (vals[R_DFLL0CONF] & 3u) == 3u;     /* EN and closed loop */
    default: return (vals[R_RCFASTCFG] & 3u) == 3u;                 /* EN and TUNEEN */
    }
}

static uint32_t scif_pclksr(struct scif_dev *s, uint64_t now)
{
    uint32_t v = now >= s->dfll_sync_until ? PCLKSR_DFLL0RDY : 0;
    for (int r = 0; r < RDY_COUNT; r++)
        if (now >= s->ready_at[r])
            v |= rdy_bits[r];
    return v;
}

static uint32_t scif_read(void *dev, uint32_t off, unsigned size)
{
    struct scif_dev *s = dev;
    int i = sam4l_block_find(&s->blk, off, "read");
    if (i < 0)
        return 0;
    uint32_t v = regs_read(&s->blk.bank, off, NULL);
    if (i == R_PCLKSR)
        v = scif_pclksr(s, machine_mmio_now(s->blk.m));
    return sam4l_lanes(v, off, size);
}

static void scif_side_effects(struct scif_dev *s, int i, uint32_t val, bool before[RDY_COUNT], uint64_t now)
{
    struct machine *m = s->blk.m;
    if (i == R_IER)
        s->vals[R_IMR] |= val;
    else if (i == R_IDR)
        s->vals[R_IMR] &= ~val;
    if (i >= R_DFLL0CONF && i <= R_DFLL0SYNC && i != R_DFLL0RATIO)
        s->dfll_sync_until = now + sam4l_us_to_cycles(m, SCIF_SYNC_US);
    for (int r = 0; r < RDY_COUNT; r++)
        s->ready_at[r] = sam4l_ready_after(m, s->ready_at[r], before[r], wants(r, s->vals), now, SCIF_START_US);
}

static void scif_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct scif_dev *s = dev;
    int i = sam4l_block_find(&s->blk, off, "write");
    if (i < 0 || sam4l_block_unlock(&s->blk, off, val))
        return;
    if (!sam4l_block_may_write(&s->blk, off, scif_protected(i)))
        return;
    uint64_t now = machine_mmio_now(s->blk.m);
    bool before[RDY_COUNT];
    for (int r = 0; r < RDY_COUNT; r++)
        before[r] = wants(r, s->vals);
    sam4l_block_store(&s->blk, off, size, val);
    scif_side_effects(s, i, val, before, now);
}

static void scif_reset(void *dev)
{
    struct scif_dev *s = dev;
    sam4l_block_reset(&s->blk);
    for (int r = 0; r < RDY_COUNT; r++)
        s->ready_at[r] = EVQ_NEVER;
    s->dfll_sync_until = 0;
}

static void *scif_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct scif_dev *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    sam4l_block_init(&s->blk, m, desc, "scif", SAM4L_PBC, 2, scif_regs, R_COUNT, s->vals, 0x18);
    scif_reset(s);
    return s;
}

static void scif_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void scif_save(void *dev, struct snap_buf *b)
{
    struct scif_dev *s = dev;
    sam4l_block_save(&s->blk, b);
    snap_put_u32s(b, s->vals, R_COUNT);
    for (int r = 0; r < RDY_COUNT; r++)
        snap_put_u64(b, s->ready_at[r]);
    snap_put_u64(b, s->dfll_sync_until);
}

static int scif_restore(void *dev, struct snap_buf *b)
{
    struct scif_dev *s = dev;
    sam4l_block_restore(&s->blk, b);
    snap_get_u32s(b, s->vals, R_COUNT);
    for (int r = 0; r < RDY_COUNT; r++)
        s->ready_at[r] = snap_get_u64(b);
    s->dfll_sync_until = snap_get_u64(b);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model scif_model = {
    .type = "scif",
    .create = scif_create,
    .reset = scif_reset,
    .read = scif_read,
    .write = scif_write,
    .destroy = scif_destroy,
    .save = scif_save,
    .restore = scif_restore,
};
