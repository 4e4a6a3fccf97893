/*
 * crt.c — start-up code for the bare-metal images: vector table, reset
 * handler, default (weak) exception handler with optional fault trapping,
 * and the unprivileged-mode trampoline.  The API is documented in testlib.h.
 */
#include <stdint.h>
#include "testlib.h"

/* ---- default handler ------------------------------------------------------ */
void tl_exception(uint32_t *frame, uint32_t exc_return);

/* Passes the stacked frame (MSP or PSP, from EXC_RETURN bit 2) and the
 * EXC_RETURN value to tl_exception(). */
__attribute__((naked)) void tl_default_handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "push {r4, lr}\n\t"
        "bl tl_exception\n\t"
        "pop {r4, pc}\n\t");
}

#define TL_WEAK_ALIAS(name) \
    void name(void) __attribute__((weak, alias("tl_default_handler")));
TL_WEAK_ALIAS(NMI_Handler)
TL_WEAK_ALIAS(HardFault_Handler)
TL_WEAK_ALIAS(MemManage_Handler)
TL_WEAK_ALIAS(BusFault_Handler)
TL_WEAK_ALIAS(UsageFault_Handler)
TL_WEAK_ALIAS(SVC_Handler)
TL_WEAK_ALIAS(DebugMon_Handler)
TL_WEAK_ALIAS(PendSV_Handler)
TL_WEAK_ALIAS(SysTick_Handler)
#define TL_WEAK_IRQ(n) TL_WEAK_ALIAS(IRQ##n##_Handler)
TL_IRQ_LIST(TL_WEAK_IRQ)

typedef void (*tl_vector)(void);
#define TL_VEC_IRQ(n) IRQ##n##_Handler,

__attribute__((section(".vectors"), used))
const tl_vector tl_vectors[16 + TL_NUM_IRQS] = {
    (tl_vector)(uintptr_t)__stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    TL_IRQ_LIST(TL_VEC_IRQ)
};

/* ---- reset ------------------------------------------------------------------ */
void Reset_Handler(void)
{
    uint32_t *src = __data_load, *dst = __data_start;
    while (dst < __data_end)
        *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; dst++)
        *dst = 0;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    sh_exit(main());
}

/* ---- fault trapping ----------------------------------------------------------- */
volatile struct tl_fault_info tl_fault;
volatile uint32_t tl_fault_count;
static volatile int tl_trap_enabled;

void tl_trap_faults(int enable)
{
    if (!enable) {
        tl_trap_enabled = 0;
        return;                         /* keep the last record for inspection */
    }
    tl_fault_count = 0;
    tl_fault.exc = tl_fault.cfsr = tl_fault.hfsr = 0;
    tl_fault.mmfar = tl_fault.bfar = tl_fault.exc_return = 0;
    for (int i = 0; i < 8; i++)
        tl_fault.frame[i] = 0;
    tl_trap_enabled = 1;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

static void tl_trap(uint32_t *frame, uint32_t exc_return, uint32_t exc)
{
    uint32_t cfsr = SCB_CFSR, hfsr = SCB_HFSR;
    tl_fault.exc = exc;
    tl_fault.cfsr = cfsr;
    tl_fault.hfsr = hfsr;
    tl_fault.mmfar = SCB_MMFAR;
    tl_fault.bfar = SCB_BFAR;
    for (int i = 0; i < 8; i++)
        tl_fault.frame[i] = frame[i];
    tl_fault.exc_return = exc_return;
    tl_fault_count++;

    if (exc == EXC_HARDFAULT && cfsr == 0 && (hfsr & HFSR_FORCED)) {
        /* escalated SVC (or BKPT): the stacked PC is already past it */
    } else if (cfsr & CFSR_IMPRECISERR) {
        /* imprecise BusFault: the stacked PC is already past the access */
    } else if (cfsr & (CFSR_IACCVIOL | CFSR_IBUSERR | CFSR_INVSTATE)) {
        /* could not execute at the stacked PC: "return" from the call */
        frame[6] = frame[5] & ~1u;
        frame[7] |= 1u << 24;          /* Thumb state */
    } else {
        uint16_t hw = *(volatile uint16_t *)(uintptr_t)(frame[6] & ~1u);
        frame[6] += ((hw & 0xF800u) >= 0xE800u) ? 4u : 2u;
    }
    SCB_CFSR = cfsr;                   /* write one to clear */
    SCB_HFSR = hfsr;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

int tl_svc_builtin(uint32_t *frame)
{
    uint16_t insn = *(volatile uint16_t *)(uintptr_t)(frame[6] - 2u);
    if ((insn & 0xFF00u) == 0xDF00u && (insn & 0xFFu) == TL_SVC_TO_PRIVILEGED) {
        uint32_t c;
        __asm__ volatile("mrs %0, control" : "=r"(c));
        c &= ~1u;                      /* nPRIV = 0 */
        __asm__ volatile("msr control, %0\n\tisb" : : "r"(c) : "memory");
        return 1;
    }
    return 0;
}

void tl_exception(uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr &= 0x1FFu;
    if (ipsr == EXC_SVCALL && tl_svc_builtin(frame))
        return;
    if (tl_trap_enabled && ipsr >= EXC_HARDFAULT && ipsr <= EXC_USAGEFAULT) {
        tl_trap(frame, exc_return, ipsr);
        return;
    }
    sh_printf("unexpected exception %u at pc 0x%x\n", (unsigned)ipsr, (unsigned)frame[6]);
    sh_printf("RESULT: FAIL (unexpected exception)\n");
    sh_exit(99);
}

/* ---- unprivileged trampoline ------------------------------------------------------ */
uint64_t tl_psp_stack[256];            /* 2 KiB, 8-byte aligned */

__attribute__((naked)) uint32_t tl_run_unprivileged(uint32_t (*fn)(uint32_t), uint32_t arg)
{
    (void)fn;
    (void)arg;
    __asm__ volatile(
        "push {r4, lr}\n\t"
        "movw r2, #:lower16:tl_psp_stack+2048\n\t"
        "movt r2, #:upper16:tl_psp_stack+2048\n\t"
        "msr psp, r2\n\t"
        "mrs r3, control\n\t"
        "orr r3, r3, #3\n\t"          /* SPSEL = 1 (PSP), nPRIV = 1 */
        "msr control, r3\n\t"
        "isb\n\t"
        "mov r3, r0\n\t"
        "mov r0, r1\n\t"
        "blx r3\n\t"
        "svc #0xFF\n\t"               /* back to privileged (tl_svc_builtin) */
        "mrs r3, control\n\t"
        "bic r3, r3, #3\n\t"          /* back to MSP */
        "msr control, r3\n\t"
        "isb\n\t"
        "pop {r4, pc}\n\t");
}
