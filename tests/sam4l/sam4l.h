/*
 * sam4l.h — SAM4L register addresses and small helpers for the bare-metal
 * SAM4L images of tests/sam4l/ (run by tests/sam4l/run.sh, described in
 * docs/sam4l-tests.md).  Addresses and bits are the ones of tock-abi.md §12;
 * everything goes through the real registers, nothing knows it is
 * simulated.  Used together with tests/baremetal/testlib.h.
 *
 *   hail_clocks()            clock set-up like Tock's Hail: flash 1 wait state
 *                            + high-speed mode, power scaling PS2, OSC0 16 MHz ->
 *                            PLL0 x6 /2 = 48 MHz main clock, RC32K as the 32 kHz
 *                            source (BSCIF RC32KCR, BPM PMCON.CK32S)
 *   pm_enable(mask_off, bit) sets one bit of a PM clock mask (UNLOCK first)
 *   ast_wait_idle()          polls AST SR.BUSY and SR.CLKBUSY
 */
#ifndef HAILSIM_TESTS_SAM4L_H
#define HAILSIM_TESTS_SAM4L_H

#include <stdint.h>
#include "testlib.h"

#define SAM4L_UNLOCK_KEY 0xAA000000u

/* ---- PM 0x400E0000 ---- */
#define PM_BASE 0x400E0000u
#define PM_MCCTRL  REG32(PM_BASE + 0x00u)
#define PM_HSBMASK_OFF 0x24u
#define PM_PBAMASK_OFF 0x28u
#define PM_PBBMASK_OFF 0x2Cu
#define PM_PBCMASK_OFF 0x30u
#define PM_PBDMASK_OFF 0x34u
#define PM_UNLOCK  REG32(PM_BASE + 0x58u)
#define PM_SR      REG32(PM_BASE + 0xD4u)
#define PM_SR_CKRDY (1u << 5)
#define PM_MCSEL_PLL 2u
#define PBA_USART0 8
#define PBA_TRNG 17
#define PBC_GPIO 4
#define PBD_BSCIF 1
#define PBD_AST 2

/* ---- SCIF 0x400E0800 ---- */
#define SCIF_BASE 0x400E0800u
#define SCIF_PCLKSR   REG32(SCIF_BASE + 0x14u)
#define SCIF_UNLOCK   REG32(SCIF_BASE + 0x18u)
#define SCIF_OSCCTRL0_OFF 0x20u
#define SCIF_PLL0_OFF 0x24u
#define SCIF_OSC0RDY  (1u << 0)
#define SCIF_PLL0LOCK (1u << 6)

/* ---- BPM 0x400F0000 ---- */
#define BPM_BASE 0x400F0000u
#define BPM_SR     REG32(BPM_BASE + 0x14u)
#define BPM_UNLOCK REG32(BPM_BASE + 0x18u)
#define BPM_PMCON_OFF 0x1Cu
#define BPM_PMCON  REG32(BPM_BASE + BPM_PMCON_OFF)
#define BPM_PSOK   (1u << 0)
#define BPM_PMCON_PSCREQ (1u << 2)
#define BPM_PMCON_CK32S  (1u << 16)

/* ---- BSCIF 0x400F0400 ---- */
#define BSCIF_BASE 0x400F0400u
#define BSCIF_PCLKSR  REG32(BSCIF_BASE + 0x14u)
#define BSCIF_UNLOCK  REG32(BSCIF_BASE + 0x18u)
#define BSCIF_RC32KCR_OFF 0x24u
#define BSCIF_RC32KCR REG32(BSCIF_BASE + BSCIF_RC32KCR_OFF)
#define BSCIF_RC32KRDY (1u << 1)
#define RC32K_EN    (1u << 0)
#define RC32K_TCEN  (1u << 1)
#define RC32K_EN32K (1u << 2)

