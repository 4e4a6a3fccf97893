/*
 * snapshot.h — `--snapshot-at DURATION FILE` and `--restore FILE`
 * (docs/snapshots.md, issue #7): save the full machine state (CPU, memory,
 * SCS, peripheral models, board-side state, pending model timers) at a block
 * boundary and resume a run from it, with the same trace from then on.
 *
 * Two halves:
 *   - a field-by-field writer/reader (struct snap_buf) that the models use in
 *     their optional periph_model.save / .restore: models write plain values
 *     only (never a pointer); restore re-derives nothing but the values, the
 *     pointers a model set up in create() stay as they are.  evq timers are
 *     saved as their `when` and arming order `seq` and re-armed on restore;
 *   - the file: header (board/kernel/apps with content hashes, seed, cycle),
 *     sections per component, a checksum.
 * Values are little-endian; raw byte arrays are host structs of plain data
 * (the hailsim version in the header must match exactly).
 */
#ifndef HAILSIM_SNAPSHOT_H
#define HAILSIM_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct evq_timer;
struct cli_options;

/* ---- the field-by-field API for models ------------------------------------- */
struct snap_buf {
    uint8_t *data;
    size_t len, cap;            /* writing: bytes written, allocated */
    size_t pos;                 /* reading: next byte */
    bool bad;                   /* out of memory, or a read past the end */
};

void snap_put_bytes(struct snap_buf *b, const void *p, size_t n);
void snap_put_u8(struct snap_buf *b, uint8_t v);
void snap_put_u32(struct snap_buf *b, uint32_t v);
void snap_put_u64(struct snap_buf *b, uint64_t v);
static inline void snap_put_bool(struct snap_buf *b, bool v) { snap_put_u8(b, v ? 1 : 0); }
static inline void snap_put_i32(struct snap_buf *b, int32_t v) { snap_put_u32(b, (uint32_t)v); }
void snap_put_u32s(struct snap_buf *b, const uint32_t *v, size_t n);
/* an evq timer: its absolute `when` (EVQ_NEVER when idle) and arming order */
void snap_put_timer(struct snap_buf *b, const struct evq_timer *t);

void snap_get_bytes(struct snap_buf *b, void *p, size_t n);
uint8_t snap_get_u8(struct snap_buf *b);
uint32_t snap_get_u32(struct snap_buf *b);
uint64_t snap_get_u64(struct snap_buf *b);
static inline bool snap_get_bool(struct snap_buf *b) { return snap_get_u8(b) != 0; }
static inline int32_t snap_get_i32(struct snap_buf *b) { return (int32_t)snap_get_u32(b); }
void snap_get_u32s(struct snap_buf *b, uint32_t *v, size_t n);
/* re-arms the timer slot (already registered by the model's create) at the
 * saved cycle and order; snapshot.c recomputes the queue's minimum after all */
void snap_get_timer(struct snap_buf *b, struct evq_timer *t);

/* ---- the command line side -------------------------------------------------- */
/* --restore: reads FILE's header, takes its board, kernel, apps and seed into
 * *o (like --replay) and checks the files still hash the same.  Returns 0, or
 * -1 and a message naming what differs (exit status 2).  `version`: this
 * hailsim's version string, which must equal the snapshot's. */
int snapshot_open_restore(struct cli_options *o, const char *version, char *err, size_t errlen);
/* --restore: after setup (machine created, images loaded, reset): loads the
 * state.  Returns 0, or -1 and a message. */
int snapshot_restore(struct machine *m, const struct cli_options *o, char *err, size_t errlen);
/* --snapshot-at: arms the timer; the run loop writes FILE at the first block
 * boundary at or after the time (the run then continues).  `version` is the
 * hailsim version string written in the header. */
int snapshot_arm(struct machine *m, const struct cli_options *o, const char *version, char *err, size_t errlen);
/* Called by the run loop (cpu.c) outside any hook when m->snapshot_pending. */
void snapshot_take(struct machine *m);
/* After machine_destroy (the event queue points at its timer). */
void snapshot_free(struct machine *m);

#endif
