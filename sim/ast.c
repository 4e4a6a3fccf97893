/*
 * ast.c — the SAM4L Asynchronous Timer model (type "ast", 0x400F0800,
 * tock-abi.md §12.2): the 32-bit counter Tock's alarm runs on.  It
 * implements the periph.h model interface with a regs.h table.
 *
 * Time: the counter is never ticked.  Like systick.c it is computed from
 * virtual time: the counter held v0 at cycle `epoch`, where its prescaler
 * was zero; with a prescaled rate f = f_src / 2^(PSEL+1), tick n (n >= 1)
 * happens at cycle epoch + ceil(n * clock_hz / f), computed exactly in
 * 128-bit integers.  The epoch is re-based (prescaler restarted) when the
 * counting changes: CR.EN, CLOCK.CEN, PSEL or CSSEL changes, a CV write,
 * CR.PCLR.  Other writes (AR0, IER, SCR...) leave the phase alone, so
 * re-arming alarms never makes the counter drift.  It counts only while
 * CR.EN and CLOCK.CEN are set.
 *
 * Source clocks (CLOCK.CSSEL): 0 RCSYS 115 000 Hz, 1 OSC32 = the YAML prop
 * `clock_hz` (32768), 2 APB = the core clock (the PBD bus is never divided
 * here), 3 GCLK2 = not modelled: the counter does not count (warned once),
 * 4 CLK_1K = clock_hz / 32 (1024 Hz: the 32 kHz oscillator's 1 kHz output).
 *
 * Events, at the exact tick:
 *   OVF     the counter goes 0xFFFFFFFF -> 0: SR.OVF
 *   ALARM0  the counter becomes AR0: SR.ALARM0; with CR.CA0 the counter
 *           then reads AR0 for one tick and becomes 0 at the next (so the
 *           period is AR0 + 1 ticks); no OVF for that clear
 *   PER0    every 2^(PIR0.INSEL+1) source-clock cycles counted from the
 *           epoch (the prescaler bit INSEL toggling back to 0): SR.PER0
 * One evq timer is armed for the earliest event that can change anything:
 * an alarm tick unless SR.ALARM0 is already set (always, with CA0), an
 * overflow unless SR.OVF is set, a PER0 unless SR.PER0 is set, a pending
 * CA0 clear, the end of BUSY / CLKBUSY; re-armed after every access.
 * AR1/PIR1/CA1 are stored only (the SAM4L has one alarm and one periodic
 * channel).  CR.CAL (calendar mode), DTR (digital tuner), WER/EVE/EVD/EVM
 * (wake-up and peripheral events) are stored only.  AR0 takes effect at
 * once (the real part misses alarms set < ~4 ticks ahead; Tock pads to 8).
 *
 * BUSY: a write to CR, CV, AR0, AR1, PIR0, PIR1, WER or DTR makes SR.BUSY
 * read 1 for 3 periods of the selected source clock (rounded up to core
 * cycles; the GCLK source counts as the YAML clock for this), then SR.READY
 * is set; a write to CLOCK makes SR.CLKBUSY read 1 for 3 periods of the
 * slower of the old and new source, then SR.CLKRDY.  As on the chip, a
 * write to one of those registers while BUSY (CLOCK while CLKBUSY) is
 * ignored: warned once per register.  The write itself takes effect at
 * once.  Tock's polls (`while SR.BUSY {}`) end because each poll advances
 * virtual time.  SCR clears OVF, ALARM0, PER0, READY, CLKRDY.
 *
 * IRQs (level, names from the YAML): alarm = SR.ALARM0 & IMR.ALARM0,
 * per = PER0, ovf = OVF, ready = READY, clkready = CLKRDY (each & IMR).
 * PARAMETER (0xF0) and VERSION (0xFC) read 0.  Unknown addresses read 0 and
 * ignore writes (warned once each; --strict stops the run).
 * Clock gate: PBD bit 2 (sam4l_clock_check on each access).
 */
