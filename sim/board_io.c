/*
 * board_io.c — the board around the chip (see board_io.h).
 */
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "machine.h"
#include "snapshot.h"
#include "trace.h"

struct gpio_port {
    void *dev;
    board_gpio_input_fn set_input;
    int8_t level[32];           /* last reported level, -1 unknown/floating */
    bool driven[32];
};

struct uart_port {
    const char *name;
    void *dev;
    board_uart_receive_fn receive;
    size_t nline;
    char line[BOARD_IO_LINE];   /* TX text waiting for its newline (trace) */
};

struct observer {
    const struct board_io_observer *obs;
    void *ctx;
};

struct board_io {
    int nports, nuarts, nobs;
    struct gpio_port port[BOARD_IO_MAX_PORTS];
    struct uart_port uart[BOARD_IO_MAX_UARTS];
    bool led_on[BOARD_MAX_LEDS];
    bool pressed[BOARD_MAX_BUTTONS];
    struct observer obs[BOARD_IO_MAX_OBSERVERS];
};

int board_io_observe(struct machine *m, const struct board_io_observer *obs, void *ctx)
{
    struct board_io *io = m->io;
    if (io->nobs >= BOARD_IO_MAX_OBSERVERS)
        return -1;
    io->obs[io->nobs++] = (struct observer){ obs, ctx };
    return 0;
}

void board_io_unobserve(struct machine *m, void *ctx)
{
    struct board_io *io = m->io;
    int n = 0;
    for (int i = 0; io && i < io->nobs; i++)
        if (io->obs[i].ctx != ctx)
            io->obs[n++] = io->obs[i];
    if (io)
        io->nobs = n;
}

/* Calls member `fn` of every observer that has it with (ctx, args...). */
#define NOTIFY(io, fn, ...)                                             \
    for (int o_ = 0; o_ < (io)->nobs; o_++)                             \
        if ((io)->obs[o_].obs->fn)                                      \
            (io)->obs[o_].obs->fn((io)->obs[o_].ctx, __VA_ARGS__)

static char port_letter(int port) { return (char)('A' + port); }

int board_io_init(struct machine *m, char *err, size_t errlen)
{
    struct board_io *io = calloc(1, sizeof *io);
    if (!io) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int p = 0; p < BOARD_IO_MAX_PORTS; p++)
        memset(io->port[p].level, -1, sizeof io->port[p].level);
    io->nports = board_gpio_port_count(m->board);
    m->io = io;
    return 0;
}

void board_io_free(struct machine *m)
{
    free(m->io);
    m->io = NULL;
}

static void apply_button(struct machine *m, int b)
{
    const struct board_button *btn = &m->board->buttons[b];
    struct gpio_port *gp = &m->io->port[btn->pin.port];
    bool active_level = !btn->active_low;
    /* the board's pull resistor holds the inactive level while released */
    int level = m->io->pressed[b] ? active_level : !active_level;
    if (gp->set_input)
        gp->set_input(gp->dev, btn->pin.index, level);
}

void board_io_reset(struct machine *m)
{
    for (int b = 0; b < m->board->nbuttons; b++)
        apply_button(m, b);
}

int board_io_attach_gpio(struct machine *m, int port, void *dev, board_gpio_input_fn set_input)
{
    if (port < 0 || port >= BOARD_IO_MAX_PORTS)
        return -1;
    m->io->port[port].dev = dev;
    m->io->port[port].set_input = set_input;
    return 0;
}

int board_io_attach_uart(struct machine *m, const char *name, void *dev, board_uart_receive_fn receive)
{
    struct board_io *io = m->io;
    if (io->nuarts >= BOARD_IO_MAX_UARTS)
        return -1;
    io->uart[io->nuarts++] = (struct uart_port){ .name = name, .dev = dev, .receive = receive };
    return 0;
}

static void update_leds(struct machine *m, int port, int pin)
{
    const struct gpio_port *gp = &m->io->port[port];
    for (int i = 0; i < m->board->nleds; i++) {
        const struct board_led *led = &m->board->leds[i];
        if (led->pin.port != port || led->pin.index != pin)
            continue;
        /* lit only while the chip drives the pin to the active level */
        bool on = gp->driven[pin] && gp->level[pin] == (led->active_low ? 0 : 1);
        if (on != m->io->led_on[i]) {
            m->io->led_on[i] = on;
            trace_emit(m, "led", "\"name\":\"%s\",\"on\":%s", led->name, on ? "true" : "false");
            NOTIFY(m->io, led, i, on);
        }
    }
}

void board_io_pin(struct machine *m, int port, int pin, int level, bool driven)
{
    if (port < 0 || port >= BOARD_IO_MAX_PORTS || pin < 0 || pin > 31)
        return;
    struct gpio_port *gp = &m->io->port[port];
    if (gp->level[pin] == level && gp->driven[pin] == driven)
        return;
    gp->level[pin] = (int8_t)level;
    gp->driven[pin] = driven;
    trace_emit(m, "pin", "\"port\":\"%c\",\"pin\":%d,\"level\":%d,\"driven\":%s",
               port_letter(port), pin, level, driven ? "true" : "false");
    NOTIFY(m->io, pin, port, pin, level, driven);
    update_leds(m, port, pin);
}

static struct uart_port *find_uart(struct board_io *io, const char *name)
{
    for (int i = 0; i < io->nuarts; i++)
        if (strcmp(io->uart[i].name, name) == 0)
            return &io->uart[i];
    return NULL;
}

