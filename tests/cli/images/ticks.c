/* ticks — a SysTick every 1000 cycles, a PendSV pended from the fifth tick
 * handler, then exit 0: a small but busy trace (exceptions, semihosting). */
#include "testlib.h"

static volatile uint32_t ticks, pendsvs;

void SysTick_Handler(void)
{
    if (++ticks == 5)
        SCB_ICSR = ICSR_PENDSVSET;
}

void PendSV_Handler(void) { pendsvs++; }

int main(void)
{
    SYST_RVR = 999;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    while (ticks < 8)
        cpu_wfi();
    SYST_CSR = SYST_CSR_CLKSOURCE;
    sh_printf("ticks: %u ticks, %u pendsv\n", (unsigned)ticks, (unsigned)pendsvs);
    return pendsvs == 1 ? 0 : 1;
}