#include <stdlib.h>
#include <string.h>

#include "exc.h"
#include "sam4l_pm.h"
#include "snapshot.h"             /* snapshots (#7) */

enum {
    R_CR, R_CV, R_SR, R_SCR, R_IER, R_IDR, R_IMR, R_WER, R_AR0, R_AR1, R_PIR0, R_PIR1,
    R_CLOCK, R_DTR, R_EVE, R_EVD, R_EVM, R_CALV, R_PARAMETER, R_VERSION, R_COUNT
};

static const struct reg_def ast_regs[R_COUNT] = {
    [R_CR]        = { 0x00, "CR",        REG_RW, 0, 0x001F0307u },
    [R_CV]        = { 0x04, "CV",        REG_RW, 0, 0 },
    [R_SR]        = { 0x08, "SR",        REG_RO, 0, 0 },
    [R_SCR]       = { 0x0C, "SCR",       REG_WO, 0, 0 },
    [R_IER]       = { 0x10, "IER",       REG_WO, 0, 0 },
    [R_IDR]       = { 0x14, "IDR",       REG_WO, 0, 0 },
    [R_IMR]       = { 0x18, "IMR",       REG_RO, 0, 0 },
    [R_WER]       = { 0x1C, "WER",       REG_RW, 0, 0x00030101u },
    [R_AR0]       = { 0x20, "AR0",       REG_RW, 0, 0 },
    [R_AR1]       = { 0x24, "AR1",       REG_RW, 0, 0 },
    [R_PIR0]      = { 0x30, "PIR0",      REG_RW, 0, 0x1F },
    [R_PIR1]      = { 0x34, "PIR1",      REG_RW, 0, 0x1F },
    [R_CLOCK]     = { 0x40, "CLOCK",     REG_RW, 0, 0x701 },
    [R_DTR]       = { 0x44, "DTR",       REG_RW, 0, 0xFF3F },
    [R_EVE]       = { 0x48, "EVE",       REG_WO, 0, 0 },
    [R_EVD]       = { 0x4C, "EVD",       REG_WO, 0, 0 },
    [R_EVM]       = { 0x50, "EVM",       REG_RO, 0, 0 },
    [R_CALV]      = { 0x54, "CALV",      REG_RW, 0, 0 },
    [R_PARAMETER] = { 0xF0, "PARAMETER", REG_RO, 0, 0 },
    [R_VERSION]   = { 0xFC, "VERSION",   REG_RO, 0, 0 },
};

/* CR */
#define CR_EN (1u << 0)
#define CR_PCLR (1u << 1)
#define CR_CA0 (1u << 8)
#define CR_PSEL(cr) (((cr) >> 16) & 0x1Fu)
/* SR and the interrupt registers */
#define SR_OVF (1u << 0)
#define SR_ALARM0 (1u << 8)
#define SR_PER0 (1u << 16)
#define SR_BUSY (1u << 24)
#define SR_READY (1u << 25)
#define SR_CLKBUSY (1u << 28)
#define SR_CLKRDY (1u << 29)
#define SR_FLAGS (SR_OVF | SR_ALARM0 | SR_PER0 | SR_READY | SR_CLKRDY)
#define EV_MASK (SR_OVF | SR_ALARM0 | SR_PER0)
/* CLOCK */
#define CLOCK_CEN 1u
#define CLOCK_CSSEL(c) (((c) >> 8) & 7u)
#define CSSEL_GCLK 3u

#define RCSYS_HZ 115000u
#define SYNC_PERIODS 3u             /* BUSY / CLKBUSY length, in source-clock periods */

enum { IRQ_ALARM, IRQ_PER, IRQ_OVF, IRQ_READY, IRQ_CLKREADY, IRQ_COUNT };
static const char *const irq_names[IRQ_COUNT] = { "alarm", "per", "ovf", "ready", "clkready" };
static const uint32_t irq_bits[IRQ_COUNT] = { SR_ALARM0, SR_PER0, SR_OVF, SR_READY, SR_CLKRDY };