/* ---- FLASHCALW 0x400A0000 ---- */
#define FLASHCALW_BASE 0x400A0000u
#define FLASHCALW_FCR  REG32(FLASHCALW_BASE + 0x00u)
#define FLASHCALW_FCMD REG32(FLASHCALW_BASE + 0x04u)
#define FLASHCALW_FSR  REG32(FLASHCALW_BASE + 0x08u)
#define FLASHCALW_FWS  (1u << 6)
#define FLASHCALW_FRDY (1u << 0)
#define FLASHCALW_KEY  0xA5000000u
#define FLASHCALW_CMD_HSEN 0x10u

/* ---- AST 0x400F0800 ---- */
#define AST_BASE 0x400F0800u
#define AST_CR    REG32(AST_BASE + 0x00u)
#define AST_CV    REG32(AST_BASE + 0x04u)
#define AST_SR    REG32(AST_BASE + 0x08u)
#define AST_SCR   REG32(AST_BASE + 0x0Cu)
#define AST_IER   REG32(AST_BASE + 0x10u)
#define AST_IDR   REG32(AST_BASE + 0x14u)
#define AST_IMR   REG32(AST_BASE + 0x18u)
#define AST_WER   REG32(AST_BASE + 0x1Cu)
#define AST_AR0   REG32(AST_BASE + 0x20u)
#define AST_CLOCK REG32(AST_BASE + 0x40u)
#define AST_CR_EN (1u << 0)
#define AST_CR_PSEL(n) ((uint32_t)(n) << 16)
#define AST_ALARM0 (1u << 8)
#define AST_SR_BUSY (1u << 24)
#define AST_SR_CLKBUSY (1u << 28)
#define AST_CLOCK_CEN (1u << 0)
#define AST_CLOCK_CSSEL(n) ((uint32_t)(n) << 8)
#define IRQ_AST_ALARM 39

/* ---- GPIO port A 0x400E1000 (B +0x200, C +0x400) ---- */
#define GPIOA_BASE 0x400E1000u
#define GPIO_REG(off) REG32(GPIOA_BASE + (off))
#define GPIO_GPER 0x000u
#define GPIO_PMR0 0x010u
#define GPIO_PMR1 0x020u
#define GPIO_PMR2 0x030u
#define GPIO_ODER 0x040u
#define GPIO_OVR  0x050u
#define GPIO_PVR  0x060u
#define GPIO_PUER 0x070u
#define GPIO_PDER 0x080u
#define GPIO_IER  0x090u
#define GPIO_IMR0 0x0A0u
#define GPIO_IMR1 0x0B0u
#define GPIO_IFR  0x0D0u
#define GPIO_STER 0x160u
#define GPIO_SET 0x4u
#define GPIO_CLR 0x8u
#define GPIO_TGL 0xCu
#define PIN_LED_RED   13
#define PIN_LED_BLUE  14
#define PIN_LED_GREEN 15
#define PIN_BUTTON    16
#define PIN_USART0_RX 11
#define PIN_USART0_TX 12
#define IRQ_GPIO_PA16_23 27

/* ---- USART0 0x40024000 ---- */
#define USART0_BASE 0x40024000u
#define US_CR   REG32(USART0_BASE + 0x00u)
#define US_MR   REG32(USART0_BASE + 0x04u)
#define US_IER  REG32(USART0_BASE + 0x08u)
#define US_IDR  REG32(USART0_BASE + 0x0Cu)
#define US_IMR  REG32(USART0_BASE + 0x10u)
#define US_CSR  REG32(USART0_BASE + 0x14u)
#define US_RHR  REG32(USART0_BASE + 0x18u)
#define US_THR  REG32(USART0_BASE + 0x1Cu)
#define US_BRGR REG32(USART0_BASE + 0x20u)
#define US_CR_RSTRX (1u << 2)
#define US_CR_RSTTX (1u << 3)
#define US_CR_RXEN  (1u << 4)
#define US_CR_TXEN  (1u << 6)
#define US_CR_RSTSTA (1u << 8)
#define US_MR_CHRL_8 (3u << 6)
#define US_MR_PAR_NONE (4u << 9)
#define US_MR_OVER (1u << 19)
#define US_RXRDY (1u << 0)
#define US_TXRDY (1u << 1)
#define US_OVRE  (1u << 5)
#define US_TXEMPTY (1u << 9)
#define IRQ_USART0 65

