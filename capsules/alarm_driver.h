/*
 * alarm_driver.h — the alarm syscall driver (0x0, tock-abi.md §6.2): one
 * alarm per process, kept in its grant, all served by one alarm HIL
 * (normally a virtual alarm of the alarm mux).  Commands 0-6 with Tock's
 * exact variants; upcall 0 (now, expiry, 0); firing disarms.
 */
#ifndef CAPSULES_ALARM_DRIVER_H
#define CAPSULES_ALARM_DRIVER_H

#include "kernel/driver.h"
#include "kernel/hil.h"

/* Per-process state (the grant's data). */
struct alarm_driver_app {
    uint32_t reference, dt;
    bool armed;
};

struct alarm_driver {
    const struct hil_alarm *alarm;
    struct grant grant;
    struct syscall_driver driver;
};

/* Fills d->grant and d->driver (the board registers both) and takes alarm's client. */
void alarm_driver_init(struct alarm_driver *d, uint32_t driver_num, const struct hil_alarm *alarm);

#endif
