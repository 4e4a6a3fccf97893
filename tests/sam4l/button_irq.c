/*
 * button_irq — the user button (PA16, active low, the board's pull-up holds
 * it high while released) as a GPIO input with no internal pull and a
 * pin-change interrupt (IMR1:IMR0 = 00, both edges) on IRQ 27 (GPIO group
 * 2, PA16-PA23).  The handler clears the flag (IFR CLEAR alias), reads PVR
 * and copies the button's level to the green LED (PA15, active low), so the
 * LED is lit exactly while the button is pressed.  WFI in between.  Never
 * exits: run it with --time-limit and --press.
 */
#include "sam4l.h"

void IRQ27_Handler(void)
{
    GPIO_REG(GPIO_IFR + GPIO_CLR) = 1u << PIN_BUTTON;
    uint32_t level = (GPIO_REG(GPIO_PVR) >> PIN_BUTTON) & 1u;
    /* pressed = low = LED on (low) */
    GPIO_REG(GPIO_OVR + (level ? GPIO_SET : GPIO_CLR)) = 1u << PIN_LED_GREEN;
}

int main(void)
{
    hail_clocks();
    pm_enable(PM_PBCMASK_OFF, PBC_GPIO);

    /* PA15: GPIO output, high (LED off) */
    GPIO_REG(GPIO_OVR + GPIO_SET) = 1u << PIN_LED_GREEN;
    GPIO_REG(GPIO_ODER + GPIO_SET) = 1u << PIN_LED_GREEN;
    GPIO_REG(GPIO_STER + GPIO_CLR) = 1u << PIN_LED_GREEN;
    GPIO_REG(GPIO_GPER + GPIO_SET) = 1u << PIN_LED_GREEN;

    /* PA16: GPIO input, no pull, Schmitt trigger, interrupt on both edges */
    GPIO_REG(GPIO_ODER + GPIO_CLR) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_PUER + GPIO_CLR) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_PDER + GPIO_CLR) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_STER + GPIO_SET) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_GPER + GPIO_SET) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_IMR0 + GPIO_CLR) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_IMR1 + GPIO_CLR) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_IFR + GPIO_CLR) = 1u << PIN_BUTTON;
    GPIO_REG(GPIO_IER + GPIO_SET) = 1u << PIN_BUTTON;
    nvic_enable(IRQ_GPIO_PA16_23);

    sh_printf("button_irq: PA16 %s\n", (GPIO_REG(GPIO_PVR) >> PIN_BUTTON) & 1u ? "high" : "low");
    for (;;)
        cpu_wfi();
}
