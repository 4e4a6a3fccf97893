/*
 * usart_echo — the console USART0 set up like Tock's Hail (PA11 RX / PA12 TX
 * on peripheral function A, PM.PBAMASK bit 8, MR OVER=1 CHRL=3 PAR=4 =
 * 115200 8N1 with BRGR 0x00010034 at 48 MHz), driven without DMA: the
 * RXRDY interrupt (IRQ 65) reads RHR and writes the byte back to THR,
 * lower-case letters made upper case.  WFI in between.  Prints nothing
 * through semihosting, so hailsim's stdout is exactly the echoed bytes.
 * Never exits: run it with --time-limit.
 */
#include "sam4l.h"

#define CONSOLE_PINS ((1u << PIN_USART0_RX) | (1u << PIN_USART0_TX))

void IRQ65_Handler(void)
{
    while (US_CSR & US_RXRDY) {
        uint32_t c = US_RHR & 0xFFu;
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        while (!(US_CSR & US_TXRDY)) {
        }
        US_THR = c;
    }
}

int main(void)
{
    hail_clocks();
    pm_enable(PM_PBCMASK_OFF, PBC_GPIO);
    pm_enable(PM_PBAMASK_OFF, PBA_USART0);

    /* PA11/PA12 to peripheral function A (PMR2:PMR1:PMR0 = 000, GPER = 0) */
    GPIO_REG(GPIO_PMR0 + GPIO_CLR) = CONSOLE_PINS;
    GPIO_REG(GPIO_PMR1 + GPIO_CLR) = CONSOLE_PINS;
    GPIO_REG(GPIO_PMR2 + GPIO_CLR) = CONSOLE_PINS;
    GPIO_REG(GPIO_GPER + GPIO_CLR) = CONSOLE_PINS;

    US_CR = US_CR_RSTRX | US_CR_RSTTX | US_CR_RSTSTA;
    US_MR = US_MR_OVER | US_MR_CHRL_8 | US_MR_PAR_NONE;
    US_BRGR = 0x00010034u;          /* CD 52, FP 1: 8 x 52.125 = 417 clocks a bit */
    US_CR = US_CR_RXEN | US_CR_TXEN;
    US_IER = US_RXRDY;
    nvic_enable(IRQ_USART0);

    for (;;)
        cpu_wfi();
}
