/*
 * semihost.c — ARM semihosting operations (see semihost.h).  Guest memory is
 * read through bounds-checked host pointers; a bad pointer makes the call
 * fail with -1, never the simulator.
 */
#include <string.h>

#include "cpu_state.h"
#include "semihost.h"
#include "trace.h"

enum {
    SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITEC = 0x03, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05,
    SYS_READ = 0x06, SYS_READC = 0x07, SYS_ISERROR = 0x08, SYS_ISTTY = 0x09, SYS_SEEK = 0x0A,
    SYS_FLEN = 0x0C, SYS_CLOCK = 0x10, SYS_TIME = 0x11, SYS_ERRNO = 0x13, SYS_GET_CMDLINE = 0x15,
    SYS_HEAPINFO = 0x16, SYS_EXIT = 0x18, SYS_EXIT_EXTENDED = 0x20, SYS_ELAPSED = 0x30,
    SYS_TICKFREQ = 0x31
};
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define HANDLE_STDIN 1u
#define HANDLE_STDOUT 2u
#define HANDLE_STDERR 3u

static bool arg_word(struct machine *m, uint32_t block, int i, uint32_t *v)
{
    return machine_read32(m, block + 4u * (uint32_t)i, v) == 0;
}

static void trace_output(struct machine *m, const char *stream, const char *s, size_t len)
{
    if (!m->trace)
        return;
    char buf[1024];
    trace_json_string(buf, sizeof buf, s, len);
    trace_emit(m, "semihosting", "\"stream\":\"%s\",\"text\":%s", stream, buf);
}

static FILE *stream_for(struct machine *m, uint32_t handle)
{
    return handle == HANDLE_STDOUT ? m->out : handle == HANDLE_STDERR ? m->err : NULL;
}

static int32_t do_write(struct machine *m, uint32_t block)
{
    uint32_t handle, buf, len;
    if (!arg_word(m, block, 0, &handle) || !arg_word(m, block, 1, &buf) || !arg_word(m, block, 2, &len))
        return -1;
    FILE *f = stream_for(m, handle);
    uint8_t *p = machine_host_ptr(m, buf, len);
    if (!f || (len && !p))
        return (int32_t)len;
    fwrite(p, 1, len, f);
    fflush(f);
    trace_output(m, handle == HANDLE_STDOUT ? "stdout" : "stderr", (const char *)p, len);
    return 0;
}

static int32_t do_write0(struct machine *m, uint32_t addr)
{
    char buf[256];
    size_t n = 0;
    for (;;) {
        uint8_t *p = machine_host_ptr(m, addr, 1);
        if (!p)
            return -1;
        if (*p == 0 || n == sizeof buf) {
            fwrite(buf, 1, n, m->out);
            trace_output(m, "stdout", buf, n);
            if (*p == 0)
                break;
            n = 0;
        }
        buf[n++] = (char)*p;
        addr++;
    }
    fflush(m->out);
    return 0;
}

static int32_t do_open(struct machine *m, uint32_t block)
{
    uint32_t name, mode, len;
    if (!arg_word(m, block, 0, &name) || !arg_word(m, block, 1, &mode) || !arg_word(m, block, 2, &len))
        return -1;
    uint8_t *p = machine_host_ptr(m, name, len + 1);
    if (!p || len != 3 || memcmp(p, ":tt", 3) != 0)
        return -1;                                     /* only the console */
    if (mode < 4) return (int32_t)HANDLE_STDIN;
    if (mode < 8) return (int32_t)HANDLE_STDOUT;
    return (int32_t)HANDLE_STDERR;
}

static int32_t do_heapinfo(struct machine *m, uint32_t block)
{
    uint32_t dst;
    if (!arg_word(m, block, 0, &dst))
        return -1;
    /* heap: let the C library decide; stack base: the initial SP of the vector table */
    uint32_t info[4] = { 0, 0, m->reset_sp, 0 };
    for (int i = 0; i < 4; i++)
        if (machine_write32(m, dst + 4u * (uint32_t)i, info[i]) != 0)
            return -1;
    return 0;
}

