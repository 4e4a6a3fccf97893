/* lockup — an undefined instruction escalates to HardFault (UsageFault is
 * disabled at reset), and the HardFault handler executes another one: a
 * fault at priority -1 locks the core up. */
#include "testlib.h"

void HardFault_Handler(void)
{
    __asm__ volatile("udf #2");
}

int main(void)
{
    __asm__ volatile("udf #1");
    return 0;
}
