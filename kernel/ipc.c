/*
 * ipc.c — inter-process communication, a kernel-level syscall driver
 * (0x10000, tock-abi.md §10, Tock's kernel/src/ipc.rs).
 *   cmd 0 exists; cmd 1 discover: RO allow 0 holds a package name, the result
 *   is the slot index of the process with exactly that name; cmd 2 notify the
 *   service `arg1`, cmd 3 notify the client `arg1`: queue a TASK_IPC on it.
 * When the target runs the task (it is Yielded), the RW buffer the caller
 * allowed under the target's index is added to the target's MPU regions and
 * the target's upcall is started with (caller index, buffer length, buffer
 * address, userdata): a service's handler is subscribed under its own index,
 * a client's under the service's index.  No handler: the event is dropped.
 * The target keeps the mapping (one per sharer, in p->ipc_maps) only while
 * the sharer is alive and still shares that very buffer: a new allow under
 * that index, an empty one, or the sharer's exit, fault or restart unmaps it
 * (Tock leaves such regions in the target's MPU; --check-isolation caught
 * the target still reaching memory its owner had taken back).
 * The grant holds KERNEL_MAX_PROCS upcalls, 1 RO allow and KERNEL_MAX_PROCS
 * RW allows; the subscribe/allow system calls store into it as for any driver.
 */
#include "kernel/kernel.h"

enum { IPC_CMD_EXISTS, IPC_CMD_DISCOVER, IPC_CMD_NOTIFY_SERVICE, IPC_CMD_NOTIFY_CLIENT };
enum { IPC_TO_CLIENT, IPC_TO_SERVICE };

struct grant ipc_grant = {
    .driver_num = IPC_DRIVER_NUM,
    .data_size = 0,
    .n_upcalls = KERNEL_MAX_PROCS,
    .n_ro_allows = 1,
    .n_rw_allows = KERNEL_MAX_PROCS,
};

static struct sysret ipc_command(void *ctx, uint32_t cmd, uint32_t arg1, uint32_t arg2, processid_t pid);

static void ipc_allow_changed(void *ctx, processid_t pid, bool rw, uint32_t num);

const struct syscall_driver ipc_driver = {
    .num = IPC_DRIVER_NUM,
    .command = ipc_command,
    .grant = &ipc_grant,
    .allow_changed = ipc_allow_changed,
};

int ipc_register(struct kernel *k)
{
    if (kernel_register_grant(k, &ipc_grant) < 0)
        return -1;
    return kernel_register_driver(k, &ipc_driver);
}

static bool same_bytes(const char *a, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if ((uint8_t)a[i] != b[i])
            return false;
    return true;
}

/* Every process slot (any state, like Tock's process_until) is searched. */
static struct sysret ipc_discover(processid_t pid)
{
    struct kernel *k = the_kernel;
    uint8_t *name;
    uint32_t len;
    if (!kernel_get_allow(pid, &ipc_grant, false, 0, &name, &len))
        return sysret_failure(ERR_INVAL);
    for (int i = 0; i < k->nprocs; i++) {
        const struct process *q = k->procs[i];
        if (q != NULL && q->state != PROC_UNUSED && q->name != NULL && q->name_len == len && same_bytes(q->name, name, len))
            return sysret_success_u32((uint32_t)i);
    }
    return sysret_failure(ERR_NODEVICE);
}

/* Has p registered an IPC handler at `num`?  Without one the event would be
 * dropped at delivery (Tock); dropping it at once keeps a flood of
 * notifications from filling a process's task queue and starving its other
 * upcalls. */
static bool ipc_handler_set(struct process *p, uint8_t num)
{
    errorcode_t err = ERR_NONE;
    void *region = grant_region(p, &ipc_grant, false, &err);
    return region != NULL && num < ipc_grant.n_upcalls && grant_upcalls(&ipc_grant, region)[num].fn != 0;
}

/* Queues the IPC task on process slot `target`: INVAL if there is no live
 * process there, NOMEM if its task queue is full; Success without queuing
 * when the target has no handler for it. */
static struct sysret ipc_notify(processid_t caller, uint32_t target, int to)
{
    struct kernel *k = the_kernel;
    if (target >= (uint32_t)k->nprocs || !process_is_alive(k->procs[target]))
        return sysret_failure(ERR_INVAL);
    uint8_t num = (uint8_t)(to == IPC_TO_SERVICE ? target : caller.index);
    if (!ipc_handler_set(k->procs[target], num))
        return sysret_success();
    struct task t = {
        .kind = TASK_IPC,
        .subscribe_num = num,
        .driver_num = IPC_TASK_DRIVER,
        .fn = 0,
        .args = { caller.index, caller.generation, (uint32_t)to, 0 },
    };
    if (!process_enqueue(k->procs[target], &t))
        return sysret_failure(ERR_NOMEM);
    return sysret_success();
}

