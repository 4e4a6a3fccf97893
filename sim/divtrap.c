/*
 * divtrap.c — divide-by-zero trapping for SDIV/UDIV (see divtrap.h).
 */
#include "cpu_state.h"
#include "divtrap.h"
#include "exc.h"

#define CCR_DIV_0_TRP (1u << 4)

static bool is_divide(uint16_t hw1, uint16_t hw2)
{
    /* SDIV 1111 1011 1001 nnnn 1111 dddd 1111 mmmm, UDIV the same with 1011 */
    return (hw1 & 0xFFD0u) == 0xFB90u && (hw2 & 0xF0F0u) == 0xF0F0u;
}

static void hook_divide(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct machine *m = user;
    uint8_t *p = machine_host_ptr(m, (uint32_t)address, 4);
    if (!p || !(m->scb.ccr & CCR_DIV_0_TRP))
        return;
    uint16_t hw1 = (uint16_t)(p[0] | p[1] << 8), hw2 = (uint16_t)(p[2] | p[3] << 8);
    if (!is_divide(hw1, hw2))
        return;                               /* the code changed since the hook was added */
    if (cpu_reg(m, UC_ARM_REG_R0 + (hw2 & 0xFu)) == 0)
        exc_fault(m, EXC_USAGEFAULT, CFSR_DIVBYZERO, 0, (uint32_t)address);
}

static bool known(const struct divtrap *d, uint32_t addr)
{
    for (int i = 0; i < d->n; i++)
        if (d->addr[i] == addr)
            return true;
    return false;
}

bool divtrap_scan_block(struct machine *m, uint32_t addr, uint32_t size)
{
    struct divtrap *d = &m->divtrap;
    const uint8_t *p = machine_host_ptr(m, addr, size);
    bool added = false;
    if (!p)
        return false;
    for (uint32_t i = 0; i + 1 < size;) {
        uint16_t hw1 = (uint16_t)(p[i] | p[i + 1] << 8);
        bool wide = (hw1 >> 11) >= 0x1Du;
        if (wide && i + 3 < size && is_divide(hw1, (uint16_t)(p[i + 2] | p[i + 3] << 8)) &&
            !known(d, addr + i) && d->n < DIVTRAP_MAX) {
            uc_hook h;
            if (uc_hook_add(m->uc, &h, UC_HOOK_CODE, (void *)hook_divide, m, addr + i, addr + i) == UC_ERR_OK)
                d->addr[d->n++] = addr + i, added = true;
        }
        i += wide ? 4u : 2u;
    }
    if (added) {
        d->retranslate_lo = addr;
        d->retranslate_hi = addr + size;
    }
    return added;
}

void divtrap_retranslate(struct machine *m)
{
    struct divtrap *d = &m->divtrap;
    if (d->retranslate_hi) {
        uc_ctl_remove_cache(m->uc, d->retranslate_lo, d->retranslate_hi);
        d->retranslate_lo = d->retranslate_hi = 0;
    }
}
