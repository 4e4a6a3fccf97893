/*
 * cpu_state.c — reading and forcing the banked M-profile state, through the
 * live CPU state (uc_env.h) when it was found, else through Unicorn's
 * register interface (see cpu_state.h for why this is needed).
 */
#include "cpu_state.h"
#include "mpu_enforce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* r0-r15 as 0-15 (the order of the live state, uc_env.h), -1 for other registers */
static int core_index(int reg)
{
    if (reg >= UC_ARM_REG_R0 && reg <= UC_ARM_REG_R12)
        return reg - UC_ARM_REG_R0;
    return reg == UC_ARM_REG_SP ? 13 : reg == UC_ARM_REG_LR ? 14 : reg == UC_ARM_REG_PC ? 15 : -1;
}

/* Written straight into the live state: r0-r12 and LR, whose meaning no
 * mode changes (SP is the active one of two), and PC inside the interrupt
 * hook, where the block has been left already and Unicorn looks the next
 * one up from the state.  Anywhere else a PC write goes through Unicorn,
 * which then leaves the running block. */
static bool direct_write(const struct machine *m, int reg)
{
    int n = core_index(reg);
    return m->env.base && n >= 0 && n != 13 && (n != 15 || m->in_intr_hook);
}

static void put_core(struct machine *m, int reg, uint32_t val)
{
    int n = core_index(reg);
    uc_env_put(&m->env, uc_env_core(n), n == 15 ? val & ~1u : val);   /* PC: Thumb is in xPSR.T */
}

uint32_t cpu_reg(struct machine *m, int reg)
{
    int n = core_index(reg);
    if (m->env.base && n >= 0)
        return uc_env_get(&m->env, uc_env_core(n));
    if (m->env.base && reg == UC_ARM_REG_XPSR)
        return uc_env_xpsr(&m->env);
    uint32_t v = 0;
    uc_reg_read(m->uc, reg, &v);
    return v;
}

void cpu_set_reg(struct machine *m, int reg, uint32_t val)
{
    int n = core_index(reg);
    if (n < 0 || n == 13)
        m->unpriv.valid = false;            /* a stack pointer, a mask or the mode may have changed */
    if (direct_write(m, reg))
        put_core(m, reg, val);
    else
        uc_reg_write(m->uc, reg, &val);
}

uint32_t cpu_pc(struct machine *m)
{
    return cpu_reg(m, UC_ARM_REG_PC);
}

void cpu_set_pc(struct machine *m, uint32_t pc)
{
    if (!direct_write(m, UC_ARM_REG_PC))
        m->stop_requested = true;
    cpu_set_reg(m, UC_ARM_REG_PC, pc | 1u);
}

/* One Unicorn call for several registers: the per-call overhead is a large
 * part of a register access, and exceptions make dozens of them. */
void cpu_regs_read(struct machine *m, const int *ids, uint32_t *vals, int n)
{
    void *ptrs[CPU_BATCH_MAX];
    int api[CPU_BATCH_MAX], k = 0;
    for (int i = 0; i < n; i++) {
        int c = core_index(ids[i]);
        if (m->env.base && c >= 0) {
            vals[i] = uc_env_get(&m->env, uc_env_core(c));
            continue;
        }
        vals[i] = 0;
        api[k] = ids[i];
        ptrs[k++] = &vals[i];
    }
    if (k > 0)
        uc_reg_read_batch(m->uc, api, ptrs, k);
}

void cpu_regs_write(struct machine *m, const int *ids, const uint32_t *vals, int n)
{
    void *ptrs[CPU_BATCH_MAX];
    int api[CPU_BATCH_MAX], k = 0;
    for (int i = 0; i < n; i++) {
        if (direct_write(m, ids[i])) {
            put_core(m, ids[i], vals[i]);
            continue;
        }
        api[k] = ids[i];
        ptrs[k++] = (void *)&vals[i];
    }
    if (k > 0)
        uc_reg_write_batch(m->uc, api, ptrs, k);
}

enum { LIVE_XPSR, LIVE_CONTROL, LIVE_MSP, LIVE_PSP, LIVE_PRIMASK, LIVE_BASEPRI, LIVE_FAULTMASK, LIVE_N };

static void read_special(struct machine *m, uint32_t *v, int n);

