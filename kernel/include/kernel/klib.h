/*
 * klib.h — the few C library functions the freestanding kernel needs
 * (GCC may also emit calls to memcpy/memset for struct copies).  Defined in
 * kernel/klib.c for the target; the host unit tests use the C library's.
 */
#ifndef KERNEL_KLIB_H
#define KERNEL_KLIB_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