/* ---- TRNG 0x40068000 ---- */
#define TRNG_BASE 0x40068000u
#define TRNG_CR    REG32(TRNG_BASE + 0x00u)
#define TRNG_IER   REG32(TRNG_BASE + 0x10u)
#define TRNG_IDR   REG32(TRNG_BASE + 0x14u)
#define TRNG_IMR   REG32(TRNG_BASE + 0x18u)
#define TRNG_ISR   REG32(TRNG_BASE + 0x1Cu)
#define TRNG_ODATA REG32(TRNG_BASE + 0x50u)
#define TRNG_KEY   (0x524E47u << 8)
#define TRNG_DATRDY (1u << 0)
#define IRQ_TRNG 73

/* ---- helpers ---- */
static inline void sam4l_wait_set(volatile uint32_t *reg, uint32_t bits)
{
    while ((*reg & bits) != bits) {
    }
}

/* UNLOCK (key | offset) directly followed by the protected write */
static inline void sam4l_unlocked_write(uint32_t base, uint32_t unlock_off, uint32_t off, uint32_t v)
{
    REG32(base + unlock_off) = SAM4L_UNLOCK_KEY | off;
    REG32(base + off) = v;
}

static inline void pm_enable(uint32_t mask_off, unsigned bit)
{
    uint32_t v = REG32(PM_BASE + mask_off) | (1u << bit);
    sam4l_unlocked_write(PM_BASE, 0x58u, mask_off, v);
}

static inline void bpm_pmcon_update(uint32_t clear, uint32_t set)
{
    sam4l_wait_set(&BPM_SR, BPM_PSOK);
    uint32_t v = (BPM_PMCON & ~clear) | set;
    sam4l_unlocked_write(BPM_BASE, 0x18u, BPM_PMCON_OFF, v);
    sam4l_wait_set(&BPM_SR, BPM_PSOK);
}

static inline void hail_clocks(void)
{
    /* flash: one wait state, then high-speed read mode */
    FLASHCALW_FCR |= FLASHCALW_FWS;
    sam4l_wait_set(&FLASHCALW_FSR, FLASHCALW_FRDY);
    FLASHCALW_FCMD = FLASHCALW_KEY | FLASHCALW_CMD_HSEN;
    sam4l_wait_set(&FLASHCALW_FSR, FLASHCALW_FRDY);
    /* power scaling PS2 */
    bpm_pmcon_update(3u, 2u | BPM_PMCON_PSCREQ);
    /* OSC0 16 MHz crystal (MODE 1, gain 3, OSCEN) -> PLL0 MUL 5 DIV 1 OPT 2 = 48 MHz */
    sam4l_unlocked_write(SCIF_BASE, 0x18u, SCIF_OSCCTRL0_OFF, (1u << 16) | (3u << 1) | 1u);
    sam4l_wait_set(&SCIF_PCLKSR, SCIF_OSC0RDY);
    sam4l_unlocked_write(SCIF_BASE, 0x18u, SCIF_PLL0_OFF,
                         (0x3Fu << 24) | (5u << 16) | (1u << 8) | (2u << 3) | 1u);
    sam4l_wait_set(&SCIF_PCLKSR, SCIF_PLL0LOCK);
    sam4l_unlocked_write(PM_BASE, 0x58u, 0x00u, PM_MCSEL_PLL);
    sam4l_wait_set(&PM_SR, PM_SR_CKRDY);
    /* RC32K as the 32 kHz clock (EN reads back, then RC32KRDY), BPM.CK32S */
    sam4l_unlocked_write(BSCIF_BASE, 0x18u, BSCIF_RC32KCR_OFF, RC32K_EN | RC32K_TCEN | RC32K_EN32K);
    sam4l_wait_set(&BSCIF_RC32KCR, RC32K_EN);
    sam4l_wait_set(&BSCIF_PCLKSR, BSCIF_RC32KRDY);
    bpm_pmcon_update(0, BPM_PMCON_CK32S);
}

static inline void ast_wait_idle(void)
{
    while (AST_SR & (AST_SR_BUSY | AST_SR_CLKBUSY)) {
    }
}

#endif
