/*
 * gpio_driver.c — syscall driver 0x4 (gpio_driver.h, tock-abi.md §6.6):
 *   cmd 0               Success
 *   cmd 1/2/3/4 pin     make output / set / clear / toggle
 *   cmd 5 pin, pull     make input; pull 0 none, 1 up, 2 down, other NOSUPPORT
 *   cmd 6 pin           Success+u32 level
 *   cmd 7 pin, edge     interrupt on 0 either, 1 rising, 2 falling edge
 *                       (other NOSUPPORT; NOMEM without grant memory)
 *   cmd 8 pin           interrupt off
 *   cmd 9 pin           disable the pin
 *   cmd 10              Success+u32 number of pins
 *   other               Failure(NOSUPPORT)
 * Pin errors: index >= count INVAL, a hole NODEVICE (checked before the
 * argument).  Upcall 0 (pin, level, 0) to every process with a grant.
 */
#include "gpio_driver.h"

#include "grant_util.h"

static void gpio_fired(void *ctx, uint32_t index)
{
    struct gpio_driver *d = ctx;
    const struct hil_gpio_pin *pin = d->pins[index];
    uint32_t level = pin->read(pin);
    GRANT_FOR_EACH_PROCESS(pid) {
        if (grant_peek(&d->grant, pid))
            kernel_schedule_upcall(pid, &d->grant, 0, index, level, 0);
    }
}

static struct sysret gpio_make_input(const struct hil_gpio_pin *pin, uint32_t pull)
{
    static const enum hil_gpio_pull pulls[] = { HIL_PULL_NONE, HIL_PULL_UP, HIL_PULL_DOWN };
    if (pull > 2)
        return sysret_failure(ERR_NOSUPPORT);
    pin->make_input(pin, pulls[pull]);
    return sysret_success();
}

static struct sysret gpio_enable_interrupt(struct gpio_driver *d, uint32_t index, uint32_t edge, processid_t pid)
{
    static const enum hil_gpio_edge edges[] = { HIL_EDGE_EITHER, HIL_EDGE_RISING, HIL_EDGE_FALLING };
    const struct hil_gpio_pin *pin = d->pins[index];
    if (edge > 2)
        return sysret_failure(ERR_NOSUPPORT);
    if (!grant_enter(&d->grant, pid))
        return sysret_failure(ERR_NOMEM);
    pin->enable_interrupt(pin, edges[edge], (struct hil_gpio_client){ gpio_fired, d }, index);
    return sysret_success();
}

static struct sysret gpio_pin_command(struct gpio_driver *d, uint32_t cmd, uint32_t index, uint32_t arg,
                                 processid_t pid)
{
    const struct hil_gpio_pin *pin = d->pins[index];
    switch (cmd) {
    case 1: pin->make_output(pin); break;
    case 2: pin->set(pin); break;
    case 3: pin->clear(pin); break;
    case 4: pin->toggle(pin); break;
    case 5: return gpio_make_input(pin, arg);
    case 6: return sysret_success_u32(pin->read(pin));
    case 7: return gpio_enable_interrupt(d, index, arg, pid);
    case 8: pin->disable_interrupt(pin); break;
    default: pin->disable_interrupt(pin); pin->disable(pin); break;     /* 9 */
    }
    return sysret_success();
}

static struct sysret gpio_command(void *ctx, uint32_t cmd, uint32_t arg1, uint32_t arg2, processid_t pid)
{
    struct gpio_driver *d = ctx;
    if (cmd == 0)
        return sysret_success();
    if (cmd == 10)
        return sysret_success_u32(d->count);
    if (cmd > 10)
        return sysret_failure(ERR_NOSUPPORT);
    if (arg1 >= d->count)
        return sysret_failure(ERR_INVAL);
    if (!d->pins[arg1])
        return sysret_failure(ERR_NODEVICE);
    return gpio_pin_command(d, cmd, arg1, arg2, pid);
}

void gpio_driver_init(struct gpio_driver *d, uint32_t driver_num, const struct hil_gpio_pin *const *pins,
                      uint32_t count)
{
    *d = (struct gpio_driver){
        .pins = pins, .count = count,
        .grant = { .driver_num = driver_num, .data_size = sizeof(struct gpio_driver_app), .n_upcalls = 1 },
        .driver = { .num = driver_num, .ctx = d, .command = gpio_command },
    };
    d->driver.grant = &d->grant;
}
