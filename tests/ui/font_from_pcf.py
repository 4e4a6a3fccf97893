#!/usr/bin/env python3
"""font_from_pcf.py — regenerates the glyph table of sim/ui_font.c from an X11
PCF bitmap font (used once with the public-domain misc-fixed 6x13 of Debian's
xfonts-base: python3 tests/ui/font_from_pcf.py /usr/share/fonts/X11/misc/6x13.pcf.gz).
Prints one C initializer line per printable ASCII glyph (32..126): 13 row
bytes, bit 7 = leftmost pixel."""
import gzip
import struct
import sys

METRICS, BITMAPS, ENCODINGS = 4, 8, 32


def tables(data):
    assert data[:4] == b"\x01fcp"
    (count,) = struct.unpack_from("<I", data, 4)
    out = {}
    for i in range(count):
        typ, fmt, size, off = struct.unpack_from("<IIII", data, 8 + 16 * i)
        out[typ] = (fmt, off)
    return out


def endian(fmt):
    return ">" if fmt & 4 else "<"


def metrics(data, off):
    (fmt,) = struct.unpack_from("<I", data, off)
    e = endian(fmt)
    res = []
    if fmt & 0x100:
        (n,) = struct.unpack_from(e + "H", data, off + 4)
        for i in range(n):
            b = data[off + 6 + 5 * i: off + 11 + 5 * i]
            res.append(tuple(x - 0x80 for x in b))
    else:
        (n,) = struct.unpack_from(e + "I", data, off + 4)
        for i in range(n):
            res.append(struct.unpack_from(e + "hhhhh", data, off + 8 + 12 * i))
    return res  # lsb, rsb, width, ascent, descent


def bitmaps(data, off):
    (fmt,) = struct.unpack_from("<I", data, off)
    e = endian(fmt)
    (n,) = struct.unpack_from(e + "I", data, off + 4)
    offs = struct.unpack_from(e + "%dI" % n, data, off + 8)
    base = off + 8 + 4 * n + 16
    return fmt, [base + o for o in offs]


def encodings(data, off):
    (fmt,) = struct.unpack_from("<I", data, off)
    e = endian(fmt)
    min2, max2, min1, max1, _ = struct.unpack_from(e + "hhhhh", data, off + 4)
    cnt = (max2 - min2 + 1) * (max1 - min1 + 1)
    idx = struct.unpack_from(e + "%dH" % cnt, data, off + 14)
    return lambda c: idx[c - min2] if min1 == 0 and min2 <= c <= max2 else 0xFFFF


def glyph_rows(data, bfmt, boff, m, ascent, height):
    lsb, rsb, _w, asc, desc = m
    pad = 1 << (bfmt & 3)
    msbit = bool(bfmt & 8)
    width = rsb - lsb
    stride = ((width + 7) // 8 + pad - 1) // pad * pad
    rows = [0] * height
    for y in range(asc + desc):
        line = data[boff + y * stride: boff + (y + 1) * stride]
        for x in range(width):
            byte = line[x // 8]
            bit = (byte >> (7 - x % 8)) & 1 if msbit else (byte >> (x % 8)) & 1
            cy = ascent - asc + y
            cx = lsb + x
            if bit and 0 <= cy < height and 0 <= cx < 8:
                rows[cy] |= 0x80 >> cx
    return rows


def main():
    data = gzip.open(sys.argv[1]).read()
    t = tables(data)
    ms = metrics(data, t[METRICS][1])
    bfmt, boffs = bitmaps(data, t[BITMAPS][1])
    enc = encodings(data, t[ENCODINGS][1])
    ascent, height = 11, 13
    for c in range(32, 127):
        g = enc(c)
        rows = glyph_rows(data, bfmt, boffs[g], ms[g], ascent, height)
        body = ", ".join("0x%02X" % r for r in rows)
        print("    { %s },   /* %s */" % (body, repr(chr(c)).replace("*/", "* /")))


main()
