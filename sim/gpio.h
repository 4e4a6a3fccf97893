/*
 * gpio.h — the SAM4L GPIO port model (gpio.c): register offsets (relative
 * to a port's base; each quadruple register has SET +4, CLEAR +8, TOGGLE
 * +0xC aliases) and the model itself, for periph.c's registry and tests.
 */
#ifndef HAILSIM_GPIO_H
#define HAILSIM_GPIO_H

#include "periph.h"

enum {
    GPIO_GPER = 0x000, GPIO_PMR0 = 0x010, GPIO_PMR1 = 0x020, GPIO_PMR2 = 0x030,
    GPIO_ODER = 0x040, GPIO_OVR = 0x050, GPIO_PVR = 0x060, GPIO_PUER = 0x070,
    GPIO_PDER = 0x080, GPIO_IER = 0x090, GPIO_IMR0 = 0x0A0, GPIO_IMR1 = 0x0B0,
    GPIO_GFER = 0x0C0, GPIO_IFR = 0x0D0, GPIO_ODCR0 = 0x100, GPIO_ODCR1 = 0x110,
    GPIO_OSRR0 = 0x130, GPIO_STER = 0x160, GPIO_EVER = 0x180,
    GPIO_PARAMETER = 0x1F8, GPIO_VERSION = 0x1FC
};
/* alias offsets inside a quadruple */
enum { GPIO_SET = 0x4, GPIO_CLEAR = 0x8, GPIO_TOGGLE = 0xC };

#define GPIO_VERSION_VALUE 0x00000215u
#define GPIO_PARAMETER_VALUE 0xFFFFFFFFu

extern const struct periph_model gpio_model;

#endif
