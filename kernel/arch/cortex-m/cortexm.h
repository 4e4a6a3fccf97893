/*
 * cortexm.h — ARMv7-M system registers and what the Cortex-M architecture
 * layer (kernel/arch/cortex-m/) offers beyond kernel/arch.h: the NVIC
 * helpers the chip layer uses to service interrupts, the exception entry
 * points for the vector table (startup.c, switch.S), and the record of a
 * fault taken by the kernel itself (for the board's crash report).
 */
#ifndef CORTEXM_H
#define CORTEXM_H

#include <stdbool.h>
#include <stdint.h>

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* System control space (ARMv7-M ARM, B3). */
#define SYST_CSR   0xE000E010u
#define SYST_RVR   0xE000E014u
#define SYST_CVR   0xE000E018u
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16)
#define NVIC_ISER  0xE000E100u
#define NVIC_ICER  0xE000E180u
#define NVIC_ISPR  0xE000E200u
#define NVIC_ICPR  0xE000E280u
#define SCB_VTOR   0xE000ED08u
#define SCB_SCR    0xE000ED10u
#define SCB_CCR    0xE000ED14u
#define SCB_SHCSR  0xE000ED24u
#define SCB_CFSR   0xE000ED28u
#define SCB_HFSR   0xE000ED2Cu
#define SCB_MMFAR  0xE000ED34u
#define SCB_BFAR   0xE000ED38u
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)

/* Exception numbers. */
enum { EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4, EXC_BUSFAULT = 5, EXC_USAGEFAULT = 6, EXC_SVCALL = 11,
       EXC_SYSTICK = 15, EXC_IRQ0 = 16 };

/* Core clock (SysTick's rate) and the SRAM the process frames may lie in;
 * called by the board before anything else. */
void arch_setup(uint32_t core_hz, uint32_t ram_lo, uint32_t ram_hi);

/* ---- NVIC (cpu.c) ---------------------------------------------------------------- */
void nvic_enable(unsigned irq);
void nvic_disable(unsigned irq);
void nvic_clear_pending(unsigned irq);
bool nvic_is_pending(unsigned irq);
bool nvic_is_enabled(unsigned irq);
/* Lowest IRQ that is pending but masked in the NVIC (its top half ran), or -1. */
int nvic_next_masked_pending(unsigned num_irqs);

/* ---- the fault the kernel itself took (fault.c) --------------------------------- */
struct arch_kernel_fault {
    uint32_t exc;                       /* exception number (3..6) */
    uint32_t r[4], r12, lr, pc, xpsr;   /* the stacked frame */
    uint32_t r4_r11[8], sp, exc_return;
    uint32_t cfsr, hfsr, mmfar, bfar;   /* MMFAR/BFAR are 0 unless valid */
};
extern struct arch_kernel_fault arch_kfault;
extern volatile bool arch_kfault_valid;
/* Called from switch.S with the MSP frame; records it and panics. */
void arch_kernel_fault(uint32_t *frame, uint32_t exc_return, const uint32_t *r4_r11)
    __attribute__((noreturn));
/* Called from switch.S on a fault taken in a process: latches CFSR/HFSR/
 * MMFAR/BFAR for arch_last_fault() and clears the sticky status bits. */
void arch_capture_process_fault(uint32_t exc);
/* What the kernel calls on a fault of its own; weak default spins. The
 * board's version prints the crash report (kernel_panic). */
void arch_kernel_fault_panic(void) __attribute__((noreturn));

/* ---- start-up (startup.c) and exception entry points (switch.S) --------------- */
void Reset_Handler(void) __attribute__((noreturn));
void arch_svc_handler(void);
void arch_systick_handler(void);
void arch_irq_handler(void);
void arch_fault_handler(void);
extern volatile uint32_t arch_systick_fired;
/* The board's entry point, called by the reset handler. */
int main(void);

#endif
