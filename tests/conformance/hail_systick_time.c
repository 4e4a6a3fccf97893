/*
 * hail_systick_time — Hail-only (QEMU has no DWT and no instruction-counted
 * time): hailsim's virtual-time model, checked exactly.  The model (see
 * docs/conformance.md, "hailsim's time model"): time advances one cycle per
 * executed instruction, added for a whole translated block when the block
 * starts; exception entry costs 12 cycles, return 10, tail-chain 6; a timer
 * register access (CYCCNT, SysTick) inside a block sees the block's start
 * time + 1 for the first access (read or write) in that block, + 2 for the
 * second, ...
 *
 * So every timed piece of code is written in assembly (the compiler cannot
 * change it) and arranged so that the block structure is known: loops whose
 * iterations are blocks of a known number of instructions (one of them a
 * 32-bit one: the count is per instruction, not per halfword or per block),
 * measured for two iteration counts, and SysTick interrupts taken from a
 * one-instruction `b .` loop (every cycle is a block boundary, so the
 * exception is taken on the exact cycle the counter wraps) or from WFI.
 * Prints only pass/fail, never the numbers.
 */
#include "testlib.h"

/* cyc_pair(): two CYCCNT reads in one block, returns the difference.
 * cyc_loop4(k): CYCCNT before and after k iterations of a 4-instruction
 * loop body (adds, eor.w, subs, bne), returns the difference (k >= 1).
 * cyc_loop7(k): the same with a 7-instruction body.
 * Model: cyc_loop4(k) = 4k + 2: the first read is the entry block's start
 * + 1 (that block is ldr, ldr + the first iteration, 2 + 4 instructions),
 * the second the exit block's start + 1, so the difference is the 2 + 4k
 * instructions in between; cyc_loop7(k) = 7k + 2. */
uint32_t cyc_pair(void);
uint32_t cyc_loop4(uint32_t k);
uint32_t cyc_loop7(uint32_t k);
/* systick_spin(csr) / systick_wfi(csr): read CYCCNT (returned), write csr to
 * SYST_CSR in the same block (one cycle later), then wait in `b .` (or in
 * `wfi; b`) until SysTick_Handler sends the thread to spin_exit / wfi_exit. */
uint32_t systick_spin(uint32_t csr);
uint32_t systick_wfi(uint32_t csr);
/* svc_timed(): t[0] = CYCCNT before `svc`, t[1] in the SVC handler's first
 * block, t[2] in the block after the return. */
void svc_timed(void);
extern char spin_exit[], wfi_exit[];
volatile uint32_t svc_t[3];
__asm__(
    "  .section .text.timed,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global cyc_pair, cyc_loop4, cyc_loop7, systick_spin, systick_wfi, spin_exit, wfi_exit\n"
    "  .global svc_timed, SVC_Handler, SysTick_Handler\n"
    "  .balign 16\n"
    "  .type cyc_pair, %function\n"
    "  .thumb_func\n"
    "cyc_pair:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, [r1]\n"
    "  ldr r3, [r1]\n"
    "  subs r0, r3, r2\n"
    "  bx lr\n"
    "  .balign 16\n"
    "  .type cyc_loop4, %function\n"
    "  .thumb_func\n"
    "cyc_loop4:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, [r1]\n"
    "1:\n"
    "  adds r3, r3, #1\n"
    "  eor.w r3, r3, r2\n"
    "  subs r0, r0, #1\n"
    "  bne 1b\n"
    "  ldr r3, [r1]\n"
    "  subs r0, r3, r2\n"
    "  bx lr\n"
    "  .balign 16\n"
    "  .type cyc_loop7, %function\n"
    "  .thumb_func\n"
    "cyc_loop7:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, [r1]\n"
    "1:\n"
    "  adds r3, r3, #1\n"
    "  mov.w r12, #5\n"
    "  lsls r3, r3, #1\n"
    "  add.w r3, r3, r12\n"
    "  nop\n"
    "  subs r0, r0, #1\n"
    "  bne 1b\n"
    "  ldr r3, [r1]\n"
    "  subs r0, r3, r2\n"
    "  bx lr\n"
    "  .balign 16\n"
    "  .type systick_spin, %function\n"
    "  .thumb_func\n"
    "systick_spin:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, =0xE000E010\n"
    "  ldr r3, [r1]\n"          /* t0: block start + 1 */
    "  str r0, [r2]\n"          /* enable: block start + 2 */
    "2:\n"
    "  b 2b\n"                  /* one-instruction blocks */
    "spin_exit:\n"
    "  mov r0, r3\n"
    "  bx lr\n"
    "  .balign 16\n"
    "  .type systick_wfi, %function\n"
    "  .thumb_func\n"
    "systick_wfi:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, =0xE000E010\n"
    "  ldr r3, [r1]\n"
    "  str r0, [r2]\n"
    "3:\n"
    "  wfi\n"
    "  b 3b\n"
    "wfi_exit:\n"
    "  mov r0, r3\n"
    "  bx lr\n"
    "  .balign 16\n"
    "  .type svc_timed, %function\n"
    "  .thumb_func\n"
    "svc_timed:\n"              /* entry block: push, ldr, ldr, ldr, str, svc */
    "  push {r4, lr}\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r4, =svc_t\n"
    "  ldr r2, [r1]\n"          /* the block's start + 1 */
    "  str r2, [r4]\n"
    "  svc #1\n"
    "  ldr r2, [r1]\n"          /* r1 survives (restored from the frame) */
    "  str r2, [r4, #8]\n"
    "  pop {r4, pc}\n"
    "  .balign 16\n"
    "  .type SVC_Handler, %function\n"
    "  .thumb_func\n"
    "SVC_Handler:\n"            /* one block: ldr, ldr, ldr, str, bx */
    "  ldr r1, =0xE0001004\n"
    "  ldr r0, [r1]\n"          /* the block's start + 1 */
    "  ldr r1, =svc_t\n"
    "  str r0, [r1, #4]\n"
    "  bx lr\n"
    "  .balign 16\n"
    "  .type SysTick_Handler, %function\n"
    "  .thumb_func\n"
    "SysTick_Handler:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r0, [r1]\n"          /* entry + 1: the first timer access of the first block */
    "  mov r1, sp\n"            /* the frame: thread mode runs on MSP here */
    "  push {r4, lr}\n"
    "  bl systick_c\n"
    "  pop {r4, pc}\n"
    "  .ltorg\n"
    "  .text\n");

