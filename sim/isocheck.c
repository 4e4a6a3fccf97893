/*
 * isocheck.c — the isolation watchdog of `--check-isolation` (see
 * isocheck.h): process writes by hashing, kernel writes at each store.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unicorn/unicorn.h>

#include "board.h"
#include "cpu_state.h"
#include "isocheck.h"
#include "machine.h"
#include "mpu.h"
#include "trace.h"

#define CHUNK 32u                           /* the MPU's smallest granule */

static void warn_overflow(struct isocheck *ic, int i);
#define EXC_SVCALL 11

static void hook_store(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
    (void)uc, (void)type, (void)value;
    struct machine *m = user;
    struct isocheck *ic = m->isocheck;
    if (ic && !ic->armed)
        isocheck_kernel_write(m, ic, (uint32_t)addr, (uint32_t)size, cpu_reg(m, UC_ARM_REG_PC));
}

struct isocheck *isocheck_open(struct machine *m, const char *kernel_elf, char *err, size_t errlen)
{
    struct isocheck *ic = calloc(1, sizeof *ic);
    if (!ic) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (procview_init(&ic->pv, m, kernel_elf, err, errlen) != 0) {
        free(ic);
        return NULL;
    }
    if (!ic->pv.present) {
        snprintf(err, errlen, "--check-isolation: %s has no kernel_awareness table", kernel_elf);
        free(ic);
        return NULL;
    }
    ic->running = -1;
    ic->app_lo = m->board->app_ram.base;
    ic->app_hi = m->board->app_ram.base + m->board->app_ram.size;
    if (m->uc && ic->app_hi > ic->app_lo) {
        uc_hook h;
        if (uc_hook_add(m->uc, &h, UC_HOOK_MEM_WRITE, (void *)hook_store, m, ic->app_lo, ic->app_hi - 1u)
            != UC_ERR_OK) {
            snprintf(err, errlen, "--check-isolation: cannot hook stores into app RAM");
            free(ic);
            return NULL;
        }
        ic->hook = h;
        ic->hooked = true;
    }
    return ic;
}

void isocheck_violation(struct machine *m, const char *kind, const char *victim, const char *writer,
                        uint32_t addr, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    trace_emit(m, "isolation", "\"kind\":\"%s\",\"victim\":\"%s\",\"writer\":\"%s\",\"addr\":%u", kind, victim,
               writer, addr);
    cpu_fatal(m, STOP_CPU_ERROR, "isolation violated: %s", msg);
}

/* FNV-1a over the chunks of a block the running process may not write. */
static uint64_t block_hash(struct machine *m, const struct procview_proc *p)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t off = 0; off + CHUNK <= p->mem_size; off += CHUNK) {
        uint32_t addr = p->mem_start + off;
        const uint8_t *b = machine_host_ptr(m, addr, CHUNK);
        if (!b || mpu_allows(&m->mpu, addr, ACC_WRITE, false, false))
            continue;
        for (uint32_t i = 0; i < CHUNK; i++)
            h = (h ^ b[i]) * 0x100000001b3ull;
    }
    return h;
}

static bool is_block(const struct procview_proc *p)
{
    return p->state != 0 && p->mem_size != 0;
}

static bool is_alive(const struct procview_proc *p)
{
    return p->state >= 1 && p->state <= 6;          /* Running .. Stopped(YieldedFor) */
}

static int block_of(const struct isocheck *ic, uint32_t addr)
{
    for (int i = 0; i < ic->pv.nprocs; i++) {
        const struct procview_proc *p = &ic->pv.procs[i];
        if (is_block(p) && addr - p->mem_start < p->mem_size)
            return i;
    }
    return -1;
}

void isocheck_enter(struct machine *m, struct isocheck *ic, uint32_t psp, uint32_t r0)
{
    procview_sample(&ic->pv);
    ic->running = block_of(ic, psp);
    ic->booted = true;
    if (ic->running >= 0) {
        const struct procview_proc *p = &ic->pv.procs[ic->running];
        struct isoshadow *s = &ic->shadow[ic->running];
        isoshadow_sync(s, p);
        bool ok = isoshadow_resume(s, r0);
        warn_overflow(ic, ic->running);
        if (!ok) {
            isocheck_violation(m, "allow", p->name, "kernel", s->pending.ptr,
                               "the kernel accepted allow(class %u, driver 0x%x, number %u) of [0x%08x, +%u) from "
                               "'%s', outside its RAM [0x%08x, 0x%08x)", s->pending.cls, s->pending.driver,
                               s->pending.num, s->pending.ptr, s->pending.len, p->name, p->mem_start, p->app_break);
            return;
        }
    }
    if (!isoinv_check(m, ic, psp))
        return;
    for (int i = 0; i < ic->pv.nprocs; i++)
        if (i != ic->running && is_block(&ic->pv.procs[i]))
            ic->hash[i] = block_hash(m, &ic->pv.procs[i]);
    ic->armed = true;
}

