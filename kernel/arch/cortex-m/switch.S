/*
 * switch.S — the Cortex-M context switch, exactly like Tock's (tock-abi.md
 * §2): the kernel runs privileged in thread mode on MSP; processes run
 * unprivileged in thread mode on PSP.
 *
 * Kernel -> process: arch_switch_asm(s) loads r4-r11 and PSP from the saved
 * state and executes `svc 0xff`.  The SVC handler sees it came from MSP
 * (EXC_RETURN bit 2 = 0), sets CONTROL.nPRIV and returns with 0xFFFFFFFD:
 * the hardware unstacks the process's frame from PSP.  The frame `svc 0xff`
 * pushed on MSP stays there.
 *
 * Process -> kernel: SVC, SysTick, any IRQ or a fault taken from PSP
 * writes the reason into the r1 slot of that frame left on MSP (the handler's
 * SP points at it: an exception taken from PSP stacks nothing on MSP), clears
 * CONTROL.nPRIV and returns with 0xFFFFFFF9: the hardware unstacks the frame,
 * so the kernel resumes right after its `svc 0xff` with r0 = s and r1 = the
 * reason.  No handler touches r4-r11, which still hold the process's values;
 * the code after the svc saves them and PSP.
 *
 * The generic IRQ handler only masks its line (NVIC ICER) and leaves it
 * pending (ISPR): the chip's service_pending_interrupts() runs the bottom
 * half from the main loop and unmasks.  Faults taken in the kernel (from
 * MSP) go to arch_kernel_fault() (fault.c) with the frame and r4-r11.
 */
    .syntax unified
    .cpu cortex-m4
    .thumb

    .equ SWITCH_SYSCALL,   0        @ enum arch_switch_reason (kernel/arch.h)
    .equ SWITCH_TIMESLICE, 1
    .equ SWITCH_INTERRUPT, 2
    .equ SWITCH_FAULT,     3
    .equ NVIC_ICER, 0xE000E180
    .equ NVIC_ISPR, 0xE000E200
    .equ STATE_PSP, 32              @ offsetof(struct arch_process_state, psp)

@ uint32_t arch_switch_asm(struct arch_process_state *s)
    .section .text.arch_switch_asm, "ax", %progbits
    .global arch_switch_asm
    .type arch_switch_asm, %function
    .thumb_func
arch_switch_asm:
    push    {r4-r12, lr}            @ kernel callee-saved registers (10 words: SP stays 8-aligned)
    ldr     r1, [r0, #STATE_PSP]
    msr     psp, r1
    ldmia   r0, {r4-r11}            @ the process's r4-r11
    svc     0xff                    @ -> arch_svc_handler -> the process
    @ back from the process: r0 = s, r1 = reason (from the MSP frame of the svc)
    stmia   r0, {r4-r11}
    mrs     r2, psp
    str     r2, [r0, #STATE_PSP]
    mov     r0, r1
    pop     {r4-r12, pc}
    .size arch_switch_asm, . - arch_switch_asm

@ Common exit of every handler that interrupted a process: r0 = reason, SP =
@ the kernel's svc frame on MSP (nothing stacked above it: handlers that call
@ C pop what they push before branching here).
    .section .text.arch_to_kernel, "ax", %progbits
    .type arch_to_kernel, %function
    .thumb_func
arch_to_kernel:
    str     r0, [sp, #4]            @ the kernel's r1 after the svc: why it came back
    movs    r0, #0
    msr     control, r0             @ privileged again
    isb
    mvn     lr, #6                  @ EXC_RETURN 0xFFFFFFF9: thread mode, MSP
    bx      lr
    .size arch_to_kernel, . - arch_to_kernel

    .section .text.arch_svc_handler, "ax", %progbits
    .global arch_svc_handler
    .type arch_svc_handler, %function
    .thumb_func
arch_svc_handler:
    tst     lr, #4
    bne     1f
    movs    r0, #1                  @ from the kernel (svc 0xff): drop privilege
    msr     control, r0
    isb
    mvn     lr, #2                  @ EXC_RETURN 0xFFFFFFFD: thread mode, PSP
    bx      lr
1:  movs    r0, #SWITCH_SYSCALL     @ a system call from the process
    b       arch_to_kernel
    .size arch_svc_handler, . - arch_svc_handler

    .section .text.arch_systick_handler, "ax", %progbits
    .global arch_systick_handler
    .type arch_systick_handler, %function
    .thumb_func
arch_systick_handler:
    ldr     r1, =arch_systick_fired
    movs    r0, #1
    str     r0, [r1]
    tst     lr, #4
    it      eq
    bxeq    lr                      @ in the kernel: the flag is enough
    movs    r0, #SWITCH_TIMESLICE
    b       arch_to_kernel
    .size arch_systick_handler, . - arch_systick_handler

    .section .text.arch_irq_handler, "ax", %progbits
    .global arch_irq_handler
    .type arch_irq_handler, %function
    .thumb_func
arch_irq_handler:
    mrs     r0, ipsr
    subs    r0, r0, #16             @ IRQ number
    lsrs    r2, r0, #5              @ NVIC register index
    and     r0, r0, #31
    movs    r1, #1
    lsls    r1, r1, r0              @ bit in that register
    ldr     r3, =NVIC_ICER
    str     r1, [r3, r2, lsl #2]    @ mask the line
    ldr     r3, =NVIC_ISPR
    str     r1, [r3, r2, lsl #2]    @ and leave it pending for the main loop
    tst     lr, #4
    it      eq
    bxeq    lr
    movs    r0, #SWITCH_INTERRUPT
    b       arch_to_kernel
    .size arch_irq_handler, . - arch_irq_handler

@ HardFault, MemManage, BusFault, UsageFault.
    .section .text.arch_fault_handler, "ax", %progbits
    .global arch_fault_handler
    .type arch_fault_handler, %function
    .thumb_func
arch_fault_handler:
    tst     lr, #4
    beq     2f
    mrs     r0, ipsr                @ a process faulted: latch the status registers
    bl      arch_capture_process_fault
    movs    r0, #SWITCH_FAULT
    b       arch_to_kernel
2:  mrs     r0, msp                 @ the kernel faulted: frame, EXC_RETURN, r4-r11
    mov     r1, lr
    push    {r4-r11}
    mov     r2, sp
    bl      arch_kernel_fault       @ does not return
    b       .
    .size arch_fault_handler, . - arch_fault_handler
