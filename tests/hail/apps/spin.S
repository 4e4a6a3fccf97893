/*
 * spin.S — TEST-ONLY raw app: never yields.  Only the round-robin
 * timeslice (SysTick) takes the CPU away from it.
 */
    .syntax unified
    .cpu cortex-m4
    .thumb
    .text
    .global _start
    .thumb_func
_start:
    b       _start
