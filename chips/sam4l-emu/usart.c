/*
 * usart.c — a SAM4L USART as the kernel's UART HIL (struct hil_uart), 8N1
 * with OVER = 1 (tock-abi.md §12.4; 48 MHz / 115200 gives BRGR 0x00010034).
 *
 * Interrupt driven, without the PDCA (Tock uses DMA; this is simpler and
 * the simulator models both): transmit enables TXRDY and the bottom half
 * feeds THR while TXRDY is set; after the last byte it waits for TXEMPTY
 * (the line is idle) before calling `transmitted`.  Receive enables RXRDY
 * and stores RHR bytes until the requested length (OVRE is cleared with
 * RSTSTA; the newer byte wins).  abort_receive reports the bytes so far
 * with CANCEL.  sam4l_usart_write_sync() polls, for the panic path.
 */
#include "sam4l.h"
#include "sam4l_regs.h"

#define USART_PBA_CLOCK_BIT0 8u

static struct sam4l_usart *st_of(const struct hil_uart *u) { return u->state; }

static errorcode_t us_transmit(const struct hil_uart *u, const uint8_t *buf, size_t len)
{
    struct sam4l_usart *st = st_of(u);
    if (st->tx_busy)
        return ERR_BUSY;
    if (len == 0)
        return ERR_SIZE;
    st->tx_buf = buf;
    st->tx_len = len;
    st->tx_pos = 0;
    st->tx_busy = true;
    st->tx_draining = false;
    REG(st->base, US_IER) = US_TXRDY;
    return ERR_NONE;
}

static errorcode_t us_receive(const struct hil_uart *u, uint8_t *buf, size_t len)
{
    struct sam4l_usart *st = st_of(u);
    if (st->rx_busy)
        return ERR_BUSY;
    if (len == 0)
        return ERR_SIZE;
    st->rx_buf = buf;
    st->rx_len = len;
    st->rx_pos = 0;
    st->rx_busy = true;
    REG(st->base, US_IER) = US_RXRDY;
    return ERR_NONE;
}

static void rx_done(struct sam4l_usart *st, errorcode_t status)
{
    REG(st->base, US_IDR) = US_RXRDY;
    st->rx_busy = false;
    if (st->client.received)
        st->client.received(st->client.ctx, st->rx_buf, st->rx_pos, status);
}

static errorcode_t us_abort_receive(const struct hil_uart *u)
{
    struct sam4l_usart *st = st_of(u);
    if (!st->rx_busy)
        return ERR_ALREADY;
    rx_done(st, ERR_CANCEL);
    return ERR_NONE;
}

static void us_set_client(const struct hil_uart *u, struct hil_uart_client c) { st_of(u)->client = c; }

static void tx_service(struct sam4l_usart *st, uint32_t csr)
{
    while (st->tx_pos < st->tx_len && (csr & US_TXRDY)) {
        REG(st->base, US_THR) = st->tx_buf[st->tx_pos++];
        csr = REG(st->base, US_CSR);
    }
    if (st->tx_pos < st->tx_len)
        return;
    if (!st->tx_draining) {             /* all bytes handed over: wait for the line to go idle */
        st->tx_draining = true;
        REG(st->base, US_IDR) = US_TXRDY;
        REG(st->base, US_IER) = US_TXEMPTY;
        csr = REG(st->base, US_CSR);
    }
    if (!(csr & US_TXEMPTY))
        return;
    REG(st->base, US_IDR) = US_TXEMPTY;
    st->tx_busy = false;
    if (st->client.transmitted)
        st->client.transmitted(st->client.ctx, st->tx_buf, st->tx_len, ERR_NONE);
}

static void rx_service(struct sam4l_usart *st, uint32_t csr)
{
    if (csr & US_OVRE)
        REG(st->base, US_CR) = US_CR_RSTSTA;
    while (st->rx_busy && (csr & US_RXRDY)) {
        st->rx_buf[st->rx_pos++] = (uint8_t)REG(st->base, US_RHR);
        if (st->rx_pos == st->rx_len)
            rx_done(st, ERR_NONE);
        csr = REG(st->base, US_CSR);
    }
}

static void usart_bottom_half(void *ctx)
{
    struct sam4l_usart *st = ctx;
    uint32_t csr = REG(st->base, US_CSR);
    if (st->rx_busy)
        rx_service(st, csr);
    if (st->tx_busy)
        tx_service(st, REG(st->base, US_CSR));
}

void sam4l_usart_write_sync(struct sam4l_usart *st, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!(REG(st->base, US_CSR) & US_TXRDY)) {
        }
        REG(st->base, US_THR) = (uint8_t)s[i];
    }
    while (!(REG(st->base, US_CSR) & US_TXEMPTY)) {
    }
}

/* OVER = 1: CD = f / (8 baud), FP = round(f / baud) - 8 CD. */
static uint32_t brgr(uint32_t f, uint32_t baud)
{
    uint32_t cd = f / (8u * baud), fp = (f + baud / 2) / baud - 8u * cd;
    return (fp & 7u) << 16 | (cd & 0xFFFFu);
}

void sam4l_usart_init(struct hil_uart *hil, struct sam4l_usart *st, uint32_t base, unsigned irq,
                      unsigned index, uint32_t baud, uint32_t pba_hz)
{
    *st = (struct sam4l_usart){ .base = base };
    *hil = (struct hil_uart){ .transmit = us_transmit, .receive = us_receive,
                              .abort_receive = us_abort_receive, .set_client = us_set_client,
                              .state = st };
    sam4l_clock_enable(SAM4L_PBA, USART_PBA_CLOCK_BIT0 + index);
    REG(base, US_CR) = US_CR_RSTRX | US_CR_RSTTX | US_CR_RSTSTA;
    REG(base, US_MR) = US_MR_OVER | US_MR_PAR_NONE | US_MR_CHRL_8;
    REG(base, US_BRGR) = brgr(pba_hz, baud);
    REG(base, US_IDR) = 0xFFFFFFFFu;
    REG(base, US_CR) = US_CR_TXEN | US_CR_RXEN;
    sam4l_irq_register(irq, usart_bottom_half, st);
}