static void flush_line(struct machine *m, struct uart_port *u)
{
    if (!u->nline)
        return;
    char buf[BOARD_IO_LINE * 6 + 3];
    trace_json_string(buf, sizeof buf, u->line, u->nline);
    trace_emit(m, "uart", "\"device\":\"%s\",\"text\":%s", u->name, buf);
    u->nline = 0;
}

void board_io_uart_tx(struct machine *m, const char *uart, uint8_t byte)
{
    struct uart_port *u = find_uart(m->io, uart);
    const char *console = board_io_console(m);
    NOTIFY(m->io, uart_tx, uart, byte);
    if (console && strcmp(console, uart) == 0 && m->console) {
        fputc(byte, m->console);
        if (byte == '\n')
            fflush(m->console);
    }
    if (!u)
        return;
    u->line[u->nline++] = (char)byte;
    if (byte == '\n' || u->nline == sizeof u->line)
        flush_line(m, u);
}

void board_io_flush(struct machine *m)
{
    for (int i = 0; m->io && i < m->io->nuarts; i++)
        flush_line(m, &m->io->uart[i]);
    if (m->console)
        fflush(m->console);
}

int board_io_button(struct machine *m, const char *name, bool pressed)
{
    for (int b = 0; b < m->board->nbuttons; b++) {
        if (strcmp(m->board->buttons[b].name, name) != 0)
            continue;
        if (m->io->pressed[b] != pressed) {
            m->io->pressed[b] = pressed;
            trace_emit(m, "button", "\"name\":\"%s\",\"pressed\":%s", name, pressed ? "true" : "false");
            NOTIFY(m->io, button, b, pressed);
            apply_button(m, b);
        }
        return 0;
    }
    return -1;
}

int board_io_uart_rx(struct machine *m, const char *uart, uint8_t byte)
{
    struct uart_port *u = find_uart(m->io, uart);
    if (!u)
        return -1;
    NOTIFY(m->io, uart_rx, uart, byte);
    return u->receive && u->receive(u->dev, byte) ? 1 : 0;
}

void board_io_request_reset(struct machine *m)
{
    m->reset_requested = true;
    cpu_defer_stop(m);
    for (int i = 0; i < m->io->nobs; i++)
        if (m->io->obs[i].obs->reset)
            m->io->obs[i].obs->reset(m->io->obs[i].ctx);
}

const char *board_io_console(const struct machine *m)
{
    return m->board->has_console ? m->board->console.uart : NULL;
}

bool board_io_led_on(const struct machine *m, int led)
{
    return led >= 0 && led < BOARD_MAX_LEDS && m->io->led_on[led];
}

bool board_io_button_pressed(const struct machine *m, int button)
{
    return button >= 0 && button < BOARD_MAX_BUTTONS && m->io->pressed[button];
}

int board_io_pin_level(const struct machine *m, int port, int pin)
{
    if (port < 0 || port >= BOARD_IO_MAX_PORTS || pin < 0 || pin > 31)
        return -1;
    return m->io->port[port].level[pin];
}

bool board_io_pin_driven(const struct machine *m, int port, int pin)
{
    if (port < 0 || port >= BOARD_IO_MAX_PORTS || pin < 0 || pin > 31)
        return false;
    return m->io->port[port].driven[pin];
}

/* ---- snapshots (issue #7) ---- */
void board_io_save(struct machine *m, struct snap_buf *b)
{
    struct board_io *io = m->io;
    for (int p = 0; p < BOARD_IO_MAX_PORTS; p++) {
        snap_put_bytes(b, io->port[p].level, sizeof io->port[p].level);
        for (int i = 0; i < 32; i++)
            snap_put_bool(b, io->port[p].driven[i]);
    }
    for (int i = 0; i < BOARD_MAX_LEDS; i++)
        snap_put_bool(b, io->led_on[i]);
    for (int i = 0; i < BOARD_MAX_BUTTONS; i++)
        snap_put_bool(b, io->pressed[i]);
    snap_put_u32(b, (uint32_t)io->nuarts);
    for (int i = 0; i < io->nuarts; i++) {
        snap_put_u32(b, (uint32_t)io->uart[i].nline);
        snap_put_bytes(b, io->uart[i].line, io->uart[i].nline);
    }
}

int board_io_restore(struct machine *m, struct snap_buf *b, char *err, size_t errlen)
{
    struct board_io *io = m->io;
    for (int p = 0; p < BOARD_IO_MAX_PORTS; p++) {
        snap_get_bytes(b, io->port[p].level, sizeof io->port[p].level);
        for (int i = 0; i < 32; i++)
            io->port[p].driven[i] = snap_get_bool(b);
    }
    for (int i = 0; i < BOARD_MAX_LEDS; i++)
        io->led_on[i] = snap_get_bool(b);
    for (int i = 0; i < BOARD_MAX_BUTTONS; i++)
        io->pressed[i] = snap_get_bool(b);
    uint32_t n = snap_get_u32(b);
    if (n != (uint32_t)io->nuarts) {
        snprintf(err, errlen, "the snapshot has %u UARTs on the board, this board %d", n, io->nuarts);
        return -1;
    }
    for (int i = 0; i < io->nuarts && !b->bad; i++) {
        uint32_t len = snap_get_u32(b);
        if (len > sizeof io->uart[i].line) {
            snprintf(err, errlen, "bad UART line length in the snapshot");
            return -1;
        }
        snap_get_bytes(b, io->uart[i].line, len);
        io->uart[i].nline = len;
    }
    return 0;
}
