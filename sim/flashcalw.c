/*
 * flashcalw.c — the SAM4L flash controller (FLASHCALW) and its PicoCache
 * (type "flashcalw", 0x400A0000).  It accepts what Tock's start-up does
 * (tock-abi.md §12.7: FCR.FWS wait state, FCMD HSEN with key 0xA5, poll
 * FSR.FRDY; enable the cache, poll its SR.CSTS) and reports ready.  Wait
 * states, high-speed mode and the cache change no timing (1 instruction =
 * 1 cycle), and flash programming is not modelled.  Shares the block
 * helpers of sam4l_pm.h (no UNLOCK register here; FCMD has its own key).
 *
 * Registers:
 *   FCR 0x00     FRDY interrupt enable 0, LOCKE 2, PROGE 3, FWS 6, WS1OPT 7
 *   FCMD 0x04    CMD [5:0], PAGEN [23:8], KEY [31:24] = 0xA5 (reads 0).  A
 *                write without the key is ignored (warned once).  HSEN (0x10)
 *                / HSDIS (0x11) set / clear FSR.HSMODE; NOP (0) does
 *                nothing; other commands (page write, erase, fuses...) are
 *                not modelled: warned once, the flash stays ready.
 *   FSR 0x08     FRDY (bit 0) always 1, HSMODE (bit 6)
 *   FPR 0x0C     0x40B: 512-byte pages (PSZ 4), 512 KiB (FSZ 11)
 *   PicoCache:   CTRL 0x408 (CEN bit 0), SR 0x40C (CSTS bit 0 = CEN, at
 *                once), MAINT0 0x420, MAINT1 0x424, MCFG 0x428, MEN 0x42C,
 *                MCTRL 0x430, MSR 0x434 (hit counter, reads 0)
 * The NVIC line (IRQ "irq") is FCR.FRDY & FSR.FRDY, i.e. asserted while
 * the ready interrupt is enabled.  Clock gates: the controller registers
 * are PBB bit 0 (HFLASHC), the PicoCache ones PBB bit 1 (HCACHE).
 */
#include <stdlib.h>

#include "sam4l_pm.h"
#include "snapshot.h"             /* snapshots (#7) */

enum {
    R_FCR, R_FCMD, R_FSR, R_FPR, R_CTRL, R_SR, R_MAINT0, R_MAINT1, R_MCFG, R_MEN,
    R_MCTRL, R_MSR, R_COUNT
};

static const struct reg_def flashcalw_regs[R_COUNT] = {
    [R_FCR]    = { 0x000, "FCR",    REG_RW, 0, 0xCD },
    [R_FCMD]   = { 0x004, "FCMD",   REG_RW, 0, 0x00FFFF3Fu },
    [R_FSR]    = { 0x008, "FSR",    REG_RO, 0x1, 0 },
    [R_FPR]    = { 0x00C, "FPR",    REG_RO, 0x40B, 0 },
    [R_CTRL]   = { 0x408, "CTRL",   REG_RW, 0, 0x1 },
    [R_SR]     = { 0x40C, "SR",     REG_RO, 0, 0 },
    [R_MAINT0] = { 0x420, "MAINT0", REG_WO, 0, 0 },
    [R_MAINT1] = { 0x424, "MAINT1", REG_WO, 0, 0 },
    [R_MCFG]   = { 0x428, "MCFG",   REG_RW, 0, 0x3 },
    [R_MEN]    = { 0x42C, "MEN",    REG_RW, 0, 0x1 },
    [R_MCTRL]  = { 0x430, "MCTRL",  REG_WO, 0, 0 },
    [R_MSR]    = { 0x434, "MSR",    REG_RO, 0, 0 },
};

#define FCMD_KEY 0xA5u
#define CMD_NOP 0x00u
#define CMD_HSEN 0x10u
#define CMD_HSDIS 0x11u
#define FSR_FRDY 1u
#define FSR_HSMODE (1u << 6)
#define CACHE_BASE 0x400u

struct flashcalw_dev {
    struct sam4l_block blk;
    uint32_t vals[R_COUNT];
    int irq;
    bool line;
    uint64_t cmd_warned;            /* unmodelled commands already warned about */
};

