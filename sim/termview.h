/*
 * termview.h — the interactive side of a run: the host loop and the
 * terminal view.
 *
 * The host loop is one periodic evq timer (every TERMVIEW_TICK_NS of
 * virtual time) whose callback
 *   - paces: sleeps while virtual time is ahead of host time × speed (the
 *     only place hailsim looks at host time; it never reaches the trace),
 *   - polls the keyboard (terminal view) and the PTY/TCP console (hostio),
 *     handing at most one tick's worth of bytes at the console baud rate to
 *     the console UART,
 *   - redraws the status line (at most every 50 ms host time).
 * The tick is an ordinary timer, so WFI fast-forwards stop at every tick and
 * are paced too; while there is a way for input to arrive it keeps the
 * machine alive (a sleeping CPU can be woken by a key).
 *
 * The terminal view (stdout a TTY): the console UART's output scrolls in a
 * scroll region above a status line on the bottom row: the LEDs as coloured
 * dots (24-bit colour from the board YAML when lit, dim when off), the
 * buttons, virtual time and speed.  The keyboard is in raw mode: typed
 * bytes go to the console UART, Ctrl-B toggles the user button, Ctrl-Q
 * quits.  The terminal is restored on every exit path: termview_stop(),
 * exit() (atexit) and fatal signals.
 */
#ifndef HAILSIM_TERMVIEW_H
#define HAILSIM_TERMVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct hostio;
struct termview;

#define TERMVIEW_TICK_NS 10000000ull       /* 10 ms of virtual time */
#define TERMVIEW_REDRAW_NS 50000000ull     /* at most one redraw per 50 ms host time */

struct termview_config {
    bool terminal;              /* status line + keyboard on stdin/stdout */
    double speed;               /* virtual seconds per host second; 0 = as fast as possible */
    struct hostio *hostio;      /* PTY/TCP console to poll, or NULL */
};

/* Registers the tick timer (and, for the terminal view, sets up the screen
 * and the keyboard). */
struct termview *termview_start(struct machine *m, const struct termview_config *c,
                                char *err, size_t errlen);
/* At the end of the run: disarms the tick, draws the final status line and
 * restores the terminal (before the summary is printed). */
void termview_stop(struct termview *v);
/* Frees (stopping first if needed); after machine_destroy(), since the
 * machine's event queue points at the tick timer. */
void termview_free(struct termview *v);
/* Ctrl-Q was typed (the run was stopped at the next block boundary). */
bool termview_quit_requested(const struct termview *v);

/* board_io observer callbacks: an LED / a button changed (redraws soon). */
void termview_led(void *ctx, int led, bool on);
void termview_button(void *ctx, int button, bool pressed);

/* For an optional pacing hook in cpu_sleep (ctx = the struct termview):
 * sleeps until host time has caught up with virtual cycle `cycle`, so an
 * event between two ticks is not shown early.  Does not poll input. */
void termview_pace_to(void *ctx, uint64_t cycle);

#endif
