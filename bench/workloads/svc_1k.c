/*
 * svc_1k.c — SVC round trips from unprivileged thread mode with the MPU on:
 * the 1 000-call image (the baseline that bench/run.sh subtracts from
 * svc_1m).  The code is in svc_body.h.
 *
 * Output: one "CHECKSUM svc_1k xxxxxxxx" line; exits 0.
 */
#define SVC_N 1000u
#define SVC_NAME "svc_1k"
#include "svc_body.h"
