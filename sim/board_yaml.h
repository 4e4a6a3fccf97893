/*
 * board_yaml.h — internal to the board loader (sim/board*.c): a small,
 * checked layer over libyaml's document API.  Every helper that can fail
 * writes one message "FILE:LINE: PATH: problem; expected WHAT" into the
 * context's error buffer and returns -1; on success it returns 0.
 *
 * Used by the board loader and the scenario loader (sim/scenario.c); it is
 * not a general YAML API.
 */
#ifndef HAILSIM_BOARD_YAML_H
#define HAILSIM_BOARD_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "board.h"

/* Longest field path we build, e.g. "peripherals[12].irqs.group3". */
#define BY_PATH_LEN 160

/* Flags for the number readers. */
#define BY_SIZE 1u   /* accept K, KiB, M, MiB suffixes */
#define BY_HEX 2u    /* show the accepted range in hex in messages */

struct byctx {
    const char *file;       /* used as FILE in messages */
    yaml_document_t *doc;
    char *err;
    size_t errlen;
};

/* Line (1-based) of a node, 0 when n is NULL. */
int by_line(const yaml_node_t *n);

/* Record an error at node n (its line) for field `path`; always returns -1. */
int by_fail(struct byctx *c, const yaml_node_t *n, const char *path,
            const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Path builders: "parent.key" (or "key" at top level) and "parent[i]". */
void by_path_key(char *out, const char *parent, const char *key);
void by_path_idx(char *out, const char *parent, int i);

/* Node of a sequence item / mapping pair.  NULL-safe. */
yaml_node_t *by_node(struct byctx *c, int index);
int by_seq_len(const yaml_node_t *n);
yaml_node_t *by_seq_item(struct byctx *c, yaml_node_t *seq, int i);
int by_map_len(const yaml_node_t *n);
yaml_node_t *by_map_key(struct byctx *c, yaml_node_t *map, int i);
yaml_node_t *by_map_value(struct byctx *c, yaml_node_t *map, int i);
/* Text of a scalar node ("" for others). */
const char *by_text(const yaml_node_t *n);

/* n must be a mapping whose keys are unique strings, all in `keys`
 * (NULL-terminated; keys == NULL means any key is allowed). */
int by_check_map(struct byctx *c, yaml_node_t *n, const char *path,
                 const char *const keys[], const char *what);
/* n must be a list of at most `max` items; *count gets its length. */
int by_check_seq(struct byctx *c, yaml_node_t *n, const char *path, int max,
                 const char *what, int *count);

/* Value of `key` in mapping `map`, or NULL when absent. */
yaml_node_t *by_get(struct byctx *c, yaml_node_t *map, const char *key);
/* Same, but a missing key is an error ("missing; expected WHAT"). */
int by_req(struct byctx *c, yaml_node_t *map, const char *path,
           const char *key, const char *what, yaml_node_t **out);

/* Scalar readers; `path` names the field for messages. */
int by_str(struct byctx *c, yaml_node_t *n, const char *path, char *buf,
           size_t cap);
int by_u32(struct byctx *c, yaml_node_t *n, const char *path, uint32_t min,
           uint32_t max, unsigned flags, const char *note, uint32_t *out);
int by_bool(struct byctx *c, yaml_node_t *n, const char *path, bool *out);
int by_color(struct byctx *c, yaml_node_t *n, const char *path, uint32_t *out);
/* One of `names` (NULL-terminated); *idx gets its index. */
int by_enum(struct byctx *c, yaml_node_t *n, const char *path,
            const char *const names[], int *idx);

/* "key" of mapping `map` (under `path`), required, read with the reader. */
int by_req_str(struct byctx *c, yaml_node_t *map, const char *path,
               const char *key, char *buf, size_t cap);
int by_req_u32(struct byctx *c, yaml_node_t *map, const char *path,
               const char *key, uint32_t min, uint32_t max, unsigned flags,
               uint32_t *out);
int by_req_int(struct byctx *c, yaml_node_t *map, const char *path,
               const char *key, int min, int max, int *out);
/* Optional: *out keeps its value when the key is absent. */
int by_opt_bool(struct byctx *c, yaml_node_t *map, const char *path,
                const char *key, bool *out);
int by_opt_color(struct byctx *c, yaml_node_t *map, const char *path,
                 const char *key, uint32_t *out);

/* Pretty "0x00010000..0x0002FFFF" (inclusive end) of a window. */
void by_range(char *out, size_t cap, uint32_t base, uint32_t size);
/* Do [a, a+as) and [b, b+bs) intersect? */
bool by_overlap(uint32_t a, uint32_t as, uint32_t b, uint32_t bs);

/* Schema sections implemented in board_wiring.c, called by board.c. */
int board_parse_wiring(struct byctx *c, yaml_node_t *root, struct board *b);
int board_parse_view(struct byctx *c, yaml_node_t *root, struct board *b);

#endif
