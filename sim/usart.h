/*
 * usart.h — the SAM4L USART model's interface to the PDCA (DMA) model.
 *
 * The USART model itself is `usart_model` (periph.h, type "usart"); the
 * guest sees it only through its registers.  The PDCA moves bytes through
 * these functions with exactly the hardware handshake: a TX channel writes
 * one byte each time TXRDY is 1, an RX channel reads one each time RXRDY is
 * 1.  Virtual time is passed explicitly: the DMA acts at the time of the
 * register write or of the USART event that made it move.  The USART tells the DMA when TXRDY or RXRDY rises (0 -> 1) through the
 * callback the DMA registers; the DMA then polls with usart_tx_ready() /
 * usart_rx_take() until nothing more can move.  The callback may be invoked
 * again from inside usart_tx_byte() (a write that finds the shifter idle
 * makes TXRDY rise at once), so the DMA must tolerate re-entry.
 */
#ifndef HAILSIM_USART_H
#define HAILSIM_USART_H

#include <stdbool.h>
#include <stdint.h>

struct usart;

/* Called when TXRDY or RXRDY of `u` rises at virtual time `now` (cycles). */
typedef void (*usart_dma_notify_fn)(void *ctx, struct usart *u, uint64_t now);

/* Registers the DMA controller of this USART (one per USART; NULL removes it). */
void usart_set_dma(struct usart *u, void *ctx, usart_dma_notify_fn notify);
/* CSR.TXRDY: the transmitter is enabled and its holding register is free. */
bool usart_tx_ready(struct usart *u);
/* A write of `b` to THR at virtual time `now`, as by the guest. */
void usart_tx_byte(struct usart *u, uint8_t b, uint64_t now);
/* If RXRDY: reads RHR (clearing RXRDY) into *b and returns true. */
bool usart_rx_take(struct usart *u, uint8_t *b);

#endif
