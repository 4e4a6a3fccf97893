/*
 * vcd.h — `--vcd FILE`: a Value Change Dump (IEEE 1364-2005 §18,
 * `$timescale 1ns`) of the board around the chip, for GTKWave or PulseView:
 *
 *   board.leds.<name>       1 = lit
 *   board.buttons.<name>    1 = pressed
 *   board.header.<label>    the pin level, z while the chip does not drive it
 *   board.console.<uart>_tx the console UART's TX line (idle 1)
 *
 * Times are virtual, the same as the trace's t_ns.  The writer learns about
 * changes through the board_io observer callbacks below (it never looks at
 * peripheral models).  A UART byte is reported when its stop bit ends, so
 * its waveform (start bit 0, 8 data bits LSB first, stop bit 1) lies in the
 * past: changes are held back for one character time and written in time
 * order.  The bit time comes from the board YAML's `wiring.console.baud`.
 */
#ifndef HAILSIM_VCD_H
#define HAILSIM_VCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct vcd;

/* Creates FILE, writes the header and the initial values (time 0 or the
 * machine's current time) and registers with board_io.  NULL + message on
 * failure. */
struct vcd *vcd_open(struct machine *m, const char *path, char *err, size_t errlen);
/* Writes every held-back change and a final timestamp (the machine's
 * current time), closes the file.  Returns 0, or -1 when a write failed. */
int vcd_close(struct vcd *v);

/* The observer callbacks (ctx = the struct vcd), called by board_io after
 * the change, at the machine's current virtual time. */
void vcd_pin(void *ctx, int port, int pin, int level, bool driven);
void vcd_led(void *ctx, int led, bool on);
void vcd_button(void *ctx, int button, bool pressed);
void vcd_uart_tx(void *ctx, const char *uart, uint8_t byte);

#endif
