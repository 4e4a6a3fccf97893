/*
 * empty.c — benchmark calibration image: exits at once.  bench/run.sh times
 * it to measure each engine's start-up cost (process start, machine setup,
 * ELF load), which it subtracts from the QEMU wall times.
 *
 * Output: one "CHECKSUM empty 00000000" line; exits 0.
 */
#include "semihost.h"

int main(void)
{
    sh_write0("CHECKSUM empty 00000000\n");
    return 0;
}