static void guest_exit(struct machine *m, uint32_t reason, uint32_t subcode, bool extended)
{
    int status = reason == ADP_STOPPED_APPLICATION_EXIT ? (extended ? (int)subcode : 0) : 1;
    m->exit_status = status;
    m->stop = STOP_GUEST_EXIT;
    snprintf(m->stop_msg, sizeof m->stop_msg, "guest exited with status %d", status);
    trace_emit(m, "exit", "\"status\":%d,\"reason\":%u", status, reason);
    cpu_request_stop(m);
}

static int32_t do_exit(struct machine *m, uint32_t op, uint32_t arg)
{
    uint32_t reason = arg, sub = 0;
    if (op == SYS_EXIT_EXTENDED && (!arg_word(m, arg, 0, &reason) || !arg_word(m, arg, 1, &sub)))
        return -1;
    guest_exit(m, reason, sub, op == SYS_EXIT_EXTENDED);
    return 0;
}

static int32_t dispatch(struct machine *m, uint32_t op, uint32_t arg)
{
    uint64_t ns = machine_time_ns(m);
    uint32_t v;
    switch (op) {
    case SYS_OPEN: return do_open(m, arg);
    case SYS_CLOSE: return 0;
    case SYS_WRITEC: {
        uint8_t *p = machine_host_ptr(m, arg, 1);
        if (!p) return -1;
        fputc(*p, m->out);
        fflush(m->out);
        trace_output(m, "stdout", (const char *)p, 1);
        return 0;
    }
    case SYS_WRITE0: return do_write0(m, arg);
    case SYS_WRITE: return do_write(m, arg);
    case SYS_READ: return arg_word(m, arg, 2, &v) ? (int32_t)v : -1;   /* no input: EOF */
    case SYS_READC: return -1;
    case SYS_ISERROR: return arg_word(m, arg, 0, &v) && (int32_t)v < 0;
    case SYS_ISTTY: return arg_word(m, arg, 0, &v) && v >= HANDLE_STDIN && v <= HANDLE_STDERR;
    case SYS_SEEK: case SYS_FLEN: return -1;
    case SYS_CLOCK: return (int32_t)(ns / 10000000u);
    case SYS_TIME: return (int32_t)(ns / 1000000000u);
    case SYS_ERRNO: return 0;
    case SYS_GET_CMDLINE: {
        uint32_t buf, len;
        if (!arg_word(m, arg, 0, &buf) || !arg_word(m, arg, 1, &len) || len < 1 ||
            machine_host_ptr(m, buf, 1) == NULL)
            return -1;
        *machine_host_ptr(m, buf, 1) = 0;
        return machine_write32(m, arg + 4, 0) == 0 ? 0 : -1;
    }
    case SYS_HEAPINFO: return do_heapinfo(m, arg);
    case SYS_EXIT: case SYS_EXIT_EXTENDED: return do_exit(m, op, arg);
    case SYS_ELAPSED:
        if (machine_write32(m, arg, (uint32_t)m->cycles) || machine_write32(m, arg + 4, (uint32_t)(m->cycles >> 32)))
            return -1;
        return 0;
    case SYS_TICKFREQ: return (int32_t)m->clock_hz;
    default:
        fprintf(m->err, "hailsim: unsupported semihosting operation 0x%02x at pc 0x%08x\n", op, cpu_pc(m));
        return -1;
    }
}

void semihost_call(struct machine *m)
{
    uint32_t op = cpu_reg(m, UC_ARM_REG_R0), arg = cpu_reg(m, UC_ARM_REG_R1);
    uint32_t pc = cpu_pc(m);
    int32_t r = dispatch(m, op, arg);
    if (m->stop != STOP_NONE)
        return;
    cpu_set_reg(m, UC_ARM_REG_R0, (uint32_t)r);
    cpu_set_pc(m, pc + 2);
}
