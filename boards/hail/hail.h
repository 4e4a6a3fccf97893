/*
 * hail.h — what the Hail board files share (boards/hail/): the kernel debug
 * writer on the console UART (debug.c), the panic hook (panic.c), the
 * alarm mux and the console wiring hook (main.c / console_wiring.c).
 */
#ifndef HAIL_H
#define HAIL_H

#include <stdarg.h>

#include "alarm_mux.h"
#include "kernel/kernel.h"
#include "sam4l.h"

/* The console UART the debug writer uses (main.c owns it). */
extern struct sam4l_usart hail_console_state;
extern struct hil_uart hail_console;
extern struct hil_gpio_pin hail_leds[];

/* printf-like kernel debug output on the console: %s %c %d %u %x %X %p %%
 * with an optional 0 flag and width; every integer argument is 32 bits
 * (so no format attribute: uint32_t is `long` here).  Buffered (1 KiB), sent by interrupts;
 * bytes that do not fit are dropped and counted. */
void kernel_debug(const char *fmt, ...);
void kernel_debug_v(const char *fmt, va_list ap);
void kernel_debug_init(const struct hil_uart *uart);
/* Boot (before the main loop): a full buffer waits for the UART to drain by
 * servicing interrupts itself instead of dropping output. */
void kernel_debug_set_blocking(bool on);
/* Panic path: sends what is buffered, then switches to polled output. */
void kernel_debug_flush_sync(void);
/* Formats into buf (always NUL-terminated); returns the length. */
int hail_vformat(char *buf, int cap, const char *fmt, va_list ap);

/* The mux over the AST (main.c): more virtual alarms may be added to it
 * (virtual_alarm_init) before the processes are loaded. */
extern struct alarm_mux hail_alarm_mux;

/* Wires the console capsule and the process console (console_wiring.c):
 * called by main() after the other capsules, before the processes are
 * loaded; main.c has a weak empty default. */
void hail_wire_console(struct kernel *k);

/* The kernel's panic hook: crash report on the console, red LED blinking. */
void hail_panic(struct kernel *k, const char *why) __attribute__((noreturn));

#endif
