/*
 * fault.c — a fault taken by the kernel itself (HardFault, MemManage,
 * BusFault or UsageFault from MSP): switch.S hands over the stacked frame,
 * EXC_RETURN and r4-r11; they are recorded in arch_kfault (with CFSR, HFSR
 * and MMFAR/BFAR when valid) for the board's crash report, then the kernel
 * panics through arch_kernel_fault_panic() — the board's, or this weak
 * default that just stops.
 */
#include "cortexm.h"

struct arch_kernel_fault arch_kfault;
volatile bool arch_kfault_valid;

__attribute__((weak, noreturn)) void arch_kernel_fault_panic(void)
{
    for (;;)
        __asm__ volatile("bkpt #0");
}

void arch_kernel_fault(uint32_t *frame, uint32_t exc_return, const uint32_t *r4_r11)
{
    struct arch_kernel_fault *k = &arch_kfault;
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    k->exc = ipsr & 0x1FFu;
    for (int i = 0; i < 4; i++)
        k->r[i] = frame[i];
    k->r12 = frame[4];
    k->lr = frame[5];
    k->pc = frame[6];
    k->xpsr = frame[7];
    for (int i = 0; i < 8; i++)
        k->r4_r11[i] = r4_r11[i];
    k->sp = (uint32_t)(uintptr_t)frame + 32u + (k->xpsr & (1u << 9) ? 4u : 0u);   /* + alignment pad */
    k->exc_return = exc_return;
    k->cfsr = REG32(SCB_CFSR);
    k->hfsr = REG32(SCB_HFSR);
    k->mmfar = k->cfsr & CFSR_MMARVALID ? REG32(SCB_MMFAR) : 0;
    k->bfar = k->cfsr & CFSR_BFARVALID ? REG32(SCB_BFAR) : 0;
    arch_kfault_valid = true;
    arch_kernel_fault_panic();
}
