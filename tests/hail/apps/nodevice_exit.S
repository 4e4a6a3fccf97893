/*
 * nodevice_exit.S — TEST-ONLY raw app (no libtock): command (svc 2) on a
 * driver number that does not exist must return Failure(NODEVICE), i.e.
 * r0 = 0 and r1 = 11; then exit-terminate (svc 6) with completion code 42
 * if so, else 1000 + r0 (or 2000 + r1 when only r1 was wrong).
 * Position independent: no absolute addresses, entry = first byte.
 */
    .syntax unified
    .cpu cortex-m4
    .thumb
    .text
    .global _start
    .thumb_func
_start:
    movw    r0, #0xBEEF             @ no such driver
    movs    r1, #0
    movs    r2, #0
    movs    r3, #0
    svc     2
    cmp     r0, #0
    bne     bad_r0
    cmp     r1, #11
    bne     bad_r1
    movs    r0, #0                  @ exit-terminate
    movs    r1, #42
    svc     6
bad_r0:
    add     r1, r0, #1000
    movs    r0, #0
    svc     6
bad_r1:
    add     r1, r1, #2000
    movs    r0, #0
    svc     6
