/*
 * primask_basepri — PRIMASK, BASEPRI, BASEPRI_MAX and FAULTMASK: what they
 * block, that a pending IRQ is taken right after `cpsie i`, FAULTMASK
 * cleared by exception return (PRIMASK not), CPS/MSR ignored in unprivileged
 * mode, BASEPRI masking PendSV, PRIMASK making a UsageFault escalate.
 */
#include "testlib.h"

#define IRQ_P 1   /* 0x80 */
#define IRQ_EQ 2  /* 0x80 */
#define IRQ_LO 3  /* 0xA0 */
#define IRQ_HI 4  /* 0x60 */
#define IRQ_Z 5   /* 0x00 */
#define IRQ_FM 6  /* sets FAULTMASK in the handler */
#define IRQ_PM 7  /* sets PRIMASK in the handler */

static volatile uint32_t ran[8];
static volatile char seq[16];
static volatile unsigned seq_n;
static void mark(char c)
{
    if (seq_n < sizeof seq - 1)
        seq[seq_n++] = c;
    seq[seq_n] = 0;
}

void IRQ1_Handler(void) { ran[1]++; mark('1'); }
void IRQ2_Handler(void) { ran[2]++; mark('2'); }
void IRQ3_Handler(void) { ran[3]++; mark('3'); }
void IRQ4_Handler(void) { ran[4]++; mark('4'); }
void IRQ5_Handler(void) { ran[5]++; mark('5'); }

static volatile uint32_t fm_in_handler, pm_in_handler;
void IRQ6_Handler(void)
{
    ran[6]++;
    cpu_disable_fault_irq();
    fm_in_handler = cpu_get_faultmask();
}
void IRQ7_Handler(void)
{
    ran[7]++;
    cpu_disable_irq();
    pm_in_handler = cpu_get_primask();
}

static volatile uint32_t pendsv_ran;
void PendSV_Handler(void) { pendsv_ran++; }

static volatile uint32_t u_primask_cps, u_primask_msr, u_faultmask, u_basepri;
static uint32_t unpriv_body(uint32_t arg)
{
    cpu_disable_irq();
    u_primask_cps = cpu_get_primask();
    cpu_set_primask(1);
    u_primask_msr = cpu_get_primask();
    cpu_disable_fault_irq();
    u_faultmask = cpu_get_faultmask();
    cpu_set_basepri(0x40);
    u_basepri = cpu_get_basepri();
    return arg;
}

