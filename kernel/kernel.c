/*
 * kernel.c — the kernel core: initialisation and registration, loading
 * processes from app flash, the main loop (tock-abi.md §8: kernel work,
 * scheduler next/result, timeslices, sleep), task delivery (upcalls, the
 * entry point, IPC), deferred calls, panic, and the helpers capsules use to
 * reach processes (schedule an upcall, read an allowed buffer, iterate).
 */
#include <string.h>

#include "kernel/awareness_update.h"
#include "kernel/kernel.h"

#define FIXED_ANY 0xFFFFFFFFu
#define ALWAYS_INLINE __attribute__((always_inline))   /* small helpers of the run loop (hot path) */

struct kernel *the_kernel;

/* The version of the MPU configuration last written to the hardware (0 =
 * none): reapplied only when the next process's configuration has another
 * version (arch.h: every configuration the arch produces has its own). */
static uint32_t mpu_applied_version;

/* ---- initialisation and registration ------------------------------------------- */
void kernel_init(struct kernel *k, const struct chip_ops *chip, struct scheduler *sched,
                 struct fault_policy policy, uint32_t app_ram_start, uint32_t app_ram_end)
{
    memset(k, 0, sizeof *k);
    k->chip = chip;
    k->sched = sched;
    k->fault_policy = policy;
    k->app_ram_start = app_ram_start;
    k->app_ram_end = app_ram_end;
    the_kernel = k;
    k->observer = awareness_observer;
    mpu_applied_version = 0;
    awareness_init(k);
}

int kernel_register_grant(struct kernel *k, struct grant *g)
{
    if (g == NULL || k->ngrants >= KERNEL_MAX_GRANTS)
        return -1;
    g->index = (uint8_t)k->ngrants;
    k->grants[k->ngrants] = g;
    return k->ngrants++;
}

int kernel_register_driver(struct kernel *k, const struct syscall_driver *d)
{
    if (d == NULL || k->ndrivers >= KERNEL_MAX_DRIVERS || kernel_find_driver(k, d->num) != NULL)
        return -1;
    k->drivers[k->ndrivers] = d;
    if (d->num < KERNEL_DRIVER_DIRECT)
        k->driver_direct[d->num] = (uint8_t)(k->ndrivers + 1);
    return k->ndrivers++;
}

int kernel_register_deferred(struct kernel *k, void (*fn)(void *ctx), void *ctx)
{
    if (fn == NULL || k->ndeferred >= KERNEL_MAX_DEFERRED)
        return -1;
    k->deferred[k->ndeferred] = (struct deferred_call){ fn, ctx };
    return k->ndeferred++;
}

void kernel_set_deferred(struct kernel *k, int handle)
{
    if (handle >= 0 && handle < k->ndeferred)
        k->deferred_pending |= 1u << handle;
}

/* Runs the lowest-numbered pending deferred call. */
static void run_next_deferred(struct kernel *k)
{
    for (int i = 0; i < k->ndeferred; i++) {
        if (k->deferred_pending & (1u << i)) {
            k->deferred_pending &= ~(1u << i);
            k->deferred[i].fn(k->deferred[i].ctx);
            return;
        }
    }
    k->deferred_pending = 0;     /* bits without a registered call */
}

/* The kernel's own observer (installed by kernel_init; process.c calls
 * k->observer): keeps the awareness table current.  A board that installs
 * another observer must call awareness_observer() from it. */
void awareness_observer(struct kernel *k, struct process *p)
{
    awareness_update(k, p);
}

void kernel_process_changed(struct kernel *k, struct process *p)
{
    if (k->observer != NULL)
        k->observer(k, p);
}

/* ---- loading (§5.4) ------------------------------------------------------------ */
typedef void (*load_report_fn)(const char *name, uint32_t addr, const char *why);

static void report_skip(load_report_fn report, const struct tbf_header *h, uint32_t addr, const char *why)
{
    char name[TBF_MAX_NAME + 1];
    uint32_t n = h->name != NULL ? h->name_len : 0;
    if (report == NULL)
        return;
    if (n > TBF_MAX_NAME)
        n = TBF_MAX_NAME;
    if (n != 0)
        memcpy(name, h->name, n);
    name[n] = '\0';
    report(name, addr, why != NULL ? why : "invalid");
}

