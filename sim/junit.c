/*
 * junit.c — the JUnit XML writer (see junit.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "junit.h"

struct junit {
    FILE *f;
};

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (n == 2 && s[0] < 0xC2) || (n == 4 && s[0] > 0xF4))
        return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
        return 0;                               /* overlong, or a UTF-16 surrogate */
    if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

void junit_escape(FILE *f, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        int n = utf8_len(s);
        const char *ent = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;"
                        : *s == '\'' ? "&apos;" : *s == '\n' ? "&#10;" : *s == '\r' ? "&#13;" : *s == '\t' ? "&#9;"
                        : NULL;
        if (ent)
            fputs(ent, f);
        else if (n == 0 || *s < 0x20 || *s == 0x7F)
            fputc('?', f);
        else
            fwrite(s, 1, (size_t)n, f);
        s += n ? n : 1;
    }
}

struct junit *junit_open(const char *path, char *err, size_t errlen)
{
    struct junit *j = calloc(1, sizeof *j);
    if (!j || !(j->f = fopen(path, "w"))) {
        snprintf(err, errlen, "%s: cannot create the file: %s", path, strerror(j ? errno : ENOMEM));
        free(j);
        return NULL;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hailsim\">\n", j->f);
    return j;
}

void junit_suite_begin(struct junit *j, const char *name, const char *file, int tests, int failures,
                       int errors, double seconds)
{
    fputs("  <testsuite name=\"", j->f);
    junit_escape(j->f, name);
    fputs("\" file=\"", j->f);
    junit_escape(j->f, file);
    fprintf(j->f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">\n", tests,
            failures, errors, seconds);
}

void junit_case(struct junit *j, const char *classname, const char *name, enum junit_outcome outcome,
                const char *message)
{
    const char *tag = outcome == JUNIT_ERROR ? "error" : "failure";
    fputs("    <testcase classname=\"", j->f);
    junit_escape(j->f, classname);
    fputs("\" name=\"", j->f);
    junit_escape(j->f, name);
    fputs("\" time=\"0\"", j->f);
    if (outcome == JUNIT_PASS) {
        fputs("/>\n", j->f);
        return;
    }
    fprintf(j->f, ">\n      <%s message=\"", tag);
    junit_escape(j->f, message);
    fputs("\">", j->f);
    junit_escape(j->f, message);
    fprintf(j->f, "</%s>\n    </testcase>\n", tag);
}

void junit_suite_end(struct junit *j)
{
    fputs("  </testsuite>\n", j->f);
}

int junit_close(struct junit *j)
{
    fputs("</testsuites>\n", j->f);
    bool bad = ferror(j->f) != 0;
    bad |= fclose(j->f) != 0;
    free(j);
    return bad ? -1 : 0;
}
