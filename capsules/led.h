/*
 * led.h — the LED syscall driver (0x2, tock-abi.md §6.4) over an array of
 * LED HILs (pin + polarity).  No grant, no upcall.
 */
#ifndef CAPSULES_LED_H
#define CAPSULES_LED_H

#include "kernel/driver.h"
#include "kernel/hil.h"

struct led_driver {
    const struct hil_led *leds;
    uint32_t count;
    struct syscall_driver driver;
};

void led_driver_init(struct led_driver *d, uint32_t driver_num, const struct hil_led *leds, uint32_t count);

#endif
