/*
 * awareness_update.h — how the kernel keeps the awareness table
 * (`kernel_awareness`, awareness.h) current: initialised by kernel_init(),
 * one record refreshed on every process state change through the kernel's
 * observer (k->observer = awareness_observer, set by kernel_init; process.c
 * and kernel_process_changed() call it).  The board calls none of this.
 */
#ifndef KERNEL_AWARENESS_UPDATE_H
#define KERNEL_AWARENESS_UPDATE_H

#include "kernel/awareness.h"

struct kernel;
struct process;

extern struct awareness_table kernel_awareness;

/* Header fields set, no records, generation 0. */
void awareness_init(const struct kernel *k);
/* Rewrites the record of p (its slot index) and bumps the generation. */
void awareness_update(const struct kernel *k, const struct process *p);
/* The observer kernel_init installs in k->observer (calls awareness_update). */
void awareness_observer(struct kernel *k, struct process *p);
/* Rewrites every record in use (after loading). */
void awareness_refresh_all(const struct kernel *k);

#endif
