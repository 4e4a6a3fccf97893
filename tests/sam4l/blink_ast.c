/*
 * blink_ast — blinks the red LED (PA13, active low) from the AST alarm, the
 * way Tock's Hail keeps time: clocks set up like Tock (48 MHz PLL, RC32K as
 * the 32 kHz source), the AST on the 32 kHz clock (CSSEL 1) with prescaler
 * 0, i.e. 16384 Hz, the ALARM0 interrupt (IRQ 39) re-armed every 8192 ticks
 * = 500 ms (AR0 += 8192, an absolute schedule, so nothing drifts), the LED
 * toggled through OVR's TOGGLE alias in the handler, WFI in between.
 *
 * Prints "blink_ast: AST started" through semihosting right after CR.EN;
 * tests/sam4l/run.sh takes that line's time as the counter's start and
 * checks the led events against start + k x 8192 ticks.  Never exits: run it
 * with --time-limit.
 */
#include "sam4l.h"

#define PERIOD_TICKS 8192u      /* 500 ms at 16384 Hz */

static volatile uint32_t next_alarm;
static volatile uint32_t toggles;

void IRQ39_Handler(void)
{
    AST_SCR = AST_ALARM0;
    GPIO_REG(GPIO_OVR + GPIO_TGL) = 1u << PIN_LED_RED;
    toggles++;
    next_alarm += PERIOD_TICKS;
    ast_wait_idle();
    AST_AR0 = next_alarm;
}

int main(void)
{
    hail_clocks();
    pm_enable(PM_PBCMASK_OFF, PBC_GPIO);
    pm_enable(PM_PBDMASK_OFF, PBD_AST);

    /* PA13: GPIO output, high (LED off) before the output is enabled */
    GPIO_REG(GPIO_OVR + GPIO_SET) = 1u << PIN_LED_RED;
    GPIO_REG(GPIO_ODER + GPIO_SET) = 1u << PIN_LED_RED;
    GPIO_REG(GPIO_STER + GPIO_CLR) = 1u << PIN_LED_RED;
    GPIO_REG(GPIO_GPER + GPIO_SET) = 1u << PIN_LED_RED;

    /* AST: 32 kHz source, stopped, prescaler 0, alarm 0 wakes the CPU */
    ast_wait_idle();
    AST_CLOCK = AST_CLOCK_CSSEL(1);
    ast_wait_idle();
    AST_CLOCK = AST_CLOCK_CSSEL(1) | AST_CLOCK_CEN;
    ast_wait_idle();
    AST_CR = AST_CR_PSEL(0);
    ast_wait_idle();
    AST_IDR = AST_ALARM0;
    AST_WER = AST_ALARM0;
    ast_wait_idle();
    AST_SCR = AST_ALARM0;
    AST_CV = 0;
    ast_wait_idle();
    next_alarm = PERIOD_TICKS;
    AST_AR0 = next_alarm;
    ast_wait_idle();
    AST_IER = AST_ALARM0;
    nvic_enable(IRQ_AST_ALARM);
    AST_CR = AST_CR_PSEL(0) | AST_CR_EN;
    sh_write0("blink_ast: AST started\n");

    for (;;)
        cpu_wfi();
}
