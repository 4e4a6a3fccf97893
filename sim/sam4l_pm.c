/*
 * sam4l_pm.c — the SAM4L Power Manager model (type "pm", 0x400E0000), the
 * clock gates of sam4l_clocks.h that every SAM4L model consults, and the
 * sam4l_block helpers shared with the SCIF, BPM, BSCIF and FLASHCALW models
 * (sam4l_pm.h).
 *
 * Registers (tock-abi.md §12.7): MCCTRL 0x00, CPUSEL 0x04, PBASEL..PBDSEL
 * 0x0C-0x18, CPUMASK 0x20, HSBMASK 0x24, PBAMASK..PBDMASK 0x28-0x34,
 * PBADIVMASK 0x40, CFDCTRL 0x54 (read-only once SFV is set), UNLOCK 0x58,
 * IER/IDR/IMR/ISR/ICR/SR 0xC0-0xD4, PPCR 0x160, RCAUSE 0x180, WCAUSE 0x184,
 * AWEN 0x188, FASTSLEEP 0x194, CONFIG 0x3F8 (0x8F: the four APB buses and
 * HSBPEVC implemented), VERSION 0x3FC (0x441, the part header's REV_PM).
 * Reset values are the datasheet's (Atmel's SAM4L part header): CPUMASK 1,
 * HSBMASK 0x1E2 (flash controller and the four APB bridges), PBAMASK 0 (so
 * USARTs and TRNG start with their clocks off), PBBMASK 1 (flash
 * controller), PBCMASK 0x1F, PBDMASK 0x3F, PPCR 0x1FE, the rest 0.  RCAUSE
 * reads POR after the first reset and OCDRST after a SYSRESETREQ reset.
 *
 * Protection: MCCTRL..CFDCTRL (0x00-0x54) and PPCR are protected — each
 * write must directly follow UNLOCK = 0xAA << 24 | offset; otherwise it is
 * ignored, warned once per register, and SR/ISR.AE (bit 31) is set.
 * AWEN and FASTSLEEP are taken as unprotected (not sure from the datasheet).
 *
 * Clocks: the tree is accepted and reported, not used to change speed: the
 * simulated CPU and buses always run at cpu.clock_hz of the board (48 MHz),
 * whatever MCCTRL/CPUSEL/PBxSEL select.  SR.CKRDY (bit 5) and PERRDY (28)
 * always read 1; a write to MCCTRL, CPUSEL or PBxSEL sets ISR.CKRDY (the new
 * clocks are "ready" at once).  The NVIC line (IRQ "irq") is ISR & IMR.
 *
 * Clock gates (sam4l_clocks.h): the PM instance is the peripheral named
 * "pm"; without one every clock counts as enabled.  A PBx gate needs both
 * its PBxMASK bit and its APB bridge (HSBMASK bits 5-8).  A model accessed
 * with its clock off works normally but warns once per (bus, bit), or stops
 * the run under --strict.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exc.h"
#include "sam4l_pm.h"
#include "snapshot.h"             /* snapshots (#7) */

#define PM_MAGIC 0x504D2121u

enum {
    R_MCCTRL, R_CPUSEL, R_PBASEL, R_PBBSEL, R_PBCSEL, R_PBDSEL, R_CPUMASK, R_HSBMASK,
    R_PBAMASK, R_PBBMASK, R_PBCMASK, R_PBDMASK, R_PBADIVMASK, R_CFDCTRL, R_UNLOCK,
    R_IER, R_IDR, R_IMR, R_ISR, R_ICR, R_SR, R_PPCR, R_RCAUSE, R_WCAUSE, R_AWEN,
    R_FASTSLEEP, R_CONFIG, R_VERSION, R_COUNT
};

