/*
 * sam4l.h — the SAM4L chip layer (chips/sam4l-emu/): clock set-up, the
 * drivers behind the kernel's HILs (AST alarm, GPIO pins, USART, TRNG) and
 * the chip_ops the main loop uses to run interrupt bottom halves.  It knows
 * the SAM4L's register layouts (tock-abi.md §12); the board gives every
 * base address and IRQ line (from build/gen/hail_board.h), so nothing here
 * is tied to one board.  Pin numbers are port * 32 + index (PA13 = 13).
 */
#ifndef SAM4L_H
#define SAM4L_H

#include "kernel/hil.h"
#include "kernel/kernel.h"

/* ---- clocks (clock.c) ------------------------------------------------------------ */
struct sam4l_clock_bases { uint32_t pm, scif, bpm, bscif, flashcalw; };
enum sam4l_bus { SAM4L_HSB, SAM4L_PBA, SAM4L_PBB, SAM4L_PBC, SAM4L_PBD };
/* OSC0 16 MHz -> PLL x6 /2 = 48 MHz main clock, 1 flash wait state + high
 * speed mode, BPM power scaling PS2, RC32K as the 32 kHz source (Tock's Hail). */
void sam4l_clock_init(const struct sam4l_clock_bases *b);
/* Opens the clock gate of one peripheral (PM *MASK bit, with UNLOCK). */
void sam4l_clock_enable(enum sam4l_bus bus, unsigned bit);

/* ---- interrupts (chip.c) ---------------------------------------------------------- */
/* A driver's bottom half for NVIC line irq (the line is enabled here). */
void sam4l_irq_register(unsigned irq, void (*fn)(void *ctx), void *ctx);
extern const struct chip_ops sam4l_chip_ops;

/* ---- AST: the alarm HIL (ast.c) ----------------------------------------------------- */
struct sam4l_ast {
    uint32_t base;
    struct hil_alarm_client client;
};
/* Counter from the 32 kHz source with prescaler 0; reports its real 16 384 Hz (Tock: 16 000). */
void sam4l_ast_init(struct hil_alarm *hil, struct sam4l_ast *st, uint32_t base, unsigned irq_alarm);

/* ---- GPIO: pin HIL (gpio.c) --------------------------------------------------------- */
#define SAM4L_GPIO_MAX_PORTS 4
#define SAM4L_GPIO_MAX_IRQ_PINS 16
void sam4l_gpio_init(const uint32_t *port_bases, const int (*group_irqs)[4], int nports);
void sam4l_gpio_pin_init(struct hil_gpio_pin *hil, uint32_t pin);
/* Hands the pin to peripheral function f (0 = A ... 6 = G). */
void sam4l_gpio_set_function(uint32_t pin, unsigned f);

/* ---- USART: UART HIL (usart.c) ------------------------------------------------------ */
struct sam4l_usart {
    uint32_t base;
    struct hil_uart_client client;
    const uint8_t *tx_buf;
    size_t tx_len, tx_pos;
    bool tx_busy, tx_draining;
    uint8_t *rx_buf;
    size_t rx_len, rx_pos;
    bool rx_busy;
};
/* index: USART number (its PBA clock bit is 8 + index); 8N1, OVER = 1. */
void sam4l_usart_init(struct hil_uart *hil, struct sam4l_usart *st, uint32_t base, unsigned irq,
                      unsigned index, uint32_t baud, uint32_t pba_hz);
/* Polled output with interrupts off (panic); waits until the line is idle. */
void sam4l_usart_write_sync(struct sam4l_usart *st, const char *s, size_t len);

/* ---- TRNG: RNG HIL (trng.c) --------------------------------------------------------- */
#define SAM4L_TRNG_BATCH 8
struct sam4l_trng {
    uint32_t base;
    struct hil_rng_client client;
    uint32_t words[SAM4L_TRNG_BATCH];
    size_t n;
    bool running;
};
void sam4l_trng_init(struct hil_rng *hil, struct sam4l_trng *st, uint32_t base, unsigned irq);

#endif
