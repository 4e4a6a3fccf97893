/*
 * process_frame.c — the process side of kernel/arch.h on ARMv7-M: the C
 * part of the context switch (arch_switch_to_process around switch.S), and
 * everything done to a process's stacked exception frame: reading a system
 * call, writing its return value, setting up an upcall or the first call
 * in place (tock-abi.md §2, §3.1), and the registers of the last fault.
 *
 * The hardware frame at PSP is 8 words: r0 r1 r2 r3 r12 lr pc xPSR.  The
 * kernel only reads or writes a frame that lies inside SRAM (arch_setup);
 * the callers' [lo, hi) checks then decide if it belongs to the process.
 */
#include "kernel/arch.h"
#include "kernel/process.h"
#include "cortexm.h"

enum { F_R0, F_R1, F_R2, F_R3, F_R12, F_LR, F_PC, F_XPSR, FRAME_WORDS };
#define FRAME_BYTES (FRAME_WORDS * 4u)
#define XPSR_THUMB 0x01000000u

uint32_t arch_switch_asm(struct arch_process_state *s);

static uint32_t ram_lo = 0x20000000u, ram_hi = 0x20010000u;   /* replaced by arch_setup() */

void arch_set_ram(uint32_t lo, uint32_t hi)
{
    ram_lo = lo;
    ram_hi = hi;
}

/* A frame at psp wholly inside [lo, hi), word aligned. */
static inline __attribute__((always_inline)) bool frame_in(uint32_t psp, uint32_t lo, uint32_t hi)
{
    return (psp & 3u) == 0 && psp >= lo && psp <= hi && hi - psp >= FRAME_BYTES;
}

static inline __attribute__((always_inline)) uint32_t *frame_of(const struct arch_process_state *s)
{
    return frame_in(s->psp, ram_lo, ram_hi) ? (uint32_t *)(uintptr_t)s->psp : NULL;
}

enum arch_switch_reason arch_switch_to_process(struct arch_process_state *s)
{
    enum arch_switch_reason why = (enum arch_switch_reason)arch_switch_asm(s);
    if (why == SWITCH_SYSCALL) {
        uint32_t *f = frame_of(s);
        if (f) {
            s->yield_pc = f[F_PC];      /* where an upcall returns to (Tock: every svc) */
            s->psr = f[F_XPSR];
        }
    }
    return why;
}

bool arch_get_syscall(const struct arch_process_state *s, uint32_t lo, uint32_t hi,
                      struct arch_syscall *out)
{
    if (!frame_in(s->psp, lo > ram_lo ? lo : ram_lo, hi < ram_hi ? hi : ram_hi))
        return false;                               /* outside [lo, hi) or outside SRAM */
    const uint32_t *f = (const uint32_t *)(uintptr_t)s->psp;
    const uint16_t *insn = (const uint16_t *)(uintptr_t)((f[F_PC] & ~1u) - 2u);
    out->class_num = (uint8_t)(*insn & 0xFFu);      /* svc #imm8 */
    out->r[0] = f[F_R0];
    out->r[1] = f[F_R1];
    out->r[2] = f[F_R2];
    out->r[3] = f[F_R3];
    return true;
}

/* Writes r0 and as many of r1-r3 as the return variant names (the others keep their value). */
void arch_set_syscall_return(struct arch_process_state *s, struct sysret r)
{
    uint32_t *f = frame_of(s);
    if (!f)
        return;
    switch (r.variant) {
    case SYSRET_SUCCESS:
        break;
    case SYSRET_FAILURE: case SYSRET_SUCCESS_U32:
        f[F_R1] = r.r1;
        break;
    case SYSRET_FAILURE_U32: case SYSRET_SUCCESS_2U32: case SYSRET_SUCCESS_U64:
        f[F_R1] = r.r1;
        f[F_R2] = r.r2;
        break;
    default:                            /* FAILURE_2U32, FAILURE_U64, SUCCESS_3U32, SUCCESS_U32_U64 */
        f[F_R1] = r.r1;
        f[F_R2] = r.r2;
        f[F_R3] = r.r3;
        break;
    }
    f[F_R0] = r.variant;
}

/* Rewrites the frame in place: PSP never moves (tock-abi.md §2). */
static void write_call(uint32_t *f, const struct arch_process_state *s, uint32_t fn,
                       const uint32_t args[4])
{
    for (int i = 0; i < 4; i++)
        f[F_R0 + i] = args[i];
    f[F_LR] = s->yield_pc | 1u;
    f[F_PC] = fn | 1u;
    f[F_XPSR] = s->psr | XPSR_THUMB;
}

bool arch_set_process_function(struct arch_process_state *s, uint32_t lo, uint32_t hi, uint32_t fn,
                               const uint32_t args[4])
{
    if (!frame_in(s->psp, lo > ram_lo ? lo : ram_lo, hi < ram_hi ? hi : ram_hi))
        return false;                               /* outside [lo, hi) or outside SRAM */
    write_call((uint32_t *)(uintptr_t)s->psp, s, fn, args);
    return true;
}

void arch_init_process(struct arch_process_state *s, uint32_t stack, uint32_t entry, const uint32_t args[4])
{
    for (int i = 0; i < 8; i++)
        s->r4_r11[i] = 0;
    s->psp = stack;
    s->yield_pc = 0;                    /* LR = 1: the entry function must not return */
    s->psr = XPSR_THUMB;
    uint32_t *f = frame_of(s);
    if (!f)
        return;
    f[F_R12] = 0;
    write_call(f, s, entry, args);
}

/* ---- faults ---------------------------------------------------------------------- */

static struct { uint32_t exc, cfsr, hfsr, mmfar, bfar; } last;

void arch_capture_process_fault(uint32_t exc)
{
    last.exc = exc;
    last.cfsr = REG32(SCB_CFSR);
    last.hfsr = REG32(SCB_HFSR);
    last.mmfar = last.cfsr & CFSR_MMARVALID ? REG32(SCB_MMFAR) : 0;
    last.bfar = last.cfsr & CFSR_BFARVALID ? REG32(SCB_BFAR) : 0;
    REG32(SCB_CFSR) = last.cfsr;        /* write-one-to-clear: the next fault starts clean */
    REG32(SCB_HFSR) = last.hfsr;
}

static uint8_t fault_kind(uint32_t exc)
{
    switch (exc) {
    case EXC_MEMMANAGE: return FAULT_MEMMANAGE;
    case EXC_BUSFAULT: return FAULT_BUSFAULT;
    case EXC_USAGEFAULT: return FAULT_USAGEFAULT;
    default: return FAULT_HARDFAULT;
    }
}

void arch_last_fault(const struct arch_process_state *s, struct fault_record *f)
{
    const uint32_t *fr = frame_of(s);
    f->kind = fault_kind(last.exc);
    f->cfsr = last.cfsr;
    f->hfsr = last.hfsr;
    f->mmfar = last.mmfar;
    f->bfar = last.bfar;
    f->sp = s->psp;
    for (int i = 0; i < 4; i++)
        f->r[i] = fr ? fr[F_R0 + i] : 0;
    f->r12 = fr ? fr[F_R12] : 0;
    f->lr = fr ? fr[F_LR] : 0;
    f->pc = fr ? fr[F_PC] : 0;
    f->xpsr = fr ? fr[F_XPSR] : 0;
}
