/*
 * klib.c — memcpy/memmove/memset/memcmp for the freestanding kernel (there
 * is no libc on the target).  memcpy and memset move whole words when the
 * addresses allow it (PCB, task and frame copies are word-aligned), bytes
 * otherwise; memmove and memcmp are byte loops (rarely used).  Loop
 * pattern distribution is off so GCC cannot turn these back into calls to
 * themselves.  Not built for the host tests (the C library provides them).
 */
#ifndef KERNEL_HOST_TEST
#include "kernel/klib.h"

#include <stdint.h>

typedef uint32_t __attribute__((may_alias)) kword;   /* a word of any object */

/* `used`: with -flto the compiler's own calls (struct copies) are only
 * emitted after these definitions would otherwise have been dropped */
#define NO_LIBCALL __attribute__((used, optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0) {
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(kword *)(void *)d = *(const kword *)(const void *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

NO_LIBCALL void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    if (((uintptr_t)d & 3u) == 0) {
        uint32_t w = (uint32_t)(unsigned char)c * 0x01010101u;
        for (; n >= 4; n -= 4, d += 4)
            *(kword *)(void *)d = w;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}
#else
typedef int klib_host_empty;    /* ISO C forbids an empty translation unit */
#endif
