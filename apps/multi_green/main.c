/* multi_green — blinks LED 1 (green) every 500 ms; runs alongside the other multi_* apps. */
#include <libtock.h>

int main(void)
{
    for (;;) {
        led_toggle(1);
        delay_ms(500);
    }
}
