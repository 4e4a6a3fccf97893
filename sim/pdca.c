/*
 * pdca.c — the SAM4L Peripheral DMA Controller (PDCA): 16 channels that move
 * data between guest memory and a peripheral, one unit per handshake.
 *
 * How it fits: periph.c creates it for the `type: pdca` peripheral and
 * routes its MMIO here.  The only peripherals modelled behind it are the
 * USARTs (usart.h): PSR = n is USARTn RX, PSR = 18 + n is USARTn TX
 * (n = 0..3), found by name with periph_find_dev(m, "usartN").  The PDCA
 * registers itself as each USART's DMA and is told when TXRDY or RXRDY
 * rises; it then moves, per channel, one unit per ready signal: a TX channel
 * writes THR each time TXRDY is 1 (so the first two bytes go at once, one to
 * the shifter and one to THR, then one per character time), an RX channel
 * reads RHR each time RXRDY is 1.  Other PSR values are not modelled: a
 * channel enabled with work on them warns once and does nothing.
 *
 * Channel n at +0x40 n: MAR PSR TCR MARR TCRR CR MR SR IER IDR IMR ISR.
 * Each unit is SIZE bytes (byte, halfword, word) at MAR (MAR += size,
 * TCR -= 1); to the USART only the low byte matters, from the USART a byte
 * is stored zero-extended.  When TCR is 0 and TCRR is not, MAR/TCR reload
 * from MARR/TCRR and TCRR (and MARR) are cleared, unless MR.RING is set.
 * ISR is a status: RCZ = (TCRR == 0), TRC = (TCR == 0 and TCRR == 0),
 * TERR = a transfer error since the last CR.ECLR; so after reset ISR reads
 * RCZ | TRC, and the channel's IRQ line ("chN") is (ISR & IMR) != 0.
 * Memory goes through machine_host_ptr(): an address outside the memories
 * (or a write outside RAM) is a transfer error: TERR, the channel is
 * disabled (SR.TEN = 0) and MAR keeps the faulty address; CR.TEN is ignored
 * until CR.ECLR.  ETRIG (event trigger) is not modelled (the peripheral
 * handshake is used).  The transfers take no time of their own.
 * Global registers: PCONTROL (0x800, read/write, no effect), the
 * performance counters (0x804-0x830, read 0), VERSION (0x834, 0x124).
 * PSR's reset value is not given by the datasheet; it is 0 here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exc.h"
#include "periph.h"
#include "regs.h"
#include "sam4l_clocks.h"
#include "usart.h"
#include "snapshot.h"             /* snapshots (#7) */

#define PDCA_CHANNELS 16
#define PDCA_USARTS 4
#define PID_USART_RX 0u
#define PID_USART_TX 18u

#define CR_TEN (1u << 0)
#define CR_TDIS (1u << 1)
#define CR_ECLR (1u << 8)
#define MR_SIZE(v) ((v) & 3u)
#define MR_RING (1u << 3)
#define ISR_RCZ (1u << 0)
#define ISR_TRC (1u << 1)
#define ISR_TERR (1u << 2)

enum { C_MAR, C_PSR, C_TCR, C_MARR, C_TCRR, C_CR, C_MR, C_SR, C_IER, C_IDR, C_IMR, C_ISR, C_COUNT };

static const struct reg_def chan_regs[C_COUNT] = {
    [C_MAR] = { 0x00, "MAR", REG_RW, 0, 0 },
    [C_PSR] = { 0x04, "PSR", REG_RW, 0, 0xFFu },
    [C_TCR] = { 0x08, "TCR", REG_RW, 0, 0xFFFFu },
    [C_MARR] = { 0x0C, "MARR", REG_RW, 0, 0 },
    [C_TCRR] = { 0x10, "TCRR", REG_RW, 0, 0xFFFFu },
    [C_CR] = { 0x14, "CR", REG_WO, 0, 0x103u },
    [C_MR] = { 0x18, "MR", REG_RW, 0, 0xFu },
    [C_SR] = { 0x1C, "SR", REG_RO, 0, 0 },
    [C_IER] = { 0x20, "IER", REG_WO, 0, 0x7u },
    [C_IDR] = { 0x24, "IDR", REG_WO, 0, 0x7u },
    [C_IMR] = { 0x28, "IMR", REG_RO, 0, 0 },
    [C_ISR] = { 0x2C, "ISR", REG_RO, 0, 0 },
};

enum { G_PCONTROL, G_PERF0, G_VERSION = G_PERF0 + 12, G_COUNT };

