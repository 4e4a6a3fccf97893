/*
 * fault_escalation — configurable faults and their escalation to HardFault:
 * MemManage (MPU AP=0) with SHCSR.MEMFAULTENA clear -> HardFault with
 * HFSR.FORCED and the MemManage status still in CFSR; UDF -> UsageFault
 * UNDEFINSTR when USGFAULTENA, HardFault FORCED when not; SDIV/UDIV by zero
 * -> 0 without CCR.DIV_0_TRP, UsageFault DIVBYZERO with it; BLX to an even
 * address -> UsageFault INVSTATE; a load from 0x60000000 (unmapped on the Hail and on QEMU's mps2-an386) ->
 * BusFault PRECISERR + BFARVALID with BFAR, or HardFault FORCED when
 * BUSFAULTENA is clear; a fault inside a handler whose priority is higher
 * than the fault's -> HardFault FORCED.  The stacked PC is always the
 * faulting instruction, and execution goes on after it (the handler skips
 * it).
 */
#include "testlib.h"

#define UNMAPPED_BUS 0x60000000u

uint32_t probe_read(uint32_t addr);
uint32_t do_udf(void);
int32_t do_sdiv(int32_t a, int32_t b);
uint32_t do_udiv(uint32_t a, uint32_t b);
extern char probe_read_insn[], udf_insn[], sdiv_insn[], udiv_insn[];
__asm__(
    "  .section .text.probes,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global probe_read, probe_read_insn, do_udf, udf_insn, do_sdiv, sdiv_insn\n"
    "  .global do_udiv, udiv_insn\n"
    "  .type probe_read, %function\n"
    "  .thumb_func\n"
    "probe_read:\n"
    "probe_read_insn:\n"
    "  ldr r0, [r0]\n"
    "  bx lr\n"
    "  .type do_udf, %function\n"
    "  .thumb_func\n"
    "do_udf:\n"
    "  movs r0, #7\n"
    "udf_insn:\n"
    "  udf #0x12\n"
    "  movs r0, #8\n"          /* runs after the skipped udf */
    "  bx lr\n"
    "  .type do_sdiv, %function\n"
    "  .thumb_func\n"
    "do_sdiv:\n"
    "  mov r2, r0\n"
    "  movs r0, #99\n"
    "  isb\n"                   /* QEMU 7.2: see docs/conformance.md */
    "sdiv_insn:\n"
    "  sdiv r0, r2, r1\n"       /* 32-bit instruction */
    "  bx lr\n"
    "  .type do_udiv, %function\n"
    "  .thumb_func\n"
    "do_udiv:\n"
    "  mov r2, r0\n"
    "  movs r0, #99\n"
    "  isb\n"
    "udiv_insn:\n"
    "  udiv r0, r2, r1\n"
    "  bx lr\n"
    "  .text\n");

static uint32_t buf[256] __attribute__((aligned(1024)));
static volatile uint32_t result;

/* a Thumb function whose address we branch to with bit 0 clear; 4-byte
 * aligned because QEMU 7.2 mishandles a target = 2 (mod 4) (see
 * docs/conformance.md, QEMU deviations) */
__attribute__((aligned(4))) static uint32_t plain(void) { return 5; }

static void check_fault(uint32_t exc, int forced, uint32_t cfsr, uint32_t pc, const char *what)
{
    CHECKF(tl_fault_count == 1, "%s: one fault", what);
    CHECKF(tl_fault.exc == exc, "%s: exception %s", what,
           exc == EXC_HARDFAULT ? "HardFault" : exc == EXC_MEMMANAGE ? "MemManage"
           : exc == EXC_BUSFAULT ? "BusFault" : "UsageFault");
    CHECKF(!!(tl_fault.hfsr & HFSR_FORCED) == forced, "%s: HFSR.FORCED %s", what,
           forced ? "set" : "clear");
    CHECKF(tl_fault.cfsr == cfsr, "%s: CFSR as expected", what);
    if (tl_fault.exc != exc || tl_fault.cfsr != cfsr)
        sh_printf("#   exc %u cfsr 0x%x hfsr 0x%x\n", (unsigned)tl_fault.exc,
                  (unsigned)tl_fault.cfsr, (unsigned)tl_fault.hfsr);
    CHECKF(tl_fault.frame[6] == pc, "%s: stacked PC = the faulting instruction", what);
}

static volatile uint32_t in_irq_faults;
void IRQ3_Handler(void)
{
    result = probe_read(UNMAPPED_BUS);
    in_irq_faults = tl_fault_count;
}