#ifdef HAILSIM_CHECK_BOUNDARY
/* Sanitizer builds: the core must now hold exactly the state asked for. */
static void check_mode(struct machine *m, uint32_t xpsr, uint32_t control, uint32_t msp, uint32_t psp)
{
    uint32_t v[LIVE_N];
    read_special(m, v, LIVE_PSP + 1);
    if ((v[LIVE_XPSR] & 0x1FFu) != (xpsr & 0x1FFu) || (v[LIVE_CONTROL] & 3u) != (control & 3u) ||
        v[LIVE_MSP] != msp || v[LIVE_PSP] != psp) {
        fprintf(stderr, "hailsim: internal error: mode switch to xpsr %08x control %x msp %08x psp %08x "
                "gave xpsr %08x control %x msp %08x psp %08x\n", xpsr, control, msp, psp,
                v[LIVE_XPSR], v[LIVE_CONTROL], v[LIVE_MSP], v[LIVE_PSP]);
        abort();
    }
}
#endif

void batch_add(struct reg_batch *b, int id, uint32_t val)
{
    b->ids[b->n] = id;
    b->vals[b->n++] = val;
    b->writes_pc |= id == UC_ARM_REG_PC;
}

void cpu_batch_write(struct machine *m, struct reg_batch *b)
{
    if (b->writes_pc && !direct_write(m, UC_ARM_REG_PC))
        m->stop_requested = true;
    cpu_regs_write(m, b->ids, b->vals, b->n);
#ifdef HAILSIM_CHECK_BOUNDARY
    if (b->check)
        check_mode(m, b->want[0], b->want[1], b->want[2], b->want[3]);
#endif
    b->n = 0;
    b->writes_pc = false;
}

/* Unicorn keeps cached mode flags; rewriting NZCV makes it rebuild them. */
static void batch_refresh_mode_flags(struct reg_batch *b, uint32_t xpsr)
{
    batch_add(b, UC_ARM_REG_APSR_NZCV, xpsr & 0xF0000000u);
}

/* Through the API: reads xPSR, CONTROL and the first `n` - 2 of MSP, PSP,
 * PRIMASK, BASEPRI, FAULTMASK from any mode.  Unprivileged thread mode reads
 * the special registers as 0, so then the core steps into handler mode for a
 * moment. */
static void read_special_api(struct machine *m, uint32_t *v, int n)
{
    static const int ids[LIVE_N] = { UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL, UC_ARM_REG_MSP, UC_ARM_REG_PSP,
                                     UC_ARM_REG_PRIMASK, UC_ARM_REG_BASEPRI, UC_ARM_REG_FAULTMASK };
    cpu_regs_read(m, ids, v, n);
    if ((v[LIVE_XPSR] & 0x1FFu) != 0 || !(v[LIVE_CONTROL] & CONTROL_NPRIV))
        return;
    /* Unicorn swaps the banked SPs itself when IPSR changes */
    uint32_t xpsr = v[LIVE_XPSR];
    uc_reg_write(m->uc, UC_ARM_REG_XPSR, &(uint32_t){ (xpsr & ~0x1FFu) | XPSR_T | 1u });
    cpu_regs_read(m, ids + LIVE_MSP, v + LIVE_MSP, n - LIVE_MSP);
    struct reg_batch b = { 0 };
    batch_add(&b, UC_ARM_REG_XPSR, xpsr | XPSR_T);
    batch_refresh_mode_flags(&b, xpsr);
    cpu_regs_write(m, b.ids, b.vals, b.n);          /* no cpu_batch_write: no PC, no check */
}

/* From the live state: the banked SP is PSP unless thread mode runs on it. */
static void read_special_env(struct machine *m, uint32_t *v, int n)
{
    const struct uc_env *e = &m->env;
    uint32_t control = uc_env_get(e, e->control), sp = uc_env_get(e, uc_env_core(13));
    uint32_t other = uc_env_get(e, e->other_sp);
    bool on_psp = uc_env_get(e, e->exception) == 0 && (control & CONTROL_SPSEL);
    uint32_t all[LIVE_N] = {
        [LIVE_XPSR] = uc_env_xpsr(e),
        [LIVE_CONTROL] = control,
        [LIVE_MSP] = on_psp ? other : sp,
        [LIVE_PSP] = on_psp ? sp : other,
        [LIVE_PRIMASK] = uc_env_get(e, e->primask),
        [LIVE_BASEPRI] = uc_env_get(e, e->basepri),
        [LIVE_FAULTMASK] = uc_env_get(e, e->faultmask),
    };
    memcpy(v, all, (size_t)n * sizeof v[0]);
}

static void read_special(struct machine *m, uint32_t *v, int n)
{
    if (!m->env.base) {
        read_special_api(m, v, n);
        return;
    }
    read_special_env(m, v, n);
#ifdef HAILSIM_CHECK_BOUNDARY
    uint32_t api[LIVE_N] = { 0 };                   /* sanitizer builds: the API agrees */
    read_special_api(m, api, n);
    for (int i = 0; i < n; i++)
        if (api[i] != v[i]) {
            fprintf(stderr, "hailsim: internal error: live CPU state field %d reads %08x, the API %08x\n",
                    i, v[i], api[i]);
            abort();
        }
#endif
}

