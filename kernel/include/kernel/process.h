/*
 * process.h — a process: its flash image (TBF), its RAM block (stack, data,
 * heap growing up; grants growing down from the top), saved registers,
 * state, task queue, counters and fault record.  The state machine follows
 * Tock (tock-abi.md §7.1).  As in Tock, struct process (the PCB, task queue
 * included) lives in the kernel-owned top of the process's own RAM block,
 * above the grant pointer table (process.c); the kernel's table holds one
 * pointer per slot.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include "kernel/arch.h"
#include "kernel/grant.h"
#include "kernel/tbf.h"
#include "kernel/types.h"
#include "kernel/upcall.h"

enum process_state {
    PROC_UNUSED = 0,
    PROC_RUNNING,            /* has code to run */
    PROC_YIELDED,            /* blocked in yield-wait (or not started): runnable when a task is queued */
    PROC_YIELDED_FOR,        /* blocked in yield-wait-for (driver, subscribe) */
    PROC_STOPPED_RUNNING,    /* stopped by the kernel; remembers what it was */
    PROC_STOPPED_YIELDED,
    PROC_STOPPED_YIELDED_FOR,
    PROC_FAULTED,            /* crashed and the fault policy stopped it */
    PROC_TERMINATED,         /* exited or killed; can be booted again */
};

enum fault_kind { FAULT_NONE, FAULT_MEMMANAGE, FAULT_BUSFAULT, FAULT_USAGEFAULT, FAULT_HARDFAULT,
                  FAULT_BAD_SYSCALL, FAULT_BAD_STACK, FAULT_KILLED };

struct fault_record {
    uint8_t kind;
    uint32_t cfsr, hfsr, mmfar, bfar;
    uint32_t pc, lr, sp, xpsr;
    uint32_t r[4], r12;
};

struct process {
    enum process_state state;
    processid_t id;
    /* flash */
    uint32_t flash_start, flash_size;       /* the whole TBF object */
    uint32_t app_start;                     /* after header + protected trailer */
    uint32_t binary_end, entry;
    const char *name;
    uint8_t name_len;
    uint32_t short_id;
    uint32_t min_ram;
    /* RAM block: [mem_start, mem_start + mem_size) */
    uint32_t mem_start, mem_size;
    uint32_t app_break;                     /* top of app-accessible RAM */
    uint32_t kernel_break;                  /* bottom of kernel-owned RAM (grants) */
    uint32_t allow_high_water;              /* brk may not go below an RW-allowed buffer */
    uint32_t initial_kernel_break;
    uint32_t stack_hint, heap_hint;         /* memop 10 / 11 */
    /* execution */
    struct arch_process_state regs;
    struct arch_mpu_config mpu;
    struct task_queue tasks;
    uint32_t yield_for_driver;
    uint8_t yield_for_subscribe;
    uint32_t yield_no_wait_flag;            /* address of the yield-no-wait result byte, 0 = none */
    /* accounting */
    uint32_t restart_count, syscall_count, timeslice_expirations;
    uint32_t last_syscall;                  /* class | number << 8 */
    bool has_completion_code;
    uint32_t completion_code;
    struct fault_record fault;
    struct grant_entry *grant_table;        /* just below the PCB, at the top of the block */
    uint8_t ngrants;                        /* entries in grant_table */
    /* IPC buffers other processes shared with this one, as mapped into its
     * MPU at delivery (ipc.c); dropped when the sharer revokes or dies */
    struct ipc_map { processid_t client; uint32_t start, len; } ipc_maps[ARCH_MPU_REGIONS];
    uint8_t n_ipc_maps;
};

struct kernel;

/* Bytes the PCB takes at the top of the RAM block (8-aligned). */
#define PROCESS_PCB_BYTES ((uint32_t)((sizeof(struct process) + 7u) & ~(size_t)7u))
/* Kernel-owned bytes at the top of every RAM block: PCB + grant pointer table. */
uint32_t process_kernel_part(const struct kernel *k);

/* Creates a process from a parsed TBF header in slot `index`; allocates its
 * RAM from [*pool, pool_end) and advances *pool.  Returns ERR_NONE or the
 * reason it could not (NOMEM: does not fit; SIZE: its flash is not aligned
 * so that the MPU can cover it; INVAL: bad header values). */
errorcode_t process_create(struct kernel *k, int index, uint32_t flash_start, const struct tbf_header *h,
                           uint32_t *pool, uint32_t pool_end);
/* Back to the initial state: memory reset, grants dropped, entry point queued. */
void process_reset(struct kernel *k, struct process *p);
void process_terminate(struct kernel *k, struct process *p, bool has_code, uint32_t code);
void process_restart(struct kernel *k, struct process *p);
void process_stop(struct kernel *k, struct process *p);
void process_resume(struct kernel *k, struct process *p);
/* A fault happened in p: record it and apply the board's fault policy. */
void process_fault(struct kernel *k, struct process *p, const struct fault_record *f);

/* Running, yielded or stopped (NULL: false).  Inline: on every syscall and upcall path. */
static inline bool process_is_alive(const struct process *p)
{
    return p != NULL && p->state >= PROC_RUNNING && p->state <= PROC_STOPPED_YIELDED_FOR;
}
bool process_is_runnable(const struct process *p);         /* NULL: false */
const char *process_state_name(enum process_state s);      /* Rust-Debug-like text, e.g. "Yielded" */

/* brk/sbrk: ERR_NONE or ERR_NOMEM (zero-fills newly granted RAM). */
errorcode_t process_brk(struct kernel *k, struct process *p, uint32_t new_break);
/* Is [addr, addr+len) inside the app-accessible RAM / flash of p? (len 0: always true) */
bool process_in_ram(const struct process *p, uint32_t addr, uint32_t len);
bool process_in_flash(const struct process *p, uint32_t addr, uint32_t len);
/* Kernel memory for grants: carve `size` bytes (aligned 8) below kernel_break. */
void *process_alloc_kernel(struct kernel *k, struct process *p, uint32_t size);

/* Queues a task; false when the queue is full (counted as dropped). */
bool process_enqueue(struct process *p, const struct task *t);

#endif
