/*
 * snapshot.c — machine snapshots (see snapshot.h and docs/snapshots.md).
 *
 * File layout (all integers little-endian):
 *   "HAILSNAP" u32 format-version
 *   str hailsim-version
 *   str board-path  u64 fnv1a(board YAML)
 *   str kernel-path u64 fnv1a(kernel ELF)
 *   u32 napps, napps x (str path, u64 fnv1a(image))
 *   u64 seed, u32 clock_hz, u64 cycle, u64 t_ns
 *   sections: u32 tag, u32 length, payload   ("CPU ", "CORE", "MEM ",
 *             "PERI", "BIO ", "PROC"), then "END " with u64 fnv1a of every
 *             byte before that section
 *   str = u32 length + bytes (no NUL)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "cli.h"
#include "cpu_state.h"
#include "exc.h"
#include "machine.h"
#include "mpu_enforce.h"
#include "periph.h"
#include "proctrace.h"
#include "snapshot.h"
#include "trace.h"

#define SNAP_MAGIC "HAILSNAP"
#define SNAP_FORMAT 1u
#define SNAP_STR 1024

static uint32_t tag(const char *s) { return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24; }

/* ---- the buffer --------------------------------------------------------------- */

void snap_put_bytes(struct snap_buf *b, const void *p, size_t n)
{
    if (b->bad)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) {
            b->bad = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void snap_put_u8(struct snap_buf *b, uint8_t v) { snap_put_bytes(b, &v, 1); }

void snap_put_u32(struct snap_buf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    snap_put_bytes(b, x, 4);
}

void snap_put_u64(struct snap_buf *b, uint64_t v)
{
    snap_put_u32(b, (uint32_t)v);
    snap_put_u32(b, (uint32_t)(v >> 32));
}

void snap_put_u32s(struct snap_buf *b, const uint32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snap_put_u32(b, v[i]);
}

void snap_put_timer(struct snap_buf *b, const struct evq_timer *t)
{
    snap_put_u64(b, t->when);
    snap_put_u64(b, t->seq);
}

void snap_get_bytes(struct snap_buf *b, void *p, size_t n)
{
    if (b->bad || n > b->len - b->pos) {
        b->bad = true;
        memset(p, 0, n);
        return;
    }
    memcpy(p, b->data + b->pos, n);
    b->pos += n;
}

uint8_t snap_get_u8(struct snap_buf *b)
{
    uint8_t v;
    snap_get_bytes(b, &v, 1);
    return v;
}

uint32_t snap_get_u32(struct snap_buf *b)
{
    uint8_t x[4];
    snap_get_bytes(b, x, 4);
    return (uint32_t)x[0] | (uint32_t)x[1] << 8 | (uint32_t)x[2] << 16 | (uint32_t)x[3] << 24;
}

uint64_t snap_get_u64(struct snap_buf *b)
{
    uint64_t lo = snap_get_u32(b);
    return lo | (uint64_t)snap_get_u32(b) << 32;
}

void snap_get_u32s(struct snap_buf *b, uint32_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = snap_get_u32(b);
}

void snap_get_timer(struct snap_buf *b, struct evq_timer *t)
{
    t->when = snap_get_u64(b);
    t->seq = snap_get_u64(b);
}

static void put_str(struct snap_buf *b, const char *s)
{
    size_t n = strlen(s);
    snap_put_u32(b, (uint32_t)n);
    snap_put_bytes(b, s, n);
}

static void get_str(struct snap_buf *b, char *out, size_t cap)
{
    uint32_t n = snap_get_u32(b);
    if (n >= cap) {
        b->bad = true;
        out[0] = '\0';
        return;
    }
    snap_get_bytes(b, out, n);
    out[b->bad ? 0 : n] = '\0';
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001B3ull;
    return h;
}
#define FNV_INIT 0xCBF29CE484222325ull

/* 0 and the hash, -1 when the file cannot be read */
static int hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint8_t buf[65536];
    size_t n;
    *h = FNV_INIT;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        *h = fnv1a(*h, buf, n);
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    return rc;
}

/* ---- state of the module ----------------------------------------------------------- */

struct snapshot {
    struct machine *m;
    struct evq_timer timer;
    const char *path;
    char version[64];
    char board[SNAP_STR], kernel[SNAP_STR];
    int napps;
    char apps[CLI_MAX_APPS][SNAP_STR];
    uint64_t seed;
    bool taken;
};

