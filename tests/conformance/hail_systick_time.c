/*
 * hail_systick_time — Hail-only (hailsim counts 1 cycle per instruction;
 * QEMU does not, and has no DWT): DWT CYCCNT advances by exactly one per
 * executed instruction over straight-line code, holds while disabled, and
 * SysTick with RVR = N and CLKSOURCE = 1 wraps every N + 1 cycles (first
 * wrap N + 1 cycles after enabling from CVR = 0), measured with CYCCNT at
 * handler entry with a window for the exception entry (12) / return (10)
 * latency.  Prints only pass/fail, never the numbers.
 */
#include "testlib.h"

/* cyc_N(): reads CYCCNT, runs N simple instructions, reads it again, and
 * returns the difference. */
uint32_t cyc_0(void);
uint32_t cyc_10(void);
uint32_t cyc_40(void);
#define SIMPLE10 \
    "  adds r0, r0, #1\n  eors r0, r0, r2\n  movs r0, #3\n  lsls r0, r0, #2\n  nop\n" \
    "  subs r0, r0, #1\n  orrs r0, r0, r2\n  mov r12, r0\n  ands r0, r0, r2\n  nop\n"
__asm__(
    "  .section .text.cyc,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global cyc_0, cyc_10, cyc_40\n"
    "  .type cyc_0, %function\n"
    "  .thumb_func\n"
    "cyc_0:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, [r1]\n"
    "  ldr r3, [r1]\n"
    "  subs r0, r3, r2\n"
    "  bx lr\n"
    "  .type cyc_10, %function\n"
    "  .thumb_func\n"
    "cyc_10:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, [r1]\n"
    SIMPLE10
    "  ldr r3, [r1]\n"
    "  subs r0, r3, r2\n"
    "  bx lr\n"
    "  .type cyc_40, %function\n"
    "  .thumb_func\n"
    "cyc_40:\n"
    "  ldr r1, =0xE0001004\n"
    "  ldr r2, [r1]\n"
    SIMPLE10 SIMPLE10 SIMPLE10 SIMPLE10
    "  ldr r3, [r1]\n"
    "  subs r0, r3, r2\n"
    "  bx lr\n"
    "  .ltorg\n"
    "  .text\n");

#define N 999u
#define WRAPS 50u
#define WINDOW 24u

static volatile uint32_t ticks, t_first, t_last;
void SysTick_Handler(void)
{
    uint32_t now = DWT_CYCCNT;
    ticks++;
    if (ticks == 1)
        t_first = now;
    if (ticks == 1 + WRAPS) {
        t_last = now;
        SYST_CSR = SYST_CSR_CLKSOURCE;
    }
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

    uint32_t d0 = cyc_0(), d10 = cyc_10(), d40 = cyc_40();
    CHECK(d0 <= 2, "back-to-back CYCCNT reads differ by at most 2");
    CHECK_EQ(d10 - d0, 10, "10 simple instructions: CYCCNT +10 exactly");
    CHECK_EQ(d40 - d0, 40, "40 simple instructions: CYCCNT +40 exactly");
    CHECK_EQ(cyc_40() - cyc_0(), 40, "repeatable");

    DWT_CTRL &= ~DWT_CTRL_CYCCNTENA;
    cpu_barrier();
    a = DWT_CYCCNT;
    for (volatile int i = 0; i < 10; i++) { }
    b = DWT_CYCCNT;
    CHECK_EQ(b, a, "CYCCNT holds when disabled");
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
    cpu_barrier();

    /* SysTick period in cycles */
    SYST_CSR = SYST_CSR_CLKSOURCE;
    SYST_RVR = N;
    SYST_CVR = 0;
    ticks = 0;
    uint32_t t0 = DWT_CYCCNT;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    for (uint32_t i = 0; i < 10000000u && ticks < 1 + WRAPS; i++)
        cpu_nop();
    CHECK_EQ(ticks, 1 + WRAPS, "SysTick handler ran 51 times");
    uint32_t first = t_first - t0;
    CHECK(first >= N + 1 && first <= N + 1 + WINDOW,
          "first wrap N+1 cycles after enabling (within the entry-latency window)");
    uint32_t span = t_last - t_first, want = WRAPS * (N + 1);
    CHECK(span + WINDOW >= want && span <= want + WINDOW,
          "50 further wraps take 50*(N+1) cycles (+-24)");
    return tl_done();
}
