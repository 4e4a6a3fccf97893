/*
 * grant.h — per-process, per-capsule kernel memory (Tock's grants).
 *
 * The board declares one struct grant per capsule that keeps per-process
 * state; the kernel numbers them at boot.  A process's grant memory is
 * carved downward from the top of its RAM block the first time the capsule
 * (or a subscribe/allow for its driver) enters it, and all of it is given
 * back when the process terminates or restarts.  Layout of one grant region:
 *   header word (n_upcalls, n_ro, n_rw), upcalls[n_upcalls] {fn, userdata},
 *   ro_allows[n_ro] {ptr, len}, rw_allows[n_rw] {ptr, len}, data (8-aligned).
 * Capsules reach the data only through grant_enter(), which fails when the
 * process is not alive or its memory is exhausted (only that process sees
 * NOMEM).
 */
#ifndef KERNEL_GRANT_H
#define KERNEL_GRANT_H

#include "kernel/types.h"

struct process;

struct grant {
    uint32_t driver_num;
    uint16_t data_size;         /* the capsule's per-process struct */
    uint8_t n_upcalls, n_ro_allows, n_rw_allows;
    uint8_t index;              /* assigned by kernel_register_grant() */
};

struct grant_upcall { uint32_t fn, userdata; };
struct grant_allow { uint32_t ptr, len; };

/* Where a process's grant pointer table lives and how it is laid out: one
 * {driver_num, ptr} pair per registered grant at the very top of the block. */
struct grant_entry { uint32_t driver_num; uint32_t ptr; };

/* Capsule access: the per-process data (zeroed on first use) or NULL. */
void *grant_enter(const struct grant *g, processid_t pid);
/* The same, for the kernel itself (subscribe/allow) with a process pointer. */
void *grant_region(struct process *p, const struct grant *g, bool allocate, errorcode_t *err);
struct grant_upcall *grant_upcalls(const struct grant *g, void *region);
struct grant_allow *grant_ro_allows(const struct grant *g, void *region);
struct grant_allow *grant_rw_allows(const struct grant *g, void *region);
void *grant_data(const struct grant *g, void *region);
/* Bytes one grant region needs (header, arrays, data, alignment). */
uint32_t grant_region_size(const struct grant *g);
/* Number of grants of process p that are allocated (for `list`). */
int grant_count_allocated(const struct process *p);

#endif