/* --restore: what the header said (kept for snapshot_restore) */
struct restore_file {
    uint8_t *data;
    size_t len;
    size_t body;                /* offset of the first section */
    uint64_t cycle;
};

/* ---- sections ------------------------------------------------------------------------- */

static void save_cpu(struct machine *m, struct snap_buf *b)
{
    uint32_t msp, psp, primask, basepri, faultmask;
    for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; r++)
        snap_put_u32(b, cpu_reg(m, r));
    snap_put_u32(b, cpu_reg(m, UC_ARM_REG_LR));
    snap_put_u32(b, cpu_pc(m));
    snap_put_u32(b, cpu_reg(m, UC_ARM_REG_XPSR));
    cpu_get_sps(m, &msp, &psp);
    snap_put_u32(b, msp);
    snap_put_u32(b, psp);
    snap_put_u32(b, cpu_reg(m, UC_ARM_REG_CONTROL));
    cpu_get_masks(m, &primask, &basepri, &faultmask);
    snap_put_u32(b, primask);
    snap_put_u32(b, basepri);
    snap_put_u32(b, faultmask);
}

static void restore_cpu(struct machine *m, struct snap_buf *b)
{
    uint32_t r[13];
    snap_get_u32s(b, r, 13);
    uint32_t lr = snap_get_u32(b), pc = snap_get_u32(b), xpsr = snap_get_u32(b);
    uint32_t msp = snap_get_u32(b), psp = snap_get_u32(b), control = snap_get_u32(b);
    uint32_t primask = snap_get_u32(b), basepri = snap_get_u32(b), faultmask = snap_get_u32(b);
    if (b->bad)
        return;
    /* the masks are written from (privileged) handler mode, then the full mode */
    cpu_set_mode(m, (xpsr & ~0x1FFu) | 3u, 0, msp, psp);
    cpu_set_reg(m, UC_ARM_REG_PRIMASK, primask);
    cpu_set_reg(m, UC_ARM_REG_BASEPRI, basepri);
    cpu_set_faultmask(m, faultmask);
    cpu_set_mode(m, xpsr, control, msp, psp);
    for (int i = 0; i < 13; i++)
        cpu_set_reg(m, UC_ARM_REG_R0 + i, r[i]);
    cpu_set_reg(m, UC_ARM_REG_LR, lr);
    cpu_set_pc(m, pc);
    m->primask = primask;
    m->basepri = basepri;
}

static void save_core(struct machine *m, struct snap_buf *b)
{
    const struct exc_state *e = &m->exc;
    snap_put_i32(b, e->num_exc);
    for (int i = 0; i < EXC_MAX; i++) {
        const struct exc_slot *s = &e->slot[i];
        snap_put_u8(b, (uint8_t)(s->enabled | s->pending << 1 | s->active << 2 | s->line << 3));
        snap_put_u8(b, s->prio);
    }
    snap_put_i32(b, e->npending);
    snap_put_i32(b, e->nactive);
    snap_put_u8(b, e->prio_mask);
    snap_put_u32(b, e->prigroup);
    const struct scb_state *s = &m->scb;
    uint32_t scb[11] = { s->vtor, s->scr, s->ccr, s->cfsr, s->hfsr, s->dfsr, s->mmfar, s->bfar, s->afsr,
                         s->cpacr, s->actlr };
    snap_put_u32s(b, scb, 11);
    snap_put_u32(b, m->systick.csr);
    snap_put_u32(b, m->systick.rvr);
    snap_put_u64(b, m->systick.epoch);
    snap_put_u32(b, m->systick.cvr_frozen);
    snap_put_timer(b, &m->systick.timer);
    snap_put_i32(b, m->mpu.nregions);
    snap_put_u32(b, m->mpu.ctrl);
    snap_put_u32(b, m->mpu.rnr);
    snap_put_u32s(b, m->mpu.rbar, MPU_MAX_REGIONS);
    snap_put_u32s(b, m->mpu.rasr, MPU_MAX_REGIONS);
    snap_put_u32(b, m->mpu.generation);
    snap_put_u32(b, m->dwt.ctrl);
    snap_put_u32(b, m->dwt.demcr);
    snap_put_u64(b, m->dwt.cyccnt_base);
    snap_put_u32(b, m->dwt.cyccnt_frozen);
    snap_put_u32(b, m->ipsr);
    snap_put_u32(b, m->control);
    snap_put_bool(b, m->privileged);
    snap_put_bool(b, m->poll_control);
    snap_put_bool(b, m->event_register);
    snap_put_bool(b, m->sleeping);
    snap_put_u64(b, m->cycles);
    snap_put_u64(b, machine_insns(m));
    snap_put_u64(b, m->block_start);
    snap_put_u32(b, m->block_len);
    snap_put_u32(b, m->mmio_skew);
    snap_put_u32(b, m->block_end_pc);
    snap_put_u32(b, m->run_until);
    snap_put_bool(b, m->fault.valid);
    snap_put_i32(b, m->fault.exc);
    snap_put_u32(b, m->fault.cfsr_bits);
    snap_put_u32(b, m->fault.addr);
    snap_put_bool(b, m->reset_requested);
    snap_put_u64(b, m->evq.seq);
}

