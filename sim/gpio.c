/*
 * gpio.c — the SAM4L GPIO port model (type "gpio"): one instance per port
 * (gpio_a, gpio_b, gpio_c in boards/hail.yaml, 0x200 apart), 32 pins each.
 * It implements the periph.h model interface; periph.c maps the registers.
 * The port index is the position of the instance in board_gpio_port().
 *
 * Registers (tock-abi.md §12.3), declared as a regs.h table; the SAM4L
 * quadruples {value +0, SET +4, CLEAR +8, TOGGLE +0xC} are REG_SCT:
 *   GPER PMR0 PMR1 PMR2 ODER OVR PUER PDER IER IMR0 IMR1 GFER ODCR0 ODCR1
 *   OSRR0 STER EVER  (reset 0, see below)
 *   PVR 0x060  pin values, read-only single word (computed)
 *   IFR 0x0D0  interrupt flags: read at +0, write 1s at +8 (CLEAR) to clear;
 *              writes to +0, +4 and +0xC have no effect
 *   PARAMETER 0x1F8 = 0xFFFFFFFF (all 32 pins implemented), VERSION 0x1FC =
 *   0x215 (GPIO module version 2.1.5 as we remember the SAM4L datasheet).
 * Reset values: the datasheet lists the pin-configuration resets as device
 * specific; the model resets everything to 0: every pin owned by its
 * peripheral function (GPER = 0), input, no pull, no interrupt.  Addresses
 * in the window that are no register read 0 and ignore writes (warned once
 * each on m->err; with --strict the run stops).
 *
 * Pin level (each change of (level, driven) goes to board_io_pin()):
 *   GPER & ODER        driven by the chip: OVR bit (the chip wins over any
 *                      external input)
 *   else external      the level board_io set with set_input() (0/1)
 *   else PUER only     1;  PDER only: 0
 *   else PUER & PDER   buskeeper (what the SAM4L does with both set): the
 *                      last level is kept
 *   else               floating: reported as level -1, not driven (board_io's
 *                      convention), and reads 0 in PVR
 * A pin with GPER = 0 belongs to its peripheral function (USART TX...): the
 * GPIO model never reports it driven; the peripheral's own model reports its
 * outputs (UART bytes) through board_io.
 *
 * Interrupts: IMR1:IMR0 per pin: 00 pin change, 01 rising, 10 falling, 11
 * (reserved) treated as pin change.  A matching edge of the pin's PVR level
 * sets its IFR bit only while its IER bit is set (as the datasheet says the
 * flag is set when the interrupt is enabled; so no stale flags fire on a
 * later enable).  Edges are detected whatever GPER says (the SAM4L watches
 * the pad also in peripheral mode).  The NVIC line of group g (pins
 * 8g..8g+7, IRQ "group<g>" of the YAML) is asserted while IFR & IER has a
 * bit in the group (level sensitive).  The glitch filter (GFER) is stored
 * only: with no sub-cycle timing every edge passes it.  EVER (peripheral
 * events), ODCR/OSRR/STER (drive, slew, Schmitt) are stored only.
 *
 * Narrow (byte/halfword) accesses: reads return the addressed lanes; writes
 * are merged into the register word (regs_merge_narrow) — for SET, CLEAR and
 * TOGGLE aliases the other lanes count as 0, so they change nothing.
 *
 * Clock gate: every access calls sam4l_clock_check(PBC bit 4).
 */
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "exc.h"
#include "gpio.h"
#include "regs.h"
#include "sam4l_clocks.h"
#include "snapshot.h"             /* snapshots (#7) */

#define NPINS 32
#define NGROUPS 4
#define GPIO_PBC_BIT 4

enum {
    R_GPER, R_PMR0, R_PMR1, R_PMR2, R_ODER, R_OVR, R_PVR, R_PUER, R_PDER, R_IER,
    R_IMR0, R_IMR1, R_GFER, R_IFR, R_ODCR0, R_ODCR1, R_OSRR0, R_STER, R_EVER,
    R_PARAMETER, R_VERSION, R_COUNT
};

