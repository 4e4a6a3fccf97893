/*
 * mpu_ap — PMSAv7 access permissions.  With the MPU on (PRIVDEFENA) and a
 * 1 KiB region over a RAM buffer, for each AP value 0, 1, 2, 3, 5, 6:
 * privileged and unprivileged reads and writes are allowed or raise
 * MemManage with CFSR.DACCVIOL + MMARVALID, MMFAR = the address and the
 * stacked PC = the faulting ldr/str (the handler skips it); a denied write
 * leaves memory unchanged.  Also: the background region (an address no
 * region covers) faults for unprivileged code, works for privileged code
 * with PRIVDEFENA and faults without it; MPU off means no checks; the
 * region registers (TYPE, RNR, RBAR, RASR) read back.
 */
#include "testlib.h"

uint32_t probe_read(uint32_t addr);
void probe_write(uint32_t addr, uint32_t val);
extern char probe_read_insn[], probe_write_insn[];
__asm__(
    "  .section .text.probes,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global probe_read, probe_read_insn, probe_write, probe_write_insn\n"
    "  .type probe_read, %function\n"
    "  .thumb_func\n"
    "probe_read:\n"
    "probe_read_insn:\n"
    "  ldr r0, [r0]\n"
    "  bx lr\n"
    "  .type probe_write, %function\n"
    "  .thumb_func\n"
    "probe_write:\n"
    "probe_write_insn:\n"
    "  str r1, [r0]\n"
    "  bx lr\n"
    "  .text\n");

static uint32_t buf[256] __attribute__((aligned(1024)));
#define BUF_ADDR ((uint32_t)buf)
#define PROBE_OFF 0x40u                 /* probe a word inside, not the base */
#define UNMAPPED 0x00040000u            /* flash, beyond the 256 KiB region 0 covers */

static uint32_t u_read(uint32_t addr) { return probe_read(addr); }
static uint32_t u_write(uint32_t addr) { probe_write(addr, 0x5A5A5A5Au); return 0; }

/* One access; returns the number of faults it raised. */
static uint32_t access(int unpriv, int write, uint32_t addr)
{
    tl_trap_faults(1);
    if (unpriv)
        tl_run_unprivileged(write ? u_write : u_read, addr);
    else if (write)
        probe_write(addr, 0x5A5A5A5Au);
    else
        (void)probe_read(addr);
    tl_trap_faults(0);
    return tl_fault_count;
}

static void check_fault(uint32_t addr, int write, const char *what)
{
    uint32_t want_cfsr = CFSR_DACCVIOL | CFSR_MMARVALID;
    CHECKF(tl_fault.exc == EXC_MEMMANAGE && (tl_fault.cfsr & 0xFFu) == want_cfsr,
           "%s: MemManage, CFSR.DACCVIOL + MMARVALID", what);
    if (tl_fault.exc != EXC_MEMMANAGE || (tl_fault.cfsr & 0xFFu) != want_cfsr)
        sh_printf("#   exc %u cfsr 0x%x\n", (unsigned)tl_fault.exc, (unsigned)tl_fault.cfsr);
    CHECKF(tl_fault.mmfar == addr &&
           tl_fault.frame[6] == (uint32_t)(write ? probe_write_insn : probe_read_insn),
           "%s: MMFAR = the address, stacked PC = the %s", what, write ? "str" : "ldr");
}

static void setup_base_regions(void)
{
    /* region 0: flash 0..256K, RO for everyone, executable */
    mpu_set_region(0, 0x00000000u, MPU_RASR_VAL(18, MPU_AP_RO, 0, 0));
    /* region 1: all 64 KiB of RAM, RW for everyone */
    mpu_set_region(1, 0x20000000u, MPU_RASR_VAL(16, MPU_AP_RW, 0, 0));
}

