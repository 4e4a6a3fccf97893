/*
 * tbf_write.c — ELF → TBF conversion and TBF header decoding (see
 * tbf_write.h).  Everything read from the ELF is bounds-checked against the
 * file buffer; errors name the file, what is wrong and what was expected.
 */
#include "tbf_write.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SHT_NOBITS 8u
#define SHT_REL 9u
#define SHF_WRITE 0x1u
#define SHF_ALLOC 0x2u
#define PF_X 1u
#define PF_W 2u

#define MAX_SEGMENT_GAP (1u << 20)      /* a larger hole between segments is a link error */
#define MAX_TBF_SIZE (1u << 30)

/* ---- small helpers --------------------------------------------------------- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        int n = snprintf(err, errlen, "%s: ", name != NULL ? name : "(input)");
        if (n >= 0 && (size_t)n < errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= (uint64_t)len && size <= (uint64_t)len - off;
}

void tbf_options_default(struct tbf_options *o)
{
    memset(o, 0, sizeof *o);
    o->app_heap = 1024;
    o->kernel_heap = 1024;
    o->kernel_major = 2;
    o->kernel_minor = 2;
}

uint32_t tbf_checksum(const uint8_t *hdr, size_t header_size)
{
    uint32_t x = 0;
    for (size_t off = 0; off < header_size; off += 4) {
        uint8_t w[4] = {0, 0, 0, 0};
        size_t n = header_size - off < 4 ? header_size - off : 4;
        memcpy(w, hdr + off, n);
        if (off != 12)
            x ^= rd32(w);
    }
    return x;
}

/* ---- section headers (elf_load.c only decodes segments and symbols) -------- */

struct sect {
    const char *name;           /* NUL-terminated inside .shstrtab, or "" */
    uint32_t type, flags, addr, offset, size;
};

struct sections {
    int n;
    struct sect *s;
};

static int read_sections(const struct elf_image *img, struct sections *out, char *err,
                         size_t errlen)
{
    const uint8_t *d = img->file;
    size_t len = img->file_size;
    const char *name = img->path;
    out->n = 0;
    out->s = NULL;
    uint32_t shoff = rd32(d + 32);
    uint16_t shentsize = rd16(d + 46);
    uint32_t shnum = rd16(d + 48);
    uint32_t shstrndx = rd16(d + 50);
    if (shoff == 0)
        return 0;               /* no section headers: no relocations, no .stack */
    if (shentsize != 40)
        return fail(err, errlen, name, "e_shentsize %u; expected 40", shentsize);
    if (shnum == 0) {
        if (!in_file(shoff, 40, len))
            return fail(err, errlen, name, "truncated: section header table at 0x%x", shoff);
        shnum = rd32(d + shoff + 20);
    }
    if (!in_file(shoff, (uint64_t)shnum * 40, len))
        return fail(err, errlen, name,
                    "truncated: %u section headers at offset 0x%x extend past end of file (size %zu)",
                    shnum, shoff, len);
    if (shstrndx == 0xffff)
        shstrndx = rd32(d + shoff + 24);
    const uint8_t *strs = NULL;
    uint32_t strsize = 0;
    if (shstrndx != 0 && shstrndx < shnum) {
        const uint8_t *sh = d + shoff + (uint64_t)shstrndx * 40;
        uint32_t o = rd32(sh + 16), sz = rd32(sh + 20);
        if (!in_file(o, sz, len))
            return fail(err, errlen, name,
                        "section name table (section %u) at 0x%x size 0x%x extends past end of "
                        "file (size %zu)",
                        shstrndx, o, sz, len);
        strs = d + o;
        strsize = sz;
    }
    out->s = calloc(shnum > 0 ? shnum : 1, sizeof *out->s);
    if (out->s == NULL)
        return fail(err, errlen, name, "out of memory");
    for (uint32_t i = 0; i < shnum; i++) {
        const uint8_t *sh = d + shoff + (uint64_t)i * 40;
        struct sect *s = &out->s[i];
        uint32_t nm = rd32(sh + 0);
        s->name = "";
        if (strs != NULL && nm < strsize && memchr(strs + nm, 0, strsize - nm) != NULL)
            s->name = (const char *)(strs + nm);
        s->type = rd32(sh + 4);
        s->flags = rd32(sh + 8);
        s->addr = rd32(sh + 12);
        s->offset = rd32(sh + 16);
        s->size = rd32(sh + 20);
    }
    out->n = (int)shnum;
    return 0;
}

