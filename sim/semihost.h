/*
 * semihost.h — ARM semihosting (`bkpt 0xAB`, operation in r0, argument in
 * r1, result in r0), so bare-metal images written for `qemu-system-arm
 * -semihosting` run unchanged.  Only the console (":tt") is reachable: the
 * guest can never open host files.  Time calls report virtual time.
 */
#ifndef HAILSIM_SEMIHOST_H
#define HAILSIM_SEMIHOST_H

#include "machine.h"

/* Performs the call at the bkpt; returns false if the guest exited. */
void semihost_call(struct machine *m);

#endif
