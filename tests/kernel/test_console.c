/*
 * test_console.c — host tests of the console capsules over a fake UART HIL:
 * the UART mux (round robin, open lines continued, the priority device,
 * reads routed to the newest reader, abort), the console driver (chunking
 * through the 64-byte buffer with one whole report, min(len, allow), BUSY,
 * queueing between processes, read with BUSY/INVAL, abort with the bytes so
 * far) and the process console (echo, the exact `list` format, stop/start,
 * fault, terminate/boot, unknown commands).  The kernel test binary links
 * the kernel sources and tests/kernel/ only, so the capsules are included here.
 */
#include <check.h>
#include <string.h>

#include "../../capsules/console.c"
#include "../../capsules/process_console.c"
#include "../../capsules/uart_mux.c"

Suite *console_suite(void);

/* ---- the shared kernel fixture (test_syscall.c, fake_arch.c) ------------------------ */
struct ktest_app {
    const char *name;
    uint32_t total, min_ram, trailer, flags;
    int n_wfr;
    uint32_t wfr_off[2], wfr_size[2];
    bool fixed, no_kversion, padding;
    uint32_t fixed_ram, fixed_flash;
};
bool fake_hail_memory(void);
void fake_syscall_reset(void);
uint32_t ktest_put_tbf(uint32_t addr, const struct ktest_app *a);
struct process *ktest_running(int i);
struct sysret ktest_call(struct process *p, uint8_t cls, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3);
extern struct scheduler ktest_sched;
extern struct chip_ops ktest_chip;
extern struct kernel ktest_k;      /* ktest_running / ktest_call use this kernel */
#define K ktest_k

#define TC_FLASH 0x30000u
#define TC_FLASH_END 0x70000u
#define TC_POOL 0x20004000u
#define TC_POOL_END 0x20010000u

/* ---- a fake UART: transmissions and receptions complete when the test says -------------- */
struct fake_uart {
    struct hil_uart hil;
    struct hil_uart_client client;
    const uint8_t *tx_buf;
    size_t tx_len;
    bool tx_busy;
    int tx_calls;
    char sent[8192];
    size_t nsent;
    uint8_t *rx_buf;
    size_t rx_len, rx_pos;
    bool rx_busy;
    int rx_calls, aborts;
};

static struct fake_uart *fu(const struct hil_uart *u) { return u->state; }

static errorcode_t fu_transmit(const struct hil_uart *u, const uint8_t *buf, size_t len)
{
    struct fake_uart *f = fu(u);
    if (f->tx_busy)
        return ERR_BUSY;
    f->tx_buf = buf, f->tx_len = len, f->tx_busy = true, f->tx_calls++;
    return ERR_NONE;
}

static errorcode_t fu_receive(const struct hil_uart *u, uint8_t *buf, size_t len)
{
    struct fake_uart *f = fu(u);
    if (f->rx_busy)
        return ERR_BUSY;
    f->rx_buf = buf, f->rx_len = len, f->rx_pos = 0, f->rx_busy = true, f->rx_calls++;
    return ERR_NONE;
}

static errorcode_t fu_abort(const struct hil_uart *u)
{
    struct fake_uart *f = fu(u);
    if (!f->rx_busy)
        return ERR_ALREADY;
    f->rx_busy = false;
    f->aborts++;
    f->client.received(f->client.ctx, f->rx_buf, f->rx_pos, ERR_CANCEL);
    return ERR_NONE;
}

static void fu_set_client(const struct hil_uart *u, struct hil_uart_client c) { fu(u)->client = c; }

static void fu_init(struct fake_uart *f)
{
    memset(f, 0, sizeof *f);
    f->hil = (struct hil_uart){ fu_transmit, fu_receive, fu_abort, fu_set_client, f };
}

/* Completes the transmission in flight (its bytes are appended to `sent`). */
static size_t fu_tx_done(struct fake_uart *f)
{
    ck_assert(f->tx_busy);
    size_t len = f->tx_len;
    memcpy(&f->sent[f->nsent], f->tx_buf, len);
    f->nsent += len;
    f->sent[f->nsent] = '\0';
    f->tx_busy = false;
    f->client.transmitted(f->client.ctx, f->tx_buf, len, ERR_NONE);
    return len;
}