static const struct sect *find_section(const struct sections *ss, const char *name)
{
    for (int i = 0; i < ss->n; i++)
        if (strcmp(ss->s[i].name, name) == 0)
            return &ss->s[i];
    return NULL;
}

/* like pyelftools/elf2tab section_in_segment (strict) for PT_LOAD */
static bool section_in_segment(const struct sect *s, const struct elf_segment *g, uint32_t p_offset)
{
    if (!(s->flags & SHF_ALLOC) || s->size == 0)
        return false;
    uint64_t va = g->vaddr;
    if (!(s->addr >= va && (uint64_t)s->addr - va + s->size <= g->memsz &&
          (uint64_t)s->addr - va <= (uint64_t)g->memsz - 1))
        return false;
    if (s->type == SHT_NOBITS)
        return true;
    if (g->filesz == 0)
        return false;
    return s->offset >= p_offset && (uint64_t)s->offset - p_offset + s->size <= g->filesz &&
           (uint64_t)s->offset - p_offset <= (uint64_t)g->filesz - 1;
}

/* ---- conversion ---------------------------------------------------------- */

struct buf {
    uint8_t *p;
    size_t len, cap;
};

static int buf_put(struct buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (q == NULL)
            return -1;
        b->p = q;
        b->cap = cap;
    }
    if (data != NULL)
        memcpy(b->p + b->len, data, n);
    else
        memset(b->p + b->len, 0, n);
    b->len += n;
    return 0;
}

static size_t tlv(uint8_t *h, size_t pos, uint16_t type, uint16_t len)
{
    wr16(h + pos, type);
    wr16(h + pos + 2, len);
    return pos + 4;
}

