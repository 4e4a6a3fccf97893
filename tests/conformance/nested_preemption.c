/*
 * nested_preemption — external interrupts pended from software (NVIC ISPR):
 * a higher-priority IRQ preempts a running lower one at once; an equal or
 * lower one waits; pending ones run in priority order; IABR, IPSR, ICSR
 * (VECTACTIVE, VECTPENDING, RETTOBASE) seen from nested handlers; priority
 * grouping (AIRCR.PRIGROUP) turning would-be preemption into subpriority
 * ordering.  Priorities differ in their top 3 bits (QEMU 7.2 implements 8
 * bits, the SAM4L 4) and IRQ numbers are < 32 (QEMU's mps2 has 32).
 */
#include "testlib.h"

#define IRQ_A 1   /* 0xC0 */
#define IRQ_B 2   /* 0x40: preempts A */
#define IRQ_C 3   /* 0xC0: equal to A */
#define IRQ_D 4   /* 0xE0: lower than A */
#define IRQ_E 8   /* 0x80: lower than B, higher than A */
#define IRQ_G1 10 /* PRIGROUP test: 0x60 */
#define IRQ_G2 11 /* PRIGROUP test: 0x40 (same group, better subpriority) */
#define IRQ_G3 12 /* PRIGROUP test: 0x20 (better group) */

static volatile char seq[24];
static volatile unsigned seq_n;
static void mark(char c)
{
    if (seq_n < sizeof seq - 1)
        seq[seq_n++] = c;
    seq[seq_n] = 0;
}

static int seq_is(const char *want)
{
    unsigned i;
    for (i = 0; want[i]; i++)
        if (i >= seq_n || seq[i] != want[i])
            return 0;
    return i == seq_n;
}

static void check_seq(const char *want, const char *msg)
{
    int ok = seq_is(want);
    CHECK(ok, msg);
    if (!ok)
        sh_printf("#   order %s, want %s\n", (const char *)seq, want);
}

static volatile uint32_t a_rettobase, a_iabr, a_c_pending_no_run, a_d_pending_no_run;
static volatile uint32_t b_ipsr, b_vectactive, b_vectpending, b_rettobase, b_iabr;
static volatile uint32_t e_iabr, e_rettobase;

void IRQ1_Handler(void)   /* A */
{
    mark('A');
    uint32_t icsr = SCB_ICSR;
    a_rettobase = !!(icsr & ICSR_RETTOBASE);
    a_iabr = NVIC_IABR(0);
    nvic_set_pending(IRQ_C);
    a_c_pending_no_run = nvic_is_pending(IRQ_C) && seq_is("A");
    nvic_set_pending(IRQ_D);
    a_d_pending_no_run = nvic_is_pending(IRQ_D) && seq_is("A");
    nvic_set_pending(IRQ_B);            /* preempts here */
    mark('a');
}

void IRQ2_Handler(void)   /* B */
{
    mark('B');
    uint32_t icsr = SCB_ICSR;
    b_ipsr = cpu_get_ipsr();
    b_vectactive = ICSR_VECTACTIVE(icsr);
    b_vectpending = ICSR_VECTPENDING(icsr);
    b_rettobase = !!(icsr & ICSR_RETTOBASE);
    b_iabr = NVIC_IABR(0);
    nvic_set_pending(IRQ_E);            /* lower than B: must wait */
    mark('b');
}

void IRQ3_Handler(void) { mark('C'); }
void IRQ4_Handler(void) { mark('D'); }

void IRQ8_Handler(void)   /* E */
{
    mark('E');
    e_iabr = NVIC_IABR(0);
    e_rettobase = !!(SCB_ICSR & ICSR_RETTOBASE);
}

void IRQ10_Handler(void)  /* G1, 0x60 */
{
    mark('1');
    nvic_set_pending(IRQ_G2);           /* same group: no preemption */
    nvic_set_pending(IRQ_G3);           /* better group: preempts */
    mark('!');
}
void IRQ11_Handler(void) { mark('2'); }
void IRQ12_Handler(void) { mark('3'); }

