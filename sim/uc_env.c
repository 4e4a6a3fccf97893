/*
 * uc_env.c — finds and proves the live CPU state of one Unicorn engine
 * (see uc_env.h).  All knowledge of Unicorn's private layout outside qmpu.c
 * is here: the engine struct holds a pointer to the CPU object, and the
 * CPUARMState inside that object starts with r0-r15.
 */
#define _GNU_SOURCE                 /* process_vm_readv */
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "uc_env.h"

#define NCORE 13                    /* r0-r12 carry the markers */
#define ENGINE_SCAN 4096u           /* bytes of the engine struct searched for the CPU pointer */
#define CPU_SCAN (128u * 1024u)     /* bytes of a CPU object searched for the state */
#define CHUNK (16u * 1024u)
#define STATE_SCAN (16u * 1024u)    /* bytes of the state searched for the v7m block */
#define MARK_OTHER_SP 0xA5A50018u
#define MARK_BASEPRI 0xC0u
/* byte offsets inside QEMU 5.0's v7m block, from other_sp (bank 0) */
#define V7M_BASEPRI 20
#define V7M_CONTROL 28
#define V7M_EXCEPTION 88
#define V7M_PRIMASK 92
#define V7M_FAULTMASK 100

static uint32_t mark(int i) { return 0x5A3C0F00u + 0x01010101u * (uint32_t)i; }

/*
 * Copies memory that may belong to no object of ours, or to none at all:
 * the kernel does the reads (a page that is not mapped ends the copy), so
 * neither a sanitizer nor valgrind sees an access out of bounds.  Returns
 * the bytes copied.
 */
static size_t peek(void *dst, uintptr_t src, size_t len)
{
    struct iovec here = { dst, len }, there = { (void *)src, len };
    ssize_t n = process_vm_readv(getpid(), &here, 1, &there, 1, 0);
    return n > 0 ? (size_t)n : 0;
}

static uint32_t word_at(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* Offset of r0-r12 = the markers inside buf[0, n), or -1. */
static long find_markers(const uint8_t *buf, size_t n)
{
    for (size_t o = 0; o + 4u * NCORE <= n; o += 8) {
        if (word_at(buf + o) != mark(0))
            continue;
        int i = 1;
        while (i < NCORE && word_at(buf + o + 4u * (size_t)i) == mark(i))
            i++;
        if (i == NCORE)
            return (long)o;
    }
    return -1;
}

/* The state behind one pointer of the engine struct (0 if not there). */
static uintptr_t state_behind(uintptr_t cpu, uint8_t *buf)
{
    for (size_t at = 0; at < CPU_SCAN; at += CHUNK) {
        size_t n = peek(buf, cpu + at, CHUNK + 4u * NCORE);   /* chunks overlap by one marker run */
        long o = find_markers(buf, n);
        if (o >= 0)
            return cpu + at + (size_t)o;
        if (n < CHUNK + 4u * NCORE)
            return 0;
    }
    return 0;
}

/* The first address holding r0-r12 = the markers behind a pointer of the
 * engine struct, or 0 (prove() checks it). */
static uintptr_t find_state(uc_engine *uc)
{
    uintptr_t words[ENGINE_SCAN / sizeof(uintptr_t)], found = 0;
    size_t n = peek(words, (uintptr_t)uc, sizeof words) / sizeof(uintptr_t);
    uint8_t *buf = malloc(CHUNK + 4u * NCORE);
    if (!buf)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uintptr_t cpu = words[i];
        if (cpu < 0x10000u || (cpu & (sizeof(uintptr_t) - 1)) || ((uint64_t)cpu >> 47))
            continue;                               /* not a heap pointer */
        found = state_behind(cpu, buf);
        if (found)
            break;
    }
    free(buf);
    return found;
}

enum { F_C, F_V, F_N, F_Z, F_Q, F_GE, F_T, F_IT, F_WORDS };
#define XPSR_IT(it) ((((it) & 3u) << 25) | (((it) & 0xFCu) << 8))