int tbf_from_elf(const struct elf_image *img, const struct tbf_options *opt, uint8_t **out,
                 size_t *out_len, struct tbf_result *res, char *err, size_t errlen)
{
    struct tbf_options defaults;
    struct tbf_result r;
    struct sections ss = {0, NULL};
    struct buf bin = {NULL, 0, 0}, rel = {NULL, 0, 0};
    const char *name = img != NULL ? img->path : "(null)";
    int rc = -1;

    memset(&r, 0, sizeof r);
    if (out == NULL || out_len == NULL || img == NULL || img->file == NULL)
        return fail(err, errlen, name, "internal error: no image or output");
    *out = NULL;
    *out_len = 0;
    if (opt == NULL) {
        tbf_options_default(&defaults);
        opt = &defaults;
    }
    const char *pkg = opt->package_name != NULL ? opt->package_name : "";
    size_t pkglen = strlen(pkg);
    if (pkglen > TBF_MAX_NAME)
        return fail(err, errlen, name, "package name is %zu bytes; expected at most %d", pkglen,
                    TBF_MAX_NAME);
    if (read_sections(img, &ss, err, errlen) != 0)
        return -1;

    /* stack: option > .stack section > 2048 */
    const struct sect *stack_sec = find_section(&ss, ".stack");
    r.stack = opt->stack_set ? opt->stack : stack_sec != NULL ? stack_sec->size : 2048;

    /* minimum RAM: writable segments loaded from flash but living in RAM */
    uint64_t ram = 0;
    for (int i = 0; i < img->nsegs; i++) {
        const struct elf_segment *g = &img->segs[i];
        if ((g->flags & PF_W) && g->vaddr != g->paddr)
            ram += g->memsz;
    }
    ram += align_up(r.stack, 8) + align_up(opt->app_heap, 4) + align_up(opt->kernel_heap, 4);
    if (ram > 0xffffffffull) {
        fail(err, errlen, name, "minimum RAM size %llu overflows 32 bits; expected smaller "
             "--stack/--app-heap/--kernel-heap", (unsigned long long)ram);
        goto out;
    }
    r.minimum_ram_size = (uint32_t)ram;

    /* PIC: the executable segment is linked at the sentinel 0x80000000 */
    int have_x = 0;
    uint32_t fixed_flash = 0xffffffffu;
    for (int i = 0; i < img->nsegs; i++) {
        const struct elf_segment *g = &img->segs[i];
        if (g->filesz == 0 || !(g->flags & PF_X))
            continue;
        have_x = 1;
        if (g->vaddr == TBF_PIC_FLASH_ORIGIN)
            r.pic = 1;
        else if (g->paddr < fixed_flash)
            fixed_flash = g->paddr;
    }
    if (!have_x) {
        fail(err, errlen, name, "no executable PT_LOAD segment with file data; expected the "
             "app's code (flags PF_X, p_filesz > 0)");
        goto out;
    }
    uint32_t sram_origin = 0;
    int fixed_ram = elf_find_symbol(img, "_sram_origin", &sram_origin) == 0 &&
                    sram_origin != TBF_PIC_SRAM_ORIGIN;
    int fixed = !r.pic || fixed_ram;

    /* header layout: base, Main, Program, PackageName, [Fixed], KernelVersion */
    uint32_t hlen = 16 + 4 + 12 + 4 + 20;
    if (pkglen > 0)
        hlen += 4 + (uint32_t)align_up(pkglen, 4);
    if (fixed)
        hlen += 4 + 8;
    hlen += 4 + 4;
    r.header_size = hlen;

    /* protected region: symbol > option > default */
    uint32_t prot;
    uint32_t sym_prot = 0;
    if (elf_find_symbol(img, "tbf_protected_region_size", &sym_prot) == 0)
        prot = sym_prot;
    else if (opt->protected_set)
        prot = opt->protected_size;
    else if (r.pic)
        prot = hlen;
    else
        prot = fixed_flash - (fixed_flash & ~0xffu);
    if (prot < hlen) {
        fail(err, errlen, name, "protected region size %u is too small for the TBF header; "
             "expected at least %u bytes", prot, hlen);
        goto out;
    }
    if (prot > MAX_TBF_SIZE) {
        fail(err, errlen, name, "protected region size %u is too large; expected at most %u",
             prot, MAX_TBF_SIZE);
        goto out;
    }
    r.protected_trailer = prot - hlen;

    /* the binary: segments with file data in p_paddr order, gaps zero-filled */
    uint64_t pos = prot;
    int have_entry = 0, have_prev = 0;
    uint64_t prev_end = 0;
    for (int i = 0; i < img->nsegs; i++) {
        const struct elf_segment *g = &img->segs[i];
        if (g->filesz == 0)
            continue;
        if (have_prev) {
            uint64_t gap = g->paddr - prev_end;   /* sorted and non-overlapping: >= 0 */
            if (gap > MAX_SEGMENT_GAP) {
                fail(err, errlen, name, "gap of 0x%llx bytes between loadable segments before "
                     "p_paddr 0x%08x; expected at most 0x%x (is the linker script right?)",
                     (unsigned long long)gap, g->paddr, MAX_SEGMENT_GAP);
                goto out;
            }
            if (buf_put(&bin, NULL, (size_t)gap) != 0)
                goto oom;
            pos += gap;
        }
        if (img->entry >= g->paddr && (uint64_t)img->entry < (uint64_t)g->paddr + g->filesz) {
            if (have_entry && !opt->disabled) {
                fail(err, errlen, name, "entry point 0x%08x lies in two loadable segments; "
                     "expected exactly one", img->entry);
                goto out;
            }
            if (!have_entry)
                r.init_fn_offset = (uint32_t)(pos + (img->entry - g->paddr) - hlen);
            have_entry = 1;
        }
        /* relocations of the writable sections inside this segment */
        uint32_t p_offset = (uint32_t)(g->data - img->file);
        for (int k = 0; k < ss.n; k++) {
            const struct sect *s = &ss.s[k];
            if (!(s->flags & SHF_WRITE) || !section_in_segment(s, g, p_offset))
                continue;
            char rname[256];
            if (snprintf(rname, sizeof rname, ".rel%s", s->name) >= (int)sizeof rname)
                continue;
            const struct sect *rs = find_section(&ss, rname);
            if (rs == NULL || rs->size == 0)
                continue;
            if (rs->type != SHT_REL) {
                fail(err, errlen, name, "section %s has type %u; expected %u (SHT_REL, "
                     "Elf32_Rel entries)", rname, rs->type, SHT_REL);
                goto out;
            }
            if (rs->size % 8 != 0 || !in_file(rs->offset, rs->size, img->file_size)) {
                fail(err, errlen, name, "section %s (offset 0x%x, size 0x%x) is truncated or "
                     "not a multiple of 8 bytes; expected whole Elf32_Rel entries",
                     rname, rs->offset, rs->size);
                goto out;
            }
            if (buf_put(&rel, img->file + rs->offset, rs->size) != 0)
                goto oom;
        }
        if (buf_put(&bin, g->data, g->filesz) != 0)
            goto oom;
        pos += g->filesz;
        prev_end = (uint64_t)g->paddr + g->filesz;
        have_prev = 1;
        if (pos > MAX_TBF_SIZE) {
            fail(err, errlen, name, "binary is larger than %u bytes", MAX_TBF_SIZE);
            goto out;
        }
    }
    if (!have_entry) {
        fail(err, errlen, name, "entry point 0x%08x (e_entry) is not inside any loadable "
             "segment with file data; expected it in the app's code", img->entry);
        goto out;
    }
    r.reloc_offset = (uint32_t)pos;
    r.reloc_size = (uint32_t)rel.len;
    pos += 4 + rel.len;
    r.binary_end_offset = (uint32_t)pos;

    uint64_t total = TBF_MIN_TOTAL_SIZE;
    while (total < pos)
        total <<= 1;
    r.total_size = (uint32_t)total;

    /* assemble */
    uint8_t *t = calloc(1, (size_t)total);
    if (t == NULL)
        goto oom;
    wr16(t + 0, 2);
    wr16(t + 2, (uint16_t)hlen);
    wr32(t + 4, r.total_size);
    wr32(t + 8, opt->disabled ? 0 : TBF_FLAG_ENABLED);
    size_t h = 16;
    h = tlv(t, h, TBF_TLV_MAIN, 12);
    wr32(t + h, r.init_fn_offset);
    wr32(t + h + 4, r.protected_trailer);
    wr32(t + h + 8, r.minimum_ram_size);
    h += 12;
    h = tlv(t, h, TBF_TLV_PROGRAM, 20);
    wr32(t + h, r.init_fn_offset);
    wr32(t + h + 4, r.protected_trailer);
    wr32(t + h + 8, r.minimum_ram_size);
    wr32(t + h + 12, r.binary_end_offset);
    wr32(t + h + 16, opt->app_version);
    h += 20;
    if (pkglen > 0) {
        h = tlv(t, h, TBF_TLV_PACKAGE_NAME, (uint16_t)pkglen);
        memcpy(t + h, pkg, pkglen);
        h += (size_t)align_up(pkglen, 4);
    }
    if (fixed) {
        h = tlv(t, h, TBF_TLV_FIXED_ADDRESSES, 8);
        wr32(t + h, fixed_ram ? sram_origin : 0xffffffffu);
        wr32(t + h + 4, r.pic ? 0xffffffffu : fixed_flash);
        h += 8;
    }
    h = tlv(t, h, TBF_TLV_KERNEL_VERSION, 4);
    wr16(t + h, opt->kernel_major);
    wr16(t + h + 2, opt->kernel_minor);
    h += 4;
    if (h != hlen) {
        free(t);
        fail(err, errlen, name, "internal error: header is %zu bytes, planned %u", h, hlen);
        goto out;
    }
    wr32(t + 12, tbf_checksum(t, hlen));
    /* trailer (zero) at [hlen, prot), then the segments */
    memcpy(t + prot, bin.p, bin.len);
    wr32(t + r.reloc_offset, (uint32_t)rel.len);
    if (rel.len > 0)
        memcpy(t + r.reloc_offset + 4, rel.p, rel.len);
    /* padding: a Reserved credentials footer when there is room, like elf2tab */
    uint32_t pad = r.total_size - r.binary_end_offset;
    if (pad >= 8) {
        uint8_t *f = t + r.binary_end_offset;
        wr16(f, TBF_TLV_CREDENTIALS);
        wr16(f + 2, (uint16_t)(pad - 4 > 0xffff ? 0xffff : pad - 4));
        wr32(f + 4, 0);         /* format 0 = Reserved */
    }
    *out = t;
    *out_len = r.total_size;
    if (res != NULL)
        *res = r;
    rc = 0;
    goto out;
oom:
    fail(err, errlen, name, "out of memory");
out:
    free(ss.s);
    free(bin.p);
    free(rel.p);
    return rc;
}

