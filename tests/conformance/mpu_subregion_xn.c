/*
 * mpu_subregion_xn — PMSAv7 subregions and execute-never.  An 8 KiB no-access
 * region with SRD = 0x06 over RAM: its subregions 1 and 2 fall through to
 * the lower-numbered region beneath (or the background), the others fault
 * with the right MMFAR; SRD = 0xFF disables the whole region.  XN: calling
 * into a RAM region with XN = 1 raises MemManage IACCVIOL with MMARVALID
 * clear and the stacked PC = the branch target; with XN = 0 the code runs;
 * fetching needs read permission too (AP); a disabled subregion of an XN
 * region runs from the region beneath; the default map's System area
 * (0xE0000000+) is never executable, even with the MPU off.
 */
#include "testlib.h"

uint32_t probe_read(uint32_t addr);
extern char probe_read_insn[];
__asm__(
    "  .section .text.probes,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global probe_read, probe_read_insn\n"
    "  .type probe_read, %function\n"
    "  .thumb_func\n"
    "probe_read:\n"
    "probe_read_insn:\n"
    "  ldr r0, [r0]\n"
    "  bx lr\n"
    "  .text\n");

/* Regions of 8 KiB, so subregions are 1 KiB: QEMU 7.2 caches MPU decisions
 * per 1 KiB page and does not enforce smaller subregions exactly. */
static uint32_t buf[2048] __attribute__((aligned(8192)));    /* 8 x 1 KiB */
static uint16_t ram_code[4096] __attribute__((aligned(8192))); /* 8 x 1 KiB */
#define BUF ((uint32_t)buf)
#define CODE ((uint32_t)ram_code)

static uint32_t u_read(uint32_t addr) { return probe_read(addr); }

static uint32_t call_addr(uint32_t addr)
{
    uint32_t (*fn)(void) = (uint32_t (*)(void))(addr | 1u);
    return fn();
}

static uint32_t u_call(uint32_t addr) { return call_addr(addr); }

static volatile uint32_t last_result;

static uint32_t access(int unpriv, uint32_t addr)
{
    tl_trap_faults(1);
    if (unpriv)
        last_result = tl_run_unprivileged(u_read, addr);
    else
        last_result = probe_read(addr);
    tl_trap_faults(0);
    return tl_fault_count;
}

static uint32_t exec(int unpriv, uint32_t addr)
{
    tl_trap_faults(1);
    if (unpriv)
        last_result = tl_run_unprivileged(u_call, addr);
    else
        last_result = call_addr(addr);
    tl_trap_faults(0);
    return tl_fault_count;
}

static void check_daccviol(uint32_t addr, const char *what)
{
    CHECKF(tl_fault.exc == EXC_MEMMANAGE &&
           (tl_fault.cfsr & 0xFFu) == (CFSR_DACCVIOL | CFSR_MMARVALID) &&
           tl_fault.mmfar == addr && tl_fault.frame[6] == (uint32_t)probe_read_insn,
           "%s: DACCVIOL, MMFAR = the address", what);
}

static void check_iaccviol(uint32_t target, const char *what)
{
    CHECKF(tl_fault.exc == EXC_MEMMANAGE && (tl_fault.cfsr & 0xFFu) == CFSR_IACCVIOL,
           "%s: MemManage IACCVIOL, MMARVALID clear", what);
    if (tl_fault.exc != EXC_MEMMANAGE || (tl_fault.cfsr & 0xFFu) != CFSR_IACCVIOL)
        sh_printf("#   exc %u cfsr 0x%x\n", (unsigned)tl_fault.exc, (unsigned)tl_fault.cfsr);
    CHECKF(tl_fault.frame[6] == target, "%s: stacked PC = the branch target", what);
}

static void put_code(uint32_t addr, uint8_t value)
{
    volatile uint16_t *p = (volatile uint16_t *)addr;
    p[0] = (uint16_t)(0x2000u | value);     /* movs r0, #value */
    p[1] = 0x4770u;                         /* bx lr */
}

