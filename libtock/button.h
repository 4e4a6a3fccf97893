/* button.h — the button driver (0x3).  Hail: one user button. */
#ifndef LIBTOCK_BUTTON_H
#define LIBTOCK_BUTTON_H
#include "tock.h"
#define DRIVER_NUM_BUTTON 0x3
returncode_t button_count(int *count);          /* command 0: Success+u32 */
returncode_t button_enable_interrupt(int button);
returncode_t button_disable_interrupt(int button);
returncode_t button_read(int button, int *pressed);
/* upcall(button index, pressed 1/0, 0, userdata) */
returncode_t button_subscribe(subscribe_upcall *cb, void *ud);
/* blocks until a press or release of any enabled button (yield-wait-for) */
returncode_t button_wait_for_event(int *button, int *pressed);
#endif
