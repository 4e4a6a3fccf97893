/*
 * syscall.c — the system-call layer (tock-abi.md §1 and §4).  Decodes the
 * svc a process trapped with, validates every pointer against the caller's
 * own memory, keeps subscribe/allow state in the driver's grant with Tock's
 * swap semantics, and writes the exact return variants.  Yield only changes
 * the process state; upcalls are delivered by the main loop (kernel.c).
 *
 * Check order (Impl, kernel/src/kernel.rs): pointer validity (INVAL), then
 * the driver (NODEVICE), then the slot number (NOSUPPORT), then the grant
 * allocation (NOMEM).  Failures hand the passed values back.
 */
#include <string.h>

#include "kernel/kernel.h"

enum { SYS_YIELD, SYS_SUBSCRIBE, SYS_COMMAND, SYS_ALLOW_RW, SYS_ALLOW_RO, SYS_MEMOP, SYS_EXIT,
       SYS_ALLOW_UR };
enum { YIELD_NO_WAIT, YIELD_WAIT, YIELD_WAIT_FOR };
enum slot_kind { SLOT_UPCALL, SLOT_RO, SLOT_RW };

static uint8_t *kptr(uint32_t addr) { return (uint8_t *)(uintptr_t)addr; }

static void set_state(struct kernel *k, struct process *p, enum process_state s)
{
    p->state = s;
    kernel_process_changed(k, p);
}

static void fault(struct kernel *k, struct process *p, enum fault_kind kind, const struct arch_syscall *sc)
{
    struct fault_record f;
    memset(&f, 0, sizeof f);
    f.kind = (uint8_t)kind;
    f.sp = p->regs.psp;
    f.pc = p->regs.yield_pc;
    f.xpsr = p->regs.psr;
    if (sc != NULL)
        memcpy(f.r, sc->r, sizeof f.r);
    process_fault(k, p, &f);
}

/* ---- memory checks (64-bit sums: a wrapping range is never inside) -------- */
static bool range_in(uint32_t addr, uint32_t len, uint32_t lo, uint32_t hi)
{
    uint64_t end = (uint64_t)addr + len;
    return addr >= lo && end <= hi && end <= 0xFFFFFFFFull;
}

/* App-owned RAM: [mem_start, app_break). */
static bool in_app_ram(const struct process *p, uint32_t addr, uint32_t len)
{
    return range_in(addr, len, p->mem_start, p->app_break);
}

/* App flash after the protected region: [app_start, flash_start + flash_size). */
static bool in_app_flash(const struct process *p, uint32_t addr, uint32_t len)
{
    return range_in(addr, len, p->app_start, p->flash_start + p->flash_size);
}

/* Allow buffers (§1.6): length 0 may point anywhere; RO may also be in flash. */
static bool allow_valid(const struct process *p, uint32_t addr, uint32_t len, bool ro)
{
    if (len == 0)
        return true;
    return in_app_ram(p, addr, len) || (ro && in_app_flash(p, addr, len));
}

/* Impl (is_valid_upcall_function_pointer): a pointer-sized range in flash or RAM. */
static bool upcall_fn_valid(const struct process *p, uint32_t fn)
{
    return fn == 0 || in_app_flash(p, fn, 4) || in_app_ram(p, fn, 4);
}

/* Small driver numbers (the Hail capsules') by direct index; the others
 * (IPC 0x10000, RNG 0x40001, ...) by a scan of the registered drivers. */
const struct syscall_driver *kernel_find_driver(const struct kernel *k, uint32_t num)
{
    if (num < KERNEL_DRIVER_DIRECT) {
        unsigned i = k->driver_direct[num];
        return i != 0 ? k->drivers[i - 1] : NULL;
    }
    for (int i = 0; i < k->ndrivers; i++)
        if (k->drivers[i]->num == num)
            return k->drivers[i];
    return NULL;
}

/* ---- yield ------------------------------------------------------------------- */
/* A task that yield-wait would run (Null Upcalls are discarded, Impl). */
static bool has_runnable_task(const struct task_queue *q)
{
    for (unsigned i = 0; i < q->count; i++) {
        const struct task *t = &q->slot[(q->head + i) % TASK_QUEUE_LEN];
        if (t->kind != TASK_UPCALL || t->fn != 0)
            return true;
    }
    return false;
}

static void yield_no_wait(struct kernel *k, struct process *p, uint32_t flag)
{
    bool any = has_runnable_task(&p->tasks);
    if (flag != 0 && in_app_ram(p, flag, 1))
        *kptr(flag) = any ? 1 : 0;
    if (any)
        set_state(k, p, PROC_YIELDED);
}

/* Yield-wait-for returns raw r0-r2 = the event's arguments, r3 unchanged.
 * arch_set_syscall_return writes only the registers the r0 "variant" names,
 * and here r0 is an arbitrary value: a first write with a 4-word variant
 * stores r1-r3, the second stores r0 (and rewrites r1.. with the same values). */