static const struct reg_def pm_regs[R_COUNT] = {
    [R_MCCTRL]     = { 0x000, "MCCTRL",     REG_RW, 0, 0x7 },
    [R_CPUSEL]     = { 0x004, "CPUSEL",     REG_RW, 0, 0x87 },
    [R_PBASEL]     = { 0x00C, "PBASEL",     REG_RW, 0, 0x87 },
    [R_PBBSEL]     = { 0x010, "PBBSEL",     REG_RW, 0, 0x87 },
    [R_PBCSEL]     = { 0x014, "PBCSEL",     REG_RW, 0, 0x87 },
    [R_PBDSEL]     = { 0x018, "PBDSEL",     REG_RW, 0, 0x87 },
    [R_CPUMASK]    = { 0x020, "CPUMASK",    REG_RW, 0x1, 0x1 },
    [R_HSBMASK]    = { 0x024, "HSBMASK",    REG_RW, 0x1E2, 0x3FF },
    [R_PBAMASK]    = { 0x028, "PBAMASK",    REG_RW, 0, 0xEFFFFF },
    [R_PBBMASK]    = { 0x02C, "PBBMASK",    REG_RW, 0x1, 0x7F },
    [R_PBCMASK]    = { 0x030, "PBCMASK",    REG_RW, 0x1F, 0x1F },
    [R_PBDMASK]    = { 0x034, "PBDMASK",    REG_RW, 0x3F, 0x3F },
    [R_PBADIVMASK] = { 0x040, "PBADIVMASK", REG_RW, 0, 0x7F },
    [R_CFDCTRL]    = { 0x054, "CFDCTRL",    REG_RW, 0, 0x80000001u },
    [R_UNLOCK]     = { 0x058, "UNLOCK",     REG_WO, 0, 0 },
    [R_IER]        = { 0x0C0, "IER",        REG_WO, 0, 0 },
    [R_IDR]        = { 0x0C4, "IDR",        REG_WO, 0, 0 },
    [R_IMR]        = { 0x0C8, "IMR",        REG_RO, 0, 0 },
    [R_ISR]        = { 0x0CC, "ISR",        REG_RO, 0, 0 },
    [R_ICR]        = { 0x0D0, "ICR",        REG_WO, 0, 0 },
    [R_SR]         = { 0x0D4, "SR",         REG_RO, 0, 0 },
    [R_PPCR]       = { 0x160, "PPCR",       REG_RW, 0x1FE, 0x7FF },
    [R_RCAUSE]     = { 0x180, "RCAUSE",     REG_RO, 0, 0 },
    [R_WCAUSE]     = { 0x184, "WCAUSE",     REG_RO, 0, 0 },
    [R_AWEN]       = { 0x188, "AWEN",       REG_RW, 0, 0xFF },
    [R_FASTSLEEP]  = { 0x194, "FASTSLEEP",  REG_RW, 0, 0x01070101u },
    [R_CONFIG]     = { 0x3F8, "CONFIG",     REG_RO, 0x8F, 0 },
    [R_VERSION]    = { 0x3FC, "VERSION",    REG_RO, 0x441, 0 },
};

#define PM_INT_MASK 0x80000121u     /* CFD 0, CKRDY 5, WAKE 8, AE 31 */
#define PM_CKRDY (1u << 5)
#define PM_PERRDY (1u << 28)
#define PM_AE (1u << 31)
#define RCAUSE_POR 1u
#define RCAUSE_OCDRST (1u << 8)

struct pm_dev {
    uint32_t magic;                 /* PM_MAGIC: lets the clock gates trust periph_find_dev("pm") */
    struct sam4l_block blk;
    uint32_t vals[R_COUNT];
    int irq;
    bool line;
    uint32_t clock_warned[5];       /* per bus: gates already warned about */
};

/* ---- shared block helpers (sam4l_pm.h) ---------------------------------------- */

void sam4l_block_init(struct sam4l_block *b, struct machine *m, const struct board_periph *desc,
                      const char *who, enum sam4l_bus bus, int bit,
                      const struct reg_def *defs, int n, uint32_t *vals, int32_t unlock_off)
{
    memset(b, 0, sizeof *b);
    b->m = m;
    b->desc = desc;
    b->who = who;
    b->bus = bus;
    b->bit = bit;
    b->bank = (struct reg_bank){ defs, n, vals };
    b->unlock_off = unlock_off;
    b->unlocked = -1;
}

void sam4l_block_reset(struct sam4l_block *b)
{
    regs_reset(&b->bank);
    b->unlocked = -1;
}

/* ---- snapshots (issue #7) ---- */
void sam4l_block_save(const struct sam4l_block *b, struct snap_buf *sb)
{
    snap_put_i32(sb, b->unlocked);
    snap_put_u32s(sb, b->warned, 32);
}

void sam4l_block_restore(struct sam4l_block *b, struct snap_buf *sb)
{
    b->unlocked = snap_get_i32(sb);
    snap_get_u32s(sb, b->warned, 32);
}
/* ---- end of snapshots ---- */

