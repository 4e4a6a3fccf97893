/*
 * qmpu.c — QEMU's PMSAv7 MPU inside Unicorn, located and proven at start-up
 * (see qmpu.h).  All knowledge of Unicorn's private state layout is here.
 */
#include <stdlib.h>
#include <string.h>

#include "qmpu.h"

#define MARK_OTHER_SP 0xA5A50010u
#define MARK_BASEPRI 0xE0u
#define CCR_STKALIGN 0x200u
/* word offsets inside QEMU 5.0's v7m state, relative to other_sp */
#define V7M_BASEPRI 20
#define V7M_CCR 36
#define V7M_MPU_CTRL 80
#define V7M_PRIMASK 92
#define V7M_FAULTMASK 100

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void wr32(uc_engine *uc, int reg, uint32_t v) { uc_reg_write(uc, reg, &v); }
/* A user-space x86-64/AArch64 heap pointer: 8-aligned, above the first
 * 64 KiB, canonical low half. */
static bool heap_ptr(uint64_t v) { return v >= 0x10000u && (v & 7) == 0 && (v >> 48) == 0; }
/* The three arrays are allocated one after the other: within 1 MiB. */
static bool near(uint64_t a, uint64_t b) { return (a > b ? a - b : b - a) < (1u << 20); }

static uint8_t *state_of(uc_context *ctx, const struct qmpu_layout *L)
{
    return (uint8_t *)ctx + L->data_off;
}

/* Locates the v7m block from marker values and the PMSAv7 array pointers. */
static int find_layout(uc_engine *uc, struct qmpu_layout *L, char *err, size_t errlen)
{
    wr32(uc, UC_ARM_REG_XPSR, 1u << 24);
    wr32(uc, UC_ARM_REG_CONTROL, 0);
    wr32(uc, UC_ARM_REG_PSP, MARK_OTHER_SP);
    wr32(uc, UC_ARM_REG_BASEPRI, MARK_BASEPRI);
    wr32(uc, UC_ARM_REG_PRIMASK, 1);
    wr32(uc, UC_ARM_REG_FAULTMASK, 1);
    uc_context *ctx;
    if (uc_context_alloc(uc, &ctx) != UC_ERR_OK || uc_context_save(uc, ctx) != UC_ERR_OK) {
        snprintf(err, errlen, "cannot save a Unicorn context");
        return -1;
    }
    const uint8_t *b = (const uint8_t *)ctx;
    L->ctx_size = uc_context_size(uc);
    uint64_t data_size = rd64(b);
    if (data_size == 0 || data_size >= L->ctx_size) {
        uc_context_free(ctx);
        snprintf(err, errlen, "unexpected Unicorn context header");
        return -1;
    }
    L->data_off = L->ctx_size - (size_t)data_size;
    const uint8_t *d = b + L->data_off;
    size_t n = (size_t)data_size, found = 0, hits = 0;
    for (size_t o = 0; o + V7M_FAULTMASK + 4 <= n; o += 4)
        if (rd32(d + o) == MARK_OTHER_SP && rd32(d + o + V7M_BASEPRI) == MARK_BASEPRI &&
            rd32(d + o + V7M_CCR) == CCR_STKALIGN && rd32(d + o + V7M_PRIMASK) == 1 &&
            rd32(d + o + V7M_FAULTMASK) == 1) {
            found = o;
            hits++;
        }
    L->other_sp = found;
    L->ccr = found + V7M_CCR;
    L->mpu_ctrl = found + V7M_MPU_CTRL;
    /* three heap pointers (drbar, drsr, dracr) followed by rnr[2] = 0; the
     * blob's data is only 4-byte aligned (Unicorn 2.1.1 puts them at 4 mod 8),
     * so a read straddling two pointers must not pass (ASan's heap at
     * 0x6030_0000_xxxx made one look like a pointer triple) */
    size_t ptr_hits = 0;
    for (size_t o = found; hits == 1 && o + 32 <= n; o += 4)
        if (heap_ptr(rd64(d + o)) && heap_ptr(rd64(d + o + 8)) && heap_ptr(rd64(d + o + 16)) &&
            rd64(d + o + 24) == 0 && rd64(d + o) != rd64(d + o + 8) && rd64(d + o + 8) != rd64(d + o + 16) &&
            near(rd64(d + o), rd64(d + o + 8)) && near(rd64(d + o + 8), rd64(d + o + 16))) {
            L->pmsav7 = o;
            ptr_hits++;
        }
    uc_context_free(ctx);
    wr32(uc, UC_ARM_REG_PRIMASK, 0);
    wr32(uc, UC_ARM_REG_FAULTMASK, 0);
    wr32(uc, UC_ARM_REG_BASEPRI, 0);
    if (hits != 1 || ptr_hits != 1) {
        snprintf(err, errlen, "QEMU v7m/PMSAv7 state not found in the Unicorn context (%zu/%zu matches)", hits, ptr_hits);
        return -1;
    }
    return 0;
}

