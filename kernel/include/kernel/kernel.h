/*
 * kernel.h — the kernel: the static process table, the registered grants
 * and drivers, the scheduler and fault policy chosen by the board, the main
 * loop, deferred calls, and the helpers capsules use to reach processes.
 * One struct kernel, statically allocated by the board (no heap anywhere).
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include "kernel/driver.h"
#include "kernel/process.h"
#include "kernel/sched.h"

#define KERNEL_MAX_PROCS 20
#define KERNEL_MAX_GRANTS 16
#define KERNEL_MAX_DRIVERS 24
#define KERNEL_MAX_DEFERRED 16
#define KERNEL_DRIVER_DIRECT 16  /* driver numbers below this are found by direct index */
#define KERNEL_VERSION_MAJOR 2
#define KERNEL_VERSION_MINOR 2

enum fault_policy_kind { FAULT_POLICY_PANIC, FAULT_POLICY_STOP, FAULT_POLICY_RESTART,
                         FAULT_POLICY_RESTART_THEN_STOP, FAULT_POLICY_RESTART_THEN_PANIC };

struct fault_policy {
    enum fault_policy_kind kind;
    uint32_t threshold;         /* restarts allowed for the *_THEN_* kinds */
};

/* What the chip provides to the main loop. */
struct chip_ops {
    void (*service_pending_interrupts)(void);
    bool (*has_pending_interrupts)(void);
    void (*sleep)(void);
};

struct deferred_call {
    void (*fn)(void *ctx);
    void *ctx;
};

/* Called for process state changes (the process console, the awareness table). */
typedef void (*process_observer_fn)(struct kernel *k, struct process *p);

struct kernel {
    struct process *procs[KERNEL_MAX_PROCS];     /* PCBs, in the processes' RAM blocks; NULL = unused */
    int nprocs;                                  /* slots in use */
    const struct grant *grants[KERNEL_MAX_GRANTS];
    int ngrants;
    const struct syscall_driver *drivers[KERNEL_MAX_DRIVERS];
    int ndrivers;
    uint8_t driver_direct[KERNEL_DRIVER_DIRECT];  /* num -> 1 + index in drivers[], 0 = none */
    struct scheduler *sched;
    struct fault_policy fault_policy;
    const struct chip_ops *chip;
    struct deferred_call deferred[KERNEL_MAX_DEFERRED];
    uint32_t deferred_pending;                   /* bit i: deferred[i] wants to run */
    int ndeferred;
    uint32_t app_ram_start, app_ram_end;         /* the pool process RAM comes from */
    uint32_t timeslice_expirations;
    uint16_t next_generation;
    process_observer_fn observer;
    void (*panic_hook)(struct kernel *k, const char *why);   /* board: crash report, blink */
};

/* The state of slot i (PROC_UNUSED for an empty slot). */
static inline enum process_state kernel_slot_state(const struct kernel *k, int i)
{
    return k->procs[i] != NULL ? k->procs[i]->state : PROC_UNUSED;
}

/* The one kernel instance (board-allocated); capsules reach it only through the functions below. */
extern struct kernel *the_kernel;

void kernel_init(struct kernel *k, const struct chip_ops *chip, struct scheduler *sched,
                 struct fault_policy policy, uint32_t app_ram_start, uint32_t app_ram_end);
/* Registration, before processes are loaded. */
int kernel_register_grant(struct kernel *k, struct grant *g);
int kernel_register_driver(struct kernel *k, const struct syscall_driver *d);
int kernel_register_deferred(struct kernel *k, void (*fn)(void *ctx), void *ctx);
void kernel_set_deferred(struct kernel *k, int handle);
/* Walks app flash and creates processes; returns how many were loaded.
 * Objects that are skipped are reported through `report` (may be NULL). */
int kernel_load_processes(struct kernel *k, uint32_t flash_start, uint32_t flash_end,
                          void (*report)(const char *name, uint32_t addr, const char *why));
/* The main loop; never returns. */
void kernel_loop(struct kernel *k) __attribute__((noreturn));
void kernel_panic(struct kernel *k, const char *why) __attribute__((noreturn));

/* ---- for capsules ---------------------------------------------------------- */
struct process *kernel_process(struct kernel *k, processid_t pid);   /* NULL if not alive */
/* Queues upcall `num` of the grant's driver for pid with three arguments.
 * Returns ERR_NONE, or ERR_NOMEM (queue full), ERR_NODEVICE (process gone). */
errorcode_t kernel_schedule_upcall(processid_t pid, const struct grant *g, uint8_t num,
                                   uint32_t a0, uint32_t a1, uint32_t a2);
/* The buffer a process allowed (RO or RW) under `num` for this grant's driver. */
bool kernel_get_allow(processid_t pid, const struct grant *g, bool rw, uint8_t num, uint8_t **ptr, uint32_t *len);
/* Iterates alive processes: returns the next pid after `after` (PROCESSID_NONE to start), or NONE. */
processid_t kernel_next_process(processid_t after);

/* ---- system calls (syscall.c) ---------------------------------------------------- */
void syscall_handle(struct kernel *k, struct process *p);

/* ---- added by the kernel-core implementation (kernel.c, syscall.c, ipc.c) ---------- */
/* One iteration of kernel_loop (kernel work, or one process run, or sleep); host tests drive it. */
void kernel_loop_once(struct kernel *k);
/* Every process state change goes through k->observer (kernel_init installs awareness_observer). */
void kernel_process_changed(struct kernel *k, struct process *p);
const struct syscall_driver *kernel_find_driver(const struct kernel *k, uint32_t num);
/* Makes p call fn(args[0..3]) at its next switch and marks it Running (faults it if the frame is bad). */
void kernel_run_function(struct kernel *k, struct process *p, uint32_t fn, const uint32_t args[4]);
/* Resumes a process blocked in yield-wait-for with r0-r2 = args (r3 kept); marks it Running. */
void syscall_return_yield_for(struct kernel *k, struct process *p, const uint32_t args[3]);

/* ---- IPC (kernel/ipc.c, driver 0x10000, tock-abi.md §10) ----------------------------- */
#define IPC_DRIVER_NUM 0x10000u
#define IPC_TASK_DRIVER 0xFFFFFFFFu     /* driver_num of TASK_IPC tasks: never matches a yield-wait-for */
extern struct grant ipc_grant;
extern const struct syscall_driver ipc_driver;
/* Registers the IPC grant and driver (the board calls it before kernel_load_processes). */
int ipc_register(struct kernel *k);
/* Runs a TASK_IPC for p: maps the caller's shared buffer and starts p's IPC upcall.
 * False when nothing was started (caller gone, no upcall subscribed: the event is dropped). */
bool ipc_run_task(struct kernel *k, struct process *p, const struct task *t);
/* Drops every mapped IPC buffer whose sharer has revoked it (allowed another
 * buffer or none under that index) or is no longer alive: called when an IPC
 * allow changes and when a process terminates. */
void ipc_unmap_stale(struct kernel *k);

#endif
