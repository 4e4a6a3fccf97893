/*
 * button.c — syscall driver 0x3 (button.h, tock-abi.md §6.5):
 *   cmd 0      Success+u32 number of buttons (legacy exception)
 *   cmd 1 i    enable upcalls for button i for this process (hardware
 *              interrupt on both edges): Success; Failure(INVAL) bad index;
 *              Failure(NOMEM) no grant memory
 *   cmd 2 i    disable for this process; the hardware interrupt goes off
 *              when no process wants the button any more
 *   cmd 3 i    Success+u32 1 pressed / 0 released (polarity applied)
 *   other      Failure(NOSUPPORT)
 *   upcall 0   (index, pressed, 0) to every process that enabled button i
 */
#include "button.h"

#include "grant_util.h"

static bool button_pressed(const struct button_pin *b)
{
    return b->pin->read(b->pin) != b->active_low;
}

/* Does any live process still want button i? */
static bool button_wanted(const struct button_driver *d, uint32_t i)
{
    GRANT_FOR_EACH_PROCESS(pid) {
        const struct button_driver_app *a = grant_peek(&d->grant, pid);
        if (a && (a->enabled & (1u << i)))
            return true;
    }
    return false;
}

static void button_fired(void *ctx, uint32_t i)
{
    struct button_driver *d = ctx;
    uint32_t state = button_pressed(&d->buttons[i]);
    bool any = false;
    GRANT_FOR_EACH_PROCESS(pid) {
        const struct button_driver_app *a = grant_peek(&d->grant, pid);
        if (!a || !(a->enabled & (1u << i)))
            continue;
        any = true;
        kernel_schedule_upcall(pid, &d->grant, 0, i, state, 0);
    }
    if (!any)                                   /* every interested process is gone */
        d->buttons[i].pin->disable_interrupt(d->buttons[i].pin);
}

static struct sysret button_enable(struct button_driver *d, uint32_t i, processid_t pid, bool on)
{
    struct button_driver_app *a = grant_enter(&d->grant, pid);
    if (!a)
        return sysret_failure(ERR_NOMEM);
    const struct hil_gpio_pin *pin = d->buttons[i].pin;
    if (on) {
        a->enabled |= 1u << i;
        pin->enable_interrupt(pin, HIL_EDGE_EITHER, (struct hil_gpio_client){ button_fired, d }, i);
    } else {
        a->enabled &= ~(1u << i);
        if (!button_wanted(d, i))
            pin->disable_interrupt(pin);
    }
    return sysret_success();
}

static struct sysret button_command(void *ctx, uint32_t cmd, uint32_t i, uint32_t arg2, processid_t pid)
{
    struct button_driver *d = ctx;
    (void)arg2;
    if (cmd == 0)
        return sysret_success_u32(d->count);
    if (cmd > 3)
        return sysret_failure(ERR_NOSUPPORT);
    if (i >= d->count)
        return sysret_failure(ERR_INVAL);
    if (cmd == 3)
        return sysret_success_u32(button_pressed(&d->buttons[i]));
    return button_enable(d, i, pid, cmd == 1);
}

void button_driver_init(struct button_driver *d, uint32_t driver_num, const struct button_pin *buttons,
                        uint32_t count)
{
    *d = (struct button_driver){
        .buttons = buttons, .count = count < BUTTON_MAX ? count : BUTTON_MAX,
        .grant = { .driver_num = driver_num, .data_size = sizeof(struct button_driver_app), .n_upcalls = 1 },
        .driver = { .num = driver_num, .ctx = d, .command = button_command },
    };
    d->driver.grant = &d->grant;
}
