/* console_read — console test (tests/hail/run.sh): a blocking read of 5
 * bytes, printed back; then an asynchronous read of 10 bytes aborted after
 * 400 ms, which reports the bytes typed so far with CANCEL; then cmd 2
 * with more than the kernel's 64-byte buffer (INVAL). */
#include <libtock.h>
#include <stdio.h>

static uint8_t buf[80];
static volatile bool done;
static int status, got;

static void read_done(int st, int n, int unused, void *ud)
{
    (void)unused; (void)ud;
    status = st;
    got = n;
    done = true;
}

int main(void)
{
    uint32_t n = 0;
    returncode_t rc = console_read(buf, 5, &n);
    printf("read rc %d n %lu: %.*s\n", rc, (unsigned long)n, (int)n, (char *)buf);
    rc = console_read_start(buf, 10, read_done, NULL);
    printf("async read started rc %d\n", rc);
    delay_ms(400);
    rc = console_read_abort();
    yield_for(&done);
    printf("abort rc %d: status %d n %d: %.*s\n", rc, status, got, got, (char *)buf);
    allow_readwrite(DRIVER_NUM_CONSOLE, 1, buf, sizeof buf);
    syscall_return_t r = command(DRIVER_NUM_CONSOLE, 2, 70, 0);
    printf("read of 70: variant %lu error %lu\n", (unsigned long)r.type, (unsigned long)r.data[0]);
    return 0;
}
