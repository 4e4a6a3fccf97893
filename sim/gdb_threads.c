/*
 * gdb_threads.c — registers and threads for the GDB stub (see gdb_threads.h).
 *
 * The awareness table is read straight from guest RAM as little-endian
 * words at the offsets of docs/awareness.md.  Which thread is on the CPU:
 * thread mode on PSP with the PSP inside a process's RAM block is that
 * process; anything else is the kernel.  While a process runs, the kernel
 * (Tock ABI, kernel/arch/cortex-m/switch.S) waits right after its
 * `svc 0xff` with its exception frame on MSP, so the kernel thread shows
 * that frame; its r4-r11 are the live ones (the kernel resumes with them).
 */
#include <string.h>

#include "cpu_state.h"
#include "elf_load.h"
#include "gdb_threads.h"
#include "machine.h"
#include "procview.h"

#define AW_MAGIC 0x4B415741u
#define AW_VERSION 1u
#define AW_HEADER 24u
#define AW_RECORD_MIN 100u
#define AW_MAX_PROCS 20u
#define FRAME_BYTES 32u
#define XPSR_STKALIGN (1u << 9)

/* The fields of one record the stub uses. */
struct proc_rec {
    char name[24];
    uint32_t state, mem_start, mem_size, saved_sp, saved_pc;
};

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void gdb_threads_init(struct gdb_threads *t, const char *elf_path)
{
    struct elf_image img;
    char err[256];
    memset(t, 0, sizeof *t);
    if (!elf_path || elf_load_file(elf_path, &img, err, sizeof err) != 0)
        return;
    t->has_table = elf_find_symbol(&img, "kernel_awareness", &t->table) == 0;
    elf_free(&img);
}

/* Record `slot` if the table is valid and the slot is in use. */
static bool read_proc(struct machine *m, const struct gdb_threads *t, int slot, struct proc_rec *r)
{
    const uint8_t *h = t->has_table ? machine_host_ptr(m, t->table, AW_HEADER) : NULL;
    if (!h || rd32(h) != AW_MAGIC || rd32(h + 4) != AW_VERSION || rd32(h + 8) < AW_RECORD_MIN)
        return false;
    uint32_t n = rd32(h + 12), size = rd32(h + 8);
    if (slot < 0 || (uint32_t)slot >= n || (uint32_t)slot >= AW_MAX_PROCS)
        return false;
    const uint8_t *p = machine_host_ptr(m, t->table + AW_HEADER + (uint32_t)slot * size, AW_RECORD_MIN);
    if (!p || rd32(p + 24) == 0)
        return false;
    memcpy(r->name, p, sizeof r->name);
    r->name[sizeof r->name - 1] = '\0';
    r->state = rd32(p + 24);
    r->mem_start = rd32(p + 40);
    r->mem_size = rd32(p + 44);
    r->saved_sp = rd32(p + 92);
    r->saved_pc = rd32(p + 96);
    return true;
}

int gdb_threads_list(struct machine *m, const struct gdb_threads *t, int *tids, int max)
{
    struct proc_rec r;
    int n = 0;
    if (max > 0)
        tids[n++] = GDB_KERNEL_TID;
    for (int i = 0; i < (int)AW_MAX_PROCS && n < max; i++)
        if (read_proc(m, t, i, &r))
            tids[n++] = GDB_KERNEL_TID + 1 + i;
    return n;
}

bool gdb_threads_alive(struct machine *m, const struct gdb_threads *t, int tid)
{
    struct proc_rec r;
    return tid == GDB_KERNEL_TID || read_proc(m, t, tid - GDB_KERNEL_TID - 1, &r);
}

int gdb_threads_current(struct machine *m, const struct gdb_threads *t)
{
    uint32_t xpsr = cpu_reg(m, UC_ARM_REG_XPSR), msp, psp;
    if ((xpsr & 0x1FFu) != 0 || !(cpu_reg(m, UC_ARM_REG_CONTROL) & CONTROL_SPSEL))
        return GDB_KERNEL_TID;
    cpu_get_sps(m, &msp, &psp);
    struct proc_rec r;
    for (int i = 0; i < (int)AW_MAX_PROCS; i++)
        if (read_proc(m, t, i, &r) && psp - r.mem_start < r.mem_size)
            return GDB_KERNEL_TID + 1 + i;
    return GDB_KERNEL_TID;
}

