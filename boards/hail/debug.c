/*
 * debug.c — kernel debug output for the Hail board: a small printf-like
 * formatter (%s %.*s %c %d %u %x %X %p %%, 0 flag, width) and a 512-byte ring
 * buffer drained through the console UART.  The UART is shared (the UART
 * mux, console_wiring.c): kernel_debug_init() puts the mux over the UART it
 * is given and writes through one of its virtual UARTs, beside the console
 * capsule and the process console.  Each transmission is staged whole lines
 * at a time (up to DEBUG_STAGE bytes ending with '\n' when there is one), so
 * app output never lands in the middle of a kernel line.  The `transmitted`
 * callback, run from the main loop's interrupt servicing, sends the next.
 * During boot (before the main loop) a full buffer waits for the UART
 * instead of dropping.  The panic path drains the buffer with polled output
 * (kernel_debug_flush_sync) and then writes synchronously.
 */
#include "console_wiring.h"
#include "hail.h"

#define DEBUG_BUF 512u
#define DEBUG_STAGE 192u

static struct {
    const struct hil_uart *uart;
    struct uart_mux_device *dev;
    char buf[DEBUG_BUF];
    uint32_t head, tail;        /* free-running: head - tail bytes queued */
    uint32_t sending;           /* bytes of the transmit in flight */
    uint32_t dropped;
    char stage[DEBUG_STAGE];    /* the transmission in flight (copied out of the ring) */
    bool sync;                  /* panic: write straight to the UART */
    bool blocking;              /* boot: wait for room instead of dropping */
} dbg;

/* Bytes to send next: whole lines if a '\n' is within DEBUG_STAGE bytes. */
static uint32_t stage_len(void)
{
    uint32_t queued = dbg.head - dbg.tail, n = queued < DEBUG_STAGE ? queued : DEBUG_STAGE, cut = 0;
    for (uint32_t i = 0; i < n; i++)
        if (dbg.buf[(dbg.tail + i) % DEBUG_BUF] == '\n')
            cut = i + 1;
    return cut ? cut : n;
}

static void start_tx(void)
{
    if (!dbg.uart || dbg.sending || dbg.head == dbg.tail)
        return;
    uint32_t n = stage_len();
    for (uint32_t i = 0; i < n; i++)
        dbg.stage[i] = dbg.buf[(dbg.tail + i) % DEBUG_BUF];
    if (dbg.uart->transmit(dbg.uart, (const uint8_t *)dbg.stage, n) == ERR_NONE)
        dbg.sending = n;
}

static void transmitted(void *ctx, const uint8_t *buf, size_t len, errorcode_t status)
{
    (void)ctx; (void)buf; (void)len; (void)status;
    dbg.tail += dbg.sending;
    dbg.sending = 0;
    start_tx();
}

void kernel_debug_init(const struct hil_uart *uart)
{
    dbg.uart = hail_console_mux_device(uart, &dbg.dev);
    if (dbg.uart)
        dbg.uart->set_client(dbg.uart, (struct hil_uart_client){ .transmitted = transmitted });
}

static void put(const char *s, int n)
{
    if (dbg.sync) {
        sam4l_usart_write_sync(&hail_console_state, s, (size_t)n);
        return;
    }
    for (int i = 0; i < n; i++) {
        while (dbg.blocking && dbg.head - dbg.tail == DEBUG_BUF)
            sam4l_chip_ops.service_pending_interrupts();    /* boot: let the UART drain */
        if (dbg.head - dbg.tail == DEBUG_BUF) {
            dbg.dropped++;
            continue;
        }
        dbg.buf[dbg.head++ % DEBUG_BUF] = s[i];
    }
    start_tx();
}

void kernel_debug_set_blocking(bool on)
{
    dbg.blocking = on;
}

void kernel_debug_v(const char *fmt, va_list ap)
{
    char line[192];
    int n = hail_vformat(line, sizeof line, fmt, ap);
    put(line, n);
}

void kernel_debug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kernel_debug_v(fmt, ap);
    va_end(ap);
}

void kernel_debug_flush_sync(void)
{
    if (dbg.sync)
        return;
    dbg.sync = true;
    if (dbg.sending && dbg.dev && uart_mux_device_on_wire(dbg.dev))
        dbg.tail += (uint32_t)hail_console_state.tx_pos;    /* skip what the driver already handed to THR */
    while (dbg.head != dbg.tail) {
        char c = dbg.buf[dbg.tail++ % DEBUG_BUF];
        sam4l_usart_write_sync(&hail_console_state, &c, 1);
    }
}

/* ---- formatting -------------------------------------------------------------------- */

struct out { char *buf; int cap, n; };

static void emit(struct out *o, char c)
{
    if (o->n < o->cap - 1)
        o->buf[o->n] = c;
    o->n++;
}

static void emit_num(struct out *o, uint32_t v, unsigned base, bool upper_case, int width, char pad, bool neg)
{
    const char *digits = upper_case ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[n++] = '-';
    for (int w = n; w < width; w++)
        emit(o, pad);
    while (n)
        emit(o, tmp[--n]);
}

static void emit_str(struct out *o, const char *s, int width, int prec)
{
    int len = 0;
    while (s[len] && (prec < 0 || len < prec))
        len++;
    for (int w = len; w < width; w++)
        emit(o, ' ');
    for (int i = 0; i < len; i++)
        emit(o, s[i]);
}

static const char *conv(struct out *o, const char *f, va_list *ap)
{
    char pad = ' ';
    int width = 0, prec = -1;
    if (*f == '0')
        pad = *f++;
    while (*f >= '0' && *f <= '9')
        width = width * 10 + (*f++ - '0');
    if (*f == '.' && f[1] == '*') {             /* %.*s: the length comes first */
        prec = va_arg(*ap, int);
        f += 2;
    }
    switch (*f) {
    case 's': { const char *s = va_arg(*ap, const char *); emit_str(o, s ? s : "(null)", width, prec); break; }
    case 'c': emit(o, (char)va_arg(*ap, int)); break;
    case 'd': { int v = va_arg(*ap, int); emit_num(o, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, false, width, pad, v < 0); break; }
    case 'u': emit_num(o, va_arg(*ap, unsigned), 10, false, width, pad, false); break;
    case 'x': emit_num(o, va_arg(*ap, unsigned), 16, false, width, pad, false); break;
    case 'X': emit_num(o, va_arg(*ap, unsigned), 16, true, width, pad, false); break;
    case 'p': emit_str(o, "0x", 0, -1); emit_num(o, (uint32_t)(uintptr_t)va_arg(*ap, void *), 16, false, 8, '0', false); break;
    case '%': emit(o, '%'); break;
    default: emit(o, '%'); if (*f) emit(o, *f); else f--; break;
    }
    return f + 1;
}

int hail_vformat(char *buf, int cap, const char *fmt, va_list ap)
{
    struct out o = { buf, cap, 0 };
    va_list aq;
    va_copy(aq, ap);
    for (const char *f = fmt; *f;)
        f = *f == '%' ? conv(&o, f + 1, &aq) : (emit(&o, *f), f + 1);
    va_end(aq);
    if (cap > 0)
        buf[o.n < cap ? o.n : cap - 1] = '\0';
    return o.n < cap ? o.n : cap - 1;
}
