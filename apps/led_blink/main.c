/* led_blink — counts in binary on the three Hail LEDs (red, green, blue), 250 ms a step. */
#include <libtock.h>

int main(void)
{
    int n = 0;
    if (led_count(&n) != RETURNCODE_SUCCESS || n <= 0)
        return 1;
    for (unsigned count = 0;; count++) {
        for (int i = 0; i < n; i++) {
            if (count & (1u << i))
                led_on(i);
            else
                led_off(i);
        }
        delay_ms(250);
    }
}