#define WRAPS 20u
static volatile uint32_t ticks, tick_at[1 + WRAPS], exit_pc;

void systick_c(uint32_t now, uint32_t *frame);
void systick_c(uint32_t now, uint32_t *frame)
{
    if (ticks <= WRAPS)
        tick_at[ticks] = now;
    if (++ticks == 1 + WRAPS) {
        SYST_CSR = SYST_CSR_CLKSOURCE;       /* stop */
        frame[6] = exit_pc;                  /* leave the waiting loop */
    }
}

/* one SysTick run with RVR = n: the first wrap n + 1 cycles after the
 * enabling write, then one wrap every n + 1 cycles, exactly */
static void systick_period(uint32_t n, int use_wfi)
{
    const char *how = use_wfi ? "wfi" : "b .";
    SYST_CSR = SYST_CSR_CLKSOURCE;
    SYST_RVR = n;
    SYST_CVR = 0;
    ticks = 0;
    exit_pc = (uint32_t)(use_wfi ? wfi_exit : spin_exit) & ~1u;
    uint32_t csr = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    uint32_t t0 = use_wfi ? systick_wfi(csr) : systick_spin(csr);
    CHECKF(ticks == 1 + WRAPS, "RVR=%u (%s): the handler ran %u times", (unsigned)n, how,
           (unsigned)(1 + WRAPS));
    /* the enabling write is the block's second timer access (t0 + 1), the
     * first wrap n + 1 cycles later, entry 12, the handler's read + 1 */
    CHECKF(tick_at[0] - t0 == 1 + (n + 1) + 12 + 1,
           "RVR=%u (%s): first wrap n+1 cycles after enabling (+ entry 12)", (unsigned)n, how);
    uint32_t lo = 0xFFFFFFFFu, hi = 0;
    for (unsigned i = 1; i <= WRAPS; i++) {
        uint32_t d = tick_at[i] - tick_at[i - 1];
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    CHECKF(lo == n + 1 && hi == n + 1, "RVR=%u (%s): every further wrap exactly n+1 cycles later",
           (unsigned)n, how);
}

int main(void)
{
    sh_printf("# hail_systick_time\n");
    DEMCR |= DEMCR_TRCENA;
    DWT_CYCCNT = 0;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
    cpu_barrier();

    uint32_t a = DWT_CYCCNT;
    for (volatile int i = 0; i < 10; i++) { }
    uint32_t b = DWT_CYCCNT;
    CHECK(b > a, "CYCCNT counts when enabled");

    CHECK_EQ(cyc_pair(), 1, "two CYCCNT reads in one block differ by exactly 1");
    uint32_t p10 = cyc_loop4(10), p100 = cyc_loop4(100);
    CHECK_EQ(p100 - p10, 90u * 4u, "4-instruction loop, 100 vs 10 iterations: +360 cycles exactly");
    CHECK_EQ(p10, 4u * 10u + 2u, "4-instruction loop, 10 iterations: 42 cycles (block model)");
    uint32_t q3 = cyc_loop7(3), q50 = cyc_loop7(50);
    CHECK_EQ(q50 - q3, 47u * 7u, "7-instruction loop, 50 vs 3 iterations: +329 cycles exactly");
    CHECK_EQ(q3, 7u * 3u + 2u, "7-instruction loop, 3 iterations: 23 cycles (block model)");
    CHECK(cyc_loop4(100) == p100 && cyc_loop7(50) == q50 && cyc_pair() == 1, "repeatable");

    svc_timed();
    /* both reads are their block's start + 1, so the difference is the length
     * of the svc block (6 instructions) + the entry latency */
    CHECK_EQ(svc_t[1] - svc_t[0], 6u + 12u, "SVC entry costs 12 cycles");
    /* the handler's block (5 instructions) + the return latency */
    CHECK_EQ(svc_t[2] - svc_t[1], 5u + 10u, "exception return costs 10 cycles");

    DWT_CTRL &= ~DWT_CTRL_CYCCNTENA;
    cpu_barrier();
    a = DWT_CYCCNT;
    for (volatile int i = 0; i < 10; i++) { }
    b = DWT_CYCCNT;
    CHECK_EQ(b, a, "CYCCNT holds when disabled");
    DWT_CYCCNT = 12345;
    CHECK_EQ(DWT_CYCCNT, 12345, "CYCCNT write sets it (disabled)");
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
    cpu_barrier();

    systick_period(999, 0);
    systick_period(1233, 0);
    systick_period(4999, 1);
    return tl_done();
}
