/*
 * isocheck.c — the isolation watchdog of `--check-isolation` (see
 * isocheck.h).
 */
#include <stdlib.h>

#include "cpu_state.h"
#include "isocheck.h"
#include "machine.h"
#include "mpu.h"
#include "trace.h"

#define CHUNK 32u                           /* the MPU's smallest granule */

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
    return ic;
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

void isocheck_enter(struct machine *m, struct isocheck *ic, uint32_t psp)
{
    procview_sample(&ic->pv);
    ic->running = -1;
    for (int i = 0; i < ic->pv.nprocs; i++) {
        const struct procview_proc *p = &ic->pv.procs[i];
        if (is_block(p) && psp - p->mem_start < p->mem_size)
            ic->running = i;
    }
    for (int i = 0; i < ic->pv.nprocs; i++)
        if (i != ic->running && is_block(&ic->pv.procs[i]))
            ic->hash[i] = block_hash(m, &ic->pv.procs[i]);
    ic->armed = true;
}

void isocheck_leave(struct machine *m, struct isocheck *ic)
{
    if (!ic->armed)
        return;
    ic->armed = false;
    ic->checks++;
    for (int i = 0; i < ic->pv.nprocs; i++) {
        const struct procview_proc *p = &ic->pv.procs[i];
        if (i == ic->running || !is_block(p) || block_hash(m, p) == ic->hash[i])
            continue;
        const char *who = ic->running >= 0 ? ic->pv.procs[ic->running].name : "an unknown process";
        trace_emit(m, "isolation", "\"victim\":\"%s\",\"writer\":\"%s\",\"block\":%u", p->name, who, p->mem_start);
        cpu_fatal(m, STOP_CPU_ERROR, "isolation violated: the RAM of process '%s' (block 0x%08x) changed while "
                  "'%s' ran", p->name, p->mem_start, who);
        return;
    }
}

void isocheck_close(struct isocheck *ic)
{
    free(ic);
}
