/*
 * trace.c — JSON Lines trace writer (see trace.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

struct trace *trace_open(const char *path, char *err, size_t errlen)
{
    struct trace *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        t->f = stdout;
    } else {
        t->f = fopen(path, "w");
        t->owned = 1;
        if (!t->f) {
            snprintf(err, errlen, "%s: cannot open trace file for writing", path);
            free(t);
            return NULL;
        }
    }
    return t;
}

void trace_close(struct trace *t)
{
    if (!t)
        return;
    if (t->owned)
        fclose(t->f);
    else
        fflush(t->f);
    free(t);
}

void trace_emit(struct machine *m, const char *ev, const char *fields, ...)
{
    if (!m->trace)
        return;
    FILE *f = m->trace->f;
    fprintf(f, "{\"t_ns\":%llu,\"ev\":\"%s\"", (unsigned long long)machine_time_ns(m), ev);
    if (fields) {
        va_list ap;
        va_start(ap, fields);
        fputc(',', f);
        vfprintf(f, fields, ap);
        va_end(ap);
    }
    fputs("}\n", f);
}

void trace_json_string(char *out, size_t outlen, const char *s, size_t len)
{
    size_t o = 0;
    if (outlen < 3)
        return;
    out[o++] = '"';
    for (size_t i = 0; i < len && o + 8 < outlen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (c < 0x20 || c >= 0x7F) {
            o += (size_t)snprintf(out + o, outlen - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}
