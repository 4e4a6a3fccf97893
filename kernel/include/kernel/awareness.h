/*
 * awareness.h — the kernel-awareness table: a small, versioned, fixed-layout
 * record of every process, exported at the ELF symbol `kernel_awareness` so
 * that the simulator (process panel, `proc` trace events) and a debugger
 * (GDB threads) can show processes without special hardware.  The kernel
 * updates it whenever a process changes state and bumps `generation`; the
 * simulator compares `generation` at exception returns.  Only fixed-width
 * fields: the host reads the same layout (docs/awareness.md).
 */
#ifndef KERNEL_AWARENESS_H
#define KERNEL_AWARENESS_H

#include <stdint.h>

#define AWARENESS_MAGIC 0x4B415741u     /* "AWAK" */
#define AWARENESS_VERSION 1u
#define AWARENESS_MAX_PROCS 20
#define AWARENESS_NAME_LEN 24

struct awareness_proc {
    char name[AWARENESS_NAME_LEN];      /* NUL-padded package name */
    uint32_t state;                     /* enum process_state (process.h) */
    uint32_t pid;                       /* index | generation << 16 */
    uint32_t flash_start, flash_size;
    uint32_t mem_start, mem_size, app_break, kernel_break;
    uint32_t restart_count, syscall_count, timeslice_expirations, dropped_upcalls;
    uint32_t fault_kind, fault_pc, fault_cfsr, fault_addr;
    uint32_t last_syscall;              /* class | number << 8 */
    uint32_t saved_sp, saved_pc;        /* where the process will resume */
};                                       /* 100 bytes */

struct awareness_table {
    uint32_t magic, version;
    uint32_t record_size;               /* sizeof(struct awareness_proc) */
    uint32_t nprocs;                    /* records in use */
    uint32_t generation;                /* bumped on every change */
    uint32_t kernel_version;            /* major << 16 | minor */
    struct awareness_proc procs[AWARENESS_MAX_PROCS];
};

#endif
