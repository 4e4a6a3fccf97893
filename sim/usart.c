/*
 * usart.c — the SAM4L USART (USART0-3) as a UART, in virtual time.
 *
 * How it fits: periph.c creates one instance per `type: usart` peripheral of
 * the board and routes its MMIO here; bytes leave through board_io_uart_tx()
 * (console, trace) and arrive through the receive function registered with
 * board_io_attach_uart(); the PDCA model (pdca.c) moves bytes through the
 * small API of usart.h, with the TXRDY/RXRDY handshake of the hardware.
 *
 * Registers (tock-abi.md §12.4, SAM4L datasheet ch. 24): CR MR IER IDR IMR
 * CSR RHR THR BRGR RTOR TTGR FIDI NER IFR MAN LINMR LINIR LINBRR WPMR WPSR
 * VERSION.  Reset values are the SAM4L's (FIDI 0x174, MAN 0x30011004,
 * VERSION 0x602, everything else 0; the transmitter and receiver are
 * disabled, so CSR reads 0).
 *
 * Timing.  The USART clock is the core clock m->clock_hz (the PM's PBA
 * divider is not modelled: Tock runs the PBA at the CPU clock).  One bit
 * lasts (OVER ? 8 : 16) x (CD + FP/8) clocks, times 8 with USCLKS = 1
 * (CLK_USART/DIV, DIV = 8); a character is 1 start bit + 5..9 data bits
 * (CHRL, MODE9) + a parity bit (none for PAR = 4/5) + 1, 1.5 or 2 stop bits.
 * Tock's 115200 8N1 with OVER = 1, BRGR = 0x00010034: 10 x 417 = 4170 cycles.
 * CD = 0 stops the baud clock: characters wait until BRGR is written.
 *
 * Transmit: THR -> holding register; with the shifter idle it moves to the
 * shifter at once (TXRDY back to 1); the byte is reported when its last stop
 * bit has gone out, and TXEMPTY is 0 until then.  A THR write while TXRDY is
 * 0 overwrites the held character (as the hardware does).  A THR write with
 * the transmitter disabled is ignored (warning once).  TXDIS lets the
 * characters already in the shifter and THR finish; RSTTX aborts them.
 * TTGR: the line idles TG bit times between back-to-back characters.
 *
 * Receive: bytes from the host (board_io_uart_rx) are queued in a FIFO of
 * USART_RXQ bytes inside the model and arrive one character time apart at
 * the configured baud rate, the first one character time after it was
 * injected.  The receive function refuses a byte (returns false) when the
 * receiver is disabled or the FIFO is full.  An arriving byte goes to RHR
 * with RXRDY; if RXRDY is still set, OVRE is set and the new byte replaces
 * the unread one, which is lost (datasheet: "the last character is
 * transferred into RHR and overwrites the previous one").  A byte that
 * arrives while the receiver has been disabled meanwhile is dropped.  Host
 * bytes are always well formed: FRAME, PARE and RXBRK are never set.
 *
 * Receiver time-out (RTOR.TO bit periods): STTTO clears TIMEOUT and waits
 * for a character; the counter (re)starts at the end of every received
 * character and TIMEOUT rises when the line stays idle TO bit times; after
 * that it is stopped until the next STTTO/RETTO.  RETTO clears TIMEOUT and
 * starts counting at once.  TO = 0 disables it.
 *
 * CHMODE: automatic echo, local and remote loopback are modelled at the
 * character level.  MODE other than normal / hardware handshake (CTS is
 * taken as always asserted), SYNC, USCLKS 2/3 are not: they warn once and
 * behave as the asynchronous normal mode.  9-bit characters: the host side
 * sees the low 8 bits.  RTSEN/RTSDIS are accepted (no pins modelled).
 * Write protection (WPMR with key "USA") guards MR BRGR RTOR TTGR FIDI IFR
 * MAN LINMR LINIR and reports violations in WPSR (cleared by reading it).
 * The interrupt line is (CSR & IMR) != 0, level sensitive.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "exc.h"
#include "periph.h"
#include "regs.h"
#include "sam4l_clocks.h"
#include "usart.h"
#include "snapshot.h"             /* snapshots (#7) */

#define USART_RXQ 512