static void set_yield_for_return(struct process *p, const uint32_t a[3], uint32_t r3)
{
    arch_set_syscall_return(&p->regs, (struct sysret){ SYSRET_SUCCESS_3U32, a[1], a[2], r3 });
    arch_set_syscall_return(&p->regs, (struct sysret){ a[0], a[1], a[2], r3 });
}

static void yield_wait_for(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    struct task t;
    uint8_t sub = sc->r[2] > 0xFFu ? 0xFFu : (uint8_t)sc->r[2];
    if (task_queue_take_match(&p->tasks, sc->r[1], sub, &t)) {
        set_yield_for_return(p, t.args, sc->r[3]);
        return;
    }
    p->yield_for_driver = sc->r[1];
    p->yield_for_subscribe = sub;
    set_state(k, p, PROC_YIELDED_FOR);
}

void syscall_return_yield_for(struct kernel *k, struct process *p, const uint32_t args[3])
{
    struct arch_syscall sc;
    uint32_t r3 = 0;
    if (arch_get_syscall(&p->regs, p->mem_start, p->app_break, &sc))
        r3 = sc.r[3];
    set_yield_for_return(p, args, r3);
    set_state(k, p, PROC_RUNNING);
}

static void do_yield(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    switch (sc->r[0]) {
    case YIELD_NO_WAIT:
        yield_no_wait(k, p, sc->r[1]);
        break;
    case YIELD_WAIT:
        task_queue_drop_null_head(&p->tasks);
        set_state(k, p, PROC_YIELDED);
        break;
    case YIELD_WAIT_FOR:
        yield_wait_for(k, p, sc);
        break;
    default:
        fault(k, p, FAULT_BAD_SYSCALL, sc);      /* Impl: invalid yield number */
        break;
    }
}

/* ---- grant slots (subscribe / allow) ---------------------------------------- */
static uint32_t slot_count(const struct grant *g, enum slot_kind kind)
{
    if (g == NULL)
        return 0;
    return kind == SLOT_UPCALL ? g->n_upcalls : kind == SLOT_RO ? g->n_ro_allows : g->n_rw_allows;
}

/* The driver's grant region in p (allocated on first use), or the error. */
static errorcode_t enter_slot(struct process *p, const struct grant *g, enum slot_kind kind, uint32_t num,
                              void **region)
{
    errorcode_t err = ERR_NOMEM;
    if (num >= slot_count(g, kind))
        return ERR_NOSUPPORT;
    *region = grant_region(p, g, true, &err);
    if (*region == NULL)
        return err != ERR_NONE ? err : ERR_NOMEM;
    return ERR_NONE;
}

static struct sysret do_subscribe(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    uint32_t drv = sc->r[0], num = sc->r[1], fn = sc->r[2], ud = sc->r[3];
    const struct syscall_driver *d;
    void *region = NULL;
    errorcode_t err;

    if (!upcall_fn_valid(p, fn))
        return sysret_failure_2u32(ERR_INVAL, fn, ud);
    d = kernel_find_driver(k, drv);
    if (d == NULL)
        return sysret_failure_2u32(ERR_NODEVICE, fn, ud);       /* Impl: the passed values */
    err = enter_slot(p, d->grant, SLOT_UPCALL, num, &region);
    if (err != ERR_NONE)
        return sysret_failure_2u32(err, fn, ud);
    struct grant_upcall *up = &grant_upcalls(d->grant, region)[num];
    struct grant_upcall old = *up;
    up->fn = fn;
    up->userdata = ud;
    task_queue_remove_matching(&p->tasks, drv, (uint8_t)num);
    return sysret_success_2u32(old.fn, old.userdata);
}

static struct sysret do_command(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    const struct syscall_driver *d = kernel_find_driver(k, sc->r[0]);
    if (d == NULL || d->command == NULL)
        return sysret_failure(ERR_NODEVICE);
    return d->command(d->ctx, sc->r[1], sc->r[2], sc->r[3], p->id);
}

/* RW (class 3) and RO (class 4) allow with swap semantics. */
static struct sysret do_allow(struct kernel *k, struct process *p, const struct arch_syscall *sc, bool rw)
{
    uint32_t drv = sc->r[0], num = sc->r[1], ptr = sc->r[2], len = sc->r[3];
    const struct syscall_driver *d;
    void *region = NULL;
    errorcode_t err;

    if (!allow_valid(p, ptr, len, !rw))
        return sysret_failure_2u32(ERR_INVAL, ptr, len);
    d = kernel_find_driver(k, drv);
    if (d == NULL)
        return sysret_failure_2u32(ERR_NODEVICE, ptr, len);
    err = enter_slot(p, d->grant, rw ? SLOT_RW : SLOT_RO, num, &region);
    if (err != ERR_NONE)
        return sysret_failure_2u32(err, ptr, len);
    struct grant_allow *a = rw ? &grant_rw_allows(d->grant, region)[num] : &grant_ro_allows(d->grant, region)[num];
    struct grant_allow old = *a;
    a->ptr = ptr;
    a->len = len;
    if (rw && len != 0 && ptr + len > p->allow_high_water)
        p->allow_high_water = ptr + len;
    if (d->allow_changed != NULL)
        d->allow_changed(d->ctx, p->id, rw, num);
    return sysret_success_2u32(old.ptr, old.len);
}