static void restore_core(struct machine *m, struct snap_buf *b)
{
    struct exc_state *e = &m->exc;
    e->num_exc = snap_get_i32(b);
    for (int i = 0; i < EXC_MAX; i++) {
        struct exc_slot *s = &e->slot[i];
        uint8_t f = snap_get_u8(b);
        *s = (struct exc_slot){ f & 1, f >> 1 & 1, f >> 2 & 1, f >> 3 & 1, snap_get_u8(b) };
    }
    e->npending = snap_get_i32(b);
    e->nactive = snap_get_i32(b);
    exc_rebuild_bits(e);
    e->prio_mask = snap_get_u8(b);
    e->prigroup = snap_get_u32(b);
    uint32_t scb[11];
    snap_get_u32s(b, scb, 11);
    m->scb = (struct scb_state){ scb[0], scb[1], scb[2], scb[3], scb[4], scb[5], scb[6], scb[7], scb[8],
                                 scb[9], scb[10] };
    m->systick.csr = snap_get_u32(b);
    m->systick.rvr = snap_get_u32(b);
    m->systick.epoch = snap_get_u64(b);
    m->systick.cvr_frozen = snap_get_u32(b);
    snap_get_timer(b, &m->systick.timer);
    m->mpu.nregions = snap_get_i32(b);
    m->mpu.ctrl = snap_get_u32(b);
    m->mpu.rnr = snap_get_u32(b);
    snap_get_u32s(b, m->mpu.rbar, MPU_MAX_REGIONS);
    snap_get_u32s(b, m->mpu.rasr, MPU_MAX_REGIONS);
    m->mpu.generation = snap_get_u32(b);
    m->dwt.ctrl = snap_get_u32(b);
    m->dwt.demcr = snap_get_u32(b);
    m->dwt.cyccnt_base = snap_get_u64(b);
    m->dwt.cyccnt_frozen = snap_get_u32(b);
    m->ipsr = snap_get_u32(b);
    m->control = snap_get_u32(b);
    m->privileged = snap_get_bool(b);
    m->poll_control = snap_get_bool(b);
    m->event_register = snap_get_bool(b);
    m->sleeping = snap_get_bool(b);
    m->cycles = snap_get_u64(b);
    m->stall_cycles = m->cycles - snap_get_u64(b);   /* the file holds the instruction count */
    m->block_start = snap_get_u64(b);
    m->block_len = snap_get_u32(b);
    m->mmio_skew = snap_get_u32(b);
    m->block_end_pc = snap_get_u32(b);
    m->run_until = snap_get_u32(b);
    m->fault.valid = snap_get_bool(b);
    m->fault.exc = snap_get_i32(b);
    m->fault.cfsr_bits = snap_get_u32(b);
    m->fault.addr = snap_get_u32(b);
    m->reset_requested = snap_get_bool(b);
    m->evq.seq = snap_get_u64(b);
    /* the MPU copy inside QEMU (or the page protections) is re-synced before the next block */
    m->enforce_generation = m->mpu.generation + 1u;
    m->enforce_priv = -1;
    mpu_enforce_forget(m);              /* the generation number may repeat an older one */
    m->qmpu_ctrl = ~m->mpu.ctrl;
    m->qmpu_ccr = ~m->scb.ccr;
}

