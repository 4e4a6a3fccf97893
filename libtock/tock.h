/*
 * tock.h — Tock 2.x system calls for libtock (TRD104 on ARMv7-M).
 *
 * Each class is an `svc N` with arguments in r0–r3; the kernel answers with a
 * return variant in r0 and values in r1–r3 (../shared/reference/tock-abi.md
 * §1).  The *_to_returncode helpers accept only the one success variant a
 * call is specified to return, or plain Failure; anything else is
 * RETURNCODE_EBADRVAL, like libtock-c.
 */
#ifndef LIBTOCK_TOCK_H
#define LIBTOCK_TOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* return variants (r0) */
typedef enum {
    TOCK_SYSCALL_FAILURE = 0,
    TOCK_SYSCALL_FAILURE_U32 = 1,
    TOCK_SYSCALL_FAILURE_U32_U32 = 2,
    TOCK_SYSCALL_FAILURE_U64 = 3,
    TOCK_SYSCALL_SUCCESS = 128,
    TOCK_SYSCALL_SUCCESS_U32 = 129,
    TOCK_SYSCALL_SUCCESS_U32_U32 = 130,
    TOCK_SYSCALL_SUCCESS_U64 = 131,
    TOCK_SYSCALL_SUCCESS_U32_U32_U32 = 132,
    TOCK_SYSCALL_SUCCESS_U64_U32 = 133,
} syscall_rtype_t;

/* kernel error codes (statuscode_t) and userspace return codes (= -status) */
typedef uint32_t statuscode_t;
typedef enum {
    RETURNCODE_SUCCESS = 0,
    RETURNCODE_FAIL = -1,
    RETURNCODE_EBUSY = -2,
    RETURNCODE_EALREADY = -3,
    RETURNCODE_EOFF = -4,
    RETURNCODE_ERESERVE = -5,
    RETURNCODE_EINVAL = -6,
    RETURNCODE_ESIZE = -7,
    RETURNCODE_ECANCEL = -8,
    RETURNCODE_ENOMEM = -9,
    RETURNCODE_ENOSUPPORT = -10,
    RETURNCODE_ENODEVICE = -11,
    RETURNCODE_EUNINSTALLED = -12,
    RETURNCODE_ENOACK = -13,
    RETURNCODE_EBADRVAL = -1024,
} returncode_t;

typedef void subscribe_upcall(int, int, int, void *);

typedef struct {
    syscall_rtype_t type;
    uint32_t data[3];
} syscall_return_t;

typedef struct {
    bool success;
    subscribe_upcall *upcall;   /* previous on success, passed one on failure */
    void *userdata;
    statuscode_t status;
} subscribe_return_t;

typedef struct {
    bool success;
    void *ptr;                  /* previous buffer on success */
    size_t size;
    statuscode_t status;
} allow_rw_return_t;

typedef struct {
    bool success;
    const void *ptr;
    size_t size;
    statuscode_t status;
} allow_ro_return_t;

typedef allow_rw_return_t allow_userspace_r_return_t;

typedef struct {
    statuscode_t status;        /* 0 on success */
    uint32_t data;
} memop_return_t;

typedef struct {
    uint32_t data0, data1, data2;   /* the three upcall arguments */
} yield_waitfor_return_t;

/* ---- yield (svc 0) ---- */
/* yield-wait: block until one upcall has run. */
void yield(void);
/* yield-no-wait: run one pending upcall if any; returns 1 if one ran. */
int yield_no_wait(void);
/* yield-wait-for: block until (driver, subscribe) has an event; returns its
 * arguments without calling any upcall. */
yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe);
/* yield until *cond becomes true */
void yield_for(volatile bool *cond);

/* ---- the other classes ---- */
subscribe_return_t subscribe(uint32_t driver, uint32_t subscribe_num, subscribe_upcall *uc,
                             void *userdata);
syscall_return_t command(uint32_t driver, uint32_t command_num, int arg1, int arg2);
allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size);
allow_ro_return_t allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size);
allow_userspace_r_return_t allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr,
                                                size_t size);
memop_return_t memop(uint32_t op, int arg);
__attribute__((noreturn)) void tock_exit(uint32_t completion_code);
__attribute__((noreturn)) void tock_restart(uint32_t completion_code);

/* ---- return-variant conversion ---- */
returncode_t tock_status_to_returncode(statuscode_t status);
returncode_t tock_command_return_novalue_to_returncode(syscall_return_t r);
returncode_t tock_command_return_u32_to_returncode(syscall_return_t r, uint32_t *v);
returncode_t tock_command_return_u32_u32_to_returncode(syscall_return_t r, uint32_t *v0,
                                                       uint32_t *v1);
returncode_t tock_command_return_u64_to_returncode(syscall_return_t r, uint64_t *v);
returncode_t tock_subscribe_return_to_returncode(subscribe_return_t r);
returncode_t tock_allow_rw_return_to_returncode(allow_rw_return_t r);
returncode_t tock_allow_ro_return_to_returncode(allow_ro_return_t r);
returncode_t tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t r);
/* a driver exists if command 0 returns any success variant */
bool driver_exists(uint32_t driver);
const char *tock_strrcode(returncode_t rc);

/* ---- memop helpers (svc 5) ---- */
void *sbrk_tock(int increment);     /* memop 1: returns the old break or (void*)-1 */
int brk_tock(void *addr);           /* memop 0 */
void *tock_app_memory_begins_at(void);
void *tock_app_memory_ends_at(void);
void *tock_app_flash_begins_at(void);
void *tock_app_flash_ends_at(void);
void *tock_app_grant_begins_at(void);

#ifdef __cplusplus
}
#endif

#endif
