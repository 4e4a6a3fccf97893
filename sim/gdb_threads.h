/*
 * gdb_threads.h — the register file GDB sees and the threads it lists: the
 * kernel (thread 1, the CPU itself) and every process of the kernel-awareness
 * table (`kernel_awareness`, docs/awareness.md) as thread 2 + slot.  A
 * process that is not on the CPU shows the 8-word exception frame stacked at
 * its saved PSP (r0-r3, r12, lr, pc, xpsr); its r4-r11 are not in the table
 * and are reported unavailable.  Without a table there is one thread.
 */
#ifndef HAILSIM_GDB_THREADS_H
#define HAILSIM_GDB_THREADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

/* GDB register numbers (the order of the target description in gdb.c) */
enum {
    GREG_SP = 13, GREG_LR = 14, GREG_PC = 15, GREG_XPSR = 16, GREG_MSP = 17, GREG_PSP = 18,
    GREG_PRIMASK = 19, GREG_BASEPRI = 20, GREG_FAULTMASK = 21, GREG_CONTROL = 22, GDB_NREGS = 23
};
#define GDB_KERNEL_TID 1
#define GDB_MAX_THREADS 21

struct gdb_regs {
    uint32_t v[GDB_NREGS];
    bool valid[GDB_NREGS];
};

struct gdb_threads {
    bool has_table;
    uint32_t table;             /* guest address of kernel_awareness */
};

/* Looks up `kernel_awareness` in the ELF; without it, only thread 1 exists. */
void gdb_threads_init(struct gdb_threads *t, const char *elf_path);
/* Thread ids in order (1 first); returns how many. */
int gdb_threads_list(struct machine *m, const struct gdb_threads *t, int *tids, int max);
bool gdb_threads_alive(struct machine *m, const struct gdb_threads *t, int tid);
/* The thread whose code the CPU executes now. */
int gdb_threads_current(struct machine *m, const struct gdb_threads *t);
/* "kernel" or "NAME (State)" for qThreadExtraInfo. */
void gdb_threads_describe(struct machine *m, const struct gdb_threads *t, int tid, char *buf, size_t len);
/* The CPU's own registers. */
void gdb_threads_live_regs(struct machine *m, struct gdb_regs *r);
/* The registers of thread `tid` as far as they are known. */
void gdb_threads_regs(struct machine *m, const struct gdb_threads *t, int tid, struct gdb_regs *r);

#endif