static void save_mem(struct machine *m, struct snap_buf *b)
{
    snap_put_i32(b, m->nmem);
    for (int i = 0; i < m->nmem; i++) {
        snap_put_u32(b, m->mem[i].base);
        snap_put_u32(b, m->mem[i].size);
        snap_put_bytes(b, m->mem[i].host, m->mem[i].size);
    }
}

static int restore_mem(struct machine *m, struct snap_buf *b, char *err, size_t errlen)
{
    int n = snap_get_i32(b);
    if (n != m->nmem) {
        snprintf(err, errlen, "the snapshot has %d memories, the board %d", n, m->nmem);
        return -1;
    }
    for (int i = 0; i < n && !b->bad; i++) {
        uint32_t base = snap_get_u32(b), size = snap_get_u32(b);
        if (base != m->mem[i].base || size != m->mem[i].size) {
            snprintf(err, errlen, "memory %d is 0x%08x (+0x%x) in the snapshot, 0x%08x (+0x%x) on the board",
                     i, base, size, m->mem[i].base, m->mem[i].size);
            return -1;
        }
        snap_get_bytes(b, m->mem[i].host, size);
    }
    return 0;
}

static void save_proc(struct machine *m, struct snap_buf *b)
{
    struct proctrace *pt = m->proctrace;
    snap_put_bool(b, pt != NULL);
    if (!pt)
        return;
    snap_put_bool(b, pt->pv.valid);
    snap_put_u32(b, pt->pv.addr);
    snap_put_u32(b, pt->pv.generation);
    snap_put_i32(b, pt->pv.nprocs);
    snap_put_bytes(b, pt->pv.procs, sizeof pt->pv.procs);
    snap_put_i32(b, pt->pv.nlog);
    snap_put_i32(b, pt->pv.log_head);
    snap_put_bytes(b, pt->pv.log, sizeof pt->pv.log);
    snap_put_u32s(b, pt->last_state, PROCVIEW_MAX_PROCS);
    snap_put_u32s(b, pt->last_pid, PROCVIEW_MAX_PROCS);
    snap_put_i32(b, pt->nlast);
}

/* The tracker exists only with --trace; a snapshot taken without one starts
 * the restored trace with every process's current state. */
static void restore_proc(struct machine *m, struct snap_buf *b)
{
    if (!snap_get_bool(b))
        return;
    struct proctrace tmp, *pt = m->proctrace ? m->proctrace : &tmp;
    pt->pv.valid = snap_get_bool(b);
    pt->pv.addr = snap_get_u32(b);
    pt->pv.generation = snap_get_u32(b);
    pt->pv.nprocs = snap_get_i32(b);
    snap_get_bytes(b, pt->pv.procs, sizeof pt->pv.procs);
    pt->pv.nlog = snap_get_i32(b);
    pt->pv.log_head = snap_get_i32(b);
    snap_get_bytes(b, pt->pv.log, sizeof pt->pv.log);
    snap_get_u32s(b, pt->last_state, PROCVIEW_MAX_PROCS);
    snap_get_u32s(b, pt->last_pid, PROCVIEW_MAX_PROCS);
    pt->nlast = snap_get_i32(b);
}

/* ---- writing ---------------------------------------------------------------------------- */

static void section(struct snap_buf *out, const char *name, struct snap_buf *payload)
{
    snap_put_u32(out, tag(name));
    snap_put_u32(out, (uint32_t)payload->len);
    snap_put_bytes(out, payload->data, payload->len);
    out->bad |= payload->bad;
    free(payload->data);
    *payload = (struct snap_buf){ 0 };
}

static int header_hashes(const struct snapshot *s, uint64_t *hb, uint64_t *hk, uint64_t *ha, char *err, size_t errlen)
{
    if (hash_file(s->board, hb) != 0 || hash_file(s->kernel, hk) != 0) {
        snprintf(err, errlen, "cannot read %s", hash_file(s->board, hb) != 0 ? s->board : s->kernel);
        return -1;
    }
    for (int i = 0; i < s->napps; i++)
        if (hash_file(s->apps[i], &ha[i]) != 0) {
            snprintf(err, errlen, "cannot read %s", s->apps[i]);
            return -1;
        }
    return 0;
}