uint32_t uc_env_xpsr(const struct uc_env *e)
{
    uint32_t f[F_WORDS];
    memcpy(f, e->base + e->flags, sizeof f);
    return (f[F_N] & 0x80000000u) | (f[F_Z] == 0 ? 1u << 30 : 0) | (f[F_C] & 1u) << 29 |
           (f[F_V] & 0x80000000u) >> 3 | (f[F_Q] ? 1u << 27 : 0) | (f[F_GE] & 0xFu) << 16 |
           (f[F_T] & 1u) << 24 | XPSR_IT(f[F_IT]) | uc_env_get(e, e->exception);
}

void uc_env_set_xpsr(const struct uc_env *e, uint32_t x)
{
    uint32_t f[F_WORDS] = {
        [F_C] = (x >> 29) & 1u, [F_V] = (x << 3) & 0x80000000u, [F_N] = x, [F_Z] = ~x & (1u << 30),
        [F_Q] = (x >> 27) & 1u, [F_GE] = (x >> 16) & 0xFu, [F_T] = (x >> 24) & 1u,
        [F_IT] = ((x >> 25) & 3u) | ((x >> 8) & 0xFCu),
    };
    memcpy(e->base + e->flags, f, sizeof f);
}

static void wr(uc_engine *uc, int reg, uint32_t v) { uc_reg_write(uc, reg, &v); }
static uint32_t rd(uc_engine *uc, int reg) { uint32_t v = 0; uc_reg_read(uc, reg, &v); return v; }

static int fail(struct uc_env *e, char *err, size_t errlen, const char *why)
{
    e->base = NULL;
    if (err)
        snprintf(err, errlen, "Unicorn's CPU state: %s", why);
    return -1;
}

/* The v7m block: the banked SP and BASEPRI, PRIMASK, FAULTMASK at their places. */
static bool find_v7m(struct uc_env *e, uc_engine *uc)
{
    wr(uc, UC_ARM_REG_PSP, MARK_OTHER_SP);          /* thread mode on MSP: PSP is the banked one */
    wr(uc, UC_ARM_REG_BASEPRI, MARK_BASEPRI);
    wr(uc, UC_ARM_REG_PRIMASK, 1);
    wr(uc, UC_ARM_REG_FAULTMASK, 1);
    uint8_t *buf = malloc(STATE_SCAN);
    size_t len = buf ? peek(buf, (uintptr_t)e->base, STATE_SCAN) : 0, hits = 0;
    for (size_t o = 0; o + V7M_FAULTMASK + 4 <= len; o += 4)
        if (word_at(buf + o) == MARK_OTHER_SP && word_at(buf + o + V7M_BASEPRI) == MARK_BASEPRI &&
            word_at(buf + o + V7M_PRIMASK) == 1 && word_at(buf + o + V7M_FAULTMASK) == 1) {
            e->other_sp = o;
            hits++;
        }
    free(buf);
    e->control = e->other_sp + V7M_CONTROL;
    e->exception = e->other_sp + V7M_EXCEPTION;
    e->primask = e->other_sp + V7M_PRIMASK;
    e->basepri = e->other_sp + V7M_BASEPRI;
    e->faultmask = e->other_sp + V7M_FAULTMASK;
    wr(uc, UC_ARM_REG_FAULTMASK, 0);
    wr(uc, UC_ARM_REG_PRIMASK, 0);
    wr(uc, UC_ARM_REG_BASEPRI, 0);
    wr(uc, UC_ARM_REG_PSP, 0);
    return hits == 1;
}

/* The eight flag words, from an xPSR written through the API with every
 * field distinct (GE needs its own register id). */
static bool find_flags(struct uc_env *e, uc_engine *uc)
{
    const uint32_t x = 0xA8000000u | 0xAu << 16 | 1u << 24 | XPSR_IT(0x5Cu);   /* N C Q, GE 1010, T, IT */
    wr(uc, UC_ARM_REG_XPSR_NZCVQG, x);
    wr(uc, UC_ARM_REG_XPSR, x);                     /* T and IT */
    const uint32_t want[F_WORDS] = { 1, 0, x, 1u << 30, 1, 0xA, 1, 0x5C };
    size_t hits = 0;
    for (size_t o = 0; o + sizeof want <= e->other_sp; o += 4) {
        int i = 0;
        while (i < F_WORDS && uc_env_get(e, o + 4u * (size_t)i) == want[i])
            i++;
        if (i == F_WORDS) {
            e->flags = o;
            hits++;
        }
    }
    return hits == 1;
}

