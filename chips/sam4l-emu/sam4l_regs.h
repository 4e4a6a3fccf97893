/*
 * sam4l_regs.h — register offsets and bits of the SAM4L blocks the chip
 * layer drives (tock-abi.md §12), private to chips/sam4l-emu/.  Base
 * addresses are not here: they come from the board (hail_board.h).
 */
#ifndef SAM4L_REGS_H
#define SAM4L_REGS_H

#include <stdint.h>

#define REG(base, off) (*(volatile uint32_t *)(uintptr_t)((base) + (off)))
#define SAM4L_UNLOCK_KEY 0xAA000000u

/* PM */
#define PM_MCCTRL 0x00u
#define PM_HSBMASK 0x24u
#define PM_UNLOCK 0x58u
#define PM_SR 0xD4u
#define PM_SR_CKRDY (1u << 5)
#define PM_MCSEL_PLL 2u
/* SCIF */
#define SCIF_PCLKSR 0x14u
#define SCIF_UNLOCK 0x18u
#define SCIF_OSCCTRL0 0x20u
#define SCIF_PLL0 0x24u
#define SCIF_OSC0RDY (1u << 0)
#define SCIF_PLL0LOCK (1u << 6)
/* BPM */
#define BPM_SR 0x14u
#define BPM_UNLOCK 0x18u
#define BPM_PMCON 0x1Cu
#define BPM_PSOK (1u << 0)
#define BPM_PMCON_PS_MASK 3u
#define BPM_PMCON_PSCREQ (1u << 2)
#define BPM_PMCON_CK32S (1u << 16)
/* BSCIF */
#define BSCIF_PCLKSR 0x14u
#define BSCIF_UNLOCK 0x18u
#define BSCIF_RC32KCR 0x24u
#define BSCIF_RC32KRDY (1u << 1)
#define BSCIF_RC32K_EN (1u << 0)
#define BSCIF_RC32K_TCEN (1u << 1)
#define BSCIF_RC32K_EN32K (1u << 2)
/* FLASHCALW */
#define FLASHCALW_FCR 0x00u
#define FLASHCALW_FCMD 0x04u
#define FLASHCALW_FSR 0x08u
#define FLASHCALW_FWS (1u << 6)
#define FLASHCALW_KEY 0xA5000000u
#define FLASHCALW_CMD_HSEN 0x10u
#define FLASHCALW_FRDY (1u << 0)

/* AST */
#define AST_CR 0x00u
#define AST_CV 0x04u
#define AST_SR 0x08u
#define AST_SCR 0x0Cu
#define AST_IER 0x10u
#define AST_IDR 0x14u
#define AST_IMR 0x18u
#define AST_WER 0x1Cu
#define AST_AR0 0x20u
#define AST_CLOCK 0x40u
#define AST_CR_EN (1u << 0)
#define AST_CR_PSEL(n) ((uint32_t)(n) << 16)
#define AST_ALARM0 (1u << 8)
#define AST_SR_BUSY (1u << 24)
#define AST_SR_CLKBUSY (1u << 28)
#define AST_CLOCK_CEN (1u << 0)
#define AST_CLOCK_CSSEL_32K (1u << 8)

/* GPIO: {value, SET, CLEAR, TOGGLE} quadruples */
#define GPIO_GPER 0x000u
#define GPIO_PMR0 0x010u
#define GPIO_PMR1 0x020u
#define GPIO_PMR2 0x030u
#define GPIO_ODER 0x040u
#define GPIO_OVR 0x050u
#define GPIO_PVR 0x060u
#define GPIO_PUER 0x070u
#define GPIO_PDER 0x080u
#define GPIO_IER 0x090u
#define GPIO_IMR0 0x0A0u
#define GPIO_IMR1 0x0B0u
#define GPIO_IFR 0x0D0u
#define GPIO_STER 0x160u
#define GPIO_SET 0x4u
#define GPIO_CLR 0x8u
#define GPIO_TGL 0xCu

/* USART */
#define US_CR 0x00u
#define US_MR 0x04u
#define US_IER 0x08u
#define US_IDR 0x0Cu
#define US_CSR 0x14u
#define US_RHR 0x18u
#define US_THR 0x1Cu
#define US_BRGR 0x20u
#define US_CR_RSTRX (1u << 2)
#define US_CR_RSTTX (1u << 3)
#define US_CR_RXEN (1u << 4)
#define US_CR_TXEN (1u << 6)
#define US_CR_RSTSTA (1u << 8)
#define US_MR_CHRL_8 (3u << 6)
#define US_MR_PAR_NONE (4u << 9)
#define US_MR_OVER (1u << 19)
#define US_RXRDY (1u << 0)
#define US_TXRDY (1u << 1)
#define US_OVRE (1u << 5)
#define US_TXEMPTY (1u << 9)

/* TRNG */
#define TRNG_CR 0x00u
#define TRNG_IER 0x10u
#define TRNG_IDR 0x14u
#define TRNG_ISR 0x1Cu
#define TRNG_ODATA 0x50u
#define TRNG_KEY (0x524E47u << 8)
#define TRNG_DATRDY (1u << 0)

#endif