static struct sysret ipc_command(void *ctx, uint32_t cmd, uint32_t arg1, uint32_t arg2, processid_t pid)
{
    (void)ctx;
    (void)arg2;
    switch (cmd) {
    case IPC_CMD_EXISTS: return sysret_success();
    case IPC_CMD_DISCOVER: return ipc_discover(pid);
    case IPC_CMD_NOTIFY_SERVICE: return ipc_notify(pid, arg1, IPC_TO_SERVICE);
    case IPC_CMD_NOTIFY_CLIENT: return ipc_notify(pid, arg1, IPC_TO_CLIENT);
    default: return sysret_failure(ERR_NOSUPPORT);
    }
}

/* ---- the target's mapped buffers ---------------------------------------------------- */

/* p's MPU: its own regions, then one region per map that can be expressed
 * (the others are dropped: Impl delivers the event even if it cannot map). */
static void remap(struct process *p)
{
    struct arch_mpu_config c;
    if (!arch_mpu_compute(&c, p->flash_start, p->flash_size, p->mem_start, p->mem_size, p->app_break,
                          p->kernel_break))
        return;                                         /* cannot happen: p runs with this layout */
    uint8_t kept = 0;
    for (uint8_t i = 0; i < p->n_ipc_maps; i++)
        if (arch_mpu_add_shared(&c, p->ipc_maps[i].start, p->ipc_maps[i].len))
            p->ipc_maps[kept++] = p->ipc_maps[i];
    p->n_ipc_maps = kept;
    p->mpu = c;
}

/* Maps the buffer `client` shares with p now (len 0: nothing) in place of its old one. */
static void map_share(struct process *p, processid_t client, uint32_t start, uint32_t len)
{
    bool had = false;
    for (uint8_t i = 0; i < p->n_ipc_maps; i++)
        if (processid_eq(p->ipc_maps[i].client, client)) {
            if (p->ipc_maps[i].start == start && p->ipc_maps[i].len == len && len != 0)
                return;                                 /* already mapped: nothing to redo */
            had = true;
        }
    if (!had && len == 0)
        return;
    uint8_t n = 0;
    for (uint8_t i = 0; i < p->n_ipc_maps; i++)
        if (!processid_eq(p->ipc_maps[i].client, client))
            p->ipc_maps[n++] = p->ipc_maps[i];
    if (len != 0 && n < ARCH_MPU_REGIONS)
        p->ipc_maps[n++] = (struct ipc_map){ client, start, len };
    p->n_ipc_maps = n;
    remap(p);
}

static bool still_shared(struct kernel *k, const struct process *p, const struct ipc_map *m)
{
    uint8_t *buf;
    uint32_t len;
    return kernel_process(k, m->client) != NULL &&
           kernel_get_allow(m->client, &ipc_grant, true, (uint8_t)p->id.index, &buf, &len) &&
           (uint32_t)(uintptr_t)buf == m->start && len == m->len;
}

void ipc_unmap_stale(struct kernel *k)
{
    for (int i = 0; i < k->nprocs; i++) {
        struct process *p = k->procs[i];
        if (p == NULL || p->n_ipc_maps == 0)
            continue;
        uint8_t n = 0;
        for (uint8_t j = 0; j < p->n_ipc_maps; j++)
            if (still_shared(k, p, &p->ipc_maps[j]))
                p->ipc_maps[n++] = p->ipc_maps[j];
        if (n != p->n_ipc_maps) {
            p->n_ipc_maps = n;
            remap(p);
        }
    }
}

static void ipc_allow_changed(void *ctx, processid_t pid, bool rw, uint32_t num)
{
    (void)ctx, (void)pid, (void)num;
    if (rw)
        ipc_unmap_stale(the_kernel);
}

/* ---- delivery ------------------------------------------------------------------------ */

bool ipc_run_task(struct kernel *k, struct process *p, const struct task *t)
{
    processid_t caller = { (uint16_t)t->args[0], (uint16_t)t->args[1] };
    uint8_t *buf;
    uint32_t len = 0, addr = 0;
    errorcode_t err = ERR_NONE;

    if (kernel_process(k, caller) == NULL)
        return false;                                   /* the caller is gone */
    if (kernel_get_allow(caller, &ipc_grant, true, (uint8_t)p->id.index, &buf, &len))
        addr = (uint32_t)(uintptr_t)buf;
    else
        len = 0;
    map_share(p, caller, addr, len);                    /* Impl: delivered even if it cannot be mapped */
    void *region = grant_region(p, &ipc_grant, false, &err);
    if (region == NULL || t->subscribe_num >= ipc_grant.n_upcalls)
        return false;
    struct grant_upcall up = grant_upcalls(&ipc_grant, region)[t->subscribe_num];
    if (up.fn == 0)
        return false;
    const uint32_t args[4] = { caller.index, len, addr, up.userdata };
    kernel_run_function(k, p, up.fn, args);
    return true;
}
