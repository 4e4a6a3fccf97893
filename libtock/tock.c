/*
 * tock.c — the Tock 2.x system-call wrappers (see tock.h).
 *
 * Register variables pin the arguments to r0–r3 and read the results back
 * from them.  Only yield can run an upcall in between (the kernel rewrites
 * the stacked frame so the upcall returns to the instruction after `svc 0`),
 * so only yield declares r12, lr and memory clobbered; r4–r11 (r9 = GOT
 * base) are preserved by the kernel for every class.
 */
#include "tock.h"

/* ---- yield ---------------------------------------------------------------- */

void yield(void)
{
    register uint32_t r0 __asm__("r0") = 1;     /* yield-wait */
    register uint32_t r1 __asm__("r1") = 0;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "r12", "lr", "memory", "cc");
}

int yield_no_wait(void)
{
    volatile uint8_t result = 0;
    register uint32_t r0 __asm__("r0") = 0;     /* yield-no-wait */
    register uint32_t r1 __asm__("r1") = (uint32_t)&result;
    register uint32_t r2 __asm__("r2") = 0;
    register uint32_t r3 __asm__("r3") = 0;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "r12", "lr", "memory", "cc");
    return result;
}

yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe_num)
{
    register uint32_t r0 __asm__("r0") = 2;     /* yield-wait-for */
    register uint32_t r1 __asm__("r1") = driver;
    register uint32_t r2 __asm__("r2") = subscribe_num;
    register uint32_t r3 __asm__("r3") = 0;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "r12", "lr", "memory", "cc");
    yield_waitfor_return_t r = {r0, r1, r2};
    return r;
}

void yield_for(volatile bool *cond)
{
    while (!*cond)
        yield();
}

/* ---- subscribe / command / allow / memop / exit ----------------------------- */

