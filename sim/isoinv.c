/*
 * isoinv.c — the kernel invariants `--check-isolation` checks each time the
 * kernel enters a process (see isocheck.h): the process table read from the
 * kernel-awareness table is consistent with the board, and the MPU the
 * kernel programmed gives the entered process exactly what it owns.
 */
#include <stdlib.h>

#include "board.h"
#include "isocheck.h"
#include "machine.h"
#include "mpu.h"

#define MAX_EDGES 128

static bool is_alive(const struct procview_proc *p)
{
    return p->state >= 1 && p->state <= 6;
}

static bool overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    return alen != 0 && blen != 0 && (uint64_t)a < (uint64_t)b + blen && (uint64_t)b < (uint64_t)a + alen;
}

static bool within(uint32_t a, uint64_t alen, uint32_t lo, uint64_t len)
{
    return a >= lo && a + alen <= lo + len;
}

/* One process record against the board and its neighbours. */
static bool record_ok(struct machine *m, struct isocheck *ic, int i)
{
    const struct board *b = m->board;
    const struct procview_proc *p = &ic->pv.procs[i];
    uint64_t end = (uint64_t)p->mem_start + p->mem_size;
    const char *why = NULL;
    if (!(p->mem_start <= p->app_break && p->app_break <= p->kernel_break && p->kernel_break <= end))
        why = "its breaks are out of order (need start <= app break <= kernel break <= end)";
    else if (!within(p->mem_start, p->mem_size, b->app_ram.base, b->app_ram.size))
        why = "its RAM block is outside the board's app RAM";
    else if (!within(p->flash_start, p->flash_size, b->app_flash.base, b->app_flash.size))
        why = "its flash is outside the board's app flash";
    for (int j = 0; !why && j < i; j++) {
        const struct procview_proc *q = &ic->pv.procs[j];
        if (!is_alive(q))
            continue;
        if (overlap(p->mem_start, p->mem_size, q->mem_start, q->mem_size))
            why = "its RAM block overlaps another process's";
        else if (overlap(p->flash_start, p->flash_size, q->flash_start, q->flash_size))
            why = "its flash overlaps another process's";
    }
    if (!why)
        return true;
    isocheck_violation(m, "invariant", p->name, "kernel", p->mem_start,
                       "process '%s' (RAM [0x%08x, +0x%x), breaks 0x%08x/0x%08x, flash [0x%08x, +0x%x)): %s",
                       p->name, p->mem_start, p->mem_size, p->app_break, p->kernel_break, p->flash_start,
                       p->flash_size, why);
    return false;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* May unprivileged code of process r have `acc` on [lo, hi)? */
static bool entitled(const struct isocheck *ic, int r, uint64_t lo, uint64_t hi, int acc)
{
    const struct procview_proc *p = &ic->pv.procs[r];
    uint64_t len = hi - lo;
    /* Below the kernel break, not just the app break: like Tock's, the MPU
     * rounds the accessible region up to a subregion, never into grants. */
    if (within((uint32_t)lo, len, p->mem_start, p->kernel_break - p->mem_start))
        return true;
    if (!(acc & ACC_WRITE) && within((uint32_t)lo, len, p->flash_start, p->flash_size))
        return true;
    if (acc & ACC_EXEC)
        return false;
    for (int i = 0; i < ic->pv.nprocs; i++) {     /* an IPC buffer process i shares with r */
        const struct procview_proc *q = &ic->pv.procs[i];
        const struct isoshadow_allow *a = i != r && is_alive(q) && ic->shadow[i].pid == q->pid
            ? isoshadow_ipc_share(&ic->shadow[i], p->pid & 0xFFFFu) : NULL;
        if (a && within((uint32_t)lo, len, a->ptr, a->len) && within(a->ptr, a->len, q->mem_start,
                                                                     q->app_break - q->mem_start))
            return true;
    }
    return false;
}

/* Every address range the MPU opens to unprivileged code must be the process's. */
static bool mpu_ok(struct machine *m, struct isocheck *ic, int r)
{
    const struct procview_proc *p = &ic->pv.procs[r];
    if (!(m->mpu.ctrl & MPU_CTRL_ENABLE)) {
        isocheck_violation(m, "invariant", p->name, "kernel", 0, "the MPU is off while process '%s' runs",
                           p->name);
        return false;
    }
    uint64_t edge[MAX_EDGES];
    int n = mpu_boundaries(&m->mpu, 0, 1ull << 32, edge, 0, MAX_EDGES - 2);
    edge[n++] = 0;
    edge[n++] = 1ull << 32;
    qsort(edge, (size_t)n, sizeof edge[0], cmp_u64);
    static const int kinds[] = { ACC_READ, ACC_WRITE, ACC_EXEC };
    static const char *const names[] = { "read", "write", "execute" };
    for (int e = 0; e + 1 < n; e++) {
        if (edge[e] == edge[e + 1])
            continue;
        for (int k = 0; k < 3; k++) {
            if (!mpu_allows(&m->mpu, (uint32_t)edge[e], kinds[k], false, false) ||
                entitled(ic, r, edge[e], edge[e + 1], kinds[k]))
                continue;
            isocheck_violation(m, "invariant", p->name, "kernel", (uint32_t)edge[e],
                               "the MPU lets process '%s' %s [0x%08x, 0x%08llx), which is not its own "
                               "(RAM [0x%08x, 0x%08x) below its grants, flash [0x%08x, +0x%x)) nor an IPC "
                               "buffer shared with it", p->name, names[k], (uint32_t)edge[e],
                               (unsigned long long)edge[e + 1], p->mem_start, p->kernel_break, p->flash_start,
                               p->flash_size);
            return false;
        }
    }
    return true;
}

bool isoinv_check(struct machine *m, struct isocheck *ic, uint32_t psp)
{
    if (!ic->pv.valid) {
        isocheck_violation(m, "invariant", "none", "kernel", ic->pv.addr,
                           "the kernel-awareness table at 0x%08x is corrupt (magic or version wrong)", ic->pv.addr);
        return false;
    }
    for (int i = 0; i < ic->pv.nprocs; i++)
        if (is_alive(&ic->pv.procs[i]) && !record_ok(m, ic, i))
            return false;
    if (ic->running < 0 || !is_alive(&ic->pv.procs[ic->running])) {
        isocheck_violation(m, "invariant", "none", "kernel", psp,
                           "unprivileged code entered with PSP 0x%08x, outside every live process's RAM", psp);
        return false;
    }
    return mpu_ok(m, ic, ic->running);
}
