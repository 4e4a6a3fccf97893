/*
 * arch_vectors.h — the Cortex-M vector table, instantiated once by the board
 * (it knows the number of IRQ lines): ARCH_VECTOR_TABLE(BOARD_CPU_NUM_IRQS)
 * places 16 + n entries in section .vectors, which the board's linker script
 * puts at the very start of kernel flash (the address the bootloader — and
 * hailsim's cpu.vtor — jumps through).  Every IRQ goes to the generic
 * handler of switch.S; faults to arch_fault_handler.
 */
#ifndef ARCH_VECTORS_H
#define ARCH_VECTORS_H

#include "cortexm.h"

extern uint32_t _estack[];          /* top of the kernel stack (layout.ld) */
void arch_unused_handler(void);

#define ARCH_VECTOR_TABLE(num_irqs)                                                         \
    __attribute__((section(".vectors"), used))                                              \
    const uint32_t arch_vectors[16 + (num_irqs)] = {                                        \
        [0] = (uint32_t)(uintptr_t)_estack,                                                 \
        [1] = (uint32_t)(uintptr_t)Reset_Handler,                                           \
        [2] = (uint32_t)(uintptr_t)arch_unused_handler,             /* NMI */               \
        [3 ... 6] = (uint32_t)(uintptr_t)arch_fault_handler,        /* Hard/MM/Bus/Usage */ \
        [7 ... 10] = 0,                                                                     \
        [11] = (uint32_t)(uintptr_t)arch_svc_handler,                                       \
        [12] = (uint32_t)(uintptr_t)arch_unused_handler,            /* DebugMonitor */      \
        [13] = 0,                                                                           \
        [14] = (uint32_t)(uintptr_t)arch_unused_handler,            /* PendSV */            \
        [15] = (uint32_t)(uintptr_t)arch_systick_handler,                                   \
        [16 ... 16 + (num_irqs) - 1] = (uint32_t)(uintptr_t)arch_irq_handler,               \
    }

#endif
