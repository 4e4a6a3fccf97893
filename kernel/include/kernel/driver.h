/*
 * driver.h — how a capsule offers itself to processes: a syscall driver
 * entry (number, command function, the grant that holds its upcalls and
 * allows).  The board lists them; the kernel dispatches svc 1-4 and 7 on
 * the driver number.  Capsules then use the kernel_* helpers in kernel.h to
 * schedule upcalls and to read allowed buffers.
 */
#ifndef KERNEL_DRIVER_H
#define KERNEL_DRIVER_H

#include "kernel/grant.h"
#include "kernel/types.h"

struct syscall_driver {
    uint32_t num;
    void *ctx;
    /* command `cmd` with two arguments; must return exactly Tock's variants */
    struct sysret (*command)(void *ctx, uint32_t cmd, uint32_t arg1, uint32_t arg2, processid_t pid);
    /* optional: told after a (RW/RO) allow changed a buffer for pid */
    void (*allow_changed)(void *ctx, processid_t pid, bool rw, uint32_t num);
    const struct grant *grant;      /* upcall/allow storage; NULL: no subscribe/allow */
};

#endif
