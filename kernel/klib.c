/*
 * klib.c — memcpy/memmove/memset/memcmp for the freestanding kernel (there
 * is no libc on the target).  Byte loops: the kernel copies little.  Loop
 * pattern distribution is off so GCC cannot turn these back into calls to
 * themselves.  Not built for the host tests (the C library provides them).
 */
#ifndef KERNEL_HOST_TEST
#include "kernel/klib.h"

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
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
