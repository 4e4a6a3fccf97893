/*
 * fuzz_elf.c — libFuzzer target: the simulator's ELF loader
 * (sim/elf_load.c, elf_load_buffer) and, on the ELFs it accepts, the symbol
 * lookup and elf2tbf's conversion (tools/tbf_write.c, tbf_from_elf) whose
 * output is decoded again with tbf_inspect.  Every segment's bytes are read
 * so ASan checks that they lie inside the loader's copy of the file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "tbf_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull(void)
{
    static FILE *f;
    if (!f)
        f = fopen("/dev/null", "w");
    return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image *img = calloc(1, sizeof *img);
    char err[512];
    if (!img)
        return 0;
    if (elf_load_buffer("fuzz.elf", data, size, img, err, sizeof err) != 0) {
        if (err[0] == '\0' || memchr(err, '\0', sizeof err) == NULL)
            abort();                            /* every rejection says why */
        free(img);
        return 0;
    }
    volatile uint32_t sink = 0;
    for (int i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];
        if (s->filesz > s->memsz)
            abort();
        for (uint32_t j = 0; j < s->filesz; j++)
            sink += s->data[j];
    }
    uint32_t v;
    (void)elf_find_symbol(img, "kernel_awareness", &v);
    (void)elf_find_symbol(img, "_start", &v);

    struct tbf_options opt;
    uint8_t *tbf = NULL;
    size_t tbf_len = 0;
    struct tbf_result res;
    tbf_options_default(&opt);
    opt.package_name = "fuzz";
    if (tbf_from_elf(img, &opt, &tbf, &tbf_len, &res, err, sizeof err) == 0) {
        if (tbf_inspect("fuzz.tbf", tbf, tbf_len, devnull(), err, sizeof err) != 0)
            abort();                            /* elf2tbf must write a TBF it accepts */
        free(tbf);
    }
    (void)sink;
    elf_free(img);
    free(img);
    return 0;
}
