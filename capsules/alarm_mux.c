/*
 * alarm_mux.c — virtual alarms over one hardware alarm (alarm_mux.h).
 *
 * A virtual alarm is armed at (reference, dt) and has expired once
 * now - reference >= dt (wrapping; a reference "in the future" therefore
 * counts as passed, as in Tock).  After every change the mux arms the
 * hardware for the armed alarm with the least time left, passing that
 * alarm's own (reference, dt) so the hardware decides "already passed"
 * exactly the same way; it is not touched when that is what it already
 * holds (every AST write costs a ~90 us BUSY wait).  When the hardware fires, every expired virtual
 * alarm is disarmed and its client called; clients may re-arm alarms from
 * their callback, the hardware is re-armed once at the end.
 */
#include "alarm_mux.h"

static bool mux_expired(const struct virtual_alarm *v, uint32_t now)
{
    return now - v->reference >= v->dt;
}

static uint32_t mux_time_left(const struct virtual_alarm *v, uint32_t now)
{
    return mux_expired(v, now) ? 0 : v->dt - (now - v->reference);
}

static void mux_rearm(struct alarm_mux *m)
{
    if (m->firing)
        return;
    uint32_t now = m->hw->now(m->hw);
    const struct virtual_alarm *best = NULL;
    for (const struct virtual_alarm *v = m->head; v; v = v->next)
        if (v->armed && (!best || mux_time_left(v, now) < mux_time_left(best, now)))
            best = v;
    if (!best) {
        if (m->hw_armed)
            m->hw->disarm(m->hw);
        m->hw_armed = false;
        return;
    }
    if (m->hw_armed && m->hw_reference == best->reference && m->hw_dt == best->dt && m->hw->is_armed(m->hw))
        return;
    m->hw->set_alarm(m->hw, best->reference, best->dt);
    m->hw_armed = true;
    m->hw_reference = best->reference;
    m->hw_dt = best->dt;
}

static void mux_fired(void *ctx)
{
    struct alarm_mux *m = ctx;
    uint32_t now = m->hw->now(m->hw);
    m->hw_armed = false;                        /* the hardware disarms itself when it fires */
    m->firing = true;
    for (struct virtual_alarm *v = m->head; v; v = v->next) {
        if (!v->armed || !mux_expired(v, now))
            continue;
        v->armed = false;
        if (v->client.fired)
            v->client.fired(v->client.ctx);
    }
    m->firing = false;
    mux_rearm(m);
}

void alarm_mux_init(struct alarm_mux *m, const struct hil_alarm *hw)
{
    *m = (struct alarm_mux){ .hw = hw };
    hw->set_client(hw, (struct hil_alarm_client){ mux_fired, m });
}

/* ---- the virtual alarm's hil_alarm ----------------------------------------- */

static struct virtual_alarm *va(const struct hil_alarm *a) { return a->state; }

static uint32_t va_frequency(const struct hil_alarm *a)
{
    const struct hil_alarm *hw = va(a)->mux->hw;
    return hw->frequency(hw);
}

static uint32_t va_now(const struct hil_alarm *a)
{
    const struct hil_alarm *hw = va(a)->mux->hw;
    return hw->now(hw);
}

static void va_set_alarm(const struct hil_alarm *a, uint32_t reference, uint32_t dt)
{
    struct virtual_alarm *v = va(a);
    v->reference = reference;
    v->dt = dt;
    v->armed = true;
    mux_rearm(v->mux);
}

static uint32_t va_get_alarm(const struct hil_alarm *a) { return va(a)->reference + va(a)->dt; }
static bool va_is_armed(const struct hil_alarm *a) { return va(a)->armed; }

static void va_disarm(const struct hil_alarm *a)
{
    struct virtual_alarm *v = va(a);
    if (!v->armed)
        return;
    v->armed = false;
    mux_rearm(v->mux);
}

static uint32_t va_minimum_dt(const struct hil_alarm *a)
{
    const struct hil_alarm *hw = va(a)->mux->hw;
    return hw->minimum_dt(hw);
}

static void va_set_client(const struct hil_alarm *a, struct hil_alarm_client c) { va(a)->client = c; }

void virtual_alarm_init(struct virtual_alarm *v, struct alarm_mux *m)
{
    *v = (struct virtual_alarm){
        .hil = { .frequency = va_frequency, .now = va_now, .set_alarm = va_set_alarm,
                 .get_alarm = va_get_alarm, .disarm = va_disarm, .is_armed = va_is_armed,
                 .minimum_dt = va_minimum_dt, .set_client = va_set_client, .state = v },
        .mux = m, .next = m->head,
    };
    m->head = v;
}
