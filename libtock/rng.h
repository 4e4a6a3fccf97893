/* rng.h — the random number generator driver (0x40001). */
#ifndef LIBTOCK_RNG_H
#define LIBTOCK_RNG_H
#include "tock.h"
#define DRIVER_NUM_RNG 0x40001
/* fills buf with n random bytes (RW allow 0 + command 1 + yield-wait-for);
 * *got = bytes delivered */
returncode_t rng_get_random(uint8_t *buf, uint32_t n, uint32_t *got);
#endif