static void flashcalw_update(struct flashcalw_dev *f)
{
    bool level = (f->vals[R_FCR] & 1u) && (f->vals[R_FSR] & FSR_FRDY);
    sam4l_irq_level(f->blk.m, f->irq, &f->line, level);
}

/* Routes the clock gate to the half of the window being accessed. */
static int flashcalw_find(struct flashcalw_dev *f, uint32_t off, const char *what)
{
    f->blk.bit = off >= CACHE_BASE ? 1 : 0;
    f->blk.who = off >= CACHE_BASE ? "flashcalw (PicoCache)" : "flashcalw";
    return sam4l_block_find(&f->blk, off, what);
}

static uint32_t flashcalw_read(void *dev, uint32_t off, unsigned size)
{
    struct flashcalw_dev *f = dev;
    int i = flashcalw_find(f, off, "read");
    if (i < 0)
        return 0;
    uint32_t v = regs_read(&f->blk.bank, off, NULL);
    if (i == R_SR)
        v = f->vals[R_CTRL] & 1u;
    return sam4l_lanes(v, off, size);
}

static void flashcalw_command(struct flashcalw_dev *f, uint32_t off, uint32_t val)
{
    if ((val >> 24) != FCMD_KEY) {
        sam4l_block_warn_once(&f->blk, off, "FCMD written without the key 0xA5 in [31:24]; ignored");
        return;
    }
    f->vals[R_FCMD] = val & 0x00FFFF3Fu;
    switch (val & 0x3Fu) {
    case CMD_NOP: break;
    case CMD_HSEN: f->vals[R_FSR] |= FSR_HSMODE; break;
    case CMD_HSDIS: f->vals[R_FSR] &= ~FSR_HSMODE; break;
    default:
        if (!(f->cmd_warned & (1ull << (val & 0x3Fu))) && f->blk.m->err)
            fprintf(f->blk.m->err, "hailsim: warning: %s: flash command 0x%02x is not modelled; "
                    "accepted, the flash stays ready\n", f->blk.desc->name, val & 0x3Fu);
        f->cmd_warned |= 1ull << (val & 0x3Fu);
        break;
    }
}

static void flashcalw_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct flashcalw_dev *f = dev;
    int i = flashcalw_find(f, off, "write");
    if (i < 0)
        return;
    if (i == R_FCMD)
        flashcalw_command(f, off, size >= 4 ? val : regs_merge_narrow(0, off, size, val));
    else
        sam4l_block_store(&f->blk, off, size, val);
    flashcalw_update(f);
}

static void flashcalw_reset(void *dev)
{
    struct flashcalw_dev *f = dev;
    sam4l_block_reset(&f->blk);
    flashcalw_update(f);
}

static void *flashcalw_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct flashcalw_dev *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    sam4l_block_init(&f->blk, m, desc, "flashcalw", SAM4L_PBB, 0, flashcalw_regs, R_COUNT, f->vals, -1);
    f->irq = board_periph_irq(desc, "irq");
    sam4l_block_reset(&f->blk);
    return f;
}

static void flashcalw_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void flashcalw_save(void *dev, struct snap_buf *b)
{
    struct flashcalw_dev *d = dev;
    sam4l_block_save(&d->blk, b);
    snap_put_u32s(b, d->vals, R_COUNT);
    snap_put_bool(b, d->line);
    snap_put_u64(b, d->cmd_warned);
}

static int flashcalw_restore(void *dev, struct snap_buf *b)
{
    struct flashcalw_dev *d = dev;
    sam4l_block_restore(&d->blk, b);
    snap_get_u32s(b, d->vals, R_COUNT);
    d->line = snap_get_bool(b);
    d->cmd_warned = snap_get_u64(b);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model flashcalw_model = {
    .type = "flashcalw",
    .create = flashcalw_create,
    .reset = flashcalw_reset,
    .read = flashcalw_read,
    .write = flashcalw_write,
    .destroy = flashcalw_destroy,
    .save = flashcalw_save,
    .restore = flashcalw_restore,
};
