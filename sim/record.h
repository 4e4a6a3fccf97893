/*
 * record.h — `--record FILE` and `--replay FILE` (docs/scenarios.md):
 * every external input of a run (button changes from the window, the
 * keyboard or scheduled --press; bytes offered to the console UART from the
 * keyboard, the window, --uart-pty/--uart-tcp or --uart-input; the window's
 * RESET) is written with the exact virtual cycle it arrived at, plus the
 * board, kernel, apps and seed and the cycle the run ended at.  Replaying
 * the file applies the same inputs at the same cycles through the same
 * board_io calls, headless, so the trace is byte-identical.
 *
 * The hook is a board_io observer (uart_rx, button, reset): every input
 * reaches the chip through board_io_button / board_io_uart_rx /
 * board_io_request_reset, whoever produced it.
 */
#ifndef HAILSIM_RECORD_H
#define HAILSIM_RECORD_H

#include <stddef.h>

#include "cli.h"

struct machine;
struct rec;

/* After cli_parse.  Without --record/--replay: *out = NULL, returns 0.
 * --replay: reads the file and takes its board, kernel, apps and seed into
 * *o (a plain, unpaced, windowless view); scheduled inputs or app images on
 * the command line are an error (the record has them).  Returns -1 + message. */
int rec_open(struct cli_options *o, struct rec **out, char *err, size_t errlen);
/* After the machine is set up and reset: --record writes the header and
 * starts observing; --replay arms the timer that replays the inputs and
 * stops the run where the recorded one stopped (at a time limit or Ctrl-Q). */
int rec_attach(struct rec *r, struct machine *m, char *err, size_t errlen);
/* After cpu_run: --record writes the end line and closes the file. */
int rec_finish(struct rec *r);
/* After machine_destroy (the event queue points at the replay timer). */
void rec_free(struct rec *r);

#endif
