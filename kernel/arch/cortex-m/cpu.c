/*
 * cpu.c — the rest of kernel/arch.h on ARMv7-M: SysTick as the scheduler
 * timer (tock-abi.md §8), interrupt masking and sleep, the NVIC helpers the
 * chip layer uses, and arch_setup() (core clock, SRAM bounds).
 *
 * SysTick runs from the core clock: reload = MHz x us - 1 (48 MHz: 480 000
 * counts per 10 ms).  start() loads and enables it with TICKINT armed;
 * stop() disarms it.  "Expired" = COUNTFLAG seen or the handler ran while
 * armed (the flag is sticky until the next start, COUNTFLAG clears on read).
 */
#include "kernel/arch.h"
#include "cortexm.h"

#define SYST_MAX 0xFFFFFFu

volatile uint32_t arch_systick_fired;
static uint32_t core_mhz = 48;
static bool countflag_seen;

void arch_set_ram(uint32_t lo, uint32_t hi);

void arch_setup(uint32_t core_hz, uint32_t ram_lo, uint32_t ram_hi)
{
    core_mhz = core_hz / 1000000u ? core_hz / 1000000u : 1;
    arch_set_ram(ram_lo, ram_hi);
}

/* ---- SysTick --------------------------------------------------------------------- */

void arch_timer_start(uint32_t us)
{
    uint64_t counts = (uint64_t)core_mhz * us;
    uint32_t reload = counts == 0 ? 1 : counts - 1 > SYST_MAX ? SYST_MAX : (uint32_t)(counts - 1);
    REG32(SYST_CSR) = 0;
    REG32(SYST_RVR) = reload;
    REG32(SYST_CVR) = 0;                    /* clears the counter and COUNTFLAG */
    arch_systick_fired = 0;
    countflag_seen = false;
    REG32(SYST_CSR) = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

/* One read of CSR per call (it clears COUNTFLAG, which is latched). */
bool arch_timer_expired(void)
{
    if (REG32(SYST_CSR) & SYST_CSR_COUNTFLAG)
        countflag_seen = true;
    return countflag_seen || arch_systick_fired;
}

uint32_t arch_timer_remaining_us(void)
{
    uint32_t csr = REG32(SYST_CSR);
    if (csr & SYST_CSR_COUNTFLAG)
        countflag_seen = true;
    if (countflag_seen || arch_systick_fired || !(csr & SYST_CSR_ENABLE))
        return 0;
    return REG32(SYST_CVR) / core_mhz;
}

/* One CSR read, one CVR read (the slice check after every system call). */
bool arch_timer_slice_over(uint32_t min_us)
{
    uint32_t csr = REG32(SYST_CSR);
    if (csr & SYST_CSR_COUNTFLAG)
        countflag_seen = true;
    if (countflag_seen || arch_systick_fired || !(csr & SYST_CSR_ENABLE))
        return true;
    return REG32(SYST_CVR) / core_mhz <= min_us;
}

void arch_timer_stop(void)
{
    (void)arch_timer_expired();             /* latch COUNTFLAG before it is lost */
    REG32(SYST_CSR) = 0;
}

/* ---- interrupts and sleep --------------------------------------------------------- */

void arch_disable_interrupts(void) { __asm__ volatile("cpsid i" ::: "memory"); }
void arch_enable_interrupts(void) { __asm__ volatile("cpsie i" ::: "memory"); }
void arch_wait_for_interrupt(void) { __asm__ volatile("dsb\n\twfi" ::: "memory"); }

/* ---- NVIC --------------------------------------------------------------------------- */

#define NVIC_WORD(base, irq) REG32((base) + 4u * ((irq) >> 5))
#define NVIC_BIT(irq) (1u << ((irq) & 31u))

void nvic_enable(unsigned irq) { NVIC_WORD(NVIC_ISER, irq) = NVIC_BIT(irq); }
void nvic_disable(unsigned irq) { NVIC_WORD(NVIC_ICER, irq) = NVIC_BIT(irq); }
void nvic_clear_pending(unsigned irq) { NVIC_WORD(NVIC_ICPR, irq) = NVIC_BIT(irq); }
bool nvic_is_pending(unsigned irq) { return NVIC_WORD(NVIC_ISPR, irq) & NVIC_BIT(irq); }
bool nvic_is_enabled(unsigned irq) { return NVIC_WORD(NVIC_ISER, irq) & NVIC_BIT(irq); }

int nvic_next_masked_pending(unsigned num_irqs)
{
    for (unsigned w = 0; w * 32 < num_irqs; w++) {
        uint32_t bits = REG32(NVIC_ISPR + 4 * w) & ~REG32(NVIC_ISER + 4 * w);
        if (bits)
            return (int)(w * 32 + (unsigned)__builtin_ctz(bits));
    }
    return -1;
}