struct ast_dev {
    struct sam4l_block blk;         /* register table, warnings, clock gate (no UNLOCK) */
    uint32_t vals[R_COUNT];
    struct evq_timer timer;
    int irq[IRQ_COUNT];
    bool line[IRQ_COUNT];
    uint32_t osc32_hz;              /* YAML prop clock_hz */
    uint64_t epoch;                 /* cycle where the counter was v0 and the prescaler 0 */
    uint32_t v0;
    uint64_t clear_tick;            /* CA0: tick (from the epoch) that clears the counter, 0 = none */
    uint64_t busy_until;            /* SR.BUSY reads 1 before this cycle (0 = idle) */
    uint64_t clkbusy_until;
    bool gclk_warned;
};

typedef unsigned __int128 u128;

/* ---- clocks and ticks ---------------------------------------------------------- */

static uint32_t source_hz(const struct ast_dev *d, uint32_t clock)
{
    switch (CLOCK_CSSEL(clock)) {
    case 0: return RCSYS_HZ;
    case 1: return d->osc32_hz;
    case 2: return d->blk.m->clock_hz;
    case 4: return d->osc32_hz / 32u;
    default: return 0;              /* GCLK2 and reserved values: not modelled */
    }
}

static bool counting(const struct ast_dev *d)
{
    return (d->vals[R_CR] & CR_EN) && (d->vals[R_CLOCK] & CLOCK_CEN) && source_hz(d, d->vals[R_CLOCK]);
}

/* Cycles after the epoch of the n-th edge of a clock of f_src / 2^shift. */
static uint64_t edge_cycle(const struct ast_dev *d, uint64_t n, unsigned shift)
{
    uint32_t f = source_hz(d, d->vals[R_CLOCK]);
    u128 num = (u128)n * d->blk.m->clock_hz << shift;
    u128 c = (num + f - 1) / f;
    u128 when = c + d->epoch;
    return when >= EVQ_NEVER ? EVQ_NEVER : (uint64_t)when;
}

/* Edges of a clock of f_src / 2^shift at or before `now`. */
static uint64_t edges_at(const struct ast_dev *d, uint64_t now, unsigned shift)
{
    if (now <= d->epoch)
        return 0;
    uint32_t f = source_hz(d, d->vals[R_CLOCK]);
    u128 n = (u128)(now - d->epoch) * f / ((u128)d->blk.m->clock_hz << shift);
    return (uint64_t)n;
}

static unsigned tick_shift(const struct ast_dev *d)
{
    return CR_PSEL(d->vals[R_CR]) + 1u;
}

static unsigned per_shift(const struct ast_dev *d)
{
    return (d->vals[R_PIR0] & 0x1Fu) + 1u;
}

static uint32_t ast_value(const struct ast_dev *d, uint64_t now)
{
    if (!counting(d))
        return d->v0;
    return d->v0 + (uint32_t)edges_at(d, now, tick_shift(d));
}

/* Restarts the prescaler at `now` with the counter at `value`. */
static void rebase(struct ast_dev *d, uint64_t now, uint32_t value)
{
    d->epoch = now;
    d->v0 = value;
    if (d->clear_tick)
        d->clear_tick = 1;          /* a pending CA0 clear happens at the next tick */
}

/* ---- events -------------------------------------------------------------------- */

/* The first tick after tick n_now at which the counter becomes `target`. */
static uint64_t next_match(const struct ast_dev *d, uint64_t n_now, uint32_t target)
{
    uint64_t k = (uint32_t)(target - (d->v0 + (uint32_t)n_now));
    return n_now + (k ? k : 1ull << 32);
}

