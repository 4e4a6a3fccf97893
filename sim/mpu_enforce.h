/*
 * mpu_enforce.h — makes the MPU model bite.  Two jobs:
 *   access_check(): the full architectural decision for one access (PPB is
 *     privileged-only, the MPU or default map, flash is not writable, holes
 *     in the memory map are bus errors) — used for exception stacking,
 *     semihosting and to classify faults reported by Unicorn;
 *   mpu_enforce_update(): makes the guest's MPU configuration take effect.
 *     Normally it copies it into QEMU's own PMSAv7 MPU (qmpu.c), which then
 *     enforces at no cost and follows privilege by itself.  When qmpu's
 *     start-up self-test fails it falls back to Unicorn page protections for
 *     the current privilege (UC_HOOK_MEM_*_PROT with an exact PC), recomputed
 *     when privilege or configuration change; exact only at page (512-byte)
 *     granularity, so a warning is printed when that fallback is in use.
 */
#ifndef HAILSIM_MPU_ENFORCE_H
#define HAILSIM_MPU_ENFORCE_H

#include "machine.h"
#include "mpu.h"

enum access_result { ACCESS_OK, ACCESS_MEMMANAGE, ACCESS_BUSFAULT };

enum access_result access_check(struct machine *m, uint32_t addr, uint32_t size, int acc, bool priv);
int mpu_enforce_init(struct machine *m, char *err, size_t errlen);
void mpu_enforce_free(struct machine *m);
void mpu_enforce_update(struct machine *m);
/* Drops remembered access decisions (the MPU state was replaced: snapshot restore). */
void mpu_enforce_forget(struct machine *m);

#endif
