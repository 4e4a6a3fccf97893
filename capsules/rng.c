/*
 * rng.c — syscall driver 0x40001 (rng.h, tock-abi.md §6.7):
 *   cmd 0        Success
 *   cmd 1 n      fill RW allow 0 with n random bytes: Success (the request
 *                replaces an unfinished one); Failure(NOMEM) without grant
 *                memory; the HIL's error if it cannot start
 *   other        Failure(NOSUPPORT)
 *   upcall 0     (0, bytes filled, 0) once n bytes were written or the
 *                buffer is full (or missing: then 0 bytes)
 * Each batch of words from the HIL is handed out to the pending processes
 * in turn; the HIL is asked for more while any process still waits.
 */
#include "rng.h"

#include "grant_util.h"

/* Copies up to *avail bytes from src into pid's buffer; true when pid is done. */
static bool rng_fill(struct rng_driver *d, processid_t pid, struct rng_driver_app *a, const uint8_t **src,
                 size_t *avail)
{
    uint8_t *buf;
    uint32_t len;
    if (!kernel_get_allow(pid, &d->grant, true, 0, &buf, &len) || a->filled >= len)
        return true;
    uint32_t n = a->remaining;
    if (n > len - a->filled)
        n = len - a->filled;
    if (n > *avail)
        n = (uint32_t)*avail;
    for (uint32_t i = 0; i < n; i++)
        buf[a->filled + i] = (*src)[i];
    *src += n;
    *avail -= n;
    a->filled += n;
    a->remaining -= n;
    return a->remaining == 0 || a->filled >= len;
}

static bool rng_randomness(void *ctx, const uint32_t *words, size_t n, errorcode_t status)
{
    struct rng_driver *d = ctx;
    const uint8_t *src = (const uint8_t *)words;
    size_t avail = status == ERR_NONE ? n * sizeof *words : 0;
    bool more = false;
    GRANT_FOR_EACH_PROCESS(pid) {
        struct rng_driver_app *a = grant_peek(&d->grant, pid);
        if (!a || !a->pending)
            continue;
        if (rng_fill(d, pid, a, &src, &avail)) {
            a->pending = false;
            kernel_schedule_upcall(pid, &d->grant, 0, 0, a->filled, 0);
        } else {
            more = true;
        }
    }
    d->running = more;
    return more;
}

static struct sysret rng_request(struct rng_driver *d, uint32_t n, processid_t pid)
{
    struct rng_driver_app *a = grant_enter(&d->grant, pid);
    if (!a)
        return sysret_failure(ERR_NOMEM);
    *a = (struct rng_driver_app){ .remaining = n, .filled = 0, .pending = true };
    if (d->running)
        return sysret_success();
    errorcode_t e = d->rng->get(d->rng);
    if (e != ERR_NONE) {
        a->pending = false;
        return sysret_failure(e);
    }
    d->running = true;
    return sysret_success();
}

static struct sysret rng_command(void *ctx, uint32_t cmd, uint32_t arg1, uint32_t arg2, processid_t pid)
{
    (void)arg2;
    if (cmd == 0)
        return sysret_success();
    if (cmd == 1)
        return rng_request(ctx, arg1, pid);
    return sysret_failure(ERR_NOSUPPORT);
}

void rng_driver_init(struct rng_driver *d, uint32_t driver_num, const struct hil_rng *rng)
{
    *d = (struct rng_driver){
        .rng = rng,
        .grant = { .driver_num = driver_num, .data_size = sizeof(struct rng_driver_app), .n_upcalls = 1,
                   .n_rw_allows = 1 },
        .driver = { .num = driver_num, .ctx = d, .command = rng_command },
    };
    d->driver.grant = &d->grant;
    rng->set_client(rng, (struct hil_rng_client){ rng_randomness, d });
}
