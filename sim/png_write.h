/*
 * png_write.h — a small PNG writer for the window's screenshots: 8-bit RGB,
 * no filtering, the image data in stored (uncompressed) deflate blocks, so
 * no zlib is needed and any PNG reader (and tests/ui/png_pixel.c) reads it.
 */
#ifndef HAILSIM_PNG_WRITE_H
#define HAILSIM_PNG_WRITE_H

#include <stddef.h>
#include <stdint.h>

/* Writes w x h pixels of 3 bytes (R, G, B), rows `stride` bytes apart.
 * Returns 0, or -1 with "FILE: reason" in err. */
int png_write_rgb(const char *path, const uint8_t *rgb, int w, int h, size_t stride,
                  char *err, size_t errlen);

#endif
