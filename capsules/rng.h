/*
 * rng.h — the RNG syscall driver (0x40001, tock-abi.md §6.7) over the RNG
 * HIL: a process allows a buffer (RW allow 0), asks for n bytes (cmd 1)
 * and gets upcall 0 (0, bytes filled, 0).  Several processes are served
 * from the same stream of random words, in process order.
 */
#ifndef CAPSULES_RNG_H
#define CAPSULES_RNG_H

#include "kernel/driver.h"
#include "kernel/hil.h"

struct rng_driver_app {
    uint32_t remaining;     /* bytes still wanted */
    uint32_t filled;        /* bytes written into the allowed buffer so far */
    bool pending;
};

struct rng_driver {
    const struct hil_rng *rng;
    bool running;           /* the HIL is producing for us */
    struct grant grant;
    struct syscall_driver driver;
};

void rng_driver_init(struct rng_driver *d, uint32_t driver_num, const struct hil_rng *rng);

#endif