/* The cycle of the next counter tick that matters after `now`. */
static uint64_t next_tick_event(const struct ast_dev *d, uint64_t now)
{
    uint32_t sr = d->vals[R_SR];
    uint64_t n_now = edges_at(d, now, tick_shift(d)), n = UINT64_MAX;
    if (d->clear_tick)
        n = d->clear_tick;
    if (!(sr & SR_ALARM0) || (d->vals[R_CR] & CR_CA0)) {
        uint64_t a = next_match(d, n_now, d->vals[R_AR0]);
        n = a < n ? a : n;
    }
    if (!(sr & SR_OVF)) {
        uint64_t o = next_match(d, n_now, 0);
        n = o < n ? o : n;
    }
    return n == UINT64_MAX ? EVQ_NEVER : edge_cycle(d, n, tick_shift(d));
}

static uint64_t next_event(const struct ast_dev *d, uint64_t now)
{
    uint64_t when = EVQ_NEVER;
    if (d->busy_until > now)
        when = d->busy_until;
    if (d->clkbusy_until > now && d->clkbusy_until < when)
        when = d->clkbusy_until;
    if (!counting(d))
        return when;
    uint64_t t = next_tick_event(d, now);
    if (t < when)
        when = t;
    if (!(d->vals[R_SR] & SR_PER0)) {
        uint64_t p = edge_cycle(d, edges_at(d, now, per_shift(d)) + 1, per_shift(d));
        if (p < when)
            when = p;
    }
    return when;
}

/* Counter tick n (from the epoch) happened. */
static void on_tick(struct ast_dev *d, uint64_t n)
{
    uint32_t v;
    if (d->clear_tick && n == d->clear_tick) {
        d->v0 = (uint32_t)(0 - (uint32_t)n);    /* v0 + n == 0 from now on */
        d->clear_tick = 0;
        v = 0;
    } else {
        v = d->v0 + (uint32_t)n;
        if (v == 0)
            d->vals[R_SR] |= SR_OVF;
    }
    if (v == d->vals[R_AR0]) {
        d->vals[R_SR] |= SR_ALARM0;
        if (d->vals[R_CR] & CR_CA0)
            d->clear_tick = n + 1;
    }
}

/* Everything that happens at cycle c (called once per event cycle, in order). */
static void events_at(struct ast_dev *d, uint64_t c)
{
    if (d->busy_until && c >= d->busy_until) {
        d->busy_until = 0;
        d->vals[R_SR] |= SR_READY;
    }
    if (d->clkbusy_until && c >= d->clkbusy_until) {
        d->clkbusy_until = 0;
        d->vals[R_SR] |= SR_CLKRDY;
    }
    if (!counting(d))
        return;
    uint64_t n = edges_at(d, c, tick_shift(d));
    if (n && edge_cycle(d, n, tick_shift(d)) == c)
        on_tick(d, n);
    uint64_t j = edges_at(d, c, per_shift(d));
    if (j && edge_cycle(d, j, per_shift(d)) == c)
        d->vals[R_SR] |= SR_PER0;
}

/* IRQ lines and the timer, after any change at `now`. */
static void ast_update(struct ast_dev *d, uint64_t now)
{
    struct machine *m = d->blk.m;
    uint32_t active = d->vals[R_SR] & d->vals[R_IMR];
    for (int i = 0; i < IRQ_COUNT; i++)
        sam4l_irq_level(m, d->irq[i], &d->line[i], active & irq_bits[i]);
    uint64_t when = next_event(d, now);
    if (when != EVQ_NEVER)
        evq_arm(&m->evq, &d->timer, when);
    else if (d->timer.when != EVQ_NEVER)
        evq_cancel(&m->evq, &d->timer);
}

static void ast_fire(void *ctx, uint64_t when)
{
    struct ast_dev *d = ctx;
    events_at(d, when);
    ast_update(d, when);
}

/* ---- register accesses ------------------------------------------------------------- */

static uint64_t sync_cycles(const struct ast_dev *d, uint32_t hz)
{
    if (!hz)
        hz = d->osc32_hz;
    return ((uint64_t)SYNC_PERIODS * d->blk.m->clock_hz + hz - 1) / hz;
}

