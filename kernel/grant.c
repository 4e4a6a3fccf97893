/*
 * grant.c — per-process, per-capsule kernel memory (grant.h, tock-abi.md §9).
 *
 * Each process has a grant pointer table at the top of its RAM block, just
 * below its PCB (p->grant_table, p->ngrants entries: one {driver_num, ptr}
 * per grant registered when it was created, indexed by grant->index; ptr = 0:
 * not allocated).  A region is carved with
 * process_alloc_kernel() on first use and zeroed:
 *   +0  header word: n_upcalls | n_ro << 8 | n_rw << 16
 *   +4  upcalls[n_upcalls] {fn, userdata}, ro[n_ro] {ptr, len}, rw[n_rw] {ptr, len}
 *   ... data, 8-aligned.
 * grant_region(..., allocate = false) on a not-yet-allocated grant returns
 * NULL with *err = ERR_NONE ("nothing stored yet").
 */
#include "kernel/kernel.h"

#define HEADER_BYTES 4u

static uint32_t align8(uint32_t x) { return (x + 7u) & ~7u; }

/* Entries in p's table (the grants registered when p was created). */
static uint32_t table_len(const struct process *p)
{
    return p->grant_table ? p->ngrants : 0;
}

static uint32_t data_offset(const struct grant *g)
{
    uint32_t n = (uint32_t)g->n_upcalls + g->n_ro_allows + g->n_rw_allows;
    return align8(HEADER_BYTES + n * 8u);
}

uint32_t grant_region_size(const struct grant *g)
{
    return data_offset(g) + align8(g->data_size);
}

static void set_err(errorcode_t *err, errorcode_t e)
{
    if (err)
        *err = e;
}

void *grant_region(struct process *p, const struct grant *g, bool allocate, errorcode_t *err)
{
    set_err(err, ERR_NONE);
    if (!process_is_alive(p)) {
        set_err(err, ERR_NODEVICE);
        return NULL;
    }
    if (g->index >= table_len(p)) {
        set_err(err, ERR_FAIL);
        return NULL;
    }
    struct grant_entry *e = &p->grant_table[g->index];
    if (e->ptr)
        return (void *)(uintptr_t)e->ptr;
    if (!allocate)
        return NULL;
    uint32_t *region = process_alloc_kernel(the_kernel, p, grant_region_size(g));
    if (!region) {
        set_err(err, ERR_NOMEM);
        return NULL;
    }
    region[0] = (uint32_t)g->n_upcalls | (uint32_t)g->n_ro_allows << 8 | (uint32_t)g->n_rw_allows << 16;
    e->driver_num = g->driver_num;
    e->ptr = (uint32_t)(uintptr_t)region;
    return region;
}

void *grant_enter(const struct grant *g, processid_t pid)
{
    if (!the_kernel)
        return NULL;
    struct process *p = kernel_process(the_kernel, pid);
    if (!p)
        return NULL;
    void *region = grant_region(p, g, true, NULL);
    return region ? grant_data(g, region) : NULL;
}

struct grant_upcall *grant_upcalls(const struct grant *g, void *region)
{
    (void)g;
    return (struct grant_upcall *)((uint8_t *)region + HEADER_BYTES);
}

struct grant_allow *grant_ro_allows(const struct grant *g, void *region)
{
    return (struct grant_allow *)((uint8_t *)region + HEADER_BYTES + 8u * g->n_upcalls);
}

struct grant_allow *grant_rw_allows(const struct grant *g, void *region)
{
    return (struct grant_allow *)((uint8_t *)region + HEADER_BYTES + 8u * (g->n_upcalls + g->n_ro_allows));
}

void *grant_data(const struct grant *g, void *region)
{
    return (uint8_t *)region + data_offset(g);
}

int grant_count_allocated(const struct process *p)
{
    if (!process_is_alive(p))
        return 0;
    int n = 0;
    for (uint32_t i = 0; i < table_len(p); i++)
        n += p->grant_table[i].ptr != 0;
    return n;
}
