/*
 * scb.c — System Control Block registers: CPUID, ICSR, VTOR, AIRCR, SCR,
 * CCR, SHPR1-3, SHCSR, CFSR, HFSR, DFSR, MMFAR, BFAR, AFSR, CPACR, the ID
 * registers, and DEMCR (which belongs to the debug block but gates DWT).
 */
#include "exc.h"
#include "scs.h"

#define CPUID_CORTEX_M4_R0P1 0x410FC241u
#define AIRCR_VECTKEY 0x05FAu

/* SHCSR bit -> exception: active bits, pended bits, enable bits */
static const struct { int bit; int exc; char what; } shcsr_map[] = {
    {0, EXC_MEMMANAGE, 'a'}, {1, EXC_BUSFAULT, 'a'}, {3, EXC_USAGEFAULT, 'a'},
    {7, EXC_SVCALL, 'a'}, {8, EXC_DEBUGMON, 'a'}, {10, EXC_PENDSV, 'a'}, {11, EXC_SYSTICK, 'a'},
    {12, EXC_USAGEFAULT, 'p'}, {13, EXC_MEMMANAGE, 'p'}, {14, EXC_BUSFAULT, 'p'}, {15, EXC_SVCALL, 'p'},
    {16, EXC_MEMMANAGE, 'e'}, {17, EXC_BUSFAULT, 'e'}, {18, EXC_USAGEFAULT, 'e'},
};

static uint32_t shcsr_read(struct machine *m)
{
    uint32_t v = 0;
    for (size_t i = 0; i < sizeof shcsr_map / sizeof shcsr_map[0]; i++) {
        const struct exc_slot *s = &m->exc.slot[shcsr_map[i].exc];
        bool on = shcsr_map[i].what == 'a' ? s->active : shcsr_map[i].what == 'p' ? s->pending : s->enabled;
        v |= (uint32_t)on << shcsr_map[i].bit;
    }
    return v;
}

static void shcsr_write(struct machine *m, uint32_t val)
{
    for (size_t i = 0; i < sizeof shcsr_map / sizeof shcsr_map[0]; i++) {
        int n = shcsr_map[i].exc;
        bool on = (val >> shcsr_map[i].bit) & 1u;
        struct exc_slot *s = &m->exc.slot[n];
        if (shcsr_map[i].what == 'p') {
            exc_set_pending(m, n, on);
        } else if (shcsr_map[i].what == 'e') {
            exc_set_enabled(m, n, on);
        } else if (s->active != on) {
            s->active = on;
            m->exc.nactive += on ? 1 : -1;
        }
    }
}

static uint32_t icsr_read(struct machine *m)
{
    int pend = exc_highest_pending(m);
    uint32_t v = m->ipsr & 0x1FFu;
    if (exc_rettobase(m)) v |= 1u << 11;
    v |= (uint32_t)pend << 12;
    for (int n = EXC_IRQ0; n < m->exc.num_exc; n++)
        if (m->exc.slot[n].pending) { v |= 1u << 22; break; }
    if (m->exc.slot[EXC_SYSTICK].pending) v |= 1u << 26;
    if (m->exc.slot[EXC_PENDSV].pending) v |= 1u << 28;
    if (m->exc.slot[EXC_NMI].pending) v |= 1u << 31;
    return v;
}

static void icsr_write(struct machine *m, uint32_t val)
{
    if (val & (1u << 31)) exc_set_pending(m, EXC_NMI, true);
    if (val & (1u << 28)) exc_set_pending(m, EXC_PENDSV, true);
    if (val & (1u << 27)) exc_set_pending(m, EXC_PENDSV, false);
    if (val & (1u << 26)) exc_set_pending(m, EXC_SYSTICK, true);
    if (val & (1u << 25)) exc_set_pending(m, EXC_SYSTICK, false);
}

