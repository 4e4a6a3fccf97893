/*
 * types.h — the small vocabulary shared by the whole kernel: Tock 2.x error
 * codes, system-call return values (the exact variants libtock-c checks),
 * and process identifiers.  Freestanding C: usable on the target and, for
 * the host unit tests, on the build machine.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes (TRD104); 0 means success where a "statuscode" is passed to an upcall. */
typedef enum {
    ERR_NONE = 0, ERR_FAIL = 1, ERR_BUSY = 2, ERR_ALREADY = 3, ERR_OFF = 4, ERR_RESERVE = 5,
    ERR_INVAL = 6, ERR_SIZE = 7, ERR_CANCEL = 8, ERR_NOMEM = 9, ERR_NOSUPPORT = 10,
    ERR_NODEVICE = 11, ERR_UNINSTALLED = 12, ERR_NOACK = 13
} errorcode_t;

/* Return variants placed in r0 (tock-abi.md §1.2). */
enum sysret_variant {
    SYSRET_FAILURE = 0, SYSRET_FAILURE_U32 = 1, SYSRET_FAILURE_2U32 = 2, SYSRET_FAILURE_U64 = 3,
    SYSRET_SUCCESS = 128, SYSRET_SUCCESS_U32 = 129, SYSRET_SUCCESS_2U32 = 130,
    SYSRET_SUCCESS_U64 = 131, SYSRET_SUCCESS_3U32 = 132, SYSRET_SUCCESS_U32_U64 = 133
};

/* What a system call puts in r0-r3; registers a variant does not name keep their value. */
struct sysret {
    uint32_t variant;
    uint32_t r1, r2, r3;
};

static inline struct sysret sysret_success(void) { return (struct sysret){ SYSRET_SUCCESS, 0, 0, 0 }; }
static inline struct sysret sysret_success_u32(uint32_t a) { return (struct sysret){ SYSRET_SUCCESS_U32, a, 0, 0 }; }
static inline struct sysret sysret_success_2u32(uint32_t a, uint32_t b) { return (struct sysret){ SYSRET_SUCCESS_2U32, a, b, 0 }; }
static inline struct sysret sysret_success_3u32(uint32_t a, uint32_t b, uint32_t c) { return (struct sysret){ SYSRET_SUCCESS_3U32, a, b, c }; }
static inline struct sysret sysret_success_u64(uint64_t v) { return (struct sysret){ SYSRET_SUCCESS_U64, (uint32_t)v, (uint32_t)(v >> 32), 0 }; }
static inline struct sysret sysret_failure(errorcode_t e) { return (struct sysret){ SYSRET_FAILURE, (uint32_t)e, 0, 0 }; }
static inline struct sysret sysret_failure_u32(errorcode_t e, uint32_t a) { return (struct sysret){ SYSRET_FAILURE_U32, (uint32_t)e, a, 0 }; }
static inline struct sysret sysret_failure_2u32(errorcode_t e, uint32_t a, uint32_t b) { return (struct sysret){ SYSRET_FAILURE_2U32, (uint32_t)e, a, b }; }

/* A process identity: slot index plus a generation that changes on every
 * restart, so a capsule holding a stale id can never reach the new process. */
typedef struct {
    uint16_t index;
    uint16_t generation;
} processid_t;

#define PROCESSID_NONE ((processid_t){ 0xFFFFu, 0xFFFFu })

static inline bool processid_eq(processid_t a, processid_t b)
{
    return a.index == b.index && a.generation == b.generation;
}

#endif
