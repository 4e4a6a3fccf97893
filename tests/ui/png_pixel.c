/*
 * png_pixel.c — a tiny PNG reader for the window tests: reads the PNGs that
 * sim/png_write.c writes (8-bit RGB, zlib stream of stored deflate blocks,
 * filter 0 on every row) and prints "W H" and then "R G B" for each X,Y
 * argument.  Anything else (compressed blocks, other colour types, bad
 * CRCs are not checked) is refused with exit status 1.
 *   usage: png_pixel FILE.png [X,Y ...]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct image {
    uint32_t w, h;
    uint8_t *idat;              /* concatenated IDAT payloads */
    size_t idat_len;
    uint8_t *raw;               /* inflated scanlines */
    size_t raw_len;
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int fail(const char *msg)
{
    fprintf(stderr, "png_pixel: %s\n", msg);
    return -1;
}

static int read_chunks(const uint8_t *f, size_t n, struct image *im)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    if (n < 8 || memcmp(f, sig, 8) != 0)
        return fail("not a PNG");
    for (size_t o = 8; o + 12 <= n;) {
        uint32_t len = be32(f + o);
        const uint8_t *type = f + o + 4, *data = f + o + 8;
        if (o + 12 + len > n)
            return fail("truncated chunk");
        if (memcmp(type, "IHDR", 4) == 0) {
            im->w = be32(data);
            im->h = be32(data + 4);
            if (data[8] != 8 || data[9] != 2 || data[12] != 0)
                return fail("not 8-bit RGB, non-interlaced");
        } else if (memcmp(type, "IDAT", 4) == 0) {
            im->idat = realloc(im->idat, im->idat_len + len);
            memcpy(im->idat + im->idat_len, data, len);
            im->idat_len += len;
        } else if (memcmp(type, "IEND", 4) == 0) {
            return im->w && im->idat_len ? 0 : fail("no IHDR or IDAT");
        }
        o += 12 + len;
    }
    return fail("no IEND");
}

static int inflate_stored(struct image *im)
{
    size_t o = 2, want = (size_t)(im->w * 3 + 1) * im->h;
    im->raw = malloc(want);
    for (int last = 0; !last;) {
        if (o + 5 > im->idat_len)
            return fail("truncated deflate stream");
        uint8_t hdr = im->idat[o];
        uint32_t len = im->idat[o + 1] | (uint32_t)im->idat[o + 2] << 8;
        uint32_t nlen = im->idat[o + 3] | (uint32_t)im->idat[o + 4] << 8;
        if ((hdr & 6) != 0 || (len ^ nlen) != 0xFFFF || o + 5 + len > im->idat_len || im->raw_len + len > want)
            return fail("not a stored deflate block (only png_write.c output is read)");
        last = hdr & 1;
        memcpy(im->raw + im->raw_len, im->idat + o + 5, len);
        im->raw_len += len;
        o += 5 + len;
    }
    return im->raw_len == want ? 0 : fail("wrong amount of image data");
}

static int print_pixel(const struct image *im, const char *arg)
{
    unsigned x, y;
    if (sscanf(arg, "%u,%u", &x, &y) != 2 || x >= im->w || y >= im->h)
        return fail("bad X,Y or outside the image");
    const uint8_t *row = im->raw + (size_t)y * (im->w * 3 + 1);
    if (row[0] != 0)
        return fail("filtered row (only filter 0 is read)");
    printf("%u %u %u\n", row[1 + x * 3], row[2 + x * 3], row[3 + x * 3]);
    return 0;
}

int main(int argc, char **argv)
{
    struct image im = { 0 };
    FILE *f = argc >= 2 ? fopen(argv[1], "rb") : NULL;
    if (!f)
        return fail("usage: png_pixel FILE.png [X,Y ...]") ? 1 : 1;
    static uint8_t buf[1 << 25];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (read_chunks(buf, n, &im) != 0 || inflate_stored(&im) != 0)
        return 1;
    printf("%u %u\n", im.w, im.h);
    for (int i = 2; i < argc; i++)
        if (print_pixel(&im, argv[i]) != 0)
            return 1;
    free(im.idat);
    free(im.raw);
    return 0;
}
