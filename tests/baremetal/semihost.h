/*
 * semihost.h — ARM semihosting for the bare-metal test images.
 *
 * Calls go through `bkpt 0xAB` with r0 = operation, r1 = argument; the result
 * comes back in r0.  Only privileged code may call these (an unprivileged
 * BKPT is fine architecturally, but the emulators read the argument block
 * with privileged rights and tests must not depend on that).
 *
 * API (stable; benchmark workloads use it too):
 *   uint32_t sh_call(uint32_t op, uint32_t arg)   raw semihosting call
 *   void sh_writec(char c)                         SYS_WRITEC (0x03)
 *   void sh_write0(const char *s)                  SYS_WRITE0 (0x04)
 *   void sh_put_dec(uint32_t v)                    unsigned decimal
 *   void sh_put_int(int32_t v)                     signed decimal
 *   void sh_put_hex(uint32_t v)                    "0x" + 8 hex digits
 *   void sh_printf(const char *fmt, ...)           %s %c %d %i %u %x (8 digits,
 *                                                  no 0x), %% — no widths/flags
 *   void sh_vprintf(const char *fmt, va_list ap)   the same with a va_list
 *   void sh_exit(int status)                       SYS_EXIT_EXTENDED (0x20) with
 *                                                  {ADP_Stopped_ApplicationExit,
 *                                                  status}; never returns
 * Output is written in pieces of at most 128 bytes (one SYS_WRITE0 each).
 */
#ifndef HAILSIM_SEMIHOST_H
#define HAILSIM_SEMIHOST_H

#include <stdarg.h>
#include <stdint.h>

#define SH_SYS_WRITEC        0x03u
#define SH_SYS_WRITE0        0x04u
#define SH_SYS_EXIT          0x18u
#define SH_SYS_EXIT_EXTENDED 0x20u
#define SH_ADP_STOPPED_APPLICATION_EXIT 0x20026u

uint32_t sh_call(uint32_t op, uint32_t arg);
void sh_writec(char c);
void sh_write0(const char *s);
void sh_put_dec(uint32_t v);
void sh_put_int(int32_t v);
void sh_put_hex(uint32_t v);
void sh_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sh_vprintf(const char *fmt, va_list ap);
void sh_exit(int status) __attribute__((noreturn));

#endif
