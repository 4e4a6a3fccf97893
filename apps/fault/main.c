/* fault — prints, then writes to address 0 (outside its memory) on purpose. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("fault: writing to address 0 now\n");
    *(volatile uint32_t *)0 = 0xdeadbeef;
    printf("fault: still alive?! (the MPU did not stop the write)\n");
    return 1;
}
