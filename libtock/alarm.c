/*
 * alarm.c — virtual alarms multiplexed on the process's single kernel alarm.
 */
#include "alarm.h"

static alarm_t *alarms;         /* unsorted list of armed virtual alarms */
static uint32_t freq_hz;

returncode_t alarm_command_frequency(uint32_t *hz)
{
    return tock_command_return_u32_to_returncode(command(DRIVER_NUM_ALARM, 1, 0, 0), hz);
}

returncode_t alarm_command_read(uint32_t *ticks)
{
    return tock_command_return_u32_to_returncode(command(DRIVER_NUM_ALARM, 2, 0, 0), ticks);
}

returncode_t alarm_command_stop(void)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_ALARM, 3, 0, 0));
}

returncode_t alarm_command_set_absolute(uint32_t reference, uint32_t dt, uint32_t *expiry)
{
    return tock_command_return_u32_to_returncode(
        command(DRIVER_NUM_ALARM, 6, (int)reference, (int)dt), expiry);
}

static uint32_t frequency(void)
{
    if (freq_hz == 0 && alarm_command_frequency(&freq_hz) != RETURNCODE_SUCCESS)
        freq_hz = 0;
    return freq_hz != 0 ? freq_hz : 1000;
}

uint32_t alarm_ms_to_ticks(uint32_t ms)
{
    uint32_t f = frequency();
    /* ms * f / 1000 without overflowing 32 bits for realistic values */
    return (ms / 1000) * f + ((ms % 1000) * f) / 1000;
}

uint32_t alarm_ticks_to_ms(uint32_t ticks)
{
    uint32_t f = frequency();
    return (ticks / f) * 1000 + ((ticks % f) * 1000) / f;
}

uint32_t alarm_now_ms(void)
{
    uint32_t now = 0;
    alarm_command_read(&now);
    return alarm_ticks_to_ms(now);
}

static int expired(const alarm_t *a, uint32_t now)
{
    return now - a->reference >= a->dt;
}

static void upcall(int now, int scheduled, int unused, void *ud);

/* arm the kernel alarm for the virtual alarm that expires first */
static void rearm(void)
{
    if (alarms == NULL) {
        alarm_command_stop();
        return;
    }
    uint32_t now = 0;
    alarm_command_read(&now);
    alarm_t *best = NULL;
    uint32_t best_left = 0;
    for (alarm_t *a = alarms; a != NULL; a = a->next) {
        uint32_t left = expired(a, now) ? 0 : a->dt - (now - a->reference);
        if (best == NULL || left < best_left) {
            best = a;
            best_left = left;
        }
    }
    /* an expiry already in the past fires as soon as possible */
    alarm_command_set_absolute(best->reference, best->dt, NULL);
}

static void upcall(int now_i, int scheduled, int unused, void *ud)
{
    (void)scheduled;
    (void)unused;
    (void)ud;
    uint32_t now = (uint32_t)now_i;
    /* fire every expired alarm; callbacks may add or cancel alarms */
    for (;;) {
        alarm_t *a = alarms, *prev = NULL;
        while (a != NULL && !expired(a, now)) {
            prev = a;
            a = a->next;
        }
        if (a == NULL)
            break;
        if (prev != NULL)
            prev->next = a->next;
        else
            alarms = a->next;
        a->next = NULL;
        if (a->callback != NULL)
            a->callback(now, a->reference + a->dt, a->userdata);
    }
    rearm();
}

static void ensure_subscribed(void)
{
    static bool done;
    if (!done) {
        subscribe(DRIVER_NUM_ALARM, 0, upcall, NULL);
        done = true;
    }
}

static void list_remove(alarm_t *a)
{
    for (alarm_t **p = &alarms; *p != NULL; p = &(*p)->next) {
        if (*p == a) {
            *p = a->next;
            a->next = NULL;
            return;
        }
    }
}

returncode_t alarm_at(uint32_t reference, uint32_t dt, alarm_callback *cb, void *ud, alarm_t *a)
{
    if (!driver_exists(DRIVER_NUM_ALARM))
        return RETURNCODE_ENODEVICE;
    ensure_subscribed();
    list_remove(a);
    a->reference = reference;
    a->dt = dt;
    a->callback = cb;
    a->userdata = ud;
    a->next = alarms;
    alarms = a;
    rearm();
    return RETURNCODE_SUCCESS;
}

returncode_t alarm_in_ms(uint32_t ms, alarm_callback *cb, void *ud, alarm_t *a)
{
    uint32_t now = 0;
    returncode_t rc = alarm_command_read(&now);
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    return alarm_at(now, alarm_ms_to_ticks(ms), cb, ud, a);
}

void alarm_cancel(alarm_t *a)
{
    list_remove(a);
    rearm();
}

returncode_t timer_in(uint32_t ms, alarm_callback *cb, void *ud, tock_timer_t *t)
{
    t->interval_ms = 0;
    return alarm_in_ms(ms, cb, ud, &t->alarm);
}

static void repeat_cb(uint32_t now, uint32_t scheduled, void *ud)
{
    tock_timer_t *t = ud;
    /* next period counts from the scheduled time, so the rate does not drift */
    alarm_at(scheduled, alarm_ms_to_ticks(t->interval_ms), repeat_cb, t, &t->alarm);
    t->callback(now, scheduled, t->userdata);
}

returncode_t timer_every(uint32_t ms, alarm_callback *cb, void *ud, tock_timer_t *t)
{
    t->interval_ms = ms;
    t->callback = cb;
    t->userdata = ud;
    return alarm_in_ms(ms, repeat_cb, t, &t->alarm);
}

void timer_cancel(tock_timer_t *t)
{
    alarm_cancel(&t->alarm);
}

static void delay_cb(uint32_t now, uint32_t scheduled, void *ud)
{
    (void)now;
    (void)scheduled;
    *(volatile bool *)ud = true;
}

returncode_t delay_ms(uint32_t ms)
{
    volatile bool done = false;
    alarm_t a = {0, 0, NULL, NULL, NULL};
    returncode_t rc = alarm_in_ms(ms, delay_cb, (void *)&done, &a);
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    yield_for(&done);
    return RETURNCODE_SUCCESS;
}
