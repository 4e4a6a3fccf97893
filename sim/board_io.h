/*
 * board_io.h — the board around the chip: what the board YAML wires to the
 * pins (LEDs, buttons, header pins), the console UART, and the observation
 * of all of it (trace events `pin`, `led`, `button`, `uart`; the VCD file and
 * the views read the state kept here).
 *
 * Peripheral models report outputs here (a pin's level changed, a byte left
 * a UART) and register themselves for inputs; inputs from the window, the
 * keyboard or scheduled `--press`/`--uart-input` events come in here and are
 * passed to the models.  Models never talk to the trace or the views directly.
 */
#ifndef HAILSIM_BOARD_IO_H
#define HAILSIM_BOARD_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

#define BOARD_IO_MAX_PORTS 8
#define BOARD_IO_MAX_UARTS 8
#define BOARD_IO_LINE 256

/* level: 0 or 1 driven from outside the chip, -1: nothing drives the pin */
typedef void (*board_gpio_input_fn)(void *dev, int pin, int level);
/* returns false when the receiver could not take the byte (it is lost) */
typedef bool (*board_uart_receive_fn)(void *dev, uint8_t byte);

int board_io_init(struct machine *m, char *err, size_t errlen);
void board_io_free(struct machine *m);
/* Re-applies external inputs (buttons) after a machine reset. */
void board_io_reset(struct machine *m);
/* Flushes partial console lines into the trace at the end of a run. */
void board_io_flush(struct machine *m);

/* ---- called by peripheral models ----------------------------------------- */
int board_io_attach_gpio(struct machine *m, int port, void *dev, board_gpio_input_fn set_input);
int board_io_attach_uart(struct machine *m, const char *name, void *dev, board_uart_receive_fn receive);
/* A pin's level changed (driven: the chip drives it as an output). */
void board_io_pin(struct machine *m, int port, int pin, int level, bool driven);
/* A byte finished transmitting on a UART's TX line. */
void board_io_uart_tx(struct machine *m, const char *uart, uint8_t byte);

/* ---- inputs ---------------------------------------------------------------- */
/* Returns -1 for an unknown button name. */
int board_io_button(struct machine *m, const char *name, bool pressed);
/* A byte arrives on a UART's RX line; -1 unknown UART, 0 lost, 1 taken. */
int board_io_uart_rx(struct machine *m, const char *uart, uint8_t byte);
/* The board's RESET button (window, replay): the run loop resets the machine
 * at the next block boundary, or at once when the core sleeps.  Observers
 * see it (reset).  The guest's own SYSRESETREQ does not come through here. */
void board_io_request_reset(struct machine *m);
/* Name of the console UART, or NULL. */
const char *board_io_console(const struct machine *m);

/* ---- observers: the VCD file, the views, host consoles ----------------------- */
#define BOARD_IO_MAX_OBSERVERS 4

/* Called after board_io's own state and the trace event are updated, at the
 * machine's current virtual time (m->cycles).  Any callback may be NULL.
 * pin/led/button report real changes only; uart_tx every byte of every UART
 * (when its stop bit has gone out). */
struct board_io_observer {
    void (*pin)(void *ctx, int port, int pin, int level, bool driven);
    void (*led)(void *ctx, int led, bool on);
    void (*button)(void *ctx, int button, bool pressed);
    void (*uart_tx)(void *ctx, const char *uart, uint8_t byte);
    /* ---- external inputs, for --record (issue #7, sim/record.h) ---- */
    /* every byte offered to board_io_uart_rx (taken or lost), before the model sees it */
    void (*uart_rx)(void *ctx, const char *uart, uint8_t byte);
    /* board_io_request_reset() (the window's RESET button) */
    void (*reset)(void *ctx);
};

/* Returns 0, or -1 when BOARD_IO_MAX_OBSERVERS are registered already. */
int board_io_observe(struct machine *m, const struct board_io_observer *obs, void *ctx);
/* Removes every registration with this ctx (before ctx is freed). */
void board_io_unobserve(struct machine *m, void *ctx);

/* ---- state for views ------------------------------------------------------- */
bool board_io_led_on(const struct machine *m, int led);
bool board_io_button_pressed(const struct machine *m, int button);
/* -1 when the chip does not drive the pin and nothing else does */
int board_io_pin_level(const struct machine *m, int port, int pin);
bool board_io_pin_driven(const struct machine *m, int port, int pin);

/* ---- snapshots (snapshot.h, issue #7): pin levels, LEDs, buttons, the
 * UART lines waiting for their newline; observers and attachments stay ---- */
struct snap_buf;
void board_io_save(struct machine *m, struct snap_buf *b);
int board_io_restore(struct machine *m, struct snap_buf *b, char *err, size_t errlen);

#endif
