/* hello — prints and returns, like libtock-c's c_hello (crt0 then exits with 0). */
#include <stdio.h>

int main(void)
{
    printf("Hello, World!\n");
    return 0;
}
