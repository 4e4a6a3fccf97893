/*
 * systick.c — the SysTick timer (CSR, RVR, CVR, CALIB), clocked by the core
 * clock in virtual time.  The counter is not ticked: its value is computed
 * from the cycle at which it last loaded, and one event-queue timer fires at
 * each 1 -> 0 transition (COUNTFLAG, and the SysTick exception if TICKINT).
 * NOREF is set (no external reference clock), so CLKSOURCE reads as one.
 */
#include "exc.h"
#include "scs.h"

#define CSR_ENABLE 1u
#define CSR_TICKINT 2u
#define CSR_CLKSOURCE 4u
#define CSR_COUNTFLAG (1u << 16)

static uint32_t systick_value(struct machine *m, uint64_t now)
{
    struct systick_state *st = &m->systick;
    if (!(st->csr & CSR_ENABLE))
        return st->cvr_frozen;
    if (now < st->epoch)
        return 0;                           /* the cycle between reaching 0 and reloading */
    uint64_t elapsed = now - st->epoch;
    if (elapsed <= st->cvr_frozen)
        return (uint32_t)(st->cvr_frozen - elapsed);
    if (st->rvr == 0)
        return 0;
    uint64_t after = elapsed - st->cvr_frozen - 1;
    return st->rvr - (uint32_t)(after % ((uint64_t)st->rvr + 1));
}

/* (Re)load: the counter holds `value` at cycle `epoch`; schedule its next zero. */
static void systick_load(struct machine *m, uint64_t epoch, uint32_t value)
{
    struct systick_state *st = &m->systick;
    st->epoch = epoch;
    st->cvr_frozen = value;
    /* counting from 0 does nothing: COUNTFLAG and the exception need a 1 -> 0 step */
    if ((st->csr & CSR_ENABLE) && value != 0)
        evq_arm(&m->evq, &st->timer, epoch + value);
    else
        evq_cancel(&m->evq, &st->timer);
}

static void systick_fire(void *ctx, uint64_t when)
{
    struct machine *m = ctx;
    struct systick_state *st = &m->systick;
    st->csr |= CSR_COUNTFLAG;
    if (st->csr & CSR_TICKINT)
        exc_set_pending(m, EXC_SYSTICK, true);
    if (st->rvr == 0) {                      /* a zero reload stops the counter at 0 */
        st->epoch = when;
        st->cvr_frozen = 0;
        evq_cancel(&m->evq, &st->timer);
        return;
    }
    systick_load(m, when + 1, st->rvr);
}

void systick_reset(struct machine *m)
{
    struct systick_state *st = &m->systick;
    st->csr = CSR_CLKSOURCE;
    st->rvr = 0;
    st->epoch = 0;
    st->cvr_frozen = 0;
    if (!st->timer.fn)
        evq_add_timer(&m->evq, &st->timer, "systick", systick_fire, m);
    evq_cancel(&m->evq, &st->timer);
}

uint32_t systick_read(struct machine *m, uint32_t off)
{
    struct systick_state *st = &m->systick;
    uint64_t now = machine_mmio_now(m);
    evq_run_due(&m->evq, now);
    switch (off) {
    case 0x10: {
        uint32_t v = st->csr;
        st->csr &= ~CSR_COUNTFLAG;          /* reading clears COUNTFLAG */
        return v;
    }
    case 0x14: return st->rvr;
    case 0x18: return systick_value(m, now);
    case 0x1C: {
        uint32_t tenms = m->clock_hz / 100u - 1u;
        return (1u << 31) | (tenms <= 0xFFFFFFu ? tenms : 0);   /* NOREF, TENMS */
    }
    default: return 0;
    }
}

void systick_write(struct machine *m, uint32_t off, uint32_t val)
{
    struct systick_state *st = &m->systick;
    uint64_t now = machine_mmio_now(m);
    evq_run_due(&m->evq, now);
    switch (off) {
    case 0x10: {
        bool was_on = st->csr & CSR_ENABLE;
        uint32_t current = systick_value(m, now);
        st->csr = (st->csr & CSR_COUNTFLAG) | (val & (CSR_ENABLE | CSR_TICKINT)) | CSR_CLKSOURCE;
        bool on = st->csr & CSR_ENABLE;
        if (on && !was_on)
            current == 0 ? systick_load(m, now + 1, st->rvr) : systick_load(m, now, current);
        else if (!on && was_on) {
            st->cvr_frozen = current;
            evq_cancel(&m->evq, &st->timer);
        }
        break;
    }
    case 0x14:
        st->rvr = val & 0xFFFFFFu;
        /* an enabled counter stopped at 0 (zero reload) reloads on the next tick */
        if ((st->csr & CSR_ENABLE) && systick_value(m, now) == 0 && st->timer.when == EVQ_NEVER)
            systick_load(m, now + 1, st->rvr);
        break;
    case 0x18:                                /* any write clears the counter and COUNTFLAG */
        st->csr &= ~CSR_COUNTFLAG;
        if (st->csr & CSR_ENABLE)
            systick_load(m, now + 1, st->rvr);
        else
            st->cvr_frozen = 0;
        break;
    default: break;
    }
}
