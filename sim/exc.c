/*
 * exc.c — the ARMv7-M exception model (see exc.h).  The NVIC and SCB
 * register models are views of the state kept here, so there is exactly one
 * copy of "is exception N pending/active/enabled, at which priority".
 */
#include <stdlib.h>
#include <string.h>

#include "exc.h"
#include "cpu_state.h"
#include "mpu_enforce.h"
#include "isocheck.h"
#include "proctrace.h"
#include "trace.h"

#define CCR_STKALIGN (1u << 9)
#define CCR_NONBASETHRDENA (1u << 0)

static bool slot_counts(const struct exc_slot *s) { return s->pending && s->enabled; }

static void set_bit(uint32_t *bits, int n, bool on)
{
    if (on)
        bits[n / 32] |= 1u << (n % 32);
    else
        bits[n / 32] &= ~(1u << (n % 32));
}

void exc_rebuild_bits(struct exc_state *e)
{
    for (int n = 0; n < EXC_MAX; n++) {
        set_bit(e->pending_bits, n, e->slot[n].pending);
        set_bit(e->enabled_bits, n, e->slot[n].enabled);
    }
}

void exc_reset(struct machine *m)
{
    struct exc_state *e = &m->exc;
    int irqs = m->board->cpu.num_irqs;
    e->num_exc = 16 + irqs;
    for (int n = 0; n < EXC_MAX; n++)
        e->slot[n] = (struct exc_slot){0};
    /* system exceptions other than the three configurable faults are always enabled */
    for (int n = 1; n < 16; n++)
        e->slot[n].enabled = !(n == EXC_MEMMANAGE || n == EXC_BUSFAULT || n == EXC_USAGEFAULT);
    exc_rebuild_bits(e);
    e->npending = 0;
    e->nactive = 0;
    int bits = m->board->cpu.priority_bits;
    e->prio_mask = (uint8_t)(0xFFu << (8 - bits));
    e->prigroup = 0;
}

void exc_set_pending(struct machine *m, int n, bool pending)
{
    struct exc_slot *s = &m->exc.slot[n];
    if (n <= 0 || n >= m->exc.num_exc || s->pending == pending)
        return;
    bool before = slot_counts(s);
    s->pending = pending;
    set_bit(m->exc.pending_bits, n, pending);
    m->exc.npending += (int)slot_counts(s) - (int)before;
    if (m->exc.npending)
        cpu_kick(m);
}

void exc_irq_line(struct machine *m, int irq, bool asserted)
{
    int n = EXC_IRQ0 + irq;
    if (irq < 0 || n >= m->exc.num_exc)
        return;
    m->exc.slot[n].line = asserted;
    if (asserted)
        exc_set_pending(m, n, true);
}

void exc_set_enabled(struct machine *m, int n, bool enabled)
{
    struct exc_slot *s = &m->exc.slot[n];
    if (n <= 0 || n >= m->exc.num_exc || s->enabled == enabled)
        return;
    bool before = slot_counts(s);
    s->enabled = enabled;
    set_bit(m->exc.enabled_bits, n, enabled);
    m->exc.npending += (int)slot_counts(s) - (int)before;
    if (m->exc.npending)
        cpu_kick(m);
}

void exc_set_priority(struct machine *m, int n, uint8_t prio)
{
    if (n >= 4 && n < m->exc.num_exc)
        m->exc.slot[n].prio = prio & m->exc.prio_mask;
}

static int group_of(const struct machine *m, int raw)
{
    uint32_t sub_mask = (2u << m->exc.prigroup) - 1u;   /* PRIGROUP n: bits [n:0] are sub-priority */
    return (int)((uint32_t)raw & ~sub_mask & 0xFFu);
}

int exc_group_priority(const struct machine *m, int n)
{
    switch (n) {
    case EXC_RESET: return -3;
    case EXC_NMI: return -2;
    case EXC_HARDFAULT: return -1;
    default: return group_of(m, m->exc.slot[n].prio);
    }
}

