/*
 * cpu_state.c — reading and forcing the banked M-profile state through
 * Unicorn's register interface (see cpu_state.h for why this is needed).
 */
#include "cpu_state.h"
#include "mpu_enforce.h"

uint32_t cpu_reg(struct machine *m, int reg)
{
    uint32_t v = 0;
    uc_reg_read(m->uc, reg, &v);
    return v;
}

void cpu_set_reg(struct machine *m, int reg, uint32_t val)
{
    uc_reg_write(m->uc, reg, &val);
}

uint32_t cpu_pc(struct machine *m)
{
    return cpu_reg(m, UC_ARM_REG_PC);
}

void cpu_set_pc(struct machine *m, uint32_t pc)
{
    m->stop_requested = true;
    cpu_set_reg(m, UC_ARM_REG_PC, pc | 1u);
}

static void refresh_mode_flags(struct machine *m)
{
    /* Unicorn keeps cached mode flags; rewriting NZCV makes it rebuild them. */
    cpu_set_reg(m, UC_ARM_REG_APSR_NZCV, cpu_reg(m, UC_ARM_REG_APSR_NZCV));
}

void cpu_get_sps(struct machine *m, uint32_t *msp, uint32_t *psp)
{
    uint32_t xpsr = cpu_reg(m, UC_ARM_REG_XPSR);
    uint32_t control = cpu_reg(m, UC_ARM_REG_CONTROL);
    bool handler = (xpsr & 0x1FFu) != 0;
    if (handler || !(control & CONTROL_NPRIV)) {
        *msp = cpu_reg(m, UC_ARM_REG_MSP);
        *psp = cpu_reg(m, UC_ARM_REG_PSP);
        return;
    }
    /* Unprivileged thread: the registers are unreadable here, so step into
     * handler mode for a moment (Unicorn swaps the banked SPs itself). */
    cpu_set_reg(m, UC_ARM_REG_XPSR, (xpsr & ~0x1FFu) | XPSR_T | 1u);
    *msp = cpu_reg(m, UC_ARM_REG_MSP);
    *psp = cpu_reg(m, UC_ARM_REG_PSP);
    cpu_set_reg(m, UC_ARM_REG_XPSR, xpsr | XPSR_T);
    refresh_mode_flags(m);
}

bool cpu_privileged_live(struct machine *m)
{
    return (cpu_reg(m, UC_ARM_REG_XPSR) & 0x1FFu) != 0 || !(cpu_reg(m, UC_ARM_REG_CONTROL) & CONTROL_NPRIV);
}

void cpu_get_masks(struct machine *m, uint32_t *primask, uint32_t *basepri, uint32_t *faultmask)
{
    uint32_t xpsr = cpu_reg(m, UC_ARM_REG_XPSR);
    bool flip = (xpsr & 0x1FFu) == 0 && (cpu_reg(m, UC_ARM_REG_CONTROL) & CONTROL_NPRIV);
    if (flip)                               /* unprivileged reads return 0: look from handler mode */
        cpu_set_reg(m, UC_ARM_REG_XPSR, (xpsr & ~0x1FFu) | XPSR_T | 1u);
    m->primask = cpu_reg(m, UC_ARM_REG_PRIMASK);
    m->basepri = cpu_reg(m, UC_ARM_REG_BASEPRI);
    m->faultmask = cpu_reg(m, UC_ARM_REG_FAULTMASK);
    if (flip) {
        cpu_set_reg(m, UC_ARM_REG_XPSR, xpsr | XPSR_T);
        refresh_mode_flags(m);
    }
    *primask = m->primask;
    *basepri = m->basepri;
    *faultmask = m->faultmask;
}

void cpu_set_faultmask(struct machine *m, uint32_t val)
{
    /* only called in handler mode, where the write is accepted */
    cpu_set_reg(m, UC_ARM_REG_FAULTMASK, val);
    m->faultmask = val;
}

void cpu_set_mode(struct machine *m, uint32_t xpsr, uint32_t control, uint32_t msp, uint32_t psp)
{
    uint32_t thread_xpsr = (xpsr & ~0x1FFu) | XPSR_T;
    /* 1. handler mode: privileged whatever CONTROL.nPRIV says */
    cpu_set_reg(m, UC_ARM_REG_XPSR, thread_xpsr | 1u);
    /* 2. drop nPRIV so that thread mode is privileged too */
    cpu_set_reg(m, UC_ARM_REG_CONTROL, 0);
    /* 3. privileged thread mode, where SPSEL writes are accepted */
    cpu_set_reg(m, UC_ARM_REG_XPSR, thread_xpsr);
    refresh_mode_flags(m);
    cpu_set_reg(m, UC_ARM_REG_CONTROL, control & CONTROL_SPSEL);
    cpu_set_reg(m, UC_ARM_REG_MSP, msp);
    cpu_set_reg(m, UC_ARM_REG_PSP, psp);
    /* 4. the wanted privilege, then the wanted exception number */
    cpu_set_reg(m, UC_ARM_REG_CONTROL, control & (CONTROL_SPSEL | CONTROL_NPRIV));
    cpu_set_reg(m, UC_ARM_REG_XPSR, xpsr | XPSR_T);
    refresh_mode_flags(m);

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
