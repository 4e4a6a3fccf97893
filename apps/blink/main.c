/* blink — the seed program: GPIO pin 0 as an output, toggled every 500 ms. */
#include <libtock.h>

int main(void)
{
    gpio_enable_output(0);
    for (;;) {
        gpio_toggle(0);
        delay_ms(500);
    }
}