static uint32_t ast_sr(const struct ast_dev *d, uint64_t now)
{
    uint32_t v = d->vals[R_SR];
    if (d->busy_until > now)
        v |= SR_BUSY;
    if (d->clkbusy_until > now)
        v |= SR_CLKBUSY;
    return v;
}

static uint32_t ast_read(void *dev, uint32_t off, unsigned size)
{
    struct ast_dev *d = dev;
    int i = sam4l_block_find(&d->blk, off, "read");
    if (i < 0)
        return 0;
    uint64_t now = machine_mmio_now(d->blk.m);
    evq_run_due(&d->blk.m->evq, now);
    uint32_t v = regs_read(&d->blk.bank, off, NULL);
    if (i == R_CV)
        v = ast_value(d, now);
    else if (i == R_SR)
        v = ast_sr(d, now);
    return sam4l_lanes(v, off, size);
}

static bool busy_guarded(int i)
{
    return i == R_CR || i == R_CV || i == R_AR0 || i == R_AR1 || i == R_PIR0 || i == R_PIR1 ||
           i == R_WER || i == R_DTR;
}

/* Writes refused because a synchronisation is still running. */
static bool refused(struct ast_dev *d, int i, uint32_t off, uint64_t now)
{
    if (busy_guarded(i) && d->busy_until > now) {
        sam4l_block_warn_once(&d->blk, off, "%s written while SR.BUSY (poll SR.BUSY first); ignored, "
                              "as on the chip", ast_regs[i].name);
        return true;
    }
    if (i == R_CLOCK && d->clkbusy_until > now) {
        sam4l_block_warn_once(&d->blk, off, "CLOCK written while SR.CLKBUSY; ignored, as on the chip");
        return true;
    }
    return false;
}

/* Side effects of the write-only / computed registers. */
static void write_special(struct ast_dev *d, int i, uint32_t val, uint64_t now)
{
    switch (i) {
    case R_SCR: d->vals[R_SR] &= ~(val & SR_FLAGS); break;
    case R_IER: d->vals[R_IMR] |= val & SR_FLAGS; break;
    case R_IDR: d->vals[R_IMR] &= ~(val & SR_FLAGS); break;
    case R_EVE: d->vals[R_EVM] |= val & EV_MASK; break;
    case R_EVD: d->vals[R_EVM] &= ~(val & EV_MASK); break;
    case R_CV: d->clear_tick = 0; rebase(d, now, val); break;
    case R_CLOCK:
        if (CLOCK_CSSEL(val) == CSSEL_GCLK && !d->gclk_warned && d->blk.m->err) {
            d->gclk_warned = true;
            fprintf(d->blk.m->err, "hailsim: warning: %s: the GCLK source of the AST is not modelled; "
                    "the counter stops\n", d->blk.desc->name);
        }
        break;
    default: break;
    }
}

/* The counting state whose change re-bases the epoch: on, PSEL, source. */
static uint64_t rate_of(const struct ast_dev *d)
{
    return (uint64_t)counting(d) << 63 | (uint64_t)CR_PSEL(d->vals[R_CR]) << 32 |
           source_hz(d, d->vals[R_CLOCK]);
}