#define CR_RSTRX (1u << 2)
#define CR_RSTTX (1u << 3)
#define CR_RXEN (1u << 4)
#define CR_RXDIS (1u << 5)
#define CR_TXEN (1u << 6)
#define CR_TXDIS (1u << 7)
#define CR_RSTSTA (1u << 8)
#define CR_STTTO (1u << 11)
#define CR_RETTO (1u << 15)

#define MR_MODE(v) ((v) & 0xFu)
#define MR_USCLKS(v) (((v) >> 4) & 3u)
#define MR_CHRL(v) (((v) >> 6) & 3u)
#define MR_SYNC (1u << 8)
#define MR_PAR(v) (((v) >> 9) & 7u)
#define MR_NBSTOP(v) (((v) >> 12) & 3u)
#define MR_CHMODE(v) (((v) >> 14) & 3u)
#define MR_MODE9 (1u << 17)
#define MR_OVER (1u << 19)

#define CSR_RXRDY (1u << 0)
#define CSR_TXRDY (1u << 1)
#define CSR_RXBRK (1u << 2)
#define CSR_OVRE (1u << 5)
#define CSR_FRAME (1u << 6)
#define CSR_PARE (1u << 7)
#define CSR_TIMEOUT (1u << 8)
#define CSR_TXEMPTY (1u << 9)
#define IRQ_BITS 0x010F3FE7u    /* interrupt sources IER can enable */

#define WPKEY 0x555341u         /* "USA" */

enum { CHMODE_NORMAL, CHMODE_ECHO, CHMODE_LOCAL, CHMODE_REMOTE };

enum {
    R_CR, R_MR, R_IER, R_IDR, R_IMR, R_CSR, R_RHR, R_THR, R_BRGR, R_RTOR, R_TTGR,
    R_FIDI, R_NER, R_IFR, R_MAN, R_LINMR, R_LINIR, R_LINBRR, R_WPMR, R_WPSR, R_VERSION, R_COUNT
};

static const struct reg_def usart_regs[R_COUNT] = {
    [R_CR] = { 0x00, "CR", REG_WO, 0, 0 },
    [R_MR] = { 0x04, "MR", REG_RW, 0, 0 },
    [R_IER] = { 0x08, "IER", REG_WO, 0, 0 },
    [R_IDR] = { 0x0C, "IDR", REG_WO, 0, 0 },
    [R_IMR] = { 0x10, "IMR", REG_RO, 0, 0 },
    [R_CSR] = { 0x14, "CSR", REG_RO, 0, 0 },
    [R_RHR] = { 0x18, "RHR", REG_RO, 0, 0 },
    [R_THR] = { 0x1C, "THR", REG_WO, 0, 0 },
    [R_BRGR] = { 0x20, "BRGR", REG_RW, 0, 0x0007FFFFu },
    [R_RTOR] = { 0x24, "RTOR", REG_RW, 0, 0x0001FFFFu },
    [R_TTGR] = { 0x28, "TTGR", REG_RW, 0, 0x000000FFu },
    [R_FIDI] = { 0x40, "FIDI", REG_RW, 0x174, 0x000007FFu },
    [R_NER] = { 0x44, "NER", REG_RO, 0, 0 },
    [R_IFR] = { 0x4C, "IFR", REG_RW, 0, 0x000000FFu },
    [R_MAN] = { 0x50, "MAN", REG_RW, 0x30011004u, 0x530F130Fu },
    [R_LINMR] = { 0x54, "LINMR", REG_RW, 0, 0x0003FFFFu },
    [R_LINIR] = { 0x58, "LINIR", REG_RW, 0, 0x000000FFu },
    [R_LINBRR] = { 0x5C, "LINBRR", REG_RO, 0, 0 },
    [R_WPMR] = { 0xE4, "WPMR", REG_RW, 0, 0x00000001u },
    [R_WPSR] = { 0xE8, "WPSR", REG_RO, 0, 0 },
    [R_VERSION] = { 0xFC, "VERSION", REG_RO, 0x602, 0 },
};

/* warn_once() bits */
enum { W_TXOFF = 1, W_MODE = 2, W_BAUD = 4, W_OFFSET = 8, W_OVERWRITE = 16 };

enum to_state { TO_STOPPED, TO_WAITING, TO_COUNTING };

