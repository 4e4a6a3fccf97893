/*
 * divtrap.c — divide-by-zero trapping for SDIV/UDIV (see divtrap.h).
 */
#include "cpu_state.h"
#include "divtrap.h"
#include "exc.h"

static bool is_divide(uint16_t hw1, uint16_t hw2)
{
    /* SDIV 1111 1011 1001 nnnn 1111 dddd 1111 mmmm, UDIV the same with 1011 */
    return (hw1 & 0xFFD0u) == 0xFB90u && (hw2 & 0xF0F0u) == 0xF0F0u;
}

/* Does the condition of the current IT slot hold (true outside IT blocks)? */
static bool it_condition_holds(uint32_t xpsr)
{
    uint32_t it = ((xpsr >> 8) & 0xFCu) | ((xpsr >> 25) & 3u);
    if ((it & 0xFu) == 0)
        return true;
    bool n = xpsr >> 31 & 1, z = xpsr >> 30 & 1, c = xpsr >> 29 & 1, v = xpsr >> 28 & 1;
    bool r;
    switch ((it >> 5) & 7u) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = c && !z; break;
    case 5: r = n == v; break;
    case 6: r = !z && n == v; break;
    default: r = true; break;
    }
    return (it >> 4 & 1u) && ((it >> 5) & 7u) != 7u ? !r : r;
}

bool divtrap_check_block(struct machine *m, uint32_t addr, uint32_t size)
{
    const uint8_t *p = machine_host_ptr(m, addr, size);
    for (uint32_t i = 0; p && i + 1 < size;) {
        uint16_t hw1 = (uint16_t)(p[i] | p[i + 1] << 8);
        bool wide = (hw1 >> 11) >= 0x1Du;
        uint16_t hw2 = wide && i + 3 < size ? (uint16_t)(p[i + 2] | p[i + 3] << 8) : 0;
        if (wide && is_divide(hw1, hw2)) {
            if (i > 0) {                        /* run up to the divide first */
                m->run_until = addr + i;
                cpu_request_stop(m);
                return true;
            }
            if (cpu_reg(m, UC_ARM_REG_R0 + (hw2 & 0xFu)) == 0 && it_condition_holds(cpu_reg(m, UC_ARM_REG_XPSR))) {
                exc_fault(m, EXC_USAGEFAULT, CFSR_DIVBYZERO, 0, addr);
                return true;
            }
        }
        i += wide ? 4u : 2u;
    }
    return false;
}
