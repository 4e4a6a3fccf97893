/*
 * fake_arch.c — host stand-ins for what the kernel core needs from the
 * architecture and from kernel.c, for tests/kernel (shared by all kernel
 * test files: keep it small).
 *   - the real MPU layout code (kernel/arch/cortex-m/mpu.c: pure; its
 *     register writes are compiled out under KERNEL_HOST_TEST);
 *   - arch_init_process / arch_set_process_function writing a Cortex-M
 *     8-word frame into (host-mapped) process memory;
 *   - weak the_kernel, kernel_process and kernel_panic (kernel.c's real ones
 *     win when they exist; the fake panic calls k->panic_hook, then longjmps
 *     to fake_panic_jmp if set, else aborts);
 *   - fake_hail_memory(): maps Hail's SRAM (0x20000000, 64 KiB) and app
 *     flash (0x30000, 256 KiB) at their real addresses, so that the uint32_t
 *     addresses of processes are usable pointers on the host.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/kernel.h"

#include "../../kernel/arch/cortex-m/mpu.c"

#define FRAME_BYTES 32u
#define XPSR_THUMB 0x01000000u

/* The helpers tests use (declared here for -Wmissing-prototypes; tests repeat them). */
bool fake_hail_memory(void);
extern jmp_buf *fake_panic_jmp;
extern const char *fake_panic_why;

jmp_buf *fake_panic_jmp;
const char *fake_panic_why;

__attribute__((weak)) struct kernel *the_kernel;

static bool map_at(uint32_t addr, uint32_t size)
{
#ifdef MAP_FIXED_NOREPLACE
    int fixed = MAP_FIXED_NOREPLACE;
#else
    int fixed = 0;
#endif
    void *p = mmap((void *)(uintptr_t)addr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | fixed, -1, 0);
    return p == (void *)(uintptr_t)addr;
}

bool fake_hail_memory(void)
{
    static bool mapped;
    if (!mapped)
        mapped = map_at(0x20000000u, 0x10000u) && map_at(0x30000u, 0x40000u);
    return mapped;
}

static void write_frame(uint32_t sp, uint32_t pc, uint32_t lr, uint32_t psr, const uint32_t args[4])
{
    uint32_t *f = (uint32_t *)(uintptr_t)sp;
    memcpy(f, args, 4 * sizeof(uint32_t));
    f[4] = 0, f[5] = lr, f[6] = pc, f[7] = psr;
}

void arch_init_process(struct arch_process_state *s, uint32_t stack, uint32_t entry, const uint32_t args[4])
{
    memset(s, 0, sizeof *s);
    s->psp = stack;
    s->psr = XPSR_THUMB;
    write_frame(stack, entry | 1u, 1u, XPSR_THUMB, args);
}

bool arch_set_process_function(struct arch_process_state *s, uint32_t lo, uint32_t hi, uint32_t fn,
                               const uint32_t args[4])
{
    if (s->psp < lo || (uint64_t)s->psp + FRAME_BYTES > hi)
        return false;
    write_frame(s->psp, fn | 1u, s->yield_pc | 1u, s->psr ? s->psr : XPSR_THUMB, args);
    return true;
}

__attribute__((weak)) struct process *kernel_process(struct kernel *k, processid_t pid)
{
    if (!k || pid.index >= k->nprocs)
        return NULL;
    struct process *p = k->procs[pid.index];
    return process_is_alive(p) && processid_eq(p->id, pid) ? p : NULL;
}

__attribute__((weak)) void kernel_panic(struct kernel *k, const char *why)
{
    fake_panic_why = why;
    if (k && k->panic_hook)
        k->panic_hook(k, why);
    if (fake_panic_jmp)
        longjmp(*fake_panic_jmp, 1);
    abort();
}

/* ==== syscall / kernel-loop fakes (added for test_syscall.c, test_kernel.c, test_ipc.c) ====
 * arch_get_syscall returns fake_syscall (false if fake_syscall_bad or the
 * saved PSP frame is not inside [lo, hi)); arch_set_syscall_return records
 * into fake_sysret / fake_sysret_count and, per variant like the real
 * arch, into fake_ret_regs; arch_switch_to_process plays the
 * script fake_switch[] (reason + the syscall it traps with), and when the
 * script is exhausted traps with yield-wait; fake timer, interrupt mask,
 * last-fault registers, arch_mpu_apply counting fake_mpu_applies;
 * fake_kernel_halt ends kernel.c's kernel_panic. */
struct fake_switch_step {
    enum arch_switch_reason reason;
    struct arch_syscall sc;
    void (*before)(void);           /* optional: runs "while the process runs" */
};
#define FAKE_SWITCH_MAX 32