#define PERF(i, n) [G_PERF0 + (i)] = { 0x804 + 4 * (i), n, REG_RO, 0, 0 }
static const struct reg_def global_regs[G_COUNT] = {
    [G_PCONTROL] = { 0x800, "PCONTROL", REG_RW, 0, 0x3F3F0333u },
    PERF(0, "PRDATA0"), PERF(1, "PRSTALL0"), PERF(2, "PRLAT0"),
    PERF(3, "PWDATA0"), PERF(4, "PWSTALL0"), PERF(5, "PWLAT0"),
    PERF(6, "PRDATA1"), PERF(7, "PRSTALL1"), PERF(8, "PRLAT1"),
    PERF(9, "PWDATA1"), PERF(10, "PWSTALL1"), PERF(11, "PWLAT1"),
    [G_VERSION] = { 0x834, "VERSION", REG_RO, 0x124, 0 },
};
#undef PERF

struct pdca_chan {
    uint32_t vals[C_COUNT];
    struct reg_bank bank;
    bool ten, terr;
    bool line;
    int irq;
    int warned_pid;             /* PSR value last warned about, -1 none */
    bool warned_terr;
};

struct pdca {
    struct machine *m;
    const struct board_periph *desc;
    struct pdca_chan ch[PDCA_CHANNELS];
    uint32_t gvals[G_COUNT];
    struct reg_bank gbank;
    struct usart *usart[PDCA_USARTS];
    bool servicing, again;
    bool warned_offset;
};

static void warn(struct pdca *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct pdca *p, const char *fmt, ...)
{
    if (!p->m->err)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(p->m->err, "hailsim: warning: %s: ", p->desc->name);
    vfprintf(p->m->err, fmt, ap);
    fputc('\n', p->m->err);
    va_end(ap);
}

/* ---- the USARTs behind the PDCA ------------------------------------------------------ */

static void pdca_service(struct pdca *p, uint64_t now);

static void usart_ready(void *ctx, struct usart *u, uint64_t now)
{
    pdca_service(ctx, now);
}

/* USART n, bound on first use (the USARTs may be created after the PDCA). */
static struct usart *usart_get(struct pdca *p, unsigned n)
{
    if (p->usart[n])
        return p->usart[n];
    char name[8] = "usart0";
    name[5] = (char)('0' + n);
    const struct board_periph *d = board_find_periph(p->m->board, name);
    if (!d || strcmp(d->type, "usart") != 0)
        return NULL;
    struct usart *u = periph_find_dev(p->m, name);
    if (u) {
        usart_set_dma(u, p, usart_ready);
        p->usart[n] = u;
    }
    return u;
}

/* The USART and direction selected by PSR; false when not modelled. */
static bool select_usart(struct pdca *p, uint32_t pid, struct usart **u, bool *tx)
{
    *tx = pid >= PID_USART_TX;
    if (*tx)
        pid -= PID_USART_TX;
    if (pid >= PDCA_USARTS)
        return false;
    *u = usart_get(p, pid);
    return *u != NULL;
}

/* ---- channel status ------------------------------------------------------------------ */

static uint32_t isr_value(const struct pdca_chan *c)
{
    uint32_t v = c->terr ? ISR_TERR : 0;
    if (c->vals[C_TCRR] == 0) {
        v |= ISR_RCZ;
        if (c->vals[C_TCR] == 0)
            v |= ISR_TRC;
    }
    return v;
}

static void update_irq(struct pdca *p, int n)
{
    struct pdca_chan *c = &p->ch[n];
    bool line = (isr_value(c) & c->vals[C_IMR]) != 0;
    if (line != c->line) {
        c->line = line;
        if (c->irq >= 0)
            exc_irq_line(p->m, c->irq, line);
    }
}

/* TCR reached (or is) 0 with a reload pending. */
static void reload(struct pdca_chan *c)
{
    uint32_t *r = c->vals;
    if (r[C_TCR] != 0 || r[C_TCRR] == 0)
        return;
    r[C_MAR] = r[C_MARR];
    r[C_TCR] = r[C_TCRR];
    if (!(r[C_MR] & MR_RING))
        r[C_MARR] = r[C_TCRR] = 0;
}

/* ---- moving data ---------------------------------------------------------------------- */

/* Host pointer for a unit at addr; writes must land in RAM. */
static uint8_t *mem_ptr(struct machine *m, uint32_t addr, unsigned size, bool write)
{
    uint8_t *h = machine_host_ptr(m, addr, size);
    if (!h || !write)
        return h;
    for (int i = 0; i < m->nmem; i++) {
        const struct mem_block *b = &m->mem[i];
        if (addr >= b->base && addr - b->base < b->size)
            return b->desc && b->desc->kind == BOARD_MEM_RAM ? h : NULL;
    }
    return NULL;
}