void sam4l_block_warn_once(struct sam4l_block *b, uint32_t off, const char *fmt, ...)
{
    uint32_t w = (off / 4u) % 1024u, bit = 1u << (w % 32u);
    if (b->warned[w / 32u] & bit)
        return;
    b->warned[w / 32u] |= bit;
    if (!b->m->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(b->m->err, "hailsim: warning: %s (0x%08x): ", b->desc->name, b->desc->base + off);
    vfprintf(b->m->err, fmt, ap);
    fputc('\n', b->m->err);
    va_end(ap);
}

int sam4l_block_find(struct sam4l_block *b, uint32_t off, const char *what)
{
    struct reg_hit hit;
    sam4l_clock_check(b->m, b->bus, b->bit, b->who);
    regs_read(&b->bank, off, &hit);
    if (hit.index >= 0)
        return hit.index;
    if (b->m->strict_mmio)
        cpu_fatal(b->m, STOP_CPU_ERROR, "%s of unmodelled register 0x%08x (%s) with --strict",
                  what, b->desc->base + off, b->desc->name);
    else
        sam4l_block_warn_once(b, off, "%s of an unmodelled register: reads 0, writes ignored", what);
    return -1;
}

bool sam4l_block_unlock(struct sam4l_block *b, uint32_t off, uint32_t val)
{
    if (b->unlock_off < 0 || (off & ~3u) != (uint32_t)b->unlock_off)
        return false;
    if ((val >> 24) != SAM4L_UNLOCK_KEY) {
        sam4l_block_warn_once(b, off, "UNLOCK written with key 0x%02x (expected 0xAA); ignored", val >> 24);
        b->unlocked = -1;
        return true;
    }
    b->unlocked = (int32_t)(val & 0x3FCu);
    return true;
}

bool sam4l_block_may_write(struct sam4l_block *b, uint32_t off, bool is_protected)
{
    bool ok = !is_protected || b->unlocked == (int32_t)(off & ~3u);
    b->unlocked = -1;
    if (!ok)
        sam4l_block_warn_once(b, off, "protected register written without UNLOCK = 0xAA000000 | 0x%03x "
                              "just before; write ignored", off & ~3u);
    return ok;
}

void sam4l_block_store(struct sam4l_block *b, uint32_t off, unsigned size, uint32_t val)
{
    struct reg_hit hit;
    uint32_t cur = regs_read(&b->bank, off, &hit);
    regs_write(&b->bank, off & ~3u, regs_merge_narrow(cur, off, size, val), &hit);
}

uint32_t sam4l_lanes(uint32_t word, uint32_t off, unsigned size)
{
    if (size >= 4)
        return word;
    return (word >> (8u * (off & 3u))) & ((1u << (8u * size)) - 1u);
}

uint64_t sam4l_us_to_cycles(const struct machine *m, uint32_t us)
{
    return ((uint64_t)m->clock_hz * us + 999999u) / 1000000u;
}

uint64_t sam4l_ready_after(const struct machine *m, uint64_t at, bool was_on, bool on, uint64_t now,
                           uint32_t start_us)
{
    if (!on)
        return EVQ_NEVER;
    return was_on ? at : now + sam4l_us_to_cycles(m, start_us);
}

void sam4l_irq_level(struct machine *m, int irq, bool *state, bool level)
{
    if (irq < 0 || *state == level)
        return;
    *state = level;
    exc_irq_line(m, irq, level);
}

/* ---- clock gates (sam4l_clocks.h) ----------------------------------------------- */

/* The PM instance, looked up once per machine (every peripheral access asks). */
static struct pm_dev *pm_of(struct machine *m)
{
    if (!m->pm_looked_up) {
        struct pm_dev *p = periph_find_dev(m, "pm");
        m->pm_dev = p && p->magic == PM_MAGIC ? p : NULL;
        m->pm_looked_up = true;
    }
    return m->pm_dev;
}

static const char *const bus_names[] = { "HSB", "PBA", "PBB", "PBC", "PBD" };

/* 0 = on, 1 = its mask bit is off, 2 = its APB bridge is off */
static int gate_state(const struct pm_dev *p, enum sam4l_bus bus, int bit)
{
    uint32_t mask = p->vals[R_HSBMASK + (int)bus];      /* HSBMASK, PBAMASK.. PBDMASK are consecutive */
    if (bit < 0 || bit > 31 || !((mask >> bit) & 1u))
        return 1;
    if (bus != SAM4L_HSB && !((p->vals[R_HSBMASK] >> (4 + (int)bus)) & 1u))
        return 2;
    return 0;
}

bool sam4l_clock_enabled(struct machine *m, enum sam4l_bus bus, int bit)
{
    struct pm_dev *p = pm_of(m);
    return !p || gate_state(p, bus, bit) == 0;
}

void sam4l_clock_check(struct machine *m, enum sam4l_bus bus, int bit, const char *who)
{
    struct pm_dev *p = pm_of(m);
    int st = p ? gate_state(p, bus, bit) : 0;
    if (st == 0)
        return;
    char why[96];
    if (st == 1)
        snprintf(why, sizeof why, "(%s bit %d); enable it in PM.%sMASK", bus_names[bus], bit, bus_names[bus]);
    else
        snprintf(why, sizeof why, "(%s bit %d: the APB bridge, HSB bit %d, is off); enable it in PM.HSBMASK",
                 bus_names[bus], bit, 4 + (int)bus);
    if (m->strict_mmio) {
        cpu_fatal(m, STOP_CPU_ERROR, "%s accessed with its clock off %s (--strict)", who, why);
        return;
    }
    uint32_t b = 1u << (bit & 31);
    if (p->clock_warned[bus] & b)
        return;
    p->clock_warned[bus] |= b;
    if (m->err)
        fprintf(m->err, "hailsim: warning: %s accessed with its clock off %s\n", who, why);
}

/* ---- the PM registers ------------------------------------------------------------- */

static bool pm_protected(uint32_t off)
{
    return off <= 0x54u || off == 0x160u;
}

static void pm_update(struct pm_dev *p)
{
    bool level = (p->vals[R_ISR] & p->vals[R_IMR]) != 0;
    sam4l_irq_level(p->blk.m, p->irq, &p->line, level);
}

static uint32_t pm_read(void *dev, uint32_t off, unsigned size)
{
    struct pm_dev *p = dev;
    int i = sam4l_block_find(&p->blk, off, "read");
    if (i < 0)
        return 0;
    uint32_t v = regs_read(&p->blk.bank, off, NULL);
    if (i == R_SR)
        v = PM_CKRDY | PM_PERRDY | (p->vals[R_ISR] & PM_AE);
    return sam4l_lanes(v, off, size);
}

static void pm_write_special(struct pm_dev *p, int i, uint32_t val)
{
    switch (i) {
    case R_IER: p->vals[R_IMR] |= val & PM_INT_MASK; break;
    case R_IDR: p->vals[R_IMR] &= ~(val & PM_INT_MASK); break;
    case R_ICR: p->vals[R_ISR] &= ~(val & PM_INT_MASK); break;
    default: break;
    }
}

static void pm_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct pm_dev *p = dev;
    int i = sam4l_block_find(&p->blk, off, "write");
    if (i < 0 || sam4l_block_unlock(&p->blk, off, val))
        return;
    if (!sam4l_block_may_write(&p->blk, off, pm_protected(off & ~3u))) {
        p->vals[R_ISR] |= PM_AE;
    } else if (i == R_CFDCTRL && (p->vals[R_CFDCTRL] & (1u << 31))) {
        sam4l_block_warn_once(&p->blk, off, "CFDCTRL is read-only once SFV is set; write ignored");
    } else {
        sam4l_block_store(&p->blk, off, size, val);
        pm_write_special(p, i, val);
        if (i == R_MCCTRL || (i >= R_CPUSEL && i <= R_PBDSEL))
            p->vals[R_ISR] |= PM_CKRDY;
    }
    pm_update(p);
}

