#include "gpio.h"

static returncode_t cmd(uint32_t c, uint32_t a, uint32_t b)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_GPIO, c, (int)a, (int)b));
}

returncode_t gpio_count(int *count)
{
    uint32_t n = 0;
    returncode_t rc =
        tock_command_return_u32_to_returncode(command(DRIVER_NUM_GPIO, 10, 0, 0), &n);
    if (count != NULL)
        *count = (int)n;
    return rc;
}

returncode_t gpio_enable_output(uint32_t pin) { return cmd(1, pin, 0); }
returncode_t gpio_set(uint32_t pin) { return cmd(2, pin, 0); }
returncode_t gpio_clear(uint32_t pin) { return cmd(3, pin, 0); }
returncode_t gpio_toggle(uint32_t pin) { return cmd(4, pin, 0); }
returncode_t gpio_enable_input(uint32_t pin, GPIO_InputMode_t pull) { return cmd(5, pin, pull); }
returncode_t gpio_enable_interrupt(uint32_t pin, GPIO_InterruptMode_t mode) { return cmd(7, pin, mode); }
returncode_t gpio_disable_interrupt(uint32_t pin) { return cmd(8, pin, 0); }
returncode_t gpio_disable(uint32_t pin) { return cmd(9, pin, 0); }

returncode_t gpio_read(uint32_t pin, int *value)
{
    uint32_t v = 0;
    returncode_t rc =
        tock_command_return_u32_to_returncode(command(DRIVER_NUM_GPIO, 6, (int)pin, 0), &v);
    if (value != NULL)
        *value = (int)v;
    return rc;
}

returncode_t gpio_interrupt_callback(subscribe_upcall *cb, void *ud)
{
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_GPIO, 0, cb, ud));
}
