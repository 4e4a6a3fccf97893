/*
 * awareness.c — the kernel-awareness table exported at the symbol
 * `kernel_awareness` (awareness.h): one fixed-layout record per process
 * slot, rewritten from the process table whenever a process changes state
 * (kernel_process_changed() calls awareness_update()).  `generation` is
 * bumped after each rewrite, so a reader that samples a changed generation
 * re-reads and always ends with the final state.
 */
#include <string.h>

#include "kernel/awareness_update.h"
#include "kernel/kernel.h"

#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)

struct awareness_table kernel_awareness __attribute__((used));
/* The TBF name each record's name was copied from (the name of a slot does
 * not change with its state: copied again only for another TBF object). */
static const char *named_from[AWARENESS_MAX_PROCS];

void awareness_init(const struct kernel *k)
{
    (void)k;
    memset(&kernel_awareness, 0, sizeof kernel_awareness);
    memset(named_from, 0, sizeof named_from);
    kernel_awareness.magic = AWARENESS_MAGIC;
    kernel_awareness.version = AWARENESS_VERSION;
    kernel_awareness.record_size = sizeof(struct awareness_proc);
    kernel_awareness.kernel_version = (uint32_t)KERNEL_VERSION_MAJOR << 16 | KERNEL_VERSION_MINOR;
}

static void copy_name(char *dst, const struct process *p)
{
    uint32_t n = p->name != NULL ? p->name_len : 0;
    if (n > AWARENESS_NAME_LEN - 1)
        n = AWARENESS_NAME_LEN - 1;
    memset(dst, 0, AWARENESS_NAME_LEN);
    if (n != 0)
        memcpy(dst, p->name, n);
}

static uint32_t fault_addr(const struct fault_record *f)
{
    if (f->cfsr & CFSR_MMARVALID)
        return f->mmfar;
    if (f->cfsr & CFSR_BFARVALID)
        return f->bfar;
    return 0;
}

static void fill(struct awareness_proc *r, const struct process *p, ptrdiff_t i)
{
    if (named_from[i] == NULL || named_from[i] != p->name) {
        copy_name(r->name, p);
        named_from[i] = p->name;
    }
    r->state = (uint32_t)p->state;
    r->pid = (uint32_t)p->id.index | (uint32_t)p->id.generation << 16;
    r->flash_start = p->flash_start;
    r->flash_size = p->flash_size;
    r->mem_start = p->mem_start;
    r->mem_size = p->mem_size;
    r->app_break = p->app_break;
    r->kernel_break = p->kernel_break;
    r->restart_count = p->restart_count;
    r->syscall_count = p->syscall_count;
    r->timeslice_expirations = p->timeslice_expirations;
    r->dropped_upcalls = p->tasks.dropped;
    r->fault_kind = p->fault.kind;
    r->fault_pc = p->fault.pc;
    r->fault_cfsr = p->fault.cfsr;
    r->fault_addr = fault_addr(&p->fault);
    r->last_syscall = p->last_syscall;
    r->saved_sp = p->regs.psp;
    r->saved_pc = p->regs.yield_pc;      /* the resume point of a yielded process */
}

/* Records in use cover every slot written so far; then the generation moves. */
static void bump(const struct kernel *k, uint32_t written)
{
    uint32_t n = k->nprocs < AWARENESS_MAX_PROCS ? (uint32_t)k->nprocs : AWARENESS_MAX_PROCS;
    if (written > n)
        n = written;
    if (n > kernel_awareness.nprocs)
        kernel_awareness.nprocs = n;
    __asm__ volatile("" ::: "memory");   /* records before the generation */
    kernel_awareness.generation++;
}

void awareness_update(const struct kernel *k, const struct process *p)
{
    ptrdiff_t i = p->id.index;
    if (i < 0 || i >= AWARENESS_MAX_PROCS)
        return;
    fill(&kernel_awareness.procs[i], p, i);
    bump(k, (uint32_t)i + 1);
}

void awareness_refresh_all(const struct kernel *k)
{
    for (int i = 0; i < k->nprocs && i < AWARENESS_MAX_PROCS; i++)
        if (k->procs[i] != NULL)
            fill(&kernel_awareness.procs[i], k->procs[i], i);
    bump(k, 0);
}
