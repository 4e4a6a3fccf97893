/*
 * alarm_latency — BENCH_N alarms, each 1 ms ahead, each waited for with a
 * yield-wait (the kernel sleeps in WFI meanwhile).  bench/kernel_costs.sh runs
 * it with --trace-exceptions and measures, per alarm, from the AST alarm IRQ's
 * exception entry to the next exception return into thread mode on PSP
 * (EXC_RETURN 0xFFFFFFFD): the moment the process's alarm upcall starts.
 */
#include "bench_app.h"

int main(void)
{
    bench_settle();
    for (int i = 0; i < BENCH_N; i++)
        bench_sleep_ms(1);
    tock_exit(0);
}
