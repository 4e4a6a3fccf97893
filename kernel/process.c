/*
 * process.c — process creation from a TBF header, the RAM block and its
 * breaks, reset / terminate / restart / stop / resume (tock-abi.md §7.1),
 * the fault policy (§7.2) and address checks for system calls.
 *
 * RAM block (§3.3, §9): arch_mpu_allocate() picks a power-of-two block for
 * max(minimum_ram_size, 32) app bytes plus the kernel part.  As in Tock, the
 * process control block itself (struct process, with its task queue, saved
 * registers, MPU configuration and fault record) lives in the kernel-owned
 * top of the block, above the grant pointer table; the kernel keeps only a
 * pointer per slot (k->procs[i], NULL = unused), so a slot costs 4 bytes of
 * kernel RAM.  The MPU keeps the app out of everything at or above
 * kernel_break; the PCB and the table are never reclaimed (a block belongs
 * to its slot for ever; terminate/restart keep both).
 *   [mem_start, app_break)         app: stack, data, heap (initially 32 bytes)
 *   [app_break, kernel_break)      free: brk grows up, grants grow down
 *   [kernel_break, initial_kb)     grant regions
 *   [initial_kb, pcb)              grant pointer table (p->grant_table), ngrants × 8
 *   [pcb, mem_start+size)          struct process (PROCESS_PCB_BYTES, 8-aligned)
 * Addresses are uint32_t; RAM is touched through (uintptr_t) casts (the host
 * tests map the Hail address ranges at their real addresses).
 */
#include "kernel/kernel.h"

#include <string.h>

#define INITIAL_APP_RAM 32u
#define NO_ADDRESS 0xFFFFFFFFu

static void *ptr(uint32_t addr) { return (void *)(uintptr_t)addr; }

static void changed(struct kernel *k, struct process *p)
{
    if (k && k->observer)
        k->observer(k, p);
}

static uint32_t mem_end(const struct process *p) { return p->mem_start + p->mem_size; }

/* Fixed-address (non-PIC) apps: flash must match, RAM is requested at fixed_ram. */
static errorcode_t place_block(struct kernel *k, const struct tbf_header *h, uint32_t *pool, uint32_t pool_end,
                               uint32_t min_app, uint32_t *start, uint32_t *size)
{
    uint32_t kernel_part = process_kernel_part(k);
    uint32_t from = *pool;
    bool fixed_ram = h->has_fixed_addresses && h->fixed_ram != NO_ADDRESS;
    if (fixed_ram && h->fixed_ram > from)
        from = h->fixed_ram;
    if (!arch_mpu_allocate(from, pool_end, min_app, kernel_part, start, size))
        return ERR_NOMEM;
    if (fixed_ram && *start != h->fixed_ram)
        return ERR_NOMEM;
    return ERR_NONE;
}

static void set_flash(struct process *p, uint32_t flash_start, const struct tbf_header *h)
{
    p->flash_start = flash_start;
    p->flash_size = h->total_size;
    p->app_start = flash_start + h->header_size + h->protected_trailer_size;
    p->binary_end = flash_start + h->binary_end_offset;
    p->entry = (flash_start + h->header_size + h->init_fn_offset) | 1u;
    p->name = h->name;
    p->name_len = (uint8_t)(h->name_len > 255 ? 255 : h->name_len);
    p->short_id = h->short_id;
}

errorcode_t process_create(struct kernel *k, int index, uint32_t flash_start, const struct tbf_header *h,
                           uint32_t *pool, uint32_t pool_end)
{
    if (index < 0 || index >= KERNEL_MAX_PROCS || !h->total_size)
        return ERR_INVAL;
    if (h->has_fixed_addresses && h->fixed_flash != NO_ADDRESS &&
        h->fixed_flash != flash_start + h->header_size + h->protected_trailer_size)
        return ERR_INVAL;
    uint32_t min_app = h->minimum_ram_size > INITIAL_APP_RAM ? h->minimum_ram_size : INITIAL_APP_RAM;
    uint32_t start, size;
    errorcode_t e = place_block(k, h, pool, pool_end, min_app, &start, &size);
    if (e != ERR_NONE)
        return e;
    struct arch_mpu_config probe;
    uint32_t pcb = start + size - PROCESS_PCB_BYTES;
    uint32_t kb = pcb - (uint32_t)k->ngrants * (uint32_t)sizeof(struct grant_entry);
    if (!arch_mpu_compute(&probe, flash_start, h->total_size, start, size, start + INITIAL_APP_RAM, kb))
        return ERR_SIZE;        /* the flash image cannot be covered by one MPU region */
    struct process *p = ptr(pcb);
    memset(p, 0, sizeof *p);
    k->procs[index] = p;
    p->id.index = (uint16_t)index;
    set_flash(p, flash_start, h);
    p->min_ram = min_app;
    p->mem_start = start;
    p->mem_size = size;
    p->initial_kernel_break = kb;
    p->grant_table = ptr(kb);
    p->ngrants = (uint8_t)k->ngrants;
    p->state = PROC_TERMINATED;
    process_reset(k, p);
    *pool = start + size;
    return ERR_NONE;
}

