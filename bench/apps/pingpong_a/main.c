/*
 * pingpong_a — the client half of the process-switch benchmark: BENCH_N round
 * trips A -> B -> A.  Each half is: notify the other process (IPC command),
 * yield-wait (A has no task: the scheduler switches to B, whose IPC upcall
 * runs), and so on back.  One round trip = 2 process switches.
 */
#include <ipc.h>

#include "bench_app.h"

static volatile uint32_t replies;

static void on_reply(int svc, int len, int buf, void *ud)
{
    (void)svc; (void)len; (void)buf; (void)ud;
    replies++;
}

int main(void)
{
    size_t svc;
    bench_settle();
    if (ipc_discover("pingpong_b", &svc) != RETURNCODE_SUCCESS ||
        ipc_register_client_callback(svc, on_reply, NULL) != RETURNCODE_SUCCESS)
        tock_exit(1);
    bench_begin();
    for (int i = 0; i < BENCH_N; i++) {
        ipc_notify_service(svc);
        yield();
    }
    bench_end();
    tock_exit(replies == BENCH_N ? 0 : 2);
}
