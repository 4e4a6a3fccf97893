/*
 * board_yaml.c — the generic half of the board loader: walking a libyaml
 * document (mappings, lists, scalars) and reading checked values out of it
 * (names, numbers with ranges, booleans, colours, enumerations), each error
 * reported as "FILE:LINE: PATH: problem; expected WHAT".  The schema itself
 * lives in board.c and board_wiring.c.
 */
#include "board_yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- messages and paths ----------------------------------------------- */

int by_line(const yaml_node_t *n)
{
    return n ? (int)n->start_mark.line + 1 : 0;
}

int by_fail(struct byctx *c, const yaml_node_t *n, const char *path,
            const char *fmt, ...)
{
    if (!c->err || c->errlen == 0)
        return -1;
    int k = snprintf(c->err, c->errlen, "%s:%d: %s: ", c->file, by_line(n),
                     path && *path ? path : "(document)");
    if (k < 0 || (size_t)k >= c->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

void by_path_key(char *out, const char *parent, const char *key)
{
    if (parent && *parent)
        snprintf(out, BY_PATH_LEN, "%s.%.48s", parent, key);
    else
        snprintf(out, BY_PATH_LEN, "%.48s", key);
}

void by_path_idx(char *out, const char *parent, int i)
{
    snprintf(out, BY_PATH_LEN, "%s[%d]", parent, i);
}

void by_range(char *out, size_t cap, uint32_t base, uint32_t size)
{
    uint64_t last = (uint64_t)base + size - (size ? 1 : 0);
    snprintf(out, cap, "0x%08X..0x%08llX", base, (unsigned long long)last);
}

bool by_overlap(uint32_t a, uint32_t as, uint32_t b, uint32_t bs)
{
    return (uint64_t)a < (uint64_t)b + bs && (uint64_t)b < (uint64_t)a + as;
}

/* ---- node access -------------------------------------------------------- */

yaml_node_t *by_node(struct byctx *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

int by_seq_len(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return 0;
    return (int)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *by_seq_item(struct byctx *c, yaml_node_t *seq, int i)
{
    if (i < 0 || i >= by_seq_len(seq))
        return NULL;
    return by_node(c, seq->data.sequence.items.start[i]);
}

int by_map_len(const yaml_node_t *n)
{
    if (!n || n->type != YAML_MAPPING_NODE)
        return 0;
    return (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

yaml_node_t *by_map_key(struct byctx *c, yaml_node_t *map, int i)
{
    if (i < 0 || i >= by_map_len(map))
        return NULL;
    return by_node(c, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *by_map_value(struct byctx *c, yaml_node_t *map, int i)
{
    if (i < 0 || i >= by_map_len(map))
        return NULL;
    return by_node(c, map->data.mapping.pairs.start[i].value);
}

const char *by_text(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return "";
    return (const char *)n->data.scalar.value;
}

static const char *kind_name(const yaml_node_t *n)
{
    if (!n)
        return "nothing";
    switch (n->type) {
    case YAML_MAPPING_NODE: return "a mapping";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_SCALAR_NODE: return "a scalar";
    default: return "empty";
    }
}

/* ---- mappings and lists ------------------------------------------------- */

static bool in_list(const char *const names[], const char *s)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return true;
    return false;
}

static void join_list(char *out, size_t cap, const char *const names[])
{
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; names[i] && k < cap; i++) {
        int w = snprintf(out + k, cap - k, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        k += (size_t)w;
    }
}

static int check_key(struct byctx *c, yaml_node_t *map, int i,
                     const char *path, const char *const keys[])
{
    char p[BY_PATH_LEN], list[512];
    yaml_node_t *k = by_map_key(c, map, i);
    if (!k || k->type != YAML_SCALAR_NODE)
        return by_fail(c, k ? k : map, path,
                       "a key is %s; expected plain string keys", kind_name(k));
    by_path_key(p, path, by_text(k));
    if (keys && !in_list(keys, by_text(k))) {
        join_list(list, sizeof list, keys);
        return by_fail(c, k, p, "unknown key; expected one of: %s", list);
    }
    for (int j = 0; j < i; j++) {
        yaml_node_t *prev = by_map_key(c, map, j);
        if (prev && prev->type == YAML_SCALAR_NODE &&
            strcmp(by_text(prev), by_text(k)) == 0)
            return by_fail(c, k, p,
                           "duplicate key (first at line %d); expected each key once",
                           by_line(prev));
    }
    return 0;
}

int by_check_map(struct byctx *c, yaml_node_t *n, const char *path,
                 const char *const keys[], const char *what)
{
    if (!n || n->type != YAML_MAPPING_NODE)
        return by_fail(c, n, path, "is %s; expected %s", kind_name(n), what);
    for (int i = 0; i < by_map_len(n); i++)
        if (check_key(c, n, i, path, keys))
            return -1;
    return 0;
}

int by_check_seq(struct byctx *c, yaml_node_t *n, const char *path, int max,
                 const char *what, int *count)
{
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return by_fail(c, n, path, "is %s; expected %s", kind_name(n), what);
    int len = by_seq_len(n);
    if (len > max)
        return by_fail(c, n, path, "has %d items; expected at most %d", len, max);
    *count = len;
    return 0;
}

yaml_node_t *by_get(struct byctx *c, yaml_node_t *map, const char *key)
{
    for (int i = 0; i < by_map_len(map); i++) {
        yaml_node_t *k = by_map_key(c, map, i);
        if (k && k->type == YAML_SCALAR_NODE && strcmp(by_text(k), key) == 0)
            return by_map_value(c, map, i);
    }
    return NULL;
}

int by_req(struct byctx *c, yaml_node_t *map, const char *path,
           const char *key, const char *what, yaml_node_t **out)
{
    char p[BY_PATH_LEN];
    *out = by_get(c, map, key);
    if (*out)
        return 0;
    by_path_key(p, path, key);
    return by_fail(c, map, p, "missing; expected %s", what);
}

/* ---- scalars ------------------------------------------------------------ */

static int need_scalar(struct byctx *c, yaml_node_t *n, const char *path,
                       const char *what)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return by_fail(c, n, path, "is %s; expected %s", kind_name(n), what);
    if (strlen(by_text(n)) != n->data.scalar.length)
        return by_fail(c, n, path, "contains a NUL character; expected %s", what);
    return 0;
}

/* A scalar that must be written plainly (numbers, booleans). */
static int need_plain(struct byctx *c, yaml_node_t *n, const char *path,
                      const char *what)
{
    if (need_scalar(c, n, path, what))
        return -1;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return by_fail(c, n, path, "\"%.40s\" is a quoted string; expected %s",
                       by_text(n), what);
    if (by_text(n)[0] == '\0')
        return by_fail(c, n, path, "has no value; expected %s", what);
    return 0;
}

int by_str(struct byctx *c, yaml_node_t *n, const char *path, char *buf,
           size_t cap)
{
    char what[64];
    snprintf(what, sizeof what, "a string of 1..%zu characters", cap - 1);
    if (need_scalar(c, n, path, what))
        return -1;
    const char *s = by_text(n);
    size_t len = strlen(s);
    if (len == 0)
        return by_fail(c, n, path, "is empty; expected %s", what);
    if (len >= cap)
        return by_fail(c, n, path, "\"%.40s...\" is %zu characters long; expected %s",
                       s, len, what);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20)
            return by_fail(c, n, path,
                           "contains a control character; expected %s", what);
    memcpy(buf, s, len + 1);
    return 0;
}

enum numres { NUM_OK, NUM_NOTNUM, NUM_NEG, NUM_FRAC, NUM_BIG };

static int digit_value(char ch, int base)
{
    int v = -1;
    if (ch >= '0' && ch <= '9')
        v = ch - '0';
    else if (ch >= 'a' && ch <= 'f')
        v = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F')
        v = ch - 'A' + 10;
    return v < base ? v : -1;
}

static uint64_t suffix_mult(const char *p, bool allow)
{
    if (*p == '\0')
        return 1;
    if (!allow)
        return 0;
    if (strcmp(p, "K") == 0 || strcmp(p, "KiB") == 0)
        return 1024;
    if (strcmp(p, "M") == 0 || strcmp(p, "MiB") == 0)
        return 1024 * 1024;
    return 0;
}

/* Parse "123", "0x1F", and with suffixes allowed "64KiB"; no sign. */
static enum numres parse_unsigned(const char *s, bool suffix, uint64_t *out)
{
    int base = 10, ndig = 0;
    const char *p = s;
    uint64_t v = 0;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    for (int d; (d = digit_value(*p, base)) >= 0; p++, ndig++)
        if (v <= UINT32_MAX)
            v = v * (uint64_t)base + (uint64_t)d;
    uint64_t mult = ndig ? suffix_mult(p, suffix) : 0;
    if (mult == 0) {
        char *end;
        strtod(s, &end);
        return (end != s && *end == '\0') ? NUM_FRAC : NUM_NOTNUM;
    }
    v *= mult;
    *out = v;
    return v > UINT32_MAX ? NUM_BIG : NUM_OK;
}

static enum numres parse_number(const char *s, bool suffix, uint64_t *out)
{
    if (s[0] == '-') {
        enum numres r = parse_unsigned(s + 1, suffix, out);
        return (r == NUM_NOTNUM) ? NUM_NOTNUM : NUM_NEG;
    }
    if (s[0] == '+')
        return NUM_NOTNUM;
    return parse_unsigned(s, suffix, out);
}

static void range_text(char *out, size_t cap, uint32_t min, uint32_t max,
                       unsigned flags)
{
    if (flags & BY_HEX)
        snprintf(out, cap, "an integer 0x%X..0x%X", min, max);
    else
        snprintf(out, cap, "an integer %u..%u", min, max);
    if (flags & BY_SIZE) {
        size_t k = strlen(out);
        snprintf(out + k, cap - k, " (decimal or 0x hex, optional K/KiB/M/MiB suffix)");
    } else {
        size_t k = strlen(out);
        snprintf(out + k, cap - k, " (decimal or 0x hex)");
    }
}

int by_u32(struct byctx *c, yaml_node_t *n, const char *path, uint32_t min,
           uint32_t max, unsigned flags, const char *note, uint32_t *out)
{
    char what[128];
    uint64_t v = 0;
    range_text(what, sizeof what, min, max, flags);
    if (need_plain(c, n, path, what))
        return -1;
    const char *s = by_text(n);
    const char *sp = note ? " " : "", *nt = note ? note : "";
    switch (parse_number(s, flags & BY_SIZE, &v)) {
    case NUM_NOTNUM:
        return by_fail(c, n, path, "'%.40s' is not a number; expected %s", s, what);
    case NUM_NEG:
        return by_fail(c, n, path, "%.40s is negative; expected %s", s, what);
    case NUM_FRAC:
        return by_fail(c, n, path, "%.40s is not an integer; expected %s", s, what);
    case NUM_BIG:
        return by_fail(c, n, path, "%.40s is out of range; expected %s%s%s", s, what, sp, nt);
    case NUM_OK:
        break;
    }
    if (v < min || v > max)
        return by_fail(c, n, path, "%.40s is out of range; expected %s%s%s", s, what, sp, nt);
    *out = (uint32_t)v;
    return 0;
}

int by_bool(struct byctx *c, yaml_node_t *n, const char *path, bool *out)
{
    const char *what = "true or false";
    if (need_plain(c, n, path, what))
        return -1;
    const char *s = by_text(n);
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
        *out = s[0] == 't';
        return 0;
    }
    return by_fail(c, n, path, "'%.40s' is not a boolean; expected %s", s, what);
}

int by_color(struct byctx *c, yaml_node_t *n, const char *path, uint32_t *out)
{
    const char *what = "a colour 0xRRGGBB (or the quoted string \"#RRGGBB\")";
    if (need_scalar(c, n, path, what))
        return -1;
    const char *s = by_text(n);
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        uint32_t v = 0;
        int i = 1;
        for (; s[0] == '#' && i <= 6 && digit_value(s[i], 16) >= 0; i++)
            v = v * 16 + (uint32_t)digit_value(s[i], 16);
        if (i != 7 || s[7] != '\0')
            return by_fail(c, n, path, "\"%.40s\" is not a colour; expected %s", s, what);
        *out = v;
        return 0;
    }
    return by_u32(c, n, path, 0, 0xFFFFFF, BY_HEX, "(0xRRGGBB)", out);
}

int by_enum(struct byctx *c, yaml_node_t *n, const char *path,
            const char *const names[], int *idx)
{
    char list[512], what[560];
    join_list(list, sizeof list, names);
    snprintf(what, sizeof what, "one of: %s", list);
    if (need_scalar(c, n, path, what))
        return -1;
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], by_text(n)) == 0) {
            *idx = i;
            return 0;
        }
    }
    return by_fail(c, n, path, "'%.40s' is not known; expected %s", by_text(n), what);
}

