/*
 * clock_warning — touches USART0 with its clock gate off (PM.PBAMASK bit 8
 * is 0 after reset and nobody sets it): writes MR, then reads CSR.  On the
 * chip the writes would be lost; hailsim lets the access work but warns on
 * stderr (once), and with --strict stops the run (exit status 3).  Exits
 * with status 0 when it gets to the end.
 */
#include "sam4l.h"

int main(void)
{
    sh_printf("clock_warning: PBAMASK = 0x%x\n", (unsigned)REG32(PM_BASE + PM_PBAMASK_OFF));
    US_MR = US_MR_OVER | US_MR_CHRL_8 | US_MR_PAR_NONE;
    uint32_t csr = US_CSR;
    sh_printf("clock_warning: CSR = 0x%x, still running\n", (unsigned)csr);
    return 0;
}
