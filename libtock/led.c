#include "led.h"

returncode_t led_count(int *count)
{
    uint32_t n = 0;
    returncode_t rc = tock_command_return_u32_to_returncode(command(DRIVER_NUM_LED, 0, 0, 0), &n);
    if (count != NULL)
        *count = (int)n;
    return rc;
}

returncode_t led_on(int led)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_LED, 1, led, 0));
}

returncode_t led_off(int led)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_LED, 2, led, 0));
}

returncode_t led_toggle(int led)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_LED, 3, led, 0));
}
