/*
 * wfi_wakeup — WFI sleeps until an exception would preempt (SysTick is the
 * only wake source common to QEMU and the Hail): the SysTick handler has run
 * when `wfi` returns; with PRIMASK = 1 a SysTick or a software-pended IRQ
 * wakes the core without being taken until `cpsie i`; a pending IRQ masked
 * by BASEPRI is not taken from wfi while SysTick above BASEPRI is.
 */
#include "testlib.h"

#define RELOAD 9999u

static volatile uint32_t ticks, irq_ran, irq_masked_ran;
void SysTick_Handler(void) { ticks++; }
void IRQ2_Handler(void) { irq_ran++; }
void IRQ4_Handler(void) { irq_masked_ran++; }

static void systick_start(void)
{
    SYST_CSR = SYST_CSR_CLKSOURCE;
    SYST_RVR = RELOAD;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
}

static void systick_stop(void)
{
    SYST_CSR = SYST_CSR_CLKSOURCE;
    cpu_barrier();
}

int main(void)
{
    sh_printf("# wfi_wakeup\n");
    scb_set_priority(EXC_SYSTICK, 0x40);
    nvic_set_priority(2, 0x80);
    nvic_set_priority(4, 0xC0);
    nvic_enable(2);
    nvic_enable(4);

    /* plain: the tick wakes the core and its handler runs before wfi returns */
    ticks = 0;
    systick_start();
    uint32_t before = ticks;
    cpu_wfi();
    uint32_t after = ticks;
    systick_stop();
    CHECK_EQ(before, 0, "no tick yet before wfi");
    CHECK(after >= 1, "SysTick woke the core and its handler ran before wfi returned");

    /* PRIMASK=1: woken by the pending SysTick, not taken until cpsie i */
    ticks = 0;
    cpu_disable_irq();
    systick_start();
    cpu_wfi();
    systick_stop();
    uint32_t pend = SCB_ICSR & ICSR_PENDSTSET;
    CHECK_EQ(ticks, 0, "PRIMASK=1: wfi returned without running the handler");
    CHECK(pend, "PRIMASK=1: SysTick is pending after wfi");
    cpu_enable_irq();
    cpu_isb();
    CHECK_EQ(ticks, 1, "cpsie i: the pending SysTick runs once");

    /* PRIMASK=1 and an IRQ already pending: wfi returns at once */
    cpu_disable_irq();
    nvic_set_pending(2);
    cpu_wfi();
    CHECK(irq_ran == 0 && nvic_is_pending(2), "PRIMASK=1: wfi with a pending IRQ returns, IRQ not taken");
    cpu_enable_irq();
    cpu_isb();
    CHECK_EQ(irq_ran, 1, "cpsie i: the IRQ runs");

    /* BASEPRI: a masked pending IRQ is not taken by wfi; SysTick above BASEPRI is.
     * (Whether the masked IRQ wakes the core is not checked: QEMU 7.2 wakes,
     * the architecture allows spurious wake-ups, so wfi is used in a loop.) */
    cpu_set_basepri(0x80);
    nvic_set_pending(4);
    ticks = 0;
    systick_start();
    for (uint32_t n = 0; ticks == 0 && n < 1000000u; n++)
        cpu_wfi();
    after = ticks;
    systick_stop();
    CHECK(after >= 1, "BASEPRI=0x80: SysTick at 0x40 still taken from wfi");
    CHECK(irq_masked_ran == 0 && nvic_is_pending(4), "the IRQ at 0xC0 was not taken, still pending");
    cpu_set_basepri(0);
    CHECK_EQ(irq_masked_ran, 1, "and runs once BASEPRI is cleared");

    return tl_done();
}
