/*
 * alarm.h — the alarm driver (0x0) and virtual timers on top of it.
 *
 * The kernel gives each process one alarm (subscribe 0, command 6 = arm at
 * reference + dt).  libtock keeps a list of virtual alarms and always arms
 * the one that expires first.  Frequency from command 1 (Hail: 16 kHz).
 */
#ifndef LIBTOCK_ALARM_H
#define LIBTOCK_ALARM_H

#include "tock.h"

#define DRIVER_NUM_ALARM 0x0

typedef void alarm_callback(uint32_t now, uint32_t scheduled, void *userdata);

typedef struct alarm {
    uint32_t reference, dt;
    alarm_callback *callback;
    void *userdata;
    struct alarm *next;
} alarm_t;

typedef struct {
    uint32_t interval_ms;
    alarm_callback *callback;
    void *userdata;
    alarm_t alarm;
} tock_timer_t;

/* raw driver commands */
returncode_t alarm_command_frequency(uint32_t *hz);
returncode_t alarm_command_read(uint32_t *ticks);
returncode_t alarm_command_stop(void);
returncode_t alarm_command_set_absolute(uint32_t reference, uint32_t dt, uint32_t *expiry);

/* conversions (no 64-bit arithmetic) */
uint32_t alarm_ms_to_ticks(uint32_t ms);
uint32_t alarm_ticks_to_ms(uint32_t ticks);

/* virtual alarms: fire callback at reference + dt (ticks) */
returncode_t alarm_at(uint32_t reference, uint32_t dt, alarm_callback *cb, void *ud, alarm_t *a);
returncode_t alarm_in_ms(uint32_t ms, alarm_callback *cb, void *ud, alarm_t *a);
void alarm_cancel(alarm_t *a);

/* timers (milliseconds) */
returncode_t timer_in(uint32_t ms, alarm_callback *cb, void *ud, tock_timer_t *t);
returncode_t timer_every(uint32_t ms, alarm_callback *cb, void *ud, tock_timer_t *t);
void timer_cancel(tock_timer_t *t);

/* blocking delay: subscribe 0 + command 6 + yield until it fired */
returncode_t delay_ms(uint32_t ms);
/* milliseconds since an arbitrary origin (wraps with the tick counter) */
uint32_t alarm_now_ms(void);

#endif
