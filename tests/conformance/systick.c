/*
 * systick — the SysTick timer, counted in wraps, never in time: RVR/CVR
 * register behaviour, CVR counting down while enabled and holding while
 * disabled, COUNTFLAG set by a wrap and cleared by reading CSR or by writing
 * CVR, the exception (TICKINT) counted per wrap with the handler stopping
 * the timer after exactly 5, IPSR/SHCSR/ICSR inside it, several wraps while
 * masked by BASEPRI giving one pending SysTick.  Reload 9999 with the
 * processor clock (CLKSOURCE=1): the images do not depend on its frequency.
 */
#include "testlib.h"

#define RELOAD 9999u
#define SPIN_LIMIT 5000000u

/* Waits for CVR to wrap (the value goes up), without reading CSR. */
static int wait_wrap(void)
{
    uint32_t prev = SYST_CVR;
    for (uint32_t i = 0; i < SPIN_LIMIT; i++) {
        uint32_t v = SYST_CVR;
        if (v > prev)
            return 1;
        prev = v;
    }
    return 0;
}

/* Waits for a wrap, then for half a period more (QEMU sets COUNTFLAG from a
 * timer callback, which may lag slightly behind the CVR value it reports). */
static int wait_wrap_settled(void)
{
    /* from CVR = 0 the first reload is not a wrap (no 1 -> 0 step):
     * wait for two reloads so at least one real wrap happened */
    int w = wait_wrap();
    w = wait_wrap() && w;
    for (uint32_t i = 0; i < SPIN_LIMIT; i++)
        if (SYST_CVR < RELOAD / 2u)
            break;
    return w;
}

static volatile uint32_t ticks, stop_at, t_ipsr, t_shcsr, t_icsr;
void SysTick_Handler(void)
{
    ticks++;
    t_ipsr = cpu_get_ipsr();
    t_shcsr = SCB_SHCSR;
    t_icsr = SCB_ICSR;
    if (ticks == stop_at)
        SYST_CSR = SYST_CSR_CLKSOURCE;          /* stop: no more wraps */
}

int main(void)
{
    sh_printf("# systick\n");
    SYST_CSR = SYST_CSR_CLKSOURCE;
    CHECK_EQ(SYST_CSR & (SYST_CSR_ENABLE | SYST_CSR_TICKINT), 0, "SysTick disabled");
    SYST_RVR = 0xFFFFFFFFu;
    CHECK_EQ(SYST_RVR, 0x00FFFFFFu, "RVR is 24 bits");
    SYST_RVR = RELOAD;
    CHECK_EQ(SYST_RVR, RELOAD, "RVR reads back");
    SYST_CVR = 12345u;
    CHECK_EQ(SYST_CVR, 0, "any write to CVR clears it");
    (void)SYST_CSR;
    CHECK_EQ(SYST_CSR & SYST_CSR_COUNTFLAG, 0, "COUNTFLAG clear");

    /* counting */
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_ENABLE;
    CHECK(wait_wrap(), "CVR wraps from 0 to RVR while enabled");
    uint32_t a = SYST_CVR;
    /* a few hundred instructions between the reads: enough for the counter to
     * move on every engine (QEMU with -icount: 1 ns per instruction, 25 MHz
     * SysTick; hailsim: one count per instruction) */
    for (volatile int i = 0; i < 100; i++)
        ;
    uint32_t b = SYST_CVR;
    CHECK(a <= RELOAD && (b < a || b > a + 100u), "CVR counts down, within [0, RVR]");
    SYST_CSR = SYST_CSR_CLKSOURCE;                   /* stop */
    a = SYST_CVR;
    for (volatile int i = 0; i < 1000; i++) { }
    b = SYST_CVR;
    CHECK_EQ(b, a, "CVR holds while disabled");

    /* COUNTFLAG cleared by reading CSR */
    SYST_CVR = 0;
    (void)SYST_CSR;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_ENABLE;
    int w = wait_wrap_settled();
    SYST_CSR = SYST_CSR_CLKSOURCE;                   /* stop; COUNTFLAG stays */
    uint32_t c1 = SYST_CSR, c2 = SYST_CSR;
    CHECK(w && (c1 & SYST_CSR_COUNTFLAG), "COUNTFLAG set after a wrap (and kept when disabled)");
    CHECK_EQ(c2 & SYST_CSR_COUNTFLAG, 0, "reading CSR cleared COUNTFLAG");

    /* COUNTFLAG cleared by writing CVR */
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_ENABLE;
    w = wait_wrap_settled();
    SYST_CSR = SYST_CSR_CLKSOURCE;
    SYST_CVR = 0;
    c1 = SYST_CSR;
    CHECK(w && !(c1 & SYST_CSR_COUNTFLAG), "writing CVR cleared COUNTFLAG");

    /* the exception: exactly 5 wraps, the handler stops the timer at the 5th */
    scb_set_priority(EXC_SYSTICK, 0x80);
    ticks = 0;
    stop_at = 5;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    for (uint32_t i = 0; i < 4u * SPIN_LIMIT && ticks < 5; i++)
        cpu_nop();
    for (uint32_t i = 0; i < 200000u; i++)           /* several more periods: */
        cpu_nop();                                   /* would be more ticks */
    CHECK_EQ(ticks, 5, "handler ran once per wrap, 5 times, and no more once stopped");
    CHECK_EQ(t_ipsr, EXC_SYSTICK, "IPSR = 15 in the handler");
    CHECK(t_shcsr & SHCSR_SYSTICKACT, "SHCSR.SYSTICKACT set in the handler");
    CHECK_EQ(t_icsr & ICSR_PENDSTSET, 0, "PENDSTSET clear in the handler");
    CHECK_EQ(SYST_CSR & SYST_CSR_ENABLE, 0, "the handler's CSR write stopped the timer");

    /* masked by BASEPRI: wraps pend SysTick once */
    ticks = 0;
    stop_at = 0;
    cpu_set_basepri(0x80);
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    w = wait_wrap();
    w = wait_wrap() && w;
    w = wait_wrap() && w;
    SYST_CSR = SYST_CSR_CLKSOURCE;                   /* stop; the pending bit stays */
    CHECK(w && ticks == 0, "several wraps while BASEPRI masks SysTick: handler not run");
    CHECK(SCB_ICSR & ICSR_PENDSTSET, "ICSR.PENDSTSET set");
    cpu_set_basepri(0);
    CHECK_EQ(ticks, 1, "unmasked: handler runs once (pending is one bit)");
    CHECK_EQ(SCB_ICSR & ICSR_PENDSTSET, 0, "PENDSTSET clear afterwards");

    return tl_done();
}
