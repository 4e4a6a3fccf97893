/*
 * svc_body.h — the SVC round-trip workload, shared by svc_1k.c and svc_1m.c,
 * which only differ in SVC_N (the number of SVC calls) and SVC_NAME.  Two
 * images with different N let bench/run.sh compute the cost of one round
 * trip as (time(1m) - time(1k)) / (N(1m) - N(1k)), start-up and set-up
 * cancelling out.  (The Makefile rebuilds build/bench/NAME.elf when NAME.c
 * changes, not when this header does: touch svc_1k.c svc_1m.c after editing
 * it.  bench/run.sh warns about stale images.)
 *
 * What it does, in the way a Tock-like kernel runs a process:
 *   1. MPU (PMSAv7): region 0 = flash 0x00000000, 512 KiB, read-only and
 *      executable for privileged and unprivileged code; region 1 = RAM
 *      0x20000000, 64 KiB, read/write, execute-never, which holds the process
 *      stack (tl_psp_stack) and data; PRIVDEFENA, so the handler (privileged)
 *      also sees the default memory map (SCS, semihosting buffers).
 *   2. Drops to unprivileged thread mode on PSP (tl_run_unprivileged).
 *   3. There, SVC_N times: r0 = svc #1 (r0 = acc ^ i).  The handler (on MSP)
 *      checks that it came from PSP with `svc #1`, replaces the stacked r0
 *      by r0 * 16777619 + 16777619 and counts the call: 16 instructions.
 *      Anything else (the `svc #0xFF` of tl_run_unprivileged) goes to the
 *      default handler.
 *   4. Back in privileged mode: prints "CHECKSUM NAME acc" (and the count),
 *      exits 0; 1 if the handler's count is not SVC_N.
 */
#ifndef SVC_BODY_H
#define SVC_BODY_H

#include <stdint.h>

#include "testlib.h"

#ifndef SVC_N
#error "define SVC_N (number of SVC calls) before including svc_body.h"
#endif
#ifndef SVC_NAME
#error "define SVC_NAME (workload name, a string) before including svc_body.h"
#endif

volatile uint32_t svc_count;

/* The SVC handler: fast path for `svc #1` from PSP, everything else to the
 * default handler of crt.c (which serves tl_run_unprivileged's svc #0xFF). */
__asm__(
    "  .section .text.SVC_Handler,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global SVC_Handler\n"
    "  .type SVC_Handler, %function\n"
    "  .thumb_func\n"
    "SVC_Handler:\n"
    "  tst lr, #4\n"               /* from MSP: not ours */
    "  beq 1f\n"
    "  mrs r0, psp\n"
    "  ldr r1, [r0, #24]\n"        /* stacked pc (past the svc) */
    "  ldrb r2, [r1, #-2]\n"       /* the svc's immediate */
    "  cmp r2, #1\n"
    "  bne 1f\n"
    "  ldr r2, [r0]\n"             /* stacked r0 ... */
    "  ldr r3, =16777619\n"
    "  mla r2, r2, r3, r3\n"       /* ... r0 * 16777619 + 16777619 */
    "  str r2, [r0]\n"             /* ... is the svc's result */
    "  ldr r1, =svc_count\n"
    "  ldr r2, [r1]\n"
    "  adds r2, #1\n"
    "  str r2, [r1]\n"
    "  bx lr\n"
    "1:\n"
    "  b tl_default_handler\n"
    "  .ltorg\n"
    "  .size SVC_Handler, . - SVC_Handler\n"
    "  .text\n");

static inline uint32_t svc1(uint32_t x)
{
    register uint32_t r0 __asm__("r0") = x;
    __asm__ volatile("svc #1" : "+r"(r0) : : "r1", "r2", "r3", "r12", "memory");
    return r0;
}

/* runs unprivileged, on PSP */
static uint32_t svc_loop(uint32_t n)
{
    uint32_t acc = 0x811C9DC5u;
    for (uint32_t i = 0; i < n; i++)
        acc = svc1(acc ^ i);
    return acc;
}

int main(void)
{
    mpu_set_region(0, 0x00000000u, MPU_RASR_VAL(19, MPU_AP_RO, 0, 0));  /* flash: RO + exec */
    mpu_set_region(1, 0x20000000u, MPU_RASR_VAL(16, MPU_AP_RW, 1, 0));  /* RAM: RW, XN */
    mpu_enable(MPU_CTRL_PRIVDEFENA);

    uint32_t acc = tl_run_unprivileged(svc_loop, SVC_N);

    mpu_disable();
    sh_printf("%s: %u svc round trips, handler count %u\n", SVC_NAME, (unsigned)SVC_N,
              (unsigned)svc_count);
    if (svc_count != SVC_N) {
        sh_printf("%s: FAILED: handler count %u, expected %u\n", SVC_NAME, (unsigned)svc_count,
                  (unsigned)SVC_N);
        return 1;
    }
    sh_printf("CHECKSUM %s %x\n", SVC_NAME, (unsigned)acc);
    return 0;
}

#endif