static void aircr_write(struct machine *m, uint32_t val)
{
    if ((val >> 16) != AIRCR_VECTKEY)
        return;
    m->exc.prigroup = (val >> 8) & 7u;
    if (val & (1u << 2))
        m->reset_requested = true, cpu_defer_stop(m);
}

static uint32_t id_register(uint32_t off)
{
    static const uint32_t ids[] = {             /* 0xD40 .. 0xD70: PFR0 .. ISAR4 */
        0x00000030, 0x00000200, 0x00100000, 0x00000000, 0x00100030, 0x00000000,
        0x01000000, 0x00000000, 0x01101110, 0x02111000, 0x21112231, 0x01111110, 0x01310132
    };
    uint32_t i = (off - 0xD40) / 4;
    return i < sizeof ids / sizeof ids[0] ? ids[i] : 0;
}

uint32_t scb_read(struct machine *m, uint32_t off)
{
    struct scb_state *s = &m->scb;
    switch (off) {
    case 0x008: return s->actlr;
    case 0xD00: return CPUID_CORTEX_M4_R0P1;
    case 0xD04: return icsr_read(m);
    case 0xD08: return s->vtor;
    case 0xD0C: return 0xFA050000u | (m->exc.prigroup << 8);
    case 0xD10: return s->scr;
    case 0xD14: return s->ccr;
    case 0xD18: case 0xD1C: case 0xD20: {
        uint32_t v = 0;
        for (int i = 0; i < 4; i++) {
            int n = 4 + (int)(off - 0xD18) + i;
            v |= (uint32_t)m->exc.slot[n].prio << (8 * i);
        }
        return v;
    }
    case 0xD24: return shcsr_read(m);
    case 0xD28: return s->cfsr;
    case 0xD2C: return s->hfsr;
    case 0xD30: return s->dfsr;
    case 0xD34: return s->mmfar;
    case 0xD38: return s->bfar;
    case 0xD3C: return s->afsr;
    case 0xD88: return s->cpacr;
    case 0xDFC: return m->dwt.demcr;
    default:
        return off >= 0xD40 && off < 0xD78 ? id_register(off) : 0;
    }
}

void scb_write(struct machine *m, uint32_t off, uint32_t val, uint32_t mask)
{
    struct scb_state *s = &m->scb;
    uint32_t merged = (scb_read(m, off) & ~mask) | (val & mask);
    switch (off) {
    case 0x008: s->actlr = merged & 0x307u; break;
    case 0xD04: icsr_write(m, val & mask); break;
    case 0xD08: s->vtor = merged & 0xFFFFFF80u; break;
    case 0xD0C: if (mask == 0xFFFFFFFFu) aircr_write(m, val); break;
    case 0xD10: s->scr = merged & 0x16u; break;
    case 0xD14:
        s->ccr = merged & 0x31Bu;
        cpu_kick(m);                        /* DIV_0_TRP is checked at block boundaries */
        m->mpu.generation++;                /* QEMU's copy of CCR is synced with the MPU */
        break;
    case 0xD18: case 0xD1C: case 0xD20:
        for (int i = 0; i < 4; i++)
            if ((mask >> (8 * i)) & 0xFFu)
                exc_set_priority(m, 4 + (int)(off - 0xD18) + i, (uint8_t)(val >> (8 * i)));
        break;
    case 0xD24: shcsr_write(m, merged); break;
    case 0xD28: s->cfsr &= ~(val & mask); break;             /* write one to clear */
    case 0xD2C: s->hfsr &= ~(val & mask); break;
    case 0xD30: s->dfsr &= ~(val & mask); break;
    case 0xD34: s->mmfar = merged; break;
    case 0xD38: s->bfar = merged; break;
    case 0xD3C: s->afsr &= ~(val & mask); break;
    case 0xD88: s->cpacr = merged & 0x00F00000u; break;
    case 0xDFC: dwt_set_demcr(m, merged & 0x010F07F1u); break;
    default: break;
    }
}
