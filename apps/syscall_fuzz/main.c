/*
 * syscall_fuzz — random system calls against the kernel (issue #8,
 * docs/fuzzing.md, tests/fuzz_kernel/run.sh).
 *
 * One ELF, two behaviours picked from the package name in its own TBF
 * header (memop 4 = its flash start), like apps/hostile_app:
 *
 *   syscall_fuzz[_N[_SEED]]
 *                      issues N (default FUZZ_CALLS = 10000) system calls of
 *                      every class except exit, from a seeded xorshift
 *                      generator (SEED in decimal, default FUZZ_SEED: fixed
 *                      per build, overridable with -DFUZZ_SEED=...), then prints
 *                      "syscall_fuzz: done N calls seed 0x... ..." and idles.
 *   syscall_fuzz_idle  the same with N = 0: the reference run's stand-in.
 *   fuzz_victim        a 256-byte RAM buffer with a known pattern, shared
 *                      with the RNG driver (RW allow, never used: the kernel
 *                      holds the pointer in its grant); re-checked every
 *                      100 ms, "fuzz_victim: check N ok" once a second,
 *                      "fuzz_victim: CORRUPTED ..." on any mismatch.
 *
 * Arguments: real drivers (alarm console led button gpio rng ipc), their
 * neighbours and random numbers; commands 0-15 and random; pointers that are
 * NULL, small, kernel RAM, other processes' RAM, kernel and app flash,
 * peripherals, wrap-around (0xFFFFFFxx with lengths that wrap), straddling
 * the ends of our own RAM, or fully random; lengths 0, small, huge, random.
 *
 * What the fuzzer must not do, so that whatever goes wrong is the kernel's
 * fault: exit (class 6); an invalid yield number (the kernel faults the
 * caller, and 5 faults panic a Hail by policy); a pointer into its own RAM
 * outside the scratch arena for calls through which the kernel may write
 * (RW allow, the yield-no-wait flag): the kernel may legitimately write
 * there; upcall function pointers other than NULL or its own handler; a
 * break below its current one (it would cut off its own stack); GPIO pin 0
 * (D0 belongs to blink, whose timing the test compares); yield-wait with no
 * upcall coming (it arms its own alarm first).
 */
#include <libtock.h>
#include <stdio.h>
#include <string.h>

#ifndef FUZZ_CALLS
#define FUZZ_CALLS 10000u
#endif
#ifndef FUZZ_SEED
#define FUZZ_SEED 0x8EED5EEDu
#endif

/* Hail memory map (boards/hail.yaml) */
#define SRAM_BASE 0x20000000u
#define SRAM_END 0x20010000u
#define KRAM_END 0x20003000u
#define KFLASH_BASE 0x00010000u
#define AFLASH_BASE 0x00030000u
#define AFLASH_END 0x00070000u
#define FLASH_END 0x00080000u

#define ARENA_SIZE 512u
#define VICTIM_SIZE 256u

static char name[40];
static uint32_t seed = FUZZ_SEED, rng_state = FUZZ_SEED;
static uint32_t mem_lo, mem_hi, flash_lo, flash_hi;
static uint8_t arena[ARENA_SIZE] __attribute__((aligned(8)));
static volatile uint32_t upcalls;
static volatile bool woke;

/* ---- tiny helpers ------------------------------------------------------------------ */

