/*
 * mpu_enforce.c — architectural access decisions and their mirror in Unicorn
 * page protections (see mpu_enforce.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpu_enforce.h"

#define PPB_BASE 0xE0000000u
#define PPB_END  0xE0100000u
#define MAX_SPANS 160

struct span {
    uint64_t start;
    uint8_t prot;
};

struct prot_area {
    uint32_t base, size;
    uint8_t cap;                /* what the memory itself allows */
    int nspans;
    struct span spans[MAX_SPANS];   /* applied protection, sorted, first starts at base */
};

/* A recent ACCESS_OK for one aligned 32-byte block (see access_check). */
struct check_memo {
    uint32_t block, generation;
    uint8_t key;                    /* 0 = empty; else 0x80 | access | privilege | MPU ignored */
};
#define MEMO_BITS 5
#define MEMO_SLOTS (1 << MEMO_BITS)

struct enforce_state {
    struct check_memo memo[MEMO_SLOTS];
    int nareas;
    struct prot_area areas[BOARD_MAX_MEMORIES + MAX_MMIO];
    uint64_t points[MAX_SPANS + 8];
    struct span fresh[MAX_SPANS];
};

static bool in_ppb(uint32_t addr) { return addr >= PPB_BASE && addr < PPB_END; }

static bool mpu_ignored(const struct machine *m)
{
    bool high_prio = m->ipsr == EXC_NMI || m->ipsr == EXC_HARDFAULT || (m->faultmask & 1u);
    return high_prio && !(m->mpu.ctrl & MPU_CTRL_HFNMIENA);
}

/* Memory capability of an address: UC_PROT_* bits, 0 when nothing is mapped. */
static uint8_t memory_cap(const struct machine *m, uint32_t addr)
{
    for (int i = 0; i < m->nmem; i++)
        if (addr - m->mem[i].base < m->mem[i].size)
            return m->mem[i].desc->kind == BOARD_MEM_FLASH ? (UC_PROT_READ | UC_PROT_EXEC) : UC_PROT_ALL;
    for (int i = 0; i < m->nmmio; i++)
        if (addr - m->mmio[i].base < m->mmio[i].size)
            return UC_PROT_READ | UC_PROT_WRITE;
    return 0;
}

static enum access_result check_byte(struct machine *m, uint32_t addr, int acc, bool priv)
{
    if (in_ppb(addr)) {
        if (acc & ACC_EXEC)
            return ACCESS_MEMMANAGE;
        return priv ? (memory_cap(m, addr) ? ACCESS_OK : ACCESS_BUSFAULT) : ACCESS_BUSFAULT;
    }
    if (!mpu_allows(&m->mpu, addr, acc, priv, mpu_ignored(m)))
        return ACCESS_MEMMANAGE;
    uint8_t cap = memory_cap(m, addr);
    if ((acc & ACC_READ) && !(cap & UC_PROT_READ))
        return ACCESS_BUSFAULT;
    if ((acc & ACC_WRITE) && !(cap & UC_PROT_WRITE))
        return ACCESS_BUSFAULT;
    if ((acc & ACC_EXEC) && !(cap & UC_PROT_EXEC))
        return ACCESS_BUSFAULT;
    return ACCESS_OK;
}

/*
 * Every input of the decision is uniform within an aligned 32-byte block: MPU
 * regions and subregions are at least 32 bytes and aligned, the PPB and the
 * memories start on page boundaries.  So an ACCESS_OK is remembered per block
 * for the MPU generation it was computed in (exception stacking checks the
 * same few stack blocks on every system call).
 */
static struct check_memo *memo_slot(struct enforce_state *es, uint32_t block, uint8_t key)
{
    return &es->memo[((block ^ (uint32_t)key << 24) * 0x9E3779B1u) >> (32 - MEMO_BITS)];   /* a frame's push and pop differ */
}

static bool memo_hit(struct machine *m, uint32_t block, uint8_t key)
{
    const struct check_memo *c = memo_slot(m->enforce, block, key);
    return c->key == key && c->block == block && c->generation == m->mpu.generation;
}

static void memo_put(struct machine *m, uint32_t block, uint8_t key)
{
    *memo_slot(m->enforce, block, key) = (struct check_memo){ block, m->mpu.generation, key };
}

