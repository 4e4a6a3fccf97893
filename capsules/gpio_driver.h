/*
 * gpio_driver.h — the GPIO syscall driver (0x4, tock-abi.md §6.6) over a
 * table of pin HILs; a NULL entry is a hole (NODEVICE).  Interrupt events
 * go as upcall 0 (pin index, level, 0) to every process that has the
 * driver's grant (subscribed, or enabled an interrupt).
 */
#ifndef CAPSULES_GPIO_DRIVER_H
#define CAPSULES_GPIO_DRIVER_H

#include "kernel/driver.h"
#include "kernel/hil.h"

struct gpio_driver_app {
    uint32_t unused;        /* the grant only marks "this process listens" */
};

struct gpio_driver {
    const struct hil_gpio_pin *const *pins;
    uint32_t count;
    struct grant grant;
    struct syscall_driver driver;
};

void gpio_driver_init(struct gpio_driver *d, uint32_t driver_num, const struct hil_gpio_pin *const *pins,
                      uint32_t count);

#endif
