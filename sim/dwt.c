/*
 * dwt.c — the DWT cycle counter (CTRL, CYCCNT).  CYCCNT counts core cycles
 * of virtual time while DEMCR.TRCENA and CTRL.CYCCNTENA are set.  No
 * comparators are implemented (CTRL.NUMCOMP = 0).
 */
#include "scs.h"

#define DEMCR_TRCENA (1u << 24)
#define CTRL_CYCCNTENA 1u

static bool counting(const struct machine *m)
{
    return (m->dwt.demcr & DEMCR_TRCENA) && (m->dwt.ctrl & CTRL_CYCCNTENA);
}

void dwt_reset(struct machine *m)
{
    m->dwt.ctrl = 0;
    m->dwt.demcr = 0;
    m->dwt.cyccnt_base = 0;
    m->dwt.cyccnt_frozen = 0;
}

static uint32_t cyccnt(struct machine *m, uint64_t now)
{
    if (!counting(m))
        return m->dwt.cyccnt_frozen;
    return m->dwt.cyccnt_frozen + (uint32_t)(now - m->dwt.cyccnt_base);
}

uint32_t dwt_read(struct machine *m, uint32_t off)
{
    switch (off) {
    case 0x0: return m->dwt.ctrl;
    case 0x4: return cyccnt(m, machine_mmio_now(m));
    default: return 0;
    }
}

void dwt_write(struct machine *m, uint32_t off, uint32_t val)
{
    uint64_t t = machine_mmio_now(m);
    uint32_t now = cyccnt(m, t);
    switch (off) {
    case 0x0: m->dwt.ctrl = val & CTRL_CYCCNTENA; break;
    case 0x4: now = val; break;
    default: return;
    }
    m->dwt.cyccnt_frozen = now;
    m->dwt.cyccnt_base = t;
}

void dwt_set_demcr(struct machine *m, uint32_t val)
{
    uint64_t t = machine_mmio_now(m);
    uint32_t now = cyccnt(m, t);
    m->dwt.demcr = val;
    m->dwt.cyccnt_frozen = now;
    m->dwt.cyccnt_base = t;
}
