/*
 * trng.c — the SAM4L True Random Number Generator model (type "trng",
 * 0x40068000, tock-abi.md §12.6), deterministic: the "random" words are a
 * pseudo-random stream fixed by --seed (m->seed) and the peripheral's base
 * address, so a run can be replayed exactly and different seeds differ.
 *
 * Registers: CR 0x00 (write-only; KEY [31:8] must be 0x524E47, ENABLE bit
 * 0 — writes with another key are ignored and warned once), IER 0x10,
 * IDR 0x14, IMR 0x18, ISR 0x1C (DATRDY bit 0), ODATA 0x50.
 *
 * Timing, in virtual time: while enabled, word k (k = 0, 1, ...) is
 * produced 84 core cycles after word k-1 (the first 84 cycles after the
 * enable) — the datasheet's 84 peripheral-clock cycles, the PBA clock being
 * the core clock in this simulator.  Nothing is ticked: the count of words
 * produced is computed from the enable time.  ODATA returns the latest word
 * produced; reading it takes that word: DATRDY reads 1 whenever a word has
 * been produced since the last ODATA read.  Words not read in time are
 * lost, as on the chip.  Disabling keeps the count (re-enabling continues
 * the stream, it does not repeat it).
 *
 * Values: word k = the upper half of splitmix64's finaliser applied to
 * key + k * golden-ratio, key = mix(seed) ^ mix(base): a counter-based
 * generator, so any word is computed directly.
 *
 * The NVIC line (IRQ "irq", 73) is asserted while ISR.DATRDY && IMR.DATRDY;
 * an evq timer is armed for the next word only while that matters (enabled,
 * IMR.DATRDY set, DATRDY clear).  Clock gate: PBA bit 17.
 */
#include <stdlib.h>

#include "exc.h"
#include "sam4l_pm.h"
#include "snapshot.h"             /* snapshots (#7) */

#define TRNG_KEY 0x524E47u
#define TRNG_PERIOD 84u             /* core cycles per word */
#define DATRDY 1u

enum { R_CR, R_IER, R_IDR, R_IMR, R_ISR, R_ODATA, R_COUNT };

static const struct reg_def trng_regs[R_COUNT] = {
    [R_CR]    = { 0x00, "CR",    REG_WO, 0, 0 },
    [R_IER]   = { 0x10, "IER",   REG_WO, 0, 0 },
    [R_IDR]   = { 0x14, "IDR",   REG_WO, 0, 0 },
    [R_IMR]   = { 0x18, "IMR",   REG_RO, 0, 0 },
    [R_ISR]   = { 0x1C, "ISR",   REG_RO, 0, 0 },
    [R_ODATA] = { 0x50, "ODATA", REG_RO, 0, 0 },
};

struct trng_dev {
    struct sam4l_block blk;         /* register table, warnings, clock gate (no UNLOCK) */
    uint32_t vals[R_COUNT];
    struct evq_timer timer;
    int irq;
    bool line;
    bool enabled;
    uint64_t epoch;                 /* cycle of the last enable */
    uint64_t base;                  /* words produced before the epoch */
    uint64_t taken;                 /* words produced when ODATA was last read */
    uint64_t key;
};

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t trng_word(const struct trng_dev *t, uint64_t k)
{
    return (uint32_t)(mix64(t->key + (k + 1) * 0x9E3779B97F4A7C15ull) >> 32);
}

static uint64_t produced(const struct trng_dev *t, uint64_t now)
{
    if (!t->enabled || now < t->epoch)
        return t->base;
    return t->base + (now - t->epoch) / TRNG_PERIOD;
}

static bool datrdy(const struct trng_dev *t, uint64_t now)
{
    return produced(t, now) > t->taken;
}

/* IRQ line and the timer for the next word, at time `now`. */
static void trng_update(struct trng_dev *t, uint64_t now)
{
    struct machine *m = t->blk.m;
    bool rdy = datrdy(t, now), armed = t->vals[R_IMR] & DATRDY;
    sam4l_irq_level(m, t->irq, &t->line, rdy && armed);
    if (t->enabled && armed && !rdy) {
        uint64_t next = produced(t, now) - t->base + 1;
        evq_arm(&m->evq, &t->timer, t->epoch + next * TRNG_PERIOD);
    } else if (t->timer.when != EVQ_NEVER) {
        evq_cancel(&m->evq, &t->timer);
    }
}

