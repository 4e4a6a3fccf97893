/* target — the guest of the GDB tests (tests/gdb/run.sh): a loop that calls
 * bump() (breakpoint, step, `print counter`), it_select() with an IT block
 * (stepi must stop inside it), writes `watched` once (watchpoint), takes
 * SysTick interrupts all the while, and executes a BKPT only when the
 * debugger sets `debug_flag`; without a debugger it exits 0 like any test. */
#include "testlib.h"

volatile uint32_t counter;
volatile uint32_t watched;
volatile uint32_t debug_flag;
static volatile uint32_t ticks;

void SysTick_Handler(void) { ticks++; }

__attribute__((noinline)) uint32_t it_select(uint32_t x)
{
    uint32_t r;
    __asm__ volatile("cmp %1, #0\n\tite eq\n\tmoveq %0, #1\n\tmovne %0, #2" : "=r"(r) : "r"(x) : "cc");
    return r;
}

__attribute__((noinline)) void bump(uint32_t n)
{
    counter += n;
}

int main(void)
{
    SYST_RVR = 999;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    for (uint32_t i = 0; i < 20000; i++) {
        bump(it_select(i & 1));
        if (i == 100)
            watched = i;
        if (debug_flag)
            __asm__ volatile("bkpt 1");
    }
    SYST_CSR = SYST_CSR_CLKSOURCE;
    sh_printf("counter %u ticks %u\n", (unsigned)counter, (unsigned)(ticks > 0));
    return 0;
}
