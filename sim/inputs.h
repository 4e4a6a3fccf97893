/*
 * inputs.h — scheduled external inputs in virtual time: `--press
 * NAME@TIME[:DURATION]` (press a board button, release it DURATION later)
 * and `--uart-input TEXT@TIME` (bytes arriving on the console UART's RX
 * line).  Deterministic: they fire from one evq timer at exact virtual
 * times, never from host time, so a run with the same inputs gives the
 * same trace.
 *
 * Two steps: the command line parses each option into a struct input_spec
 * (syntax only: the board is not known yet); inputs_create() then checks the
 * specs against the board (button names, a console UART), orders them by
 * time and arms the timer.  Inputs reach the chip through board_io only
 * (board_io_button, board_io_uart_rx), like the keyboard and the window.
 */
#ifndef HAILSIM_INPUTS_H
#define HAILSIM_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"

struct machine;

#define INPUT_MAX_TEXT 256
#define INPUT_DEFAULT_PRESS_NS 100000000ull     /* 100 ms */

enum input_kind { INPUT_PRESS, INPUT_UART };

struct input_spec {
    enum input_kind kind;
    uint64_t at_ns;                 /* virtual time of the press / of the first byte */
    uint64_t duration_ns;           /* INPUT_PRESS: how long the button is held */
    char button[BOARD_NAME_LEN];    /* INPUT_PRESS */
    size_t len;                     /* INPUT_UART: the bytes, escapes decoded */
    uint8_t text[INPUT_MAX_TEXT];
};

/* "user@1.5s:200ms" → spec.  Returns 0, or -1 with a message naming
 * --press, the bad part and what was expected. */
int inputs_parse_press(const char *arg, struct input_spec *s, char *err, size_t errlen);
/* "hello\n@2s" → spec; the time follows the LAST '@'; TEXT may use the C
 * escapes \n \r \t \\ \xNN.  Returns 0 or -1 with a message naming --uart-input. */
int inputs_parse_uart(const char *arg, struct input_spec *s, char *err, size_t errlen);
/* Decodes the escapes of `text` (n bytes) into out (at most outmax bytes).
 * Returns the length, or -1 with a message (bad escape, too long). */
int inputs_unescape(const char *text, size_t n, uint8_t *out, size_t outmax, char *err, size_t errlen);

struct inputs;
/* Checks the specs against m's board (unknown button → the list of the
 * board's buttons; UART text without a console UART), schedules them and
 * registers the evq timer.  Free with inputs_free() after machine_destroy()
 * (the machine's event queue points at the timer).  n == 0 gives NULL
 * without an error. */
struct inputs *inputs_create(struct machine *m, const struct input_spec *specs, int n,
                             char *err, size_t errlen);
void inputs_free(struct inputs *in);
/* Number of scheduled actions not fired yet (a press counts twice). */
int inputs_pending(const struct inputs *in);

#endif
