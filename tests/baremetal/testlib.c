/* testlib.c — TAP-like check reporting for the conformance images (see testlib.h). */
#include "testlib.h"

static unsigned tl_n, tl_nfailed;

void tl_check(int cond, const char *msg)
{
    tl_n++;
    if (!cond)
        tl_nfailed++;
    sh_printf("%sok %u - %s\n", cond ? "" : "not ", tl_n, msg);
}

void tl_checkf(int cond, const char *fmt, ...)
{
    va_list ap;
    tl_n++;
    if (!cond)
        tl_nfailed++;
    sh_printf("%sok %u - ", cond ? "" : "not ", tl_n);
    va_start(ap, fmt);
    sh_vprintf(fmt, ap);
    va_end(ap);
    sh_write0("\n");
}

void tl_check_eq(uint32_t got, uint32_t want, const char *msg)
{
    tl_check(got == want, msg);
    if (got != want)
        sh_printf("#   got 0x%x want 0x%x\n", (unsigned)got, (unsigned)want);
}

unsigned tl_failed_count(void)
{
    return tl_nfailed;
}

int tl_done(void)
{
    if (tl_nfailed == 0) {
        sh_printf("RESULT: PASS\n");
        return 0;
    }
    sh_printf("RESULT: FAIL (%u failed)\n", tl_nfailed);
    return 1;
}