int main(void)
{
    sh_printf("# nested_preemption\n");
    nvic_set_priority(IRQ_A, 0xC0);
    nvic_set_priority(IRQ_B, 0x40);
    nvic_set_priority(IRQ_C, 0xC0);
    nvic_set_priority(IRQ_D, 0xE0);
    nvic_set_priority(IRQ_E, 0x80);
    nvic_set_priority(IRQ_G1, 0x60);
    nvic_set_priority(IRQ_G2, 0x40);
    nvic_set_priority(IRQ_G3, 0x20);
    CHECK_EQ(nvic_get_priority(IRQ_B) & 0xE0u, 0x40, "IPR byte reads back (top 3 bits)");
    CHECK_EQ(nvic_get_priority(IRQ_D) & 0xE0u, 0xE0, "IPR byte of another IRQ reads back");
    CHECK_EQ(NVIC_IPR(1) & 0xE0u, 0xE0u, "IPR word 1 holds IRQ 4 in its low byte");

    static const unsigned irqs[] = { IRQ_A, IRQ_B, IRQ_C, IRQ_D, IRQ_E, IRQ_G1, IRQ_G2, IRQ_G3 };
    for (unsigned i = 0; i < sizeof irqs / sizeof irqs[0]; i++)
        nvic_enable(irqs[i]);
    CHECK_EQ(NVIC_ISER(0) & 0x1D1Eu, 0x1D1Eu, "ISER reads back the enabled IRQs");

    /* pending while disabled does not run */
    nvic_disable(IRQ_A);
    seq_n = 0;
    nvic_set_pending(IRQ_A);
    CHECK(nvic_is_pending(IRQ_A) && seq_n == 0, "a disabled IRQ stays pending and does not run");
    CHECK_EQ(ICSR_VECTPENDING(SCB_ICSR), 0, "ICSR.VECTPENDING ignores disabled IRQs");
    nvic_clear_pending(IRQ_A);
    CHECK(!nvic_is_pending(IRQ_A), "ICPR clears the pending bit");
    nvic_enable(IRQ_A);
    CHECK_EQ(seq_n, 0, "cleared IRQ does not run when enabled");

    /* the main scenario */
    seq_n = 0;
    nvic_set_pending(IRQ_A);
    check_seq("ABbEaCD", "order A, B preempts, E after B before A resumes, then C, D");
    CHECK(a_rettobase, "RETTOBASE = 1 in the only active handler");
    CHECK_EQ(a_iabr & 0x11Eu, 1u << IRQ_A, "IABR: only A active in A");
    CHECK(a_c_pending_no_run, "equal-priority IRQ pended from A waits");
    CHECK(a_d_pending_no_run, "lower-priority IRQ pended from A waits");
    CHECK_EQ(b_ipsr, EXC_IRQ(IRQ_B), "IPSR = 16 + B in the nested handler");
    CHECK_EQ(b_vectactive, EXC_IRQ(IRQ_B), "ICSR.VECTACTIVE = 16 + B");
    CHECK_EQ(b_vectpending, EXC_IRQ(IRQ_C), "ICSR.VECTPENDING = highest-priority pending (C)");
    CHECK_EQ(b_rettobase, 0, "RETTOBASE = 0 in a nested handler");
    CHECK_EQ(b_iabr & 0x11Eu, (1u << IRQ_A) | (1u << IRQ_B), "IABR: A and B active in B");
    CHECK_EQ(e_iabr & 0x11Eu, (1u << IRQ_A) | (1u << IRQ_E), "IABR: A and E active in E (B done)");
    CHECK_EQ(e_rettobase, 0, "RETTOBASE = 0 in E (A still active)");
    CHECK_EQ(NVIC_IABR(0), 0, "no IRQ active back in thread mode");
    CHECK_EQ(NVIC_ISPR(0) & 0x1D1Eu, 0, "no IRQ pending back in thread mode");
    CHECK_EQ(ICSR_VECTACTIVE(SCB_ICSR), 0, "ICSR.VECTACTIVE = 0 in thread mode");

    /* priority grouping: PRIGROUP = 5 -> group priority is bits [7:6] */
    SCB_AIRCR = AIRCR_VECTKEY | (5u << 8);
    cpu_barrier();
    CHECK_EQ((SCB_AIRCR >> 8) & 7u, 5, "AIRCR.PRIGROUP reads back 5");
    seq_n = 0;
    nvic_set_pending(IRQ_G1);
    check_seq("13!2", "PRIGROUP=5: 0x40 does not preempt 0x60 (same group), 0x20 does");
    seq_n = 0;
    cpu_disable_irq();
    nvic_set_pending(IRQ_G2);
    nvic_set_pending(IRQ_G1);
    cpu_enable_irq();
    cpu_isb();
    check_seq("213!2", "PRIGROUP=5: subpriority orders pending IRQs of the same group");
    SCB_AIRCR = AIRCR_VECTKEY | (0u << 8);
    cpu_barrier();
    CHECK_EQ((SCB_AIRCR >> 8) & 7u, 0, "AIRCR.PRIGROUP back to 0");
    seq_n = 0;
    nvic_set_pending(IRQ_G1);
    check_seq("123!", "PRIGROUP=0: 0x40 preempts 0x60 again");

    return tl_done();
}
