/*
 * upcall — BENCH_N rounds of yield -> upcall -> return with an upcall that is
 * ready at once and involves no hardware: the app is an IPC service of its own
 * (package name "upcall"), notifies itself (IPC command 2: a TASK_IPC queued on
 * itself), then yield-waits; the kernel pops the task and starts the upcall,
 * which returns to the instruction after the yield's svc.  One round =
 * notify command + yield + upcall delivery + upcall body and return.
 */
#include <ipc.h>

#include "bench_app.h"

static volatile uint32_t upcalls;

static void on_notify(int caller, int len, int buf, void *ud)
{
    (void)caller; (void)len; (void)buf; (void)ud;
    upcalls++;
}

int main(void)
{
    size_t self;
    bench_settle();
    if (ipc_register_service_callback("upcall", on_notify, NULL) != RETURNCODE_SUCCESS ||
        ipc_discover("upcall", &self) != RETURNCODE_SUCCESS)
        tock_exit(1);
    bench_begin();
    for (int i = 0; i < BENCH_N; i++) {
        ipc_notify_service(self);
        yield();
    }
    bench_end();
    tock_exit(upcalls == BENCH_N ? 0 : 2);
}