struct usart {
    struct machine *m;
    const struct board_periph *desc;
    int index;                  /* n of USARTn (clock gate PBA 8 + n), -1 unknown */
    int irq;
    uint32_t vals[R_COUNT];
    struct reg_bank bank;

    bool tx_en, rx_en;
    uint32_t flags;             /* latched CSR bits: OVRE, TIMEOUT */
    bool thr_full, sh_busy, sh_stalled;
    uint16_t thr, sh;
    bool rxrdy;
    uint16_t rhr;
    uint8_t rxq[USART_RXQ];
    int rxq_head, rxq_len;
    bool rx_stalled;
    enum to_state to;

    struct evq_timer tx_timer, rx_timer, to_timer;
    char timer_names[3][BOARD_NAME_LEN + 8];
    bool line;                  /* interrupt line as last driven */
    uint32_t ready_prev;        /* TXRDY | RXRDY as last seen (DMA edges) */
    void *dma_ctx;
    usart_dma_notify_fn dma_notify;
    unsigned warned;
};

static void warn_once(struct usart *u, unsigned bit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn_once(struct usart *u, unsigned bit, const char *fmt, ...)
{
    if ((u->warned & bit) || !u->m->err)
        return;
    u->warned |= bit;
    va_list ap;
    va_start(ap, fmt);
    fprintf(u->m->err, "hailsim: warning: %s: ", u->desc->name);
    vfprintf(u->m->err, fmt, ap);
    fputc('\n', u->m->err);
    va_end(ap);
}

/* ---- timing ------------------------------------------------------------------ */

/* One bit period in core clock cycles; 0 when the baud clock is stopped. */
static uint64_t bit_cycles(const struct usart *u)
{
    uint32_t mr = u->vals[R_MR], br = u->vals[R_BRGR];
    uint64_t cd = br & 0xFFFFu, fp = (br >> 16) & 7u;
    if (cd == 0)
        return 0;
    uint64_t b = (mr & MR_OVER ? 1u : 2u) * (8u * cd + fp);
    return MR_USCLKS(mr) == 1 ? b * 8u : b;
}

static unsigned char_half_bits(uint32_t mr)
{
    unsigned data = mr & MR_MODE9 ? 9u : 5u + MR_CHRL(mr);
    unsigned par = MR_PAR(mr) == 4 || MR_PAR(mr) == 5 ? 0u : 1u;
    unsigned stop = MR_NBSTOP(mr) == 0 ? 2u : MR_NBSTOP(mr) == 1 ? 3u : 4u;
    return 2u * (1u + data + par) + stop;
}

static uint64_t char_cycles(const struct usart *u)
{
    return (char_half_bits(u->vals[R_MR]) * bit_cycles(u) + 1u) / 2u;
}

/* ---- status, interrupt line, DMA handshake ------------------------------------ */

static uint32_t csr_value(const struct usart *u)
{
    uint32_t v = u->flags;
    if (u->rxrdy)
        v |= CSR_RXRDY;
    if (u->tx_en && !u->thr_full) {
        v |= CSR_TXRDY;
        if (!u->sh_busy)
            v |= CSR_TXEMPTY;
    }
    return v;
}

/* After every state change: drive the IRQ line, tell the DMA of rising ready bits. */
static void update(struct usart *u, uint64_t now)
{
    uint32_t csr = csr_value(u);
    bool line = (csr & u->vals[R_IMR]) != 0;
    if (line != u->line) {
        u->line = line;
        if (u->irq >= 0)
            exc_irq_line(u->m, u->irq, line);
    }
    uint32_t ready = csr & (CSR_TXRDY | CSR_RXRDY);
    uint32_t rose = ready & ~u->ready_prev;
    u->ready_prev = ready;
    if (rose && u->dma_notify)
        u->dma_notify(u->dma_ctx, u, now);
}

/* ---- transmitter ------------------------------------------------------------------ */

/* THR -> shifter; the character's last stop bit is out char_cycles after `start`. */
static void tx_start(struct usart *u, uint64_t start)
{
    u->sh = u->thr;
    u->thr_full = false;
    u->sh_busy = true;
    uint64_t c = char_cycles(u);
    u->sh_stalled = c == 0;
    if (c == 0) {
        warn_once(u, W_BAUD, "transmitting with BRGR.CD = 0 (baud clock stopped)");
        return;
    }
    evq_arm(&u->m->evq, &u->tx_timer, start + c);
}

static void rx_deliver(struct usart *u, uint16_t ch, uint64_t now);

/* A character left the shifter: on the TX pin, or into the receiver (local loopback). */
static void tx_emit(struct usart *u, uint16_t ch, uint64_t now)
{
    switch (MR_CHMODE(u->vals[R_MR])) {
    case CHMODE_LOCAL: rx_deliver(u, ch, now); break;
    case CHMODE_REMOTE: break;                  /* transmitter disconnected from TXD */
    default: board_io_uart_tx(u->m, u->desc->name, (uint8_t)ch); break;
    }
}

static void tx_done(void *ctx, uint64_t now)
{
    struct usart *u = ctx;
    uint16_t ch = u->sh;
    u->sh_busy = false;
    if (u->thr_full)
        tx_start(u, now + (u->vals[R_TTGR] & 0xFFu) * bit_cycles(u));
    tx_emit(u, ch, now);
    update(u, now);
}

static void thr_write(struct usart *u, uint32_t v, uint64_t now)
{
    if (!u->tx_en) {
        warn_once(u, W_TXOFF, "write to THR with the transmitter disabled ignored");
        return;
    }
    if (u->thr_full)
        warn_once(u, W_OVERWRITE, "THR written while TXRDY = 0: the held character is lost");
    u->thr = (uint16_t)(v & 0x1FFu);
    u->thr_full = true;
    if (!u->sh_busy)
        tx_start(u, now);
    update(u, now);
}

static void tx_reset(struct usart *u)
{
    evq_cancel(&u->m->evq, &u->tx_timer);
    u->thr_full = u->sh_busy = u->sh_stalled = false;
    u->tx_en = false;
}

/* ---- receiver and time-out ------------------------------------------------------- */

static void to_arm(struct usart *u, uint64_t from)
{
    uint32_t to = u->vals[R_RTOR] & 0x1FFFFu;
    uint64_t bit = bit_cycles(u);
    if (to == 0 || bit == 0) {
        evq_cancel(&u->m->evq, &u->to_timer);
        return;
    }
    u->to = TO_COUNTING;
    evq_arm(&u->m->evq, &u->to_timer, from + (uint64_t)to * bit);
}

static void to_expire(void *ctx, uint64_t now)
{
    struct usart *u = ctx;
    u->to = TO_STOPPED;
    u->flags |= CSR_TIMEOUT;
    update(u, now);
}

/* A character reached the receiver at `now` (end of its stop bit). */
static void rx_deliver(struct usart *u, uint16_t ch, uint64_t now)
{
    if (!u->rx_en)
        return;                         /* disabled meanwhile: dropped */
    if (u->rxrdy)
        u->flags |= CSR_OVRE;           /* the unread character is overwritten */
    u->rhr = ch;
    u->rxrdy = true;
    if (u->to != TO_STOPPED)
        to_arm(u, now);
}

static void rx_arm(struct usart *u, uint64_t from)
{
    uint64_t c = char_cycles(u);
    u->rx_stalled = c == 0;
    if (c)
        evq_arm(&u->m->evq, &u->rx_timer, from + c);
}

/* The character at the head of the host FIFO has fully arrived on RXD. */
static void rx_arrive(void *ctx, uint64_t now)
{
    struct usart *u = ctx;
    uint8_t b = u->rxq[u->rxq_head];
    u->rxq_head = (u->rxq_head + 1) % USART_RXQ;
    u->rxq_len--;
    unsigned chmode = MR_CHMODE(u->vals[R_MR]);
    if (chmode == CHMODE_ECHO || chmode == CHMODE_REMOTE)
        board_io_uart_tx(u->m, u->desc->name, b);
    if (chmode == CHMODE_NORMAL || chmode == CHMODE_ECHO)
        rx_deliver(u, b, now);          /* (loopbacks: RXD is not connected to the receiver) */
    if (u->rxq_len)
        rx_arm(u, now);
    update(u, now);
}

/* board_io: a byte from the host for this UART's RX line. */
static bool usart_receive(void *dev, uint8_t byte)
{
    struct usart *u = dev;
    if (!u->rx_en || u->rxq_len == USART_RXQ)
        return false;
    u->rxq[(u->rxq_head + u->rxq_len++) % USART_RXQ] = byte;
    if (u->rxq_len == 1)
        rx_arm(u, u->m->cycles);
    return true;
}

static void rx_reset(struct usart *u)
{
    u->rxrdy = false;
    u->rx_en = false;
    u->flags &= ~(CSR_OVRE | CSR_FRAME | CSR_PARE | CSR_RXBRK);
}

/* ---- registers --------------------------------------------------------------------- */

static void cr_write(struct usart *u, uint32_t v, uint64_t now)
{
    if (v & CR_RSTRX)
        rx_reset(u);
    if (v & CR_RSTTX)
        tx_reset(u);
    if (v & CR_RSTSTA)
        u->flags &= ~(CSR_OVRE | CSR_FRAME | CSR_PARE | CSR_RXBRK);
    if (v & CR_RXEN)
        u->rx_en = true;
    if (v & CR_RXDIS)
        u->rx_en = false;
    if (v & CR_TXEN)
        u->tx_en = true;
    if (v & CR_TXDIS)
        u->tx_en = false;
    if (v & (CR_STTTO | CR_RETTO)) {
        u->flags &= ~CSR_TIMEOUT;
        evq_cancel(&u->m->evq, &u->to_timer);
        u->to = TO_WAITING;
        if (v & CR_RETTO)
            to_arm(u, now);
    }
    update(u, now);
}

static void check_mode(struct usart *u)
{
    uint32_t mr = u->vals[R_MR];
    unsigned mode = MR_MODE(mr);
    if ((mode != 0 && mode != 2) || (mr & MR_SYNC) || MR_USCLKS(mr) >= 2)
        warn_once(u, W_MODE, "MR = 0x%08x: only the asynchronous normal/handshake modes "
                  "with CLK_USART(/DIV) are modelled", mr);
}

/* MR or BRGR changed: characters waiting for a baud clock can start. */
static void timing_changed(struct usart *u, uint64_t now)
{
    if (u->sh_busy && u->sh_stalled && char_cycles(u)) {
        u->sh_stalled = false;
        evq_arm(&u->m->evq, &u->tx_timer, now + char_cycles(u));
    }
    if (u->rxq_len && u->rx_stalled)
        rx_arm(u, now);
}

static bool write_protected(struct usart *u, int index, uint32_t off)
{
    static const bool guarded[R_COUNT] = {
        [R_MR] = true, [R_BRGR] = true, [R_RTOR] = true, [R_TTGR] = true, [R_FIDI] = true,
        [R_IFR] = true, [R_MAN] = true, [R_LINMR] = true, [R_LINIR] = true,
    };
    if (!(u->vals[R_WPMR] & 1u) || index < 0 || !guarded[index])
        return false;
    u->vals[R_WPSR] = 1u | (off & 0xFFFFu) << 8;
    return true;
}

static void wpmr_write(struct usart *u, uint32_t v, uint32_t old)
{
    if ((v >> 8) != WPKEY)
        u->vals[R_WPMR] = old;          /* wrong key: no effect */
}

static void side_effects(struct usart *u, const struct reg_hit *hit, uint32_t v, uint64_t now)
{
    switch (hit->index) {
    case R_CR: cr_write(u, v, now); break;
    case R_THR: thr_write(u, v, now); break;
    case R_IER: u->vals[R_IMR] |= v & IRQ_BITS; update(u, now); break;
    case R_IDR: u->vals[R_IMR] &= ~v; update(u, now); break;
    case R_MR: check_mode(u); timing_changed(u, now); break;
    case R_BRGR: timing_changed(u, now); break;
    case R_RTOR: if (!(v & 0x1FFFFu)) evq_cancel(&u->m->evq, &u->to_timer); break;
    case R_WPMR: wpmr_write(u, v, hit->old); break;
    default: break;
    }
}

static void clock_check(struct usart *u)
{
    if (u->index >= 0)
        sam4l_clock_check(u->m, SAM4L_PBA, 8 + u->index, u->desc->name);
}

static void usart_write(void *dev, uint32_t off, unsigned size, uint32_t val)
{
    struct usart *u = dev;
    clock_check(u);
    uint64_t now = machine_mmio_now(u->m);
    evq_run_due(&u->m->evq, now);       /* characters that completed inside this block */
    struct reg_hit hit;
    uint32_t word = off & ~3u;
    uint32_t v = regs_merge_narrow(regs_read(&u->bank, word, &hit), off, size, val);
    if (hit.index < 0) {
        warn_once(u, W_OFFSET, "write to unknown register offset 0x%02x ignored", off);
        return;
    }
    if (write_protected(u, hit.index, word))
        return;
    regs_write(&u->bank, word, v, &hit);
    side_effects(u, &hit, v, now);
}

static uint32_t read_word(struct usart *u, uint32_t word, uint64_t now)
{
    struct reg_hit hit;
    uint32_t v = regs_read(&u->bank, word, &hit);
    switch (hit.index) {
    case R_CSR:
        return csr_value(u);
    case R_RHR:
        u->rxrdy = false;
        update(u, now);
        return u->rhr;
    case R_WPSR:
        u->vals[R_WPSR] = 0;            /* cleared by reading */
        return v;
    case -1:
        warn_once(u, W_OFFSET, "read of unknown register offset 0x%02x", word);
        return 0;
    default:
        return v;
    }
}

static uint32_t usart_read(void *dev, uint32_t off, unsigned size)
{
    struct usart *u = dev;
    clock_check(u);
    uint64_t now = machine_mmio_now(u->m);
    evq_run_due(&u->m->evq, now);       /* characters that completed inside this block */
    uint32_t v = read_word(u, off & ~3u, now) >> (8u * (off & 3u));
    return size >= 4 ? v : v & ((1u << (8u * size)) - 1u);
}

/* ---- the DMA side (usart.h) ----------------------------------------------------------- */

void usart_set_dma(struct usart *u, void *ctx, usart_dma_notify_fn notify)
{
    u->dma_ctx = ctx;
    u->dma_notify = notify;
}

bool usart_tx_ready(struct usart *u)
{
    return (csr_value(u) & CSR_TXRDY) != 0;
}

void usart_tx_byte(struct usart *u, uint8_t b, uint64_t now)
{
    thr_write(u, b, now);
}

bool usart_rx_take(struct usart *u, uint8_t *b)
{
    if (!u->rxrdy)
        return false;
    *b = (uint8_t)u->rhr;
    u->rxrdy = false;
    update(u, u->m->cycles);
    return true;
}

/* ---- life cycle ----------------------------------------------------------------------- */

static void usart_reset(void *dev)
{
    struct usart *u = dev;
    struct evq *q = &u->m->evq;
    evq_cancel(q, &u->tx_timer);
    evq_cancel(q, &u->rx_timer);
    evq_cancel(q, &u->to_timer);
    regs_reset(&u->bank);
    u->tx_en = u->rx_en = false;
    u->flags = 0;
    u->thr_full = u->sh_busy = u->sh_stalled = u->rxrdy = u->rx_stalled = false;
    u->rxq_head = u->rxq_len = 0;
    u->to = TO_STOPPED;
    u->ready_prev = 0;
    if (u->line && u->irq >= 0)
        exc_irq_line(u->m, u->irq, false);
    u->line = false;
}

static int usart_index(const struct board_periph *desc)
{
    size_t n = strlen(desc->name);
    if (n > 5 && strncmp(desc->name, "usart", 5) == 0 && desc->name[n - 1] >= '0' && desc->name[n - 1] <= '3')
        return desc->name[n - 1] - '0';
    if (desc->base >= 0x40024000u && desc->base < 0x40034000u && desc->base % 0x4000u == 0)
        return (int)((desc->base - 0x40024000u) / 0x4000u);
    return -1;
}

static void usart_destroy(void *dev)
{
    struct usart *u = dev;
    if (!u)
        return;
    evq_remove_timer(&u->m->evq, &u->tx_timer);
    evq_remove_timer(&u->m->evq, &u->rx_timer);
    evq_remove_timer(&u->m->evq, &u->to_timer);
    free(u);
}

static int add_timers(struct usart *u)
{
    static const char *const what[3] = { "tx", "rx", "timeout" };
    struct evq_timer *t[3] = { &u->tx_timer, &u->rx_timer, &u->to_timer };
    evq_fn fn[3] = { tx_done, rx_arrive, to_expire };
    for (int i = 0; i < 3; i++) {
        snprintf(u->timer_names[i], sizeof u->timer_names[i], "%s.%s", u->desc->name, what[i]);
        if (evq_add_timer(&u->m->evq, t[i], u->timer_names[i], fn[i], u) != 0)
            return -1;
    }
    return 0;
}

static void *usart_create(struct machine *m, const struct board_periph *desc, char *err, size_t errlen)
{
    struct usart *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "%s: out of memory", desc->name);
        return NULL;
    }
    u->m = m;
    u->desc = desc;
    u->index = usart_index(desc);
    u->irq = board_periph_irq(desc, "irq");
    u->bank = (struct reg_bank){ usart_regs, R_COUNT, u->vals };
    if (add_timers(u) != 0 || board_io_attach_uart(m, desc->name, u, usart_receive) != 0) {
        snprintf(err, errlen, "%s:%d: peripheral %s: no room for its timers or UART port",
                 m->board->path, desc->line, desc->name);
        usart_destroy(u);
        return NULL;
    }
    usart_reset(u);
    return u;
}

