/*
 * uart_mux.c — one UART shared by several virtual UARTs (see uart_mux.h):
 * transmissions queued and served round robin (a device continuing an open
 * line from its own callback goes first, then a priority device), received bytes routed one at a
 * time to the newest pending reader.
 */
#include "uart_mux.h"

static struct uart_mux_device *dev_of(const struct hil_uart *u) { return u->state; }

/* ---- transmit ------------------------------------------------------------------ */

static void tx_start(struct uart_mux *m, int i)
{
    struct uart_mux_device *d = m->dev[i];
    m->tx_current = i;
    m->tx_last = i;
    d->tx_line_open = d->tx_buf[d->tx_len - 1] != '\n';
    if (m->uart->transmit(m->uart, d->tx_buf, d->tx_len) != ERR_NONE)
        m->tx_current = -1;         /* the UART refused: retried on the next request or completion */
}

/* The next device to serve: a continuing line first, then round robin after the last one. */
static int tx_pick(const struct uart_mux *m)
{
    if (m->tx_last >= 0 && m->dev[m->tx_last]->tx_pending && m->dev[m->tx_last]->tx_line_open)
        return m->tx_last;
    for (int i = 0; i < m->ndev; i++)
        if (m->dev[i]->tx_pending && m->dev[i]->tx_priority)
            return i;
    for (int n = 1; n <= m->ndev; n++) {
        int i = (m->tx_last + n) % m->ndev;
        if (i >= 0 && m->dev[i]->tx_pending)
            return i;
    }
    return -1;
}

static void tx_next(struct uart_mux *m)
{
    if (m->tx_current >= 0 || m->tx_in_callback)
        return;
    int i = tx_pick(m);
    if (i >= 0)
        tx_start(m, i);
}

static errorcode_t dev_transmit(const struct hil_uart *u, const uint8_t *buf, size_t len)
{
    struct uart_mux_device *d = dev_of(u);
    if (d->tx_pending)
        return ERR_BUSY;
    if (len == 0 || buf == NULL)
        return ERR_SIZE;
    d->tx_buf = buf;
    d->tx_len = len;
    d->tx_pending = true;
    tx_next(d->mux);
    return ERR_NONE;
}

static void mux_transmitted(void *ctx, const uint8_t *buf, size_t len, errorcode_t status)
{
    struct uart_mux *m = ctx;
    (void)buf;
    if (m->tx_current < 0)
        return;
    struct uart_mux_device *d = m->dev[m->tx_current];
    m->tx_current = -1;
    d->tx_pending = false;
    m->tx_in_callback = true;
    if (d->client.transmitted)
        d->client.transmitted(d->client.ctx, d->tx_buf, len, status);
    m->tx_in_callback = false;
    tx_next(m);
}

/* ---- receive ------------------------------------------------------------------- */

/* The newest pending reader, or NULL. */
static struct uart_mux_device *rx_reader(const struct uart_mux *m)
{
    struct uart_mux_device *best = NULL;
    for (int i = 0; i < m->ndev; i++) {
        struct uart_mux_device *d = m->dev[i];
        if (d->rx_pending && (!best || d->rx_stamp - best->rx_stamp < 0x80000000u))
            best = d;
    }
    return best;
}

static void rx_arm(struct uart_mux *m)
{
    if (m->rx_armed || !rx_reader(m))
        return;
    if (m->uart->receive(m->uart, &m->rx_byte, 1) == ERR_NONE)
        m->rx_armed = true;
}

static void rx_complete(struct uart_mux_device *d, errorcode_t status)
{
    d->rx_pending = false;
    if (d->client.received)
        d->client.received(d->client.ctx, d->rx_buf, d->rx_pos, status);
}

static void rx_deliver(struct uart_mux *m, uint8_t byte)
{
    struct uart_mux_device *d = rx_reader(m);
    if (!d)
        return;                     /* nobody reads: the byte is dropped */
    d->rx_buf[d->rx_pos++] = byte;
    if (d->rx_pos == d->rx_len)
        rx_complete(d, ERR_NONE);
}

static void mux_received(void *ctx, uint8_t *buf, size_t len, errorcode_t status)
{
    struct uart_mux *m = ctx;
    m->rx_armed = false;
    if (m->rx_aborting)
        return;
    if (status == ERR_NONE && len == 1)
        rx_deliver(m, buf[0]);
    rx_arm(m);
}

static errorcode_t dev_receive(const struct hil_uart *u, uint8_t *buf, size_t len)
{
    struct uart_mux_device *d = dev_of(u);
    if (d->rx_pending)
        return ERR_BUSY;
    if (len == 0 || buf == NULL)
        return ERR_SIZE;
    d->rx_buf = buf;
    d->rx_len = len;
    d->rx_pos = 0;
    d->rx_stamp = d->mux->rx_next_stamp++;
    d->rx_pending = true;
    rx_arm(d->mux);
    return ERR_NONE;
}

static errorcode_t dev_abort_receive(const struct hil_uart *u)
{
    struct uart_mux_device *d = dev_of(u);
    struct uart_mux *m = d->mux;
    if (!d->rx_pending)
        return ERR_ALREADY;
    rx_complete(d, ERR_CANCEL);
    if (m->rx_armed && !rx_reader(m)) {      /* nobody left: stop the UART's receive */
        m->rx_aborting = true;
        m->uart->abort_receive(m->uart);
        m->rx_aborting = false;
        m->rx_armed = false;
    }
    return ERR_NONE;
}

static void dev_set_client(const struct hil_uart *u, struct hil_uart_client c) { dev_of(u)->client = c; }

/* ---- set-up -------------------------------------------------------------------- */

void uart_mux_init(struct uart_mux *m, const struct hil_uart *uart)
{
    *m = (struct uart_mux){ .uart = uart, .tx_current = -1, .tx_last = -1 };
    uart->set_client(uart, (struct hil_uart_client){ mux_transmitted, mux_received, m });
}

const struct hil_uart *uart_mux_add(struct uart_mux *m, struct uart_mux_device *d)
{
    if (m->ndev >= UART_MUX_MAX_DEVICES)
        return NULL;
    *d = (struct uart_mux_device){ .mux = m };
    d->hil = (struct hil_uart){ .transmit = dev_transmit, .receive = dev_receive,
                                .abort_receive = dev_abort_receive, .set_client = dev_set_client, .state = d };
    m->dev[m->ndev++] = d;
    return &d->hil;
}

void uart_mux_set_priority(struct uart_mux_device *d, bool on) { d->tx_priority = on; }

bool uart_mux_device_on_wire(const struct uart_mux_device *d)
{
    return d->mux->tx_current >= 0 && d->mux->dev[d->mux->tx_current] == d;
}
