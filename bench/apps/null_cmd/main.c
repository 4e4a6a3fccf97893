/*
 * null_cmd — BENCH_N null command round trips: command 0 ("exists") of the LED
 * driver, which returns Success(u32) at once.  One round trip = svc 2 from the
 * process, kernel entry, dispatch, the driver, the return value in the stacked
 * frame, and the switch back to the instruction after the svc.
 */
#include "bench_app.h"

int main(void)
{
    bench_settle();
    bench_begin();
    for (int i = 0; i < BENCH_N; i++)
        command(DRIVER_NUM_LED, 0, 0, 0);
    bench_end();
    tock_exit(0);
}