/* Grant pointers zeroed (capsules forget the process), grant memory reclaimed. */
static void drop_grants(struct kernel *k, struct process *p)
{
    for (int i = 0; i < p->ngrants; i++) {
        p->grant_table[i].driver_num = k->grants[i] ? k->grants[i]->driver_num : 0;
        p->grant_table[i].ptr = 0;
    }
    p->kernel_break = p->initial_kernel_break;
}

static void drop_tasks(struct process *p)
{
    uint32_t dropped = p->tasks.dropped;
    task_queue_init(&p->tasks);
    p->tasks.dropped = dropped;
    p->yield_for_driver = 0;
    p->yield_for_subscribe = 0;
    p->yield_no_wait_flag = 0;
}

void process_reset(struct kernel *k, struct process *p)
{
    drop_tasks(p);
    drop_grants(k, p);
    p->app_break = p->mem_start + INITIAL_APP_RAM;
    p->allow_high_water = p->mem_start;
    p->n_ipc_maps = 0;                  /* its MPU is computed anew below */
    p->stack_hint = p->heap_hint = 0;
    memset(ptr(p->mem_start), 0, INITIAL_APP_RAM);
    uint32_t args[4] = { p->app_start, p->mem_start, p->mem_size, p->app_break };
    memset(&p->regs, 0, sizeof p->regs);
    arch_init_process(&p->regs, p->mem_start, p->entry, args);
    arch_mpu_compute(&p->mpu, p->flash_start, p->flash_size, p->mem_start, p->mem_size, p->app_break,
                     p->kernel_break);
    p->id.generation = k->next_generation++;
    struct task entry = { .kind = TASK_FUNCTION_CALL, .fn = p->entry };
    memcpy(entry.args, args, sizeof args);
    task_queue_push(&p->tasks, &entry);
    p->state = PROC_YIELDED;
    changed(k, p);
}

void process_terminate(struct kernel *k, struct process *p, bool has_code, uint32_t code)
{
    if (p->state == PROC_UNUSED)
        return;
    drop_tasks(p);
    drop_grants(k, p);
    p->has_completion_code = has_code;
    p->completion_code = has_code ? code : 0;
    p->state = PROC_TERMINATED;
    p->n_ipc_maps = 0;
    if (k != NULL)
        ipc_unmap_stale(k);             /* the others lose the buffers p shared with them */
    changed(k, p);
}

/* Keeps the completion code already stored (exit-restart sets it first). */
void process_restart(struct kernel *k, struct process *p)
{
    if (p->state == PROC_UNUSED)
        return;
    process_terminate(k, p, p->has_completion_code, p->completion_code);
    p->restart_count++;
    process_reset(k, p);
}

void process_stop(struct kernel *k, struct process *p)
{
    switch (p->state) {
    case PROC_RUNNING: p->state = PROC_STOPPED_RUNNING; break;
    case PROC_YIELDED: p->state = PROC_STOPPED_YIELDED; break;
    case PROC_YIELDED_FOR: p->state = PROC_STOPPED_YIELDED_FOR; break;
    default: return;
    }
    changed(k, p);
}

void process_resume(struct kernel *k, struct process *p)
{
    switch (p->state) {
    case PROC_STOPPED_RUNNING: p->state = PROC_RUNNING; break;
    case PROC_STOPPED_YIELDED: p->state = PROC_YIELDED; break;
    case PROC_STOPPED_YIELDED_FOR: p->state = PROC_YIELDED_FOR; break;
    default: return;
    }
    changed(k, p);
}