/* ---- required / optional fields ----------------------------------------- */

int by_req_str(struct byctx *c, yaml_node_t *map, const char *path,
               const char *key, char *buf, size_t cap)
{
    char p[BY_PATH_LEN], what[64];
    yaml_node_t *v;
    snprintf(what, sizeof what, "a string of 1..%zu characters", cap - 1);
    if (by_req(c, map, path, key, what, &v))
        return -1;
    by_path_key(p, path, key);
    return by_str(c, v, p, buf, cap);
}

int by_req_u32(struct byctx *c, yaml_node_t *map, const char *path,
               const char *key, uint32_t min, uint32_t max, unsigned flags,
               uint32_t *out)
{
    char p[BY_PATH_LEN], what[128];
    yaml_node_t *v;
    range_text(what, sizeof what, min, max, flags);
    if (by_req(c, map, path, key, what, &v))
        return -1;
    by_path_key(p, path, key);
    return by_u32(c, v, p, min, max, flags, NULL, out);
}

int by_req_int(struct byctx *c, yaml_node_t *map, const char *path,
               const char *key, int min, int max, int *out)
{
    uint32_t v;
    if (by_req_u32(c, map, path, key, (uint32_t)min, (uint32_t)max, 0, &v))
        return -1;
    *out = (int)v;
    return 0;
}

int by_opt_bool(struct byctx *c, yaml_node_t *map, const char *path,
                const char *key, bool *out)
{
    char p[BY_PATH_LEN];
    yaml_node_t *v = by_get(c, map, key);
    if (!v)
        return 0;
    by_path_key(p, path, key);
    return by_bool(c, v, p, out);
}

int by_opt_color(struct byctx *c, yaml_node_t *map, const char *path,
                 const char *key, uint32_t *out)
{
    char p[BY_PATH_LEN];
    yaml_node_t *v = by_get(c, map, key);
    if (!v)
        return 0;
    by_path_key(p, path, key);
    return by_color(c, v, p, out);
}
