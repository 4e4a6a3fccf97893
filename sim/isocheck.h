/*
 * isocheck.h — `--check-isolation`: the simulator checks that the kernel
 * keeps processes apart, from outside the kernel.  Three watches, each
 * stopping the run with exit status 3 and an `isolation` trace event:
 *
 *  - process writes: when the CPU enters a process (exception return to
 *    unprivileged thread mode) the RAM block of every other process (from
 *    the kernel-awareness table) is hashed, less what the MPU lets the
 *    running process write (IPC shares), and hashed again when it traps;
 *  - kernel writes: every privileged store into the app RAM pool must land
 *    in kernel-owned memory (a grant region), in a block being (re)loaded,
 *    or in bytes the ABI lets the kernel write for that process
 *    (isoshadow.h: allowed buffers, the yield flag, the stacked frame, its
 *    own brk) — so a kernel bug that writes for the wrong process, past an
 *    allowed buffer or into a buffer the ABI forbids is caught at the store;
 *  - kernel invariants (isoinv.c), at each entry into a process: the
 *    process table is consistent, the kernel accepted no allow the ABI
 *    forbids, and the MPU gives the process nothing beyond its own flash,
 *    its own RAM below the break and the IPC buffers shared with it.
 *
 * Costs a few µs per switch and a callback per store into app RAM, so it is
 * off by default.  docs/fuzzing.md says what it covers and what it cannot.
 */
#ifndef HAILSIM_ISOCHECK_H
#define HAILSIM_ISOCHECK_H

#include "isoshadow.h"
#include "procview.h"

struct isocheck {
    struct procview pv;
    bool armed;                             /* a process runs (unprivileged) */
    bool booted;                            /* a process has run: loading is over */
    bool overflow_warned;
    int running;                            /* index of the process on the CPU, -1 = none */
    uint32_t app_lo, app_hi;                /* the app RAM pool (board) */
    uint64_t hash[PROCVIEW_MAX_PROCS];
    struct isoshadow shadow[PROCVIEW_MAX_PROCS];
    uint64_t checks;                        /* process runs checked */
    uint64_t kernel_writes;                 /* privileged stores into app RAM checked */
    size_t hook;                            /* the Unicorn store hook on the pool (uc_hook) */
    bool hooked;
};

struct isocheck *isocheck_open(struct machine *m, const char *kernel_elf, char *err, size_t errlen);
/* Exception return into unprivileged thread mode with this PSP (the frame
 * popped), r0 the value it returns with. */
void isocheck_enter(struct machine *m, struct isocheck *ic, uint32_t psp, uint32_t r0);
/* Exception `exc` taken from unprivileged thread mode; `frame` holds the
 * stacked r0-r3, r12, lr, return address and xPSR, `psp` where they go. */
void isocheck_leave(struct machine *m, struct isocheck *ic, int exc, const uint32_t frame[8], uint32_t psp);
/* A privileged store of `size` bytes at `addr` (inside the app RAM pool) by the instruction at `pc`. */
void isocheck_kernel_write(struct machine *m, struct isocheck *ic, uint32_t addr, uint32_t size, uint32_t pc);
void isocheck_close(struct machine *m, struct isocheck *ic);

/* isoinv.c: the kernel invariants checked at each entry (false = stopped). */
bool isoinv_check(struct machine *m, struct isocheck *ic, uint32_t psp);
/* Stops the run: an `isolation` event of this kind, and the message. */
void isocheck_violation(struct machine *m, const char *kind, const char *victim, const char *writer,
                        uint32_t addr, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
