/*
 * divtrap.h — CCR.DIV_0_TRP, which the QEMU inside Unicorn 2.0.1 does not
 * implement (its SDIV/UDIV return 0 for a zero divisor).  While the bit is
 * set, every SDIV/UDIV in a block about to run gets a one-instruction code
 * hook that checks the divisor before the instruction executes and raises
 * UsageFault DIVBYZERO at its exact PC.  Costs nothing while the bit is clear.
 */
#ifndef HAILSIM_DIVTRAP_H
#define HAILSIM_DIVTRAP_H

#include <stdbool.h>
#include <stdint.h>

#define DIVTRAP_MAX 256

struct divtrap {
    int n;
    uint32_t addr[DIVTRAP_MAX];
    uint32_t retranslate_lo, retranslate_hi;   /* block to translate again, with its new hooks */
};

struct machine;

/* Called for each block about to run while CCR.DIV_0_TRP is set.  Returns
 * true when hooks were added: the block must then not run as translated;
 * the run loop drops it from the translation cache (divtrap_retranslate)
 * and runs it again. */
bool divtrap_scan_block(struct machine *m, uint32_t addr, uint32_t size);
void divtrap_retranslate(struct machine *m);

#endif
