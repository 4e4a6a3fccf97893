/*
 * console.h — the console syscall driver (0x1, tock-abi.md §6.3) over a
 * UART HIL (on Hail: a virtual UART of the UART mux).
 *
 *   cmd 0          Success
 *   cmd 1 (len)    write min(len, RO allow 1 length) bytes; Success, or
 *                  Failure(NOMEM) (no grant), Failure(BUSY) (this process
 *                  already has a write outstanding).  Upcall 1 when all of it
 *                  went out: (bytes_written, 0, 0) — Tock's Impl.
 *   cmd 2 (len)    read min(len, RW allow 1 length) bytes; Success, or
 *                  Failure(BUSY) (a read is in progress), Failure(INVAL)
 *                  (0 bytes, or more than CONSOLE_BUF_LEN).  Upcall 2:
 *                  (statuscode, bytes_read, 0).
 *   cmd 3          abort this process's read: upcall 2 with (CANCEL, bytes so far).
 *   other          Failure(NOSUPPORT)
 *
 * Writes go through one kernel buffer of CONSOLE_BUF_LEN bytes: a long write
 * is sent in chunks and reported once, whole.  Processes with a write
 * outstanding wait in a FIFO queue and are served in turn, one whole write
 * each.  Per-process state lives in the driver's grant.
 */
#ifndef CAPSULES_CONSOLE_H
#define CAPSULES_CONSOLE_H

#include "kernel/hil.h"
#include "kernel/kernel.h"

#define CONSOLE_DRIVER_NUM 0x1u
#define CONSOLE_BUF_LEN 64u

/* Per-process state (grant data). */
struct console_app {
    uint32_t write_len, written;
    bool write_pending;             /* queued or being sent */
};

/* The grant the board declares and registers for the console. */
#define CONSOLE_GRANT_INIT                                                                  \
    { .driver_num = CONSOLE_DRIVER_NUM, .data_size = sizeof(struct console_app), .n_upcalls = 3, \
      .n_ro_allows = 2, .n_rw_allows = 2 }

struct console {
    const struct hil_uart *uart;
    const struct grant *grant;
    struct syscall_driver driver;   /* register &driver with the kernel */
    uint8_t tx_buf[CONSOLE_BUF_LEN];
    uint8_t rx_buf[CONSOLE_BUF_LEN];
    processid_t queue[KERNEL_MAX_PROCS];    /* processes waiting to write, FIFO */
    uint8_t q_head, q_count;
    bool tx_busy, rx_busy;
    processid_t tx_owner, rx_owner;
};

void console_init(struct console *c, const struct hil_uart *uart, const struct grant *g);

#endif