void gdb_threads_describe(struct machine *m, const struct gdb_threads *t, int tid, char *buf, size_t len)
{
    struct proc_rec r;
    if (tid != GDB_KERNEL_TID && read_proc(m, t, tid - GDB_KERNEL_TID - 1, &r))
        snprintf(buf, len, "%s (%s)", r.name, procview_state_name(r.state));
    else
        snprintf(buf, len, "%s", t->has_table ? "kernel" : "cpu");
}

void gdb_threads_live_regs(struct machine *m, struct gdb_regs *r)
{
    uint32_t msp, psp, primask, basepri, faultmask;
    for (int i = 0; i <= 12; i++)
        r->v[i] = cpu_reg(m, UC_ARM_REG_R0 + i);
    r->v[GREG_SP] = cpu_reg(m, UC_ARM_REG_SP);
    r->v[GREG_LR] = cpu_reg(m, UC_ARM_REG_LR);
    r->v[GREG_PC] = cpu_pc(m);
    r->v[GREG_XPSR] = cpu_reg(m, UC_ARM_REG_XPSR);
    cpu_get_sps(m, &msp, &psp);
    cpu_get_masks(m, &primask, &basepri, &faultmask);
    r->v[GREG_MSP] = msp;
    r->v[GREG_PSP] = psp;
    r->v[GREG_PRIMASK] = primask;
    r->v[GREG_BASEPRI] = basepri;
    r->v[GREG_FAULTMASK] = faultmask;
    r->v[GREG_CONTROL] = cpu_reg(m, UC_ARM_REG_CONTROL) & 7u;
    for (int i = 0; i < GDB_NREGS; i++)
        r->valid[i] = true;
}

/* r0-r3, r12, lr, pc, xpsr and the SP before stacking, from a frame at `sp`. */
static bool unstack(struct machine *m, uint32_t sp, struct gdb_regs *r)
{
    static const int slot[8] = { 0, 1, 2, 3, 12, GREG_LR, GREG_PC, GREG_XPSR };
    const uint8_t *f = machine_host_ptr(m, sp, FRAME_BYTES);
    if (!f || (sp & 3u))
        return false;
    for (int i = 0; i < 8; i++) {
        r->v[slot[i]] = rd32(f + 4 * i);
        r->valid[slot[i]] = true;
    }
    r->v[GREG_PC] &= ~1u;
    r->v[GREG_SP] = sp + FRAME_BYTES + (r->v[GREG_XPSR] & XPSR_STKALIGN ? 4u : 0u);
    r->valid[GREG_SP] = true;
    return true;
}

/* A process off the CPU: its frame; MSP and the masks are the CPU's own. */
static void proc_regs(struct machine *m, const struct proc_rec *p, struct gdb_regs *r)
{
    for (int i = 0; i <= GREG_XPSR; i++)
        r->valid[i] = false;
    if (!unstack(m, p->saved_sp, r)) {
        r->v[GREG_SP] = p->saved_sp;
        r->v[GREG_PC] = p->saved_pc;
        r->valid[GREG_SP] = r->valid[GREG_PC] = true;
    }
    r->v[GREG_PSP] = p->saved_sp;
    r->v[GREG_CONTROL] = CONTROL_NPRIV | CONTROL_SPSEL;    /* how the kernel runs processes */
}

void gdb_threads_regs(struct machine *m, const struct gdb_threads *t, int tid, struct gdb_regs *r)
{
    int cur = gdb_threads_current(m, t);
    struct proc_rec p;
    gdb_threads_live_regs(m, r);
    if (tid == cur)
        return;
    if (tid == GDB_KERNEL_TID) {                /* a process runs: the kernel's frame is on MSP */
        struct gdb_regs f = *r;
        if (unstack(m, r->v[GREG_MSP], &f)) {
            *r = f;
            r->v[GREG_CONTROL] &= ~(uint32_t)(CONTROL_NPRIV | CONTROL_SPSEL);
        }
        return;
    }
    if (read_proc(m, t, tid - GDB_KERNEL_TID - 1, &p))
        proc_regs(m, &p, r);
}
