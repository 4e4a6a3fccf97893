/* semihost.c — ARM semihosting calls and tiny formatted output (see semihost.h). */
#include "semihost.h"

uint32_t sh_call(uint32_t op, uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void sh_writec(char c)
{
    sh_call(SH_SYS_WRITEC, (uint32_t)&c);
}

void sh_write0(const char *s)
{
    sh_call(SH_SYS_WRITE0, (uint32_t)s);
}

void sh_exit(int status)
{
    volatile uint32_t block[2] = { SH_ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status };
    for (;;)
        sh_call(SH_SYS_EXIT_EXTENDED, (uint32_t)block);
}

/* ---- buffered formatting ------------------------------------------------ */
struct sh_buf {
    char b[129];
    unsigned n;
};

static void buf_flush(struct sh_buf *o)
{
    if (o->n) {
        o->b[o->n] = 0;
        sh_write0(o->b);
        o->n = 0;
    }
}

static void buf_putc(struct sh_buf *o, char c)
{
    if (o->n == sizeof o->b - 1)
        buf_flush(o);
    o->b[o->n++] = c;
}

static void buf_puts(struct sh_buf *o, const char *s)
{
    while (*s)
        buf_putc(o, *s++);
}

static void buf_dec(struct sh_buf *o, uint32_t v)
{
    char t[11];
    int i = 0;
    do {
        t[i++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (i)
        buf_putc(o, t[--i]);
}

static void buf_hex8(struct sh_buf *o, uint32_t v)
{
    for (int s = 28; s >= 0; s -= 4)
        buf_putc(o, "0123456789abcdef"[(v >> s) & 0xFu]);
}

void sh_put_dec(uint32_t v)
{
    struct sh_buf o;
    o.n = 0;
    buf_dec(&o, v);
    buf_flush(&o);
}

void sh_put_int(int32_t v)
{
    struct sh_buf o;
    o.n = 0;
    if (v < 0) {
        buf_putc(&o, '-');
        buf_dec(&o, 0u - (uint32_t)v);
    } else {
        buf_dec(&o, (uint32_t)v);
    }
    buf_flush(&o);
}

void sh_put_hex(uint32_t v)
{
    struct sh_buf o;
    o.n = 0;
    buf_puts(&o, "0x");
    buf_hex8(&o, v);
    buf_flush(&o);
}

void sh_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sh_vprintf(fmt, ap);
    va_end(ap);
}

void sh_vprintf(const char *fmt, va_list ap)
{
    struct sh_buf o;
    o.n = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            buf_putc(&o, *fmt);
            continue;
        }
        switch (*++fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            buf_puts(&o, s ? s : "(null)");
            break;
        }
        case 'c':
            buf_putc(&o, (char)va_arg(ap, int));
            break;
        case 'd':
        case 'i': {
            int v = va_arg(ap, int);
            if (v < 0) {
                buf_putc(&o, '-');
                buf_dec(&o, 0u - (uint32_t)v);
            } else {
                buf_dec(&o, (uint32_t)v);
            }
            break;
        }
        case 'u':
            buf_dec(&o, va_arg(ap, unsigned));
            break;
        case 'x':
            buf_hex8(&o, va_arg(ap, unsigned));
            break;
        case '%':
            buf_putc(&o, '%');
            break;
        case 0:
            fmt--;
            break;
        default:
            buf_putc(&o, '%');
            buf_putc(&o, *fmt);
            break;
        }
    }
    buf_flush(&o);
}