static void pm_reset(void *dev)
{
    struct pm_dev *p = dev;
    sam4l_block_reset(&p->blk);
    p->vals[R_RCAUSE] = p->blk.m->reset_requested ? RCAUSE_OCDRST : RCAUSE_POR;
    memset(p->clock_warned, 0, sizeof p->clock_warned);
    pm_update(p);
}

static void *pm_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct pm_dev *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    p->magic = PM_MAGIC;
    sam4l_block_init(&p->blk, m, desc, "pm", SAM4L_PBC, 0, pm_regs, R_COUNT, p->vals, 0x58);
    p->irq = board_periph_irq(desc, "irq");
    sam4l_block_reset(&p->blk);
    return p;
}

static void pm_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void pm_save(void *dev, struct snap_buf *b)
{
    struct pm_dev *p = dev;
    sam4l_block_save(&p->blk, b);
    snap_put_u32s(b, p->vals, R_COUNT);
    snap_put_bool(b, p->line);
    snap_put_u32s(b, p->clock_warned, 5);
}

static int pm_restore(void *dev, struct snap_buf *b)
{
    struct pm_dev *p = dev;
    sam4l_block_restore(&p->blk, b);
    snap_get_u32s(b, p->vals, R_COUNT);
    p->line = snap_get_bool(b);
    snap_get_u32s(b, p->clock_warned, 5);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model pm_model = {
    .type = "pm",
    .create = pm_create,
    .reset = pm_reset,
    .read = pm_read,
    .write = pm_write,
    .destroy = pm_destroy,
    .save = pm_save,
    .restore = pm_restore,
};
