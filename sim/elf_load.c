/*
 * elf_load.c — a small, defensive reader for 32-bit little-endian ARM ELF
 * executables (the firmware images the simulator runs).
 *
 * No external ELF library: the few ELF32 structures used are decoded field by
 * field from the byte buffer with explicit little-endian reads, so there are
 * no unaligned accesses and no host-endianness assumptions.  Every offset and
 * size read from the file is checked against the file size with 64-bit
 * arithmetic before anything is dereferenced; input that is not a well-formed
 * executable is rejected with a message that names the file, the field and
 * what was expected.  The loader is meant to survive fuzzing: it never reads
 * outside the buffer, whatever the input.
 */
#include "elf_load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- ELF32 constants (from the System V ABI and the ARM ELF supplement) -- */

#define EI_NIDENT 16
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define EV_CURRENT 1

#define ET_NONE 0
#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4

#define EM_ARM 40

#define PT_LOAD 1

#define SHT_SYMTAB 2
#define SHT_STRTAB 3

#define SHN_UNDEF 0
#define PN_XNUM 0xffffu

#define STB_LOCAL 0

/* sizes of the on-disk structures (ELF32) */
#define EHDR_SIZE 52
#define PHDR_SIZE 32
#define SHDR_SIZE 40
#define SYM_SIZE 16

/* Refuse files larger than this: no Cortex-M image comes close, and it keeps
 * every offset computation comfortably inside 64 bits. */
#define ELF_MAX_FILE_SIZE (512u * 1024u * 1024u)

/* ---- decoded structures ------------------------------------------------- */