static const struct reg_def gpio_regs[R_COUNT] = {
    [R_GPER]  = { GPIO_GPER,  "GPER",  REG_SCT, 0, 0 },
    [R_PMR0]  = { GPIO_PMR0,  "PMR0",  REG_SCT, 0, 0 },
    [R_PMR1]  = { GPIO_PMR1,  "PMR1",  REG_SCT, 0, 0 },
    [R_PMR2]  = { GPIO_PMR2,  "PMR2",  REG_SCT, 0, 0 },
    [R_ODER]  = { GPIO_ODER,  "ODER",  REG_SCT, 0, 0 },
    [R_OVR]   = { GPIO_OVR,   "OVR",   REG_SCT, 0, 0 },
    [R_PVR]   = { GPIO_PVR,   "PVR",   REG_RO,  0, 0 },
    [R_PUER]  = { GPIO_PUER,  "PUER",  REG_SCT, 0, 0 },
    [R_PDER]  = { GPIO_PDER,  "PDER",  REG_SCT, 0, 0 },
    [R_IER]   = { GPIO_IER,   "IER",   REG_SCT, 0, 0 },
    [R_IMR0]  = { GPIO_IMR0,  "IMR0",  REG_SCT, 0, 0 },
    [R_IMR1]  = { GPIO_IMR1,  "IMR1",  REG_SCT, 0, 0 },
    [R_GFER]  = { GPIO_GFER,  "GFER",  REG_SCT, 0, 0 },
    [R_IFR]   = { GPIO_IFR,   "IFR",   REG_SCT_RO, 0, 0 },
    [R_ODCR0] = { GPIO_ODCR0, "ODCR0", REG_SCT, 0, 0 },
    [R_ODCR1] = { GPIO_ODCR1, "ODCR1", REG_SCT, 0, 0 },
    [R_OSRR0] = { GPIO_OSRR0, "OSRR0", REG_SCT, 0, 0 },
    [R_STER]  = { GPIO_STER,  "STER",  REG_SCT, 0, 0 },
    [R_EVER]  = { GPIO_EVER,  "EVER",  REG_SCT, 0, 0 },
    [R_PARAMETER] = { GPIO_PARAMETER, "PARAMETER", REG_RO, GPIO_PARAMETER_VALUE, 0 },
    [R_VERSION]   = { GPIO_VERSION,   "VERSION",   REG_RO, GPIO_VERSION_VALUE, 0 },
};

struct gpio_dev {
    struct machine *m;
    const struct board_periph *desc;
    int port;
    int irq[NGROUPS];           /* NVIC lines, -1 when the YAML has none */
    bool line[NGROUPS];         /* as last driven */
    uint32_t vals[R_COUNT];
    struct reg_bank bank;
    int8_t ext[NPINS];          /* external input: 0/1, -1 nothing drives */
    int8_t level[NPINS];        /* resolved level: 0/1, -1 floating */
    bool driven[NPINS];
    uint32_t warned[0x200 / 4 / 32];    /* unknown offsets already warned about */
};

/* ---- pin levels ------------------------------------------------------------- */

static int resolve_pin(const struct gpio_dev *g, int pin, bool *driven)
{
    const uint32_t *v = g->vals;
    uint32_t b = 1u << pin;
    *driven = (v[R_GPER] & v[R_ODER] & b) != 0;
    if (*driven)
        return (v[R_OVR] & b) != 0;
    if (g->ext[pin] >= 0)
        return g->ext[pin];
    bool up = v[R_PUER] & b, down = v[R_PDER] & b;
    if (up && down)
        return g->level[pin];           /* buskeeper */
    if (up || down)
        return up ? 1 : 0;
    return -1;
}

/* Pins whose PVR change from `old` to `now` matches their IMR mode. */
static uint32_t matching_edges(const uint32_t *v, uint32_t old, uint32_t now)
{
    uint32_t change = old ^ now, rise = change & now, fall = change & old;
    uint32_t m0 = v[R_IMR0], m1 = v[R_IMR1];
    return (change & ~m0 & ~m1) | (rise & m0 & ~m1) | (fall & ~m0 & m1) | (change & m0 & m1);
}

static void update_lines(struct gpio_dev *g)
{
    uint32_t active = g->vals[R_IFR] & g->vals[R_IER];
    for (int grp = 0; grp < NGROUPS; grp++) {
        bool on = (active >> (8 * grp)) & 0xFFu;
        if (on != g->line[grp] && g->irq[grp] >= 0)
            exc_irq_line(g->m, g->irq[grp], on);
        g->line[grp] = on;
    }
}

/* Re-resolves every pin, reports changes, latches edges, drives the lines. */
static void update(struct gpio_dev *g)
{
    uint32_t old = g->vals[R_PVR], now = 0;
    for (int pin = 0; pin < NPINS; pin++) {
        bool driven;
        int level = resolve_pin(g, pin, &driven);
        if (level != g->level[pin] || driven != g->driven[pin]) {
            g->level[pin] = (int8_t)level;
            g->driven[pin] = driven;
            board_io_pin(g->m, g->port, pin, level, driven);
        }
        if (level == 1)
            now |= 1u << pin;
    }
    g->vals[R_PVR] = now;
    g->vals[R_IFR] |= matching_edges(g->vals, old, now) & g->vals[R_IER];
    update_lines(g);
}

static void set_input(void *dev, int pin, int level)
{
    struct gpio_dev *g = dev;
    if (pin < 0 || pin >= NPINS)
        return;
    g->ext[pin] = (int8_t)(level < 0 ? -1 : level != 0);
    update(g);
}

/* ---- register accesses -------------------------------------------------------- */

static void clock_check(struct gpio_dev *g)
{
    sam4l_clock_check(g->m, SAM4L_PBC, GPIO_PBC_BIT, "gpio");
}

