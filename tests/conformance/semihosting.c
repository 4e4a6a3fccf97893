/*
 * semihosting — the ARM semihosting calls on which hailsim and QEMU agree
 * (the output of both must be byte-identical): SYS_WRITEC, SYS_WRITE0 and
 * SYS_WRITE to a ":tt" handle opened for writing (mode 4, "w" = stdout),
 * whose return value is 0 when everything was written; SYS_CLOSE.  (SYS_ISTTY
 * on that handle is 1 on hailsim but 0 on QEMU 7.2 with a chardev console:
 * checked in hail_semihosting only.)  The exit status (SYS_EXIT_EXTENDED) is checked by the runner.
 * Host-time calls (SYS_CLOCK, SYS_TIME, SYS_ELAPSED) differ and are in
 * hail_semihosting.
 */
#include "testlib.h"

#define SYS_OPEN  0x01u
#define SYS_CLOSE 0x02u
#define SYS_WRITE 0x05u

static const char tt[] = ":tt";

int main(void)
{
    sh_printf("# semihosting\n");
    uint32_t r = sh_call(SH_SYS_WRITEC, (uint32_t)"W");
    (void)r;                                   /* WRITEC's r0 is not specified */
    sh_writec('\n');
    CHECK(1, "SYS_WRITEC wrote \"W\" and a newline above");
    sh_write0("written by SYS_WRITE0\n");
    CHECK(1, "SYS_WRITE0 wrote the line above");

    volatile uint32_t open_blk[3] = { (uint32_t)tt, 4u, 3u };
    int32_t h = (int32_t)sh_call(SYS_OPEN, (uint32_t)open_blk);
    CHECK(h > 0, "SYS_OPEN \":tt\" mode 4 (\"w\") gives a handle");

    static const char msg[] = "written by SYS_WRITE\n";
    volatile uint32_t wr_blk[3] = { (uint32_t)h, (uint32_t)msg, sizeof msg - 1u };
    CHECK_EQ(sh_call(SYS_WRITE, (uint32_t)wr_blk), 0, "SYS_WRITE returns 0 (all bytes written)");
    volatile uint32_t wr0_blk[3] = { (uint32_t)h, (uint32_t)msg, 0u };
    CHECK_EQ(sh_call(SYS_WRITE, (uint32_t)wr0_blk), 0, "SYS_WRITE of 0 bytes returns 0");

    volatile uint32_t h_blk[1] = { (uint32_t)h };
    CHECK_EQ(sh_call(SYS_CLOSE, (uint32_t)h_blk), 0, "SYS_CLOSE returns 0");
    return tl_done();
}