int main(void)
{
    sh_printf("# fault_escalation\n");
    CHECK_EQ(SCB_SHCSR & (SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA), 0,
             "configurable faults disabled at reset");
    CHECK_EQ(SCB_CFSR | SCB_HFSR, 0, "CFSR and HFSR clear at reset");
    scb_set_priority(EXC_MEMMANAGE, 0x80);
    scb_set_priority(EXC_BUSFAULT, 0x80);
    scb_set_priority(EXC_USAGEFAULT, 0x80);
    CHECK_EQ(SCB_SHPR1 & 0x00E0E0E0u, 0x00808080u, "SHPR1 holds the three fault priorities");

    /* MemManage */
    mpu_set_region(7, (uint32_t)buf, MPU_RASR_VAL(10, MPU_AP_NONE, 1, 0));
    mpu_enable(MPU_CTRL_PRIVDEFENA);
    tl_trap_faults(1);
    probe_read((uint32_t)buf + 8u);
    tl_trap_faults(0);
    check_fault(EXC_HARDFAULT, 1, CFSR_DACCVIOL | CFSR_MMARVALID, (uint32_t)probe_read_insn,
                "MPU violation, MEMFAULTENA=0");
    CHECK_EQ(tl_fault.mmfar, (uint32_t)buf + 8u, "MMFAR valid after escalation");
    SCB_SHCSR |= SHCSR_MEMFAULTENA;
    tl_trap_faults(1);
    probe_read((uint32_t)buf + 8u);
    tl_trap_faults(0);
    check_fault(EXC_MEMMANAGE, 0, CFSR_DACCVIOL | CFSR_MMARVALID, (uint32_t)probe_read_insn,
                "MPU violation, MEMFAULTENA=1");
    mpu_disable();

    /* UDF */
    tl_trap_faults(1);
    result = do_udf();
    tl_trap_faults(0);
    check_fault(EXC_HARDFAULT, 1, CFSR_UNDEFINSTR, (uint32_t)udf_insn, "UDF, USGFAULTENA=0");
    CHECK_EQ(result, 8, "execution continued after the udf");
    SCB_SHCSR |= SHCSR_USGFAULTENA;
    tl_trap_faults(1);
    result = do_udf();
    tl_trap_faults(0);
    check_fault(EXC_USAGEFAULT, 0, CFSR_UNDEFINSTR, (uint32_t)udf_insn, "UDF, USGFAULTENA=1");

    /* divide by zero */
    tl_trap_faults(1);
    int32_t q = do_sdiv(100, 0);
    uint32_t uq = do_udiv(100, 0);
    tl_trap_faults(0);
    CHECK(tl_fault_count == 0 && q == 0 && uq == 0, "DIV_0_TRP=0: x/0 = 0, no fault");
    CHECK(do_sdiv(-100, 7) == -14 && do_udiv(100, 7) == 14, "division works");
    SCB_CCR |= CCR_DIV_0_TRP;
    cpu_barrier();
    tl_trap_faults(1);
    q = do_sdiv(100, 0);
    tl_trap_faults(0);
    check_fault(EXC_USAGEFAULT, 0, CFSR_DIVBYZERO, (uint32_t)sdiv_insn, "SDIV by 0, DIV_0_TRP=1");
    CHECK_EQ(q, 99, "destination register unchanged by the faulting sdiv");
    tl_trap_faults(1);
    uq = do_udiv(100, 0);
    tl_trap_faults(0);
    check_fault(EXC_USAGEFAULT, 0, CFSR_DIVBYZERO, (uint32_t)udiv_insn, "UDIV by 0, DIV_0_TRP=1");
    CHECK_EQ(uq, 99, "destination register unchanged by the faulting udiv");
    SCB_CCR &= ~CCR_DIV_0_TRP;
    cpu_barrier();

    /* INVSTATE: blx to an address with bit 0 clear */
    uint32_t target = (uint32_t)plain & ~1u;
    tl_trap_faults(1);
    result = ((uint32_t (*)(void))target)();
    tl_trap_faults(0);
    check_fault(EXC_USAGEFAULT, 0, CFSR_INVSTATE, target, "BLX to an even address");
    CHECK_EQ(tl_fault.frame[7] & (1u << 24), 0, "stacked xPSR.T = 0");

    /* unaligned LDM/STM/LDRD/STRD: see gap_unaligned_ldm.c (a known hailsim gap) */

    /* BusFault */
    tl_trap_faults(1);
    probe_read(UNMAPPED_BUS);
    tl_trap_faults(0);
    check_fault(EXC_HARDFAULT, 1, CFSR_PRECISERR | CFSR_BFARVALID, (uint32_t)probe_read_insn,
                "load from 0x60000000, BUSFAULTENA=0");
    SCB_SHCSR |= SHCSR_BUSFAULTENA;
    tl_trap_faults(1);
    probe_read(UNMAPPED_BUS);
    tl_trap_faults(0);
    check_fault(EXC_BUSFAULT, 0, CFSR_PRECISERR | CFSR_BFARVALID, (uint32_t)probe_read_insn,
                "load from 0x60000000, BUSFAULTENA=1");
    CHECK_EQ(tl_fault.bfar, UNMAPPED_BUS, "BFAR = 0x60000000");

    /* a BusFault in a handler of higher priority than BusFault's */
    nvic_set_priority(3, 0x40);
    nvic_enable(3);
    tl_trap_faults(1);
    nvic_set_pending(3);
    tl_trap_faults(0);
    check_fault(EXC_HARDFAULT, 1, CFSR_PRECISERR | CFSR_BFARVALID, (uint32_t)probe_read_insn,
                "BusFault in an IRQ at 0x40 (BusFault at 0x80)");
    CHECK_EQ(in_irq_faults, 1, "the IRQ handler continued after the fault");

    CHECK_EQ(SCB_CFSR | SCB_HFSR, 0, "status registers cleared by writing ones");
    return tl_done();
}
