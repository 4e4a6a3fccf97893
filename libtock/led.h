/* led.h — the LED driver (0x2).  Hail: 0 red, 1 green, 2 blue. */
#ifndef LIBTOCK_LED_H
#define LIBTOCK_LED_H
#include "tock.h"
#define DRIVER_NUM_LED 0x2
returncode_t led_count(int *count);     /* command 0: Success+u32 */
returncode_t led_on(int led);
returncode_t led_off(int led);
returncode_t led_toggle(int led);
#endif
