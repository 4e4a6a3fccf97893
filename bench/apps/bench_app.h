/*
 * bench_app.h — shared by the kernel-cost benchmark apps (bench/apps/NAME/main.c,
 * built by bench/kernel_costs.sh with libtock and -DBENCH_N=...).
 *
 * A measured loop is bracketed by the blue LED (led 2): on before the first
 * iteration, off after the last.  The two LED changes are "led" events in
 * hailsim's trace with their virtual time (t_ns; 48 MHz, so cycles = t_ns × 0.048);
 * the script takes the difference between an image with BENCH_N = N_small and
 * one with N_large, so the marker commands, start-up and set-up cancel out.
 * bench_settle() first waits 50 ms on the alarm so that the kernel's boot
 * lines have left the UART (no UART interrupt lands inside a loop).
 */
#ifndef BENCH_APP_H
#define BENCH_APP_H

#include <alarm.h>
#include <led.h>
#include <tock.h>

#ifndef BENCH_N
#define BENCH_N 1000
#endif

static volatile bool bench_alarm_fired;

static void bench_alarm_cb(int now, int expiry, int unused, void *ud)
{
    (void)now; (void)expiry; (void)unused; (void)ud;
    bench_alarm_fired = true;
}

/* Waits ms on the alarm driver (yield-wait until the upcall ran). */
static inline void bench_sleep_ms(uint32_t ms)
{
    uint32_t now = 0, expiry;
    bench_alarm_fired = false;
    subscribe(DRIVER_NUM_ALARM, 0, bench_alarm_cb, NULL);
    alarm_command_read(&now);
    alarm_command_set_absolute(now, alarm_ms_to_ticks(ms), &expiry);
    yield_for(&bench_alarm_fired);
}

static inline void bench_settle(void) { bench_sleep_ms(50); }
static inline void bench_begin(void) { led_on(2); }
static inline void bench_end(void) { led_off(2); }

#endif
