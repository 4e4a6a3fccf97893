/*
 * console.h — the console driver (0x1).
 *
 * Write: RO allow 1 + command 1 + yield-wait-for(1, 1).  The kernel's
 * write-done upcall carries (bytes_written, 0, 0) — Tock's Impl, which the
 * libtock-c snapshot misreads as (status, length) (tock/libtock-c PR #590).
 * We take the first argument as the count (and fall back sensibly), so no
 * text is ever dropped.  Read: RW allow 1 + command 2 + yield-wait-for(1, 2)
 * → (status, bytes_read); command 3 aborts a read.
 */
#ifndef LIBTOCK_CONSOLE_H
#define LIBTOCK_CONSOLE_H
#include "tock.h"
#define DRIVER_NUM_CONSOLE 0x1

/* writes all len bytes (in as many kernel writes as needed) */
returncode_t console_write(const uint8_t *buf, uint32_t len, uint32_t *written);
/* blocks until up to len bytes were read (the kernel may deliver fewer) */
returncode_t console_read(uint8_t *buf, uint32_t len, uint32_t *nread);
/* asynchronous read: upcall(status, bytes_read, 0, ud) on subscribe 2 */
returncode_t console_read_start(uint8_t *buf, uint32_t len, subscribe_upcall *cb, void *ud);
returncode_t console_read_abort(void);
/* one character, blocking; -1 on error */
int getch(void);
#endif
