/*
 * uart_mux.h — shares one UART (struct hil_uart) between several users:
 * the console capsule, the kernel debug writer and the process console
 * (Tock's MuxUart + UartDevice).  Each user gets a virtual UART: a
 * struct uart_mux_device whose `hil` member is itself a struct hil_uart, so
 * its user cannot tell it from the real one.
 *
 * Transmit: every device may have one transmission outstanding (BUSY
 * otherwise); the mux sends them one at a time, round robin in registration
 * order.  A device that asks again from inside its own `transmitted`
 * callback while its last chunk did not end with '\n' is served next, so a
 * text split into chunks is not cut in the middle of a line by another
 * device.  A device marked with uart_mux_set_priority() (the kernel debug
 * writer) goes before the round robin: kernel lines written before an
 * application's text are never queued behind it.  `transmitted` is never
 * called from inside `transmit`.
 *
 * Receive: the mux reads the UART one byte at a time and routes each byte
 * to the current reader: the device whose pending receive started last
 * (an application's read takes the input from the process console until it
 * completes or is aborted; then the process console reads again).  A
 * device's receive completes when its buffer is full; abort_receive
 * completes it at once with the bytes so far and CANCEL.
 *
 * Statically sized: at most UART_MUX_MAX_DEVICES devices, no heap.
 */
#ifndef CAPSULES_UART_MUX_H
#define CAPSULES_UART_MUX_H

#include "kernel/hil.h"

#define UART_MUX_MAX_DEVICES 4

struct uart_mux;

struct uart_mux_device {
    struct hil_uart hil;                /* what the device's user calls */
    struct uart_mux *mux;
    struct hil_uart_client client;
    const uint8_t *tx_buf;
    size_t tx_len;
    bool tx_pending;                    /* queued or on the wire */
    bool tx_line_open;                  /* the last chunk sent did not end with '\n' */
    bool tx_priority;                   /* served before the round robin (kernel debug output) */
    uint8_t *rx_buf;
    size_t rx_len, rx_pos;
    bool rx_pending;
    uint32_t rx_stamp;                  /* order of receive requests: the newest reads */
};

struct uart_mux {
    const struct hil_uart *uart;
    struct uart_mux_device *dev[UART_MUX_MAX_DEVICES];
    int ndev;
    int tx_current;                     /* device on the wire, -1: idle */
    int tx_last;                        /* last device served */
    bool tx_in_callback;                /* inside a device's `transmitted` */
    uint8_t rx_byte;
    bool rx_armed;                      /* a one-byte receive is outstanding on the UART */
    bool rx_aborting;
    uint32_t rx_next_stamp;
};

void uart_mux_init(struct uart_mux *m, const struct hil_uart *uart);
/* Adds a device; returns its virtual UART, or NULL when the mux is full. */
const struct hil_uart *uart_mux_add(struct uart_mux *m, struct uart_mux_device *d);
/* Serve d before the round robin whenever it has something to send. */
void uart_mux_set_priority(struct uart_mux_device *d, bool on);
/* Is this device's transmission the one on the wire right now? */
bool uart_mux_device_on_wire(const struct uart_mux_device *d);

#endif