#ifdef HAILSIM_CHECK_BOUNDARY
/* Sanitizer builds: the unprivileged-thread cache agrees with the core. */
static void check_unpriv_cache(struct machine *m)
{
    uint32_t v[LIVE_N];
    read_special(m, v, LIVE_N);
    if (v[LIVE_MSP] != m->unpriv.msp || v[LIVE_PRIMASK] != m->unpriv.primask ||
        v[LIVE_BASEPRI] != m->unpriv.basepri || v[LIVE_FAULTMASK] != m->unpriv.faultmask ||
        (v[LIVE_XPSR] & 0x1FFu) != 0 || !(v[LIVE_CONTROL] & CONTROL_NPRIV)) {
        fprintf(stderr, "hailsim: internal error: stale unprivileged-thread cache (msp %08x/%08x)\n",
                m->unpriv.msp, v[LIVE_MSP]);
        abort();
    }
}
#endif

void cpu_get_special(struct machine *m, struct cpu_special *sp, bool masks)
{
    uint32_t v[LIVE_N] = { 0 };
    if (m->unpriv.valid && !m->env.base) {
#ifdef HAILSIM_CHECK_BOUNDARY
        check_unpriv_cache(m);
#endif
        static const int ids[3] = { UC_ARM_REG_XPSR, UC_ARM_REG_CONTROL, UC_ARM_REG_SP };
        cpu_regs_read(m, ids, v, 3);
        *sp = (struct cpu_special){ v[0], v[1], m->unpriv.msp, v[2],
                                    m->unpriv.primask, m->unpriv.basepri, m->unpriv.faultmask };
        return;
    }
    read_special(m, v, masks ? LIVE_N : LIVE_PSP + 1);
    *sp = (struct cpu_special){ v[LIVE_XPSR], v[LIVE_CONTROL], v[LIVE_MSP], v[LIVE_PSP],
                                v[LIVE_PRIMASK], v[LIVE_BASEPRI], v[LIVE_FAULTMASK] };
}

void cpu_get_sps(struct machine *m, uint32_t *msp, uint32_t *psp)
{
    struct cpu_special sp;
    cpu_get_special(m, &sp, false);
    *msp = sp.msp;
    *psp = sp.psp;
}

bool cpu_privileged_live(struct machine *m)
{
    /* handler mode is privileged; only thread mode's CONTROL.nPRIV can
     * have changed behind the simulator's back (an MSR) */
    if (m->ipsr != 0 || m->unpriv.valid)
        return m->ipsr != 0;
    uint32_t control = m->env.base ? uc_env_get(&m->env, m->env.control) : cpu_reg(m, UC_ARM_REG_CONTROL);
    return !(control & CONTROL_NPRIV);
}

void cpu_get_masks(struct machine *m, uint32_t *primask, uint32_t *basepri, uint32_t *faultmask)
{
    struct cpu_special sp;
    cpu_get_special(m, &sp, true);
    m->primask = sp.primask;
    m->basepri = sp.basepri;
    m->faultmask = sp.faultmask;
    *primask = m->primask;
    *basepri = m->basepri;
    *faultmask = m->faultmask;
}

void cpu_set_faultmask(struct machine *m, uint32_t val)
{
    /* only called in handler mode, where the write is accepted */
    if (m->env.base)
        uc_env_put(&m->env, m->env.faultmask, val & 1u);
    else
        cpu_set_reg(m, UC_ARM_REG_FAULTMASK, val);
    m->faultmask = val;
}

void cpu_enter_unprivileged(struct machine *m, uint32_t msp, const struct cpu_special *masks)
{
    m->unpriv.valid = m->ipsr == 0 && (m->control & CONTROL_NPRIV);
    m->unpriv.msp = msp;
    m->unpriv.primask = masks->primask;
    m->unpriv.basepri = masks->basepri;
    m->unpriv.faultmask = masks->faultmask;
}


/*
 * Forces (xPSR, CONTROL, MSP, PSP) from the current state: as fields of the
 * live state when it was found (mode_env), else through the API with the
 * fewest writes, in one Unicorn call (mode_api).  The API follows the rules
 * of the core: MSR to CONTROL, MSP and PSP is ignored in unprivileged thread
 * mode; CONTROL.SPSEL can only be written in thread mode (one privileged
 * write sets SPSEL, then nPRIV); an
 * IPSR change swaps the banked SPs when the active one changes, and MSP/PSP
 * are written by name.  So: become privileged (handler mode) if needed;
 * write both SPs while privileged; then CONTROL (through privileged thread
 * mode if SPSEL differs); then the final xPSR unless the thread-mode step
 * already wrote it; then the mode-flag refresh.
 */
