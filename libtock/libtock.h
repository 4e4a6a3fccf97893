/* libtock.h — everything: system calls and the Hail drivers. */
#ifndef LIBTOCK_LIBTOCK_H
#define LIBTOCK_LIBTOCK_H
#include "tock.h"
#include "alarm.h"
#include "button.h"
#include "console.h"
#include "gpio.h"
#include "ipc.h"
#include "led.h"
#include "rng.h"
#endif