static int write_snapshot(struct snapshot *s, char *err, size_t errlen)
{
    struct machine *m = s->m;
    uint64_t hb, hk, ha[CLI_MAX_APPS];
    if (header_hashes(s, &hb, &hk, ha, err, errlen) != 0)
        return -1;
    struct snap_buf out = { 0 }, sec = { 0 };
    snap_put_bytes(&out, SNAP_MAGIC, 8);
    snap_put_u32(&out, SNAP_FORMAT);
    put_str(&out, s->version);
    put_str(&out, s->board);
    snap_put_u64(&out, hb);
    put_str(&out, s->kernel);
    snap_put_u64(&out, hk);
    snap_put_u32(&out, (uint32_t)s->napps);
    for (int i = 0; i < s->napps; i++) {
        put_str(&out, s->apps[i]);
        snap_put_u64(&out, ha[i]);
    }
    snap_put_u64(&out, s->seed);
    snap_put_u32(&out, m->clock_hz);
    snap_put_u64(&out, m->cycles);
    snap_put_u64(&out, machine_time_ns(m));
    save_cpu(m, &sec);
    section(&out, "CPU ", &sec);
    save_core(m, &sec);
    section(&out, "CORE", &sec);
    save_mem(m, &sec);
    section(&out, "MEM ", &sec);
    periph_save_all(m, &sec);
    section(&out, "PERI", &sec);
    board_io_save(m, &sec);
    section(&out, "BIO ", &sec);
    save_proc(m, &sec);
    section(&out, "PROC", &sec);
    uint64_t sum = out.bad ? 0 : fnv1a(FNV_INIT, out.data, out.len);
    snap_put_u64(&sec, sum);
    section(&out, "END ", &sec);
    if (out.bad) {
        free(out.data);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    FILE *f = fopen(s->path, "wb");
    if (!f) {
        free(out.data);
        snprintf(err, errlen, "%s: cannot create: %s", s->path, strerror(errno));
        return -1;
    }
    bool ok = fwrite(out.data, 1, out.len, f) == out.len;
    ok &= fclose(f) == 0;
    free(out.data);
    if (!ok) {
        snprintf(err, errlen, "%s: write error", s->path);
        return -1;
    }
    return 0;
}

static void on_timer(void *ctx, uint64_t now)
{
    struct snapshot *s = ctx;
    (void)now;
    s->m->snapshot_pending = true;
    cpu_defer_stop(s->m);
}

void snapshot_take(struct machine *m)
{
    struct snapshot *s = m->snap;
    char err[SNAP_STR + 200];
    m->snapshot_pending = false;
    if (!s || s->taken)
        return;
    s->taken = true;
    if (write_snapshot(s, err, sizeof err) != 0) {
        cpu_fatal(m, STOP_CPU_ERROR, "--snapshot-at: %s", err);
        return;
    }
    if (m->trace) {
        char path[SNAP_STR * 6 + 3];
        trace_json_string(path, sizeof path, s->path, strlen(s->path));
        trace_emit(m, "snapshot", "\"file\":%s,\"cycle\":%" PRIu64, path, m->cycles);
    }
    fprintf(m->err, "hailsim: snapshot written to %s at cycle %" PRIu64 " (%" PRIu64 " ns)\n",
            s->path, m->cycles, machine_time_ns(m));
}

int snapshot_arm(struct machine *m, const struct cli_options *o, const char *version, char *err, size_t errlen)
{
    if (!o->snapshot_file)
        return 0;
    struct snapshot *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->m = m;
    s->path = o->snapshot_file;
    snprintf(s->version, sizeof s->version, "%s", version);
    snprintf(s->board, sizeof s->board, "%s", o->board);
    snprintf(s->kernel, sizeof s->kernel, "%s", o->kernel);
    s->napps = o->napps;
    for (int i = 0; i < o->napps; i++)
        snprintf(s->apps[i], sizeof s->apps[i], "%s", o->apps[i]);
    s->seed = o->seed;
    m->snap = s;
    if (evq_add_timer(&m->evq, &s->timer, "snapshot", on_timer, s) != 0) {
        snprintf(err, errlen, "--snapshot-at: too many timers");
        return -1;
    }
    uint64_t at = machine_ns_to_cycles(m, o->snapshot_ns);
    evq_arm(&m->evq, &s->timer, at > m->cycles ? at : m->cycles);
    return 0;
}

void snapshot_free(struct machine *m)
{
    free(m->snap);
    m->snap = NULL;
}

/* ---- reading ------------------------------------------------------------------------------ */

static struct restore_file rf_state;            /* one --restore per process */
static char rf_board[SNAP_STR], rf_kernel[SNAP_STR], rf_apps[CLI_MAX_APPS][SNAP_STR];

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
    snprintf(err, errlen, "--restore: %s: %s", path, what);
    return -1;
}