/* Every field used, written one way and read the other. */
static bool prove(struct uc_env *e, uc_engine *uc)
{
    bool ok = true;
    uc_env_put(e, uc_env_core(5), 0x12345678u);
    ok &= rd(uc, UC_ARM_REG_R5) == 0x12345678u;
    wr(uc, UC_ARM_REG_LR, 0x0BADC0DEu);
    ok &= uc_env_get(e, uc_env_core(14)) == 0x0BADC0DEu;
    wr(uc, UC_ARM_REG_MSP, 0x20001000u);
    wr(uc, UC_ARM_REG_PSP, 0x20002000u);
    ok &= uc_env_get(e, uc_env_core(13)) == 0x20001000u && uc_env_get(e, e->other_sp) == 0x20002000u;
    wr(uc, UC_ARM_REG_CONTROL, 2);                  /* SPSEL: PSP becomes the active SP */
    ok &= (uc_env_get(e, e->control) & 3u) == 2u && uc_env_get(e, uc_env_core(13)) == 0x20002000u &&
          uc_env_get(e, e->other_sp) == 0x20001000u;
    wr(uc, UC_ARM_REG_CONTROL, 0);
    wr(uc, UC_ARM_REG_XPSR, (1u << 24) | 11u);      /* handler mode, SVCall */
    ok &= uc_env_get(e, e->exception) == 11u;
    wr(uc, UC_ARM_REG_XPSR, 1u << 24);
    ok &= uc_env_get(e, e->exception) == 0;
    uc_env_put(e, e->basepri, 0x40u);
    ok &= rd(uc, UC_ARM_REG_BASEPRI) == 0x40u;
    uc_env_put(e, e->basepri, 0);
    const uint32_t x = 0x50000000u | 0x5u << 16 | 1u << 24;                     /* Z V, GE 0101, T */
    uc_env_set_xpsr(e, x);
    ok &= rd(uc, UC_ARM_REG_XPSR) == x && uc_env_xpsr(e) == x;
    wr(uc, UC_ARM_REG_XPSR_NZCVQG, 0x88000000u | 0x3u << 16 | 1u << 24);       /* N Q, GE 0011, T */
    ok &= uc_env_xpsr(e) == (0x88000000u | 0x3u << 16 | 1u << 24);
    uc_env_set_xpsr(e, 1u << 24);
    for (int i = 0; i <= 14; i++)
        uc_env_put(e, uc_env_core(i), 0);
    wr(uc, UC_ARM_REG_MSP, 0);
    wr(uc, UC_ARM_REG_PSP, 0);
    wr(uc, UC_ARM_REG_APSR_NZCV, 0);                /* rebuild the mode flags */
    return ok;
}

int uc_env_attach(struct uc_env *e, uc_engine *uc, char *err, size_t errlen)
{
    memset(e, 0, sizeof *e);
    for (int i = 0; i < NCORE; i++)
        wr(uc, UC_ARM_REG_R0 + i, mark(i));
    if (rd(uc, UC_ARM_REG_R12) != mark(12))
        return fail(e, err, errlen, "registers do not read back");
    e->base = (uint8_t *)find_state(uc);
    for (int i = 0; i < NCORE; i++)
        wr(uc, UC_ARM_REG_R0 + i, 0);
    if (!e->base)
        return fail(e, err, errlen, "r0-r12 not found behind the engine");
    if (!find_v7m(e, uc))
        return fail(e, err, errlen, "the v7m block was not found");
    if (!find_flags(e, uc))
        return fail(e, err, errlen, "the flag words were not found");
    if (!prove(e, uc))
        return fail(e, err, errlen, "a field did not read back");
    return 0;
}
