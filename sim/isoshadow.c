/*
 * isoshadow.c — what the kernel may write on a process's behalf, learned
 * from the process's own system calls (see isoshadow.h).
 */
#include <string.h>

#include "isoshadow.h"

enum { SVC_YIELD = 0, SVC_ALLOW_RW = 3, SVC_MEMOP = 5, SVC_ALLOW_UR = 7 };
enum { YIELD_NO_WAIT = 0, MEMOP_BRK = 0, MEMOP_SBRK = 1 };
#define SUCCESS_2U32 130u
#define FRAME_BYTES 32u

void isoshadow_sync(struct isoshadow *s, const struct procview_proc *p)
{
    if (s->pid == p->pid && s->restarts == p->restarts)
        return;
    memset(s, 0, sizeof *s);
    s->pid = p->pid;
    s->restarts = p->restarts;
}

static bool inside(uint32_t addr, uint32_t size, uint32_t lo, uint32_t hi)
{
    return addr >= lo && (uint64_t)addr + size <= hi;
}

/* The ABI's rule (tock-abi.md §1.6): a read-write buffer lies wholly in the
 * process's RAM below its break; an empty one may point anywhere. */
static bool allow_ok(const struct procview_proc *p, uint32_t ptr, uint32_t len)
{
    return len == 0 || inside(ptr, len, p->mem_start, p->app_break);
}

void isoshadow_trap(struct isoshadow *s, const struct procview_proc *p, uint32_t psp, int svc,
                    const uint32_t r[4])
{
    isoshadow_sync(s, p);
    s->psp_known = true;
    s->psp = psp;
    if (svc < 0)
        return;
    /* the ABI: the flag byte is written only if it lies in the process's RAM */
    s->flag_pending = svc == SVC_YIELD && r[0] == YIELD_NO_WAIT && inside(r[1], 1, p->mem_start, p->app_break);
    s->flag_addr = r[1];
    s->in_memop = svc == SVC_MEMOP && (r[0] == MEMOP_BRK || r[0] == MEMOP_SBRK);
    s->memop_from = p->app_break;       /* a grown break is zero-filled from the old one up */
    s->allow_pending = svc == SVC_ALLOW_RW || svc == SVC_ALLOW_UR;
    if (s->allow_pending) {
        s->pending = (struct isoshadow_allow){ (uint8_t)svc, r[0], r[1], r[2], r[3] };
        s->allow_pending_valid = allow_ok(p, r[2], r[3]);
    }
}

/* Swap semantics: the new buffer replaces the one held under the same
 * (class, driver, number); an empty buffer just gives the old one back. */
static void commit(struct isoshadow *s, const struct isoshadow_allow *a)
{
    int i = 0;
    while (i < s->nallows && !(s->allows[i].cls == a->cls && s->allows[i].driver == a->driver &&
                               s->allows[i].num == a->num))
        i++;
    if (i < s->nallows)
        s->allows[i] = s->allows[--s->nallows];
    if (a->len == 0)
        return;
    if (s->nallows == ISOSHADOW_ALLOWS) {
        s->overflow = true;
        return;
    }
    s->allows[s->nallows++] = *a;
}

bool isoshadow_resume(struct isoshadow *s, uint32_t r0)
{
    bool ok = true;
    if (s->allow_pending && r0 == SUCCESS_2U32) {
        ok = s->allow_pending_valid;
        if (ok)
            commit(s, &s->pending);
    }
    s->allow_pending = s->flag_pending = s->in_memop = false;
    return ok;
}

static bool in_allow(const struct isoshadow_allow *a, uint32_t addr, uint32_t size)
{
    return inside(addr, size, a->ptr, a->ptr + a->len);
}

bool isoshadow_covers(const struct isoshadow *s, const struct procview_proc *p, uint32_t addr, uint32_t size)
{
    uint32_t psp = s->psp_known ? s->psp : p->saved_sp;
    if (inside(addr, size, psp, psp + FRAME_BYTES))
        return true;
    if (s->flag_pending && addr == s->flag_addr && size == 1)
        return true;
    if (s->in_memop && inside(addr, size, s->memop_from, p->kernel_break))
        return true;
    if (s->allow_pending && s->allow_pending_valid && in_allow(&s->pending, addr, size))
        return true;
    for (int i = 0; i < s->nallows; i++)
        if (in_allow(&s->allows[i], addr, size))
            return true;
    return false;
}

const struct isoshadow_allow *isoshadow_ipc_share(const struct isoshadow *s, uint32_t peer)
{
    for (int i = 0; i < s->nallows; i++)
        if (s->allows[i].cls == SVC_ALLOW_RW && s->allows[i].driver == ISOSHADOW_IPC_DRIVER &&
            s->allows[i].num == peer)
            return &s->allows[i];
    return NULL;
}
