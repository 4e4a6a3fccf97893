/*
 * tail_chaining — pending IRQs run back to back before thread mode resumes:
 * priority order, lowest IRQ number first among equal priorities, an IRQ
 * pended by a handler for a lower priority, a handler re-pending itself, the
 * tail-chained handler seeing only itself active and the thread-mode
 * EXC_RETURN (0xFFFFFFF9 on MSP, 0xFFFFFFFD on PSP, with the IRQs pended
 * from unprivileged code through STIR with CCR.USERSETMPEND).
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

static volatile uint32_t excret[16], iabr[16], pend_other[16], rettobase[16];
static volatile uint32_t self_count;

static void record(unsigned irq, uint32_t exc_return)
{
    excret[irq] = exc_return;
    iabr[irq] = NVIC_IABR(0);
    rettobase[irq] = !!(SCB_ICSR & ICSR_RETTOBASE);
    mark((char)('A' + irq));
}

TL_FRAME_HANDLER(IRQ1_Handler, irq1_c)
void irq1_c(uint32_t *frame, uint32_t exc_return) { (void)frame; record(1, exc_return); }
TL_FRAME_HANDLER(IRQ2_Handler, irq2_c)
void irq2_c(uint32_t *frame, uint32_t exc_return)
{
    (void)frame;
    record(2, exc_return);
    pend_other[2] = nvic_is_pending(1);
}
void IRQ3_Handler(void) { record(3, 0); }
void IRQ4_Handler(void) { record(4, 0); }
void IRQ5_Handler(void)
{
    record(5, 0);
    nvic_set_pending(6);
    pend_other[5] = nvic_is_pending(6) && !nvic_is_active(6);
}
TL_FRAME_HANDLER(IRQ6_Handler, irq6_c)
void irq6_c(uint32_t *frame, uint32_t exc_return) { (void)frame; record(6, exc_return); }
void IRQ7_Handler(void)
{
    record(7, 0);
    if (++self_count == 1) {
        nvic_set_pending(7);
        pend_other[7] = nvic_is_pending(7) && nvic_is_active(7);
    }
}
TL_FRAME_HANDLER(IRQ8_Handler, irq8_c)
void irq8_c(uint32_t *frame, uint32_t exc_return)
{
    (void)frame;
    record(8, exc_return);
    nvic_set_pending(9);
}
TL_FRAME_HANDLER(IRQ9_Handler, irq9_c)
void irq9_c(uint32_t *frame, uint32_t exc_return) { (void)frame; record(9, exc_return); }
void IRQ10_Handler(void) { record(10, 0); }
void IRQ11_Handler(void) { record(11, 0); }
void IRQ12_Handler(void) { record(12, 0); }

static uint32_t unpriv_stir(uint32_t irq)
{
    NVIC_STIR = irq;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    mark('T');
    return 0;
}

int main(void)
{
    sh_printf("# tail_chaining\n");
    static const uint8_t prio[13] = { 0, 0x80, 0x40, 0x80, 0x80, 0x40, 0xC0, 0x80, 0x80, 0xC0,
                                      0xA0, 0x20, 0x60 };
    for (unsigned i = 1; i < 13; i++) {
        nvic_set_priority(i, prio[i]);
        nvic_enable(i);
    }

    /* two pended under PRIMASK: the higher priority first, both before thread */
    seq_n = 0;
    cpu_disable_irq();
    nvic_set_pending(1);
    nvic_set_pending(2);
    cpu_enable_irq();
    mark('T');
    check_seq("CBT", "priority 0x40 then 0x80, then thread");
    CHECK(pend_other[2], "the second IRQ is pending while the first runs");
    CHECK_EQ(iabr[1] & 0x1FFEu, 1u << 1, "tail-chained handler: only itself active");
    CHECK_EQ(excret[2], 0xFFFFFFF9u, "first handler: EXC_RETURN 0xFFFFFFF9");
    CHECK_EQ(excret[1], 0xFFFFFFF9u, "tail-chained handler: EXC_RETURN 0xFFFFFFF9 (to thread, MSP)");
    CHECK(rettobase[1] && rettobase[2], "RETTOBASE = 1 in both");

    /* equal priority: lower IRQ number first */
    seq_n = 0;
    cpu_disable_irq();
    nvic_set_pending(4);
    nvic_set_pending(3);
    cpu_enable_irq();
    mark('T');
    check_seq("DET", "equal priority: IRQ 3 before IRQ 4, then thread");

    /* a handler pends a lower-priority IRQ: it runs right after, before thread */
    seq_n = 0;
    nvic_set_pending(5);
    mark('T');
    check_seq("FGT", "IRQ pended by a handler for lower priority runs after it, before thread");
    CHECK(pend_other[5], "it was pending, not active, while the first handler ran");
    CHECK_EQ(iabr[6] & 0x1FFEu, 1u << 6, "only the tail-chained IRQ active");
    CHECK_EQ(excret[6], 0xFFFFFFF9u, "its EXC_RETURN goes to thread mode");

    /* re-pending itself */
    seq_n = 0;
    nvic_set_pending(7);
    mark('T');
    check_seq("HHT", "an IRQ re-pended by its own handler runs again before thread");
    CHECK(pend_other[7], "pending and active at the same time");
    CHECK_EQ(self_count, 2, "handler ran twice");

    /* three at once */
    seq_n = 0;
    cpu_disable_irq();
    nvic_set_pending(10);
    nvic_set_pending(12);
    nvic_set_pending(11);
    cpu_enable_irq();
    mark('T');
    check_seq("LMKT", "three pended: 0x20, 0x60, 0xA0, then thread");

    /* from unprivileged thread mode on PSP, pended through STIR */
    SCB_SHCSR |= SHCSR_BUSFAULTENA;
    tl_trap_faults(1);
    seq_n = 0;
    tl_run_unprivileged(unpriv_stir, 8);
    tl_trap_faults(0);
    check_seq("T", "without USERSETMPEND an unprivileged STIR write pends nothing");
    CHECK_EQ(tl_fault.exc, EXC_BUSFAULT, "... and raises a BusFault");
    SCB_CCR |= CCR_USERSETMPEND;
    cpu_barrier();
    seq_n = 0;
    tl_run_unprivileged(unpriv_stir, 8);
    check_seq("IJT", "STIR from unprivileged code (USERSETMPEND): IRQ 8 then IRQ 9, then thread");
    CHECK_EQ(excret[8], 0xFFFFFFFDu, "first handler: EXC_RETURN 0xFFFFFFFD");
    CHECK_EQ(excret[9], 0xFFFFFFFDu, "tail-chained handler: EXC_RETURN 0xFFFFFFFD (to thread, PSP)");
    SCB_CCR &= ~CCR_USERSETMPEND;
    cpu_barrier();
    CHECK_EQ(NVIC_IABR(0) | (NVIC_ISPR(0) & 0x1FFEu), 0, "nothing active or pending at the end");

    return tl_done();
}