/* Full priority for ordering pending exceptions: group, then sub-priority. */
static int full_priority(const struct machine *m, int n)
{
    return n <= EXC_HARDFAULT ? exc_group_priority(m, n) : m->exc.slot[n].prio;
}

static int active_priority(const struct machine *m, int skip)
{
    int prio = 256;
    if (m->exc.nactive == 0)
        return prio;
    for (int n = 1; n < m->exc.num_exc; n++)
        if (m->exc.slot[n].active && n != skip) {
            int g = exc_group_priority(m, n);
            if (g < prio)
                prio = g;
        }
    return prio;
}

static int masked_priority(struct machine *m, int prio, bool ignore_primask)
{
    uint32_t primask, basepri, faultmask;
    cpu_get_masks(m, &primask, &basepri, &faultmask);
    basepri &= m->exc.prio_mask;
    if (basepri && group_of(m, (int)basepri) < prio)
        prio = group_of(m, (int)basepri);
    if ((primask & 1) && !ignore_primask && prio > 0)
        prio = 0;
    if ((faultmask & 1) && prio > -1)
        prio = -1;
    return prio;
}

int exc_execution_priority(struct machine *m)
{
    return masked_priority(m, active_priority(m, 0), false);
}

int exc_highest_pending(const struct machine *m)
{
    int best = 0, best_prio = 1 << 20;
    if (m->exc.npending == 0)
        return 0;
    for (int n = 1; n < m->exc.num_exc; n++) {
        const struct exc_slot *s = &m->exc.slot[n];
        if (!slot_counts(s))
            continue;
        int p = full_priority(m, n);
        if (p < best_prio) {
            best = n;
            best_prio = p;
        }
    }
    return best;
}

bool exc_rettobase(const struct machine *m)
{
    return m->exc.nactive <= 1;
}

/* ---- memory helpers for stacking ------------------------------------------ */

