/*
 * tbf_write.h — ELF → Tock Binary Format conversion (what elf2tab does for
 * libtock-c apps) and a TBF header decoder for `elf2tbf --inspect`.
 *
 * The conversion rules follow ../shared/reference/tock-abi.md §5.5:
 *   binary   = every PT_LOAD segment with p_filesz > 0, in p_paddr order,
 *              gaps zero-filled; then u32 byte count + the .rel<name> data
 *              of every SHF_WRITE section inside those segments;
 *   header   = base, Main, Program, PackageName, [FixedAddresses],
 *              KernelVersion, padded to 4; checksum = XOR of header words;
 *   size     = padded to a power of two ≥ 512 (ARM MPU); padding of at
 *              least 8 bytes is a "Reserved" credentials footer, like elf2tab.
 * Kept out of tools/elf2tbf.c so the unit tests can link it (no main()).
 */
#ifndef HAILSIM_TBF_WRITE_H
#define HAILSIM_TBF_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "elf_load.h"

/* TLV types (TBF v2) */
#define TBF_TLV_MAIN 1
#define TBF_TLV_WFR 2
#define TBF_TLV_PACKAGE_NAME 3
#define TBF_TLV_PIC_OPTION1 4
#define TBF_TLV_FIXED_ADDRESSES 5
#define TBF_TLV_PERMISSIONS 6
#define TBF_TLV_STORAGE_PERMISSIONS 7
#define TBF_TLV_KERNEL_VERSION 8
#define TBF_TLV_PROGRAM 9
#define TBF_TLV_SHORT_ID 10
#define TBF_TLV_CREDENTIALS 128

#define TBF_FLAG_ENABLED 0x1u
#define TBF_FLAG_STICKY 0x2u

#define TBF_PIC_FLASH_ORIGIN 0x80000000u    /* libtock-c's sentinel link addresses */
#define TBF_PIC_SRAM_ORIGIN 0x00000000u
#define TBF_MIN_TOTAL_SIZE 512u
#define TBF_MAX_NAME 255

struct tbf_options {
    const char *package_name;       /* NULL or "": no PackageName TLV content (empty name) */
    int stack_set;                  /* 0: .stack section size, else 2048 */
    uint32_t stack;
    uint32_t app_heap;              /* default 1024 */
    uint32_t kernel_heap;           /* default 1024 */
    uint16_t kernel_major;          /* default 2 */
    uint16_t kernel_minor;          /* default 2 (libtock-c passes 2.2) */
    int protected_set;              /* --protected-region-size given */
    uint32_t protected_size;
    int disabled;                   /* --disable: flags bit0 = 0 */
    uint32_t app_version;           /* Program TLV version, default 0 */
};

void tbf_options_default(struct tbf_options *o);

/* What a conversion produced, for verbose output and the tests. */
struct tbf_result {
    uint32_t header_size;
    uint32_t protected_trailer;
    uint32_t init_fn_offset;
    uint32_t minimum_ram_size;
    uint32_t stack;
    uint32_t binary_end_offset;     /* end of the relocation block, from TBF start */
    uint32_t reloc_offset;          /* where the u32 relocation byte count is */
    uint32_t reloc_size;            /* bytes of Elf32_Rel data after it */
    uint32_t total_size;
    int pic;                        /* flash linked at 0x80000000 */
};

/*
 * Converts a loaded ELF image.  On success returns 0 and a malloc'ed TBF in
 * *out (*out_len bytes, caller frees).  On error returns -1 with
 * "NAME: what is wrong; expected ..." in err.
 */
int tbf_from_elf(const struct elf_image *img, const struct tbf_options *opt, uint8_t **out,
                 size_t *out_len, struct tbf_result *res, char *err, size_t errlen);

/* ---- decoding ---------------------------------------------------------- */

struct tbf_info {
    uint16_t version, header_size;
    uint32_t total_size, flags, checksum, computed_checksum;
    int has_main, has_program, has_name, has_kernel_version, has_fixed;
    uint32_t init_fn_offset, protected_trailer, minimum_ram_size;
    uint32_t binary_end_offset, app_version;
    char package_name[TBF_MAX_NAME + 1];
    uint16_t kernel_major, kernel_minor;
    uint32_t fixed_ram, fixed_flash;
    int ntlvs;
};

/* Parses and checks a TBF header; 0 or -1 with a message (checksum errors included). */
int tbf_parse(const char *name, const uint8_t *d, size_t len, struct tbf_info *info, char *err,
              size_t errlen);

/* Prints the header like `tockloader inspect-tab`; returns 0 if it is valid. */
int tbf_inspect(const char *name, const uint8_t *d, size_t len, FILE *out, char *err,
                size_t errlen);

uint32_t tbf_checksum(const uint8_t *hdr, size_t header_size);

#endif
