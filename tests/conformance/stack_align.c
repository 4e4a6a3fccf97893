/*
 * stack_align — with CCR.STKALIGN = 1, exception entry with SP = 4 mod 8
 * pushes a 4-byte pad: the frame starts 36 bytes below SP, stacked xPSR
 * bit 9 is set, and the return pops the pad so SP is the same as before;
 * with SP = 0 mod 8 there is no pad.  Tried for SVC and IRQ entry from
 * thread mode on MSP, from unprivileged thread mode on PSP, and for an
 * exception nested in a handler (MSP misaligned in handler mode).
 */
#include "testlib.h"

/* align_svc(misalign, res): SP -= misalign; res[0] = SP; svc #1; res[1] = SP.
 * align_irq(misalign, res, ispr_bit): same, but pends IRQ (bit in ISPR0)
 * with the stack misaligned instead of executing svc. */
void align_svc(uint32_t misalign, uint32_t *res);
void align_irq(uint32_t misalign, uint32_t *res, uint32_t ispr_bit);
__asm__(
    "  .section .text.align_probe,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global align_svc\n"
    "  .type align_svc, %function\n"
    "  .thumb_func\n"
    "align_svc:\n"
    "  push {r4, r5, r6, lr}\n"
    "  mov r4, sp\n"
    "  sub sp, sp, r0\n"
    "  mov r5, sp\n"
    "  str r5, [r1, #0]\n"
    "  svc #1\n"
    "  mov r6, sp\n"
    "  str r6, [r1, #4]\n"
    "  mov sp, r4\n"
    "  pop {r4, r5, r6, pc}\n"
    "  .size align_svc, . - align_svc\n"
    "  .global align_irq\n"
    "  .type align_irq, %function\n"
    "  .thumb_func\n"
    "align_irq:\n"
    "  push {r4, r5, r6, lr}\n"
    "  mov r4, sp\n"
    "  sub sp, sp, r0\n"
    "  mov r5, sp\n"
    "  str r5, [r1, #0]\n"
    "  movw r3, #0xE200\n"
    "  movt r3, #0xE000\n"
    "  str r2, [r3]\n"
    "  dsb\n"
    "  isb\n"
    "  mov r6, sp\n"
    "  str r6, [r1, #4]\n"
    "  mov sp, r4\n"
    "  pop {r4, r5, r6, pc}\n"
    "  .size align_irq, . - align_irq\n"
    "  .text\n");

static volatile uint32_t e_frame, e_xpsr, e_excret, e_count;

static void record(uint32_t *frame, uint32_t exc_return)
{
    e_count++;
    e_frame = (uint32_t)frame;
    e_xpsr = frame[7];
    e_excret = exc_return;
}

TL_FRAME_HANDLER(SVC_Handler, svc_c)
void svc_c(uint32_t *frame, uint32_t exc_return)
{
    if (tl_svc_builtin(frame))
        return;
    record(frame, exc_return);
}

TL_FRAME_HANDLER(IRQ1_Handler, irq1_c)
void irq1_c(uint32_t *frame, uint32_t exc_return) { record(frame, exc_return); }

/* IRQ 2 (low priority) misaligns MSP in handler mode and pends IRQ 1 */
static uint32_t nested_res[2];
static volatile uint32_t nested_misalign;
void IRQ2_Handler(void) { align_irq(nested_misalign, nested_res, 1u << 1); }

static void check_entry(const uint32_t *res, uint32_t misalign, const char *what)
{
    sh_printf("# %s, SP %s\n", what, misalign ? "= 4 mod 8" : "= 0 mod 8");
    CHECK_EQ(res[0] & 7u, misalign, "SP alignment at the exception as intended");
    CHECK_EQ(e_count, 1, "handler ran");
    CHECK_EQ(e_frame & 7u, 0, "frame is 8-byte aligned");
    CHECK_EQ(e_frame, res[0] - 32u - misalign, misalign ? "frame 36 bytes below SP (4-byte pad)"
                                                        : "frame 32 bytes below SP (no pad)");
    CHECK_EQ((e_xpsr >> 9) & 1u, misalign ? 1u : 0u,
             misalign ? "stacked xPSR bit 9 set" : "stacked xPSR bit 9 clear");
    CHECK_EQ(res[1], res[0], "SP after the return = SP before");
}

static uint32_t u_res[2][2];
static uint32_t unpriv_body(uint32_t misalign)
{
    align_svc(misalign, u_res[misalign ? 1 : 0]);
    return 0;
}

int main(void)
{
    uint32_t res[2];

    sh_printf("# stack_align\n");
    CHECK(SCB_CCR & CCR_STKALIGN, "CCR.STKALIGN = 1 at reset");
    SCB_CCR |= CCR_STKALIGN;
    cpu_barrier();
    nvic_set_priority(1, 0x40);
    nvic_set_priority(2, 0x80);
    nvic_enable(1);
    nvic_enable(2);

    for (uint32_t m = 0; m <= 4; m += 4) {
        e_count = 0;
        align_svc(m, res);
        check_entry(res, m, "svc from thread mode on MSP");
        CHECK_EQ(e_excret, 0xFFFFFFF9u, "EXC_RETURN 0xFFFFFFF9");
    }
    for (uint32_t m = 0; m <= 4; m += 4) {
        e_count = 0;
        align_irq(m, res, 1u << 1);
        check_entry(res, m, "IRQ from thread mode on MSP");
    }
    for (uint32_t m = 0; m <= 4; m += 4) {
        e_count = 0;
        tl_run_unprivileged(unpriv_body, m);
        check_entry(u_res[m ? 1 : 0], m, "svc from unprivileged thread mode on PSP");
        CHECK_EQ(e_excret, 0xFFFFFFFDu, "EXC_RETURN 0xFFFFFFFD");
    }
    for (uint32_t m = 0; m <= 4; m += 4) {
        e_count = 0;
        nested_misalign = m;
        nvic_set_pending(2);
        check_entry(nested_res, m, "IRQ nested in a handler, MSP");
        CHECK_EQ(e_excret, 0xFFFFFFF1u, "EXC_RETURN 0xFFFFFFF1");
    }
    return tl_done();
}
