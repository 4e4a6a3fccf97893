/*
 * printf.c — the formatter behind printf/snprintf/vsnprintf and the console
 * output functions.  Output goes through a sink: a bounded string buffer, or
 * a 64-byte staging buffer flushed to the console driver (one RO allow +
 * command + yield-wait-for per flush; see console.c).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "console.h"

struct sink {
    char *buf;                  /* string sink, or the console staging buffer */
    size_t cap, len;            /* len counts what fits in buf */
    size_t total;               /* everything produced (the return value) */
    bool console;
};

static void flush(struct sink *s)
{
    if (s->console && s->len > 0) {
        console_write((const uint8_t *)s->buf, (uint32_t)s->len, NULL);
        s->len = 0;
    }
}

static void out(struct sink *s, char c)
{
    s->total++;
    if (s->console) {
        if (s->len == s->cap)
            flush(s);
        s->buf[s->len++] = c;
    } else if (s->len + 1 < s->cap) {
        s->buf[s->len++] = c;
    }
}

static void pad(struct sink *s, char c, int n)
{
    while (n-- > 0)
        out(s, c);
}

#define F_LEFT 1
#define F_ZERO 2
#define F_PLUS 4
#define F_SPACE 8
#define F_ALT 16

static void number(struct sink *s, unsigned long long v, bool neg, unsigned base, bool upper,
                   int flags, int width, int prec)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    if (base == 10 && v <= 0xffffffffu) {
        uint32_t w = (uint32_t)v;       /* keep common cases off the 64-bit divide */
        do {
            tmp[n++] = digits[w % 10];
            w /= 10;
        } while (w != 0);
    } else if (base == 10) {
        do {
            tmp[n++] = digits[v % 10];
            v /= 10;
        } while (v != 0);
    } else {
        unsigned shift = base == 16 ? 4 : 3;
        do {
            tmp[n++] = digits[v & (base - 1)];
            v >>= shift;
        } while (v != 0);
    }
    if (prec == 0 && n == 1 && tmp[0] == '0')
        n = 0;                  /* "%.0d" of 0 prints nothing */
    char sign = neg ? '-' : (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;
    const char *prefix = "";
    if ((flags & F_ALT) && base == 16 && !(n == 1 && tmp[0] == '0') && n > 0)
        prefix = upper ? "0X" : "0x";
    else if ((flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0'))
        prefix = "0";
    int plen = (int)strlen(prefix) + (sign != 0);
    int zeros = prec > n ? prec - n : 0;
    int len = plen + zeros + n;
    if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT) && width > len) {
        zeros += width - len;
        len = width;
    }
    if (!(flags & F_LEFT))
        pad(s, ' ', width - len);
    if (sign)
        out(s, sign);
    for (const char *p = prefix; *p; p++)
        out(s, *p);
    pad(s, '0', zeros);
    while (n > 0)
        out(s, tmp[--n]);
    if (flags & F_LEFT)
        pad(s, ' ', width - len);
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out(s, *fmt);
            continue;
        }
        fmt++;
        int flags = 0, width = 0, prec = -1, lng = 0;
        for (;; fmt++) {
            if (*fmt == '-') flags |= F_LEFT;
            else if (*fmt == '0') flags |= F_ZERO;
            else if (*fmt == '+') flags |= F_PLUS;
            else if (*fmt == ' ') flags |= F_SPACE;
            else if (*fmt == '#') flags |= F_ALT;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        /* length: hh/h read as int; l = 32 bit here; ll = 64 bit; z/t = 32 bit */
        for (;; fmt++) {
            if (*fmt == 'l') lng++;
            else if (*fmt == 'h' || *fmt == 'z' || *fmt == 't' || *fmt == 'j') {
                if (*fmt == 'j') lng = 2;
            } else break;
        }
        char c = *fmt;
        if (c == '\0')
            break;
        switch (c) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : lng == 1 ? va_arg(ap, long)
                                                                      : va_arg(ap, int);
            unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            number(s, u, v < 0, 10, false, flags, width, prec);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                 : lng == 1 ? va_arg(ap, unsigned long)
                                            : va_arg(ap, unsigned int);
            unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
            number(s, v, false, base, c == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            number(s, v, false, 16, false, F_ALT | (flags & F_LEFT), width, prec);
            break;
        }
        case 'c': {
            char ch = (char)va_arg(ap, int);
            if (!(flags & F_LEFT))
                pad(s, ' ', width - 1);
            out(s, ch);
            if (flags & F_LEFT)
                pad(s, ' ', width - 1);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            if (str == NULL)
                str = "(null)";
            int n = (int)(prec >= 0 ? strnlen(str, (size_t)prec) : strlen(str));
            if (!(flags & F_LEFT))
                pad(s, ' ', width - n);
            for (int i = 0; i < n; i++)
                out(s, str[i]);
            if (flags & F_LEFT)
                pad(s, ' ', width - n);
            break;
        }
        case '%':
            out(s, '%');
            break;
        default:                /* unknown conversion: print it as is */
            out(s, '%');
            out(s, c);
            break;
        }
    }
}

int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt, va_list ap)
{
    struct sink s = {buf, n, 0, 0, false};
    format(&s, fmt, ap);
    if (n > 0)
        buf[s.len] = '\0';
    return (int)s.total;
}

int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, 0x7fffffff, fmt, ap);
    va_end(ap);
    return r;
}

int vprintf(const char *restrict fmt, va_list ap)
{
    char stage[64];
    struct sink s = {stage, sizeof stage, 0, 0, true};
    format(&s, fmt, ap);
    flush(&s);
    return (int)s.total;
}

int printf(const char *restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vprintf(fmt, ap);
    va_end(ap);
    return r;
}

int fputs_console(const char *str)
{
    uint32_t n = (uint32_t)strlen(str);
    return console_write((const uint8_t *)str, n, NULL) == RETURNCODE_SUCCESS ? (int)n : EOF;
}

int puts(const char *str)
{
    if (fputs_console(str) == EOF)
        return EOF;
    return putchar('\n') == EOF ? EOF : 1;
}

int putchar(int c)
{
    uint8_t ch = (uint8_t)c;
    return console_write(&ch, 1, NULL) == RETURNCODE_SUCCESS ? ch : EOF;
}

void __libtock_assert_fail(const char *expr, const char *file, int line, const char *func)
{
    printf("assertion \"%s\" failed: file \"%s\", line %d, function %s\n", expr, file, line, func);
    tock_exit(1);
}