/* The Fixed Addresses TLV: flash must be where the app binary really is. */
static const char *fixed_address_problem(const struct kernel *k, const struct tbf_header *h, uint32_t addr,
                                         uint32_t pool)
{
    (void)k;
    if (!h->has_fixed_addresses)
        return NULL;
    if (h->fixed_flash != FIXED_ANY && h->fixed_flash != addr + h->header_size + h->protected_trailer_size)
        return "fixed flash address mismatch";
    if (h->fixed_ram != FIXED_ANY && h->fixed_ram < pool)
        return "fixed RAM address mismatch";
    return NULL;
}

/* Creates the process for a valid header in the next free slot; NULL or why not. */
static const char *create_one(struct kernel *k, const struct tbf_header *h, uint32_t addr, uint32_t *pool)
{
    const char *why = fixed_address_problem(k, h, addr, *pool);
    uint32_t pool_before = *pool;
    int index = k->nprocs;
    if (why != NULL)
        return why;
    if (index >= KERNEL_MAX_PROCS)
        return "no free process slot";
    errorcode_t e = process_create(k, index, addr, h, pool, k->app_ram_end);
    if (e == ERR_NOMEM)
        return "does not fit";
    if (e == ERR_SIZE)
        return "flash not aligned to its size (the MPU cannot cover it)";
    if (e != ERR_NONE)
        return "invalid header values";
    if (h->has_fixed_addresses && h->fixed_ram != FIXED_ANY && k->procs[index]->mem_start != h->fixed_ram) {
        k->procs[index] = NULL;
        *pool = pool_before;
        return "fixed RAM address mismatch";
    }
    if (k->nprocs <= index)
        k->nprocs = index + 1;
    kernel_process_changed(k, k->procs[index]);
    return NULL;
}

int kernel_load_processes(struct kernel *k, uint32_t flash_start, uint32_t flash_end, load_report_fn report)
{
    uint32_t addr = flash_start, pool = k->app_ram_start;
    int loaded = 0;
    while (addr < flash_end) {                      /* every object is loaded or reported */
        struct tbf_header h;
        const char *why = NULL;
        memset(&h, 0, sizeof h);
        enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)addr, flash_end - addr, KERNEL_VERSION_MAJOR,
                                       KERNEL_VERSION_MINOR, &h, &why);
        if (st == TBF_END)
            break;
        if (st == TBF_TRUNCATED) {
            report_skip(report, &h, addr, why != NULL ? why : "truncated");
            break;
        }
        if (st == TBF_OK) {
            why = create_one(k, &h, addr, &pool);
            if (why == NULL)
                loaded++;
        }
        if (why != NULL && st != TBF_PADDING)
            report_skip(report, &h, addr, why);
        if (h.total_size == 0 || h.total_size > flash_end - addr)
            break;                                  /* cannot advance */
        addr += h.total_size;
    }
    awareness_refresh_all(k);
    return loaded;
}

/* ---- capsule helpers -------------------------------------------------------------- */
struct process *kernel_process(struct kernel *k, processid_t pid)
{
    if (k == NULL || pid.index >= k->nprocs)
        return NULL;
    struct process *p = k->procs[pid.index];
    if (p == NULL || !processid_eq(p->id, pid) || !process_is_alive(p))
        return NULL;
    return p;
}

processid_t kernel_next_process(processid_t after)
{
    struct kernel *k = the_kernel;
    int i = processid_eq(after, PROCESSID_NONE) ? 0 : after.index + 1;
    for (; k != NULL && i < k->nprocs; i++)
        if (process_is_alive(k->procs[i]))
            return k->procs[i]->id;
    return PROCESSID_NONE;
}

/* The saved upcall `num` of g in p, or the Null Upcall if never subscribed. */
static struct grant_upcall saved_upcall(struct process *p, const struct grant *g, uint8_t num)
{
    errorcode_t err = ERR_NONE;
    void *region = grant_region(p, g, false, &err);
    if (region == NULL)
        return (struct grant_upcall){ 0, 0 };
    return grant_upcalls(g, region)[num];
}

errorcode_t kernel_schedule_upcall(processid_t pid, const struct grant *g, uint8_t num, uint32_t a0, uint32_t a1,
                                   uint32_t a2)
{
    struct kernel *k = the_kernel;
    struct process *p = kernel_process(k, pid);
    if (p == NULL)
        return ERR_NODEVICE;
    if (g == NULL || num >= g->n_upcalls)
        return ERR_INVAL;
    if (p->state == PROC_YIELDED_FOR && p->yield_for_driver == g->driver_num && p->yield_for_subscribe == num) {
        const uint32_t args[3] = { a0, a1, a2 };
        syscall_return_yield_for(k, p, args);
        return ERR_NONE;
    }
    struct grant_upcall up = saved_upcall(p, g, num);
    struct task t = { .kind = TASK_UPCALL, .subscribe_num = num, .driver_num = g->driver_num, .fn = up.fn,
                      .args = { a0, a1, a2, up.userdata } };
    return process_enqueue(p, &t) ? ERR_NONE : ERR_NOMEM;
}

