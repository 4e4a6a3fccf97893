/*
 * gdb.c — the GDB remote serial protocol server (see gdb.h, docs/gdb.md).
 *
 * Transport: one TCP client on 127.0.0.1; packets "$data#cs" with '+' acks
 * (or none after QStartNoAckMode); a 0x03 byte outside a packet is Ctrl-C.
 * While the guest runs, an event-queue timer polls the sockets without
 * blocking every millisecond of virtual time (accepting a client halts the
 * CPU, Ctrl-C halts it, end of file detaches).  While halted the server
 * blocks in gdb_halted() inside the run loop, so virtual time stands still.
 *
 * Breakpoints (Z0/Z1) live here, not in guest memory: the block hook stops
 * before a block that starts at one, and re-runs a block that contains one
 * with uc_emu_start(until = the breakpoint), which ends the translation
 * right before it (Unicorn re-translates cached blocks for a new `until`).
 * A single step is uc_emu_start(count = 1, until = the next instruction):
 * `until` makes the step exact inside IT blocks (count 1 alone runs a whole
 * IT block), count 1 stops after a branch; interrupts are not taken during
 * a step (like OpenOCD's maskisr).  Watchpoints (Z2/Z3/Z4) are Unicorn
 * memory hooks bounded to the watched range, installed only while set; a
 * hit stops at the next block boundary (an MMIO-like hook cannot stop the
 * instruction itself), so the stop is reported a few instructions late.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cpu_state.h"
#include "gdb.h"
#include "gdb_threads.h"
#include "machine.h"

#define GDB_BUF 16384
#define GDB_PACKET_SIZE "3fff"
#define GDB_MAX_BP 64
#define GDB_MAX_WP 8
#define SIG_INT 2
#define SIG_TRAP 5
#define SIG_ABRT 6
#define SIG_SEGV 11
#define TICK_HZ 1000            /* Ctrl-C polls per second of virtual time with a client */
#define IDLE_TICKS 10           /* without one, a connection poll every 10 ms (measured ~8 % at 1 ms) */

enum { PKT_MORE = -1, PKT_INTR = -2, PKT_EOF = -3 };
enum action { ACT_NONE, ACT_CONT, ACT_STEP, ACT_DETACH, ACT_KILL };
enum { WP_WRITE = 2, WP_READ = 3, WP_ACCESS = 4 };

struct watchpoint {
    uint32_t addr, len;
    int kind;                   /* WP_WRITE / WP_READ / WP_ACCESS (the Z type) */
    uc_hook hook;
};

struct gdb_server {
    struct machine *m;
    struct gdb_threads threads;
    int listen_fd, client_fd, port;
    bool noack;
    bool resumed;               /* the client resumed the CPU and waits for a stop reply */
    struct evq_timer tick;
    uint64_t tick_cycles;
    char in[GDB_BUF];           /* bytes received, not yet parsed */
    size_t in_len;
    char pkt[GDB_BUF];          /* the current packet's payload (NUL-terminated) */
    char out[2 * GDB_BUF];
    int stop_sig;               /* of the last halt */
    int watch_kind;             /* 0, or the Z type of the watchpoint that stopped it */
    uint32_t watch_addr;
    int g_tid;                  /* Hg: the thread 'g'/'p' read (0 = the current one) */
    int nbp;
    uint32_t bp[GDB_MAX_BP];
    int nwp;
    struct watchpoint wp[GDB_MAX_WP];
    bool skip;                  /* resuming at skip_pc: its breakpoint is not hit again at once */
    uint32_t skip_pc;
    int step_blocks;
};

/* ---- small helpers ---------------------------------------------------------------- */

static const char hexdig[] = "0123456789abcdef";

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parses hex digits at *p up to a non-hex character; false if there are none. */
static bool parse_hex(const char **p, uint32_t *v)
{
    const char *s = *p;
    uint32_t x = 0;
    while (hexval(*s) >= 0)
        x = x << 4 | (uint32_t)hexval(*s++);
    if (s == *p)
        return false;
    *p = s;
    *v = x;
    return true;
}

/* A register value as 8 hex digits in target (little-endian) byte order. */
static char *put_le32(char *o, uint32_t v)
{
    for (int i = 0; i < 4; i++, v >>= 8) {
        *o++ = hexdig[(v >> 4) & 0xF];
        *o++ = hexdig[v & 0xF];
    }
    return o;
}

static bool get_le32(const char *s, uint32_t *v)
{
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        x |= (uint32_t)(hi << 4 | lo) << (8 * i);
    }
    *v = x;
    return true;
}

static void update_armed(struct gdb_server *g)
{
    g->m->gdb_armed = g->client_fd >= 0 && (g->nbp > 0 || g->skip || g->m->gdb_step);
    cpu_kick(g->m);
}

