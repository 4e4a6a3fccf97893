/*
 * rng — asks the RNG driver (0x40001) for random bytes: 32 bytes twice (the
 * two must differ and not be all zero), then (raw system calls) 100 bytes
 * into a 16-byte buffer: the driver fills only the buffer and says 16.  Prints the bytes; exits 0 if
 * everything held, else the number of the failed check (11-16).
 */
#include <libtock.h>
#include <stdio.h>
#include <string.h>

static uint8_t a[32], b[32], small[16];

static int all_zero(const uint8_t *p, int n)
{
    for (int i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

int main(void)
{
    uint32_t got_a = 0, got_b = 0, got_small = 0;
    if (rng_get_random(a, sizeof a, &got_a) != RETURNCODE_SUCCESS || got_a != sizeof a)
        return 11;
    if (rng_get_random(b, sizeof b, &got_b) != RETURNCODE_SUCCESS || got_b != sizeof b)
        return 12;
    if (all_zero(a, sizeof a) || all_zero(b, sizeof b) || memcmp(a, b, sizeof a) == 0)
        return 13;
    /* raw: allow 16 bytes, ask for 100 */
    if (!allow_readwrite(DRIVER_NUM_RNG, 0, small, sizeof small).success)
        return 14;
    if (tock_command_return_novalue_to_returncode(command(DRIVER_NUM_RNG, 1, 100, 0)) != RETURNCODE_SUCCESS)
        return 15;
    got_small = yield_wait_for(DRIVER_NUM_RNG, 0).data1;
    allow_readwrite(DRIVER_NUM_RNG, 0, NULL, 0);
    if (got_small != sizeof small || all_zero(small, sizeof small))
        return 16;
    printf("rng: %02x%02x%02x%02x%02x%02x%02x%02x...\n", a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    return 0;
}
