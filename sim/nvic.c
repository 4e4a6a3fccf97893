/*
 * nvic.c — NVIC registers (ISER/ICER/ISPR/ICPR/IABR/IPR, ICTR, STIR) as a
 * view of the exception state in exc.c.  Lines past the board's IRQ count
 * read as zero and ignore writes.
 */
#include <stdlib.h>

#include "exc.h"
#include "scs.h"

static int irq_count(const struct machine *m) { return m->exc.num_exc - 16; }

/* One register's worth of enable (0), pending (1) or active (2) bits.
 * IRQ 32 * bank is exception 16 + 32 * bank: half of two bitmap words. */
static uint32_t bank_bits(struct machine *m, uint32_t bank, int which)
{
    int first = (int)bank * 32, n = irq_count(m) - first;
    if (n <= 0)
        return 0;
    uint32_t v;
    if (which == 2) {
        const struct exc_slot *s = &m->exc.slot[EXC_IRQ0 + first];
        v = 0;
        for (int b = 0; b < n && b < 32; b++)
            v |= (uint32_t)s[b].active << b;
    } else {
        const uint32_t *bits = which == 0 ? m->exc.enabled_bits : m->exc.pending_bits;
        v = bits[bank] >> 16 | bits[bank + 1] << 16;
#ifdef HAILSIM_CHECK_BOUNDARY
        for (int b = 0; b < n && b < 32; b++) {         /* sanitizer builds: bitmaps match the slots */
            const struct exc_slot *s = &m->exc.slot[EXC_IRQ0 + first + b];
            if (((v >> b) & 1u) != (uint32_t)(which == 0 ? s->enabled : s->pending))
                abort();
        }
#endif
    }
    return n >= 32 ? v : v & ((1u << n) - 1u);
}

uint32_t nvic_read(struct machine *m, uint32_t off)
{
    if (off == 0x004)                                   /* ICTR */
        return (uint32_t)((irq_count(m) + 31) / 32 - 1);
    if (off >= 0x100 && off < 0x200)                    /* ISER / ICER */
        return bank_bits(m, (off & 0x7F) / 4, 0);
    if (off >= 0x200 && off < 0x300)                    /* ISPR / ICPR */
        return bank_bits(m, (off & 0x7F) / 4, 1);
    if (off >= 0x300 && off < 0x380)                    /* IABR */
        return bank_bits(m, (off & 0x7F) / 4, 2);
    if (off >= 0x400 && off < 0x5F0) {                  /* IPR */
        uint32_t v = 0;
        for (int i = 0; i < 4; i++) {
            int irq = (int)(off - 0x400) + i;
            if (irq < irq_count(m))
                v |= (uint32_t)m->exc.slot[EXC_IRQ0 + irq].prio << (8 * i);
        }
        return v;
    }
    return 0;
}

void nvic_write(struct machine *m, uint32_t off, uint32_t val, uint32_t mask)
{
    val &= mask;
    if (off >= 0x100 && off < 0x300 && (off & 0x7F) < 0x40) {
        int base = (int)((off & 0x7F) / 4) * 32;
        for (int b = 0; b < 32; b++) {
            if (!((val >> b) & 1u) || base + b >= irq_count(m))
                continue;
            int n = EXC_IRQ0 + base + b;
            if (off < 0x180) exc_set_enabled(m, n, true);
            else if (off < 0x200) exc_set_enabled(m, n, false);
            else if (off < 0x280) exc_set_pending(m, n, true);
            else exc_set_pending(m, n, m->exc.slot[n].line);   /* an asserted line stays pending */
        }
        return;
    }
    if (off >= 0x400 && off < 0x5F0) {
        for (int i = 0; i < 4; i++) {
            int irq = (int)(off - 0x400) + i;
            if (((mask >> (8 * i)) & 0xFFu) && irq < irq_count(m))
                exc_set_priority(m, EXC_IRQ0 + irq, (uint8_t)(val >> (8 * i)));
        }
        return;
    }
    if (off == 0xF00 && (val & 0x1FFu) < (uint32_t)irq_count(m))   /* STIR */
        exc_set_pending(m, EXC_IRQ0 + (int)(val & 0x1FFu), true);
}
