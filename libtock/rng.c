#include "rng.h"

returncode_t rng_get_random(uint8_t *buf, uint32_t n, uint32_t *got)
{
    returncode_t rc =
        tock_allow_rw_return_to_returncode(allow_readwrite(DRIVER_NUM_RNG, 0, buf, n));
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    rc = tock_command_return_novalue_to_returncode(command(DRIVER_NUM_RNG, 1, (int)n, 0));
    if (rc == RETURNCODE_SUCCESS) {
        /* upcall(0, bytes filled, 0) */
        yield_waitfor_return_t r = yield_wait_for(DRIVER_NUM_RNG, 0);
        if (got != NULL)
            *got = r.data1;
    }
    allow_readwrite(DRIVER_NUM_RNG, 0, NULL, 0);
    return rc;
}
