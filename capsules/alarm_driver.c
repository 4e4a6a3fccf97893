/*
 * alarm_driver.c — syscall driver 0x0 (alarm_driver.h, tock-abi.md §6.2).
 *
 *   cmd 0            Success
 *   cmd 1            Success+u32 frequency (the HIL's; 32-bit counter, no padding)
 *   cmd 2            Success+u32 now
 *   cmd 3            stop: Success, or Failure(ALREADY) when not armed
 *   cmd 4            Failure(NOSUPPORT) (removed in Tock 2.0)
 *   cmd 5 dt         arm at now + dt: Success+u32 expiry
 *   cmd 6 ref, dt    arm at ref + dt (already passed: fires at once): Success+u32 expiry
 *   other            Failure(NOSUPPORT); no grant memory: Failure(NOMEM)
 *   upcall 0         (now, expiry, 0); the alarm is disarmed when it fires
 *
 * The HIL alarm is always set to the armed process alarm with the least
 * time left; when it fires, every process whose alarm has expired gets its
 * upcall, then the next one is armed.
 */
#include "alarm_driver.h"

#include "grant_util.h"

static bool ad_expired(const struct alarm_driver_app *a, uint32_t now)
{
    return now - a->reference >= a->dt;
}

static uint32_t ad_time_left(const struct alarm_driver_app *a, uint32_t now)
{
    return ad_expired(a, now) ? 0 : a->dt - (now - a->reference);
}

/* Sets the HIL alarm for the earliest armed process alarm, or disarms it. */
static void ad_rearm(struct alarm_driver *d)
{
    const struct hil_alarm *hw = d->alarm;
    uint32_t now = hw->now(hw);
    const struct alarm_driver_app *best = NULL;
    GRANT_FOR_EACH_PROCESS(pid) {
        const struct alarm_driver_app *a = grant_peek(&d->grant, pid);
        if (a && a->armed && (!best || ad_time_left(a, now) < ad_time_left(best, now)))
            best = a;
    }
    if (best)
        hw->set_alarm(hw, best->reference, best->dt);
    else if (hw->is_armed(hw))
        hw->disarm(hw);
}

static void ad_fired(void *ctx)
{
    struct alarm_driver *d = ctx;
    uint32_t now = d->alarm->now(d->alarm);
    GRANT_FOR_EACH_PROCESS(pid) {
        struct alarm_driver_app *a = grant_peek(&d->grant, pid);
        if (!a || !a->armed || !ad_expired(a, now))
            continue;
        a->armed = false;
        kernel_schedule_upcall(pid, &d->grant, 0, now, a->reference + a->dt, 0);
    }
    ad_rearm(d);
}

static struct sysret ad_arm(struct alarm_driver *d, struct alarm_driver_app *a, uint32_t reference, uint32_t dt)
{
    a->reference = reference;
    a->dt = dt;
    a->armed = true;
    ad_rearm(d);
    return sysret_success_u32(reference + dt);
}

static struct sysret ad_stop(struct alarm_driver *d, struct alarm_driver_app *a)
{
    if (!a->armed)
        return sysret_failure(ERR_ALREADY);
    a->armed = false;
    ad_rearm(d);
    return sysret_success();
}

static struct sysret ad_command(void *ctx, uint32_t cmd, uint32_t arg1, uint32_t arg2, processid_t pid)
{
    struct alarm_driver *d = ctx;
    const struct hil_alarm *hw = d->alarm;
    switch (cmd) {
    case 0: return sysret_success();
    case 1: return sysret_success_u32(hw->frequency(hw));
    case 2: return sysret_success_u32(hw->now(hw));
    case 3: case 5: case 6: break;
    default: return sysret_failure(ERR_NOSUPPORT);
    }
    struct alarm_driver_app *a = grant_enter(&d->grant, pid);
    if (!a)
        return sysret_failure(ERR_NOMEM);
    if (cmd == 3)
        return ad_stop(d, a);
    if (cmd == 5)
        return ad_arm(d, a, hw->now(hw), arg1);
    return ad_arm(d, a, arg1, arg2);
}

void alarm_driver_init(struct alarm_driver *d, uint32_t driver_num, const struct hil_alarm *alarm)
{
    *d = (struct alarm_driver){
        .alarm = alarm,
        .grant = { .driver_num = driver_num, .data_size = sizeof(struct alarm_driver_app), .n_upcalls = 1 },
        .driver = { .num = driver_num, .ctx = d, .command = ad_command },
    };
    d->driver.grant = &d->grant;
    alarm->set_client(alarm, (struct hil_alarm_client){ ad_fired, d });
}
