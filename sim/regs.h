/*
 * regs.h — register tables for peripheral models (in the spirit of Renode's
 * register definitions): a model declares its registers as data — offset,
 * reset value, which bits read and write, and the access kind — and the
 * generic read/write/alias/clear logic lives here once.  The model then only
 * reacts to the registers whose side effects matter.
 *
 * Kinds:
 *   REG_RW    plain read/write (bits outside wmask keep their value)
 *   REG_RO    read-only (writes ignored)
 *   REG_WO    write-only (reads return 0; the written value is kept in vals[])
 *   REG_W1C   write one to clear
 *   REG_SCT   SAM4L quadruple: +0 value (RW), +4 SET, +8 CLEAR, +0xC TOGGLE
 *   REG_SCT_RO  SAM4L quadruple whose value word is read-only (e.g. IFR with a CLEAR alias)
 */
#ifndef HAILSIM_REGS_H
#define HAILSIM_REGS_H

#include <stdbool.h>
#include <stdint.h>

enum reg_kind { REG_RW, REG_RO, REG_WO, REG_W1C, REG_SCT, REG_SCT_RO };

struct reg_def {
    uint32_t off;
    const char *name;
    enum reg_kind kind;
    uint32_t reset;
    uint32_t wmask;             /* bits a write may change (0 = all for RW/SCT) */
};

struct reg_bank {
    const struct reg_def *defs;
    int n;
    uint32_t *vals;             /* n values, owned by the model */
};

/* What an access hit: index into defs (or -1) and, for REG_SCT, the alias. */
enum reg_alias { REG_ALIAS_VALUE, REG_ALIAS_SET, REG_ALIAS_CLEAR, REG_ALIAS_TOGGLE };
struct reg_hit {
    int index;
    enum reg_alias alias;
    uint32_t old, now;          /* value before and after a write */
};

void regs_reset(struct reg_bank *b);
/* Reads the register at `off`; *hit->index = -1 when nothing is there. */
uint32_t regs_read(const struct reg_bank *b, uint32_t off, struct reg_hit *hit);
/* Applies a word write; returns true if a register was hit. */
bool regs_write(struct reg_bank *b, uint32_t off, uint32_t val, struct reg_hit *hit);
/* Narrow accesses: merge a byte/halfword write into the current word. */
uint32_t regs_merge_narrow(uint32_t current, uint32_t off, unsigned size, uint32_t val);

#endif
