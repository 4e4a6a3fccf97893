/* gpio.h — the GPIO driver (0x4).  Hail: pins 0..3 = D0, D1, D6, D7. */
#ifndef LIBTOCK_GPIO_H
#define LIBTOCK_GPIO_H
#include "tock.h"
#define DRIVER_NUM_GPIO 0x4

typedef enum { PullNone = 0, PullUp = 1, PullDown = 2 } GPIO_InputMode_t;
typedef enum { Change = 0, RisingEdge = 1, FallingEdge = 2 } GPIO_InterruptMode_t;

returncode_t gpio_count(int *count);            /* command 10 */
returncode_t gpio_enable_output(uint32_t pin);  /* 1 */
returncode_t gpio_set(uint32_t pin);            /* 2 */
returncode_t gpio_clear(uint32_t pin);          /* 3 */
returncode_t gpio_toggle(uint32_t pin);         /* 4 */
returncode_t gpio_enable_input(uint32_t pin, GPIO_InputMode_t pull);   /* 5 */
returncode_t gpio_read(uint32_t pin, int *value);                      /* 6 */
returncode_t gpio_enable_interrupt(uint32_t pin, GPIO_InterruptMode_t mode); /* 7 */
returncode_t gpio_disable_interrupt(uint32_t pin);                     /* 8 */
returncode_t gpio_disable(uint32_t pin);                               /* 9 */
/* upcall(pin, level, 0, userdata) */
returncode_t gpio_interrupt_callback(subscribe_upcall *cb, void *ud);
#endif