static void fu_drain(struct fake_uart *f)
{
    for (int i = 0; f->tx_busy && i < 10000; i++)
        fu_tx_done(f);
}

/* Delivers bytes while a reception is outstanding; returns how many were taken. */
static size_t fu_rx(struct fake_uart *f, const char *s)
{
    size_t n = 0;
    for (; s[n] && f->rx_busy; n++) {
        f->rx_buf[f->rx_pos++] = (uint8_t)s[n];
        if (f->rx_pos == f->rx_len) {
            f->rx_busy = false;
            f->client.received(f->client.ctx, f->rx_buf, f->rx_pos, ERR_NONE);
        }
    }
    return n;
}

/* ---- fixture: two processes (alpha, beta), the console grant and driver -------------------- */
static struct fake_uart U;
static struct grant cgrant = CONSOLE_GRANT_INIT;
static struct console C;
static struct process *A, *B;

static void load_two(void)
{
    ck_assert(fake_hail_memory());
    memset((void *)(uintptr_t)0x20000000u, 0, 0x10000);
    memset((void *)(uintptr_t)TC_FLASH, 0xFF, TC_FLASH_END - TC_FLASH);
    fake_syscall_reset();
    uint32_t at = TC_FLASH;
    at += ktest_put_tbf(at, &(struct ktest_app){ .name = "alpha", .min_ram = 2048, .flags = 1, .total = 1024 });
    ktest_put_tbf(at, &(struct ktest_app){ .name = "beta", .min_ram = 2048, .flags = 1, .total = 1024 });
    kernel_init(&K, &ktest_chip, &ktest_sched, (struct fault_policy){ FAULT_POLICY_RESTART, 0 }, TC_POOL,
                TC_POOL_END);
    fu_init(&U);
}

