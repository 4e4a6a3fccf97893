/*
 * hil.h — hardware interface layers: the only way capsules touch hardware.
 * Each is a struct of function pointers plus a client (callback + context),
 * like Tock's HIL traits.  The chip layer implements them; the board wires a
 * chip driver's HIL into the capsules that use it.  No capsule knows a chip.
 */
#ifndef KERNEL_HIL_H
#define KERNEL_HIL_H

#include "kernel/types.h"

/* ---- alarm: a free-running counter with one compare ------------------------ */
struct hil_alarm_client {
    void (*fired)(void *ctx);
    void *ctx;
};

struct hil_alarm {
    uint32_t (*frequency)(const struct hil_alarm *a);          /* ticks per second */
    uint32_t (*now)(const struct hil_alarm *a);
    /* fire at reference + dt (ticks, wrapping); if that is already past, fire as soon as possible */
    void (*set_alarm)(const struct hil_alarm *a, uint32_t reference, uint32_t dt);
    uint32_t (*get_alarm)(const struct hil_alarm *a);
    void (*disarm)(const struct hil_alarm *a);
    bool (*is_armed)(const struct hil_alarm *a);
    uint32_t (*minimum_dt)(const struct hil_alarm *a);
    void (*set_client)(const struct hil_alarm *a, struct hil_alarm_client client);
    void *state;                                                /* the driver's own state */
};

/* ---- GPIO pin -------------------------------------------------------------- */
enum hil_gpio_pull { HIL_PULL_NONE, HIL_PULL_UP, HIL_PULL_DOWN };
enum hil_gpio_edge { HIL_EDGE_EITHER, HIL_EDGE_RISING, HIL_EDGE_FALLING };

struct hil_gpio_client {
    void (*fired)(void *ctx, uint32_t ident);   /* ident: chosen by whoever enabled the interrupt */
    void *ctx;
};

struct hil_gpio_pin {
    void (*make_output)(const struct hil_gpio_pin *p);
    void (*make_input)(const struct hil_gpio_pin *p, enum hil_gpio_pull pull);
    void (*disable)(const struct hil_gpio_pin *p);
    void (*set)(const struct hil_gpio_pin *p);
    void (*clear)(const struct hil_gpio_pin *p);
    void (*toggle)(const struct hil_gpio_pin *p);
    bool (*read)(const struct hil_gpio_pin *p);
    void (*enable_interrupt)(const struct hil_gpio_pin *p, enum hil_gpio_edge edge,
                             struct hil_gpio_client client, uint32_t ident);
    void (*disable_interrupt)(const struct hil_gpio_pin *p);
    void *state;
    uint32_t pin;                                 /* chip-specific pin number */
};

/* ---- UART ------------------------------------------------------------------ */
struct hil_uart_client {
    void (*transmitted)(void *ctx, const uint8_t *buf, size_t len, errorcode_t status);
    void (*received)(void *ctx, uint8_t *buf, size_t len, errorcode_t status);
    void *ctx;
};

struct hil_uart {
    /* starts sending len bytes from buf; BUSY if a transmission is in progress */
    errorcode_t (*transmit)(const struct hil_uart *u, const uint8_t *buf, size_t len);
    /* starts receiving exactly len bytes into buf; BUSY if a reception is in progress */
    errorcode_t (*receive)(const struct hil_uart *u, uint8_t *buf, size_t len);
    /* ends a reception early: `received` is called with the bytes so far and CANCEL */
    errorcode_t (*abort_receive)(const struct hil_uart *u);
    void (*set_client)(const struct hil_uart *u, struct hil_uart_client client);
    void *state;
};

/* ---- random numbers ---------------------------------------------------------- */
struct hil_rng_client {
    /* called with a batch of random words; return true to be called again with more */
    bool (*randomness)(void *ctx, const uint32_t *words, size_t n, errorcode_t status);
    void *ctx;
};

struct hil_rng {
    errorcode_t (*get)(const struct hil_rng *r);
    errorcode_t (*cancel)(const struct hil_rng *r);
    void (*set_client)(const struct hil_rng *r, struct hil_rng_client client);
    void *state;
};

/* ---- LED (on top of a GPIO pin, with polarity) --------------------------------- */
struct hil_led {
    const struct hil_gpio_pin *pin;
    bool active_low;
};

#endif
