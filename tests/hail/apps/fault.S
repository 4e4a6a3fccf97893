/*
 * fault.S — TEST-ONLY raw app: loads from address 0 (the bootloader's
 * flash, outside the process's MPU regions) and so takes a MemManage
 * fault every time it runs.  Hail's fault policy restarts it 4 times, then
 * the kernel panics.
 */
    .syntax unified
    .cpu cortex-m4
    .thumb
    .text
    .global _start
    .thumb_func
_start:
    movs    r0, #0
    ldr     r1, [r0]
    b       _start
