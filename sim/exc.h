/*
 * exc.h — the ARMv7-M exception model, done in C on top of Unicorn (which
 * does no stacking, vector fetch or mode change for M-profile exceptions):
 * priorities with PRIGROUP, PRIMASK/BASEPRI/FAULTMASK, pending and active
 * state, entry (8-word frame, alignment, EXC_RETURN), return with
 * tail-chaining, synchronous faults with escalation to HardFault, lockup.
 */
#ifndef HAILSIM_EXC_H
#define HAILSIM_EXC_H

#include "machine.h"

/* Cycle costs added to virtual time (documented in docs/ARCHITECTURE.md). */
#define EXC_ENTRY_CYCLES 12
#define EXC_RETURN_CYCLES 10
#define EXC_TAILCHAIN_CYCLES 6

void exc_reset(struct machine *m);
/* Recomputes the pending/enabled bitmaps from the slots (after a restore). */
void exc_rebuild_bits(struct exc_state *e);
void exc_set_pending(struct machine *m, int n, bool pending);
/* A peripheral's interrupt line for NVIC input `irq` (0-based): level
 * sensitive, so an asserted line makes the IRQ pending, and pending again
 * when its handler returns while the line is still asserted. */
void exc_irq_line(struct machine *m, int irq, bool asserted);
void exc_set_enabled(struct machine *m, int n, bool enabled);
void exc_set_priority(struct machine *m, int n, uint8_t prio);
int exc_group_priority(const struct machine *m, int n);
/* Current execution priority (256 = thread mode with nothing masked). */
int exc_execution_priority(struct machine *m);
/* Highest-priority pending and enabled exception, or 0. */
int exc_highest_pending(const struct machine *m);
/* ICSR.VECTPENDING / RETTOBASE helpers */
bool exc_rettobase(const struct machine *m);

/* Takes the highest pending exception if it preempts; `return_pc` is the
 * address execution resumes at afterwards.  Returns true if one was taken. */
bool exc_take_pending(struct machine *m, uint32_t return_pc);
/* WFI wake-up condition: a pending exception that would preempt if PRIMASK were clear. */
bool exc_wakeup_pending(struct machine *m);
/* SVC executed; `return_pc` is the instruction after it. */
void exc_svc(struct machine *m, uint32_t return_pc);
/* A synchronous fault at the instruction at `pc`. */
void exc_fault(struct machine *m, int exc, uint32_t cfsr_bits, uint32_t addr, uint32_t pc);
/* Exception return with the given EXC_RETURN value. */
void exc_return(struct machine *m, uint32_t exc_return);

#endif
