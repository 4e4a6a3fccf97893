/*
 * elf2tbf — converts a libtock app ELF into a Tock Binary Format image, like
 * elf2tab does for libtock-c (without the .tab tar wrapper), and inspects TBF
 * headers like `tockloader inspect-tab`.  The conversion itself is in
 * tools/tbf_write.c.
 *
 *   elf2tbf [-n NAME] [-o OUT.tbf] [--stack N] [--app-heap N] [--kernel-heap N]
 *           [--kernel-major N] [--kernel-minor N] [--protected-region-size N]
 *           [--app-version N] [--disable] [-v] APP.elf
 *   elf2tbf --inspect FILE.tbf
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "tbf_write.h"

static void usage(FILE *o)
{
    fprintf(o,
            "usage: elf2tbf [options] APP.elf\n"
            "       elf2tbf --inspect FILE.tbf\n"
            "options:\n"
            "  -n, --package-name NAME        package name (TBF PackageName TLV)\n"
            "  -o, --output FILE              output file (default: APP.tbf next to the ELF)\n"
            "      --stack BYTES              stack size (default: .stack section size, else 2048)\n"
            "      --app-heap BYTES           app heap reservation (default 1024)\n"
            "      --kernel-heap BYTES        kernel heap (grant) reservation (default 1024)\n"
            "      --kernel-major N           required kernel major version (default 2)\n"
            "      --kernel-minor N           minimum kernel minor version (default 2)\n"
            "      --protected-region-size N  header + protected trailer size (default: header)\n"
            "      --app-version N            Program TLV app version (default 0)\n"
            "      --disable                  clear the Enabled flag\n"
            "  -v, --verbose                  print the resulting header\n"
            "      --inspect FILE.tbf         decode and check a TBF header\n");
}

static int parse_u32(const char *opt, const char *s, uint32_t max, uint32_t *v)
{
    char *end;
    if (s == NULL) {
        fprintf(stderr, "elf2tbf: option %s needs a value; expected a number\n", opt);
        return -1;
    }
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || x > max) {
        fprintf(stderr, "elf2tbf: option %s: bad value \"%s\"; expected a number 0..%u\n", opt,
                s, max);
        return -1;
    }
    *v = (uint32_t)x;
    return 0;
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    uint8_t *b = malloc(cap);
    while (b != NULL) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        uint8_t *q = realloc(b, cap * 2);
        if (q == NULL) {
            free(b);
            b = NULL;
            break;
        }
        b = q;
        cap *= 2;
    }
    if (b == NULL || ferror(f)) {
        fprintf(stderr, "%s: read error\n", path);
        free(b);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return b;
}

static int inspect(const char *path)
{
    size_t len = 0;
    uint8_t *d = read_all(path, &len);
    if (d == NULL)
        return 1;
    char err[512] = "";
    int rc = tbf_inspect(path, d, len, stdout, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err[0] ? err : "invalid TBF");
    free(d);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    struct tbf_options o;
    const char *out = NULL, *in = NULL;
    int verbose = 0;
    uint32_t v;
    tbf_options_default(&o);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char key[64];
        /* accept --opt=value as well as --opt value */
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        if (eq != NULL && (size_t)(eq - a) < sizeof key) {
            memcpy(key, a, (size_t)(eq - a));
            key[eq - a] = '\0';
            a = key;
            val = eq + 1;
        }
#define NEXT() (val != NULL ? val : (i + 1 < argc ? argv[++i] : NULL))
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--inspect")) {
            const char *f = NEXT();
            if (f == NULL) {
                fprintf(stderr, "elf2tbf: --inspect needs a file; expected --inspect FILE.tbf\n");
                return 2;
            }
            return inspect(f);
        } else if (!strcmp(a, "-n") || !strcmp(a, "--package-name")) {
            o.package_name = NEXT();
            if (o.package_name == NULL) {
                fprintf(stderr, "elf2tbf: %s needs a name\n", a);
                return 2;
            }
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--output-file")) {
            out = NEXT();
            if (out == NULL) {
                fprintf(stderr, "elf2tbf: %s needs a file name\n", a);
                return 2;
            }
        } else if (!strcmp(a, "--stack")) {
            if (parse_u32(a, NEXT(), 0x1000000, &o.stack) != 0)
                return 2;
            o.stack_set = 1;
        } else if (!strcmp(a, "--app-heap")) {
            if (parse_u32(a, NEXT(), 0x1000000, &o.app_heap) != 0)
                return 2;
        } else if (!strcmp(a, "--kernel-heap")) {
            if (parse_u32(a, NEXT(), 0x1000000, &o.kernel_heap) != 0)
                return 2;
        } else if (!strcmp(a, "--kernel-major")) {
            if (parse_u32(a, NEXT(), 0xffff, &v) != 0)
                return 2;
            o.kernel_major = (uint16_t)v;
        } else if (!strcmp(a, "--kernel-minor")) {
            if (parse_u32(a, NEXT(), 0xffff, &v) != 0)
                return 2;
            o.kernel_minor = (uint16_t)v;
        } else if (!strcmp(a, "--protected-region-size")) {
            if (parse_u32(a, NEXT(), 0x1000000, &o.protected_size) != 0)
                return 2;
            o.protected_set = 1;
        } else if (!strcmp(a, "--app-version")) {
            if (parse_u32(a, NEXT(), 0xffffffffu, &o.app_version) != 0)
                return 2;
        } else if (!strcmp(a, "--disable")) {
            o.disabled = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "elf2tbf: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (in != NULL) {
            fprintf(stderr, "elf2tbf: more than one input (%s, %s); expected one ELF file\n", in,
                    a);
            return 2;
        } else {
            in = a;
        }
#undef NEXT
    }
    if (in == NULL) {
        fprintf(stderr, "elf2tbf: no input; expected an ELF file\n");
        usage(stderr);
        return 2;
    }

    char outbuf[4096];
    if (out == NULL) {
        size_t n = strlen(in);
        if (n > 4 && strcmp(in + n - 4, ".elf") == 0)
            n -= 4;
        if (n + 5 > sizeof outbuf) {
            fprintf(stderr, "elf2tbf: input name too long\n");
            return 2;
        }
        memcpy(outbuf, in, n);
        memcpy(outbuf + n, ".tbf", 5);
        out = outbuf;
    }

    struct elf_image img;
    char err[512] = "";
    if (elf_load_file(in, &img, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    uint8_t *tbf = NULL;
    size_t len = 0;
    struct tbf_result r;
    if (tbf_from_elf(&img, &o, &tbf, &len, &r, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        elf_free(&img);
        return 1;
    }
    elf_free(&img);

    FILE *f = fopen(out, "wb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot create: %s\n", out, strerror(errno));
        free(tbf);
        return 1;
    }
    if (fwrite(tbf, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "%s: write error: %s\n", out, strerror(errno));
        remove(out);
        free(tbf);
        return 1;
    }
    if (verbose) {
        char e2[512] = "";
        tbf_inspect(out, tbf, len, stdout, e2, sizeof e2);
        printf("  relocations: %u bytes at offset %u; PIC: %s\n", r.reloc_size, r.reloc_offset,
               r.pic ? "yes" : "no");
    }
    free(tbf);
    return 0;
}
