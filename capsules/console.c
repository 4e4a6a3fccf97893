/*
 * console.c — the console syscall driver (0x1): writes chunked through a
 * 64-byte kernel buffer and reported once, whole; processes served in turn
 * from a FIFO queue; one read at a time through a 64-byte kernel buffer,
 * copied into the reader's RW allow 1 when it completes or is aborted.
 * See console.h for the commands and upcalls.
 */
#include "console.h"

#include <string.h>

#define UPCALL_WRITE_DONE 1
#define UPCALL_READ_DONE 2
#define ALLOW_BUFFER 1

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* ---- the write queue ------------------------------------------------------------- */

/* Appends pid; a stale entry of the same slot (a restarted process) is reused in place. */
static void queue_push(struct console *c, processid_t pid)
{
    for (int n = 0; n < c->q_count; n++) {
        processid_t *q = &c->queue[(c->q_head + n) % KERNEL_MAX_PROCS];
        if (q->index == pid.index) {
            *q = pid;
            return;
        }
    }
    if (c->q_count < KERNEL_MAX_PROCS)
        c->queue[(c->q_head + c->q_count++) % KERNEL_MAX_PROCS] = pid;
}

static bool queue_pop(struct console *c, processid_t *pid)
{
    if (c->q_count == 0)
        return false;
    *pid = c->queue[c->q_head];
    c->q_head = (uint8_t)((c->q_head + 1) % KERNEL_MAX_PROCS);
    c->q_count--;
    return true;
}

/* ---- writing --------------------------------------------------------------------- */

static void write_done(struct console *c, processid_t pid, struct console_app *app)
{
    app->write_pending = false;
    kernel_schedule_upcall(pid, c->grant, UPCALL_WRITE_DONE, app->written, 0, 0);
}

/* Sends the next chunk of pid's write; false if nothing was started (the write is then finished). */
static bool send_chunk(struct console *c, processid_t pid, struct console_app *app)
{
    uint8_t *buf;
    uint32_t len;
    if (!kernel_get_allow(pid, c->grant, false, ALLOW_BUFFER, &buf, &len) || len <= app->written ||
        app->written >= app->write_len) {
        write_done(c, pid, app);        /* buffer withdrawn or shrunk: report what went out */
        return false;
    }
    uint32_t n = min_u32(CONSOLE_BUF_LEN, min_u32(app->write_len, len) - app->written);
    memcpy(c->tx_buf, buf + app->written, n);
    if (c->uart->transmit(c->uart, c->tx_buf, n) != ERR_NONE) {
        write_done(c, pid, app);
        return false;
    }
    c->tx_busy = true;
    c->tx_owner = pid;
    return true;
}

/* Starts the next queued write, skipping processes that are gone. */
static void send_next(struct console *c)
{
    processid_t pid;
    while (!c->tx_busy && queue_pop(c, &pid)) {
        struct console_app *app = grant_enter(c->grant, pid);
        if (app && app->write_pending)
            send_chunk(c, pid, app);
    }
}

static void transmitted(void *ctx, const uint8_t *buf, size_t len, errorcode_t status)
{
    struct console *c = ctx;
    (void)buf;
    (void)status;
    c->tx_busy = false;
    struct console_app *app = grant_enter(c->grant, c->tx_owner);
    if (app && app->write_pending) {
        app->written += (uint32_t)len;
        if (app->written < app->write_len) {
            if (send_chunk(c, c->tx_owner, app))
                return;
        } else {
            write_done(c, c->tx_owner, app);
        }
    }
    send_next(c);
}

static struct sysret cmd_write(struct console *c, processid_t pid, uint32_t len)
{
    struct console_app *app = grant_enter(c->grant, pid);
    uint8_t *buf;
    uint32_t allowed;
    if (!app)
        return sysret_failure(ERR_NOMEM);
    if (app->write_pending)
        return sysret_failure(ERR_BUSY);
    kernel_get_allow(pid, c->grant, false, ALLOW_BUFFER, &buf, &allowed);
    app->write_len = min_u32(len, allowed);
    app->written = 0;
    app->write_pending = true;
    if (app->write_len == 0) {
        write_done(c, pid, app);
        return sysret_success();
    }
    queue_push(c, pid);
    send_next(c);
    return sysret_success();
}

/* ---- reading --------------------------------------------------------------------- */

static uint32_t statuscode(errorcode_t e)
{
    return e == ERR_NONE ? 0 : e == ERR_CANCEL ? ERR_CANCEL : ERR_FAIL;
}

static void received(void *ctx, uint8_t *buf, size_t len, errorcode_t status)
{
    struct console *c = ctx;
    uint8_t *dst;
    uint32_t room;
    c->rx_busy = false;
    if (kernel_get_allow(c->rx_owner, c->grant, true, ALLOW_BUFFER, &dst, &room))
        memcpy(dst, buf, min_u32((uint32_t)len, room));
    kernel_schedule_upcall(c->rx_owner, c->grant, UPCALL_READ_DONE, statuscode(status), (uint32_t)len, 0);
}

static struct sysret cmd_read(struct console *c, processid_t pid, uint32_t len)
{
    uint8_t *buf;
    uint32_t allowed;
    if (!grant_enter(c->grant, pid))
        return sysret_failure(ERR_NOMEM);
    if (c->rx_busy && !kernel_process(the_kernel, c->rx_owner))
        c->uart->abort_receive(c->uart);        /* the reader is gone: its read ends */
    if (c->rx_busy)
        return sysret_failure(ERR_BUSY);
    kernel_get_allow(pid, c->grant, true, ALLOW_BUFFER, &buf, &allowed);
    uint32_t n = min_u32(len, allowed);
    if (n == 0 || n > CONSOLE_BUF_LEN)
        return sysret_failure(ERR_INVAL);
    errorcode_t e = c->uart->receive(c->uart, c->rx_buf, n);
    if (e != ERR_NONE)
        return sysret_failure(e);
    c->rx_busy = true;
    c->rx_owner = pid;
    return sysret_success();
}

static struct sysret cmd_abort(struct console *c, processid_t pid)
{
    if (c->rx_busy && processid_eq(c->rx_owner, pid))
        c->uart->abort_receive(c->uart);
    return sysret_success();
}

/* ---- the driver ------------------------------------------------------------------- */

static struct sysret console_command(void *ctx, uint32_t cmd, uint32_t arg1, uint32_t arg2, processid_t pid)
{
    struct console *c = ctx;
    (void)arg2;
    switch (cmd) {
    case 0: return sysret_success();
    case 1: return cmd_write(c, pid, arg1);
    case 2: return cmd_read(c, pid, arg1);
    case 3: return cmd_abort(c, pid);
    default: return sysret_failure(ERR_NOSUPPORT);
    }
}

void console_init(struct console *c, const struct hil_uart *uart, const struct grant *g)
{
    memset(c, 0, sizeof *c);
    c->uart = uart;
    c->grant = g;
    c->tx_owner = c->rx_owner = PROCESSID_NONE;
    c->driver = (struct syscall_driver){ .num = CONSOLE_DRIVER_NUM, .ctx = c, .command = console_command,
                                         .grant = g };
    uart->set_client(uart, (struct hil_uart_client){ transmitted, received, c });
}
