/*
 * ast.c — the SAM4L AST as the kernel's alarm (struct hil_alarm), with
 * Tock's sequences (tock-abi.md §12.2): the counter runs from the 32 kHz
 * clock (CSSEL 1, here RC32K) with prescaler 0 and free-runs from init; the
 * alarm uses AR0.  A write to a register the AST synchronises into its own
 * clock domain (CR, CV, AR0/1, PIR0/1, WER, DTR; CLOCK) first waits for
 * SR.BUSY (CLOCK: SR.CLKBUSY) to clear, as the datasheet requires; the
 * interrupt registers (SCR, IER, IDR) need no wait, which keeps the CPU
 * from spinning ~90 µs on every re-arm.  Arming pushes the compare value at least 8 ticks ahead of now
 * when the target is that close or already past, because the AST misses
 * compares set too close.  The frequency reported is the real rate,
 * 32 768 / 2 = 16 384 Hz (Tock's Hail declares 16 000 Hz, which makes every
 * app delay 2.4 % short; the apps' timing is tested to 0.1 %).  The bottom half
 * clears ALARM0, disarms, then calls the client.
 */
#include "sam4l.h"
#include "sam4l_regs.h"

#define AST_FREQ_HZ 16384u      /* 32 768 Hz source, prescaler 0: divided by 2 */
#define AST_MIN_DT 8u
#define AST_PBD_CLOCK_BIT 2u

static struct sam4l_ast *st_of(const struct hil_alarm *a) { return a->state; }

static void wait_ready(uint32_t base)
{
    while (REG(base, AST_SR) & (AST_SR_BUSY | AST_SR_CLKBUSY)) {
    }
}

/* A write to a synchronised register (see the top of the file). */
static void ast_write(uint32_t base, uint32_t off, uint32_t v)
{
    wait_ready(base);
    REG(base, off) = v;
}

/* A write to an interrupt register: no synchronisation. */
static void ast_write_irq(uint32_t base, uint32_t off, uint32_t v)
{
    REG(base, off) = v;
}

static uint32_t ast_frequency(const struct hil_alarm *a) { (void)a; return AST_FREQ_HZ; }
static uint32_t ast_now(const struct hil_alarm *a) { return REG(st_of(a)->base, AST_CV); }
static uint32_t ast_get_alarm(const struct hil_alarm *a) { return REG(st_of(a)->base, AST_AR0); }
static uint32_t ast_minimum_dt(const struct hil_alarm *a) { (void)a; return AST_MIN_DT; }

static bool ast_is_armed(const struct hil_alarm *a)
{
    return REG(st_of(a)->base, AST_IMR) & AST_ALARM0;
}

static void ast_disarm(const struct hil_alarm *a)
{
    uint32_t base = st_of(a)->base;
    ast_write_irq(base, AST_IDR, AST_ALARM0);
    ast_write_irq(base, AST_SCR, AST_ALARM0);
}

static void ast_set_alarm(const struct hil_alarm *a, uint32_t reference, uint32_t dt)
{
    uint32_t base = st_of(a)->base, now = ast_now(a), expire = reference + dt;
    if (now - reference >= dt)                  /* not within [reference, expire): passed */
        expire = now;
    if (expire - now < AST_MIN_DT)
        expire = now + AST_MIN_DT;
    ast_write_irq(base, AST_SCR, AST_ALARM0);
    ast_write(base, AST_AR0, expire);
    ast_write_irq(base, AST_IER, AST_ALARM0);
}

static void ast_set_client(const struct hil_alarm *a, struct hil_alarm_client c)
{
    st_of(a)->client = c;
}

static void ast_bottom_half(void *ctx)
{
    const struct hil_alarm *a = ctx;
    struct sam4l_ast *st = st_of(a);
    ast_disarm(a);
    if (st->client.fired)
        st->client.fired(st->client.ctx);
}

/* Tock's set-up: clock source, disable, alarm interrupt off, prescaler 0,
 * alarm wake-up, clear the flag; then start counting. */
static void ast_setup(uint32_t base)
{
    ast_write(base, AST_CLOCK, 0);
    ast_write(base, AST_CLOCK, AST_CLOCK_CSSEL_32K);
    ast_write(base, AST_CLOCK, AST_CLOCK_CSSEL_32K | AST_CLOCK_CEN);
    ast_write(base, AST_CR, 0);
    ast_write(base, AST_IDR, AST_ALARM0);
    ast_write(base, AST_CR, AST_CR_PSEL(0));
    ast_write(base, AST_WER, AST_ALARM0);
    ast_write(base, AST_SCR, AST_ALARM0);
    ast_write(base, AST_CR, AST_CR_PSEL(0) | AST_CR_EN);
    wait_ready(base);
}

void sam4l_ast_init(struct hil_alarm *hil, struct sam4l_ast *st, uint32_t base, unsigned irq_alarm)
{
    *st = (struct sam4l_ast){ .base = base };
    *hil = (struct hil_alarm){
        .frequency = ast_frequency, .now = ast_now, .set_alarm = ast_set_alarm,
        .get_alarm = ast_get_alarm, .disarm = ast_disarm, .is_armed = ast_is_armed,
        .minimum_dt = ast_minimum_dt, .set_client = ast_set_client, .state = st,
    };
    sam4l_clock_enable(SAM4L_PBD, AST_PBD_CLOCK_BIT);
    ast_setup(base);
    sam4l_irq_register(irq_alarm, ast_bottom_half, hil);
}