static bool frame_access(struct machine *m, uint32_t addr, bool write, bool priv, uint32_t *words)
{
    uint8_t *p = machine_host_ptr(m, addr, 32);
    if (!p || access_check(m, addr, 32, write ? ACC_WRITE : ACC_READ, priv) != ACCESS_OK)
        return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (write)                          /* the guest is little-endian too: one copy */
        memcpy(p, words, 32);
    else
        memcpy(words, p, 32);
#else
    for (int i = 0; i < 8; i++) {
        uint8_t *q = p + 4 * i;
        if (write) {
            q[0] = (uint8_t)words[i]; q[1] = (uint8_t)(words[i] >> 8);
            q[2] = (uint8_t)(words[i] >> 16); q[3] = (uint8_t)(words[i] >> 24);
        } else {
            words[i] = (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
        }
    }
#endif
    return true;
}

static void trace_exception(struct machine *m, const char *what, int n, uint32_t pc)
{
    if (m->trace && m->trace_exceptions)
        trace_emit(m, "exception", "\"what\":\"%s\",\"exc\":%d,\"pc\":%u", what, n, pc);
}

static void lockup(struct machine *m, const char *why)
{
    cpu_fatal(m, STOP_LOCKUP, "lockup: %s", why);
}

/* Fetches vector n; on failure raises HardFault VECTTBL (or locks up). */
static bool read_vector(struct machine *m, int n, uint32_t *pc)
{
    if (machine_read32(m, m->scb.vtor + 4u * (uint32_t)n, pc) == 0)
        return true;
    if (n == EXC_HARDFAULT) {
        lockup(m, "vector table read failed while entering HardFault");
        return false;
    }
    m->scb.hfsr |= HFSR_VECTTBL;
    return false;
}

/* Is a higher priority than b (group, then sub-priority, then number)? */
static bool higher_priority(const struct machine *m, int a, int b)
{
    int pa = full_priority(m, a), pb = full_priority(m, b);
    return pa < pb || (pa == pb && a < b);
}

/* Stacking for exception n failed (ARMv7-M DerivedLateArrival): the fault
 * (MemManage MSTKERR, BusFault STKERR, or HardFault when it cannot be taken
 * at the priority the CPU had before n) competes with n as a late arrival:
 * the higher of the two is entered, the other stays pending.  Returns the
 * exception to enter. */
static int derived_late_arrival(struct machine *m, int n, uint32_t return_pc, bool mapped)
{
    int derived = mapped ? EXC_MEMMANAGE : EXC_BUSFAULT;
    m->scb.cfsr |= mapped ? CFSR_MSTKERR : CFSR_STKERR;
    if (m->trace)
        trace_emit(m, "fault", "\"exc\":%d,\"cfsr\":%u,\"pc\":%u,\"during\":\"stacking\"",
                   derived, m->scb.cfsr, return_pc);
    int exec = exc_execution_priority(m);          /* before n becomes active */
    if (!m->exc.slot[derived].enabled || exc_group_priority(m, derived) >= exec) {
        if (exec <= -1) {
            lockup(m, "stacking fault at priority -1 or higher");
            return n;
        }
        derived = EXC_HARDFAULT;
        m->scb.hfsr |= HFSR_FORCED;
    }
    if (higher_priority(m, n, derived)) {
        exc_set_pending(m, derived, true);
        return n;
    }
    exc_set_pending(m, n, true);                   /* the original waits */
    return derived;
}

/* Enters exception n, stacking the current context. */
static void exc_enter(struct machine *m, int n, uint32_t return_pc)
{
    static const int frame_regs[6] = {
        UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR
    };
    uint32_t frame[8];
    struct cpu_special live;
    cpu_regs_read(m, frame_regs, frame, 6);
    cpu_get_special(m, &live, false);
    uint32_t xpsr = live.xpsr;                       /* T stays 0 for an INVSTATE fault */
    uint32_t control = live.control & 3u;
    uint32_t msp = live.msp, psp = live.psp;

    bool thread = m->ipsr == 0;
    bool on_psp = thread && (control & CONTROL_SPSEL);
    bool priv = !thread || !(control & CONTROL_NPRIV);
    uint32_t sp = on_psp ? psp : msp;
    bool align = (m->scb.ccr & CCR_STKALIGN) && (sp & 4u);
    uint32_t fp = (sp - 32u) & ~(align ? 4u : 0u);
    frame[6] = return_pc & ~1u;
    frame[7] = (xpsr & ~(1u << 9)) | (align ? 1u << 9 : 0);
    if (m->isocheck && thread && (control & CONTROL_NPRIV))
        isocheck_leave(m, m->isocheck, n, frame, fp);

    if (!frame_access(m, fp, true, priv, frame)) {
        n = derived_late_arrival(m, n, return_pc, machine_host_ptr(m, fp, 32) != NULL);
        if (m->stop != STOP_NONE)
            return;
    }
    if (on_psp)
        psp = fp;
    else
        msp = fp;

    uint32_t vector;
    if (!read_vector(m, n, &vector)) {
        if (m->stop != STOP_NONE)
            return;
        n = EXC_HARDFAULT;
        if (!read_vector(m, n, &vector))
            return;
    }
    exc_set_pending(m, n, false);
    if (!m->exc.slot[n].active) {
        m->exc.slot[n].active = true;
        m->exc.nactive++;
    }
    uint32_t exc_ret = !thread ? 0xFFFFFFF1u : on_psp ? 0xFFFFFFFDu : 0xFFFFFFF9u;
    /* handler: IT bits cleared, IPSR = n, flags kept */
    uint32_t new_xpsr = (xpsr & 0xF80F0000u) | (uint32_t)n;
    struct reg_batch b = { 0 };
    cpu_mode_batch(m, &b, &live, new_xpsr, control & CONTROL_NPRIV, msp, psp);
    batch_add(&b, UC_ARM_REG_LR, exc_ret);
    batch_add(&b, UC_ARM_REG_PC, vector | 1u);
    cpu_batch_write(m, &b);
    machine_stall(m, EXC_ENTRY_CYCLES);
    m->sleeping = false;
    m->event_register = true;
    trace_exception(m, "entry", n, return_pc);

}

bool exc_take_pending(struct machine *m, uint32_t return_pc)
{
    int n = exc_highest_pending(m);
    if (n == 0)
        return false;
    int g = exc_group_priority(m, n), active = active_priority(m, 0);
    /* the masks can only raise the execution priority: read them only when needed */
    if (g >= active || g >= masked_priority(m, active, false))
        return false;
    exc_enter(m, n, return_pc);
    return true;
}

bool exc_wakeup_pending(struct machine *m)
{
    int n = exc_highest_pending(m);
    if (n == 0)
        return false;
    return exc_group_priority(m, n) < masked_priority(m, active_priority(m, 0), true);
}

/* Raises a synchronous exception n now, escalating to HardFault when it
 * cannot be taken (disabled, or not higher than the execution priority). */
static void take_synchronous(struct machine *m, int n, uint32_t return_pc)
{
    int exec = exc_execution_priority(m);
    if (n != EXC_HARDFAULT && (!m->exc.slot[n].enabled || exc_group_priority(m, n) >= exec)) {
        n = EXC_HARDFAULT;
        m->scb.hfsr |= HFSR_FORCED;
    }
    if (n == EXC_HARDFAULT && exec <= -1) {
        lockup(m, "fault while executing at priority -1 or higher (HardFault, NMI or FAULTMASK)");
        return;
    }
    exc_set_pending(m, n, true);
    exc_enter(m, n, return_pc);
}

void exc_svc(struct machine *m, uint32_t return_pc)
{
    take_synchronous(m, EXC_SVCALL, return_pc);
}

static const char *fault_name(int exc)
{
    switch (exc) {
    case EXC_MEMMANAGE: return "memmanage";
    case EXC_BUSFAULT: return "busfault";
    case EXC_USAGEFAULT: return "usagefault";
    default: return "hardfault";
    }
}

void exc_fault(struct machine *m, int exc, uint32_t cfsr_bits, uint32_t addr, uint32_t pc)
{
    m->scb.cfsr |= cfsr_bits;
    if (cfsr_bits & CFSR_MMARVALID)
        m->scb.mmfar = addr;
    if (cfsr_bits & CFSR_BFARVALID)
        m->scb.bfar = addr;
    if (m->trace)
        trace_emit(m, "fault", "\"kind\":\"%s\",\"cfsr\":%u,\"addr\":%u,\"pc\":%u,\"privileged\":%s",
                   fault_name(exc), m->scb.cfsr, addr, pc, cpu_privileged_live(m) ? "true" : "false");
    take_synchronous(m, exc, pc);
}

/* Deactivates `n` and decides where the return goes. */
static bool exc_return_valid(struct machine *m, int n, uint32_t exc_ret)
{
    if ((exc_ret & 0xFFFFFFF0u) != 0xFFFFFFF0u)
        return false;
    uint32_t low = exc_ret & 0xFu;
    if (low != 0x1u && low != 0x9u && low != 0xDu)
        return false;
    if (n == 0 || !m->exc.slot[n].active)
        return false;
    if (low != 0x1u && m->exc.nactive > 1 && !(m->scb.ccr & CCR_NONBASETHRDENA))
        return false;
    return true;
}

void exc_return(struct machine *m, uint32_t exc_ret)
{
    int n = (int)m->ipsr;
    if (!exc_return_valid(m, n, exc_ret)) {
        /* INVPC: the faulting "instruction" is the return itself; report at LR value */
        exc_fault(m, EXC_USAGEFAULT, CFSR_INVPC, 0, exc_ret);
        return;
    }
    m->exc.slot[n].active = false;
    m->exc.nactive--;
    if (m->exc.slot[n].line)
        exc_set_pending(m, n, true);    /* level-sensitive: still asserted */
    /* every return except from NMI clears FAULTMASK: written only when it is or may be set */
    bool clear_faultmask = n != EXC_NMI;
    trace_exception(m, "return", n, exc_ret);

    bool to_thread = (exc_ret & 8u) != 0;
    bool use_psp = (exc_ret & 4u) != 0;
    /* tail-chain: a pending exception that preempts the context we return to */
    int next = exc_highest_pending(m), active = next ? active_priority(m, 0) : 256;
    if (next && clear_faultmask) {      /* the preemption test reads the cleared masks */
        cpu_set_faultmask(m, 0);
        clear_faultmask = false;
    }
    if (next && exc_group_priority(m, next) < active &&
        exc_group_priority(m, next) < masked_priority(m, active, false)) {
        uint32_t vector;
        if (read_vector(m, next, &vector)) {
            exc_set_pending(m, next, false);
            m->exc.slot[next].active = true;
            m->exc.nactive++;
            uint32_t xpsr = (cpu_reg(m, UC_ARM_REG_XPSR) & ~0x1FFu) | (uint32_t)next;
            cpu_set_reg(m, UC_ARM_REG_XPSR, xpsr | XPSR_T);
            cpu_set_reg(m, UC_ARM_REG_APSR_NZCV, cpu_reg(m, UC_ARM_REG_APSR_NZCV));
            m->ipsr = (uint32_t)next;
            cpu_set_reg(m, UC_ARM_REG_LR, exc_ret);
            cpu_set_pc(m, vector);
            machine_stall(m, EXC_TAILCHAIN_CYCLES);
            trace_exception(m, "tailchain", next, vector);
            return;
        }
        if (m->stop != STOP_NONE)
            return;
    }

    struct cpu_special live;                         /* the masks too: see cpu_enter_unprivileged */
    cpu_get_special(m, &live, to_thread);
    if (clear_faultmask && (!to_thread || live.faultmask != 0)) {
        cpu_set_faultmask(m, 0);
        live.faultmask = 0;
    } else if (clear_faultmask) {
        m->faultmask = 0;
    }
    uint32_t msp = live.msp, psp = live.psp, frame[8];
    uint32_t control = live.control & CONTROL_NPRIV;
    bool priv = !to_thread || !(control & CONTROL_NPRIV);
    uint32_t sp = use_psp ? psp : msp;
    if (!frame_access(m, sp, false, priv, frame)) {
        bool mapped = machine_host_ptr(m, sp, 32) != NULL;
        /* the exception has been deactivated; the unstacking fault is taken from the handler context */
        m->exc.slot[n].active = true;
        m->exc.nactive++;
        exc_fault(m, mapped ? EXC_MEMMANAGE : EXC_BUSFAULT, mapped ? CFSR_MUNSTKERR : CFSR_UNSTKERR,
                  0, exc_ret);
        return;
    }
    uint32_t xpsr = frame[7];
    sp += 32u + (((xpsr >> 9) & 1u) && (m->scb.ccr & CCR_STKALIGN) ? 4u : 0u);
    if (use_psp)
        psp = sp;
    else
        msp = sp;
    uint32_t stacked_ipsr = xpsr & 0x1FFu;
    if (to_thread ? stacked_ipsr != 0 : stacked_ipsr == 0) {
        m->exc.slot[n].active = true;
        m->exc.nactive++;
        exc_fault(m, EXC_USAGEFAULT, CFSR_INVPC, 0, exc_ret);
        return;
    }
    static const int frame_regs[7] = {
        UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR, UC_ARM_REG_PC
    };
    if (to_thread && use_psp)
        control |= CONTROL_SPSEL;
    struct reg_batch b = { 0 };
    cpu_mode_batch(m, &b, &live, (xpsr & ~(1u << 9)) | XPSR_T, control, msp, psp);
    frame[6] |= 1u;                                  /* Thumb */
    for (int i = 0; i < 7; i++)
        batch_add(&b, frame_regs[i], frame[i]);
    cpu_batch_write(m, &b);
    if (to_thread && (control & CONTROL_NPRIV))
        cpu_enter_unprivileged(m, msp, &live);
    machine_stall(m, EXC_RETURN_CYCLES);
    if (m->isocheck && to_thread && (control & CONTROL_NPRIV))
        isocheck_enter(m, m->isocheck, psp, frame[0]);
    if (m->proctrace)
        proctrace_check(m, m->proctrace);
}
