/*
 * hail_semihosting — Hail-only: the semihosting calls whose results depend
 * on hailsim's virtual time or on its sandbox (QEMU uses host time and host
 * files).  SYS_TICKFREQ = 48 MHz (the Hail core clock); SYS_ELAPSED counts
 * virtual cycles (it advances with DWT CYCCNT, within a small window for the
 * instructions between the calls); SYS_CLOCK (centiseconds) and SYS_TIME
 * (seconds) are virtual time since reset, consistent with SYS_ELAPSED;
 * SYS_OPEN gives handles only for ":tt" and fails (-1) for any other name
 * (hailsim never opens host files); SYS_WRITE to the ":tt" "w" handle
 * writes to stdout and returns 0; SYS_ISTTY on it = 1; SYS_HEAPINFO writes
 * its 4-word block with a stack base inside RAM; SYS_GET_CMDLINE returns "".
 */
#include "testlib.h"

#define SYS_OPEN        0x01u
#define SYS_WRITE       0x05u
#define SYS_ISTTY       0x09u
#define SYS_CLOCK       0x10u
#define SYS_TIME        0x11u
#define SYS_GET_CMDLINE 0x15u
#define SYS_HEAPINFO    0x16u
#define SYS_ELAPSED     0x30u
#define SYS_TICKFREQ    0x31u

#define HZ 48000000u
#define WINDOW 64u          /* instructions between a CYCCNT read and the next call */

static uint64_t elapsed(void)
{
    volatile uint32_t t[2] = { 0xFFFFFFFFu, 0xFFFFFFFFu };
    uint32_t r = sh_call(SYS_ELAPSED, (uint32_t)t);
    return r == 0 ? ((uint64_t)t[1] << 32 | t[0]) : 0;
}

static int32_t open_name(const char *name, uint32_t len, uint32_t mode)
{
    volatile uint32_t blk[3] = { (uint32_t)name, mode, len };
    return (int32_t)sh_call(SYS_OPEN, (uint32_t)blk);
}

static void spin(uint32_t n)
{
    for (volatile uint32_t i = 0; i < n; i++) { }
}

int main(void)
{
    sh_printf("# hail_semihosting\n");
    CHECK_EQ(sh_call(SYS_TICKFREQ, 0), HZ, "SYS_TICKFREQ = 48000000 (the Hail core clock)");

    DEMCR |= DEMCR_TRCENA;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
    cpu_barrier();
    uint32_t c1 = DWT_CYCCNT;
    uint64_t e1 = elapsed();
    spin(20000);
    uint32_t c2 = DWT_CYCCNT;
    uint64_t e2 = elapsed();
    CHECK(e1 != 0 && e2 > e1, "SYS_ELAPSED returns 0 and increases");
    uint32_t de = (uint32_t)(e2 - e1), dc = c2 - c1;
    CHECK(de + WINDOW >= dc && de <= dc + WINDOW, "SYS_ELAPSED progress = CYCCNT progress (+-64)");

    /* about 2.5 centiseconds of virtual time: SYS_CLOCK must move with it */
    uint64_t e3 = elapsed();
    uint32_t cs = sh_call(SYS_CLOCK, 0);
    uint32_t secs = sh_call(SYS_TIME, 0);
    uint64_t e4 = elapsed();
    spin(200000);
    uint64_t e5 = elapsed();
    uint32_t cs2 = sh_call(SYS_CLOCK, 0);
    uint64_t e6 = elapsed();
    CHECK(cs >= e3 / (HZ / 100u) && cs <= e4 / (HZ / 100u),
          "SYS_CLOCK = SYS_ELAPSED / 480000 (centiseconds of virtual time)");
    CHECK(cs2 >= e5 / (HZ / 100u) && cs2 <= e6 / (HZ / 100u) && cs2 > cs,
          "SYS_CLOCK advances with virtual time");
    CHECK(secs >= e3 / HZ && secs <= e4 / HZ, "SYS_TIME = SYS_ELAPSED / 48000000 (virtual seconds)");

    static const char tt[] = ":tt";
    int32_t h = open_name(tt, 3, 4);
    CHECK(h > 0, "SYS_OPEN \":tt\" mode 4 (\"w\") gives a handle");
    static const char msg[] = "written by SYS_WRITE to :tt\n";
    volatile uint32_t wr[3] = { (uint32_t)h, (uint32_t)msg, sizeof msg - 1u };
    CHECK_EQ(sh_call(SYS_WRITE, (uint32_t)wr), 0, "SYS_WRITE to it returns 0 (all written)");
    volatile uint32_t hb[1] = { (uint32_t)h };
    CHECK_EQ(sh_call(SYS_ISTTY, (uint32_t)hb), 1, "SYS_ISTTY on the \":tt\" handle = 1");

    static const char passwd[] = "/etc/passwd", devnull[] = "/dev/null", ttx[] = ":ttx";
    static const char rel[] = "hail_semihosting.tmp";
    CHECK_EQ(open_name(passwd, sizeof passwd - 1u, 0), -1, "SYS_OPEN /etc/passwd (\"r\") = -1");
    CHECK_EQ(open_name(devnull, sizeof devnull - 1u, 4), -1, "SYS_OPEN /dev/null (\"w\") = -1");
    CHECK_EQ(open_name(rel, sizeof rel - 1u, 4), -1, "SYS_OPEN of a relative name (\"w\") = -1");
    CHECK_EQ(open_name(ttx, sizeof ttx - 1u, 4), -1, "SYS_OPEN \":ttx\" = -1");

    volatile uint32_t heap[5] = { 0xDEADBEEFu, 0xDEADBEEFu, 0xDEADBEEFu, 0xDEADBEEFu, 0xDEADBEEFu };
    volatile uint32_t hblk[1] = { (uint32_t)heap };
    CHECK_EQ(sh_call(SYS_HEAPINFO, (uint32_t)hblk), 0, "SYS_HEAPINFO returns 0");
    CHECK(heap[0] != 0xDEADBEEFu && heap[1] != 0xDEADBEEFu && heap[2] != 0xDEADBEEFu &&
          heap[3] != 0xDEADBEEFu, "SYS_HEAPINFO writes its 4 words");
    CHECK_EQ(heap[4], 0xDEADBEEFu, "and nothing after them");
    CHECK(heap[2] > (uint32_t)__ram_start && heap[2] <= (uint32_t)__ram_end,
          "stack base inside RAM");

    char cmd[16] = "xxxxxxxxxxxxxxx";
    volatile uint32_t cblk[2] = { (uint32_t)cmd, sizeof cmd };
    CHECK_EQ(sh_call(SYS_GET_CMDLINE, (uint32_t)cblk), 0, "SYS_GET_CMDLINE returns 0");
    CHECK(cmd[0] == 0 && cblk[1] == 0, "the command line is empty (\"\", length 0)");
    return tl_done();
}