subscribe_return_t subscribe(uint32_t driver, uint32_t subscribe_num, subscribe_upcall *uc,
                             void *userdata)
{
    register uint32_t r0 __asm__("r0") = driver;
    register uint32_t r1 __asm__("r1") = subscribe_num;
    register uint32_t r2 __asm__("r2") = (uint32_t)uc;
    register uint32_t r3 __asm__("r3") = (uint32_t)userdata;
    __asm__ volatile("svc 1" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    subscribe_return_t r;
    if (r0 == TOCK_SYSCALL_SUCCESS_U32_U32) {
        r.success = true;
        r.upcall = (subscribe_upcall *)r1;
        r.userdata = (void *)r2;
        r.status = 0;
    } else if (r0 == TOCK_SYSCALL_FAILURE_U32_U32) {
        r.success = false;
        r.status = r1;
        r.upcall = (subscribe_upcall *)r2;
        r.userdata = (void *)r3;
    } else {
        r.success = false;
        r.status = (statuscode_t)(-RETURNCODE_EBADRVAL);
        r.upcall = uc;
        r.userdata = userdata;
    }
    return r;
}

syscall_return_t command(uint32_t driver, uint32_t command_num, int arg1, int arg2)
{
    register uint32_t r0 __asm__("r0") = driver;
    register uint32_t r1 __asm__("r1") = command_num;
    register uint32_t r2 __asm__("r2") = (uint32_t)arg1;
    register uint32_t r3 __asm__("r3") = (uint32_t)arg2;
    __asm__ volatile("svc 2" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    syscall_return_t r = {(syscall_rtype_t)r0, {r1, r2, r3}};
    return r;
}

/* the three allow classes share the register protocol */
static void allow_raw(uint32_t cls, uint32_t driver, uint32_t num, uint32_t ptr, uint32_t size,
                      uint32_t out[4])
{
    register uint32_t r0 __asm__("r0") = driver;
    register uint32_t r1 __asm__("r1") = num;
    register uint32_t r2 __asm__("r2") = ptr;
    register uint32_t r3 __asm__("r3") = size;
    if (cls == 3)
        __asm__ volatile("svc 3" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    else if (cls == 4)
        __asm__ volatile("svc 4" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    else
        __asm__ volatile("svc 7" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    out[0] = r0;
    out[1] = r1;
    out[2] = r2;
    out[3] = r3;
}

static allow_rw_return_t allow_rw_common(uint32_t cls, uint32_t driver, uint32_t num, void *ptr,
                                         size_t size)
{
    uint32_t o[4];
    allow_raw(cls, driver, num, (uint32_t)ptr, (uint32_t)size, o);
    allow_rw_return_t r;
    if (o[0] == TOCK_SYSCALL_SUCCESS_U32_U32) {
        r.success = true;
        r.ptr = (void *)o[1];
        r.size = o[2];
        r.status = 0;
    } else if (o[0] == TOCK_SYSCALL_FAILURE_U32_U32) {
        r.success = false;
        r.status = o[1];
        r.ptr = (void *)o[2];
        r.size = o[3];
    } else {
        r.success = false;
        r.status = (statuscode_t)(-RETURNCODE_EBADRVAL);
        r.ptr = ptr;
        r.size = size;
    }
    return r;
}

allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size)
{
    return allow_rw_common(3, driver, allow, ptr, size);
}

allow_userspace_r_return_t allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr,
                                                size_t size)
{
    return allow_rw_common(7, driver, allow, ptr, size);
}

allow_ro_return_t allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size)
{
    allow_rw_return_t w = allow_rw_common(4, driver, allow, (void *)(uintptr_t)ptr, size);
    allow_ro_return_t r = {w.success, w.ptr, w.size, w.status};
    return r;
}

memop_return_t memop(uint32_t op, int arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = (uint32_t)arg;
    __asm__ volatile("svc 5" : "+r"(r0), "+r"(r1) : : "memory");
    memop_return_t r;
    if (r0 == TOCK_SYSCALL_SUCCESS) {
        r.status = 0;
        r.data = 0;
    } else if (r0 == TOCK_SYSCALL_SUCCESS_U32) {
        r.status = 0;
        r.data = r1;
    } else if (r0 == TOCK_SYSCALL_FAILURE) {
        r.status = r1;
        r.data = 0;
    } else {
        r.status = (statuscode_t)(-RETURNCODE_EBADRVAL);
        r.data = 0;
    }
    return r;
}

void tock_exit(uint32_t completion_code)
{
    register uint32_t r0 __asm__("r0") = 0;     /* exit-terminate */
    register uint32_t r1 __asm__("r1") = completion_code;
    __asm__ volatile("svc 6" : : "r"(r0), "r"(r1) : "memory");
    for (;;)
        yield();                /* not reached on a correct kernel */
}

void tock_restart(uint32_t completion_code)
{
    register uint32_t r0 __asm__("r0") = 1;     /* exit-restart */
    register uint32_t r1 __asm__("r1") = completion_code;
    __asm__ volatile("svc 6" : : "r"(r0), "r"(r1) : "memory");
    for (;;)
        yield();
}

/* ---- return-variant conversion ------------------------------------------------ */

returncode_t tock_status_to_returncode(statuscode_t status)
{
    /* kernel codes are 1..1023; returncode = -statuscode */
    return (returncode_t)(-(int32_t)status);
}

static returncode_t failure_code(syscall_return_t r)
{
    if (r.type == TOCK_SYSCALL_FAILURE)
        return tock_status_to_returncode(r.data[0]);
    return RETURNCODE_EBADRVAL;
}

returncode_t tock_command_return_novalue_to_returncode(syscall_return_t r)
{
    if (r.type == TOCK_SYSCALL_SUCCESS)
        return RETURNCODE_SUCCESS;
    return failure_code(r);
}

returncode_t tock_command_return_u32_to_returncode(syscall_return_t r, uint32_t *v)
{
    if (r.type == TOCK_SYSCALL_SUCCESS_U32) {
        if (v != NULL)
            *v = r.data[0];
        return RETURNCODE_SUCCESS;
    }
    return failure_code(r);
}

returncode_t tock_command_return_u32_u32_to_returncode(syscall_return_t r, uint32_t *v0,
                                                       uint32_t *v1)
{
    if (r.type == TOCK_SYSCALL_SUCCESS_U32_U32) {
        if (v0 != NULL)
            *v0 = r.data[0];
        if (v1 != NULL)
            *v1 = r.data[1];
        return RETURNCODE_SUCCESS;
    }
    return failure_code(r);
}

returncode_t tock_command_return_u64_to_returncode(syscall_return_t r, uint64_t *v)
{
    if (r.type == TOCK_SYSCALL_SUCCESS_U64) {
        if (v != NULL)
            *v = (uint64_t)r.data[0] | ((uint64_t)r.data[1] << 32);
        return RETURNCODE_SUCCESS;
    }
    return failure_code(r);
}

returncode_t tock_subscribe_return_to_returncode(subscribe_return_t r)
{
    return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

returncode_t tock_allow_rw_return_to_returncode(allow_rw_return_t r)
{
    return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

returncode_t tock_allow_ro_return_to_returncode(allow_ro_return_t r)
{
    return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

returncode_t tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t r)
{
    return r.success ? RETURNCODE_SUCCESS : tock_status_to_returncode(r.status);
}

bool driver_exists(uint32_t driver)
{
    syscall_return_t r = command(driver, 0, 0, 0);
    return r.type >= TOCK_SYSCALL_SUCCESS;
}

const char *tock_strrcode(returncode_t rc)
{
    switch (rc) {
    case RETURNCODE_SUCCESS: return "Success";
    case RETURNCODE_FAIL: return "Unknown Error";
    case RETURNCODE_EBUSY: return "Underlying system is busy; retry";
    case RETURNCODE_EALREADY: return "The state requested is already set";
    case RETURNCODE_EOFF: return "The component is powered down";
    case RETURNCODE_ERESERVE: return "Reservation required before use";
    case RETURNCODE_EINVAL: return "An invalid parameter was passed";
    case RETURNCODE_ESIZE: return "Parameter passed was too large";
    case RETURNCODE_ECANCEL: return "Operation cancelled by a call";
    case RETURNCODE_ENOMEM: return "Memory required not available";
    case RETURNCODE_ENOSUPPORT: return "Operation or command is unsupported";
    case RETURNCODE_ENODEVICE: return "Device does not exist";
    case RETURNCODE_EUNINSTALLED: return "Device is not physically installed";
    case RETURNCODE_ENOACK: return "Packet transmission not acknowledged";
    case RETURNCODE_EBADRVAL: return "Invalid SyscallReturn variant";
    default: return "Invalid error number";
    }
}

/* ---- memop helpers ------------------------------------------------------------ */

void *sbrk_tock(int increment)
{
    memop_return_t r = memop(1, increment);
    return r.status == 0 ? (void *)r.data : (void *)-1;
}

int brk_tock(void *addr)
{
    memop_return_t r = memop(0, (int)addr);
    return r.status == 0 ? 0 : -1;
}

void *tock_app_memory_begins_at(void) { return (void *)memop(2, 0).data; }
void *tock_app_memory_ends_at(void) { return (void *)memop(3, 0).data; }
void *tock_app_flash_begins_at(void) { return (void *)memop(4, 0).data; }
void *tock_app_flash_ends_at(void) { return (void *)memop(5, 0).data; }
void *tock_app_grant_begins_at(void) { return (void *)memop(6, 0).data; }
