/*
 * mpu.h — the ARMv7-M PMSAv7 MPU: register model (TYPE, CTRL, RNR, RBAR,
 * RASR and the three alias pairs) and the permission check that decides, for
 * one address, access kind and privilege, whether the MPU allows it.
 * mpu_enforce.c turns these decisions into Unicorn page protections.
 */
#ifndef HAILSIM_MPU_H
#define HAILSIM_MPU_H

#include "machine.h"

#define MPU_CTRL_ENABLE     1u
#define MPU_CTRL_HFNMIENA   2u
#define MPU_CTRL_PRIVDEFENA 4u

enum { ACC_READ = 1, ACC_WRITE = 2, ACC_EXEC = 4 };

void mpu_reset(struct mpu_state *mpu, int nregions);
uint32_t mpu_reg_read(struct mpu_state *mpu, uint32_t off);
void mpu_reg_write(struct mpu_state *mpu, uint32_t off, uint32_t val);
/* true if the MPU (or the default memory map) allows the access.
 * `ignore_mpu`: HardFault/NMI/FAULTMASK context with HFNMIENA clear. */
bool mpu_allows(const struct mpu_state *mpu, uint32_t addr, int acc, bool priv, bool ignore_mpu);
/* true if the default memory map marks addr execute-never */
bool mpu_default_xn(uint32_t addr);
/* Adds to `out` every address in [lo, hi) where the MPU decision can change
 * (region and subregion edges); returns the new count (at most `cap`). */
int mpu_boundaries(const struct mpu_state *mpu, uint64_t lo, uint64_t hi, uint64_t *out, int n, int cap);

#endif
