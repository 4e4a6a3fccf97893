/*
 * timers — BENCH_N periodic timers of libtock's timer API (timer_every, all
 * with a 100 ms period, armed one after another so that their expiries are
 * spread a little), multiplexed by libtock on the process's one kernel alarm.
 * After 10 s of virtual time (read on the alarm after every upcall) it prints
 *   timers: N timers, F fires in 10000 ms
 * and exits.  bench/system.sh runs it for N = 1 … 32 and reports how the host
 * time of those 10 s grows with N.
 */
#include <alarm.h>
#include <stdio.h>
#include <tock.h>

#ifndef BENCH_N
#define BENCH_N 1
#endif
#define PERIOD_MS 100
#define REPORT_MS 10000

static tock_timer_t timers[BENCH_N];
static volatile uint32_t fires;

static void fired(uint32_t now, uint32_t scheduled, void *ud)
{
    (void)now; (void)scheduled; (void)ud;
    fires++;
}

int main(void)
{
    uint32_t t0 = alarm_now_ms();
    for (int i = 0; i < BENCH_N; i++)
        timer_every(PERIOD_MS, fired, NULL, &timers[i]);
    while (alarm_now_ms() - t0 < REPORT_MS)
        yield();
    for (int i = 0; i < BENCH_N; i++)
        timer_cancel(&timers[i]);
    printf("timers: %d timers, %lu fires in %d ms\n", BENCH_N, (unsigned long)fires, REPORT_MS);
    tock_exit(0);
}
