/*
 * elf_load.h — reads a 32-bit little-endian ARM ELF executable into memory
 * and describes its loadable segments and symbols.  It does not place the
 * segments anywhere: sim/machine.c copies them into the board's memory map.
 */
#ifndef HAILSIM_ELF_LOAD_H
#define HAILSIM_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 16

struct elf_segment {
    uint32_t paddr;             /* load (physical) address: where the bytes go */
    uint32_t vaddr;
    uint32_t filesz, memsz;     /* memsz > filesz: the rest is zero-filled */
    uint32_t flags;             /* PF_X = 1, PF_W = 2, PF_R = 4 */
    const uint8_t *data;        /* filesz bytes inside the file buffer */
};

struct elf_image {
    char path[256];
    uint8_t *file;              /* whole file, owned */
    size_t file_size;
    uint32_t entry;
    int nsegs;                  /* PT_LOAD segments with memsz > 0, sorted by paddr */
    struct elf_segment segs[ELF_MAX_SEGMENTS];
    /* symbol table (may be absent) */
    const uint8_t *symtab;
    uint32_t symtab_count;
    const char *strtab;
    uint32_t strtab_size;
};

/* Returns 0, or -1 with "FILE: what is wrong (offset/field), expected ..." in err. */
int elf_load_file(const char *path, struct elf_image *img, char *err, size_t errlen);
int elf_load_buffer(const char *name, const uint8_t *data, size_t len,
                    struct elf_image *img, char *err, size_t errlen);
void elf_free(struct elf_image *img);
/* Finds a symbol by name; returns 0 and its value, or -1. */
int elf_find_symbol(const struct elf_image *img, const char *name, uint32_t *value);

#endif
