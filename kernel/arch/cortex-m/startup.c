/*
 * startup.c — reset handler and the default exception entry points of the
 * Cortex-M4: copies .data from flash, zeroes .bss, enables the MemManage,
 * BusFault and UsageFault exceptions (so faults arrive with their own
 * vector and are routed like Tock's HardFault), points VTOR at the table and
 * calls the board's main().  The vector table itself is instantiated by the
 * board with ARCH_VECTOR_TABLE(num_irqs) (arch_vectors.h), because only the
 * board knows how many IRQ lines its chip has.  The symbols come from the
 * board's linker script (boards/hail/layout.ld).
 */
#include "cortexm.h"

extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];
extern const uint32_t arch_vectors[];

static void copy_data(void)
{
    const uint32_t *src = _sidata;
    for (uint32_t *d = _sdata; d < _edata; d++)
        *d = *src++;
    for (uint32_t *d = _sbss; d < _ebss; d++)
        *d = 0;
}

__attribute__((noreturn)) void Reset_Handler(void)
{
    copy_data();
    REG32(SCB_VTOR) = (uint32_t)(uintptr_t)arch_vectors;
    REG32(SCB_SHCSR) |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    main();
    for (;;)
        __asm__ volatile("wfi");
}

/* NMI and the reserved/debug vectors: nothing on this board raises them. */
void arch_unused_handler(void)
{
    for (;;)
        __asm__ volatile("nop");
}
