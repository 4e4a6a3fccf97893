/*
 * test_support.h — helpers shared by the SCS, MPU, event-queue, CLI and
 * machine unit tests (test_support.c).  Every helper is named ut_*.
 *
 *   ut_machine_new()      loads boards/hail.yaml (tests run from the repo
 *                         root) and creates a machine with the page-protection
 *                         MPU fallback, a minimal vector table at 0 (SP =
 *                         end of SRAM, reset PC = 0x201 in erased flash) and
 *                         performs the architectural reset: privileged thread
 *                         mode, nothing pending or active.  Fails the test
 *                         (ck_abort) on any error.
 *   ut_machine_free(m)    destroys it and frees the board.
 *   ut_set_cycle(m, c)    sets virtual time to cycle c as a block boundary,
 *                         so register reads see exactly `c` (no skew).
 *   ut_advance(m, c)      ut_set_cycle + evq_run_due: fires due timers.
 *   ut_rd32/ut_rd8/16, ut_wr32/ut_wr8/16
 *                         guest-sized accesses through Unicorn's MMIO path
 *                         (uc_mem_read/uc_mem_write reach the SCS callbacks).
 *   ut_tmpdir()           a fresh mkdtemp directory (removed at exit).
 *   ut_write_file()       writes bytes to DIR/NAME; returns the path (static
 *                         storage, ut_path()).
 *   ut_write_elf()        writes a minimal ELF32 ARM ET_EXEC with the given
 *                         PT_LOAD segments (each filled with a byte pattern).
 *   ut_write_tbf()        writes a TBF-like app image of `size` bytes
 *                         (version 2, total_size = size) whose payload bytes
 *                         are `fill`.
 */
#ifndef HAILSIM_TEST_SUPPORT_H
#define HAILSIM_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"

#define UT_BOARD "boards/hail.yaml"
#define UT_SCS 0xE000E000u

struct machine *ut_machine_new(void);
void ut_machine_free(struct machine *m);
void ut_set_cycle(struct machine *m, uint64_t cycle);
int ut_advance(struct machine *m, uint64_t cycle);

uint32_t ut_rd32(struct machine *m, uint32_t addr);
uint16_t ut_rd16(struct machine *m, uint32_t addr);
uint8_t ut_rd8(struct machine *m, uint32_t addr);
void ut_wr32(struct machine *m, uint32_t addr, uint32_t val);
void ut_wr16(struct machine *m, uint32_t addr, uint16_t val);
void ut_wr8(struct machine *m, uint32_t addr, uint8_t val);

const char *ut_tmpdir(void);
/* Returns a malloc'ed "DIR/NAME" (freed at exit). */
const char *ut_path(const char *dir, const char *name);
const char *ut_write_file(const char *dir, const char *name, const void *data, size_t len);

struct ut_seg {
    uint32_t paddr, filesz, memsz;
    uint8_t fill;
};
const char *ut_write_elf(const char *dir, const char *name, const struct ut_seg *segs, int nsegs);
const char *ut_write_tbf(const char *dir, const char *name, uint32_t size, uint8_t fill);

#endif