static void trng_fire(void *ctx, uint64_t when)
{
    trng_update(ctx, when);
}

static uint32_t trng_read(void *dev, uint32_t off, unsigned size)
{
    struct trng_dev *t = dev;
    int i = sam4l_block_find(&t->blk, off, "read");
    if (i < 0)
        return 0;
    uint64_t now = machine_mmio_now(t->blk.m);
    evq_run_due(&t->blk.m->evq, now);
    uint32_t v = regs_read(&t->blk.bank, off, NULL);
    if (i == R_ISR) {
        v = datrdy(t, now) ? DATRDY : 0;
    } else if (i == R_ODATA) {
        uint64_t p = produced(t, now);
        v = p ? trng_word(t, p - 1) : 0;
        t->taken = p;
        trng_update(t, now);
    }
    return sam4l_lanes(v, off, size);
}

static void trng_control(struct trng_dev *t, uint32_t off, uint32_t val, uint64_t now)
{
    if ((val >> 8) != TRNG_KEY) {
        sam4l_block_warn_once(&t->blk, off, "CR written without the key 0x524E47 in [31:8]; ignored");
        return;
    }
    bool on = val & 1u;
    if (on && !t->enabled) {
        t->epoch = now;
        t->enabled = true;
    } else if (!on && t->enabled) {
        t->base = produced(t, now);
        t->enabled = false;
    }
}

static void trng_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct trng_dev *t = dev;
    int i = sam4l_block_find(&t->blk, off, "write");
    if (i < 0)
        return;
    uint64_t now = machine_mmio_now(t->blk.m);
    evq_run_due(&t->blk.m->evq, now);
    val = regs_merge_narrow(0, off, size, val);
    switch (i) {
    case R_CR: trng_control(t, off, val, now); break;
    case R_IER: t->vals[R_IMR] |= val & DATRDY; break;
    case R_IDR: t->vals[R_IMR] &= ~(val & DATRDY); break;
    default: break;                 /* IMR, ISR, ODATA are read-only */
    }
    trng_update(t, now);
}

static void trng_reset(void *dev)
{
    struct trng_dev *t = dev;
    struct machine *m = t->blk.m;
    sam4l_block_reset(&t->blk);
    t->enabled = false;
    t->epoch = t->base = t->taken = 0;
    t->key = mix64(m->seed) ^ mix64(0x54524E47ull << 32 | t->blk.desc->base);
    trng_update(t, m->cycles);
}

static void *trng_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct trng_dev *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    sam4l_block_init(&t->blk, m, desc, "trng", SAM4L_PBA, 17, trng_regs, R_COUNT, t->vals, -1);
    t->irq = board_periph_irq(desc, "irq");
    if (evq_add_timer(&m->evq, &t->timer, "trng", trng_fire, t) != 0) {
        snprintf(err, errlen, "%s: the event queue is full (%d timers)", desc->name, EVQ_MAX_TIMERS);
        free(t);
        return NULL;
    }
    trng_reset(t);
    return t;
}

static void trng_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void trng_save(void *dev, struct snap_buf *b)
{
    struct trng_dev *t = dev;
    sam4l_block_save(&t->blk, b);
    snap_put_u32s(b, t->vals, R_COUNT);
    snap_put_timer(b, &t->timer);
    snap_put_bool(b, t->line);
    snap_put_bool(b, t->enabled);
    snap_put_u64(b, t->epoch);
    snap_put_u64(b, t->base);
    snap_put_u64(b, t->taken);
    snap_put_u64(b, t->key);
}

static int trng_restore(void *dev, struct snap_buf *b)
{
    struct trng_dev *t = dev;
    sam4l_block_restore(&t->blk, b);
    snap_get_u32s(b, t->vals, R_COUNT);
    snap_get_timer(b, &t->timer);
    t->line = snap_get_bool(b);
    t->enabled = snap_get_bool(b);
    t->epoch = snap_get_u64(b);
    t->base = snap_get_u64(b);
    t->taken = snap_get_u64(b);
    t->key = snap_get_u64(b);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model trng_model = {
    .type = "trng",
    .create = trng_create,
    .reset = trng_reset,
    .read = trng_read,
    .write = trng_write,
    .destroy = trng_destroy,
    .save = trng_save,
    .restore = trng_restore,
};