static int open_restore(struct cli_options *o, const char *myversion, char *err, size_t errlen)
{
    const char *path = o->restore;
    if (!path)
        return 0;
    if (o->napps || o->replay || o->record || o->snapshot_file) {
        snprintf(err, errlen, "--restore: %s", o->napps ? "the snapshot names the apps; give no app images"
                 : "cannot be combined with --record, --replay or --snapshot-at");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "--restore: %s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct snap_buf b = { 0 };
    uint8_t chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        snap_put_bytes(&b, chunk, n);
    fclose(f);
    if (b.bad)
        return free(b.data), fail(err, errlen, path, "out of memory");
    rf_state.data = b.data;
    rf_state.len = b.len;
    if (b.len < 8 + 4 + 16 || memcmp(b.data, SNAP_MAGIC, 8) != 0)
        return fail(err, errlen, path, "not a hailsim snapshot (no HAILSNAP magic)");
    /* the END section: tag, length 8, checksum of everything before it */
    struct snap_buf tail = { .data = b.data, .len = b.len, .pos = b.len - 16 };
    uint32_t end_tag = snap_get_u32(&tail), end_len = snap_get_u32(&tail);
    uint64_t sum = snap_get_u64(&tail);
    if (end_tag != tag("END ") || end_len != 8 || sum != fnv1a(FNV_INIT, b.data, b.len - 16))
        return fail(err, errlen, path, "corrupted or truncated (checksum mismatch)");
    b.pos = 8;
    char version[64];
    uint32_t format = snap_get_u32(&b);
    if (format != SNAP_FORMAT) {
        snprintf(err, errlen, "--restore: %s: snapshot format %u, this hailsim reads format %u", path, format, SNAP_FORMAT);
        return -1;
    }
    get_str(&b, version, sizeof version);
    if (!b.bad && strcmp(version, myversion) != 0) {
        snprintf(err, errlen, "--restore: %s: taken by hailsim %s, this is hailsim %s", path, version, myversion);
        return -1;
    }
    uint64_t h[2 + CLI_MAX_APPS], now;
    get_str(&b, rf_board, sizeof rf_board);
    h[0] = snap_get_u64(&b);
    get_str(&b, rf_kernel, sizeof rf_kernel);
    h[1] = snap_get_u64(&b);
    uint32_t napps = snap_get_u32(&b);
    if (napps > CLI_MAX_APPS)
        return fail(err, errlen, path, "bad header (too many apps)");
    for (uint32_t i = 0; i < napps; i++) {
        get_str(&b, rf_apps[i], sizeof rf_apps[i]);
        h[2 + i] = snap_get_u64(&b);
    }
    o->seed = snap_get_u64(&b);
    uint32_t clock_hz = snap_get_u32(&b);
    rf_state.cycle = snap_get_u64(&b);
    (void)snap_get_u64(&b);
    if (b.bad)
        return fail(err, errlen, path, "bad header");
    rf_state.body = b.pos;
    const char *names[2 + CLI_MAX_APPS] = { rf_board, rf_kernel };
    const char *what[2 + CLI_MAX_APPS] = { "board", "kernel" };
    for (uint32_t i = 0; i < napps; i++) {
        names[2 + i] = rf_apps[i];
        what[2 + i] = "app";
    }
    for (uint32_t i = 0; i < 2 + napps; i++) {
        if (hash_file(names[i], &now) != 0) {
            snprintf(err, errlen, "--restore: %s: the %s %s the snapshot was taken with cannot be read",
                     path, what[i], names[i]);
            return -1;
        }
        if (now != h[i]) {
            snprintf(err, errlen, "--restore: %s: the %s %s differs from the one the snapshot was taken with "
                     "(content hash %016" PRIx64 ", snapshot %016" PRIx64 ")", path, what[i], names[i], now, h[i]);
            return -1;
        }
    }
    /* scheduled inputs that had fired by the snapshot's cycle are part of its
     * state: dropped (a press still held keeps its release) */
    int kept = 0;
    for (int i = 0; i < o->ninputs; i++) {
        const struct input_spec *in = &o->inputs[i];
        uint64_t last_ns = in->at_ns + (in->kind == INPUT_PRESS ? in->duration_ns : 0);
        uint64_t last = (uint64_t)(((unsigned __int128)last_ns * clock_hz + 999999999u) / 1000000000u);
        if (last <= rf_state.cycle) {
            fprintf(stderr, "hailsim: warning: --restore: the %s at %" PRIu64 " ns is not after the snapshot "
                    "(cycle %" PRIu64 "); ignored\n", in->kind == INPUT_PRESS ? "--press" : "--uart-input",
                    in->at_ns, rf_state.cycle);
            continue;
        }
        o->inputs[kept++] = *in;
    }
    o->ninputs = kept;
    o->board = rf_board;
    o->kernel = rf_kernel;
    o->napps = (int)napps;
    for (uint32_t i = 0; i < napps; i++)
        o->apps[i] = rf_apps[i];
    return 0;
}

int snapshot_open_restore(struct cli_options *o, const char *version, char *err, size_t errlen)
{
    int rc = open_restore(o, version, err, errlen);
    if (rc != 0) {
        free(rf_state.data);
        rf_state.data = NULL;
    }
    return rc;
}

/* Next section: its payload as a reader, which must carry `name`. */
static int next_section(struct snap_buf *file, const char *name, struct snap_buf *sec)
{
    uint32_t t = snap_get_u32(file), len = snap_get_u32(file);
    if (file->bad || t != tag(name) || len > file->len - file->pos)
        return -1;
    *sec = (struct snap_buf){ .data = file->data + file->pos, .len = file->pos + len, .pos = 0 };
    sec->len = len;
    file->pos += len;
    return 0;
}

int snapshot_restore(struct machine *m, const struct cli_options *o, char *err, size_t errlen)
{
    if (!o->restore)
        return 0;
    const char *path = o->restore;
    struct snap_buf file = { .data = rf_state.data, .len = rf_state.len - 16, .pos = rf_state.body };
    static const char *const order[] = { "CPU ", "CORE", "MEM ", "PERI", "BIO ", "PROC" };
    struct snap_buf sec[6];
    for (int i = 0; i < 6; i++)
        if (next_section(&file, order[i], &sec[i]) != 0) {
            snprintf(err, errlen, "--restore: %s: bad or missing section '%s'", path, order[i]);
            free(rf_state.data);
            rf_state.data = NULL;
            return -1;
        }
    char why[400] = "";
    restore_core(m, &sec[1]);
    restore_cpu(m, &sec[0]);             /* after the core: cpu_set_mode updates ipsr/privilege */
    m->poll_control = !m->qmpu_active && m->ipsr == 0 && m->privileged;
    cpu_kick(m);
    int rc = restore_mem(m, &sec[2], why, sizeof why);
    if (rc == 0)
        rc = periph_restore_all(m, &sec[3], why, sizeof why);
    if (rc == 0)
        rc = board_io_restore(m, &sec[4], why, sizeof why);
    if (rc == 0)
        restore_proc(m, &sec[5]);
    for (int i = 0; i < 6 && rc == 0; i++)
        if (sec[i].bad || sec[i].pos != sec[i].len) {
            snprintf(why, sizeof why, "section '%s' has %s data", order[i], sec[i].bad ? "too little" : "extra");
            rc = -1;
        }
    if (rc == 0 && m->cycles != rf_state.cycle)
        snprintf(why, sizeof why, "the header's cycle differs from the core's"), rc = -1;
    if (rc != 0) {
        snprintf(err, errlen, "--restore: %s: %s", path, why);
        free(rf_state.data);
        rf_state.data = NULL;
        return -1;
    }
    evq_recompute(&m->evq);
    m->stop_deferred = false;
    m->stop_requested = false;
    cpu_kick(m);
    free(rf_state.data);
    rf_state.data = NULL;
    return 0;
}
