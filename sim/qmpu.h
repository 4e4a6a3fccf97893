/*
 * qmpu.h — drives QEMU's own PMSAv7 MPU inside Unicorn 2.0.1.
 *
 * Unicorn does not expose the M-profile MPU, but its CPU state holds QEMU's
 * complete PMSAv7 implementation: MPU_CTRL and CCR inside the v7m state, and
 * the region arrays (DRBAR/DRSR/DRACR) on the heap.  Enforcing the guest's
 * MPU there costs nothing while the guest runs, is exact to the byte, and
 * follows privilege changes by itself (QEMU keeps separate TLBs per
 * privilege).  The offsets are found at start-up from marker values in a
 * saved context, and qmpu_self_test() proves on a scratch engine that the
 * result enforces correctly (a denied unprivileged load traps at the exact
 * PC with the right fault address).  If anything does not match, the
 * simulator falls back to page protections (mpu_enforce.c).
 */
#ifndef HAILSIM_QMPU_H
#define HAILSIM_QMPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

/* an otherwise unused page (in the vendor-specific system area), mapped so
 * that toggling its protection flushes QEMU's TLB (see qmpu_flush) */
#define QMPU_FLUSH_PAGE 0xFFFFF000u
#define QMPU_FLUSH_SIZE 0x1000u

struct qmpu_layout {
    bool valid;
    size_t ctx_size;
    size_t data_off;            /* offset of the CPU state inside the context blob */
    size_t other_sp, ccr, mpu_ctrl, exc_vaddress, pmsav7;   /* offsets inside the CPU state */
};

struct qmpu {
    struct qmpu_layout layout;
    uc_context *ctx;
    uint32_t *drbar, *drsr, *dracr;
    int nregions;
};

/* Finds the layout on a scratch engine and checks that it enforces. */
int qmpu_self_test(struct qmpu_layout *out, char *err, size_t errlen);
/* Binds to an engine (its region arrays); the engine must be privileged thread mode. */
int qmpu_attach(struct qmpu *q, uc_engine *uc, const struct qmpu_layout *layout, int nregions,
                char *err, size_t errlen);
void qmpu_detach(struct qmpu *q);
/* Writes one region (RBAR address bits, RASR) into QEMU's arrays. */
void qmpu_set_region(struct qmpu *q, int r, uint32_t rbar, uint32_t rasr);
/* Writes MPU_CTRL and CCR into QEMU's v7m state and flushes its TLB. */
void qmpu_set_ctrl_ccr(struct qmpu *q, uc_engine *uc, uint32_t ctrl, uint32_t ccr);
/* Flushes QEMU's TLB after region changes. */
void qmpu_flush(uc_engine *uc);
/* Fault address QEMU recorded for the last MPU abort. */
uint32_t qmpu_fault_address(struct qmpu *q, uc_engine *uc);

#endif