int main(void)
{
    sh_printf("# mpu_subregion_xn\n");
    SCB_SHCSR |= SHCSR_MEMFAULTENA;
    cpu_barrier();

    for (unsigned i = 0; i < 2048; i++)
        buf[i] = i;
    mpu_set_region(0, 0x00000000u, MPU_RASR_VAL(18, MPU_AP_RO, 0, 0));   /* flash */
    mpu_set_region(1, 0x20000000u, MPU_RASR_VAL(16, MPU_AP_RW, 0, 0));   /* RAM */
    mpu_set_region(3, BUF, MPU_RASR_VAL(13, MPU_AP_NONE, 1, 0x06));
    MPU_RNR = 3;
    CHECK_EQ((MPU_RASR >> 8) & 0xFFu, 0x06, "RASR.SRD reads back");
    mpu_enable(MPU_CTRL_PRIVDEFENA);

    /* subregions 1, 2 fall through to region 1 (RW for all) */
    for (int unpriv = 0; unpriv < 2; unpriv++) {
        sh_printf("# SRD=0x06 over RW RAM, %s\n", unpriv ? "unprivileged" : "privileged");
        for (unsigned s = 0; s < 8; s++) {
            uint32_t addr = BUF + s * 1024u + 0x10u;
            int open = (s == 1 || s == 2);
            uint32_t f = access(unpriv, addr);
            if (open) {
                CHECKF(f == 0 && last_result == (s * 1024u + 0x10u) / 4u,
                       "subregion %u (disabled): read allowed, right data", s);
            } else {
                CHECKF(f == 1, "subregion %u (enabled, AP=0): MemManage", s);
                if (s == 0 || s == 7)
                    check_daccviol(addr, s == 0 ? "subregion 0" : "subregion 7");
            }
        }
    }

    /* with a privileged-only region 2 beneath */
    mpu_set_region(2, BUF, MPU_RASR_VAL(13, MPU_AP_PRW, 1, 0));
    CHECK_EQ(access(0, BUF + 1024u), 0, "region 2 (priv RW) beneath subregion 1: privileged read allowed");
    CHECK_EQ(access(1, BUF + 1024u), 1, "region 2 (priv RW) beneath subregion 1: unprivileged read faults");
    check_daccviol(BUF + 1024u, "unprivileged read of subregion 1");
    CHECK_EQ(access(1, BUF + 3072u), 1, "enabled subregion 3 still faults (region 3 wins)");
    mpu_disable_region(2);

    /* SRD = 0xFF: the whole region is disabled */
    mpu_set_region(3, BUF, MPU_RASR_VAL(13, MPU_AP_NONE, 1, 0xFF));
    CHECK(access(1, BUF) == 0 && access(1, BUF + 8188u) == 0,
          "SRD=0xFF: the region does not apply at all");
    mpu_disable_region(3);
    mpu_disable();

    /* ---- XN ---- */
    sh_printf("# execute never\n");
    put_code(CODE, 42);
    put_code(CODE + 1024u, 43);
    cpu_barrier();
    CHECK(exec(0, CODE) == 0 && last_result == 42, "MPU off: code in RAM runs");
    mpu_set_region(4, CODE, MPU_RASR_VAL(13, MPU_AP_RW, 0, 0));
    mpu_enable(MPU_CTRL_PRIVDEFENA);
    CHECK(exec(0, CODE) == 0 && last_result == 42, "XN=0 region: privileged code runs");
    CHECK(exec(1, CODE) == 0 && last_result == 42, "XN=0 region: unprivileged code runs");

    mpu_set_region(4, CODE, MPU_RASR_VAL(13, MPU_AP_RW, 1, 0));
    CHECK_EQ(exec(0, CODE), 1, "XN=1 region: privileged call faults");
    check_iaccviol(CODE, "privileged XN");
    CHECK_EQ(tl_fault.frame[5] & 1u, 1, "stacked LR is the Thumb return address");
    CHECK_EQ(exec(1, CODE), 1, "XN=1 region: unprivileged call faults");
    check_iaccviol(CODE, "unprivileged XN");

    /* instruction fetch needs read permission */
    mpu_set_region(4, CODE, MPU_RASR_VAL(13, MPU_AP_PRW, 0, 0));
    CHECK(exec(0, CODE) == 0 && last_result == 42, "AP=1 XN=0: privileged code runs");
    CHECK_EQ(exec(1, CODE), 1, "AP=1 XN=0: unprivileged fetch faults");
    check_iaccviol(CODE, "unprivileged fetch without read access");

    /* a disabled subregion of an XN region runs from region 1 beneath */
    mpu_set_region(4, CODE, MPU_RASR_VAL(13, MPU_AP_RW, 1, 0x02));
    CHECK(exec(1, CODE + 1024u) == 0 && last_result == 43, "XN region, disabled subregion 1: code runs");
    CHECK_EQ(exec(1, CODE), 1, "XN region, enabled subregion 0: faults");
    check_iaccviol(CODE, "XN subregion 0");
    mpu_disable_region(4);
    mpu_disable();

    /* default memory map: System space is XN even with the MPU off */
    CHECK_EQ(exec(0, 0xE0000100u), 1, "MPU off: branch to 0xE0000100 faults");
    check_iaccviol(0xE0000100u, "System space XN");

    CHECK_EQ(SCB_CFSR, 0, "CFSR clear at the end");
    return tl_done();
}
