/*
 * button.h — the button syscall driver (0x3, tock-abi.md §6.5): buttons on
 * GPIO pins with their activation polarity, interrupts on both edges,
 * enabled per process (a bit mask in the process's grant); every process
 * that enabled a button gets upcall 0 (index, pressed, 0) on each change.
 */
#ifndef CAPSULES_BUTTON_H
#define CAPSULES_BUTTON_H

#include "kernel/driver.h"
#include "kernel/hil.h"

#define BUTTON_MAX 32                   /* one bit per button in the grant */

struct button_pin {
    const struct hil_gpio_pin *pin;
    bool active_low;
};

struct button_driver_app {
    uint32_t enabled;                   /* bit i: this process wants button i */
};

struct button_driver {
    const struct button_pin *buttons;
    uint32_t count;
    struct grant grant;
    struct syscall_driver driver;
};

/* Pins must already be inputs (the board configures pulls). */
void button_driver_init(struct button_driver *d, uint32_t driver_num, const struct button_pin *buttons,
                        uint32_t count);

#endif
