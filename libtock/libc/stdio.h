/*
 * stdio.h — libtock's small C library: formatted output to the console.
 * Conversions: %d %i %u %x %X %o %p %s %c %%, flags - 0 + space #, width and
 * precision (also *), length hh h l ll z.  No floating point, no FILE
 * streams, no input functions (use console_read/getch from console.h).
 */
#ifndef LIBTOCK_LIBC_STDIO_H
#define LIBTOCK_LIBC_STDIO_H
#include <stdarg.h>
#include <stddef.h>
#define EOF (-1)
int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int sprintf(char *restrict buf, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *restrict buf, size_t n, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t n, const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int puts(const char *s);
int putchar(int c);
int fputs_console(const char *s);   /* like puts, without the newline */
#endif