int qmpu_attach(struct qmpu *q, uc_engine *uc, const struct qmpu_layout *L, int nregions, char *err, size_t errlen)
{
    memset(q, 0, sizeof *q);
    q->layout = *L;
    q->nregions = nregions;
    if (uc_context_alloc(uc, &q->ctx) != UC_ERR_OK || uc_context_save(uc, q->ctx) != UC_ERR_OK) {
        snprintf(err, errlen, "cannot save a Unicorn context");
        return -1;
    }
    const uint8_t *d = state_of(q->ctx, L);
    q->drbar = (uint32_t *)(uintptr_t)rd64(d + L->pmsav7);
    q->drsr = (uint32_t *)(uintptr_t)rd64(d + L->pmsav7 + 8);
    q->dracr = (uint32_t *)(uintptr_t)rd64(d + L->pmsav7 + 16);
    if (!q->drbar || !q->drsr || !q->dracr) {
        snprintf(err, errlen, "QEMU PMSAv7 region arrays are missing");
        return -1;
    }
    for (int r = 0; r < nregions; r++)
        qmpu_set_region(q, r, 0, 0);
    return 0;
}

void qmpu_detach(struct qmpu *q)
{
    if (q->ctx)
        uc_context_free(q->ctx);
    q->ctx = NULL;
}

void qmpu_set_region(struct qmpu *q, int r, uint32_t rbar, uint32_t rasr)
{
    if (r < 0 || r >= q->nregions)
        return;
    q->drbar[r] = rbar & ~0x1Fu;
    q->drsr[r] = rasr & 0xFFFFu;           /* ENABLE, SIZE, SRD */
    q->dracr[r] = rasr >> 16;              /* B, C, S, TEX, AP, XN */
}

void qmpu_flush(uc_engine *uc)
{
#if UC_API_MAJOR > 2 || (UC_API_MAJOR == 2 && UC_API_MINOR >= 1)
    /* Unicorn >= 2.1: a TLB flush of its own (the self-test proves it).
     * 2.0.1's header has uc_ctl_flush_tlb too, but it flushes the TBs only. */
    if (uc_ctl_flush_tlb(uc) == UC_ERR_OK)
        return;
#endif
    /* Unicorn 2.0.1 has no TLB flush call, but toggling a page between
     * read-only and writable commits a memory transaction, which flushes
     * QEMU's whole TLB.  The flush page exists for nothing else. */
    uc_mem_protect(uc, QMPU_FLUSH_PAGE, QMPU_FLUSH_SIZE, UC_PROT_READ);
    uc_mem_protect(uc, QMPU_FLUSH_PAGE, QMPU_FLUSH_SIZE, UC_PROT_READ | UC_PROT_WRITE);
}

void qmpu_set_ctrl_ccr(struct qmpu *q, uc_engine *uc, uint32_t ctrl, uint32_t ccr)
{
    uint8_t *d = state_of(q->ctx, &q->layout);
    uc_context_save(uc, q->ctx);
    memcpy(d + q->layout.mpu_ctrl, &ctrl, 4);
    memcpy(d + q->layout.ccr, &ccr, 4);
    uc_context_restore(uc, q->ctx);
    qmpu_flush(uc);
}

uint32_t qmpu_fault_address(struct qmpu *q, uc_engine *uc)
{
    uc_context_save(uc, q->ctx);
    return (uint32_t)rd64(state_of(q->ctx, &q->layout) + q->layout.exc_vaddress);
}

/* ---- self-test ------------------------------------------------------------ */

/* movw r1,#0x1000; ldr r2,[r1]; str r2,[r1,#4]; movw r1,#0x2000; ldr r0,[r1,#0x34]; nop; nop */
static const uint8_t probe_code[] = {
    0x41, 0xF2, 0x00, 0x01, 0x0A, 0x68, 0x4A, 0x60, 0x42, 0xF2, 0x00, 0x01, 0x48, 0x6B, 0x00, 0xBF, 0x00, 0xBF
};
#define PROBE_DENIED_PC 0x0Cu
#define PROBE_FAULT_ADDR 0x2034u

struct probe {
    struct qmpu *q;
    uint32_t intno, pc;
    uint8_t *snapshot;
};

static void probe_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct probe *p = user;
    p->intno = intno;
    uc_reg_read(uc, UC_ARM_REG_PC, &p->pc);
    uc_context_save(uc, p->q->ctx);
    memcpy(p->snapshot, state_of(p->q->ctx, &p->q->layout), p->q->layout.ctx_size - p->q->layout.data_off);
    uc_emu_stop(uc);
}

