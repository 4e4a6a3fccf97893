/*
 * sam4l_pm.h — helpers shared by the SAM4L clock/power block models (PM,
 * SCIF, BPM, BSCIF, FLASHCALW), implemented in sam4l_pm.c next to the PM
 * model and the sam4l_clocks.h clock gates.
 *
 * A `struct sam4l_block` is the part every such model has in common: its
 * register table (regs.h), its clock gate, the UNLOCK protocol (write
 * KEY << 24 | offset to UNLOCK, then the protected register; the unlock is
 * used up by the next write, whatever it hits) and the once-per-address
 * warnings for unknown registers and refused writes.
 */
#ifndef HAILSIM_SAM4L_PM_H
#define HAILSIM_SAM4L_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "periph.h"
#include "regs.h"
#include "sam4l_clocks.h"

#define SAM4L_UNLOCK_KEY 0xAAu

struct sam4l_block {
    struct machine *m;
    const struct board_periph *desc;
    const char *who;                /* for messages: "pm", "scif"... */
    enum sam4l_bus bus;             /* its clock gate */
    int bit;
    struct reg_bank bank;
    int32_t unlock_off;             /* offset of its UNLOCK register, -1 = none */
    int32_t unlocked;               /* offset armed by the last UNLOCK write, -1 = none */
    uint32_t warned[32];            /* once-per-word warnings (1024 words = 4 KiB window) */
};

void sam4l_block_init(struct sam4l_block *b, struct machine *m, const struct board_periph *desc,
                      const char *who, enum sam4l_bus bus, int bit,
                      const struct reg_def *defs, int n, uint32_t *vals, int32_t unlock_off);
void sam4l_block_reset(struct sam4l_block *b);
/* snapshots (issue #7): the block's plain state (UNLOCK armed, warnings given) */
struct snap_buf;
void sam4l_block_save(const struct sam4l_block *b, struct snap_buf *sb);
void sam4l_block_restore(struct sam4l_block *b, struct snap_buf *sb);
/* Starts a register access: checks the clock gate, finds the register.
 * Returns its index in the table, or -1 (warned once, or the run stopped
 * under --strict-mmio) when there is none at `off`. */
int sam4l_block_find(struct sam4l_block *b, uint32_t off, const char *what);
/* A write to UNLOCK: arms the unlock (or warns about a wrong key).
 * Returns true when `off` is the block's UNLOCK register. */
bool sam4l_block_unlock(struct sam4l_block *b, uint32_t off, uint32_t val);
/* Any other write: uses up the unlock.  For a protected register returns
 * whether it was unlocked for `off` (if not, warns once and the caller
 * ignores the write). */
bool sam4l_block_may_write(struct sam4l_block *b, uint32_t off, bool is_protected);
/* Applies a (possibly narrow) write to the register table. */
void sam4l_block_store(struct sam4l_block *b, uint32_t off, unsigned size, uint32_t val);
void sam4l_block_warn_once(struct sam4l_block *b, uint32_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The bytes of `word` a narrow read at `off` returns. */
uint32_t sam4l_lanes(uint32_t word, uint32_t off, unsigned size);
uint64_t sam4l_us_to_cycles(const struct machine *m, uint32_t us);
/* An oscillator's ready time (the cycle its ready bit sets, EVQ_NEVER while
 * off) after a write that may have switched it: kept while it stays on
 * (`at`), `now` + `start_us` when the write turned it on, EVQ_NEVER when off. */
uint64_t sam4l_ready_after(const struct machine *m, uint64_t at, bool was_on, bool on, uint64_t now,
                           uint32_t start_us);
/* Drives an NVIC line, calling exc_irq_line only when the level changes. */
void sam4l_irq_level(struct machine *m, int irq, bool *state, bool level);

#endif