enum access_result access_check(struct machine *m, uint32_t addr, uint32_t size, int acc, bool priv)
{
    uint32_t end = addr + size - 1, first = addr >> 5, last = end >> 5;
    uint8_t key = (uint8_t)(0x80u | (unsigned)acc | (priv ? 0x20u : 0) | (mpu_ignored(m) ? 0x40u : 0));
    bool memo = m->enforce != NULL;
    bool hit = memo && memo_hit(m, first, key) && (size <= 1 || memo_hit(m, last, key));
#ifndef HAILSIM_CHECK_BOUNDARY
    if (hit)
        return ACCESS_OK;
#endif
    enum access_result r = check_byte(m, addr, acc, priv);
    if (r == ACCESS_OK && size > 1)
        r = check_byte(m, end, acc, priv);
#ifdef HAILSIM_CHECK_BOUNDARY
    if (hit && r != ACCESS_OK) {                /* sanitizer builds: the memo must agree */
        fprintf(stderr, "hailsim: internal error: stale access memo for 0x%08x\n", addr);
        abort();
    }
#endif
    if (r == ACCESS_OK && memo) {
        memo_put(m, first, key);
        if (size > 1)
            memo_put(m, last, key);
    }
    return r;
}

void mpu_enforce_forget(struct machine *m)
{
    if (m->enforce)
        memset(m->enforce->memo, 0, sizeof m->enforce->memo);
}

static uint8_t prot_for(struct machine *m, uint32_t addr, uint8_t cap)
{
    uint8_t p = 0;
    if (check_byte(m, addr, ACC_READ, m->privileged) == ACCESS_OK) p |= UC_PROT_READ;
    if (check_byte(m, addr, ACC_WRITE, m->privileged) == ACCESS_OK) p |= UC_PROT_WRITE;
    if (check_byte(m, addr, ACC_EXEC, m->privileged) == ACCESS_OK) p |= UC_PROT_EXEC;
    return p & cap;
}

static void area_add(struct enforce_state *es, uint32_t base, uint32_t size, uint8_t cap)
{
    struct prot_area *a = &es->areas[es->nareas++];
    a->base = base;
    a->size = size;
    a->cap = cap;
    a->nspans = 1;
    a->spans[0] = (struct span){ base, cap };
}

int mpu_enforce_init(struct machine *m, char *err, size_t errlen)
{
    struct enforce_state *es = calloc(1, sizeof *es);
    if (!es) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < m->nmem; i++)
        area_add(es, m->mem[i].base, m->mem[i].size, memory_cap(m, m->mem[i].base));
    for (int i = 0; i < m->nmmio; i++)
        area_add(es, m->mmio[i].base, m->mmio[i].size, UC_PROT_READ | UC_PROT_WRITE);
    m->enforce = es;
    m->enforce_priv = 1;
    m->enforce_generation = 0;
    return 0;
}