/* Restart while restart_count <= threshold (Tock's threshold policies). */
void process_fault(struct kernel *k, struct process *p, const struct fault_record *f)
{
    if (!process_is_alive(p))
        return;
    if (f)
        p->fault = *f;
    enum fault_policy_kind kind = k->fault_policy.kind;
    bool under = p->restart_count <= k->fault_policy.threshold;
    if (kind == FAULT_POLICY_RESTART_THEN_STOP)
        kind = under ? FAULT_POLICY_RESTART : FAULT_POLICY_STOP;
    else if (kind == FAULT_POLICY_RESTART_THEN_PANIC)
        kind = under ? FAULT_POLICY_RESTART : FAULT_POLICY_PANIC;
    switch (kind) {
    case FAULT_POLICY_RESTART:
        process_restart(k, p);
        break;
    case FAULT_POLICY_STOP:
        process_terminate(k, p, false, 0);
        p->state = PROC_FAULTED;
        changed(k, p);
        break;
    default:
        kernel_panic(k, "process faulted (fault policy: panic)");
    }
}

uint32_t process_kernel_part(const struct kernel *k)
{
    return (uint32_t)k->ngrants * (uint32_t)sizeof(struct grant_entry) + PROCESS_PCB_BYTES;
}

bool process_is_runnable(const struct process *p)
{
    if (p == NULL)
        return false;
    switch (p->state) {
    case PROC_RUNNING: return true;
    case PROC_YIELDED: return p->tasks.count > 0;
    case PROC_YIELDED_FOR:
        return task_queue_has_match(&p->tasks, p->yield_for_driver, p->yield_for_subscribe);
    default: return false;
    }
}

const char *process_state_name(enum process_state s)
{
    static const char *const names[] = {
        [PROC_UNUSED] = "Unused", [PROC_RUNNING] = "Running", [PROC_YIELDED] = "Yielded",
        [PROC_YIELDED_FOR] = "YieldedFor", [PROC_STOPPED_RUNNING] = "Stopped(Running)",
        [PROC_STOPPED_YIELDED] = "Stopped(Yielded)", [PROC_STOPPED_YIELDED_FOR] = "Stopped(YieldedFor)",
        [PROC_FAULTED] = "Faulted", [PROC_TERMINATED] = "Terminated",
    };
    if ((unsigned)s < sizeof names / sizeof names[0] && names[s])
        return names[s];
    return "Unknown";
}

errorcode_t process_brk(struct kernel *k, struct process *p, uint32_t new_break)
{
    if (!process_is_alive(p) || new_break < p->allow_high_water || new_break >= mem_end(p) ||
        new_break > p->kernel_break)
        return ERR_NOMEM;
    struct arch_mpu_config c;
    if (!arch_mpu_compute(&c, p->flash_start, p->flash_size, p->mem_start, p->mem_size, new_break,
                          p->kernel_break))
        return ERR_NOMEM;
    for (int i = c.n; i < p->mpu.n && i < ARCH_MPU_REGIONS; i++) {   /* keep IPC regions */
        c.rbar[i] = p->mpu.rbar[i];
        c.rasr[i] = p->mpu.rasr[i];
    }
    if (p->mpu.n > c.n)
        c.n = p->mpu.n;
    uint32_t old_break = p->app_break;
    p->app_break = new_break;
    p->mpu = c;
    changed(k, p);                      /* the awareness table shows the breaks as they are */
    if (new_break > old_break)
        memset(ptr(old_break), 0, new_break - old_break);
    return ERR_NONE;
}

bool process_in_ram(const struct process *p, uint32_t addr, uint32_t len)
{
    if (len == 0)
        return true;
    return addr >= p->mem_start && (uint64_t)addr + len <= p->app_break;
}

bool process_in_flash(const struct process *p, uint32_t addr, uint32_t len)
{
    if (len == 0)
        return true;
    return addr >= p->app_start && (uint64_t)addr + len <= (uint64_t)p->flash_start + p->flash_size;
}

void *process_alloc_kernel(struct kernel *k, struct process *p, uint32_t size)
{
    uint32_t need = (size + 7u) & ~7u;
    if (!process_is_alive(p) || need < size || p->kernel_break < need)
        return NULL;
    uint32_t nkb = (p->kernel_break - need) & ~7u;
    struct arch_mpu_config c;
    if (nkb < p->app_break ||
        !arch_mpu_compute(&c, p->flash_start, p->flash_size, p->mem_start, p->mem_size, p->app_break, nkb))
        return NULL;
    uint32_t old_kb = p->kernel_break;
    p->kernel_break = nkb;
    changed(k, p);
    memset(ptr(nkb), 0, old_kb - nkb);
    return ptr(nkb);
}

bool process_enqueue(struct process *p, const struct task *t)
{
    if (!process_is_alive(p))
        return false;
    return task_queue_push(&p->tasks, t);
}