static int probe_run(uc_engine *uc, struct probe *p)
{
    p->intno = 0;
    wr32(uc, UC_ARM_REG_R0, 0);
    wr32(uc, UC_ARM_REG_XPSR, 1u << 24);
    wr32(uc, UC_ARM_REG_CONTROL, 1);       /* unprivileged thread mode */
    wr32(uc, UC_ARM_REG_APSR_NZCV, 0);     /* makes Unicorn rebuild its cached mode flags */
    return uc_emu_start(uc, 1, sizeof probe_code, 0, 0) == UC_ERR_OK ? 0 : -1;
}

/* The value QEMU recorded as the fault address: the u64 that equals it. */
static int find_vaddress(struct qmpu_layout *L, const uint8_t *snap, size_t n)
{
    int hits = 0;
    for (size_t o = 0; o + 8 <= n; o += 4)                  /* 4-byte aligned in the blob */
        if (rd64(snap + o) == PROBE_FAULT_ADDR) {
            L->exc_vaddress = o;
            hits++;
        }
    return hits == 1 ? 0 : -1;
}

static int self_test_on(uc_engine *uc, struct qmpu_layout *L, char *err, size_t errlen)
{
    struct qmpu q;
    struct probe p = { .q = &q };
    uint32_t word = 0xCAFEF00Du, got = 0, r2 = 0;
    uc_hook h;
    if (find_layout(uc, L, err, errlen) != 0 || qmpu_attach(&q, uc, L, 8, err, errlen) != 0)
        return -1;
    p.snapshot = malloc(L->ctx_size);
    qmpu_set_region(&q, 0, 0x0000, (6u << 24) | (11u << 1) | 1u);          /* 4 KiB code, RO */
    qmpu_set_region(&q, 1, 0x1000, (1u << 28) | (3u << 24) | (11u << 1) | 1u);  /* 4 KiB data, RW, XN */
    qmpu_set_ctrl_ccr(&q, uc, 5u, CCR_STKALIGN);                           /* ENABLE | PRIVDEFENA */
    uc_mem_write(uc, 0x1000, &word, 4);
    uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)probe_intr, &p, 1, 0);
    int rc = probe_run(uc, &p);
    uc_mem_read(uc, 0x1004, &got, 4);
    uc_reg_read(uc, UC_ARM_REG_R2, &r2);
    bool trapped = rc == 0 && p.intno == 4 && p.pc == PROBE_DENIED_PC && got == word && r2 == word;
    if (trapped)
        trapped = find_vaddress(L, p.snapshot, L->ctx_size - L->data_off) == 0;
    /* now allow the page: after a TLB flush the same load must succeed */
    qmpu_set_region(&q, 2, 0x2000, (1u << 28) | (3u << 24) | (11u << 1) | 1u);
    qmpu_flush(uc);
    uint32_t r0 = 0, marker = 0x5EED1234u;
    uc_mem_write(uc, PROBE_FAULT_ADDR, &marker, 4);
    bool allowed = probe_run(uc, &p) == 0 && p.intno == 0;
    uc_reg_read(uc, UC_ARM_REG_R0, &r0);
    allowed = allowed && r0 == marker;
    /* and take it away again: the TLB entry of the allowed access must go */
    qmpu_set_region(&q, 2, 0, 0);
    qmpu_flush(uc);
    bool revoked = probe_run(uc, &p) == 0 && p.intno == 4 && p.pc == PROBE_DENIED_PC;
    allowed = allowed && revoked;
    free(p.snapshot);
    qmpu_detach(&q);
    if (!trapped || !allowed) {
        snprintf(err, errlen, "QEMU MPU self-test failed (trap %d: intno %u pc 0x%x; allow %d)",
                 trapped, p.intno, p.pc, allowed);
        return -1;
    }
    L->valid = true;
    return 0;
}

int qmpu_self_test(struct qmpu_layout *out, char *err, size_t errlen)
{
    uc_engine *uc;
    memset(out, 0, sizeof *out);
    if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &uc) != UC_ERR_OK) {
        snprintf(err, errlen, "cannot open Unicorn");
        return -1;
    }
    uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M4);
    uc_mem_map(uc, 0, 0x3000, UC_PROT_ALL);
    uc_mem_map(uc, QMPU_FLUSH_PAGE, QMPU_FLUSH_SIZE, UC_PROT_READ | UC_PROT_WRITE);
    uc_mem_write(uc, 0, probe_code, sizeof probe_code);
    int rc = self_test_on(uc, out, err, errlen);
    uc_close(uc);
    return rc;
}
