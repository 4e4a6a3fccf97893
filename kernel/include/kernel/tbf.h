/*
 * tbf.h — Tock Binary Format v2 headers (tock-abi.md §5): parsing and
 * validation of one header from memory, and the walk over app flash.
 * Pure functions on a byte buffer: host unit-tested, no hardware.
 */
#ifndef KERNEL_TBF_H
#define KERNEL_TBF_H

#include "kernel/types.h"

#define TBF_MAX_NAME 32
#define TBF_MAX_WFR 4

enum tbf_status {
    TBF_OK,                 /* a valid, enabled app */
    TBF_END,                /* not a TBF (version != 2, erased flash): the list ends here */
    TBF_PADDING,            /* valid object with no app (header only): skip */
    TBF_DISABLED,           /* valid but its Enabled flag is clear: skip */
    TBF_BAD_HEADER,         /* malformed (sizes, checksum, TLVs): skip total_size */
    TBF_BAD_KERNEL_VERSION, /* missing or incompatible KernelVersion: skip */
    TBF_TRUNCATED,          /* total_size runs past the end of app flash: the list ends */
};

struct tbf_header {
    uint16_t version, header_size;
    uint32_t total_size, flags, checksum;
    /* from Program (preferred) or Main */
    uint32_t init_fn_offset, protected_trailer_size, minimum_ram_size;
    uint32_t binary_end_offset, app_version;
    bool has_program, has_main;
    /* PackageName: points into the buffer, not NUL-terminated */
    const char *name;
    uint16_t name_len;
    uint16_t kernel_major, kernel_minor;
    bool has_kernel_version;
    int n_wfr;
    uint32_t wfr_offset[TBF_MAX_WFR], wfr_size[TBF_MAX_WFR];
    bool has_fixed_addresses;
    uint32_t fixed_ram, fixed_flash;
    uint32_t short_id;      /* 0 = none */
};

/* Parses the object at buf (avail bytes available); the kernel version
 * (major, minor) decides compatibility.  Fills *h as far as it got and
 * returns the status; *why gets a short reason for the non-OK statuses. */
enum tbf_status tbf_parse(const uint8_t *buf, uint32_t avail, uint16_t kernel_major,
                          uint16_t kernel_minor, struct tbf_header *h, const char **why);

#endif
