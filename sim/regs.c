/*
 * regs.c — generic register-table logic for peripheral models (see regs.h).
 */
#include "regs.h"

void regs_reset(struct reg_bank *b)
{
    for (int i = 0; i < b->n; i++)
        b->vals[i] = b->defs[i].reset;
}

static uint32_t span(const struct reg_def *d)
{
    return d->kind == REG_SCT || d->kind == REG_SCT_RO ? 16u : 4u;
}

static int find(const struct reg_bank *b, uint32_t off, enum reg_alias *alias)
{
    for (int i = 0; i < b->n; i++) {
        const struct reg_def *d = &b->defs[i];
        if (off >= d->off && off < d->off + span(d)) {
            *alias = (enum reg_alias)((off - d->off) / 4u);
            return i;
        }
    }
    return -1;
}

uint32_t regs_read(const struct reg_bank *b, uint32_t off, struct reg_hit *hit)
{
    enum reg_alias alias = REG_ALIAS_VALUE;
    int i = find(b, off & ~3u, &alias);
    if (hit) {
        hit->index = i;
        hit->alias = alias;
    }
    if (i < 0 || b->defs[i].kind == REG_WO || alias != REG_ALIAS_VALUE)
        return 0;
    return b->vals[i];
}

bool regs_write(struct reg_bank *b, uint32_t off, uint32_t val, struct reg_hit *hit)
{
    enum reg_alias alias = REG_ALIAS_VALUE;
    int i = find(b, off & ~3u, &alias);
    hit->index = i;
    hit->alias = alias;
    if (i < 0)
        return false;
    const struct reg_def *d = &b->defs[i];
    uint32_t mask = d->wmask ? d->wmask : 0xFFFFFFFFu;
    uint32_t v = b->vals[i];
    hit->old = v;
    switch (d->kind) {
    case REG_RW: case REG_WO: v = (v & ~mask) | (val & mask); break;
    case REG_RO: break;
    case REG_W1C: v &= ~(val & mask); break;
    case REG_SCT: case REG_SCT_RO:
        switch (alias) {
        case REG_ALIAS_VALUE: if (d->kind == REG_SCT) v = (v & ~mask) | (val & mask); break;
        case REG_ALIAS_SET: v |= val & mask; break;
        case REG_ALIAS_CLEAR: v &= ~(val & mask); break;
        case REG_ALIAS_TOGGLE: v ^= val & mask; break;
        }
        break;
    }
    b->vals[i] = v;
    hit->now = v;
    return true;
}

uint32_t regs_merge_narrow(uint32_t current, uint32_t off, unsigned size, uint32_t val)
{
    if (size >= 4)
        return val;
    uint32_t shift = 8u * (off & 3u);
    uint32_t mask = ((1u << (8u * size)) - 1u) << shift;
    return (current & ~mask) | ((val << shift) & mask);
}
