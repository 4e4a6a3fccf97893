/* multi_blue — blinks LED 2 (blue) every 1000 ms; runs alongside the other multi_* apps. */
#include <libtock.h>

int main(void)
{
    for (;;) {
        led_toggle(2);
        delay_ms(1000);
    }
}
