/*
 * uc_env.h — direct access to the live CPU state inside Unicorn.
 *
 * Every Unicorn register call costs 50-200 host instructions (a switch, and
 * for the special registers QEMU's MRS/MSR helpers with their privilege
 * rules), and an exception entry or return makes dozens of them: in an idle
 * blink toggle, register access was the largest part of the simulator's own
 * cost.  QEMU keeps the state as plain fields of one CPUARMState: r0-r15,
 * and in its v7m block the banked SP, CONTROL, the exception number and the
 * masks.  uc_env_attach() finds that block for one engine from marker values
 * (the CPU pointer inside Unicorn's engine struct, the state inside the CPU
 * object) and proves every field it will use with writes through the API
 * and back; the caller (cpu_state.c) uses the Unicorn API whenever
 * attaching failed (another Unicorn build).  The fields that need QEMU's
 * side effects (xPSR with its flag encoding, the mode-flag rebuild, PC and
 * its translation-block exit) still go through the API.
 */
#ifndef HAILSIM_UC_ENV_H
#define HAILSIM_UC_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unicorn/unicorn.h>

struct uc_env {
    uint8_t *base;              /* the live CPUARMState, or NULL: use the Unicorn API */
    /* offsets inside it (bank 0: the M4 has no Security Extension) */
    size_t other_sp, control, exception, primask, basepri, faultmask;
    size_t flags;               /* CF, VF, NF, ZF, QF, GE, thumb, IT: eight words (uc_env_xpsr) */
};

/* Finds and proves the state of a freshly opened engine (privileged thread
 * mode, nothing run yet); leaves the registers it used at 0.  -1 (and
 * e->base NULL, the reason in err unless err is NULL) when it cannot. */
int uc_env_attach(struct uc_env *e, uc_engine *uc, char *err, size_t errlen);

static inline uint32_t uc_env_get(const struct uc_env *e, size_t off)
{
    uint32_t v;
    memcpy(&v, e->base + off, 4);
    return v;
}

static inline void uc_env_put(const struct uc_env *e, size_t off, uint32_t v)
{
    memcpy(e->base + off, &v, 4);
}

/* r0-r15 are the first 16 words of the state */
static inline size_t uc_env_core(int n) { return 4u * (size_t)n; }

/* xPSR from QEMU's encoding: N and V are bit 31 of their words, Z is set
 * when its word is 0, C, Q and T are 0/1, GE 4 bits, IT as IT[7:0]. */
uint32_t uc_env_xpsr(const struct uc_env *e);
/* Sets the flags, GE, T and IT of xPSR (not the exception number).  QEMU's
 * cached mode flags still need a rebuild (an APSR_NZCV write). */
void uc_env_set_xpsr(const struct uc_env *e, uint32_t xpsr);

#endif
