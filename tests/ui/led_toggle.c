/*
 * led_toggle.c — a bare-metal image for the window tests (tests/ui/run.sh):
 * drives PA13 (the red LED of the Hail RGB LED, active low) through the
 * SAM4L GPIO registers and toggles it every 250 ms of virtual time, counted
 * with SysTick at 1 kHz, sleeping in WFI in between.  Red is off during
 * [0, 250 ms), on during [250, 500 ms), off during [500, 750 ms), ...
 */
#include "testlib.h"

#define GPIO_A 0x400E1000u
#define REG(off) (*(volatile uint32_t *)(GPIO_A + (off)))
#define GPERS REG(0x004)
#define ODERS REG(0x044)
#define OVRS REG(0x054)
#define OVRT REG(0x05C)
#define RED (1u << 13)

static volatile uint32_t ms;

void SysTick_Handler(void)
{
    ms++;
}

int main(void)
{
    OVRS = RED;                 /* high = off (active low) before it is driven */
    ODERS = RED;
    GPERS = RED;
    SYST_RVR = 48000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    for (uint32_t next = 250;;) {
        cpu_wfi();
        if (ms >= next) {
            OVRT = RED;
            next += 250;
        }
    }
}