extern struct arch_syscall fake_syscall;
extern bool fake_syscall_bad;
extern struct sysret fake_sysret;
extern int fake_sysret_count;
extern uint32_t fake_ret_regs[4];      /* r0-r3 as the process would see them */
extern struct fake_switch_step fake_switch[FAKE_SWITCH_MAX];
extern int fake_switch_len, fake_switch_pos, fake_switch_calls;
extern uint32_t fake_timer_started_us, fake_timer_remaining, fake_timer_stops;
extern bool fake_timer_expired, fake_irq_masked;
extern int fake_irq_disables, fake_irq_enables;
extern struct fault_record fake_fault;
extern int fake_mpu_applies;
void fake_syscall_reset(void);
void fake_kernel_halt(const char *why) __attribute__((noreturn));

struct arch_syscall fake_syscall;
bool fake_syscall_bad;
struct sysret fake_sysret;
int fake_sysret_count;
uint32_t fake_ret_regs[4];
struct fake_switch_step fake_switch[FAKE_SWITCH_MAX];
int fake_switch_len, fake_switch_pos, fake_switch_calls;
uint32_t fake_timer_started_us, fake_timer_remaining, fake_timer_stops;
bool fake_timer_expired, fake_irq_masked;
int fake_irq_disables, fake_irq_enables;
struct fault_record fake_fault;

void fake_syscall_reset(void)
{
    memset(&fake_syscall, 0, sizeof fake_syscall);
    memset(&fake_sysret, 0, sizeof fake_sysret);
    memset(fake_ret_regs, 0, sizeof fake_ret_regs);
    memset(fake_switch, 0, sizeof fake_switch);
    memset(&fake_fault, 0, sizeof fake_fault);
    fake_syscall_bad = fake_timer_expired = fake_irq_masked = false;
    fake_sysret_count = fake_switch_len = fake_switch_pos = fake_switch_calls = 0;
    fake_timer_started_us = fake_timer_remaining = fake_timer_stops = 0;
    fake_irq_disables = fake_irq_enables = 0;
    fake_mpu_applies = 0;
}

bool arch_get_syscall(const struct arch_process_state *s, uint32_t lo, uint32_t hi, struct arch_syscall *out)
{
    if (fake_syscall_bad || s->psp < lo || (uint64_t)s->psp + FRAME_BYTES > hi)
        return false;
    *out = fake_syscall;
    return true;
}

/* Like the Cortex-M code: only the registers the variant names are written. */
static int fake_sysret_words(uint32_t v)
{
    switch (v) {
    case SYSRET_FAILURE: case SYSRET_SUCCESS_U32: return 2;
    case SYSRET_FAILURE_U32: case SYSRET_SUCCESS_2U32: case SYSRET_SUCCESS_U64: return 3;
    case SYSRET_SUCCESS: return 1;
    default: return 4;
    }
}

void arch_set_syscall_return(struct arch_process_state *s, struct sysret r)
{
    const uint32_t v[4] = { r.variant, r.r1, r.r2, r.r3 };
    (void)s;
    fake_sysret = r;
    fake_sysret_count++;
    for (int i = 0; i < fake_sysret_words(r.variant); i++)
        fake_ret_regs[i] = v[i];
}

enum arch_switch_reason arch_switch_to_process(struct arch_process_state *s)
{
    (void)s;
    fake_switch_calls++;
    if (fake_switch_pos >= fake_switch_len) {
        fake_syscall = (struct arch_syscall){ .class_num = 0, .r = { 1, 0, 0, 0 } };   /* yield-wait */
        return SWITCH_SYSCALL;
    }
    struct fake_switch_step *st = &fake_switch[fake_switch_pos++];
    if (st->before)
        st->before();
    if (st->reason == SWITCH_SYSCALL)
        fake_syscall = st->sc;
    return st->reason;
}

void arch_last_fault(const struct arch_process_state *s, struct fault_record *f)
{
    (void)s;
    *f = fake_fault;
}

void arch_timer_start(uint32_t us) { fake_timer_started_us = us; fake_timer_remaining = us; fake_timer_expired = false; }
uint32_t arch_timer_remaining_us(void) { return fake_timer_remaining; }
bool arch_timer_expired(void) { return fake_timer_expired; }
void arch_timer_stop(void) { fake_timer_stops++; }
void arch_disable_interrupts(void) { fake_irq_masked = true; fake_irq_disables++; }
void arch_enable_interrupts(void) { fake_irq_masked = false; fake_irq_enables++; }
void arch_wait_for_interrupt(void) {}

/* mpu.c compiles its register writes out on the host: count the applies. */
int fake_mpu_applies;
void arch_mpu_apply(const struct arch_mpu_config *c) { (void)c; fake_mpu_applies++; }
void arch_mpu_disable_apps(void) {}

void fake_kernel_halt(const char *why)
{
    fake_panic_why = why;
    if (fake_panic_jmp)
        longjmp(*fake_panic_jmp, 1);
    abort();
}
/* ==== end of syscall / kernel-loop fakes ==== */
