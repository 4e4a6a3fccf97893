/*
 * clock.c — SAM4L clock set-up like Tock's Hail (tock-abi.md §11, §12.7):
 * flash 1 wait state and high-speed mode (FLASHCALW), power scaling PS2
 * (BPM), OSC0 16 MHz crystal -> PLL0 x6 /2 = 48 MHz as the main clock (SCIF,
 * PM), RC32K as the 32 kHz source for the AST (BSCIF, BPM.CK32S).  Every
 * protected register write is preceded by its UNLOCK (0xAA << 24 | offset);
 * every ready bit is polled (the simulator's models report them after a few
 * microseconds of virtual time).  Also the peripheral clock gates.
 */
#include "sam4l.h"
#include "sam4l_regs.h"

static struct sam4l_clock_bases cb;

static void wait_set(uint32_t base, uint32_t off, uint32_t bits)
{
    while ((REG(base, off) & bits) != bits) {
    }
}

static void unlocked_write(uint32_t base, uint32_t unlock_off, uint32_t off, uint32_t v)
{
    REG(base, unlock_off) = SAM4L_UNLOCK_KEY | off;
    REG(base, off) = v;
}

/* 1 wait state before the clock gets fast, then high-speed read mode. */
static void flash_setup(void)
{
    REG(cb.flashcalw, FLASHCALW_FCR) |= FLASHCALW_FWS;
    wait_set(cb.flashcalw, FLASHCALW_FSR, FLASHCALW_FRDY);
    REG(cb.flashcalw, FLASHCALW_FCMD) = FLASHCALW_KEY | FLASHCALW_CMD_HSEN;
    wait_set(cb.flashcalw, FLASHCALW_FSR, FLASHCALW_FRDY);
}

/* PMCON: PS field and/or CK32S, requested with PSCREQ, then wait PSOK. */
static void bpm_update(uint32_t clear, uint32_t set)
{
    wait_set(cb.bpm, BPM_SR, BPM_PSOK);
    uint32_t v = (REG(cb.bpm, BPM_PMCON) & ~clear) | set;
    unlocked_write(cb.bpm, BPM_UNLOCK, BPM_PMCON, v);
    wait_set(cb.bpm, BPM_SR, BPM_PSOK);
}

/* OSC0: 16 MHz crystal (MODE 1), gain 3, fast start-up; PLL0: MUL 5 (x6), DIV 1,
 * OPT 2 (output /2), from OSC0 -> 48 MHz. */
static void pll_setup(void)
{
    unlocked_write(cb.scif, SCIF_UNLOCK, SCIF_OSCCTRL0, (1u << 16) | (3u << 1) | 1u);
    wait_set(cb.scif, SCIF_PCLKSR, SCIF_OSC0RDY);
    uint32_t pll = (0x3Fu << 24) | (5u << 16) | (1u << 8) | (2u << 3) | (0u << 1) | 1u;
    unlocked_write(cb.scif, SCIF_UNLOCK, SCIF_PLL0, pll);
    wait_set(cb.scif, SCIF_PCLKSR, SCIF_PLL0LOCK);
    unlocked_write(cb.pm, PM_UNLOCK, PM_MCCTRL, PM_MCSEL_PLL);
    wait_set(cb.pm, PM_SR, PM_SR_CKRDY);
}

/* RC32K on (poll EN reading back, then ready), selected as the 32 kHz clock. */
static void rc32k_setup(void)
{
    uint32_t v = BSCIF_RC32K_EN | BSCIF_RC32K_TCEN | BSCIF_RC32K_EN32K;
    unlocked_write(cb.bscif, BSCIF_UNLOCK, BSCIF_RC32KCR, v);
    wait_set(cb.bscif, BSCIF_RC32KCR, BSCIF_RC32K_EN);
    wait_set(cb.bscif, BSCIF_PCLKSR, BSCIF_RC32KRDY);
    bpm_update(0, BPM_PMCON_CK32S);
}

void sam4l_clock_init(const struct sam4l_clock_bases *b)
{
    cb = *b;
    flash_setup();
    bpm_update(BPM_PMCON_PS_MASK, 2u | BPM_PMCON_PSCREQ);
    pll_setup();
    rc32k_setup();
}

void sam4l_clock_enable(enum sam4l_bus bus, unsigned bit)
{
    uint32_t off = PM_HSBMASK + 4u * (uint32_t)bus;   /* HSB, PBA, PBB, PBC, PBD masks */
    uint32_t v = REG(cb.pm, off) | (1u << bit);
    unlocked_write(cb.pm, PM_UNLOCK, off, v);
}
