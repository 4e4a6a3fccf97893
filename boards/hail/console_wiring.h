/*
 * console_wiring.h — the Hail console UART's sharing (console_wiring.c):
 * one UART mux over USART0 with three virtual UARTs — the kernel debug
 * writer (debug.c), the console capsule (driver 0x1) and the process
 * console.  hail_wire_console() itself is declared in hail.h.
 */
#ifndef HAIL_CONSOLE_WIRING_H
#define HAIL_CONSOLE_WIRING_H

#include "kernel/hil.h"
#include "uart_mux.h"

/* Puts the mux over `uart` (first call only) and returns the debug
 * writer's virtual UART; *dev receives its mux device. */
const struct hil_uart *hail_console_mux_device(const struct hil_uart *uart, struct uart_mux_device **dev);

#endif