static void chan_error(struct pdca *p, int n)
{
    struct pdca_chan *c = &p->ch[n];
    c->terr = true;
    c->ten = false;
    if (!c->warned_terr)
        warn(p, "channel %d: transfer error at 0x%08x (TERR)", n, c->vals[C_MAR]);
    c->warned_terr = true;
}

static void advance(struct pdca_chan *c, unsigned size)
{
    c->vals[C_MAR] += size;
    c->vals[C_TCR]--;
    reload(c);
}

static bool move_tx(struct pdca *p, int n, struct usart *u, unsigned size, uint64_t now)
{
    struct pdca_chan *c = &p->ch[n];
    if (!usart_tx_ready(u))
        return false;
    const uint8_t *src = mem_ptr(p->m, c->vals[C_MAR], size, false);
    if (!src) {
        chan_error(p, n);
        return false;
    }
    uint8_t b = src[0];
    advance(c, size);
    usart_tx_byte(u, b, now);
    return true;
}

static bool move_rx(struct pdca *p, int n, struct usart *u, unsigned size)
{
    struct pdca_chan *c = &p->ch[n];
    uint8_t b;
    if (!usart_rx_take(u, &b))
        return false;
    uint8_t *dst = mem_ptr(p->m, c->vals[C_MAR], size, true);
    if (!dst) {
        chan_error(p, n);               /* the byte read from RHR is lost */
        return false;
    }
    memset(dst, 0, size);
    dst[0] = b;
    advance(c, size);
    return true;
}

/* One unit on channel n if it can move now; true if it did. */
static bool chan_step(struct pdca *p, int n, uint64_t now)
{
    struct pdca_chan *c = &p->ch[n];
    if (!c->ten || c->vals[C_TCR] == 0)
        return false;
    uint32_t pid = c->vals[C_PSR];
    struct usart *u;
    bool tx;
    if (!select_usart(p, pid, &u, &tx)) {
        if (c->warned_pid != (int)pid)
            warn(p, "channel %d: peripheral %u (PSR) is not modelled; no transfer", n, pid);
        c->warned_pid = (int)pid;
        return false;
    }
    unsigned size = 1u << (MR_SIZE(c->vals[C_MR]) > 2 ? 2 : MR_SIZE(c->vals[C_MR]));
    return tx ? move_tx(p, n, u, size, now) : move_rx(p, n, u, size);
}

/* Moves everything that can move now.  Re-entered from the USART's ready
 * callback while moving: the nested call only asks for another pass. */
static void pdca_service(struct pdca *p, uint64_t now)
{
    if (p->servicing) {
        p->again = true;
        return;
    }
    p->servicing = true;
    do {
        p->again = false;
        for (int n = 0; n < PDCA_CHANNELS; n++)
            while (chan_step(p, n, now))
                ;
    } while (p->again);
    p->servicing = false;
    for (int n = 0; n < PDCA_CHANNELS; n++)
        update_irq(p, n);
}

/* ---- registers ------------------------------------------------------------------------- */

static void cr_write(struct pdca_chan *c, uint32_t v)
{
    if (v & CR_ECLR) {
        c->terr = false;
        c->warned_terr = false;
    }
    if ((v & CR_TEN) && !c->terr)
        c->ten = true;
    if (v & CR_TDIS)
        c->ten = false;
}

static void chan_side_effects(struct pdca_chan *c, const struct reg_hit *hit, uint32_t v)
{
    switch (hit->index) {
    case C_CR: cr_write(c, v); break;
    case C_IER: c->vals[C_IMR] |= v & 7u; break;
    case C_IDR: c->vals[C_IMR] &= ~v; break;
    case C_TCR: case C_TCRR: case C_MARR: case C_MR: reload(c); break;
    case C_PSR: c->warned_pid = -1; break;
    default: break;
    }
}

static void clock_check(struct pdca *p)
{
    sam4l_clock_check(p->m, SAM4L_HSB, 0, p->desc->name);
    sam4l_clock_check(p->m, SAM4L_PBB, 3, p->desc->name);
}

/* The bank and register offset for `off`; NULL when nothing is there. */
static struct reg_bank *bank_for(struct pdca *p, uint32_t off, uint32_t *reg, int *chan)
{
    *chan = -1;
    if (off < 0x40u * PDCA_CHANNELS) {
        *chan = (int)(off / 0x40u);
        *reg = off % 0x40u;
        return &p->ch[*chan].bank;
    }
    *reg = off;
    return off >= 0x800u ? &p->gbank : NULL;
}

static void unknown_offset(struct pdca *p, const char *what, uint32_t off)
{
    if (!p->warned_offset)
        warn(p, "%s of unknown register offset 0x%03x ignored", what, off);
    p->warned_offset = true;
}

