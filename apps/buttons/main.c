/* buttons — button 0 toggles LED 0 on each press and prints the event. */
#include <libtock.h>
#include <stdio.h>

static void button_event(int button, int pressed, int unused, void *ud)
{
    (void)unused;
    (void)ud;
    if (pressed) {
        led_toggle(0);
        printf("button %d pressed: LED 0 toggled\n", button);
    } else {
        printf("button %d released\n", button);
    }
}

int main(void)
{
    int n = 0;
    if (button_count(&n) != RETURNCODE_SUCCESS || n < 1) {
        printf("buttons: no button driver\n");
        return 1;
    }
    button_subscribe(button_event, NULL);
    button_enable_interrupt(0);
    printf("buttons: %d button(s); press button 0\n", n);
    for (;;)
        yield();
}
