/*
 * pingpong_b — the service half of the process-switch benchmark (package name
 * "pingpong_b"): every notification from a client is answered at once with a
 * notification back; otherwise it yield-waits.
 */
#include <ipc.h>

#include "bench_app.h"

static void on_request(int client, int len, int buf, void *ud)
{
    (void)len; (void)buf; (void)ud;
    ipc_notify_client((size_t)client);
}

int main(void)
{
    if (ipc_register_service_callback("pingpong_b", on_request, NULL) != RETURNCODE_SUCCESS)
        tock_exit(1);
    for (;;)
        yield();
}
