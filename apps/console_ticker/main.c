/* console_ticker — process console test (tests/hail/run.sh): prints
 * "tick N" every 100 ms, forever, so `stop` / `start` are visible. */
#include <libtock.h>
#include <stdio.h>

int main(void)
{
    for (int n = 0;; n++) {
        printf("tick %d\n", n);
        delay_ms(100);
    }
}
