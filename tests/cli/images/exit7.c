/* exit7 — prints a line and exits with status 7 through semihosting. */
#include "testlib.h"

int main(void)
{
    sh_printf("exit7: leaving with status 7\n");
    return 7;
}
