/*
 * divtrap.h — CCR.DIV_0_TRP, which the QEMU inside Unicorn 2.0.1 does not
 * implement (its SDIV/UDIV return 0 for a zero divisor).  While the bit is
 * set, the block hook looks for SDIV/UDIV in each block about to run:
 *   - a divide at the start of the block is checked right there (the
 *     registers are exact at a block boundary): a zero divisor raises
 *     UsageFault DIVBYZERO at its PC and the block does not run;
 *   - a divide further in stops the run before the block, and the run loop
 *     runs the block only up to the divide (uc_emu_start's `until`), so the
 *     divide then starts a block of its own and is checked as above.
 * No code hooks are used (in Unicorn 2.0.1 they break Thumb IT blocks).
 * Costs nothing while the bit is clear.
 */
#ifndef HAILSIM_DIVTRAP_H
#define HAILSIM_DIVTRAP_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

/* Called for each block about to run while CCR.DIV_0_TRP is set; returns
 * true when the block must not run now (a fault was raised, or the run loop
 * must first run up to the divide: see m->run_until). */
bool divtrap_check_block(struct machine *m, uint32_t addr, uint32_t size);

#endif
