/*
 * gdb.h — the GDB remote serial protocol server (`--gdb PORT`, issue #7):
 * one client at a time on 127.0.0.1, registers through a target description
 * (M-profile core + MSP/PSP/PRIMASK/BASEPRI/FAULTMASK/CONTROL), memory,
 * breakpoints and watchpoints done inside the simulator (no BKPT is written
 * into the image), single step, Ctrl-C, and the kernel plus every process of
 * the kernel-awareness table as threads (gdb_threads.h).  docs/gdb.md.
 *
 * The run loop (cpu.c) calls in at four places: the block hook asks
 * gdb_check_block() while m->gdb_armed, a guest BKPT asks gdb_bkpt(), a
 * single-instruction run ends with gdb_step_done(), and while m->gdb_halt is
 * set the loop hands the CPU to gdb_halted(), which serves the client until
 * it resumes (virtual time does not move meanwhile).
 */
#ifndef HAILSIM_GDB_H
#define HAILSIM_GDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct gdb_server;

/* What the block hook does with the block it was called for. */
enum gdb_block {
    GDB_BLOCK_RUN,              /* as usual */
    GDB_BLOCK_STOP,             /* a stop was requested: the block does not run */
    GDB_BLOCK_STEP              /* a single step: run it, take no interrupt first */
};

/* Listens on 127.0.0.1:port and sets m->gdb.  With `wait`, blocks until a
 * client connects and halts the CPU at its reset state.  `kernel_elf` gives
 * the symbol `kernel_awareness` (processes as threads), if it has one. */
struct gdb_server *gdb_open(struct machine *m, int port, bool wait, const char *kernel_elf,
                            char *err, size_t errlen);
/* Tells a connected client how the run ended (W/X packet), closes everything. */
void gdb_close(struct gdb_server *g);

/* ---- called by cpu.c -------------------------------------------------------- */
enum gdb_block gdb_check_block(struct machine *m, uint32_t addr, uint32_t size);
/* A guest BKPT (not semihosting): true if a client is attached and takes it
 * as a debug halt (SIGTRAP, PC stays on the BKPT). */
bool gdb_bkpt(struct machine *m);
/* After a run with m->gdb_step: the step is over, halt. */
void gdb_step_done(struct machine *m);
/* Serves the client while halted; returns when it resumes, detaches or kills. */
void gdb_halted(struct machine *m);

#endif