static void setup(void)
{
    load_two();
    console_init(&C, &U.hil, &cgrant);
    ck_assert_int_ge(kernel_register_grant(&K, &cgrant), 0);
    ck_assert_int_ge(kernel_register_driver(&K, &C.driver), 0);
    ck_assert_int_eq(kernel_load_processes(&K, TC_FLASH, TC_FLASH_END, NULL), 2);
    A = ktest_running(0);
    B = ktest_running(1);
    ck_assert_uint_eq(ktest_call(A, 5, 0, A->mem_start + 1536, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(ktest_call(B, 5, 0, B->mem_start + 1536, 0, 0).variant, SYSRET_SUCCESS);
}

static void teardown(void) {}

static uint8_t *app_buf(const struct process *p) { return (uint8_t *)(uintptr_t)(p->mem_start + 256); }

static struct sysret allow_ro(struct process *p, uint32_t len)
{
    return ktest_call(p, 4, CONSOLE_DRIVER_NUM, 1, p->mem_start + 256, len);
}

static struct sysret allow_rw(struct process *p, uint32_t len)
{
    return ktest_call(p, 3, CONSOLE_DRIVER_NUM, 1, p->mem_start + 1024, len);
}

static struct sysret cmd(struct process *p, uint32_t n, uint32_t a1)
{
    return ktest_call(p, 2, CONSOLE_DRIVER_NUM, n, a1, 0);
}

/* Takes p's queued console upcall `sub`; false if there is none. */
static bool upcall(struct process *p, uint8_t sub, uint32_t args[3])
{
    struct task t;
    if (!task_queue_take_match(&p->tasks, CONSOLE_DRIVER_NUM, sub, &t))
        return false;
    memcpy(args, t.args, 3 * sizeof args[0]);
    return true;
}

static void fill(struct process *p, char c, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        app_buf(p)[i] = (uint8_t)(c + i % 10);
}

#define ck_variant(r, v) ck_assert_uint_eq((r).variant, (v))
#define ck_failure(r, e) do { struct sysret r_ = (r); ck_assert_uint_eq(r_.variant, SYSRET_FAILURE); \
        ck_assert_uint_eq(r_.r1, (e)); } while (0)

/* ---- console: writing ----------------------------------------------------------------------- */
START_TEST(cmd0_and_unknown)
{
    ck_variant(cmd(A, 0, 0), SYSRET_SUCCESS);
    ck_failure(cmd(A, 9, 0), ERR_NOSUPPORT);
}
END_TEST

START_TEST(write_chunked_reported_once)
{
    uint32_t a[3];
    fill(A, '0', 150);
    allow_ro(A, 150);
    ck_variant(cmd(A, 1, 150), SYSRET_SUCCESS);
    ck_assert_uint_eq(U.tx_len, 64);
    ck_assert_uint_eq(fu_tx_done(&U), 64);
    ck_assert(!upcall(A, 1, a));                  /* never partially reported */
    ck_assert_uint_eq(fu_tx_done(&U), 64);
    ck_assert(!upcall(A, 1, a));
    ck_assert_uint_eq(fu_tx_done(&U), 22);
    ck_assert(!U.tx_busy);
    ck_assert(upcall(A, 1, a));
    ck_assert_uint_eq(a[0], 150);                 /* (bytes_written, 0, 0) */
    ck_assert_uint_eq(a[1], 0);
    ck_assert_uint_eq(a[2], 0);
    ck_assert_uint_eq(U.nsent, 150);
    ck_assert(memcmp(U.sent, app_buf(A), 150) == 0);
    ck_assert(!upcall(A, 1, a));
}
END_TEST

START_TEST(write_len_is_min_of_arg_and_allow)
{
    uint32_t a[3];
    fill(A, 'a', 40);
    allow_ro(A, 40);
    ck_variant(cmd(A, 1, 10), SYSRET_SUCCESS);
    fu_drain(&U);
    ck_assert(upcall(A, 1, a));
    ck_assert_uint_eq(a[0], 10);
    ck_variant(cmd(A, 1, 1000), SYSRET_SUCCESS);
    fu_drain(&U);
    ck_assert(upcall(A, 1, a));
    ck_assert_uint_eq(a[0], 40);
    ck_assert_uint_eq(U.nsent, 50);
}
END_TEST

START_TEST(write_nothing_allowed_reports_zero)
{
    uint32_t a[3];
    ck_variant(cmd(A, 1, 20), SYSRET_SUCCESS);
    ck_assert(!U.tx_busy);
    ck_assert(upcall(A, 1, a));
    ck_assert_uint_eq(a[0], 0);
}
END_TEST

START_TEST(write_busy_while_pending)
{
    uint32_t a[3];
    fill(A, 'a', 100);
    allow_ro(A, 100);
    ck_variant(cmd(A, 1, 100), SYSRET_SUCCESS);
    ck_failure(cmd(A, 1, 100), ERR_BUSY);
    fu_drain(&U);
    ck_assert(upcall(A, 1, a));
    ck_assert_uint_eq(a[0], 100);
    ck_variant(cmd(A, 1, 5), SYSRET_SUCCESS);
}
END_TEST

START_TEST(writes_of_two_processes_served_in_turn)
{
    uint32_t a[3];
    fill(A, 'A', 100);
    fill(B, 'a', 30);
    allow_ro(A, 100);
    allow_ro(B, 30);
    ck_variant(cmd(A, 1, 100), SYSRET_SUCCESS);
    ck_variant(cmd(B, 1, 30), SYSRET_SUCCESS);   /* queued behind A's whole write */
    ck_assert_uint_eq(U.tx_calls, 1);
    ck_assert_uint_eq(fu_tx_done(&U), 64);
    ck_assert_uint_eq(fu_tx_done(&U), 36);        /* A's write finishes first, */
    ck_assert(upcall(A, 1, a));
    ck_assert_uint_eq(a[0], 100);
    ck_assert(!upcall(B, 1, a));
    ck_assert_uint_eq(fu_tx_done(&U), 30);        /* then B's */
    ck_assert(upcall(B, 1, a));
    ck_assert_uint_eq(a[0], 30);
    ck_assert(memcmp(U.sent, app_buf(A), 100) == 0);
    ck_assert(memcmp(U.sent + 100, app_buf(B), 30) == 0);
}
END_TEST

START_TEST(fifo_order_and_dead_process_skipped)
{
    uint32_t a[3];
    fill(A, 'A', 10);
    fill(B, 'a', 10);
    allow_ro(A, 10);
    allow_ro(B, 10);
    ck_variant(cmd(A, 1, 10), SYSRET_SUCCESS);
    ck_variant(cmd(B, 1, 10), SYSRET_SUCCESS);
    process_terminate(&K, B, false, 0);           /* B dies while queued */
    fu_drain(&U);
    ck_assert_uint_eq(U.nsent, 10);
    ck_assert(upcall(A, 1, a));
    /* A queues again while nothing else is: served at once */
    ck_variant(cmd(A, 1, 10), SYSRET_SUCCESS);
    ck_assert(U.tx_busy);
    fu_drain(&U);
    ck_assert_uint_eq(U.nsent, 20);
}
END_TEST

START_TEST(write_owner_dies_in_flight)
{
    fill(A, 'A', 100);
    fill(B, 'a', 5);
    allow_ro(A, 100);
    allow_ro(B, 5);
    ck_variant(cmd(A, 1, 100), SYSRET_SUCCESS);
    ck_variant(cmd(B, 1, 5), SYSRET_SUCCESS);
    process_restart(&K, A);
    fu_drain(&U);                                 /* A's chunk ends, B goes on */
    ck_assert_uint_eq(U.nsent, 64 + 5);
    ck_assert(memcmp(U.sent + 64, app_buf(B), 5) == 0);
}
END_TEST

/* ---- console: reading ------------------------------------------------------------------------ */
START_TEST(read_copies_and_reports)
{
    uint32_t a[3];
    allow_rw(A, 10);
    ck_variant(cmd(A, 2, 5), SYSRET_SUCCESS);
    ck_assert_uint_eq(U.rx_len, 5);
    ck_failure(cmd(B, 2, 5), ERR_BUSY);           /* one read at a time */
    ck_failure(cmd(A, 2, 5), ERR_BUSY);
    ck_assert_uint_eq(fu_rx(&U, "hello world"), 5);
    ck_assert(upcall(A, 2, a));
    ck_assert_uint_eq(a[0], 0);
    ck_assert_uint_eq(a[1], 5);
    ck_assert_uint_eq(a[2], 0);
    ck_assert(memcmp((void *)(uintptr_t)(A->mem_start + 1024), "hello", 5) == 0);
}
END_TEST

START_TEST(read_inval)
{
    ck_failure(cmd(A, 2, 5), ERR_INVAL);          /* nothing allowed */
    ck_assert_uint_eq(ktest_call(A, 3, CONSOLE_DRIVER_NUM, 1, A->mem_start + 1024, 100).variant,
                      SYSRET_SUCCESS_2U32);
    ck_failure(cmd(A, 2, 65), ERR_INVAL);         /* more than the kernel buffer */
    ck_variant(cmd(A, 2, 64), SYSRET_SUCCESS);
}
END_TEST

START_TEST(read_abort_reports_bytes_so_far)
{
    uint32_t a[3];
    allow_rw(A, 10);
    ck_variant(cmd(A, 2, 10), SYSRET_SUCCESS);
    fu_rx(&U, "abc");
    ck_variant(cmd(B, 3, 0), SYSRET_SUCCESS);     /* not B's read: nothing happens */
    ck_assert(U.rx_busy);
    ck_variant(cmd(A, 3, 0), SYSRET_SUCCESS);
    ck_assert(!U.rx_busy);
    ck_assert(upcall(A, 2, a));
    ck_assert_uint_eq(a[0], ERR_CANCEL);
    ck_assert_uint_eq(a[1], 3);
    ck_assert(memcmp((void *)(uintptr_t)(A->mem_start + 1024), "abc", 3) == 0);
    allow_rw(B, 10);
    ck_variant(cmd(B, 2, 4), SYSRET_SUCCESS);     /* the UART is free again */
}
END_TEST

START_TEST(read_of_dead_reader_is_taken_over)
{
    allow_rw(A, 10);
    allow_rw(B, 10);
    ck_variant(cmd(A, 2, 10), SYSRET_SUCCESS);
    process_terminate(&K, A, false, 0);
    ck_variant(cmd(B, 2, 3), SYSRET_SUCCESS);
    ck_assert_uint_eq(U.aborts, 1);
    ck_assert_uint_eq(U.rx_len, 3);
}
END_TEST

/* ---- the UART mux ------------------------------------------------------------------------------ */
struct rec { int tx, rx; size_t rx_len; errorcode_t rx_status; const struct hil_uart *u; const char *again; };

static void rec_tx(void *ctx, const uint8_t *buf, size_t len, errorcode_t st)
{
    struct rec *r = ctx;
    (void)buf, (void)len, (void)st;
    r->tx++;
    if (r->again) {
        const char *s = r->again;
        r->again = NULL;
        r->u->transmit(r->u, (const uint8_t *)s, strlen(s));
    }
}

static void rec_rx(void *ctx, uint8_t *buf, size_t len, errorcode_t st)
{
    struct rec *r = ctx;
    (void)buf;
    r->rx++, r->rx_len = len, r->rx_status = st;
}

static struct uart_mux M;
static struct uart_mux_device D[3];
static struct rec R[3];
static const struct hil_uart *V[3];

static void mux_setup(void)
{
    fu_init(&U);
    uart_mux_init(&M, &U.hil);
    for (int i = 0; i < 3; i++) {
        V[i] = uart_mux_add(&M, &D[i]);
        R[i] = (struct rec){ .u = V[i] };
        V[i]->set_client(V[i], (struct hil_uart_client){ rec_tx, rec_rx, &R[i] });
    }
}

static const uint8_t *T(const char *s) { return (const uint8_t *)s; }

START_TEST(mux_round_robin)
{
    mux_setup();
    ck_assert_int_eq(V[0]->transmit(V[0], T("a1\n"), 3), ERR_NONE);
    ck_assert_int_eq(V[0]->transmit(V[0], T("x"), 1), ERR_BUSY);
    ck_assert_int_eq(V[1]->transmit(V[1], T("b1\n"), 3), ERR_NONE);
    ck_assert_int_eq(V[2]->transmit(V[2], T("c1\n"), 3), ERR_NONE);
    R[0].again = "a2\n";
    fu_drain(&U);
    ck_assert_str_eq(U.sent, "a1\nb1\nc1\na2\n");  /* a2 waits for its turn */
    ck_assert_int_eq(R[0].tx, 2);
    ck_assert_int_eq(R[1].tx, 1);
    ck_assert_int_eq(R[2].tx, 1);
}
END_TEST

START_TEST(mux_open_line_continues)
{
    mux_setup();
    V[0]->transmit(V[0], T("part one, "), 10);
    V[1]->transmit(V[1], T("other\n"), 6);
    R[0].again = "part two\n";
    fu_drain(&U);
    ck_assert_str_eq(U.sent, "part one, part two\nother\n");
}
END_TEST

START_TEST(mux_priority_device_first)
{
    mux_setup();
    uart_mux_set_priority(&D[2], true);
    V[0]->transmit(V[0], T("app\n"), 4);
    V[1]->transmit(V[1], T("app2\n"), 5);
    V[2]->transmit(V[2], T("kernel\n"), 7);
    ck_assert(uart_mux_device_on_wire(&D[0]));
    fu_drain(&U);
    ck_assert_str_eq(U.sent, "app\nkernel\napp2\n");
}
END_TEST

START_TEST(mux_reads_go_to_newest_reader)
{
    uint8_t b0[4], b1[2];
    mux_setup();
    ck_assert_int_eq(V[0]->receive(V[0], b0, 4), ERR_NONE);
    ck_assert_int_eq(V[0]->receive(V[0], b0, 4), ERR_BUSY);
    fu_rx(&U, "ab");
    ck_assert_int_eq(V[1]->receive(V[1], b1, 2), ERR_NONE);
    fu_rx(&U, "XY");                              /* to device 1, the newer reader */
    ck_assert_int_eq(R[1].rx, 1);
    ck_assert_uint_eq(R[1].rx_len, 2);
    ck_assert(memcmp(b1, "XY", 2) == 0);
    fu_rx(&U, "cd");                              /* back to device 0 */
    ck_assert_int_eq(R[0].rx, 1);
    ck_assert_int_eq(R[0].rx_status, ERR_NONE);
    ck_assert(memcmp(b0, "abcd", 4) == 0);
    ck_assert(!U.rx_busy);                        /* nobody reads: the UART is left alone */
}
END_TEST

START_TEST(mux_abort)
{
    uint8_t b0[4], b1[4];
    mux_setup();
    ck_assert_int_eq(V[1]->abort_receive(V[1]), ERR_ALREADY);
    V[0]->receive(V[0], b0, 4);
    V[1]->receive(V[1], b1, 4);
    fu_rx(&U, "z");
    ck_assert_int_eq(V[1]->abort_receive(V[1]), ERR_NONE);
    ck_assert_int_eq(R[1].rx, 1);
    ck_assert_int_eq(R[1].rx_status, ERR_CANCEL);
    ck_assert_uint_eq(R[1].rx_len, 1);
    ck_assert(U.rx_busy);                         /* device 0 still reads */
    ck_assert_int_eq(U.aborts, 0);
    ck_assert_int_eq(V[0]->abort_receive(V[0]), ERR_NONE);
    ck_assert_int_eq(U.aborts, 1);
    ck_assert(!U.rx_busy);
    ck_assert_int_eq(R[0].rx, 1);                 /* the UART's own CANCEL is not passed on */
}
END_TEST

/* ---- the process console ---------------------------------------------------------------------- */
static struct process_console PC;

static void pc_setup(void)
{
    load_two();
    ck_assert_int_eq(kernel_load_processes(&K, TC_FLASH, TC_FLASH_END, NULL), 2);
    A = K.procs[0];
    B = K.procs[1];
    process_console_init(&PC, &U.hil, &K, NULL, NULL);
    process_console_start(&PC);
    ck_assert(U.rx_busy);
    ck_assert_uint_eq(U.rx_len, 1);
}

/* Types s, lets all output drain, returns everything sent so far. */
static const char *type(const char *s)
{
    for (; *s; s++) {
        ck_assert_uint_eq(fu_rx(&U, (char[]){ *s, 0 }), 1);
        fu_drain(&U);
    }
    return U.sent;
}

#define HEADER " PID    ShortID    Name                Quanta  Syscalls  Restarts  Grants  State\r\n"

START_TEST(pc_list_exact)
{
    pc_setup();
    A->syscall_count = 12;
    B->timeslice_expirations = 3;
    B->restart_count = 2;
    B->short_id = 0x1234;
    ck_assert_str_eq(type("list\n"),
                     "tock$ list\r\n" HEADER
                     " 0      Unique     alpha                    0        12         0   0/ 0   Yielded\r\n"
                     " 1      0x1234     beta                     3         0         2   0/ 0   Yielded\r\n"
                     "tock$ ");
}
END_TEST

START_TEST(pc_stop_start_fault)
{
    pc_setup();
    type("stop alpha\r\n");
    ck_assert_int_eq(A->state, PROC_STOPPED_YIELDED);
    ck_assert(strstr(U.sent, "Process alpha stopped\r\ntock$ ") != NULL);
    U.nsent = 0;
    type("list\n");
    ck_assert(strstr(U.sent, "   Stopped(Yielded)\r\n") != NULL);
    type("start alpha\n");
    ck_assert_int_eq(A->state, PROC_YIELDED);
    ck_assert(strstr(U.sent, "Process alpha resumed.\r\n") != NULL);
    uint16_t gen = A->id.generation;
    type("fault alpha\n");                        /* the fixture's policy: restart */
    ck_assert_uint_eq(A->restart_count, 1);
    ck_assert_uint_ne(A->id.generation, gen);
    ck_assert_int_eq(A->fault.kind, FAULT_KILLED);
    ck_assert(strstr(U.sent, "Process alpha now faulted\r\n") != NULL);
}
END_TEST

START_TEST(pc_terminate_boot_status)
{
    pc_setup();
    type("terminate beta\n");
    ck_assert_int_eq(B->state, PROC_TERMINATED);
    U.nsent = 0;
    type("status\n");
    ck_assert_str_eq(U.sent, "status\r\nTotal processes: 2\r\nActive processes: 1\r\n"
                             "Timeslice expirations: 0\r\ntock$ ");
    type("boot beta\n");
    ck_assert_int_eq(B->state, PROC_YIELDED);
}
END_TEST

START_TEST(pc_editing_and_unknown)
{
    pc_setup();
    type("lisx\bt\n");                            /* backspace edits the line */
    ck_assert(strstr(U.sent, "lisx\b \bt\r\n" HEADER) != NULL);
    U.nsent = 0;
    type("frobnicate\n");
    ck_assert_str_eq(U.sent, "frobnicate\r\nValid commands are: " VALID_COMMANDS "tock$ ");
    U.nsent = 0;
    type("\x1b[Ahelp\n");                         /* an arrow key is swallowed */
    ck_assert_msg(strncmp(U.sent, "help\r\nWelcome to the process console.\r\n", 39) == 0, "%s", U.sent);
}
END_TEST

START_TEST(pc_console_stop_start)
{
    pc_setup();
    type("console-stop\n");
    U.nsent = 0;
    type("list\n");                               /* ignored, not echoed */
    ck_assert_uint_eq(U.nsent, 0);
    type("console-start\n");
    ck_assert_str_eq(U.sent, "tock$ ");
}
END_TEST

START_TEST(pc_long_list_is_generated_as_room_frees)
{
    pc_setup();
    static struct process copies[10];
    for (int i = 2; i < 12; i++) {              /* ten more copies of beta's PCB */
        copies[i - 2] = *K.procs[1];
        copies[i - 2].id.generation = (uint16_t)i;
        K.procs[i] = &copies[i - 2];
    }
    K.nprocs = 12;
    type("list\n");
    int rows = 0;
    for (const char *s = strstr(U.sent, HEADER); s && (s = strstr(s + 1, "   Yielded\r\n")); rows++) {
    }
    ck_assert_int_eq(rows, 12);
    ck_assert(strcmp(U.sent + U.nsent - 6, "tock$ ") == 0);
}
END_TEST

Suite *console_suite(void)
{
    Suite *s = suite_create("console");
    TCase *tc = tcase_create("console");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, cmd0_and_unknown);
    tcase_add_test(tc, write_chunked_reported_once);
    tcase_add_test(tc, write_len_is_min_of_arg_and_allow);
    tcase_add_test(tc, write_nothing_allowed_reports_zero);
    tcase_add_test(tc, write_busy_while_pending);
    tcase_add_test(tc, writes_of_two_processes_served_in_turn);
    tcase_add_test(tc, fifo_order_and_dead_process_skipped);
    tcase_add_test(tc, write_owner_dies_in_flight);
    tcase_add_test(tc, read_copies_and_reports);
    tcase_add_test(tc, read_inval);
    tcase_add_test(tc, read_abort_reports_bytes_so_far);
    tcase_add_test(tc, read_of_dead_reader_is_taken_over);
    suite_add_tcase(s, tc);
    TCase *tm = tcase_create("uart_mux");
    tcase_add_test(tm, mux_round_robin);
    tcase_add_test(tm, mux_open_line_continues);
    tcase_add_test(tm, mux_priority_device_first);
    tcase_add_test(tm, mux_reads_go_to_newest_reader);
    tcase_add_test(tm, mux_abort);
    suite_add_tcase(s, tm);
    TCase *tp = tcase_create("process_console");
    tcase_add_test(tp, pc_list_exact);
    tcase_add_test(tp, pc_stop_start_fault);
    tcase_add_test(tp, pc_terminate_boot_status);
    tcase_add_test(tp, pc_editing_and_unknown);
    tcase_add_test(tp, pc_console_stop_start);
    tcase_add_test(tp, pc_long_list_is_generated_as_room_frees);
    suite_add_tcase(s, tp);
    return s;
}