static void unknown(struct gpio_dev *g, const char *what, uint32_t off)
{
    struct machine *m = g->m;
    uint32_t w = (off & 0x1FFu) / 4, bit = 1u << (w % 32);
    if (m->strict_mmio) {
        cpu_fatal(m, STOP_CPU_ERROR, "%s of unmodelled register 0x%08x (%s) with --strict",
                  what, g->desc->base + off, g->desc->name);
        return;
    }
    if (g->warned[w / 32] & bit)
        return;
    g->warned[w / 32] |= bit;
    if (m->err)
        fprintf(m->err, "hailsim: warning: %s of unmodelled register 0x%08x (%s) ignored\n",
                what, g->desc->base + off, g->desc->name);
}

static uint32_t lanes(uint32_t word, uint32_t off, unsigned size)
{
    if (size >= 4)
        return word;
    return (word >> (8u * (off & 3u))) & ((1u << (8u * size)) - 1u);
}

static uint32_t gpio_read(void *dev, uint32_t off, unsigned size)
{
    struct gpio_dev *g = dev;
    struct reg_hit hit;
    clock_check(g);
    uint32_t word = regs_read(&g->bank, off, &hit);
    if (hit.index < 0) {
        unknown(g, "read", off);
        return 0;
    }
    return lanes(word, off, size);
}

static void gpio_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct gpio_dev *g = dev;
    struct reg_hit hit;
    clock_check(g);
    uint32_t current = regs_read(&g->bank, off, &hit);
    if (hit.index < 0) {
        unknown(g, "write", off);
        return;
    }
    if (hit.index == R_IFR && hit.alias != REG_ALIAS_CLEAR)
        return;                         /* IFR: only the CLEAR alias acts */
    if (hit.alias != REG_ALIAS_VALUE)
        current = 0;                    /* other lanes of SET/CLEAR/TOGGLE: no effect */
    regs_write(&g->bank, off & ~3u, regs_merge_narrow(current, off, size, val), &hit);
    update(g);
}

/* ---- life cycle ------------------------------------------------------------------ */

static int port_of(struct machine *m, const struct board_periph *desc)
{
    for (int p = 0; p < board_gpio_port_count(m->board); p++)
        if (board_gpio_port(m->board, p) == desc)
            return p;
    return -1;
}

static void gpio_reset(void *dev)
{
    struct gpio_dev *g = dev;
    regs_reset(&g->bank);
    update(g);                          /* reports the now undriven pins */
    for (int grp = 0; grp < NGROUPS; grp++) {
        if (g->irq[grp] >= 0)
            exc_irq_line(g->m, g->irq[grp], false);
        g->line[grp] = false;
    }
}

static void *gpio_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    int port = port_of(m, desc);
    if (port < 0 || port >= BOARD_IO_MAX_PORTS) {
        snprintf(err, errlen, "%s:%d: peripheral %s: not one of the board's gpio ports (at most %d)",
                 m->board->path, desc->line, desc->name, BOARD_IO_MAX_PORTS);
        return NULL;
    }
    struct gpio_dev *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *g = (struct gpio_dev){ .m = m, .desc = desc, .port = port };
    g->bank = (struct reg_bank){ gpio_regs, R_COUNT, g->vals };
    static const char *const names[NGROUPS] = { "group0", "group1", "group2", "group3" };
    for (int grp = 0; grp < NGROUPS; grp++)
        g->irq[grp] = board_periph_irq(desc, names[grp]);
    memset(g->ext, -1, sizeof g->ext);
    memset(g->level, -1, sizeof g->level);
    board_io_attach_gpio(m, port, g, set_input);
    gpio_reset(g);
    return g;
}

static void gpio_destroy(void *dev)
{
    free(dev);
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void gpio_save(void *dev, struct snap_buf *b)
{
    struct gpio_dev *g = dev;
    for (int grp = 0; grp < NGROUPS; grp++)
        snap_put_bool(b, g->line[grp]);
    snap_put_u32s(b, g->vals, R_COUNT);
    snap_put_bytes(b, g->ext, sizeof g->ext);
    snap_put_bytes(b, g->level, sizeof g->level);
    for (int pin = 0; pin < NPINS; pin++)
        snap_put_bool(b, g->driven[pin]);
    snap_put_u32s(b, g->warned, sizeof g->warned / sizeof g->warned[0]);
}

static int gpio_restore(void *dev, struct snap_buf *b)
{
    struct gpio_dev *g = dev;
    for (int grp = 0; grp < NGROUPS; grp++)
        g->line[grp] = snap_get_bool(b);
    snap_get_u32s(b, g->vals, R_COUNT);
    snap_get_bytes(b, g->ext, sizeof g->ext);
    snap_get_bytes(b, g->level, sizeof g->level);
    for (int pin = 0; pin < NPINS; pin++)
        g->driven[pin] = snap_get_bool(b);
    snap_get_u32s(b, g->warned, sizeof g->warned / sizeof g->warned[0]);
    return b->bad ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model gpio_model = {
    .type = "gpio",
    .create = gpio_create,
    .reset = gpio_reset,
    .read = gpio_read,
    .write = gpio_write,
    .destroy = gpio_destroy,
    .save = gpio_save,
    .restore = gpio_restore,
};
