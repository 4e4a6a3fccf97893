/*
 * proctrace.c — `proc` trace events from the kernel-awareness table (see
 * proctrace.h).
 */
#include <stdlib.h>

#include "machine.h"
#include "proctrace.h"
#include "trace.h"

struct proctrace *proctrace_open(struct machine *m, const char *kernel_elf, char *err, size_t errlen, int *failed)
{
    *failed = 0;
    if (!m->trace)
        return NULL;
    struct proctrace *pt = calloc(1, sizeof *pt);
    if (!pt) {
        snprintf(err, errlen, "out of memory");
        *failed = 1;
        return NULL;
    }
    if (procview_init(&pt->pv, m, kernel_elf, err, errlen) != 0) {
        free(pt);
        *failed = 1;
        return NULL;
    }
    if (!pt->pv.present) {
        free(pt);
        return NULL;
    }
    return pt;
}

static void emit(struct machine *m, const struct procview_proc *p)
{
    char name[64];
    size_t len = 0;
    while (len < sizeof p->name && p->name[len])
        len++;
    trace_json_string(name, sizeof name, p->name, len);
    trace_emit(m, "proc", "\"name\":%s,\"pid\":%u,\"state\":\"%s\",\"restarts\":%u,\"syscalls\":%u,"
               "\"fault\":\"%s\"", name, p->pid, procview_state_name(p->state), p->restarts, p->syscalls,
               procview_fault_name(p->fault_kind));
}

void proctrace_check(struct machine *m, struct proctrace *pt)
{
    if (!procview_sample(&pt->pv))
        return;
    for (int i = 0; i < pt->pv.nprocs; i++) {
        const struct procview_proc *p = &pt->pv.procs[i];
        if (i < pt->nlast && pt->last_state[i] == p->state && pt->last_pid[i] == p->pid)
            continue;
        pt->last_state[i] = p->state;
        pt->last_pid[i] = p->pid;
        emit(m, p);
    }
    if (pt->pv.nprocs > pt->nlast)
        pt->nlast = pt->pv.nprocs;
}

void proctrace_close(struct proctrace *pt)
{
    free(pt);
}
