/*
 * isoshadow.h — for `--check-isolation`, the simulator's own account of
 * which bytes of a process's memory the kernel may write on its behalf,
 * derived from the system calls the process made (tock-abi.md §1) and
 * never from the kernel's data: the buffers it has allowed read-write
 * (class 3 and 7, validated against the ABI's rule by the simulator
 * itself), the flag byte of a pending yield-no-wait, the stacked frame at
 * its PSP, and its own memory during its brk/sbrk.  isocheck.c asks it
 * about every privileged store into a process's accessible RAM.
 */
#ifndef HAILSIM_ISOSHADOW_H
#define HAILSIM_ISOSHADOW_H

#include <stdbool.h>
#include <stdint.h>

#include "procview.h"

#define ISOSHADOW_ALLOWS 48
#define ISOSHADOW_IPC_DRIVER 0x10000u

struct isoshadow_allow {
    uint8_t cls;                        /* 3 (read-write) or 7 (userspace-readable) */
    uint32_t driver, num, ptr, len;
};

struct isoshadow {
    uint32_t pid;                       /* the process these rights belong to (index | generation << 16) */
    uint32_t restarts;                  /* ... and its restart count (the 16-bit generation may wrap) */
    bool psp_known;
    uint32_t psp;                       /* where its stacked frame is (PSP never moves in the kernel) */
    bool flag_pending;                  /* a yield-no-wait may write one byte here */
    uint32_t flag_addr;
    bool in_memop;                      /* its brk/sbrk is being served: it may zero from ... */
    uint32_t memop_from;                /* ... its break at the call up to its kernel break */
    bool allow_pending;                 /* an allow call awaiting its result */
    bool allow_pending_valid;           /* ... that the ABI's rule accepts */
    struct isoshadow_allow pending;
    int nallows;
    struct isoshadow_allow allows[ISOSHADOW_ALLOWS];
    bool overflow;                      /* more live allows than fit (isocheck reports it once) */
};

/* Forgets everything when `p` is not the process the rights were for. */
void isoshadow_sync(struct isoshadow *s, const struct procview_proc *p);
/* Process `p` trapped with its frame at `psp`; for an SVC, `svc` is the
 * immediate and r0-r3 its arguments (svc < 0 for other exceptions). */
void isoshadow_trap(struct isoshadow *s, const struct procview_proc *p, uint32_t psp, int svc,
                    const uint32_t r[4]);
/* The kernel resumes the process; `r0` is the value in its stacked frame.
 * Returns false when the kernel accepted an allow the ABI forbids (the
 * pending call is left in s->pending for the report). */
bool isoshadow_resume(struct isoshadow *s, uint32_t r0);
/* May the kernel write [addr, addr+size) in this process's accessible RAM? */
bool isoshadow_covers(const struct isoshadow *s, const struct procview_proc *p, uint32_t addr, uint32_t size);
/* The IPC buffer this process shares with process index `peer`, if any. */
const struct isoshadow_allow *isoshadow_ipc_share(const struct isoshadow *s, uint32_t peer);

#endif
