/* stdlib.h — libtock's small C library (see docs/userspace.md). */
#ifndef LIBTOCK_LIBC_STDLIB_H
#define LIBTOCK_LIBC_STDLIB_H
#include <stddef.h>
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
/* heap on memop 1 (sbrk); 8-byte aligned blocks, first fit, coalescing */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
int atoi(const char *s);
long atol(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
int abs(int x);
long labs(long x);
/* exit(status) = Tock exit-terminate (svc 6, r0 = 0) with that completion code */
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void abort(void);
#endif
