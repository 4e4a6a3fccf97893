/*
 * systick_clock.c — a bare-metal demo for `make run` until the kernel and
 * the blink app exist: the SysTick exception ticks at 1 kHz of virtual time
 * (48 MHz core, RVR = 47999), thread mode sleeps in WFI between ticks, and
 * every 100 ms the elapsed virtual time is printed through semihosting.
 * After one virtual second it exits with status 0.
 */
#include "semihost.h"
#include "testlib.h"

static volatile uint32_t ms;

void SysTick_Handler(void)
{
    ms++;
}

int main(void)
{
    sh_printf("hailsim demo: SysTick at 1 kHz on a 48 MHz Cortex-M4, printing every 100 ms\n");
    SYST_RVR = 48000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    uint32_t next = 100;
    while (ms < 1000) {
        cpu_wfi();
        if (ms >= next) {
            sh_printf("  t = %u ms (virtual)\n", (unsigned)ms);
            next += 100;
        }
    }
    SYST_CSR = 0;
    sh_printf("done: one virtual second of SysTick interrupts, CPU asleep in WFI in between\n");
    return 0;
}
