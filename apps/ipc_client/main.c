/*
 * ipc_client — sends a buffer to ipc_service, which rot13s it and notifies
 * back; prints the result.  The buffer is 64 bytes, 64-aligned, so the
 * kernel can map it into the service with one MPU region.
 */
#include <libtock.h>
#include <stdio.h>
#include <string.h>

static char buf[64] __attribute__((aligned(64)));
static volatile bool done;

static void reply(int svc, int len, int addr, void *ud)
{
    (void)svc;
    (void)len;
    (void)addr;
    (void)ud;
    done = true;
}

static void timeout(uint32_t now, uint32_t sched, void *ud)
{
    (void)now;
    (void)sched;
    *(volatile bool *)ud = true;
}

int main(void)
{
    size_t svc = 0;
    returncode_t rc = ipc_discover("ipc_service", &svc);
    if (rc != RETURNCODE_SUCCESS) {
        printf("ipc_client: no ipc_service: %s\n", tock_strrcode(rc));
        return 1;
    }
    strcpy(buf, "Hello from the IPC client");
    ipc_register_client_callback(svc, reply, NULL);
    ipc_share(svc, buf, sizeof buf);
    /* the service may not have registered yet: retry a few times */
    for (int attempt = 0; attempt < 10 && !done; attempt++) {
        ipc_notify_service(svc);
        volatile bool expired = false;
        alarm_t a;
        alarm_in_ms(200, timeout, (void *)&expired, &a);
        while (!done && !expired)
            yield();
        alarm_cancel(&a);
    }
    if (!done) {
        printf("ipc_client: no answer from ipc_service\n");
        return 2;
    }
    ipc_share(svc, NULL, 0);    /* take the buffer back before reading it */
    printf("ipc_client: %s\n", buf);
    return 0;
}
