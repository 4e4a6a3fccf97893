/*
 * trace.h — the structured event trace: one JSON object per line, each with
 * `t_ns` (virtual nanoseconds) and `ev` (the event kind), then event fields.
 * The kinds are documented in docs/trace.md.  Deterministic: nothing host
 * dependent (no host time, no pointers) is ever written.
 */
#ifndef HAILSIM_TRACE_H
#define HAILSIM_TRACE_H

#include <stdio.h>

#include "machine.h"

struct trace {
    FILE *f;
    int owned;
};

/* "-" = stdout.  Returns NULL and a message on failure. */
struct trace *trace_open(const char *path, char *err, size_t errlen);
void trace_close(struct trace *t);
/* Writes {"t_ns":..,"ev":"<ev>",<fields>}; `fields` is a printf format that
 * produces JSON members (may be NULL).  Use trace_json_string for text. */
void trace_emit(struct machine *m, const char *ev, const char *fields, ...)
    __attribute__((format(printf, 3, 4)));
/* Escapes `s` (len bytes) as a JSON string literal with quotes into out. */
void trace_json_string(char *out, size_t outlen, const char *s, size_t len);

#endif