void cpu_set_mode(struct machine *m, uint32_t xpsr, uint32_t control, uint32_t msp, uint32_t psp)
{
    uint32_t v[LIVE_PSP + 1];
    read_special(m, v, LIVE_PSP + 1);
    struct cpu_special live = { v[LIVE_XPSR], v[LIVE_CONTROL], v[LIVE_MSP], v[LIVE_PSP], 0, 0, 0 };
    struct reg_batch b = { 0 };
    cpu_mode_batch(m, &b, &live, xpsr, control, msp, psp);
    cpu_batch_write(m, &b);
}

/* With the live state: the exception number, CONTROL, both stacks and the
 * xPSR fields are plain fields (no privilege rules); the NZCV write through
 * the API makes QEMU rebuild its cached mode flags. */
static void mode_env(struct machine *m, struct reg_batch *b, uint32_t xpsr, uint32_t control,
                     uint32_t msp, uint32_t psp)
{
    const struct uc_env *e = &m->env;
    uint32_t exc = xpsr & 0x1FFu;
    bool on_psp = exc == 0 && (control & CONTROL_SPSEL);
    uc_env_put(e, e->exception, exc);
    uc_env_put(e, e->control, (uc_env_get(e, e->control) & ~3u) | (control & 3u));
    uc_env_put(e, uc_env_core(13), on_psp ? psp : msp);
    uc_env_put(e, e->other_sp, on_psp ? msp : psp);
    uc_env_set_xpsr(e, xpsr | XPSR_T);
    batch_refresh_mode_flags(b, xpsr);
}

/* Through the API, from the state `live` (the rules above). */
static void mode_api(struct reg_batch *b, const struct cpu_special *live, uint32_t xpsr, uint32_t control,
                     uint32_t msp, uint32_t psp)
{
    bool handler = (live->xpsr & 0x1FFu) != 0;
    uint32_t c = live->control & 3u, want = control & 3u;
    uint32_t thread_xpsr = (xpsr & ~0x1FFu) | XPSR_T, last_xpsr = live->xpsr;
    if (!handler && (c & CONTROL_NPRIV)) {          /* 1. privileged: handler mode */
        last_xpsr = thread_xpsr | 1u;
        batch_add(b, UC_ARM_REG_XPSR, last_xpsr);
        handler = true;
    }
    if (msp != live->msp)                           /* 2. the stacks that change, by name */
        batch_add(b, UC_ARM_REG_MSP, msp);
    if (psp != live->psp)
        batch_add(b, UC_ARM_REG_PSP, psp);
    if (c != want) {                                /* 3. CONTROL */
        if (handler && (c & CONTROL_SPSEL) != (want & CONTROL_SPSEL)) {
            if (c & CONTROL_NPRIV)
                batch_add(b, UC_ARM_REG_CONTROL, 0);        /* in handler mode only nPRIV changes */
            last_xpsr = thread_xpsr;                        /* SPSEL: from privileged thread mode */
            batch_add(b, UC_ARM_REG_XPSR, last_xpsr);
        }
        batch_add(b, UC_ARM_REG_CONTROL, want);
    }
    if (last_xpsr != (xpsr | XPSR_T))               /* 4. the wanted exception number and flags */
        batch_add(b, UC_ARM_REG_XPSR, xpsr | XPSR_T);
    batch_add(b, UC_ARM_REG_APSR_G, xpsr);          /* GE (not part of an xPSR write in Unicorn) */
    batch_refresh_mode_flags(b, xpsr);
}

void cpu_mode_batch(struct machine *m, struct reg_batch *b, const struct cpu_special *live,
                    uint32_t xpsr, uint32_t control, uint32_t msp, uint32_t psp)
{
    m->unpriv.valid = false;
    if (m->env.base)
        mode_env(m, b, xpsr, control, msp, psp);
    else
        mode_api(b, live, xpsr, control, msp, psp);
#ifdef HAILSIM_CHECK_BOUNDARY
    b->check = true;
    b->want[0] = xpsr, b->want[1] = control, b->want[2] = msp, b->want[3] = psp;
#endif

    m->ipsr = xpsr & 0x1FFu;
    m->control = control & 3u;
    m->privileged = m->ipsr != 0 || !(m->control & CONTROL_NPRIV);
    m->poll_control = !m->qmpu_active && m->ipsr == 0 && m->privileged;
    if (m->poll_control)
        cpu_kick(m);
}

void cpu_poll_control(struct machine *m)
{
    uint32_t control = cpu_reg(m, UC_ARM_REG_CONTROL) & 3u;
    if (control == m->control)
        return;
    m->control = control;
    if (control & CONTROL_NPRIV) {
        m->privileged = false;
        m->poll_control = false;
        cpu_request_stop(m);                /* the run loop re-applies the protections */
    }
}
