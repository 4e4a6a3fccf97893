/*
 * gpio.c — SAM4L GPIO as the kernel's pin HIL (struct hil_gpio_pin) for any
 * pin (tock-abi.md §12.3): GPER/ODER/OVR/PUER/PDER/IER/IMR0/IMR1/STER are
 * changed through their SET/CLEAR/TOGGLE aliases, so no read-modify-write
 * races with interrupts.  Output = GPER, ODER, STER clear; input = GPER,
 * ODER clear, STER, pulls.  Interrupts: IMR1:IMR0 = 00 either edge, 01
 * rising, 10 falling; each port has four group lines (8 pins each).  The
 * bottom half of a group takes IFR & IER of its pins, clears them (IFR
 * CLEAR alias) and calls each pin's client with its ident.  Up to
 * SAM4L_GPIO_MAX_IRQ_PINS pins may have an interrupt enabled at once.
 */
#include "sam4l.h"
#include "sam4l_regs.h"

#define GPIO_PBC_CLOCK_BIT 4u

struct irq_pin { uint32_t pin; struct hil_gpio_client client; uint32_t ident; bool used; };

static uint32_t port_base[SAM4L_GPIO_MAX_PORTS];
static int nports;
static struct irq_pin irq_pins[SAM4L_GPIO_MAX_IRQ_PINS];
/* ctx of a group bottom half: port * 4 + group, as a pointer-sized token */
static uint8_t group_token[SAM4L_GPIO_MAX_PORTS * 4];

static uint32_t base_of(uint32_t pin) { return port_base[(pin >> 5) % SAM4L_GPIO_MAX_PORTS]; }
static uint32_t bit_of(uint32_t pin) { return 1u << (pin & 31u); }

static void gp(uint32_t pin, uint32_t reg, uint32_t alias)
{
    REG(base_of(pin), reg + alias) = bit_of(pin);
}

static void pin_make_output(const struct hil_gpio_pin *p)
{
    gp(p->pin, GPIO_GPER, GPIO_SET);
    gp(p->pin, GPIO_ODER, GPIO_SET);
    gp(p->pin, GPIO_STER, GPIO_CLR);
}

static void pin_make_input(const struct hil_gpio_pin *p, enum hil_gpio_pull pull)
{
    gp(p->pin, GPIO_GPER, GPIO_SET);
    gp(p->pin, GPIO_ODER, GPIO_CLR);
    gp(p->pin, GPIO_STER, GPIO_SET);
    gp(p->pin, GPIO_PUER, pull == HIL_PULL_UP ? GPIO_SET : GPIO_CLR);
    gp(p->pin, GPIO_PDER, pull == HIL_PULL_DOWN ? GPIO_SET : GPIO_CLR);
}

static void pin_disable(const struct hil_gpio_pin *p)
{
    gp(p->pin, GPIO_GPER, GPIO_SET);
    gp(p->pin, GPIO_ODER, GPIO_CLR);
    gp(p->pin, GPIO_PUER, GPIO_CLR);
    gp(p->pin, GPIO_PDER, GPIO_CLR);
    gp(p->pin, GPIO_STER, GPIO_CLR);
}

static void pin_set(const struct hil_gpio_pin *p) { gp(p->pin, GPIO_OVR, GPIO_SET); }
static void pin_clear(const struct hil_gpio_pin *p) { gp(p->pin, GPIO_OVR, GPIO_CLR); }
static void pin_toggle(const struct hil_gpio_pin *p) { gp(p->pin, GPIO_OVR, GPIO_TGL); }
static bool pin_read(const struct hil_gpio_pin *p) { return REG(base_of(p->pin), GPIO_PVR) & bit_of(p->pin); }

static struct irq_pin *irq_slot(uint32_t pin, bool alloc)
{
    struct irq_pin *free_slot = NULL;
    for (int i = 0; i < SAM4L_GPIO_MAX_IRQ_PINS; i++) {
        if (irq_pins[i].used && irq_pins[i].pin == pin)
            return &irq_pins[i];
        if (!irq_pins[i].used && !free_slot)
            free_slot = &irq_pins[i];
    }
    return alloc ? free_slot : NULL;
}

static void pin_enable_interrupt(const struct hil_gpio_pin *p, enum hil_gpio_edge edge,
                                 struct hil_gpio_client client, uint32_t ident)
{
    struct irq_pin *s = irq_slot(p->pin, true);
    if (!s)
        return;                         /* table full: the interrupt stays off */
    *s = (struct irq_pin){ p->pin, client, ident, true };
    gp(p->pin, GPIO_IER, GPIO_CLR);
    gp(p->pin, GPIO_IMR0, edge == HIL_EDGE_RISING ? GPIO_SET : GPIO_CLR);
    gp(p->pin, GPIO_IMR1, edge == HIL_EDGE_FALLING ? GPIO_SET : GPIO_CLR);
    gp(p->pin, GPIO_IFR, GPIO_CLR);
    gp(p->pin, GPIO_IER, GPIO_SET);
}

static void pin_disable_interrupt(const struct hil_gpio_pin *p)
{
    struct irq_pin *s = irq_slot(p->pin, false);
    gp(p->pin, GPIO_IER, GPIO_CLR);
    gp(p->pin, GPIO_IFR, GPIO_CLR);
    if (s)
        s->used = false;
}

static void group_bottom_half(void *ctx)
{
    unsigned token = (unsigned)((uint8_t *)ctx - group_token);
    uint32_t port = token / 4, base = port_base[port];
    uint32_t fired = REG(base, GPIO_IFR) & REG(base, GPIO_IER) & (0xFFu << (8 * (token % 4)));
    REG(base, GPIO_IFR + GPIO_CLR) = fired;
    for (uint32_t bits = fired; bits; bits &= bits - 1) {
        struct irq_pin *s = irq_slot(port * 32 + (uint32_t)__builtin_ctz(bits), false);
        if (s && s->client.fired)
            s->client.fired(s->client.ctx, s->ident);
    }
}

void sam4l_gpio_init(const uint32_t *port_bases, const int (*group_irqs)[4], int n)
{
    nports = n < SAM4L_GPIO_MAX_PORTS ? n : SAM4L_GPIO_MAX_PORTS;
    sam4l_clock_enable(SAM4L_PBC, GPIO_PBC_CLOCK_BIT);
    for (int p = 0; p < nports; p++) {
        port_base[p] = port_bases[p];
        for (int g = 0; g < 4; g++)
            if (group_irqs[p][g] >= 0)
                sam4l_irq_register((unsigned)group_irqs[p][g], group_bottom_half, &group_token[p * 4 + g]);
    }
}

void sam4l_gpio_pin_init(struct hil_gpio_pin *hil, uint32_t pin)
{
    *hil = (struct hil_gpio_pin){
        .make_output = pin_make_output, .make_input = pin_make_input, .disable = pin_disable,
        .set = pin_set, .clear = pin_clear, .toggle = pin_toggle, .read = pin_read,
        .enable_interrupt = pin_enable_interrupt, .disable_interrupt = pin_disable_interrupt,
        .state = NULL, .pin = pin,
    };
}

void sam4l_gpio_set_function(uint32_t pin, unsigned f)
{
    gp(pin, GPIO_PMR0, f & 1u ? GPIO_SET : GPIO_CLR);
    gp(pin, GPIO_PMR1, f & 2u ? GPIO_SET : GPIO_CLR);
    gp(pin, GPIO_PMR2, f & 4u ? GPIO_SET : GPIO_CLR);
    gp(pin, GPIO_GPER, GPIO_CLR);
}
