/*
 * chip.c — the SAM4L's struct chip_ops for the kernel's main loop.  Drivers
 * register a bottom half per NVIC line (sam4l_irq_register, which enables
 * the line).  The arch's generic top half masks a line and leaves it
 * pending; service_pending_interrupts() finds each registered line that is
 * pending and masked (a word of the NVIC at a time, as Tock's next_pending),
 * clears the pending bit, runs its bottom half and unmasks it.  Clearing before the bottom half means an event raised while
 * it runs pends the line again (hailsim's NVIC pends a level line only when
 * it rises, so clearing afterwards could lose it; every driver here leaves
 * its status cleared or its line changed when its bottom half returns).  sleep() is a plain WFI (the simulator has no deep sleep).
 */
#include "sam4l.h"
#include "cortexm.h"

#define SAM4L_MAX_HANDLERS 24

struct handler { void (*fn)(void *ctx); void *ctx; uint8_t next; };

static struct handler handlers[SAM4L_MAX_HANDLERS];
static int nhandlers;
/* One bit per registered NVIC line: has_pending_interrupts() is on the main
 * loop's hot path (every system call asks it), so it reads the pending
 * registers a word at a time instead of testing each handler's line. */
#define SAM4L_NVIC_WORDS 3u             /* the SAM4L has 80 interrupt lines */
static uint32_t registered[SAM4L_NVIC_WORDS];
/* The first handler of each line (index + 1, 0 = none), then handlers[].next:
 * the bottom halves of a line in the order they were registered, found
 * without a search (like the match on the interrupt number in Tock's chips). */
static uint8_t first_handler[SAM4L_NVIC_WORDS * 32u];

void sam4l_irq_register(unsigned irq, void (*fn)(void *ctx), void *ctx)
{
    if (nhandlers == SAM4L_MAX_HANDLERS || irq / 32u >= SAM4L_NVIC_WORDS)
        return;                         /* full, or not a SAM4L line */
    handlers[nhandlers++] = (struct handler){ fn, ctx, 0 };
    uint8_t *link = &first_handler[irq];
    while (*link != 0)
        link = &handlers[*link - 1].next;
    *link = (uint8_t)nhandlers;
    registered[irq / 32u] |= 1u << (irq % 32u);
    nvic_clear_pending(irq);
    nvic_enable(irq);
}

/* The lowest registered line whose top half ran (pending and masked), or
 * -1: the pending words first, the enable words only when one is set. */
static int next_serviceable(void)
{
    const volatile uint32_t *ispr = (const volatile uint32_t *)NVIC_ISPR;
    const volatile uint32_t *iser = (const volatile uint32_t *)NVIC_ISER;
    for (unsigned w = 0; w < SAM4L_NVIC_WORDS; w++) {
        uint32_t bits = ispr[w] & registered[w];
        if (bits != 0)
            bits &= ~iser[w];
        if (bits != 0)
            return (int)(w * 32u + (unsigned)__builtin_ctz(bits));
    }
    return -1;
}

/* Tock's loop (next_pending, bottom half, clear, enable) with the handler
 * table of this file; lines are served lowest number first. */
static void service_pending_interrupts(void)
{
    int irq;
    while ((irq = next_serviceable()) >= 0) {
        nvic_clear_pending((unsigned)irq);      /* first: an event during fn() pends it again */
        for (unsigned h = first_handler[irq]; h != 0; h = handlers[h - 1].next)
            handlers[h - 1].fn(handlers[h - 1].ctx);
        nvic_enable((unsigned)irq);
    }
}

static bool has_pending_interrupts(void)
{
    const volatile uint32_t *ispr = (const volatile uint32_t *)NVIC_ISPR;
    _Static_assert(SAM4L_NVIC_WORDS == 3u, "one term per NVIC word");
    return ((ispr[0] & registered[0]) | (ispr[1] & registered[1]) | (ispr[2] & registered[2])) != 0;
}

static void chip_sleep(void) { arch_wait_for_interrupt(); }

const struct chip_ops sam4l_chip_ops = {
    .service_pending_interrupts = service_pending_interrupts,
    .has_pending_interrupts = has_pending_interrupts,
    .sleep = chip_sleep,
};
