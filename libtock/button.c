#include "button.h"

returncode_t button_count(int *count)
{
    uint32_t n = 0;
    returncode_t rc =
        tock_command_return_u32_to_returncode(command(DRIVER_NUM_BUTTON, 0, 0, 0), &n);
    if (count != NULL)
        *count = (int)n;
    return rc;
}

returncode_t button_enable_interrupt(int button)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_BUTTON, 1, button, 0));
}

returncode_t button_disable_interrupt(int button)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_BUTTON, 2, button, 0));
}

returncode_t button_read(int button, int *pressed)
{
    uint32_t v = 0;
    returncode_t rc =
        tock_command_return_u32_to_returncode(command(DRIVER_NUM_BUTTON, 3, button, 0), &v);
    if (pressed != NULL)
        *pressed = (int)v;
    return rc;
}

returncode_t button_subscribe(subscribe_upcall *cb, void *ud)
{
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_BUTTON, 0, cb, ud));
}

returncode_t button_wait_for_event(int *button, int *pressed)
{
    yield_waitfor_return_t r = yield_wait_for(DRIVER_NUM_BUTTON, 0);
    if (button != NULL)
        *button = (int)r.data0;
    if (pressed != NULL)
        *pressed = (int)r.data1;
    return RETURNCODE_SUCCESS;
}
