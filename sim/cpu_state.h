/*
 * cpu_state.h — access to the M-profile core state held inside Unicorn.
 *
 * Unicorn 2.0.1 banks MSP/PSP like QEMU (the active SP in r13, the other in
 * a hidden slot), refuses special-register accesses from unprivileged thread
 * mode, and does not rebuild its cached mode flags after an IPSR/CONTROL
 * write.  These functions hide all of that: cpu_set_mode() forces a complete,
 * consistent (xPSR, CONTROL, MSP, PSP) state from any starting state, and
 * cpu_get_sps() reads both stack pointers from any mode.  When uc_env.c has
 * found the live CPU state, most of this is plain field access instead.
 */
#ifndef HAILSIM_CPU_STATE_H
#define HAILSIM_CPU_STATE_H

#include "machine.h"

#define XPSR_T (1u << 24)
#define CONTROL_NPRIV 1u
#define CONTROL_SPSEL 2u

#define CPU_BATCH_MAX 16

/* The special registers: xPSR, CONTROL, both SPs and the masks. */
struct cpu_special { uint32_t xpsr, control, msp, psp, primask, basepri, faultmask; };

/* Register writes sent to Unicorn in one call, in order (cpu_batch_write). */
struct reg_batch {
    int n;
    bool writes_pc;             /* a PC write makes Unicorn stop (cpu_set_pc) */
    int ids[CPU_BATCH_MAX];
    uint32_t vals[CPU_BATCH_MAX];
#ifdef HAILSIM_CHECK_BOUNDARY
    bool check;                 /* sanitizer builds: read the mode back after the write */
    uint32_t want[4];
#endif
};

uint32_t cpu_reg(struct machine *m, int reg);
void cpu_set_reg(struct machine *m, int reg, uint32_t val);
/* Several registers in one Unicorn call (n <= CPU_BATCH_MAX), in order. */
void cpu_regs_read(struct machine *m, const int *ids, uint32_t *vals, int n);
void cpu_regs_write(struct machine *m, const int *ids, const uint32_t *vals, int n);
void batch_add(struct reg_batch *b, int id, uint32_t val);
/* Sends the batch (a PC write makes Unicorn stop, as cpu_set_pc) and empties it. */
void cpu_batch_write(struct machine *m, struct reg_batch *b);
uint32_t cpu_pc(struct machine *m);
/* Writing PC makes Unicorn stop; the run loop resumes at the new PC. */
void cpu_set_pc(struct machine *m, uint32_t pc);

/* The special registers from any mode, in as few Unicorn calls as it can;
 * the masks only when `masks` (else 0). */
void cpu_get_special(struct machine *m, struct cpu_special *sp, bool masks);
void cpu_get_sps(struct machine *m, uint32_t *msp, uint32_t *psp);
/* Current privilege, read from the core (an MSR CONTROL may have dropped it). */
bool cpu_privileged_live(struct machine *m);
/* PRIMASK, BASEPRI, FAULTMASK, read from any mode (and kept in m for reports). */
void cpu_get_masks(struct machine *m, uint32_t *primask, uint32_t *basepri, uint32_t *faultmask);
void cpu_set_faultmask(struct machine *m, uint32_t val);

void cpu_set_mode(struct machine *m, uint32_t xpsr, uint32_t control, uint32_t msp, uint32_t psp);
/* cpu_set_mode() as writes added to `b`, from the state `live` the caller
 * has just read (xpsr, control, msp, psp; the masks are not used); the
 * caller may add more writes (in the target mode) before cpu_batch_write(). */
void cpu_mode_batch(struct machine *m, struct reg_batch *b, const struct cpu_special *live,
                    uint32_t xpsr, uint32_t control, uint32_t msp, uint32_t psp);
/* After a switch into unprivileged thread mode: MSP and the masks (`masks`,
 * read before, in handler mode) stay as they are until the next mode change. */
void cpu_enter_unprivileged(struct machine *m, uint32_t msp, const struct cpu_special *masks);
/* Re-reads CONTROL in privileged thread mode (an MSR may have dropped privilege). */
void cpu_poll_control(struct machine *m);

#endif