void mpu_enforce_free(struct machine *m)
{
    free(m->enforce);
    m->enforce = NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint8_t span_prot_at(const struct span *s, int n, uint64_t addr)
{
    uint8_t p = s[0].prot;
    for (int i = 1; i < n && s[i].start <= addr; i++)
        p = s[i].prot;
    return p;
}

static void protect(struct machine *m, uint64_t start, uint64_t end, uint8_t prot)
{
    uc_err e = uc_mem_protect(m->uc, start, end - start, prot);
    m->prot_calls++;
    if (e != UC_ERR_OK)
        cpu_fatal(m, STOP_CPU_ERROR, "uc_mem_protect(0x%08llx, 0x%llx) failed: %s",
                  (unsigned long long)start, (unsigned long long)(end - start), uc_strerror(e));
}

static int span_add(struct enforce_state *es, int nf, uint64_t start, uint8_t prot)
{
    if (nf > 0 && es->fresh[nf - 1].prot == prot)
        return nf;
    if (nf == MAX_SPANS)                /* cannot happen: at most 2 per page of <= 77 points */
        return nf;
    es->fresh[nf] = (struct span){ start, prot };
    return nf + 1;
}

/*
 * The wanted spans from the sorted decision points, in whole pages: page
 * protections cannot split a page, so a page holding more than one decision
 * (an MPU subregion smaller than the engine's page) gets their union, and the
 * decision in effect at its end starts again at the next page.  This fallback
 * is exact only at page granularity (--mpu=qemu is exact).
 */
static int page_spans(struct machine *m, struct enforce_state *es, int n, uint64_t hi, uint8_t cap)
{
    uint64_t page_mask = ~(uint64_t)(m->page_size - 1);
    int nf = 0;
    for (int i = 0; i < n;) {
        uint64_t page = es->points[i] & page_mask, next = page + m->page_size;
        uint8_t all = prot_for(m, (uint32_t)page, cap), last = all;
        for (; i < n && es->points[i] < next; i++) {
            last = prot_for(m, (uint32_t)es->points[i], cap);
            all |= last;
        }
        nf = span_add(es, nf, page, all);
        if (last != all && next < hi && (i == n || es->points[i] > next))
            nf = span_add(es, nf, next, last);
    }
    return nf;
}

/* Computes the wanted spans of one area and re-protects what changed. */
static void area_update(struct machine *m, struct enforce_state *es, struct prot_area *a)
{
    uint64_t lo = a->base, hi = (uint64_t)a->base + a->size;
    int n = 0;
    es->points[n++] = lo;
    n = mpu_boundaries(&m->mpu, lo, hi, es->points, n, MAX_SPANS);
    if (lo < PPB_BASE && hi > PPB_BASE) es->points[n++] = PPB_BASE;
    qsort(es->points, (size_t)n, sizeof es->points[0], cmp_u64);

    int nf = page_spans(m, es, n, hi, a->cap);
    /* walk the union of old and new edges, re-protecting changed runs */
    uint64_t run_start = 0;
    int run_prot = -1;
    int io = 0, in = 0;
    uint64_t at = lo;
    while (at < hi) {
        uint64_t next = hi;
        if (io + 1 < a->nspans && a->spans[io + 1].start < next) next = a->spans[io + 1].start;
        if (in + 1 < nf && es->fresh[in + 1].start < next) next = es->fresh[in + 1].start;
        uint8_t old = a->spans[io].prot, neu = es->fresh[in].prot;
        int want = old == neu ? -1 : neu;
        if (want != run_prot) {
            if (run_prot >= 0)
                protect(m, run_start, at, (uint8_t)run_prot);
            run_start = at;
            run_prot = want;
        }
        at = next;
        if (io + 1 < a->nspans && a->spans[io + 1].start == at) io++;
        if (in + 1 < nf && es->fresh[in + 1].start == at) in++;
    }
    if (run_prot >= 0)
        protect(m, run_start, hi, (uint8_t)run_prot);
    memcpy(a->spans, es->fresh, (size_t)nf * sizeof es->fresh[0]);
    a->nspans = nf;
    (void)span_prot_at;
}

/* QEMU's MPU: copy the guest's configuration when it changed. */
static void sync_qmpu(struct machine *m)
{
    uint32_t ctrl = m->mpu.ctrl, ccr = m->scb.ccr;
    for (int r = 0; r < m->mpu.nregions; r++)
        qmpu_set_region(&m->qmpu, r, m->mpu.rbar[r], m->mpu.rasr[r]);
    if (ctrl != m->qmpu_ctrl || ccr != m->qmpu_ccr) {
        qmpu_set_ctrl_ccr(&m->qmpu, m->uc, ctrl, ccr);
        m->qmpu_ctrl = ctrl;
        m->qmpu_ccr = ccr;
    } else {
        qmpu_flush(m->uc);
    }
}

void mpu_enforce_update(struct machine *m)
{
    if (m->qmpu_active) {
        if (m->mpu.generation != m->enforce_generation) {
            m->enforce_generation = m->mpu.generation;
            sync_qmpu(m);
        }
        return;
    }
    struct enforce_state *es = m->enforce;
    int key = (m->privileged ? 1 : 0) | (mpu_ignored(m) ? 2 : 0);
    if (!es || (key == m->enforce_priv && m->mpu.generation == m->enforce_generation))
        return;
    m->enforce_priv = key;
    m->enforce_generation = m->mpu.generation;
    for (int i = 0; i < es->nareas && m->stop == STOP_NONE; i++)
        area_update(m, es, &es->areas[i]);
}
