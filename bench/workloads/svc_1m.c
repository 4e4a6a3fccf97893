/*
 * svc_1m.c — SVC round trips from unprivileged thread mode with the MPU on:
 * the 1 000 000-call image.  The code is in svc_body.h; bench/run.sh takes
 * (svc_1m - svc_1k) / 999 000 as the cost of one round trip.
 *
 * Output: one "CHECKSUM svc_1m xxxxxxxx" line; exits 0.
 */
#define SVC_N 1000000u
#define SVC_NAME "svc_1m"
#include "svc_body.h"
