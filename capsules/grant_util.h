/*
 * grant_util.h — small helpers the capsules share for walking processes:
 * grant_peek() returns a process's grant data only if it already exists
 * (unlike grant_enter(), it never allocates), so a capsule can visit "every
 * process that uses me" without carving grant memory in the others.
 */
#ifndef CAPSULES_GRANT_UTIL_H
#define CAPSULES_GRANT_UTIL_H

#include "kernel/kernel.h"

static inline void *grant_peek(const struct grant *g, processid_t pid)
{
    struct process *p = kernel_process(the_kernel, pid);
    void *region = p ? grant_region(p, g, false, NULL) : NULL;
    return region ? grant_data(g, region) : NULL;
}

/* for (processid_t pid = FIRST_PROCESS; VALID(pid); pid = kernel_next_process(pid)) */
#define GRANT_FOR_EACH_PROCESS(pid) \
    for (processid_t pid = kernel_next_process(PROCESSID_NONE); !processid_eq(pid, PROCESSID_NONE); \
         pid = kernel_next_process(pid))

#endif
