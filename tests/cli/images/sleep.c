/* sleep — WFI with no interrupt enabled and no timer running: nothing can
 * ever wake the core. */
#include "testlib.h"

int main(void)
{
    sh_printf("sleep: going to sleep for good\n");
    cpu_wfi();
    sh_printf("sleep: woke up?\n");
    return 1;
}
