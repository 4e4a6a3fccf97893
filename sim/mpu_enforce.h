/*
 * mpu_enforce.h — makes the MPU model bite.  Two jobs:
 *   access_check(): the full architectural decision for one access (PPB is
 *     privileged-only, the MPU or default map, flash is not writable, holes
 *     in the memory map are bus errors) — used for exception stacking,
 *     semihosting and to classify faults reported by Unicorn;
 *   mpu_enforce_update(): mirrors the decision for the current privilege into
 *     Unicorn page protections, so guest accesses that are not allowed trap
 *     (UC_HOOK_MEM_*_PROT) with an exact PC.  Recomputed only when the
 *     privilege or the MPU configuration changes; only changed spans are
 *     re-protected.  Pages are 32 bytes, the MPU's smallest granule.
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

#endif