/* ---- decoding ------------------------------------------------------------ */

int tbf_parse(const char *name, const uint8_t *d, size_t len, struct tbf_info *info, char *err,
              size_t errlen)
{
    memset(info, 0, sizeof *info);
    if (len < 16)
        return fail(err, errlen, name, "truncated: %zu bytes; a TBF header needs at least 16", len);
    info->version = rd16(d);
    info->header_size = rd16(d + 2);
    info->total_size = rd32(d + 4);
    info->flags = rd32(d + 8);
    info->checksum = rd32(d + 12);
    if (info->version != 2)
        return fail(err, errlen, name, "TBF version %u; expected 2", info->version);
    if (info->header_size < 16 || info->header_size > info->total_size)
        return fail(err, errlen, name, "header_size %u; expected 16..total_size (%u)",
                    info->header_size, info->total_size);
    if (info->header_size > len)
        return fail(err, errlen, name, "truncated: header_size %u but the file has %zu bytes",
                    info->header_size, len);
    if (info->total_size > len)
        return fail(err, errlen, name, "truncated: total_size %u but the file has %zu bytes",
                    info->total_size, len);
    info->computed_checksum = tbf_checksum(d, info->header_size);
    size_t pos = 16;
    while (pos + 4 <= info->header_size) {
        uint16_t type = rd16(d + pos), l = rd16(d + pos + 2);
        const uint8_t *p = d + pos + 4;
        if (pos + 4 + l > info->header_size)
            return fail(err, errlen, name, "TLV type %u at header offset %zu: length %u runs past "
                        "the header (%u bytes)", type, pos, l, info->header_size);
        info->ntlvs++;
        switch (type) {
        case TBF_TLV_MAIN:
            if (l != 12)
                return fail(err, errlen, name, "Main TLV length %u; expected 12", l);
            info->has_main = 1;
            if (!info->has_program) {
                info->init_fn_offset = rd32(p);
                info->protected_trailer = rd32(p + 4);
                info->minimum_ram_size = rd32(p + 8);
            }
            break;
        case TBF_TLV_PROGRAM:
            if (l != 20)
                return fail(err, errlen, name, "Program TLV length %u; expected 20", l);
            info->has_program = 1;
            info->init_fn_offset = rd32(p);
            info->protected_trailer = rd32(p + 4);
            info->minimum_ram_size = rd32(p + 8);
            info->binary_end_offset = rd32(p + 12);
            info->app_version = rd32(p + 16);
            break;
        case TBF_TLV_PACKAGE_NAME:
            info->has_name = 1;
            memcpy(info->package_name, p, l > TBF_MAX_NAME ? TBF_MAX_NAME : l);
            break;
        case TBF_TLV_KERNEL_VERSION:
            if (l != 4)
                return fail(err, errlen, name, "KernelVersion TLV length %u; expected 4", l);
            info->has_kernel_version = 1;
            info->kernel_major = rd16(p);
            info->kernel_minor = rd16(p + 2);
            break;
        case TBF_TLV_FIXED_ADDRESSES:
            if (l != 8)
                return fail(err, errlen, name, "FixedAddresses TLV length %u; expected 8", l);
            info->has_fixed = 1;
            info->fixed_ram = rd32(p);
            info->fixed_flash = rd32(p + 4);
            break;
        default:
            break;
        }
        pos += 4 + (size_t)align_up(l, 4);
    }
    if (!info->has_program)
        info->binary_end_offset = info->total_size;
    if (info->computed_checksum != info->checksum)
        return fail(err, errlen, name, "checksum 0x%08x; expected 0x%08x (XOR of the header words)",
                    info->checksum, info->computed_checksum);
    if (info->has_main || info->has_program) {
        if ((uint64_t)info->header_size + info->protected_trailer > info->total_size)
            return fail(err, errlen, name, "protected trailer %u runs past total_size %u",
                        info->protected_trailer, info->total_size);
        if ((uint64_t)info->header_size + info->init_fn_offset >= info->total_size)
            return fail(err, errlen, name, "init_fn_offset 0x%x points past the app (total %u)",
                        info->init_fn_offset, info->total_size);
    }
    if (info->binary_end_offset > info->total_size)
        return fail(err, errlen, name, "binary_end_offset %u past total_size %u",
                    info->binary_end_offset, info->total_size);
    return 0;
}

