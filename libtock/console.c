#include "console.h"

/* the count of a write-done upcall; see console.h (libtock-c #590) */
static uint32_t written_count(yield_waitfor_return_t r, uint32_t asked)
{
    if (r.data0 != 0 && r.data0 <= asked)
        return r.data0;         /* Tock: (bytes_written, 0, 0) */
    if (r.data0 == 0 && r.data1 != 0 && r.data1 <= asked)
        return r.data1;         /* (status OK, length) convention */
    return asked;               /* the kernel never reports partial writes */
}

returncode_t console_write(const uint8_t *buf, uint32_t len, uint32_t *written)
{
    uint32_t done = 0;
    returncode_t rc = RETURNCODE_SUCCESS;
    while (done < len) {
        uint32_t chunk = len - done;
        rc = tock_allow_ro_return_to_returncode(
            allow_readonly(DRIVER_NUM_CONSOLE, 1, buf + done, chunk));
        if (rc != RETURNCODE_SUCCESS)
            break;
        rc = tock_command_return_novalue_to_returncode(
            command(DRIVER_NUM_CONSOLE, 1, (int)chunk, 0));
        if (rc != RETURNCODE_SUCCESS) {
            allow_readonly(DRIVER_NUM_CONSOLE, 1, NULL, 0);
            break;
        }
        yield_waitfor_return_t r = yield_wait_for(DRIVER_NUM_CONSOLE, 1);
        allow_readonly(DRIVER_NUM_CONSOLE, 1, NULL, 0);
        done += written_count(r, chunk);
    }
    if (written != NULL)
        *written = done;
    return rc;
}

returncode_t console_read(uint8_t *buf, uint32_t len, uint32_t *nread)
{
    returncode_t rc =
        tock_allow_rw_return_to_returncode(allow_readwrite(DRIVER_NUM_CONSOLE, 1, buf, len));
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    rc = tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, 2, (int)len, 0));
    if (rc == RETURNCODE_SUCCESS) {
        yield_waitfor_return_t r = yield_wait_for(DRIVER_NUM_CONSOLE, 2);
        rc = tock_status_to_returncode(r.data0);
        if (nread != NULL)
            *nread = r.data1;
    }
    allow_readwrite(DRIVER_NUM_CONSOLE, 1, NULL, 0);
    return rc;
}

returncode_t console_read_start(uint8_t *buf, uint32_t len, subscribe_upcall *cb, void *ud)
{
    returncode_t rc =
        tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_CONSOLE, 2, cb, ud));
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    rc = tock_allow_rw_return_to_returncode(allow_readwrite(DRIVER_NUM_CONSOLE, 1, buf, len));
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, 2, (int)len, 0));
}

returncode_t console_read_abort(void)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_CONSOLE, 3, 0, 0));
}

int getch(void)
{
    uint8_t c = 0;
    uint32_t n = 0;
    if (console_read(&c, 1, &n) != RETURNCODE_SUCCESS || n != 1)
        return -1;
    return c;
}