int main(void)
{
    sh_printf("# mpu_ap\n");
    SCB_SHCSR |= SHCSR_MEMFAULTENA;
    cpu_barrier();

    CHECK_EQ((MPU_TYPE >> 8) & 0xFFu, 8, "MPU_TYPE.DREGION = 8");
    CHECK_EQ(MPU_TYPE & 1u, 0, "MPU_TYPE.SEPARATE = 0 (unified)");
    CHECK_EQ(MPU_CTRL, 0, "MPU off at reset");

    setup_base_regions();
    mpu_set_region(7, BUF_ADDR, MPU_RASR_VAL(10, MPU_AP_NONE, 1, 0));
    MPU_RNR = 7;
    CHECK_EQ(MPU_RBAR, BUF_ADDR | 7u, "RBAR reads back base | region number");
    CHECK_EQ(MPU_RASR, MPU_RASR_VAL(10, MPU_AP_NONE, 1, 0), "RASR reads back");
    MPU_RBAR = 0x20000000u | MPU_RBAR_VALID | 1u;
    CHECK_EQ(MPU_RNR, 1, "RBAR write with VALID=1 selects the region (RNR)");
    CHECK_EQ(MPU_RASR, MPU_RASR_VAL(16, MPU_AP_RW, 0, 0), "... and RASR shows that region");

    /* MPU still off: no permission checks at all */
    buf[PROBE_OFF / 4] = 0x11111111u;
    CHECK_EQ(access(1, 1, BUF_ADDR + PROBE_OFF), 0, "MPU off: unprivileged write to an AP=0 region works");
    CHECK_EQ(buf[PROBE_OFF / 4], 0x5A5A5A5Au, "... and stores the value");

    static const struct { uint8_t ap; uint8_t ok[4]; } table[] = {
        /*         priv R, priv W, unpriv R, unpriv W */
        { 0, { 0, 0, 0, 0 } },
        { 1, { 1, 1, 0, 0 } },
        { 2, { 1, 1, 1, 0 } },
        { 3, { 1, 1, 1, 1 } },
        { 5, { 1, 0, 0, 0 } },
        { 6, { 1, 0, 1, 0 } },
    };
    static const char *const names[4] = { "privileged read", "privileged write",
                                           "unprivileged read", "unprivileged write" };
    for (unsigned t = 0; t < sizeof table / sizeof table[0]; t++) {
        unsigned ap = table[t].ap;
        sh_printf("# AP=%u\n", ap);
        for (int k = 0; k < 4; k++) {
            int unpriv = k >= 2, write = k & 1;
            uint32_t addr = BUF_ADDR + PROBE_OFF;
            char what[40];
            /* "AP=n " + name */
            unsigned w = 0;
            const char *pfx = "AP=";
            while (*pfx)
                what[w++] = *pfx++;
            what[w++] = (char)('0' + ap);
            what[w++] = ' ';
            for (const char *n = names[k]; *n; n++)
                what[w++] = *n;
            what[w] = 0;

            mpu_disable();
            buf[PROBE_OFF / 4] = 0x12345678u;
            mpu_set_region(7, BUF_ADDR, MPU_RASR_VAL(10, ap, 1, 0));
            mpu_enable(MPU_CTRL_PRIVDEFENA);
            uint32_t faults = access(unpriv, write, addr);
            mpu_disable();
            uint32_t after = buf[PROBE_OFF / 4];

            if (table[t].ok[k]) {
                CHECKF(faults == 0, "%s: allowed", what);
            } else {
                CHECKF(faults == 1, "%s: MemManage", what);
                check_fault(addr, write, what);
            }
            if (write)
                CHECKF(after == (table[t].ok[k] ? 0x5A5A5A5Au : 0x12345678u),
                       "%s: memory %s", what, table[t].ok[k] ? "written" : "unchanged");
        }
    }

    /* background region */
    sh_printf("# background region\n");
    mpu_disable_region(7);
    mpu_enable(MPU_CTRL_PRIVDEFENA);
    CHECK_EQ(access(1, 0, UNMAPPED), 1, "unprivileged read outside every region: MemManage");
    check_fault(UNMAPPED, 0, "unprivileged background read");
    CHECK_EQ(access(0, 0, UNMAPPED), 0, "privileged read outside every region with PRIVDEFENA: allowed");
    mpu_enable(0);
    CHECK_EQ(access(0, 0, UNMAPPED), 1, "privileged read outside every region without PRIVDEFENA: MemManage");
    mpu_enable(MPU_CTRL_PRIVDEFENA);
    check_fault(UNMAPPED, 0, "privileged background read");
    CHECK_EQ(access(0, 0, BUF_ADDR), 0, "privileged read inside region 1 without PRIVDEFENA: allowed");
    mpu_disable();
    CHECK_EQ(access(1, 0, UNMAPPED), 0, "MPU off again: unprivileged read works");
    CHECK_EQ(SCB_CFSR, 0, "CFSR clear at the end");

    return tl_done();
}
