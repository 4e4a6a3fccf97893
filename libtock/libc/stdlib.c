/*
 * stdlib.c — heap (on Tock's memop 1 = sbrk), number parsing, exit.
 *
 * The heap is an implicit list of blocks from the first sbrk'ed address to
 * the current break: each block starts with an 8-byte header {size incl.
 * header | used bit, magic}.  malloc is first fit with splitting and merges
 * free neighbours as it walks; when nothing fits it grows the break.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tock.h"

#define HDR 8u
#define USED 1u
#define MAGIC 0x4b4f4354u       /* "TOCK" */

struct block {
    uint32_t size_used;
    uint32_t magic;
};

static uint8_t *heap_start, *heap_end;

static uint32_t bsize(const struct block *b) { return b->size_used & ~USED; }

static struct block *next_block(struct block *b)
{
    return (struct block *)(void *)((uint8_t *)b + bsize(b));
}

static int grow(uint32_t need)
{
    if (heap_start == NULL) {
        uint8_t *cur = sbrk_tock(0);
        if (cur == (void *)-1)
            return -1;
        uint32_t pad = (uint32_t)(-(uintptr_t)cur) & 7u;
        if (pad != 0 && sbrk_tock((int)pad) == (void *)-1)
            return -1;
        heap_start = heap_end = cur + pad;
    }
    if (sbrk_tock((int)need) == (void *)-1)
        return -1;
    struct block *b = (struct block *)(void *)heap_end;
    b->size_used = need;
    b->magic = MAGIC;
    heap_end += need;
    return 0;
}

void *malloc(size_t n)
{
    if (n == 0 || n > 0x7fffffffu - 2 * HDR)
        return NULL;
    uint32_t need = ((uint32_t)n + HDR + 7u) & ~7u;
    for (;;) {
        struct block *last_free = NULL;
        for (uint8_t *p = heap_start; p != NULL && p < heap_end;) {
            struct block *b = (struct block *)(void *)p;
            if (!(b->size_used & USED)) {
                /* merge following free blocks */
                struct block *nb;
                while ((uint8_t *)(nb = next_block(b)) < heap_end && !(nb->size_used & USED))
                    b->size_used += bsize(nb);
                if (bsize(b) >= need) {
                    uint32_t rest = bsize(b) - need;
                    if (rest >= HDR + 8) {
                        struct block *r = (struct block *)(void *)((uint8_t *)b + need);
                        r->size_used = rest;
                        r->magic = MAGIC;
                        b->size_used = need;
                    }
                    b->size_used |= USED;
                    return (uint8_t *)b + HDR;
                }
                last_free = (uint8_t *)next_block(b) == heap_end ? b : NULL;
            }
            p = (uint8_t *)next_block(b);
        }
        /* extend the last free block, or add a new one */
        uint32_t more = last_free != NULL ? need - bsize(last_free) : need;
        if (last_free != NULL) {
            if (sbrk_tock((int)more) == (void *)-1)
                return NULL;
            last_free->size_used += more;
            heap_end += more;
        } else if (grow(need) != 0) {
            return NULL;
        }
    }
}

void free(void *p)
{
    if (p == NULL)
        return;
    struct block *b = (struct block *)(void *)((uint8_t *)p - HDR);
    if (b->magic != MAGIC || !(b->size_used & USED))
        abort();                /* double free or a pointer malloc never returned */
    b->size_used &= ~USED;
}

void *calloc(size_t n, size_t size)
{
    if (size != 0 && n > 0xffffffffu / size)
        return NULL;
    void *p = malloc(n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

void *realloc(void *p, size_t n)
{
    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    struct block *b = (struct block *)(void *)((uint8_t *)p - HDR);
    uint32_t have = bsize(b) - HDR;
    if (n <= have)
        return p;
    void *q = malloc(n);
    if (q == NULL)
        return NULL;
    memcpy(q, p, have);
    free(p);
    return q;
}

/* ---- numbers ---- */

static int digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 32;
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    return 99;
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    const char *p = s;
    int neg = 0;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' && digit(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    unsigned long v = 0;
    const char *start = p;
    int overflow = 0;
    for (int d; (d = digit(*p)) < base; p++) {
        if (v > (0xffffffffUL - (unsigned long)d) / (unsigned long)base)
            overflow = 1;
        v = v * (unsigned long)base + (unsigned long)d;
    }
    if (end != NULL)
        *end = (char *)(uintptr_t)(p == start ? s : p);
    if (overflow)
        return 0xffffffffUL;
    return neg ? -v : v;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    const char *p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    int neg = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    char *e;
    unsigned long u = strtoul(p, &e, base);
    if (e == p) {
        if (end != NULL)
            *end = (char *)(uintptr_t)s;
        return 0;
    }
    if (end != NULL)
        *end = e;
    if (neg)
        return u > 0x80000000UL ? (long)0x80000000UL : -(long)u;
    return u > 0x7fffffffUL ? 0x7fffffffL : (long)u;
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }

void exit(int status)
{
    tock_exit((uint32_t)status);
}

void abort(void)
{
    tock_exit(1);
}
