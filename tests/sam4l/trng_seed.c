/*
 * trng_seed — 8 words from the TRNG (PM.PBAMASK bit 17), one per DATRDY
 * interrupt (IRQ 73): the handler reads ODATA (which takes the word and
 * clears DATRDY) and, after the 8th, disables the interrupt and the TRNG.
 * main sleeps in WFI until then, prints "trng_seed: word K = 0x........"
 * for each word through semihosting and exits with status 0 (1 if a word
 * repeats, which a working generator practically never does).
 */
#include "sam4l.h"

#define NWORDS 8

static volatile uint32_t words[NWORDS];
static volatile unsigned nwords;

void IRQ73_Handler(void)
{
    uint32_t w = TRNG_ODATA;
    if (nwords < NWORDS)
        words[nwords++] = w;
    if (nwords == NWORDS) {
        TRNG_IDR = TRNG_DATRDY;
        TRNG_CR = TRNG_KEY;         /* ENABLE = 0 */
    }
}

int main(void)
{
    hail_clocks();
    pm_enable(PM_PBAMASK_OFF, PBA_TRNG);

    TRNG_IER = TRNG_DATRDY;
    nvic_enable(IRQ_TRNG);
    TRNG_CR = TRNG_KEY | 1u;
    while (nwords < NWORDS)
        cpu_wfi();

    int repeats = 0;
    for (unsigned i = 0; i < NWORDS; i++) {
        sh_printf("trng_seed: word %u = 0x%x\n", i, (unsigned)words[i]);
        for (unsigned j = 0; j < i; j++)
            repeats += words[j] == words[i];
    }
    sh_printf("trng_seed: %d repeated words\n", repeats);
    return repeats ? 1 : 0;
}