int main(void)
{
    sh_printf("# primask_basepri\n");
    static const uint8_t prio[8] = { 0, 0x80, 0x80, 0xA0, 0x60, 0x00, 0x80, 0x80 };
    for (unsigned i = 1; i < 8; i++) {
        nvic_set_priority(i, prio[i]);
        nvic_enable(i);
    }

    /* PRIMASK */
    CHECK_EQ(cpu_get_primask(), 0, "PRIMASK = 0 at reset");
    cpu_disable_irq();
    CHECK_EQ(cpu_get_primask(), 1, "cpsid i sets PRIMASK");
    nvic_set_pending(IRQ_P);
    CHECK(ran[1] == 0 && nvic_is_pending(IRQ_P), "PRIMASK blocks a pended IRQ");
    uint32_t icsr = SCB_ICSR;
    CHECK(icsr & ICSR_ISRPENDING, "ICSR.ISRPENDING set while blocked");
    CHECK_EQ(ICSR_VECTPENDING(icsr), EXC_IRQ(IRQ_P), "ICSR.VECTPENDING = the blocked IRQ");
    uint32_t seen;
    __asm__ volatile("cpsie i\n\t"
                     "ldr %0, [%1]\n\t"
                     : "=&r"(seen) : "r"(&ran[1]) : "memory");
    CHECK_EQ(seen, 1, "IRQ taken right after cpsie i (before the next instruction)");
    CHECK(!nvic_is_pending(IRQ_P) && !(SCB_ICSR & ICSR_ISRPENDING), "nothing pending afterwards");

    cpu_set_primask(1);
    nvic_set_pending(IRQ_Z);
    CHECK_EQ(ran[5], 0, "msr PRIMASK=1 blocks even priority 0");
    cpu_set_primask(0);
    CHECK_EQ(ran[5], 1, "msr PRIMASK=0 (+isb) lets it in");

    /* BASEPRI */
    cpu_set_basepri(0x80);
    CHECK_EQ(cpu_get_basepri() & 0xE0u, 0x80, "BASEPRI reads back");
    seq_n = 0;
    nvic_set_pending(IRQ_EQ);
    nvic_set_pending(IRQ_LO);
    CHECK(ran[2] == 0 && ran[3] == 0, "BASEPRI=0x80 blocks priorities 0x80 and 0xA0");
    nvic_set_pending(IRQ_HI);
    CHECK_EQ(ran[4], 1, "BASEPRI=0x80 lets priority 0x60 preempt");
    cpu_set_basepri_max(0xA0);
    CHECK_EQ(cpu_get_basepri() & 0xE0u, 0x80, "BASEPRI_MAX with a lower priority is ignored");
    cpu_set_basepri_max(0x40);
    CHECK_EQ(cpu_get_basepri() & 0xE0u, 0x40, "BASEPRI_MAX with a higher priority raises it");
    cpu_set_basepri_max(0);
    CHECK_EQ(cpu_get_basepri() & 0xE0u, 0x40, "BASEPRI_MAX 0 is ignored");
    nvic_set_pending(IRQ_HI);
    CHECK_EQ(ran[4], 1, "BASEPRI=0x40 now blocks priority 0x60");
    cpu_set_basepri(0);
    CHECK(ran[2] == 1 && ran[3] == 1 && ran[4] == 2, "BASEPRI=0 releases all three");
    {
        int ok = seq_n == 4 && seq[0] == '4' && seq[1] == '4' && seq[2] == '2' && seq[3] == '3';
        CHECK(ok, "released in priority order (0x60, 0x80, 0xA0)");
    }

    /* BASEPRI also masks PendSV */
    scb_set_priority(EXC_PENDSV, 0xC0);
    cpu_set_basepri(0x80);
    SCB_ICSR = ICSR_PENDSVSET;
    cpu_barrier();
    CHECK(pendsv_ran == 0 && (SCB_ICSR & ICSR_PENDSVSET), "BASEPRI=0x80 blocks PendSV at 0xC0");
    cpu_set_basepri(0);
    CHECK_EQ(pendsv_ran, 1, "PendSV runs once BASEPRI is cleared");

    /* FAULTMASK */
    cpu_disable_fault_irq();
    CHECK_EQ(cpu_get_faultmask(), 1, "cpsid f sets FAULTMASK");
    nvic_set_pending(IRQ_Z);
    CHECK_EQ(ran[5], 1, "FAULTMASK blocks priority 0");
    cpu_enable_fault_irq();
    cpu_isb();
    CHECK_EQ(ran[5], 2, "cpsie f lets it in");
    nvic_set_pending(IRQ_FM);
    CHECK(ran[6] == 1 && fm_in_handler == 1, "FAULTMASK set inside a handler");
    CHECK_EQ(cpu_get_faultmask(), 0, "exception return cleared FAULTMASK");
    nvic_set_pending(IRQ_PM);
    CHECK(ran[7] == 1 && pm_in_handler == 1, "PRIMASK set inside a handler");
    CHECK_EQ(cpu_get_primask(), 1, "exception return keeps PRIMASK");
    cpu_enable_irq();

    /* unprivileged code cannot change the masks */
    tl_run_unprivileged(unpriv_body, 0);
    CHECK_EQ(u_primask_cps, 0, "unprivileged cpsid i is ignored");
    CHECK_EQ(u_primask_msr, 0, "unprivileged msr PRIMASK is ignored");
    CHECK_EQ(u_faultmask, 0, "unprivileged cpsid f is ignored");
    CHECK_EQ(u_basepri, 0, "unprivileged msr BASEPRI is ignored");
    CHECK(cpu_get_primask() == 0 && cpu_get_faultmask() == 0 && cpu_get_basepri() == 0,
          "masks still clear in privileged mode");

    /* PRIMASK: a UsageFault cannot be taken and escalates to HardFault */
    SCB_SHCSR |= SHCSR_USGFAULTENA;
    tl_trap_faults(1);
    cpu_disable_irq();
    __asm__ volatile("udf #0" ::: "memory");
    cpu_enable_irq();
    tl_trap_faults(0);
    CHECK_EQ(tl_fault_count, 1, "one fault");
    CHECK_EQ(tl_fault.exc, EXC_HARDFAULT, "UsageFault under PRIMASK escalates to HardFault");
    CHECK(tl_fault.hfsr & HFSR_FORCED, "HFSR.FORCED set");
    CHECK(tl_fault.cfsr & CFSR_UNDEFINSTR, "CFSR.UNDEFINSTR set");

    return tl_done();
}
