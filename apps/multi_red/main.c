/* multi_red — blinks LED 0 (red) every 250 ms; runs alongside the other multi_* apps. */
#include <libtock.h>

int main(void)
{
    for (;;) {
        led_toggle(0);
        delay_ms(250);
    }
}
