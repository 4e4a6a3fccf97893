/*
 * png_write.c — PNG writer with stored deflate blocks (see png_write.h).
 * Layout: signature, IHDR, one IDAT holding a zlib stream (header 78 01,
 * stored blocks of at most 65535 bytes, Adler-32), IEND; every chunk with
 * its CRC-32.  The whole file is assembled in memory, then written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_write.h"

#define STORED_MAX 65535u

struct buf {
    uint8_t *p;
    size_t len;
};

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void put8(struct buf *b, uint8_t v)
{
    b->p[b->len++] = v;
}

static void put32(struct buf *b, uint32_t v)
{
    for (int s = 24; s >= 0; s -= 8)
        put8(b, (uint8_t)(v >> s));
}

static void put_bytes(struct buf *b, const void *src, size_t n)
{
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

/* Closes the chunk whose length field is at `start`: length and CRC. */
static void end_chunk(struct buf *b, size_t start)
{
    uint32_t n = (uint32_t)(b->len - start - 8);
    for (int i = 0; i < 4; i++)
        b->p[start + (size_t)i] = (uint8_t)(n >> (24 - 8 * i));
    put32(b, crc32_update(0, b->p + start + 4, n + 4));
}

static size_t begin_chunk(struct buf *b, const char *type)
{
    size_t start = b->len;
    put32(b, 0);
    put_bytes(b, type, 4);
    return start;
}

static void put_ihdr(struct buf *b, int w, int h)
{
    size_t c = begin_chunk(b, "IHDR");
    put32(b, (uint32_t)w);
    put32(b, (uint32_t)h);
    static const uint8_t rest[5] = { 8, 2, 0, 0, 0 };  /* 8 bits, RGB, deflate, no filter set, no interlace */
    put_bytes(b, rest, sizeof rest);
    end_chunk(b, c);
}

struct adler { uint32_t a, b; };

static void adler_update(struct adler *s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        s->a = (s->a + p[i]) % 65521u;
        s->b = (s->b + s->a) % 65521u;
    }
}

/* The raw scanlines (filter byte 0 before each row) as a zlib stream of stored blocks. */
static void put_idat(struct buf *b, const uint8_t *raw, size_t rawlen)
{
    size_t c = begin_chunk(b, "IDAT");
    struct adler ad = { 1, 0 };
    put8(b, 0x78);
    put8(b, 0x01);
    size_t done = 0;
    do {
        size_t n = rawlen - done > STORED_MAX ? STORED_MAX : rawlen - done;
        put8(b, done + n == rawlen ? 1 : 0);
        put8(b, (uint8_t)n);
        put8(b, (uint8_t)(n >> 8));
        put8(b, (uint8_t)~n);
        put8(b, (uint8_t)(~n >> 8));
        put_bytes(b, raw + done, n);
        adler_update(&ad, raw + done, n);
        done += n;
    } while (done < rawlen);
    put32(b, ad.b << 16 | ad.a);
    end_chunk(b, c);
}

static uint8_t *raw_rows(const uint8_t *rgb, int w, int h, size_t stride, size_t *len)
{
    size_t row = (size_t)w * 3 + 1;
    uint8_t *raw = malloc(row * (size_t)h);
    if (!raw)
        return NULL;
    for (int y = 0; y < h; y++) {
        raw[row * (size_t)y] = 0;
        memcpy(raw + row * (size_t)y + 1, rgb + stride * (size_t)y, row - 1);
    }
    *len = row * (size_t)h;
    return raw;
}

static int write_file(const char *path, const struct buf *b, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fwrite(b->p, 1, b->len, f);
    if (fclose(f) != 0 || n != b->len) {
        snprintf(err, errlen, "%s: write error", path);
        return -1;
    }
    return 0;
}

int png_write_rgb(const char *path, const uint8_t *rgb, int w, int h, size_t stride,
                  char *err, size_t errlen)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    size_t rawlen = 0;
    uint8_t *raw = w > 0 && h > 0 ? raw_rows(rgb, w, h, stride, &rawlen) : NULL;
    size_t cap = rawlen + (rawlen / STORED_MAX + 1) * 5 + 128;
    struct buf b = { raw ? malloc(cap) : NULL, 0 };
    if (!b.p) {
        snprintf(err, errlen, "%s: %s", path, raw ? "out of memory" : "empty image");
        free(raw);
        return -1;
    }
    put_bytes(&b, sig, sizeof sig);
    put_ihdr(&b, w, h);
    put_idat(&b, raw, rawlen);
    end_chunk(&b, begin_chunk(&b, "IEND"));
    int r = write_file(path, &b, err, errlen);
    free(raw);
    free(b.p);
    return r;
}