bool kernel_get_allow(processid_t pid, const struct grant *g, bool rw, uint8_t num, uint8_t **ptr, uint32_t *len)
{
    struct process *p = kernel_process(the_kernel, pid);
    errorcode_t err = ERR_NONE;
    void *region = NULL;
    *ptr = NULL;
    *len = 0;
    if (p == NULL || g == NULL || num >= (rw ? g->n_rw_allows : g->n_ro_allows))
        return false;
    region = grant_region(p, g, false, &err);
    if (region == NULL)
        return false;
    const struct grant_allow *a = rw ? &grant_rw_allows(g, region)[num] : &grant_ro_allows(g, region)[num];
    if (a->len == 0)
        return false;
    *ptr = (uint8_t *)(uintptr_t)a->ptr;
    *len = a->len;
    return true;
}

/* ---- task delivery ------------------------------------------------------------------ */
void kernel_run_function(struct kernel *k, struct process *p, uint32_t fn, const uint32_t args[4])
{
    if (!arch_set_process_function(&p->regs, p->mem_start, p->app_break, fn, args)) {
        struct fault_record f;
        memset(&f, 0, sizeof f);
        f.kind = FAULT_BAD_STACK;
        f.sp = p->regs.psp;
        f.pc = fn;
        process_fault(k, p, &f);
        return;
    }
    p->state = PROC_RUNNING;
    kernel_process_changed(k, p);
}

/* A Yielded process: start its next task; Null Upcalls are discarded (Impl). */
static bool deliver_next_task(struct kernel *k, struct process *p)
{
    struct task t;
    while (task_queue_pop(&p->tasks, &t)) {
        if (t.kind == TASK_IPC) {
            if (ipc_run_task(k, p, &t))
                return true;
        } else if (t.fn != 0) {
            kernel_run_function(k, p, t.fn, t.args);
            return true;
        }
    }
    return false;
}

/* A YieldedFor process (e.g. resumed from Stopped): a matching queued event ends the wait. */
static bool deliver_yield_for(struct kernel *k, struct process *p)
{
    struct task t;
    if (!task_queue_take_match(&p->tasks, p->yield_for_driver, p->yield_for_subscribe, &t))
        return false;
    syscall_return_yield_for(k, p, t.args);
    return true;
}

/* ---- running a process (do_process) ------------------------------------------------- */
static inline ALWAYS_INLINE bool chip_interrupts_pending(const struct kernel *k)
{
    return k->chip != NULL && k->chip->has_pending_interrupts != NULL && k->chip->has_pending_interrupts();
}

static inline ALWAYS_INLINE bool kernel_work_pending(const struct kernel *k)
{
    return chip_interrupts_pending(k) || k->deferred_pending != 0;
}

static inline ALWAYS_INLINE bool continue_process(struct kernel *k, int index)
{
    struct scheduler *s = k->sched;
    if (s->continue_process != NULL)
        return s->continue_process(s, k, index);
    return !kernel_work_pending(k);
}

static inline ALWAYS_INLINE void apply_mpu(const struct process *p)
{
    if (p->mpu.version == mpu_applied_version && mpu_applied_version != 0)
        return;
    arch_mpu_apply(&p->mpu);
    mpu_applied_version = p->mpu.version;
}

/* Switches to a Running process once and handles why it came back. */
static inline ALWAYS_INLINE enum arch_switch_reason run_once(struct kernel *k, struct process *p)
{
    apply_mpu(p);
    enum arch_switch_reason why = arch_switch_to_process(&p->regs);
    if (why == SWITCH_SYSCALL) {
        syscall_handle(k, p);
    } else if (why == SWITCH_FAULT) {
        struct fault_record f;
        memset(&f, 0, sizeof f);
        arch_last_fault(&p->regs, &f);
        process_fault(k, p, &f);
    }
    return why;
}

/* The generic version; the architecture may replace it with a fused one (arch.h). */
__attribute__((weak)) bool arch_timer_slice_over(uint32_t min_us)
{
    return arch_timer_expired() || arch_timer_remaining_us() <= min_us;
}

