/* console_chat_b — console test (tests/hail/run.sh): prints 30 numbered
 * lines as fast as it can, while console_chat_a does the same; every line
 * must arrive whole. */
#include <stdio.h>

int main(void)
{
    for (int i = 0; i < 30; i++)
        printf("chat B %02d the quick brown fox jumps over the lazy dog\n", i);
    return 0;
}