static uint32_t rnd(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static uint32_t below(uint32_t n) { return n ? rnd() % n : 0; }

static void read_own_name(void)
{
    const uint8_t *h = (const uint8_t *)(uintptr_t)memop(4, 0).data;
    uint32_t hsize = (uint32_t)h[2] | (uint32_t)h[3] << 8;
    for (uint32_t off = 16; off + 4 <= hsize;) {
        uint32_t type = (uint32_t)h[off] | (uint32_t)h[off + 1] << 8;
        uint32_t len = (uint32_t)h[off + 2] | (uint32_t)h[off + 3] << 8;
        if (type == 3) {
            uint32_t n = len < sizeof name - 1 ? len : sizeof name - 1;
            memcpy(name, h + off + 4, n);
            name[n] = '\0';
            return;
        }
        off += 4 + ((len + 3u) & ~3u);
    }
}

static uint32_t parse_uint(const char *s)
{
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10u + (uint32_t)(*s++ - '0');
    return v;
}

/* ---- raw system calls (no libtock checks on the variants) --------------------------- */

struct ret4 {
    uint32_t r0, r1, r2, r3;
};

#define SVC(n)                                                                              \
    static struct ret4 svc##n(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)           \
    {                                                                                       \
        register uint32_t r0 __asm__("r0") = a0;                                            \
        register uint32_t r1 __asm__("r1") = a1;                                            \
        register uint32_t r2 __asm__("r2") = a2;                                            \
        register uint32_t r3 __asm__("r3") = a3;                                            \
        __asm__ volatile("svc " #n : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory", "r12", "lr"); \
        return (struct ret4){ r0, r1, r2, r3 };                                             \
    }
SVC(0)
SVC(1)
SVC(2)
SVC(3)
SVC(4)
SVC(5)
SVC(7)

static void on_upcall(int a, int b, int c, void *ud)
{
    (void)a; (void)b; (void)c; (void)ud;
    upcalls++;
}

static void on_wake(int a, int b, int c, void *ud)
{
    (void)a; (void)b; (void)c; (void)ud;
    upcalls++;
    woke = true;
}

/* ---- argument generators ------------------------------------------------------------- */

static const uint32_t real_drivers[] = { 0x0, 0x1, 0x2, 0x3, 0x4, 0x40001, 0x10000 };
#define NREAL (sizeof real_drivers / sizeof real_drivers[0])

static uint32_t gen_driver(void)
{
    switch (below(8)) {
    case 0: return rnd();
    case 1: return real_drivers[below(NREAL)] + (below(2) ? 1u : (uint32_t)-1);
    case 2: return below(2) ? 0xFFFFFFFFu : 0x80000000u + below(16);
    default: return real_drivers[below(NREAL)];
    }
}

static uint32_t gen_value(void)
{
    static const uint32_t special[] = { 0, 1, 2, 3, 4, 7, 8, 15, 16, 255, 256, 0x7FFF, 0xFFFF, 0x10000,
                                        0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFEu, 1000, 32768 };
    switch (below(4)) {
    case 0: return rnd();
    case 1: return below(16);
    default: return special[below(sizeof special / sizeof special[0])];
    }
}

static uint32_t gen_len(void)
{
    static const uint32_t special[] = { 0, 1, 2, 3, 4, 8, 16, 64, 255, 256, 512, 4096, 0x10000,
                                        0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFF0u };
    switch (below(4)) {
    case 0: return rnd();
    case 1: return below(ARENA_SIZE + 1);
    default: return special[below(sizeof special / sizeof special[0])];
    }
}

/* A pointer (and length) of one of the categories in the file comment. */
static void gen_ptr_raw(uint32_t *ptr, uint32_t *len)
{
    uint32_t a = (uint32_t)(uintptr_t)arena;
    *len = gen_len();
    switch (below(12)) {
    case 0: *ptr = 0; break;
    case 1: *ptr = below(0x400); break;                                 /* vector table, bootloader */
    case 2: *ptr = SRAM_BASE + below(KRAM_END - SRAM_BASE); break;     /* kernel RAM */
    case 3: *ptr = KRAM_END + below(SRAM_END - KRAM_END); break;       /* app RAM: mostly others' */
    case 4: *ptr = KFLASH_BASE + below(AFLASH_BASE - KFLASH_BASE); break;
    case 5: *ptr = AFLASH_BASE + below(AFLASH_END - AFLASH_BASE); break;   /* apps' flash, ours too */
    case 6: *ptr = 0xFFFFFF00u + below(0x100); break;                  /* wrap-around */
    case 7: *ptr = mem_hi - below(64); *len = below(4) ? 1 + below(256) : *len; break;   /* our end */
    case 8: *ptr = mem_lo - 1 - below(64); *len = below(4) ? 1 + below(256) : *len; break;
    case 9: *ptr = 0x40000000u + below(0x100000); break;               /* peripherals */
    case 10: *ptr = a + below(ARENA_SIZE); *len = below(ARENA_SIZE - (*ptr - a) + 1); break;
    default: *ptr = rnd(); break;
    }
}

/* For calls through which the kernel may write: never a range that lies in
 * our own RAM (where the kernel would legitimately accept it) unless it is
 * inside the arena. */
static bool kernel_may_write_ok(uint32_t ptr, uint32_t len)
{
    uint32_t a = (uint32_t)(uintptr_t)arena;
    uint64_t end = (uint64_t)ptr + (len ? len : 1);
    bool inside_own = ptr >= mem_lo && end <= mem_hi;
    bool inside_arena = ptr >= a && end <= (uint64_t)a + ARENA_SIZE;
    return !inside_own || inside_arena;
}

static void gen_ptr(uint32_t *ptr, uint32_t *len, bool kernel_writes)
{
    do
        gen_ptr_raw(ptr, len);
    while (kernel_writes && !kernel_may_write_ok(*ptr, *len));
}

/* ---- the fuzzer ---------------------------------------------------------------------- */

/* The GOT (libtock/layout.ld: _got up to _data) is fixed after start-up and
 * every string and global is reached through it: a sum over it before and
 * after tells a kernel write into our own memory (which we asked for by
 * mistake, or a kernel bug) from a garbled report. */
extern uint32_t _got[], _data[];

static uint32_t got_sum(void)
{
    uint32_t sum = 0;
    for (const uint32_t *w = _got; w < _data; w++)
        sum = (sum << 5 | sum >> 27) ^ *w;
    return sum;
}

struct stats {
    uint32_t calls, by_class[8], success, failure, other, skipped, waits;
};

static void count(struct stats *st, int cls, uint32_t r0)
{
    st->calls++;
    st->by_class[cls]++;
    if (r0 >= 128 && r0 <= 133)
        st->success++;
    else if (r0 <= 3)
        st->failure++;
    else
        st->other++;
}

/* Arm our alarm (subscribe 0 + command 6 at now + dt) so that a blocking
 * yield returns; false if the alarm could not be armed. */
static bool arm_wakeup(void)
{
    woke = false;
    struct ret4 s = svc1(0x0, 0, (uint32_t)(uintptr_t)on_wake, 0);
    if (s.r0 != 128 && s.r0 != 130)
        return false;
    struct ret4 now = svc2(0x0, 2, 0, 0);
    if (now.r0 != 129)
        return false;
    struct ret4 r = svc2(0x0, 6, now.r1, 2 + below(30));
    return r.r0 == 129 || r.r0 == 128;
}

static void fuzz_yield(struct stats *st)
{
    uint32_t ptr, len;
    if (below(16) != 0) {                         /* yield-no-wait with a flag pointer */
        do                                        /* the kernel writes one byte there, */
            gen_ptr_raw(&ptr, &len);              /* whatever the length generated */
        while (!kernel_may_write_ok(ptr, 1));
        if (below(4) == 0)
            ptr = 0;
        count(st, 0, svc0(0, ptr, rnd(), rnd()).r0);
        return;
    }
    if (!arm_wakeup()) {
        st->skipped++;
        return;
    }
    st->waits++;
    if (below(2))
        count(st, 0, svc0(1, rnd(), rnd(), rnd()).r0);                 /* yield-wait */
    else
        count(st, 0, svc0(2, 0x0, 0, rnd()).r0);                       /* yield-wait-for alarm */
}

static void fuzz_subscribe(struct stats *st)
{
    uint32_t fn = below(2) ? (uint32_t)(uintptr_t)on_upcall : 0;
    uint32_t num = below(4) ? below(8) : gen_value();
    struct ret4 r = svc1(gen_driver(), num, fn, gen_value());
    count(st, 1, r.r0);
}

static void fuzz_command(struct stats *st)
{
    uint32_t drv = gen_driver(), cmd = below(4) ? below(16) : gen_value();
    uint32_t a1 = gen_value(), a2 = gen_value();
    if (below(4) == 0) {                          /* pointers as arguments too */
        uint32_t len;
        gen_ptr(&a1, &len, true);
        a2 = len;
    }
    if (drv == 0x4 && a1 == 0 && cmd != 0) {      /* GPIO pin 0 is blink's D0 */
        st->skipped++;
        return;
    }
    count(st, 2, svc2(drv, cmd, a1, a2).r0);
}

static void fuzz_allow(struct stats *st, int cls)
{
    uint32_t ptr, len;
    gen_ptr(&ptr, &len, cls != 4);                /* RO allow: the kernel only reads */
    uint32_t num = below(4) ? below(8) : gen_value();
    struct ret4 r = cls == 3 ? svc3(gen_driver(), num, ptr, len)
                  : cls == 4 ? svc4(gen_driver(), num, ptr, len)
                             : svc7(gen_driver(), num, ptr, len);
    count(st, cls, r.r0);
}

static void fuzz_memop(struct stats *st)
{
    uint32_t op = below(8) ? below(14) : gen_value(), arg = gen_value();
    uint32_t brk0 = svc5(1, 0, 0, 0).r0 == 129 ? svc5(1, 0, 0, 0).r1 : 0;
    if (below(3) == 0) {
        uint32_t len;
        gen_ptr(&arg, &len, false);
    }
    if (op == 0 && arg >= mem_lo && arg < brk0)
        arg = brk0 + (arg & 0xFFu);               /* never below our own break */
    if (op == 1 && (int32_t)arg < 0 && (int64_t)brk0 + (int32_t)arg >= (int64_t)mem_lo)
        arg = (uint32_t)(-(int32_t)arg);
    struct ret4 r = svc5(op, arg, rnd(), rnd());
    count(st, 5, r.r0);
    if ((op == 0 || op == 1) && r.r0 >= 128) {    /* the break moved up: put it back */
        struct ret4 b = svc5(1, 0, 0, 0);
        if (b.r0 == 129 && b.r1 != brk0)
            svc5(0, brk0, 0, 0);
    }
}

static void fuzzer(uint32_t n)
{
    struct stats st;
    uint32_t got_before = got_sum();
    memset(&st, 0, sizeof st);
    for (uint32_t i = 0; i < ARENA_SIZE; i++)
        arena[i] = (uint8_t)('a' + i % 26);       /* printable, if a console write shows it */
    printf("syscall_fuzz: start %lu calls seed 0x%08lx ram 0x%08lx-0x%08lx\n", (unsigned long)n,
           (unsigned long)seed, (unsigned long)mem_lo, (unsigned long)mem_hi);
    while (st.calls < n) {
        switch (below(8)) {
        case 0: fuzz_yield(&st); break;
        case 1: fuzz_subscribe(&st); break;
        case 2: case 6: fuzz_command(&st); break;
        case 3: fuzz_allow(&st, 3); break;
        case 4: fuzz_allow(&st, 4); break;
        case 5: fuzz_memop(&st); break;
        case 7: fuzz_allow(&st, 7); break;
        }
    }
    /* drop every subscription and allow to the real drivers, let a console
     * write the fuzzer started drain, then report */
    for (uint32_t d = 0; d < NREAL; d++)
        for (uint32_t k = 0; k < 8; k++) {
            svc1(real_drivers[d], k, 0, 0);
            svc3(real_drivers[d], k, 0, 0);
            svc4(real_drivers[d], k, 0, 0);
        }
    if (n)
        delay_ms(100);
    printf("syscall_fuzz: done %lu calls seed 0x%08lx yield %lu subscribe %lu command %lu allow_rw %lu "
           "allow_ro %lu memop %lu allow_ur %lu success %lu failure %lu other %lu waits %lu upcalls %lu "
           "skipped %lu got %s\n",
           (unsigned long)st.calls, (unsigned long)seed, (unsigned long)st.by_class[0],
           (unsigned long)st.by_class[1], (unsigned long)st.by_class[2], (unsigned long)st.by_class[3],
           (unsigned long)st.by_class[4], (unsigned long)st.by_class[5], (unsigned long)st.by_class[7],
           (unsigned long)st.success, (unsigned long)st.failure, (unsigned long)st.other,
           (unsigned long)st.waits, (unsigned long)upcalls, (unsigned long)st.skipped,
           got_sum() == got_before ? "intact" : "CHANGED");
}

/* ---- the victim ----------------------------------------------------------------------- */

static uint8_t victim_buf[VICTIM_SIZE] __attribute__((aligned(8)));

static uint8_t pattern(uint32_t i) { return (uint8_t)(i * 37u + 0xA5u); }

static void victim(void)
{
    for (uint32_t i = 0; i < VICTIM_SIZE; i++)
        victim_buf[i] = pattern(i);
    allow_readwrite(0x40001, 0, victim_buf, sizeof victim_buf);
    printf("fuzz_victim: ready buffer 0x%08lx\n", (unsigned long)(uintptr_t)victim_buf);
    for (uint32_t n = 1;; n++) {
        delay_ms(100);
        uint32_t bad = 0, first = 0;
        for (uint32_t i = 0; i < VICTIM_SIZE; i++)
            if (victim_buf[i] != pattern(i)) {
                if (!bad)
                    first = i;
                bad++;
            }
        if (bad) {
            printf("fuzz_victim: CORRUPTED %lu bytes, first at +%lu (0x%02x)\n", (unsigned long)bad,
                   (unsigned long)first, victim_buf[first]);
            for (uint32_t i = 0; i < VICTIM_SIZE; i++)
                victim_buf[i] = pattern(i);
        } else if (n % 10 == 0) {
            printf("fuzz_victim: check %lu ok\n", (unsigned long)n);
        }
    }
}

int main(void)
{
    read_own_name();
    mem_lo = memop(2, 0).data;
    mem_hi = memop(3, 0).data;
    flash_lo = memop(4, 0).data;
    flash_hi = memop(5, 0).data;
    (void)flash_lo; (void)flash_hi;
    if (strcmp(name, "fuzz_victim") == 0) {
        victim();
    } else {
        uint32_t n = FUZZ_CALLS;
        if (strcmp(name, "syscall_fuzz_idle") == 0)
            n = 0;                                /* the reference run of tests/fuzz_kernel */
        else if (strncmp(name, "syscall_fuzz_", 13) == 0 && parse_uint(name + 13) > 0) {
            const char *s = name + 13;
            n = parse_uint(s);
            while (*s >= '0' && *s <= '9')
                s++;
            if (*s == '_' && parse_uint(s + 1) != 0)
                rng_state = seed = parse_uint(s + 1);
        }
        fuzzer(n);
    }
    for (;;)
        yield();
}