/* ---- snapshots (issue #7): plain values only; pointers stay from create ---- */
static void usart_save(void *dev, struct snap_buf *b)
{
    struct usart *u = dev;
    snap_put_u32s(b, u->vals, R_COUNT);
    snap_put_bool(b, u->tx_en);
    snap_put_bool(b, u->rx_en);
    snap_put_u32(b, u->flags);
    snap_put_bool(b, u->thr_full);
    snap_put_bool(b, u->sh_busy);
    snap_put_bool(b, u->sh_stalled);
    snap_put_u32(b, u->thr);
    snap_put_u32(b, u->sh);
    snap_put_bool(b, u->rxrdy);
    snap_put_u32(b, u->rhr);
    snap_put_bytes(b, u->rxq, sizeof u->rxq);
    snap_put_i32(b, u->rxq_head);
    snap_put_i32(b, u->rxq_len);
    snap_put_bool(b, u->rx_stalled);
    snap_put_u32(b, (uint32_t)u->to);
    snap_put_timer(b, &u->tx_timer);
    snap_put_timer(b, &u->rx_timer);
    snap_put_timer(b, &u->to_timer);
    snap_put_bool(b, u->line);
    snap_put_u32(b, u->ready_prev);
    snap_put_u32(b, u->warned);
}

static int usart_restore(void *dev, struct snap_buf *b)
{
    struct usart *u = dev;
    snap_get_u32s(b, u->vals, R_COUNT);
    u->tx_en = snap_get_bool(b);
    u->rx_en = snap_get_bool(b);
    u->flags = snap_get_u32(b);
    u->thr_full = snap_get_bool(b);
    u->sh_busy = snap_get_bool(b);
    u->sh_stalled = snap_get_bool(b);
    u->thr = (uint16_t)snap_get_u32(b);
    u->sh = (uint16_t)snap_get_u32(b);
    u->rxrdy = snap_get_bool(b);
    u->rhr = (uint16_t)snap_get_u32(b);
    snap_get_bytes(b, u->rxq, sizeof u->rxq);
    u->rxq_head = snap_get_i32(b);
    u->rxq_len = snap_get_i32(b);
    u->rx_stalled = snap_get_bool(b);
    uint32_t to = snap_get_u32(b);
    u->to = to == TO_WAITING ? TO_WAITING : to == TO_COUNTING ? TO_COUNTING : TO_STOPPED;
    snap_get_timer(b, &u->tx_timer);
    snap_get_timer(b, &u->rx_timer);
    snap_get_timer(b, &u->to_timer);
    u->line = snap_get_bool(b);
    u->ready_prev = snap_get_u32(b);
    u->warned = snap_get_u32(b);
    return b->bad || to > TO_COUNTING || u->rxq_head < 0 || u->rxq_len < 0 || u->rxq_len > USART_RXQ ||
           u->rxq_head >= USART_RXQ ? -1 : 0;
}
/* ---- end of snapshots ---- */

const struct periph_model usart_model = {
    .type = "usart",
    .create = usart_create,
    .reset = usart_reset,
    .read = usart_read,
    .write = usart_write,
    .destroy = usart_destroy,
    .save = usart_save,
    .restore = usart_restore,
};