struct ehdr {
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

struct shdr {
    uint32_t name, type, flags, addr, offset, size, link, info, addralign, entsize;
};

/* ---- little-endian reads (callers have bounds-checked the offset) ------- */

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* ---- error reporting ---------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(char *err, size_t errlen, const char *name, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        int n = snprintf(err, errlen, "%s: ", name);
        if (n >= 0 && (size_t)n < errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static const char *machine_name(uint16_t m)
{
    switch (m) {
    case 0: return "none";
    case 2: return "SPARC";
    case 3: return "x86";
    case 8: return "MIPS";
    case 20: return "PowerPC";
    case 21: return "PowerPC64";
    case 40: return "ARM";
    case 42: return "SuperH";
    case 50: return "IA-64";
    case 62: return "x86-64";
    case 83: return "AVR";
    case 94: return "Xtensa";
    case 183: return "AArch64";
    case 243: return "RISC-V";
    default: return "unknown";
    }
}

static const char *type_name(uint16_t t)
{
    switch (t) {
    case ET_NONE: return "ET_NONE";
    case ET_REL: return "ET_REL";
    case ET_EXEC: return "ET_EXEC";
    case ET_DYN: return "ET_DYN";
    case ET_CORE: return "ET_CORE";
    default: return NULL;
    }
}

/* ---- header decoding ---------------------------------------------------- */

static void read_ehdr(const uint8_t *p, struct ehdr *h)
{
    h->type = rd16(p + 16);
    h->machine = rd16(p + 18);
    h->version = rd32(p + 20);
    h->entry = rd32(p + 24);
    h->phoff = rd32(p + 28);
    h->shoff = rd32(p + 32);
    h->flags = rd32(p + 36);
    h->ehsize = rd16(p + 40);
    h->phentsize = rd16(p + 42);
    h->phnum = rd16(p + 44);
    h->shentsize = rd16(p + 46);
    h->shnum = rd16(p + 48);
    h->shstrndx = rd16(p + 50);
}

static void read_phdr(const uint8_t *p, struct phdr *ph)
{
    ph->type = rd32(p + 0);
    ph->offset = rd32(p + 4);
    ph->vaddr = rd32(p + 8);
    ph->paddr = rd32(p + 12);
    ph->filesz = rd32(p + 16);
    ph->memsz = rd32(p + 20);
    ph->flags = rd32(p + 24);
    ph->align = rd32(p + 28);
}

static void read_shdr(const uint8_t *p, struct shdr *sh)
{
    sh->name = rd32(p + 0);
    sh->type = rd32(p + 4);
    sh->flags = rd32(p + 8);
    sh->addr = rd32(p + 12);
    sh->offset = rd32(p + 16);
    sh->size = rd32(p + 20);
    sh->link = rd32(p + 24);
    sh->info = rd32(p + 28);
    sh->addralign = rd32(p + 32);
    sh->entsize = rd32(p + 36);
}

/* true when [off, off+size) lies inside a buffer of len bytes */
static bool in_file(uint64_t off, uint64_t size, size_t len)
{
    return off <= (uint64_t)len && size <= (uint64_t)len - off;
}

/* ---- the parts of the parse --------------------------------------------- */

static int check_ident(const char *name, const uint8_t *d, size_t len, char *err, size_t errlen)
{
    if (len < 4 || d[0] != 0x7f || d[1] != 'E' || d[2] != 'L' || d[3] != 'F')
        return fail(err, errlen, name, "not an ELF file (bad magic)");
    if (len < EI_NIDENT)
        return fail(err, errlen, name, "truncated: ELF identification is %zu bytes; expected %d", len,
                    EI_NIDENT);
    switch (d[EI_CLASS]) {
    case ELFCLASS32: break;
    case ELFCLASS64:
        return fail(err, errlen, name, "ELF class 64-bit; expected 32-bit (ELFCLASS32)");
    default:
        return fail(err, errlen, name, "invalid ELF class %u; expected 1 (ELFCLASS32)", d[EI_CLASS]);
    }
    switch (d[EI_DATA]) {
    case ELFDATA2LSB: break;
    case ELFDATA2MSB: return fail(err, errlen, name, "big-endian; expected little-endian");
    default:
        return fail(err, errlen, name, "invalid ELF data encoding %u; expected 1 (little-endian)",
                    d[EI_DATA]);
    }
    if (d[EI_VERSION] != EV_CURRENT)
        return fail(err, errlen, name, "ELF identification version %u; expected 1 (EV_CURRENT)",
                    d[EI_VERSION]);
    if (len < EHDR_SIZE)
        return fail(err, errlen, name,
                    "truncated: ELF header needs %d bytes, file has %zu", EHDR_SIZE, len);
    return 0;
}

static int check_ehdr(const char *name, const struct ehdr *h, char *err, size_t errlen)
{
    if (h->machine != EM_ARM)
        return fail(err, errlen, name, "machine %u (%s); expected 40 (ARM)", h->machine,
                    machine_name(h->machine));
    if (h->type != ET_EXEC) {
        const char *tn = type_name(h->type);
        if (tn != NULL)
            return fail(err, errlen, name, "type %s; expected an executable (ET_EXEC)", tn);
        return fail(err, errlen, name, "type %u; expected an executable (ET_EXEC)", h->type);
    }
    if (h->version != EV_CURRENT)
        return fail(err, errlen, name, "e_version %u; expected 1 (EV_CURRENT)", h->version);
    if (h->ehsize < EHDR_SIZE)
        return fail(err, errlen, name, "e_ehsize %u; expected at least %d", h->ehsize, EHDR_SIZE);
    if (h->phnum == 0)
        return fail(err, errlen, name, "no loadable segment (the file has no program headers)");
    if (h->phnum == PN_XNUM)
        return fail(err, errlen, name,
                    "e_phnum 0xffff (extended program header numbering) is not supported");
    if (h->phentsize != PHDR_SIZE)
        return fail(err, errlen, name, "e_phentsize %u; expected %d", h->phentsize, PHDR_SIZE);
    return 0;
}

static void sort_segments(struct elf_image *img)
{
    /* insertion sort: at most ELF_MAX_SEGMENTS elements */
    for (int i = 1; i < img->nsegs; i++) {
        struct elf_segment s = img->segs[i];
        int j = i - 1;
        while (j >= 0 && img->segs[j].paddr > s.paddr) {
            img->segs[j + 1] = img->segs[j];
            j--;
        }
        img->segs[j + 1] = s;
    }
}

static int load_segments(const char *name, const struct ehdr *h, struct elf_image *img, char *err,
                         size_t errlen)
{
    const uint8_t *d = img->file;
    size_t len = img->file_size;
    int nload = 0;          /* non-empty PT_LOAD segments seen */

    for (unsigned i = 0; i < h->phnum; i++) {
        uint64_t off = (uint64_t)h->phoff + (uint64_t)i * PHDR_SIZE;
        if (!in_file(off, PHDR_SIZE, len))
            return fail(err, errlen, name,
                        "truncated: program header %u at offset 0x%llx extends past end of file "
                        "(size %zu)",
                        i, (unsigned long long)off, len);
        struct phdr ph;
        read_phdr(d + off, &ph);
        if (ph.type != PT_LOAD)
            continue;
        if (!in_file(ph.offset, ph.filesz, len))
            return fail(err, errlen, name,
                        "truncated: segment %u data at offset 0x%x, size 0x%x (p_offset, p_filesz) "
                        "extends past end of file (size %zu)",
                        i, ph.offset, ph.filesz, len);
        if (ph.filesz > ph.memsz)
            return fail(err, errlen, name,
                        "segment %u: p_filesz 0x%x is larger than p_memsz 0x%x; expected "
                        "filesz <= memsz",
                        i, ph.filesz, ph.memsz);
        if (ph.memsz == 0)
            continue;
        if ((uint64_t)ph.paddr + ph.memsz > 0x100000000ull)
            return fail(err, errlen, name,
                        "segment %u: p_paddr 0x%08x + p_memsz 0x%x wraps past the end of the "
                        "32-bit address space",
                        i, ph.paddr, ph.memsz);
        nload++;
        if (nload > ELF_MAX_SEGMENTS)
            continue;       /* keep counting, to report the total */
        struct elf_segment *s = &img->segs[img->nsegs++];
        s->paddr = ph.paddr;
        s->vaddr = ph.vaddr;
        s->filesz = ph.filesz;
        s->memsz = ph.memsz;
        s->flags = ph.flags;
        s->data = ph.filesz != 0 ? d + ph.offset : d;
    }
    if (nload > ELF_MAX_SEGMENTS)
        return fail(err, errlen, name,
                    "too many PT_LOAD segments: %d; at most %d (ELF_MAX_SEGMENTS) are supported",
                    nload, ELF_MAX_SEGMENTS);
    if (img->nsegs == 0)
        return fail(err, errlen, name,
                    "no loadable segment (no PT_LOAD program header with p_memsz > 0)");

    sort_segments(img);
    for (int i = 0; i + 1 < img->nsegs; i++) {
        const struct elf_segment *a = &img->segs[i], *b = &img->segs[i + 1];
        if ((uint64_t)a->paddr + a->memsz > b->paddr)
            return fail(err, errlen, name,
                        "overlapping PT_LOAD segments: [0x%08x, 0x%08llx) and [0x%08x, 0x%08llx) "
                        "(by p_paddr)",
                        a->paddr, (unsigned long long)a->paddr + a->memsz, b->paddr,
                        (unsigned long long)b->paddr + b->memsz);
    }
    return 0;
}

/* Reads section header `idx`; the table was bounds-checked by the caller. */
static void section(const struct elf_image *img, uint32_t shoff, uint32_t idx, struct shdr *sh)
{
    read_shdr(img->file + (uint64_t)shoff + (uint64_t)idx * SHDR_SIZE, sh);
}

static int load_symbols(const char *name, const struct ehdr *h, struct elf_image *img, char *err,
                        size_t errlen)
{
    size_t len = img->file_size;
    uint32_t shnum = h->shnum;

    if (h->shoff == 0)
        return 0;           /* no section headers: no symbols, which is fine */
    if (h->shentsize != SHDR_SIZE)
        return fail(err, errlen, name, "e_shentsize %u; expected %d", h->shentsize, SHDR_SIZE);
    if (shnum == 0) {
        /* extended numbering: the count is in section header 0's sh_size */
        if (!in_file(h->shoff, SHDR_SIZE, len))
            return fail(err, errlen, name,
                        "truncated: section header 0 at offset 0x%x extends past end of file "
                        "(size %zu)",
                        h->shoff, len);
        struct shdr sh0;
        section(img, h->shoff, 0, &sh0);
        shnum = sh0.size;
        if (shnum == 0)
            return 0;
    }
    for (uint32_t i = 0; i < shnum; i++) {
        uint64_t off = (uint64_t)h->shoff + (uint64_t)i * SHDR_SIZE;
        if (!in_file(off, SHDR_SIZE, len))
            return fail(err, errlen, name,
                        "truncated: section header %u at offset 0x%llx extends past end of file "
                        "(size %zu)",
                        i, (unsigned long long)off, len);
    }

    for (uint32_t i = 1; i < shnum; i++) {
        struct shdr sh;
        section(img, h->shoff, i, &sh);
        if (sh.type != SHT_SYMTAB)
            continue;
        if (!in_file(sh.offset, sh.size, len))
            return fail(err, errlen, name,
                        "symbol table (section %u) at offset 0x%x, size 0x%x extends past end of "
                        "file (size %zu)",
                        i, sh.offset, sh.size, len);
        if (sh.entsize != SYM_SIZE)
            return fail(err, errlen, name, "symbol table (section %u): sh_entsize %u; expected %d",
                        i, sh.entsize, SYM_SIZE);
        if (sh.size % SYM_SIZE != 0)
            return fail(err, errlen, name,
                        "symbol table (section %u): size 0x%x is not a multiple of the entry "
                        "size %d",
                        i, sh.size, SYM_SIZE);
        if (sh.link == 0 || sh.link >= shnum)
            return fail(err, errlen, name,
                        "symbol table (section %u): string table index %u (sh_link) out of range; "
                        "expected 1..%u",
                        i, sh.link, shnum - 1);
        struct shdr st;
        section(img, h->shoff, sh.link, &st);
        if (st.type != SHT_STRTAB)
            return fail(err, errlen, name,
                        "symbol table (section %u): linked section %u has type %u; expected %d "
                        "(SHT_STRTAB)",
                        i, sh.link, st.type, SHT_STRTAB);
        if (!in_file(st.offset, st.size, len))
            return fail(err, errlen, name,
                        "string table (section %u) at offset 0x%x, size 0x%x extends past end of "
                        "file (size %zu)",
                        sh.link, st.offset, st.size, len);
        img->symtab = img->file + sh.offset;
        img->symtab_count = sh.size / SYM_SIZE;
        img->strtab = (const char *)(img->file + st.offset);
        img->strtab_size = st.size;
        return 0;           /* an executable has at most one SHT_SYMTAB */
    }
    return 0;
}

/* ---- public interface --------------------------------------------------- */

int elf_load_buffer(const char *name, const uint8_t *data, size_t len, struct elf_image *img,
                    char *err, size_t errlen)
{
    if (name == NULL)
        name = "(buffer)";
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (img == NULL)
        return fail(err, errlen, name, "internal error: no image to load into");
    memset(img, 0, sizeof *img);
    snprintf(img->path, sizeof img->path, "%s", name);
    if (data == NULL && len != 0)
        return fail(err, errlen, name, "internal error: no data");
    if (len > ELF_MAX_FILE_SIZE)
        return fail(err, errlen, name, "file is %zu bytes; at most %u are supported", len,
                    ELF_MAX_FILE_SIZE);
    if (check_ident(name, data, len, err, errlen) != 0)
        return -1;

    struct ehdr h;
    read_ehdr(data, &h);
    if (check_ehdr(name, &h, err, errlen) != 0)
        return -1;

    img->file = malloc(len);
    if (img->file == NULL)
        return fail(err, errlen, name, "out of memory (%zu bytes)", len);
    memcpy(img->file, data, len);
    img->file_size = len;
    img->entry = h.entry;

    if (load_segments(name, &h, img, err, errlen) != 0 ||
        load_symbols(name, &h, img, err, errlen) != 0) {
        elf_free(img);
        snprintf(img->path, sizeof img->path, "%s", name);
        return -1;
    }
    return 0;
}

int elf_load_file(const char *path, struct elf_image *img, char *err, size_t errlen)
{
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (path == NULL)
        return fail(err, errlen, "(null)", "no file name given");
    if (img != NULL)
        memset(img, 0, sizeof *img);

    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail(err, errlen, path, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail(err, errlen, path, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return fail(err, errlen, path, "not a regular file");
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > ELF_MAX_FILE_SIZE) {
        close(fd);
        return fail(err, errlen, path, "file is %lld bytes; at most %u are supported",
                    (long long)st.st_size, ELF_MAX_FILE_SIZE);
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size > 0 ? size : 1);
    if (buf == NULL) {
        close(fd);
        return fail(err, errlen, path, "out of memory (%zu bytes)", size);
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return fail(err, errlen, path, "read error: %s", strerror(e));
        }
        if (n == 0)
            break;          /* file shrank under us: parse what we have */
        got += (size_t)n;
    }
    close(fd);

    int rc = elf_load_buffer(path, buf, got, img, err, errlen);
    free(buf);
    return rc;
}

void elf_free(struct elf_image *img)
{
    if (img == NULL)
        return;
    free(img->file);
    memset(img, 0, sizeof *img);
}

int elf_find_symbol(const struct elf_image *img, const char *name, uint32_t *value)
{
    if (img == NULL || name == NULL || img->symtab == NULL || img->strtab == NULL)
        return -1;
    size_t nlen = strlen(name);
    int found_local = 0;
    uint32_t local_value = 0;

    /* entry 0 is the reserved null symbol */
    for (uint32_t i = 1; i < img->symtab_count; i++) {
        const uint8_t *s = img->symtab + (size_t)i * SYM_SIZE;
        uint32_t st_name = rd32(s + 0);
        uint32_t st_value = rd32(s + 4);
        uint8_t st_info = s[12];
        uint16_t st_shndx = rd16(s + 14);
        if (st_shndx == SHN_UNDEF || st_name >= img->strtab_size)
            continue;
        /* the name must be NUL-terminated inside the string table */
        size_t room = img->strtab_size - st_name;
        if (room < nlen + 1)
            continue;
        const char *sn = img->strtab + st_name;
        if (memcmp(sn, name, nlen) != 0 || sn[nlen] != '\0')
            continue;
        if ((st_info >> 4) != STB_LOCAL) {
            if (value != NULL)
                *value = st_value;
            return 0;
        }
        if (!found_local) {
            found_local = 1;
            local_value = st_value;
        }
    }
    if (found_local) {
        if (value != NULL)
            *value = local_value;
        return 0;
    }
    return -1;
}
