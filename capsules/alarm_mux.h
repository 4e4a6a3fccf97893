/*
 * alarm_mux.h — virtual alarms over one hardware alarm (Tock's MuxAlarm /
 * VirtualMuxAlarm).  Each virtual alarm is itself a struct hil_alarm, so a
 * capsule written against the alarm HIL runs unchanged on a virtual one.
 * The mux keeps the hardware compare set to the virtual alarm that expires
 * first; expiry tests use wrapping arithmetic (now - reference >= dt), so
 * the 32-bit counter may wrap freely.  All storage is the caller's (static).
 */
#ifndef CAPSULES_ALARM_MUX_H
#define CAPSULES_ALARM_MUX_H

#include "kernel/hil.h"

struct virtual_alarm;

struct alarm_mux {
    const struct hil_alarm *hw;
    struct virtual_alarm *head;     /* every virtual alarm ever initialised */
    bool firing;                    /* inside fired(): re-arming waits until the end */
    bool hw_armed;                  /* what the hardware was last set to */
    uint32_t hw_reference, hw_dt;
};

struct virtual_alarm {
    struct hil_alarm hil;           /* hil.state points back here */
    struct alarm_mux *mux;
    struct virtual_alarm *next;
    uint32_t reference, dt;
    bool armed;
    struct hil_alarm_client client;
};

/* Takes over hw's client. */
void alarm_mux_init(struct alarm_mux *m, const struct hil_alarm *hw);
/* Adds v to the mux; use &v->hil as an ordinary alarm afterwards. */
void virtual_alarm_init(struct virtual_alarm *v, struct alarm_mux *m);

#endif
