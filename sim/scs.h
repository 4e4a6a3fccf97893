/*
 * scs.h — the ARMv7-M System Control Space (0xE000E000-0xE000EFFF) and the
 * DWT (0xE0001000).  scs.c maps them and dispatches each access to the
 * register model that owns it: nvic.c, scb.c, systick.c, mpu.c, dwt.c.
 * Every model reads and writes the machine's state; the exception state the
 * NVIC and SCB show lives in exc.c.
 */
#ifndef HAILSIM_SCS_H
#define HAILSIM_SCS_H

#include "machine.h"

int scs_attach(struct machine *m, char *err, size_t errlen);
void scs_reset(struct machine *m);

/* register models: `off` is relative to 0xE000E000 (DWT: to 0xE0001000),
 * word aligned; `mask` selects the bytes a narrow write touches. */
uint32_t nvic_read(struct machine *m, uint32_t off);
void nvic_write(struct machine *m, uint32_t off, uint32_t val, uint32_t mask);
uint32_t scb_read(struct machine *m, uint32_t off);
void scb_write(struct machine *m, uint32_t off, uint32_t val, uint32_t mask);
void systick_reset(struct machine *m);
uint32_t systick_read(struct machine *m, uint32_t off);
void systick_write(struct machine *m, uint32_t off, uint32_t val);
void dwt_reset(struct machine *m);
uint32_t dwt_read(struct machine *m, uint32_t off);
void dwt_write(struct machine *m, uint32_t off, uint32_t val);
void dwt_set_demcr(struct machine *m, uint32_t val);

#endif