static const char *tlv_name(uint16_t t)
{
    switch (t) {
    case TBF_TLV_MAIN: return "Main";
    case TBF_TLV_WFR: return "Writeable Flash Region";
    case TBF_TLV_PACKAGE_NAME: return "Package Name";
    case TBF_TLV_PIC_OPTION1: return "PIC Option 1";
    case TBF_TLV_FIXED_ADDRESSES: return "Fixed Addresses";
    case TBF_TLV_PERMISSIONS: return "Permissions";
    case TBF_TLV_STORAGE_PERMISSIONS: return "Storage Permissions";
    case TBF_TLV_KERNEL_VERSION: return "Kernel Version";
    case TBF_TLV_PROGRAM: return "Program";
    case TBF_TLV_SHORT_ID: return "Short ID";
    default: return "unknown";
    }
}

static void field(FILE *o, const char *k, uint32_t v)
{
    fprintf(o, "    %-24s %10u  0x%08x\n", k, v, v);
}

int tbf_inspect(const char *name, const uint8_t *d, size_t len, FILE *o, char *err, size_t errlen)
{
    struct tbf_info info;
    int rc = tbf_parse(name, d, len, &info, err, errlen);
    if (len < 16 || rd16(d) != 2 || rd16(d + 2) < 16 || rd16(d + 2) > len)
        return -1;              /* nothing sensible to print */
    uint16_t hs = rd16(d + 2);
    fprintf(o, "%s:\n  TBF Header\n", name);
    field(o, "version", rd16(d));
    field(o, "header_size", hs);
    field(o, "total_size", rd32(d + 4));
    field(o, "flags", rd32(d + 8));
    fprintf(o, "      %-22s %s\n", "enabled", (rd32(d + 8) & TBF_FLAG_ENABLED) ? "Yes" : "No");
    fprintf(o, "      %-22s %s\n", "sticky", (rd32(d + 8) & TBF_FLAG_STICKY) ? "Yes" : "No");
    fprintf(o, "    %-24s            0x%08x  (%s)\n", "checksum", rd32(d + 12),
            info.computed_checksum == rd32(d + 12) ? "valid" : "INVALID");
    size_t pos = 16;
    while (pos + 4 <= hs) {
        uint16_t type = rd16(d + pos), l = rd16(d + pos + 2);
        const uint8_t *p = d + pos + 4;
        fprintf(o, "  TLV: %s (%u), length %u, at header offset %zu\n", tlv_name(type), type, l, pos);
        if (pos + 4 + l > hs) {
            fprintf(o, "    (runs past the header)\n");
            break;
        }
        switch (type) {
        case TBF_TLV_MAIN:
        case TBF_TLV_PROGRAM:
            if (l >= 12) {
                field(o, "init_fn_offset", rd32(p));
                field(o, "protected_trailer_size", rd32(p + 4));
                field(o, "minimum_ram_size", rd32(p + 8));
            }
            if (type == TBF_TLV_PROGRAM && l >= 20) {
                field(o, "binary_end_offset", rd32(p + 12));
                field(o, "app_version", rd32(p + 16));
            }
            break;
        case TBF_TLV_PACKAGE_NAME:
            fprintf(o, "    %-24s %.*s\n", "package_name", (int)l, (const char *)p);
            break;
        case TBF_TLV_KERNEL_VERSION:
            if (l >= 4)
                fprintf(o, "    %-24s ^%u.%u\n", "kernel_version", rd16(p), rd16(p + 2));
            break;
        case TBF_TLV_FIXED_ADDRESSES:
            if (l >= 8) {
                field(o, "start_process_ram", rd32(p));
                field(o, "start_process_flash", rd32(p + 4));
            }
            break;
        case TBF_TLV_WFR:
            if (l >= 8) {
                field(o, "offset", rd32(p));
                field(o, "size", rd32(p + 4));
            }
            break;
        case TBF_TLV_SHORT_ID:
            if (l >= 4)
                field(o, "short_id", rd32(p));
            break;
        default:
            break;
        }
        pos += 4 + (size_t)align_up(l, 4);
    }
    if (rc == 0) {
        uint32_t bend = info.binary_end_offset;
        uint32_t app = hs + info.protected_trailer;
        fprintf(o, "  Layout\n");
        field(o, "protected_region_size", app);
        field(o, "app_binary_start", app);
        field(o, "entry_offset", hs + info.init_fn_offset);
        field(o, "binary_end_offset", bend);
        if ((uint64_t)bend + 8 <= info.total_size && rd16(d + bend) == TBF_TLV_CREDENTIALS)
            fprintf(o, "  Footer: Credentials, length %u, format %u%s\n", rd16(d + bend + 2),
                    rd32(d + bend + 4), rd32(d + bend + 4) == 0 ? " (Reserved)" : "");
        fprintf(o, "  OK\n");
    } else {
        fprintf(o, "  ERROR: %s\n", err != NULL ? err : "invalid");
    }
    return rc;
}
