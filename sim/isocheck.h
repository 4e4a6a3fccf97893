/*
 * isocheck.h — `--check-isolation`: the simulator watches the kernel keep
 * processes apart.  When the CPU enters a process (exception return to
 * unprivileged thread mode) it hashes the RAM block of every other process
 * (from the kernel-awareness table), leaving out what the MPU lets the
 * running process write (IPC shared buffers); when the process traps back it
 * hashes them again.  Any difference means the process wrote memory it does
 * not own, which no MPU-respecting kernel can allow: the run stops with exit
 * status 3 and an `isolation` trace event naming both processes.  Costs a
 * few µs per switch, so it is off by default.
 */
#ifndef HAILSIM_ISOCHECK_H
#define HAILSIM_ISOCHECK_H

#include "procview.h"

struct isocheck {
    struct procview pv;
    bool armed;
    int running;                            /* index of the process on the CPU, -1 = none */
    uint64_t hash[PROCVIEW_MAX_PROCS];
    uint64_t checks;
};

struct isocheck *isocheck_open(struct machine *m, const char *kernel_elf, char *err, size_t errlen);
/* Exception return into unprivileged thread mode with this PSP. */
void isocheck_enter(struct machine *m, struct isocheck *ic, uint32_t psp);
/* An exception taken from unprivileged thread mode. */
void isocheck_leave(struct machine *m, struct isocheck *ic);
void isocheck_close(struct isocheck *ic);

#endif