static void ast_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct ast_dev *d = dev;
    int i = sam4l_block_find(&d->blk, off, "write");
    if (i < 0)
        return;
    uint64_t now = machine_mmio_now(d->blk.m);
    evq_run_due(&d->blk.m->evq, now);
    if (refused(d, i, off, now))
        return;
    uint32_t cur = ast_value(d, now), old_hz = source_hz(d, d->vals[R_CLOCK]);
    uint64_t before = rate_of(d);
    val = regs_merge_narrow(regs_read(&d->blk.bank, off, NULL), off, size, val);
    sam4l_block_store(&d->blk, off, 4, val);
    write_special(d, i, val, now);
    bool pclr = i == R_CR && (val & CR_PCLR);
    d->vals[R_CR] &= ~CR_PCLR;
    if (pclr || rate_of(d) != before)
        rebase(d, now, cur);
    if (busy_guarded(i))
        d->busy_until = now + sync_cycles(d, source_hz(d, d->vals[R_CLOCK]));
    if (i == R_CLOCK) {
        uint32_t new_hz = source_hz(d, d->vals[R_CLOCK]);
        d->clkbusy_until = now + sync_cycles(d, old_hz && (!new_hz || old_hz < new_hz) ? old_hz : new_hz);
    }
    ast_update(d, now);
}

/* ---- life cycle ---------------------------------------------------------------------- */

static void ast_reset(void *dev)
{
    struct ast_dev *d = dev;
    sam4l_block_reset(&d->blk);
    d->epoch = d->blk.m->cycles;
    d->v0 = 0;
    d->clear_tick = 0;
    d->busy_until = d->clkbusy_until = 0;
    d->gclk_warned = false;
    ast_update(d, d->blk.m->cycles);
}

static void *ast_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct ast_dev *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    sam4l_block_init(&d->blk, m, desc, "ast", SAM4L_PBD, 2, ast_regs, R_COUNT, d->vals, -1);
    d->osc32_hz = board_periph_prop(desc, "clock_hz", 32768);
    if (d->osc32_hz == 0 || d->osc32_hz > m->clock_hz) {
        snprintf(err, errlen, "%s:%d: peripheral %s: props.clock_hz %u is out of range; expected 1..%u "
                 "(the core clock)", m->board->path, desc->line, desc->name, d->osc32_hz, m->clock_hz);
        free(d);
        return NULL;
    }
    for (int i = 0; i < IRQ_COUNT; i++)
        d->irq[i] = board_periph_irq(desc, irq_names[i]);
    if (evq_add_timer(&m->evq, &d->timer, "ast", ast_fire, d) != 0) {
        snprintf(err, errlen, "%s: the event queue is full (%d timers)", desc->name, EVQ_MAX_TIMERS);
        free(d);
        return NULL;
    }
    ast_reset(d);
    return d;
}

static void ast_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void ast_save(void *dev, struct snap_buf *b)
{
    struct ast_dev *d = dev;
    sam4l_block_save(&d->blk, b);
    snap_put_u32s(b, d->vals, R_COUNT);
    snap_put_timer(b, &d->timer);
    for (int i = 0; i < IRQ_COUNT; i++)
        snap_put_bool(b, d->line[i]);
    snap_put_u32(b, d->osc32_hz);
    snap_put_u64(b, d->epoch);
    snap_put_u32(b, d->v0);
    snap_put_u64(b, d->clear_tick);
    snap_put_u64(b, d->busy_until);
    snap_put_u64(b, d->clkbusy_until);
    snap_put_bool(b, d->gclk_warned);
}

static int ast_restore(void *dev, struct snap_buf *b)
{
    struct ast_dev *d = dev;
    sam4l_block_restore(&d->blk, b);
    snap_get_u32s(b, d->vals, R_COUNT);
    snap_get_timer(b, &d->timer);
    for (int i = 0; i < IRQ_COUNT; i++)
        d->line[i] = snap_get_bool(b);
    d->osc32_hz = snap_get_u32(b);
    d->epoch = snap_get_u64(b);
    d->v0 = snap_get_u32(b);
    d->clear_tick = snap_get_u64(b);
    d->busy_until = snap_get_u64(b);
    d->clkbusy_until = snap_get_u64(b);
    d->gclk_warned = snap_get_bool(b);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model ast_model = {
    .type = "ast",
    .create = ast_create,
    .reset = ast_reset,
    .read = ast_read,
    .write = ast_write,
    .destroy = ast_destroy,
    .save = ast_save,
    .restore = ast_restore,
};