static int svc_number(struct machine *m, uint32_t return_pc)
{
    const uint8_t *insn = machine_host_ptr(m, (return_pc & ~1u) - 2u, 2);
    return insn && insn[1] == 0xDF ? insn[0] : -1;  /* SVC #imm8 is 0xDFxx */
}

void isocheck_leave(struct machine *m, struct isocheck *ic, int exc, const uint32_t frame[8], uint32_t psp)
{
    if (!ic->armed)
        return;
    ic->armed = false;
    ic->checks++;
    const char *who = ic->running >= 0 ? ic->pv.procs[ic->running].name : "an unknown process";
    for (int i = 0; i < ic->pv.nprocs; i++) {
        const struct procview_proc *p = &ic->pv.procs[i];
        if (i == ic->running || !is_block(p) || block_hash(m, p) == ic->hash[i])
            continue;
        isocheck_violation(m, "process-write", p->name, who, p->mem_start,
                           "the RAM of process '%s' (block 0x%08x) changed while '%s' ran", p->name, p->mem_start,
                           who);
        return;
    }
    if (ic->running >= 0) {
        int svc = exc == EXC_SVCALL ? svc_number(m, frame[6]) : -1;
        isoshadow_trap(&ic->shadow[ic->running], &ic->pv.procs[ic->running], psp, svc, frame);
    }
}

/* Is a privileged store at [addr, addr+size) in process i's block one the kernel may make? */
static bool kernel_may_write(struct isocheck *ic, int i, uint32_t addr, uint32_t size)
{
    const struct procview_proc *p = &ic->pv.procs[i];
    if (!is_alive(p))
        return true;                                /* being loaded, reset or torn down */
    if (addr >= p->kernel_break && (uint64_t)addr + size <= (uint64_t)p->mem_start + p->mem_size)
        return true;                                /* its grant region: kernel memory */
    isoshadow_sync(&ic->shadow[i], p);
    return isoshadow_covers(&ic->shadow[i], p, addr, size);
}

/* More live allows than the shadow holds: later ones are not tracked, so a
 * kernel write into them would be reported wrongly; say so once. */
static void warn_overflow(struct isocheck *ic, int i)
{
    if (!ic->shadow[i].overflow || ic->overflow_warned)
        return;
    ic->overflow_warned = true;
    fprintf(stderr, "hailsim: --check-isolation: process '%s' holds more than %d allowed buffers; "
            "writes into the others will be reported as violations\n", ic->pv.procs[i].name, ISOSHADOW_ALLOWS);
}

void isocheck_kernel_write(struct machine *m, struct isocheck *ic, uint32_t addr, uint32_t size, uint32_t pc)
{
    if (m->stop != STOP_NONE)
        return;
    ic->kernel_writes++;
    /* the table as it is now: a restart between two entries into processes
     * changes a block's pid and state (cheap when the generation has not moved) */
    procview_sample(&ic->pv);
    int i = block_of(ic, addr);
    if (i < 0 ? !ic->booted : kernel_may_write(ic, i, addr, size))
        return;
    const char *caller = ic->running >= 0 ? ic->pv.procs[ic->running].name : "none";
    if (i < 0) {
        isocheck_violation(m, "kernel-write", "none", "kernel", addr,
                           "the kernel (pc 0x%08x) wrote %u bytes at 0x%08x, app RAM outside every process "
                           "(last process: '%s')", pc, size, addr, caller);
        return;
    }
    const struct procview_proc *p = &ic->pv.procs[i];
    isocheck_violation(m, "kernel-write", p->name, "kernel", addr,
                       "the kernel (pc 0x%08x) wrote %u bytes at 0x%08x in the RAM of '%s' [0x%08x, 0x%08x), "
                       "outside its grants, allowed buffers and stacked frame (last process: '%s')", pc, size,
                       addr, p->name, p->mem_start, p->app_break, caller);
}

void isocheck_close(struct machine *m, struct isocheck *ic)
{
    if (!ic)
        return;
    if (ic->hooked && m->uc)
        uc_hook_del(m->uc, (uc_hook)ic->hook);
    free(ic);
}