/* ---- the socket: packets in and out ------------------------------------------------ */

static void send_raw(struct gdb_server *g, const char *s, size_t n)
{
    while (n && g->client_fd >= 0) {
        ssize_t w = send(g->client_fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void send_packet(struct gdb_server *g, const char *data)
{
    size_t n = strlen(data);
    unsigned sum = 0;
    char tail[4];
    for (size_t i = 0; i < n; i++)
        sum += (unsigned char)data[i];
    snprintf(tail, sizeof tail, "#%02x", sum & 0xFFu);
    send_raw(g, "$", 1);
    send_raw(g, data, n);
    send_raw(g, tail, 3);
}

/* Reads what the client sent: >0 bytes, 0 at end of file, -1 when nothing is there yet. */
static int fill(struct gdb_server *g, bool block)
{
    if (g->in_len == sizeof g->in)
        g->in_len = 0;                          /* garbage: no packet is that long */
    ssize_t r = recv(g->client_fd, g->in + g->in_len, sizeof g->in - g->in_len, block ? 0 : MSG_DONTWAIT);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return -1;
    if (r <= 0)
        return 0;
    g->in_len += (size_t)r;
    return (int)r;
}

static void consume(struct gdb_server *g, size_t n)
{
    memmove(g->in, g->in + n, g->in_len - n);
    g->in_len -= n;
}

/* Checks and acknowledges the packet in in[0..end+2]; copies its payload to pkt. */
static int take_packet(struct gdb_server *g, size_t end)
{
    unsigned sum = 0;
    for (size_t i = 1; i < end; i++)
        sum += (unsigned char)g->in[i];
    /* fuzz fix (issue #8, docs/fuzzing.md): a non-hex checksum digit made this
     * shift -1 (undefined behaviour); now it simply never matches */
    int hi = hexval(g->in[end + 1]), lo = hexval(g->in[end + 2]);
    int want = hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    size_t len = end - 1;
    memcpy(g->pkt, g->in + 1, len);
    g->pkt[len] = '\0';
    consume(g, end + 3);
    if (!g->noack)
        send_raw(g, (sum & 0xFFu) == (unsigned)want ? "+" : "-", 1);
    return (sum & 0xFFu) == (unsigned)want ? (int)len : PKT_MORE;
}

/* The next packet or Ctrl-C in the buffer, PKT_MORE if incomplete. */
static int next_packet(struct gdb_server *g)
{
    while (g->in_len) {
        char c = g->in[0];
        if (c == 0x03) {
            consume(g, 1);
            return PKT_INTR;
        }
        if (c != '$') {
            consume(g, 1);                      /* '+', '-' and noise */
            continue;
        }
        char *hash = memchr(g->in, '#', g->in_len);
        if (!hash || (size_t)(hash - g->in) + 3 > g->in_len)
            return PKT_MORE;
        int r = take_packet(g, (size_t)(hash - g->in));
        if (r != PKT_MORE)
            return r;
    }
    return PKT_MORE;
}

static int read_packet(struct gdb_server *g)
{
    for (;;) {
        int r = next_packet(g);
        if (r != PKT_MORE)
            return r;
        if (fill(g, true) == 0)
            return PKT_EOF;
    }
}

/* ---- breakpoints and watchpoints ----------------------------------------------------- */

static void halt(struct gdb_server *g, int sig, bool deferred)
{
    g->stop_sig = sig;
    g->m->gdb_halt = true;
    if (deferred)
        cpu_defer_stop(g->m);
    else
        cpu_request_stop(g->m);
}

static bool add_bp(struct gdb_server *g, uint32_t addr)
{
    for (int i = 0; i < g->nbp; i++)
        if (g->bp[i] == addr)
            return true;
    if (g->nbp == GDB_MAX_BP)
        return false;
    g->bp[g->nbp++] = addr;
    return true;
}

static void del_bp(struct gdb_server *g, uint32_t addr)
{
    for (int i = 0; i < g->nbp; i++)
        if (g->bp[i] == addr)
            g->bp[i--] = g->bp[--g->nbp];
}

static void hook_watch(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    struct gdb_server *g = user;
    bool write = type == UC_MEM_WRITE;
    for (int i = 0; i < g->nwp && !g->m->gdb_halt; i++) {
        struct watchpoint *w = &g->wp[i];
        bool kind_ok = w->kind == WP_ACCESS || (w->kind == WP_WRITE) == write;
        if (kind_ok && address < (uint64_t)w->addr + w->len && address + (uint64_t)size > w->addr) {
            g->watch_kind = w->kind;
            g->watch_addr = w->addr;
            halt(g, SIG_TRAP, true);            /* at the next block boundary */
        }
    }
}

static bool add_wp(struct gdb_server *g, int kind, uint32_t addr, uint32_t len)
{
    if (g->nwp == GDB_MAX_WP || len == 0)
        return false;
    struct watchpoint *w = &g->wp[g->nwp];
    int types = kind == WP_WRITE ? UC_HOOK_MEM_WRITE : kind == WP_READ ? UC_HOOK_MEM_READ
                                                                        : UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE;
    uint64_t lo = addr >= 7 ? addr - 7u : 0;    /* wider accesses that overlap the range */
    if (uc_hook_add(g->m->uc, &w->hook, types, (void *)hook_watch, g, lo, (uint64_t)addr + len - 1) != UC_ERR_OK)
        return false;
    *w = (struct watchpoint){ addr, len, kind, w->hook };
    g->nwp++;
    return true;
}

static void del_wp(struct gdb_server *g, int kind, uint32_t addr, uint32_t len)
{
    for (int i = 0; i < g->nwp; i++)
        if (g->wp[i].addr == addr && g->wp[i].len == len && g->wp[i].kind == kind) {
            uc_hook_del(g->m->uc, g->wp[i].hook);
            g->wp[i--] = g->wp[--g->nwp];
        }
}

static void clear_points(struct gdb_server *g)
{
    g->nbp = 0;
    while (g->nwp)
        del_wp(g, g->wp[0].kind, g->wp[0].addr, g->wp[0].len);
}

/* ---- called by cpu.c ------------------------------------------------------------------- */

enum gdb_block gdb_check_block(struct machine *m, uint32_t addr, uint32_t size)
{
    struct gdb_server *g = m->gdb;
    if (m->gdb_step) {
        if (g->step_blocks++ == 0)
            return GDB_BLOCK_STEP;
        cpu_request_stop(m);                    /* the step is over (a branch, an exception) */
        return GDB_BLOCK_STOP;
    }
    bool skip = g->skip && g->skip_pc == addr;
    uint32_t first = UINT32_MAX;
    g->skip = false;
    for (int i = 0; i < g->nbp; i++) {
        if (g->bp[i] == addr && !skip) {
            halt(g, SIG_TRAP, false);
            return GDB_BLOCK_STOP;
        }
        if (g->bp[i] > addr && g->bp[i] - addr < size && g->bp[i] < first)
            first = g->bp[i];
    }
    if (first != UINT32_MAX) {                  /* run the block only up to the breakpoint */
        g->skip = skip;
        m->run_until = first;
        uc_ctl_remove_cache(m->uc, addr, (uint64_t)addr + size);   /* see step_setup() */
        cpu_request_stop(m);
        return GDB_BLOCK_STOP;
    }
    update_armed(g);
    return GDB_BLOCK_RUN;
}

bool gdb_bkpt(struct machine *m)
{
    struct gdb_server *g = m->gdb;
    if (g->client_fd < 0)
        return false;
    halt(g, SIG_TRAP, false);
    return true;
}

void gdb_step_done(struct machine *m)
{
    struct gdb_server *g = m->gdb;
    m->gdb_step = false;
    g->step_blocks = 0;
    g->stop_sig = SIG_TRAP;
    m->gdb_halt = true;
    update_armed(g);
}

/* ---- registers ----------------------------------------------------------------------- */

static const char target_xml[] =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target version=\"1.0\"><architecture>arm</architecture>\n"
    "<feature name=\"org.gnu.gdb.arm.m-profile\">\n"
    "<reg name=\"r0\" bitsize=\"32\" regnum=\"0\"/><reg name=\"r1\" bitsize=\"32\"/>"
    "<reg name=\"r2\" bitsize=\"32\"/><reg name=\"r3\" bitsize=\"32\"/><reg name=\"r4\" bitsize=\"32\"/>"
    "<reg name=\"r5\" bitsize=\"32\"/><reg name=\"r6\" bitsize=\"32\"/><reg name=\"r7\" bitsize=\"32\"/>"
    "<reg name=\"r8\" bitsize=\"32\"/><reg name=\"r9\" bitsize=\"32\"/><reg name=\"r10\" bitsize=\"32\"/>"
    "<reg name=\"r11\" bitsize=\"32\"/><reg name=\"r12\" bitsize=\"32\"/>\n"
    "<reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/><reg name=\"lr\" bitsize=\"32\"/>"
    "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/><reg name=\"xpsr\" bitsize=\"32\"/>\n"
    "</feature>\n<feature name=\"org.gnu.gdb.arm.m-system\">\n"
    "<reg name=\"msp\" bitsize=\"32\" type=\"data_ptr\" group=\"system\"/>"
    "<reg name=\"psp\" bitsize=\"32\" type=\"data_ptr\" group=\"system\"/>\n"
    "<reg name=\"primask\" bitsize=\"32\" group=\"system\"/>"
    "<reg name=\"basepri\" bitsize=\"32\" group=\"system\"/>"
    "<reg name=\"faultmask\" bitsize=\"32\" group=\"system\"/>"
    "<reg name=\"control\" bitsize=\"32\" group=\"system\"/>\n"
    "</feature></target>\n";

static int reg_tid(struct gdb_server *g)
{
    return g->g_tid > 0 ? g->g_tid : gdb_threads_current(g->m, &g->threads);
}

static char *put_reg(char *o, const struct gdb_regs *r, int n)
{
    if (r->valid[n])
        return put_le32(o, r->v[n]);
    memset(o, 'x', 8);
    return o + 8;
}

static void cmd_read_regs(struct gdb_server *g)
{
    struct gdb_regs r;
    char *o = g->out;
    gdb_threads_regs(g->m, &g->threads, reg_tid(g), &r);
    for (int i = 0; i < GDB_NREGS; i++)
        o = put_reg(o, &r, i);
    *o = '\0';
    send_packet(g, g->out);
}

/* Writes one register of the CPU; false for the read-only ones. */
static bool write_reg(struct machine *m, int n, uint32_t v)
{
    uint32_t xpsr = cpu_reg(m, UC_ARM_REG_XPSR), control = cpu_reg(m, UC_ARM_REG_CONTROL), msp, psp;
    cpu_get_sps(m, &msp, &psp);
    if (n <= 12 || n == GREG_SP || n == GREG_LR)
        cpu_set_reg(m, n <= 12 ? UC_ARM_REG_R0 + n : n == GREG_SP ? UC_ARM_REG_SP : UC_ARM_REG_LR, v);
    else if (n == GREG_PC)
        cpu_set_pc(m, v);
    else if (n == GREG_XPSR)                    /* the flags only: IPSR/EPSR belong to the exception model */
        cpu_set_mode(m, (xpsr & ~0xF80F0000u) | (v & 0xF80F0000u), control, msp, psp);
    else if (n == GREG_MSP || n == GREG_PSP)
        cpu_set_mode(m, xpsr, control, n == GREG_MSP ? v : msp, n == GREG_PSP ? v : psp);
    else if (n == GREG_CONTROL)
        cpu_set_mode(m, xpsr, v & 3u, msp, psp);
    else
        return false;
    return true;
}

static bool on_cpu(struct gdb_server *g)
{
    return reg_tid(g) == gdb_threads_current(g->m, &g->threads);
}

static void cmd_write_regs(struct gdb_server *g, const char *p)
{
    uint32_t v;
    if (!on_cpu(g)) {
        send_packet(g, "E01");
        return;
    }
    for (int i = 0; i <= GREG_XPSR && strlen(p) >= 8; i++, p += 8)
        if (get_le32(p, &v))
            write_reg(g->m, i, v);
    send_packet(g, "OK");
}

static void cmd_read_reg(struct gdb_server *g, const char *p)
{
    uint32_t n;
    struct gdb_regs r;
    if (!parse_hex(&p, &n) || n >= GDB_NREGS) {
        send_packet(g, "E01");
        return;
    }
    gdb_threads_regs(g->m, &g->threads, reg_tid(g), &r);
    *put_reg(g->out, &r, (int)n) = '\0';
    send_packet(g, g->out);
}

static void cmd_write_reg(struct gdb_server *g, const char *p)
{
    uint32_t n, v;
    bool ok = parse_hex(&p, &n) && *p++ == '=' && get_le32(p, &v) && n < GDB_NREGS && on_cpu(g) &&
              write_reg(g->m, (int)n, v);
    send_packet(g, ok ? "OK" : "E01");
}

/* ---- memory ------------------------------------------------------------------------------ */

/* addr,len — then *p points after them. */
static bool parse_addr_len(const char **p, uint32_t *addr, uint32_t *len)
{
    return parse_hex(p, addr) && *(*p)++ == ',' && parse_hex(p, len);
}

static void cmd_read_mem(struct gdb_server *g, const char *p)
{
    uint32_t addr, len, n = 0;
    const uint8_t *b;
    if (!parse_addr_len(&p, &addr, &len)) {
        send_packet(g, "E01");
        return;
    }
    if (len > GDB_BUF / 2 - 1)
        len = GDB_BUF / 2 - 1;
    /* RAM and flash only: MMIO reads could have side effects (docs/gdb.md) */
    for (; n < len && (b = machine_host_ptr(g->m, addr + n, 1)) != NULL; n++) {
        g->out[2 * n] = hexdig[*b >> 4];
        g->out[2 * n + 1] = hexdig[*b & 0xF];
    }
    g->out[2 * n] = '\0';
    send_packet(g, n ? g->out : "E01");
}

/* Stores `len` bytes through the host buffers and drops stale translations. */
static bool write_mem(struct machine *m, uint32_t addr, const uint8_t *data, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (!machine_host_ptr(m, addr + i, 1))
            return false;
    for (uint32_t i = 0; i < len; i++)
        *machine_host_ptr(m, addr + i, 1) = data[i];
    if (len) {
        uc_ctl_remove_cache(m->uc, addr, (uint64_t)addr + len);
        cpu_code_changed(m);
    }
    return true;
}

static void cmd_write_mem(struct gdb_server *g, const char *p, bool binary, size_t pkt_len)
{
    uint32_t addr, len, n = 0;
    uint8_t *data = (uint8_t *)g->out;
    const char *end = g->pkt + pkt_len;
    if (!parse_addr_len(&p, &addr, &len) || *p++ != ':' || len > GDB_BUF) {
        send_packet(g, "E01");
        return;
    }
    while (n < len && p < end) {
        if (binary) {
            char c = *p++;
            data[n++] = (uint8_t)(c == 0x7d && p < end ? *p++ ^ 0x20 : c);
        } else {
            int hi = hexval(p[0]), lo = p + 1 < end ? hexval(p[1]) : -1;
            if (hi < 0 || lo < 0)
                break;
            data[n++] = (uint8_t)(hi << 4 | lo);
            p += 2;
        }
    }
    send_packet(g, n == len && write_mem(g->m, addr, data, len) ? "OK" : "E01");
}

/* ---- threads and stop replies -------------------------------------------------------------- */

static void send_stop(struct gdb_server *g)
{
    char buf[96];
    int tid = gdb_threads_current(g->m, &g->threads);
    static const char *const watch[] = { "", "", "watch", "rwatch", "awatch" };
    if (g->watch_kind)
        snprintf(buf, sizeof buf, "T%02x%s:%x;thread:%x;", SIG_TRAP, watch[g->watch_kind], g->watch_addr, tid);
    else
        snprintf(buf, sizeof buf, "T%02xthread:%x;", g->stop_sig, tid);
    send_packet(g, buf);
}

static void cmd_thread_list(struct gdb_server *g)
{
    int tids[GDB_MAX_THREADS], n = gdb_threads_list(g->m, &g->threads, tids, GDB_MAX_THREADS);
    char *o = g->out;
    *o++ = 'm';
    for (int i = 0; i < n; i++)
        o += sprintf(o, "%s%x", i ? "," : "", tids[i]);
    *o = '\0';
    send_packet(g, g->out);
}

static void cmd_thread_info(struct gdb_server *g, const char *p)
{
    uint32_t tid;
    char text[96], *o = g->out;
    if (!parse_hex(&p, &tid)) {
        send_packet(g, "E01");
        return;
    }
    gdb_threads_describe(g->m, &g->threads, (int)tid, text, sizeof text);
    for (const char *s = text; *s; s++) {
        *o++ = hexdig[(unsigned char)*s >> 4];
        *o++ = hexdig[*s & 0xF];
    }
    *o = '\0';
    send_packet(g, g->out);
}

/* Hg/Hc: 0 and -1 mean "any"; 'c' is accepted and ignored (all-stop: the CPU runs). */
static void cmd_set_thread(struct gdb_server *g, const char *p)
{
    uint32_t tid = 0;
    bool any = p[1] == '-' || !parse_hex(&(const char *){ p + 1 }, &tid) || tid == 0;
    if (p[0] == 'g' && !any && !gdb_threads_alive(g->m, &g->threads, (int)tid)) {
        send_packet(g, "E01");
        return;
    }
    if (p[0] == 'g')
        g->g_tid = any ? 0 : (int)tid;
    send_packet(g, "OK");
}

static void cmd_xfer_features(struct gdb_server *g, const char *p)
{
    uint32_t off, len, total = (uint32_t)strlen(target_xml);
    if (strncmp(p, "target.xml:", 11) != 0) {
        send_packet(g, "E00");
        return;
    }
    p += 11;
    if (!parse_addr_len(&p, &off, &len)) {
        send_packet(g, "E01");
        return;
    }
    if (off > total)
        off = total;
    if (len > total - off)
        len = total - off;
    if (len > GDB_BUF - 2)
        len = GDB_BUF - 2;
    g->out[0] = off + len < total ? 'm' : 'l';
    memcpy(g->out + 1, target_xml + off, len);
    g->out[len + 1] = '\0';
    send_packet(g, g->out);
}

static void cmd_query(struct gdb_server *g, const char *q)
{
    char buf[64];
    if (strncmp(q, "qSupported", 10) == 0)
        send_packet(g, "PacketSize=" GDB_PACKET_SIZE ";qXfer:features:read+;QStartNoAckMode+;vContSupported+");
    else if (strncmp(q, "qXfer:features:read:", 20) == 0)
        cmd_xfer_features(g, q + 20);
    else if (strcmp(q, "qAttached") == 0)
        send_packet(g, "1");
    else if (strcmp(q, "qC") == 0) {
        snprintf(buf, sizeof buf, "QC%x", gdb_threads_current(g->m, &g->threads));
        send_packet(g, buf);
    } else if (strcmp(q, "qfThreadInfo") == 0)
        cmd_thread_list(g);
    else if (strcmp(q, "qsThreadInfo") == 0)
        send_packet(g, "l");
    else if (strncmp(q, "qThreadExtraInfo,", 17) == 0)
        cmd_thread_info(g, q + 17);
    else if (strncmp(q, "qSymbol", 7) == 0)
        send_packet(g, "OK");
    else
        send_packet(g, "");
}

/* ---- breakpoint packets, resuming ------------------------------------------------------------ */

static void cmd_point(struct gdb_server *g, const char *p, bool insert)
{
    uint32_t type, addr, kind;
    const char *s = p + 1;
    bool ok = parse_hex(&s, &type) && *s++ == ',' && parse_addr_len(&s, &addr, &kind);
    if (!ok || type > 4) {
        send_packet(g, ok ? "" : "E01");       /* an unknown type: not supported */
        return;
    }
    if (type <= 1) {
        if (insert)
            ok = add_bp(g, addr & ~1u);
        else
            del_bp(g, addr & ~1u);
    } else if (insert) {
        ok = add_wp(g, (int)type, addr, kind);
    } else {
        del_wp(g, (int)type, addr, kind);
    }
    update_armed(g);
    send_packet(g, ok ? "OK" : "E01");
}

/* c/s/C/S with an optional address to resume at. */
static enum action cmd_resume(struct gdb_server *g, const char *p, enum action a)
{
    uint32_t addr;
    const char *s = p + 1;
    if (p[0] == 'C' || p[0] == 'S') {
        uint32_t sig;
        if (!parse_hex(&s, &sig) || (*s && *s++ != ';'))
            s = "";
    }
    if (parse_hex(&s, &addr))
        cpu_set_pc(g->m, addr);
    return a;
}

/* vCont;ACTION[:tid]...: a step for any thread steps the CPU, else it continues. */
static enum action cmd_vcont(struct gdb_server *g, const char *p)
{
    if (strcmp(p, "vCont?") == 0) {
        send_packet(g, "vCont;c;C;s;S");
        return ACT_NONE;
    }
    for (const char *a = strchr(p, ';'); a; a = strchr(a + 1, ';'))
        if (a[1] == 's' || a[1] == 'S')
            return ACT_STEP;
    return ACT_CONT;
}

static enum action cmd_v(struct gdb_server *g, const char *p)
{
    if (strncmp(p, "vCont", 5) == 0 && (p[5] == '?' || p[5] == ';'))
        return cmd_vcont(g, p);
    if (strncmp(p, "vKill", 5) == 0) {
        send_packet(g, "OK");
        return ACT_KILL;
    }
    send_packet(g, "");                         /* vMustReplyEmpty and anything else */
    return ACT_NONE;
}

static enum action handle(struct gdb_server *g, size_t len)
{
    const char *p = g->pkt;
    switch (p[0]) {
    case '?': send_stop(g); return ACT_NONE;
    case 'q': cmd_query(g, p); return ACT_NONE;
    case 'Q':
        send_packet(g, strcmp(p, "QStartNoAckMode") == 0 ? "OK" : "");
        g->noack = g->noack || strcmp(p, "QStartNoAckMode") == 0;
        return ACT_NONE;
    case 'H': cmd_set_thread(g, p + 1); return ACT_NONE;
    case 'T': {
        uint32_t tid;
        const char *s = p + 1;
        send_packet(g, parse_hex(&s, &tid) && gdb_threads_alive(g->m, &g->threads, (int)tid) ? "OK" : "E01");
        return ACT_NONE;
    }
    case 'g': cmd_read_regs(g); return ACT_NONE;
    case 'G': cmd_write_regs(g, p + 1); return ACT_NONE;
    case 'p': cmd_read_reg(g, p + 1); return ACT_NONE;
    case 'P': cmd_write_reg(g, p + 1); return ACT_NONE;
    case 'm': cmd_read_mem(g, p + 1); return ACT_NONE;
    case 'M': cmd_write_mem(g, p + 1, false, len); return ACT_NONE;
    case 'X': cmd_write_mem(g, p + 1, true, len); return ACT_NONE;
    case 'Z': case 'z': cmd_point(g, p, p[0] == 'Z'); return ACT_NONE;
    case 'c': case 'C': return cmd_resume(g, p, ACT_CONT);
    case 's': case 'S': return cmd_resume(g, p, ACT_STEP);
    case 'v': return cmd_v(g, p);
    case 'D': send_packet(g, "OK"); return ACT_DETACH;
    case 'k': return ACT_KILL;
    default: send_packet(g, ""); return ACT_NONE;
    }
}

/* ---- connection life cycle --------------------------------------------------------------------- */

static void drop_client(struct gdb_server *g, const char *why)
{
    if (g->client_fd < 0)
        return;
    clear_points(g);
    close(g->client_fd);
    g->client_fd = -1;
    g->in_len = 0;
    g->noack = false;
    g->resumed = false;
    g->skip = false;
    update_armed(g);
    fprintf(stderr, "hailsim: gdb: client %s; the guest runs on\n", why);
}

static bool accept_client(struct gdb_server *g, bool block)
{
    int fd = accept(g->listen_fd, NULL, NULL), one = 1;
    if (fd < 0 && block && errno == EAGAIN) {
        struct pollfd pfd = { .fd = g->listen_fd, .events = POLLIN };
        if (poll(&pfd, 1, -1) > 0)
            fd = accept(g->listen_fd, NULL, NULL);
    }
    if (fd < 0)
        return false;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    g->client_fd = fd;
    g->g_tid = 0;
    g->watch_kind = 0;
    fprintf(stderr, "hailsim: gdb: client connected on port %d\n", g->port);
    return true;
}

/* A step runs to the next instruction (`until`) or one instruction (count 1).
 * A block translated before may run on past `until` and without the count
 * hook (measured: the cached block of the whole function ran), so the
 * translations at the step are dropped first. */
static void step_setup(struct gdb_server *g, uint32_t pc)
{
    const uint8_t *p = machine_host_ptr(g->m, pc, 2);
    g->m->gdb_step = true;
    g->step_blocks = 0;
    g->m->run_until = p ? pc + ((p[1] >> 3) >= 0x1Du ? 4u : 2u) : 0;   /* 32-bit: 0b11101/11110/11111 */
    uc_ctl_remove_cache(g->m->uc, pc, (uint64_t)pc + 4);
}

static void resume(struct gdb_server *g, enum action a)
{
    struct machine *m = g->m;
    uint32_t pc = cpu_pc(m);
    g->watch_kind = 0;
    g->resumed = a == ACT_STEP || a == ACT_CONT;
    if (a == ACT_STEP) {
        step_setup(g, pc);
    } else if (a == ACT_CONT) {
        g->skip = true;
        g->skip_pc = pc;
    } else if (a == ACT_DETACH) {
        drop_client(g, "detached");
    } else if (a == ACT_KILL) {
        drop_client(g, "killed the run");
        m->exit_status = 0;
        m->stop = STOP_GUEST_EXIT;
        cpu_kick(m);
    }
    update_armed(g);
}

void gdb_halted(struct machine *m)
{
    struct gdb_server *g = m->gdb;
    enum action a = ACT_NONE;
    m->gdb_halt = false;
    if (!g || g->client_fd < 0)
        return;
    if (g->resumed)                             /* a new client asks with '?' first */
        send_stop(g);
    g->resumed = false;
    while (a == ACT_NONE) {
        int r = read_packet(g);
        if (r == PKT_EOF) {
            drop_client(g, "disconnected");
            return;
        }
        if (r >= 0)
            a = handle(g, (size_t)r);
    }
    resume(g, a);
}

/* ---- the poll timer ------------------------------------------------------------------------------ */

static void poll_client(struct gdb_server *g)
{
    int r = fill(g, false);
    if (r == 0) {
        drop_client(g, "disconnected");
        return;
    }
    for (size_t i = 0; i < g->in_len; i++)
        if (g->in[i] == 0x03) {                 /* all-stop: nothing else is sent while running */
            g->in_len = 0;
            g->watch_kind = 0;
            halt(g, SIG_INT, true);
            return;
        }
}

/* True when the core sleeps and nothing but this timer could wake it. */
static bool sleeping_forever(struct gdb_server *g)
{
    return g->m->sleeping && evq_next(&g->m->evq) == EVQ_NEVER;
}

static void tick(void *ctx, uint64_t now)
{
    struct gdb_server *g = ctx;
    if (g->client_fd < 0 && accept_client(g, false)) {
        g->watch_kind = 0;
        halt(g, SIG_TRAP, true);
    } else if (g->client_fd >= 0) {
        poll_client(g);
    }
    if (g->client_fd >= 0 && sleeping_forever(g)) {
        struct pollfd pfd = { .fd = g->client_fd, .events = POLLIN };
        poll(&pfd, 1, 50);                      /* only Ctrl-C can change anything: don't spin */
    }
    if (g->client_fd >= 0 || !sleeping_forever(g))
        evq_arm(&g->m->evq, &g->tick, now + g->tick_cycles * (g->client_fd >= 0 ? 1u : IDLE_TICKS));
}

/* ---- opening and closing ----------------------------------------------------------------------- */

static int listen_on(int port, char *err, size_t errlen)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0) {
        snprintf(err, errlen, "--gdb: cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

struct gdb_server *gdb_open(struct machine *m, int port, bool wait, const char *kernel_elf,
                            char *err, size_t errlen)
{
    struct gdb_server *g = calloc(1, sizeof *g);
    if (!g || (g->listen_fd = listen_on(port, err, errlen)) < 0) {
        if (!g)
            snprintf(err, errlen, "--gdb: out of memory");
        free(g);
        return NULL;
    }
    g->m = m;
    g->port = port;
    g->client_fd = -1;
    g->tick_cycles = m->clock_hz / TICK_HZ ? m->clock_hz / TICK_HZ : 1;
    gdb_threads_init(&g->threads, kernel_elf);
    if (evq_add_timer(&m->evq, &g->tick, "gdb", tick, g) != 0) {
        snprintf(err, errlen, "--gdb: the event queue is full");
        close(g->listen_fd);
        free(g);
        return NULL;
    }
    m->gdb = g;
    fprintf(stderr, "hailsim: gdb: listening on 127.0.0.1:%d%s\n", port, wait ? ", waiting for a client" : "");
    if (wait && accept_client(g, true)) {
        g->stop_sig = SIG_TRAP;
        m->gdb_halt = true;
    }
    evq_arm(&m->evq, &g->tick, m->cycles + g->tick_cycles);
    return g;
}

/* W (exit status) or X (signal) for how the run ended. */
static void send_exit(struct gdb_server *g)
{
    char buf[16];
    struct machine *m = g->m;
    if (m->stop == STOP_GUEST_EXIT || m->stop == STOP_TIME_LIMIT)
        snprintf(buf, sizeof buf, "W%02x", m->stop == STOP_GUEST_EXIT ? (unsigned)m->exit_status & 0xFFu : 0u);
    else
        snprintf(buf, sizeof buf, "X%02x", m->stop == STOP_LOCKUP ? SIG_SEGV : SIG_ABRT);
    send_packet(g, buf);
}

void gdb_close(struct gdb_server *g)
{
    if (!g)
        return;
    if (g->client_fd >= 0) {
        send_exit(g);
        clear_points(g);
        close(g->client_fd);
    }
    evq_remove_timer(&g->m->evq, &g->tick);
    close(g->listen_fd);
    g->m->gdb = NULL;
    g->m->gdb_armed = false;
    free(g);
}

/* ==== FUZZING ENTRY POINT (issue #8; tests/fuzz/fuzz_gdb.c, docs/fuzzing.md) ====
 * Not used by hailsim itself.  Feeds `len` bytes through the same packet
 * state machine as a client's socket (next_packet / take_packet: framing,
 * checksum, Ctrl-C, noise) and hands every complete packet to handle(), on a
 * server that has no socket: client_fd = -1, so every reply is formatted in
 * g->out but send_raw() drops it.  The bytes go in in chunks no larger than
 * the input buffer, as fill() would deliver them.  Resume actions (c/s/D/k)
 * are not carried out (the run loop is not running), everything else is:
 * register and memory writes reach `m`, Z/z set and clear breakpoints and
 * watchpoints, which are removed again before returning.  Returns the
 * number of packets handled.  The prototype is here, not in gdb.h, because
 * only the fuzz target needs it. */
int gdb_fuzz_feed(struct machine *m, const uint8_t *data, size_t len);

int gdb_fuzz_feed(struct machine *m, const uint8_t *data, size_t len)
{
    struct gdb_server *g = calloc(1, sizeof *g);
    int handled = 0;
    if (!g)
        return -1;
    g->m = m;
    g->listen_fd = -1;
    g->client_fd = -1;
    gdb_threads_init(&g->threads, NULL);
    for (size_t off = 0; off < len;) {
        if (g->in_len == sizeof g->in)
            g->in_len = 0;                      /* as fill(): garbage, no packet is that long */
        size_t n = len - off < sizeof g->in - g->in_len ? len - off : sizeof g->in - g->in_len;
        memcpy(g->in + g->in_len, data + off, n);
        g->in_len += n;
        off += n;
        for (int r; (r = next_packet(g)) != PKT_MORE;)
            if (r >= 0) {
                handle(g, (size_t)r);
                handled++;
            }
    }
    clear_points(g);
    m->gdb_armed = false;
    m->gdb_step = false;
    free(g);
    return handled;
}
/* ==== end of the fuzzing entry point ==== */