static inline ALWAYS_INLINE bool slice_over(uint32_t slice_us)
{
    return slice_us != 0 && arch_timer_slice_over(SCHED_MIN_QUANTUM_US);
}

/* One step for the process in its current state; false ends the run with *why. */
static inline ALWAYS_INLINE bool step(struct kernel *k, struct process *p, uint32_t slice_us, enum sched_result_reason *why)
{
    switch (p->state) {
    case PROC_RUNNING:
        if (run_once(k, p) == SWITCH_TIMESLICE && slice_us != 0) {
            *why = SCHED_TIMESLICE_EXPIRED;
            return false;
        }
        return true;
    case PROC_YIELDED:
        *why = SCHED_NO_WORK_LEFT;
        return deliver_next_task(k, p);
    case PROC_YIELDED_FOR:
        *why = SCHED_NO_WORK_LEFT;
        return deliver_yield_for(k, p);
    case PROC_STOPPED_RUNNING: case PROC_STOPPED_YIELDED: case PROC_STOPPED_YIELDED_FOR:
        *why = SCHED_STOPPED;
        return false;
    default:
        *why = SCHED_STOPPED_FAULTED;
        return false;
    }
}

static enum sched_result_reason run_process(struct kernel *k, int index, uint32_t slice_us)
{
    struct process *p = k->procs[index];
    enum sched_result_reason why = SCHED_NO_WORK_LEFT;
    for (;;) {
        if (slice_over(slice_us)) {
            why = SCHED_TIMESLICE_EXPIRED;
            break;
        }
        if (!continue_process(k, index)) {
            why = SCHED_KERNEL_PREEMPTION;
            break;
        }
        if (!step(k, p, slice_us, &why))
            break;
    }
    if (why == SCHED_TIMESLICE_EXPIRED) {
        k->timeslice_expirations++;
        p->timeslice_expirations++;
    }
    return why;
}

/* ---- the main loop ------------------------------------------------------------------------ */
static void kernel_work(struct kernel *k)
{
    struct scheduler *s = k->sched;
    if (s->execute_kernel_work != NULL) {
        s->execute_kernel_work(s, k);
        return;
    }
    if (k->chip != NULL && k->chip->service_pending_interrupts != NULL)
        k->chip->service_pending_interrupts();
    while (k->deferred_pending != 0 && !chip_interrupts_pending(k))
        run_next_deferred(k);
}

static bool kernel_work_now(struct kernel *k)
{
    struct scheduler *s = k->sched;
    if (s->do_kernel_work_now != NULL)
        return s->do_kernel_work_now(s, k);
    return kernel_work_pending(k);
}

/* Sleeps unless an interrupt or deferred call is pending (checked with interrupts masked). */
static void try_sleep(struct kernel *k)
{
    arch_disable_interrupts();
    if (!kernel_work_pending(k) && k->chip != NULL && k->chip->sleep != NULL)
        k->chip->sleep();
    arch_enable_interrupts();
}

static void run_decision(struct kernel *k, struct sched_decision d)
{
    struct scheduler *s = k->sched;
    uint32_t used = 0;
    if (d.timeslice_us != 0)
        arch_timer_start(d.timeslice_us);
    enum sched_result_reason why = run_process(k, d.index, d.timeslice_us);
    if (d.timeslice_us != 0) {
        uint32_t left = why == SCHED_TIMESLICE_EXPIRED ? 0 : arch_timer_remaining_us();
        used = left < d.timeslice_us ? d.timeslice_us - left : 0;
        arch_timer_stop();
    }
    if (s->result != NULL)
        s->result(s, k, why, used);
}

void kernel_loop_once(struct kernel *k)
{
    struct scheduler *s = k->sched;
    if (kernel_work_now(k)) {
        kernel_work(k);
        return;
    }
    struct sched_decision d = s->next(s, k);
    if (d.run && d.index >= 0 && d.index < k->nprocs && k->procs[d.index] != NULL)
        run_decision(k, d);
    else
        try_sleep(k);
}

void kernel_loop(struct kernel *k)
{
    for (;;)
        kernel_loop_once(k);
}

#ifdef KERNEL_HOST_TEST
void fake_kernel_halt(const char *why) __attribute__((noreturn));   /* tests/kernel/fake_arch.c */
#endif

void kernel_panic(struct kernel *k, const char *why)
{
    if (k != NULL && k->panic_hook != NULL)
        k->panic_hook(k, why);
#ifdef KERNEL_HOST_TEST
    fake_kernel_halt(why);
#else
    for (;;) {
    }
#endif
}
