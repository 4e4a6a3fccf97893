/*
 * pendsv — PendSV set through ICSR.PENDSVSET: at the lowest priority it
 * runs after the IRQ that set it (tail-chained, before thread mode); at a
 * higher priority it preempts at once; PENDSVCLR cancels it; several sets
 * before it runs give one run; setting it inside PendSV runs it again;
 * PENDSTSET/PendSV ordering by priority; IPSR, SHCSR.PENDSVACT, EXC_RETURN.
 */
#include "testlib.h"

static volatile char seq[24];
static volatile unsigned seq_n;
static void mark(char c)
{
    if (seq_n < sizeof seq - 1)
        seq[seq_n++] = c;
    seq[seq_n] = 0;
}

static void check_seq(const char *want, const char *msg)
{
    unsigned i;
    int ok = 1;
    for (i = 0; want[i]; i++)
        if (i >= seq_n || seq[i] != want[i])
            ok = 0;
    if (i != seq_n)
        ok = 0;
    CHECK(ok, msg);
    if (!ok)
        sh_printf("#   order %s, want %s\n", (const char *)seq, want);
}

static volatile uint32_t p_count, p_ipsr, p_excret, p_shcsr, p_icsr, p_again;
TL_FRAME_HANDLER(PendSV_Handler, pendsv_c)
void pendsv_c(uint32_t *frame, uint32_t exc_return)
{
    (void)frame;
    p_count++;
    p_ipsr = cpu_get_ipsr();
    p_excret = exc_return;
    p_shcsr = SCB_SHCSR;
    p_icsr = SCB_ICSR;
    mark('P');
    if (p_again) {
        p_again = 0;
        SCB_ICSR = ICSR_PENDSVSET;
        cpu_barrier();
        mark('p');
    }
}

static volatile uint32_t st_count;
void SysTick_Handler(void)
{
    st_count++;
    mark('S');
}

static volatile uint32_t i_pendsvset_seen, i_not_run;
void IRQ1_Handler(void)
{
    mark('I');
    SCB_ICSR = ICSR_PENDSVSET;
    cpu_barrier();
    i_pendsvset_seen = !!(SCB_ICSR & ICSR_PENDSVSET);
    i_not_run = (p_count == 0);
    mark('i');
}

void IRQ2_Handler(void)
{
    mark('J');
    SCB_ICSR = ICSR_PENDSVSET;
    cpu_barrier();
    mark('j');
}

int main(void)
{
    sh_printf("# pendsv\n");
    scb_set_priority(EXC_PENDSV, 0xE0);
    scb_set_priority(EXC_SYSTICK, 0x80);
    CHECK_EQ(scb_get_priority(EXC_PENDSV) & 0xE0u, 0xE0, "SHPR3 PendSV priority byte reads back");
    CHECK_EQ((SCB_SHPR3 >> 16) & 0xE0u, 0xE0, "SHPR3 word holds it in bits 23:16");
    CHECK_EQ((SCB_SHPR3 >> 24) & 0xE0u, 0x80, "SHPR3 word holds SysTick's in bits 31:24");
    nvic_set_priority(1, 0x40);
    nvic_set_priority(2, 0x80);
    nvic_enable(1);
    nvic_enable(2);

    /* from thread mode: runs at once */
    seq_n = 0;
    SCB_ICSR = ICSR_PENDSVSET;
    cpu_barrier();
    mark('T');
    check_seq("PT", "PENDSVSET in thread mode: PendSV runs at once");
    CHECK_EQ(p_ipsr, EXC_PENDSV, "IPSR = 14 in PendSV");
    CHECK_EQ(p_excret, 0xFFFFFFF9u, "EXC_RETURN = 0xFFFFFFF9");
    CHECK(p_shcsr & SHCSR_PENDSVACT, "SHCSR.PENDSVACT set in PendSV");
    CHECK_EQ(p_icsr & ICSR_PENDSVSET, 0, "PENDSVSET reads 0 once PendSV is taken");
    CHECK_EQ(SCB_SHCSR & SHCSR_PENDSVACT, 0, "PENDSVACT clear afterwards");

    /* set from an IRQ handler: runs after it, before thread */
    seq_n = 0;
    p_count = 0;
    nvic_set_pending(1);
    mark('T');
    check_seq("IiPT", "PendSV set by an IRQ runs after the IRQ returns, before thread");
    CHECK(i_pendsvset_seen, "ICSR.PENDSVSET reads 1 while pending");
    CHECK(i_not_run, "PendSV did not preempt the IRQ");
    CHECK_EQ(p_excret, 0xFFFFFFF9u, "tail-chained PendSV returns to thread (0xFFFFFFF9)");

    /* PENDSVCLR */
    seq_n = 0;
    p_count = 0;
    cpu_disable_irq();
    SCB_ICSR = ICSR_PENDSVSET;
    cpu_barrier();
    CHECK(SCB_ICSR & ICSR_PENDSVSET, "pending under PRIMASK");
    SCB_ICSR = ICSR_PENDSVCLR;
    cpu_barrier();
    CHECK_EQ(SCB_ICSR & ICSR_PENDSVSET, 0, "PENDSVCLR clears it");
    cpu_enable_irq();
    cpu_isb();
    CHECK_EQ(p_count, 0, "cleared PendSV does not run");

    /* several sets, one run */
    cpu_disable_irq();
    SCB_ICSR = ICSR_PENDSVSET;
    SCB_ICSR = ICSR_PENDSVSET;
    SCB_ICSR = ICSR_PENDSVSET;
    cpu_enable_irq();
    cpu_isb();
    CHECK_EQ(p_count, 1, "three sets before it runs: one run");

    /* set again inside PendSV */
    seq_n = 0;
    p_count = 0;
    p_again = 1;
    SCB_ICSR = ICSR_PENDSVSET;
    cpu_barrier();
    mark('T');
    check_seq("PpPT", "PENDSVSET inside PendSV: runs again after it returns");
    CHECK_EQ(p_count, 2, "two runs");

    /* SysTick (0x80, via PENDSTSET) before PendSV (0xE0) */
    seq_n = 0;
    cpu_disable_irq();
    SCB_ICSR = ICSR_PENDSVSET;
    SCB_ICSR = ICSR_PENDSTSET;
    cpu_barrier();
    CHECK(SCB_ICSR & ICSR_PENDSTSET, "ICSR.PENDSTSET reads 1 while pending");
    cpu_enable_irq();
    mark('T');
    check_seq("SPT", "pended SysTick (0x80) runs before PendSV (0xE0)");
    cpu_disable_irq();
    SCB_ICSR = ICSR_PENDSTSET;
    SCB_ICSR = ICSR_PENDSTCLR;
    cpu_enable_irq();
    cpu_isb();
    CHECK_EQ(st_count, 1, "PENDSTCLR cancels a pended SysTick");

    /* PendSV of higher priority than the IRQ that sets it preempts */
    scb_set_priority(EXC_PENDSV, 0x20);
    seq_n = 0;
    nvic_set_pending(2);
    mark('T');
    check_seq("JPjT", "PendSV at 0x20 preempts the IRQ (0x80) that sets it");
    CHECK_EQ(p_excret, 0xFFFFFFF1u, "nested PendSV: EXC_RETURN 0xFFFFFFF1");

    return tl_done();
}
