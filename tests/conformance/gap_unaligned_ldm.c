/*
 * gap_unaligned_ldm — a KNOWN GAP of hailsim (see docs/conformance.md,
 * "Known gaps"): LDM, STM, LDRD and STRD need a word-aligned address whatever
 * CCR.UNALIGN_TRP says; an unaligned one raises UsageFault UNALIGNED (or a
 * forced HardFault with UNALIGNED in CFSR when USGFAULTENA is clear), with
 * the stacked PC = the faulting instruction, no register written and memory
 * unchanged.  QEMU 7.2 (the reference) implements this; the QEMU 5.0 inside
 * Unicorn 2.0.1 does not, so on hailsim these accesses just happen.  The
 * runner expects this image to FAIL on hailsim (XFAIL) and to pass on QEMU.
 * Aligned LDM/LDRD and an unaligned plain LDR (UNALIGN_TRP = 0) are the
 * controls: they must work without a fault on both.
 */
#include "testlib.h"

uint32_t do_ldm(uint32_t addr);
void do_stm(uint32_t addr);
uint32_t do_ldrd(uint32_t addr);
void do_strd(uint32_t addr);
uint32_t do_ldr(uint32_t addr);
extern char ldm_insn[], stm_insn[], ldrd_insn[], strd_insn[];
__asm__(
    "  .section .text.probes,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global do_ldm, ldm_insn, do_stm, stm_insn, do_ldrd, ldrd_insn\n"
    "  .global do_strd, strd_insn, do_ldr\n"
    /* do_ldm(a): r0 = 55; ldm a, {r0, r1}; return r0 + r1 (55 if it faulted) */
    "  .type do_ldm, %function\n"
    "  .thumb_func\n"
    "do_ldm:\n"
    "  mov r2, r0\n"
    "  movs r0, #55\n"
    "  movs r1, #0\n"
    "ldm_insn:\n"
    "  ldm.w r2, {r0, r1}\n"
    "  add r0, r0, r1\n"
    "  bx lr\n"
    /* do_stm(a): stm a, {r1, r2} with r1 = 0x11111111, r2 = 0x22222222 */
    "  .type do_stm, %function\n"
    "  .thumb_func\n"
    "do_stm:\n"
    "  ldr r1, =0x11111111\n"
    "  ldr r2, =0x22222222\n"
    "stm_insn:\n"
    "  stm.w r0, {r1, r2}\n"
    "  bx lr\n"
    /* do_ldrd(a): r2 = 55, r3 = 0; ldrd r2, r3, [a]; return r2 + r3 */
    "  .type do_ldrd, %function\n"
    "  .thumb_func\n"
    "do_ldrd:\n"
    "  movs r2, #55\n"
    "  movs r3, #0\n"
    "ldrd_insn:\n"
    "  ldrd r2, r3, [r0]\n"
    "  add r0, r2, r3\n"
    "  bx lr\n"
    /* do_strd(a): strd r2, r3, [a] with r2 = 0x33333333, r3 = 0x44444444 */
    "  .type do_strd, %function\n"
    "  .thumb_func\n"
    "do_strd:\n"
    "  ldr r2, =0x33333333\n"
    "  ldr r3, =0x44444444\n"
    "strd_insn:\n"
    "  strd r2, r3, [r0]\n"
    "  bx lr\n"
    "  .type do_ldr, %function\n"
    "  .thumb_func\n"
    "do_ldr:\n"
    "  ldr r0, [r0]\n"
    "  bx lr\n"
    "  .ltorg\n"
    "  .text\n");

static uint32_t buf[8] __attribute__((aligned(32)));
static volatile uint32_t result;

static void fill(void)
{
    for (unsigned i = 0; i < 8; i++)
        buf[i] = 0x01010101u * (i + 1);
}

static int unchanged(void)
{
    for (unsigned i = 0; i < 8; i++)
        if (buf[i] != 0x01010101u * (i + 1))
            return 0;
    return 1;
}

static void check_unaligned(uint32_t exc, uint32_t pc, const char *what)
{
    CHECKF(tl_fault_count == 1, "%s: one fault", what);
    CHECKF(tl_fault.exc == exc, "%s: exception %s", what,
           exc == EXC_HARDFAULT ? "HardFault" : "UsageFault");
    CHECKF(!!(tl_fault.hfsr & HFSR_FORCED) == (exc == EXC_HARDFAULT), "%s: HFSR.FORCED %s", what,
           exc == EXC_HARDFAULT ? "set" : "clear");
    CHECKF(tl_fault.cfsr == CFSR_UNALIGNED, "%s: CFSR = UNALIGNED", what);
    CHECKF(tl_fault.frame[6] == pc, "%s: stacked PC = the faulting instruction", what);
}

int main(void)
{
    sh_printf("# gap_unaligned_ldm\n");
    scb_set_priority(EXC_USAGEFAULT, 0x80);
    CHECK_EQ(SCB_CCR & CCR_UNALIGN_TRP, 0, "CCR.UNALIGN_TRP clear");

    /* controls: aligned LDM/LDRD and an unaligned LDR work */
    fill();
    tl_trap_faults(1);
    uint32_t a = do_ldm((uint32_t)&buf[2]);
    uint32_t b = do_ldrd((uint32_t)&buf[4]);
    uint32_t c = do_ldr((uint32_t)buf + 2u);
    tl_trap_faults(0);
    CHECK_EQ(tl_fault_count, 0, "aligned LDM/LDRD, unaligned LDR: no fault");
    CHECK_EQ(a, 0x03030303u + 0x04040404u, "aligned LDM loads both words");
    CHECK_EQ(b, 0x05050505u + 0x06060606u, "aligned LDRD loads both words");
    CHECK_EQ(c, 0x02020101u, "unaligned LDR loads the little-endian word");

    /* USGFAULTENA = 0: forced HardFault */
    fill();
    tl_trap_faults(1);
    result = do_ldm((uint32_t)buf + 2u);
    tl_trap_faults(0);
    check_unaligned(EXC_HARDFAULT, (uint32_t)ldm_insn, "unaligned LDM, USGFAULTENA=0");
    CHECK_EQ(result, 55, "faulting LDM wrote no register");

    SCB_SHCSR |= SHCSR_USGFAULTENA;
    cpu_barrier();
    tl_trap_faults(1);
    result = do_ldm((uint32_t)buf + 2u);
    tl_trap_faults(0);
    check_unaligned(EXC_USAGEFAULT, (uint32_t)ldm_insn, "unaligned LDM");
    CHECK_EQ(result, 55, "faulting LDM wrote no register");

    tl_trap_faults(1);
    do_stm((uint32_t)buf + 6u);
    tl_trap_faults(0);
    check_unaligned(EXC_USAGEFAULT, (uint32_t)stm_insn, "unaligned STM");
    CHECK(unchanged(), "faulting STM left memory unchanged");

    tl_trap_faults(1);
    result = do_ldrd((uint32_t)buf + 2u);
    tl_trap_faults(0);
    check_unaligned(EXC_USAGEFAULT, (uint32_t)ldrd_insn, "unaligned LDRD");
    CHECK_EQ(result, 55, "faulting LDRD wrote no register");

    tl_trap_faults(1);
    do_strd((uint32_t)buf + 10u);
    tl_trap_faults(0);
    check_unaligned(EXC_USAGEFAULT, (uint32_t)strd_insn, "unaligned STRD");
    CHECK(unchanged(), "faulting STRD left memory unchanged");

    CHECK_EQ(SCB_CFSR | SCB_HFSR, 0, "status registers cleared by writing ones");
    return tl_done();
}