static void pdca_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct pdca *p = dev;
    clock_check(p);
    uint64_t now = machine_mmio_now(p->m);
    evq_run_due(&p->m->evq, now);
    uint32_t reg;
    int n;
    struct reg_bank *b = bank_for(p, off & ~3u, &reg, &n);
    struct reg_hit hit = { .index = -1 };
    uint32_t v = b ? regs_merge_narrow(regs_read(b, reg, &hit), off, size, val) : val;
    if (!b || hit.index < 0) {
        unknown_offset(p, "write", off);
        return;
    }
    regs_write(b, reg, v, &hit);
    if (n >= 0)
        chan_side_effects(&p->ch[n], &hit, v);
    pdca_service(p, now);
}

static uint32_t read_word(struct pdca *p, uint32_t off)
{
    uint32_t reg;
    int n;
    struct reg_bank *b = bank_for(p, off, &reg, &n);
    struct reg_hit hit = { .index = -1 };
    uint32_t v = b ? regs_read(b, reg, &hit) : 0;
    if (!b || hit.index < 0) {
        unknown_offset(p, "read", off);
        return 0;
    }
    if (n >= 0 && hit.index == C_SR)
        return p->ch[n].ten ? 1u : 0u;
    if (n >= 0 && hit.index == C_ISR)
        return isr_value(&p->ch[n]);
    return v;
}

static uint32_t pdca_read(void *dev, uint32_t off, unsigned size)
{
    struct pdca *p = dev;
    clock_check(p);
    evq_run_due(&p->m->evq, machine_mmio_now(p->m));   /* transfers due inside this block */
    uint32_t v = read_word(p, off & ~3u) >> (8u * (off & 3u));
    return size >= 4 ? v : v & ((1u << (8u * size)) - 1u);
}

/* ---- life cycle ------------------------------------------------------------------------- */

static void pdca_reset(void *dev)
{
    struct pdca *p = dev;
    regs_reset(&p->gbank);
    for (int n = 0; n < PDCA_CHANNELS; n++) {
        struct pdca_chan *c = &p->ch[n];
        regs_reset(&c->bank);
        c->ten = c->terr = c->warned_terr = false;
        c->warned_pid = -1;
        update_irq(p, n);               /* IMR = 0: the line goes low */
    }
    p->servicing = p->again = false;
}

static void *pdca_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct pdca *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    p->m = m;
    p->desc = desc;
    p->gbank = (struct reg_bank){ global_regs, G_COUNT, p->gvals };
    for (int n = 0; n < PDCA_CHANNELS; n++) {
        char irq[8];
        snprintf(irq, sizeof irq, "ch%d", n);
        p->ch[n].irq = board_periph_irq(desc, irq);
        p->ch[n].bank = (struct reg_bank){ chan_regs, C_COUNT, p->ch[n].vals };
    }
    for (unsigned i = 0; i < PDCA_USARTS; i++)
        usart_get(p, i);
    pdca_reset(p);
    return p;
}

static void pdca_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void pdca_save(void *dev, struct snap_buf *b)
{
    struct pdca *p = dev;
    for (int n = 0; n < PDCA_CHANNELS; n++) {
        const struct pdca_chan *c = &p->ch[n];
        snap_put_u32s(b, c->vals, C_COUNT);
        snap_put_bool(b, c->ten);
        snap_put_bool(b, c->terr);
        snap_put_bool(b, c->line);
        snap_put_i32(b, c->warned_pid);
        snap_put_bool(b, c->warned_terr);
    }
    snap_put_u32s(b, p->gvals, G_COUNT);
    snap_put_bool(b, p->servicing);
    snap_put_bool(b, p->again);
    snap_put_bool(b, p->warned_offset);
}

static int pdca_restore(void *dev, struct snap_buf *b)
{
    struct pdca *p = dev;
    for (int n = 0; n < PDCA_CHANNELS; n++) {
        struct pdca_chan *c = &p->ch[n];
        snap_get_u32s(b, c->vals, C_COUNT);
        c->ten = snap_get_bool(b);
        c->terr = snap_get_bool(b);
        c->line = snap_get_bool(b);
        c->warned_pid = snap_get_i32(b);
        c->warned_terr = snap_get_bool(b);
    }
    snap_get_u32s(b, p->gvals, G_COUNT);
    p->servicing = snap_get_bool(b);
    p->again = snap_get_bool(b);
    p->warned_offset = snap_get_bool(b);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model pdca_model = {
    .type = "pdca",
    .create = pdca_create,
    .reset = pdca_reset,
    .read = pdca_read,
    .write = pdca_write,
    .destroy = pdca_destroy,
    .save = pdca_save,
    .restore = pdca_restore,
};
