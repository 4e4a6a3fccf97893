/*
 * led.c — syscall driver 0x2 (led.h, tock-abi.md §6.4):
 *   cmd 0        Success+u32 number of LEDs (the legacy exception to "cmd 0 = Success")
 *   cmd 1/2/3 i  on / off / toggle LED i: Success, Failure(INVAL) if i >= count
 *   cmd 4 i      Success+u32 1 = on, 0 = off (polarity applied)
 *   other        Failure(NOSUPPORT)
 * An active-low LED is on when its pin is low.
 */
#include "led.h"

static void led_set(const struct hil_led *l, bool on)
{
    if (on != l->active_low)
        l->pin->set(l->pin);
    else
        l->pin->clear(l->pin);
}

static bool led_is_on(const struct hil_led *l)
{
    return l->pin->read(l->pin) != l->active_low;
}

static struct sysret led_command(void *ctx, uint32_t cmd, uint32_t index, uint32_t arg2, processid_t pid)
{
    const struct led_driver *d = ctx;
    (void)arg2;
    (void)pid;
    if (cmd == 0)
        return sysret_success_u32(d->count);
    if (cmd > 4)
        return sysret_failure(ERR_NOSUPPORT);
    if (index >= d->count)
        return sysret_failure(ERR_INVAL);
    const struct hil_led *l = &d->leds[index];
    switch (cmd) {
    case 1: led_set(l, true); break;
    case 2: led_set(l, false); break;
    case 3: l->pin->toggle(l->pin); break;
    default: return sysret_success_u32(led_is_on(l));
    }
    return sysret_success();
}

void led_driver_init(struct led_driver *d, uint32_t driver_num, const struct hil_led *leds, uint32_t count)
{
    *d = (struct led_driver){ .leds = leds, .count = count,
                              .driver = { .num = driver_num, .ctx = d, .command = led_command } };
}