/* Userspace-readable allow (class 7): validated like RW, but no grant declares
 * a userspace-readable space (the Hail drivers use none), so it is NOSUPPORT
 * for every existing driver — what Tock's default driver method returns. */
static struct sysret do_allow_ur(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    uint32_t ptr = sc->r[2], len = sc->r[3];
    if (!allow_valid(p, ptr, len, false))
        return sysret_failure_2u32(ERR_INVAL, ptr, len);
    if (kernel_find_driver(k, sc->r[0]) == NULL)
        return sysret_failure_2u32(ERR_NODEVICE, ptr, len);
    return sysret_failure_2u32(ERR_NOSUPPORT, ptr, len);
}

/* ---- memop (§4) ------------------------------------------------------------------ */
static struct sysret memop_sbrk(struct kernel *k, struct process *p, uint32_t arg)
{
    uint32_t old = p->app_break;
    int64_t target = (int64_t)old + (int32_t)arg;
    if (target < 0 || target > 0xFFFFFFFFll)
        return sysret_failure(ERR_NOMEM);
    if (process_brk(k, p, (uint32_t)target) != ERR_NONE)
        return sysret_failure(ERR_NOMEM);
    return sysret_success_u32(old);
}

/* Writeable flash regions (memop 7-9) come from the TBF header in flash. */
static struct sysret memop_wfr(const struct process *p, uint32_t op, uint32_t n)
{
    struct tbf_header h;
    const char *why = NULL;
    memset(&h, 0, sizeof h);
    if (tbf_parse(kptr(p->flash_start), p->flash_size, KERNEL_VERSION_MAJOR, KERNEL_VERSION_MINOR, &h, &why)
        != TBF_OK)
        h.n_wfr = 0;
    if (op == 7)
        return sysret_success_u32((uint32_t)h.n_wfr);
    if (n >= (uint32_t)h.n_wfr)
        return sysret_failure(ERR_FAIL);
    uint32_t start = p->flash_start + h.wfr_offset[n];
    return sysret_success_u32(op == 8 ? start : start + h.wfr_size[n]);
}

static struct sysret do_memop(struct kernel *k, struct process *p, uint32_t op, uint32_t arg)
{
    switch (op) {
    case 0:
        return process_brk(k, p, arg) == ERR_NONE ? sysret_success() : sysret_failure(ERR_NOMEM);
    case 1: return memop_sbrk(k, p, arg);
    case 2: return sysret_success_u32(p->mem_start);
    case 3: return sysret_success_u32(p->mem_start + p->mem_size);
    case 4: return sysret_success_u32(p->flash_start);
    case 5: return sysret_success_u32(p->flash_start + p->flash_size);
    case 6: return sysret_success_u32(p->kernel_break);
    case 7: case 8: case 9: return memop_wfr(p, op, arg);
    case 10: p->stack_hint = arg; return sysret_success();
    case 11: p->heap_hint = arg; return sysret_success();
    default: return sysret_failure(ERR_NOSUPPORT);
    }
}

/* ---- exit (§1.8) -------------------------------------------------------------------- */
static void do_exit(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    if (sc->r[0] == 0) {
        process_terminate(k, p, true, sc->r[1]);
    } else if (sc->r[0] == 1) {
        p->has_completion_code = true;       /* Impl: terminate(code) then reset; */
        p->completion_code = sc->r[1];       /* process_restart keeps the stored code */
        process_restart(k, p);
    } else {
        arch_set_syscall_return(&p->regs, sysret_failure(ERR_NOSUPPORT));
    }
}

/* ---- entry ------------------------------------------------------------------------------ */
static void dispatch(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    switch (sc->class_num) {
    case SYS_YIELD: do_yield(k, p, sc); return;
    case SYS_EXIT: do_exit(k, p, sc); return;
    case SYS_SUBSCRIBE: arch_set_syscall_return(&p->regs, do_subscribe(k, p, sc)); return;
    case SYS_COMMAND: arch_set_syscall_return(&p->regs, do_command(k, p, sc)); return;
    case SYS_ALLOW_RW: arch_set_syscall_return(&p->regs, do_allow(k, p, sc, true)); return;
    case SYS_ALLOW_RO: arch_set_syscall_return(&p->regs, do_allow(k, p, sc, false)); return;
    case SYS_MEMOP: arch_set_syscall_return(&p->regs, do_memop(k, p, sc->r[0], sc->r[1])); return;
    case SYS_ALLOW_UR: arch_set_syscall_return(&p->regs, do_allow_ur(k, p, sc)); return;
    default: fault(k, p, FAULT_BAD_SYSCALL, sc); return;
    }
}

void syscall_handle(struct kernel *k, struct process *p)
{
    struct arch_syscall sc;
    if (!arch_get_syscall(&p->regs, p->mem_start, p->app_break, &sc)) {
        fault(k, p, FAULT_BAD_STACK, NULL);
        return;
    }
    p->syscall_count++;
    p->last_syscall = (uint32_t)sc.class_num | sc.r[0] << 8;
    dispatch(k, p, &sc);
}
