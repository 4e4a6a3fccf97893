/*
 * hostile_victim — the well-behaved witness of tests/hostile/run.sh.
 *
 * Keeps a 32-byte secret in its RAM (built at run time, never printed: the
 * words are 0x5EC7E700 + i, so a leak shows up as "5ec7e7" in hex or as the
 * decimal 15901591xx in a trace), shares it with the RNG driver (RW allow 0,
 * never used: the pointer sits in its grant region), subscribes to the alarm,
 * then toggles the red LED every 250 ms and prints "victim: tick N ok" every
 * fourth toggle after checking that the secret is intact ("victim: tick N
 * SECRET CORRUPTED" otherwise).  Hostile apps must not change any of this.
 */
#include <libtock.h>
#include <stdio.h>

#define SECRET_WORDS 8
static volatile uint32_t secret[SECRET_WORDS] __attribute__((aligned(32)));

/* noinline: the secret words stay in caller-saved registers of these two
 * functions, so r4-r11 never hold them when the process yields (the process
 * console and the crash report print r4-r11). */
__attribute__((noinline)) static void make_secret(void)
{
    for (uint32_t i = 0; i < SECRET_WORDS; i++)
        secret[i] = 0x5EC7E700u + i;
}

__attribute__((noinline)) static bool secret_intact(void)
{
    for (uint32_t i = 0; i < SECRET_WORDS; i++)
        if (secret[i] != 0x5EC7E700u + i)
            return false;
    return true;
}

int main(void)
{
    make_secret();
    allow_readwrite(0x40001, 0, (void *)secret, sizeof secret);
    printf("victim: ready\n");
    for (int n = 1;; n++) {
        led_toggle(0);
        if (n % 4 == 0)
            printf("victim: tick %d %s\n", n / 4, secret_intact() ? "ok" : "SECRET CORRUPTED");
        delay_ms(250);
    }
}
