/*
 * sam4l_clocks.h — the SAM4L's peripheral clock gates as the PM model sees
 * them (its HSBMASK/PBAMASK/PBBMASK/PBCMASK/PBDMASK registers), so that each
 * peripheral model can notice a driver that forgot to enable its clock.
 * Bit numbers are the SAM4L's (tock-abi.md §12.7), e.g. USART0 = PBA bit 8,
 * TRNG = PBA 17, GPIO = PBC 4, AST = PBD 2, PDCA = HSB 0 and PBB 3.
 * Implemented in sam4l_pm.c; without a PM on the board every clock counts
 * as enabled.
 */
#ifndef HAILSIM_SAM4L_CLOCKS_H
#define HAILSIM_SAM4L_CLOCKS_H

#include <stdbool.h>

struct machine;

enum sam4l_bus { SAM4L_HSB, SAM4L_PBA, SAM4L_PBB, SAM4L_PBC, SAM4L_PBD };

bool sam4l_clock_enabled(struct machine *m, enum sam4l_bus bus, int bit);
/* Called by a model on a register access: when the clock is off, warns once
 * per (bus, bit) naming `who` (with --strict the run stops, exit status 3). */
void sam4l_clock_check(struct machine *m, enum sam4l_bus bus, int bit, const char *who);

#endif
