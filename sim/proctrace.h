/*
 * proctrace.h — `proc` trace events: whenever the kernel-awareness table
 * (docs/awareness.md) says a process changed state, one event per changed
 * process with its name, pid, state and counters.  The table is checked at
 * every exception return (its generation word only), which is where a
 * Tock-style kernel's state changes become visible to the process.
 */
#ifndef HAILSIM_PROCTRACE_H
#define HAILSIM_PROCTRACE_H

#include "procview.h"

struct proctrace {
    struct procview pv;
    uint32_t last_state[PROCVIEW_MAX_PROCS];
    uint32_t last_pid[PROCVIEW_MAX_PROCS];
    int nlast;
};

/* Allocates the tracker for a kernel ELF; NULL (no error) when the ELF has
 * no awareness table or there is no trace. */
struct proctrace *proctrace_open(struct machine *m, const char *kernel_elf, char *err, size_t errlen, int *failed);
void proctrace_check(struct machine *m, struct proctrace *pt);
void proctrace_close(struct proctrace *pt);

#endif
