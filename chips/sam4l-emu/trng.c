/*
 * trng.c — the SAM4L TRNG as the kernel's RNG HIL (struct hil_rng),
 * tock-abi.md §12.6: get() enables the generator (CR key "RNG" | EN) and
 * its DATRDY interrupt; the bottom half collects words from ODATA until a
 * batch of SAM4L_TRNG_BATCH is full and hands them to the client, which
 * returns true to be called again with more; false (or cancel()) turns
 * the generator off.  Clock gate: PBA bit 17.
 */
#include "sam4l.h"
#include "sam4l_regs.h"

#define TRNG_PBA_CLOCK_BIT 17u

static struct sam4l_trng *st_of(const struct hil_rng *r) { return r->state; }

static void trng_stop(struct sam4l_trng *st)
{
    REG(st->base, TRNG_IDR) = TRNG_DATRDY;
    REG(st->base, TRNG_CR) = TRNG_KEY;
    st->running = false;
}

static errorcode_t trng_get(const struct hil_rng *r)
{
    struct sam4l_trng *st = st_of(r);
    if (st->running)
        return ERR_NONE;
    st->n = 0;
    st->running = true;
    REG(st->base, TRNG_CR) = TRNG_KEY | 1u;
    REG(st->base, TRNG_IER) = TRNG_DATRDY;
    return ERR_NONE;
}

static errorcode_t trng_cancel(const struct hil_rng *r)
{
    trng_stop(st_of(r));
    return ERR_NONE;
}

static void trng_set_client(const struct hil_rng *r, struct hil_rng_client c) { st_of(r)->client = c; }

static void trng_bottom_half(void *ctx)
{
    struct sam4l_trng *st = ctx;
    while (st->running && (REG(st->base, TRNG_ISR) & TRNG_DATRDY)) {
        st->words[st->n++] = REG(st->base, TRNG_ODATA);
        if (st->n < SAM4L_TRNG_BATCH)
            continue;
        st->n = 0;
        bool more = st->client.randomness &&
                    st->client.randomness(st->client.ctx, st->words, SAM4L_TRNG_BATCH, ERR_NONE);
        if (!more)
            trng_stop(st);
    }
}

void sam4l_trng_init(struct hil_rng *hil, struct sam4l_trng *st, uint32_t base, unsigned irq)
{
    *st = (struct sam4l_trng){ .base = base };
    *hil = (struct hil_rng){ .get = trng_get, .cancel = trng_cancel, .set_client = trng_set_client,
                             .state = st };
    sam4l_clock_enable(SAM4L_PBA, TRNG_PBA_CLOCK_BIT);
    trng_stop(st);
    sam4l_irq_register(irq, trng_bottom_half, st);
}
