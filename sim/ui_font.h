/*
 * ui_font.h — a built-in fixed-width bitmap font for the window (ui_sdl.c):
 * printable ASCII, UI_FONT_W x UI_FONT_H pixels a character, one byte a row
 * with bit 7 the leftmost pixel.  Other bytes are drawn as '?'.
 */
#ifndef HAILSIM_UI_FONT_H
#define HAILSIM_UI_FONT_H

#include <stdint.h>

#define UI_FONT_W 6
#define UI_FONT_H 13

/* The UI_FONT_H row bytes of character c. */
const uint8_t *ui_font_glyph(unsigned char c);

#endif
