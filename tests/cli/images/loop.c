/* loop — spins forever without sleeping: only --time-limit ends the run. */
#include "testlib.h"

int main(void)
{
    for (;;)
        cpu_nop();
}
