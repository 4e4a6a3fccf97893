/*
 * procview.c — reads the kernel-awareness table from guest RAM and keeps a
 * log of system calls derived from counter changes (see procview.h).
 * Offsets follow docs/awareness.md; fields are read as little-endian words
 * so the host's own struct layout never matters.
 */
#include <stdio.h>
#include <string.h>

#include "elf_load.h"
#include "machine.h"
#include "procview.h"

#define AW_MAGIC 0x4B415741u
#define AW_VERSION 1u
#define AW_HEADER 24u
#define AW_RECORD_MIN 100u
#define AW_RECORD_MAX 256u

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int procview_init(struct procview *pv, struct machine *m, const char *kernel_elf, char *err, size_t errlen)
{
    struct elf_image img;
    memset(pv, 0, sizeof *pv);
    pv->m = m;
    if (elf_load_file(kernel_elf, &img, err, errlen) != 0)
        return -1;
    pv->present = elf_find_symbol(&img, "kernel_awareness", &pv->addr) == 0;
    elf_free(&img);
    return 0;
}

static void read_record(struct procview_proc *r, const uint8_t *p)
{
    memcpy(r->name, p, PROCVIEW_NAME_LEN);
    r->name[PROCVIEW_NAME_LEN - 1] = '\0';
    r->state = rd32(p + 24);
    r->pid = rd32(p + 28);
    r->restarts = rd32(p + 56);
    r->syscalls = rd32(p + 60);
    r->timeslices = rd32(p + 64);
    r->dropped = rd32(p + 68);
    r->fault_kind = rd32(p + 72);
    r->fault_pc = rd32(p + 76);
    r->fault_cfsr = rd32(p + 80);
    r->fault_addr = rd32(p + 84);
    r->last_syscall = rd32(p + 88);
    r->mem_start = rd32(p + 40);
    r->mem_size = rd32(p + 44);
    r->app_break = rd32(p + 48);
    r->kernel_break = rd32(p + 52);
    r->flash_start = rd32(p + 32);
    r->flash_size = rd32(p + 36);
    r->saved_sp = rd32(p + 92);
}

static void log_add(struct procview *pv, const struct procview_proc *r, uint32_t calls)
{
    struct procview_log_entry *e = &pv->log[pv->log_head];
    e->t_ns = machine_time_ns(pv->m);
    memcpy(e->name, r->name, sizeof e->name);
    e->syscall = r->last_syscall;
    e->calls = calls;
    pv->log_head = (pv->log_head + 1) % PROCVIEW_LOG;
    if (pv->nlog < PROCVIEW_LOG)
        pv->nlog++;
}

/* Compares a fresh record with the one shown so far and logs new calls. */
static void update_record(struct procview *pv, int i, const struct procview_proc *r)
{
    struct procview_proc *old = &pv->procs[i];
    bool same_proc = i < pv->nprocs && old->pid == r->pid;
    if (r->syscalls != (same_proc ? old->syscalls : 0) && r->syscalls > 0) {
        uint32_t calls = same_proc && r->syscalls > old->syscalls ? r->syscalls - old->syscalls : r->syscalls;
        log_add(pv, r, calls);
    }
    *old = *r;
}

static const uint8_t *table_ptr(struct procview *pv, uint32_t *nprocs, uint32_t *recsize)
{
    const uint8_t *h = machine_host_ptr(pv->m, pv->addr, AW_HEADER);
    if (!h || rd32(h) != AW_MAGIC || rd32(h + 4) != AW_VERSION || rd32(h + 8) < AW_RECORD_MIN ||
        rd32(h + 8) > AW_RECORD_MAX)
        return NULL;                    /* a corrupt header is "no table", never a huge read */
    *recsize = rd32(h + 8);
    *nprocs = rd32(h + 12);
    if (*nprocs > PROCVIEW_MAX_PROCS)
        *nprocs = PROCVIEW_MAX_PROCS;
    return machine_host_ptr(pv->m, pv->addr, AW_HEADER + *nprocs * *recsize);   /* <= 24 + 20 * 256 */
}

bool procview_sample(struct procview *pv)
{
    uint32_t n = 0, recsize = 0;
    const uint8_t *t = pv->present ? table_ptr(pv, &n, &recsize) : NULL;
    bool was_valid = pv->valid;
    pv->valid = t != NULL;
    if (!t) {
        bool changed = was_valid || pv->nprocs != 0;
        pv->nprocs = 0;
        return changed;
    }
    if (was_valid && rd32(t + 16) == pv->generation && (int)n == pv->nprocs)
        return false;
    pv->generation = rd32(t + 16);
    for (uint32_t i = 0; i < n; i++) {
        struct procview_proc r;
        read_record(&r, t + AW_HEADER + i * recsize);
        update_record(pv, (int)i, &r);
    }
    pv->nprocs = (int)n;
    return true;
}

const struct procview_log_entry *procview_log_get(const struct procview *pv, int i)
{
    if (i < 0 || i >= pv->nlog)
        return NULL;
    return &pv->log[(pv->log_head - 1 - i + 2 * PROCVIEW_LOG) % PROCVIEW_LOG];
}

const char *procview_state_name(uint32_t state)
{
    static const char *const names[] = {
        "unused", "running", "yielded", "yielded-for", "stopped(running)",
        "stopped(yielded)", "stopped(yielded-for)", "faulted", "terminated"
    };
    return state < sizeof names / sizeof names[0] ? names[state] : "unknown";
}

const char *procview_fault_name(uint32_t kind)
{
    static const char *const names[] = {
        "-", "MemManage", "BusFault", "UsageFault", "HardFault", "bad syscall", "bad stack", "killed"
    };
    return kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

void procview_syscall_text(uint32_t syscall, char *out, size_t len)
{
    static const char *const classes[] = {
        "yield", "subscribe", "command", "allow-rw", "allow-ro", "memop", "exit", "allow-ur"
    };
    uint32_t cls = syscall & 0xFF, num = syscall >> 8;
    if (cls < sizeof classes / sizeof classes[0])
        snprintf(out, len, "%s 0x%x", classes[cls], num);
    else
        snprintf(out, len, "class %u 0x%x", cls, num);
}
