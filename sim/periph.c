/*
 * periph.c — maps the board's peripherals (see periph.h).  Unicorn maps MMIO
 * in whole pages (1 KiB), while SAM4L peripherals can be smaller (the GPIO
 * ports are 0x200 apart), so peripherals are grouped into page-aligned
 * windows; each access is routed to the peripheral that owns the address.
 * The registry of models is the table below; a new model adds one line.
 */
#include <stdlib.h>
#include <string.h>

#include "cpu_state.h"
#include "periph.h"
#include "snapshot.h"

/* The models, one per file; a board peripheral whose type has no model
 * here maps as an unmodelled window. */
#define MODEL(name) extern const struct periph_model name;
MODEL(ast_model)
MODEL(gpio_model)
MODEL(usart_model)
MODEL(trng_model)
MODEL(pm_model)
MODEL(scif_model)
MODEL(bpm_model)
MODEL(bscif_model)
MODEL(flashcalw_model)
MODEL(pdca_model)
#undef MODEL

static const struct periph_model *const models[] = {
    &ast_model, &gpio_model, &usart_model, &trng_model, &pm_model,
    &scif_model, &bpm_model, &bscif_model, &flashcalw_model, &pdca_model,
};

const struct periph_model *periph_find_model(const char *type)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strcmp(models[i]->type, type) == 0)
            return models[i];
    return NULL;
}


struct periph_inst {
    const struct board_periph *desc;
    const struct periph_model *model;   /* NULL: unmodelled */
    void *dev;
};

#define PERIPH_MAX_WARNED 64

struct periph_window {
    struct machine *m;
    uint32_t base, size;
    int first, count;                    /* range of m->periphs (sorted by base) */
};

struct periph_set {
    int n, nwindows;
    int nwarned;
    uint32_t warned[PERIPH_MAX_WARNED];
    struct periph_inst inst[BOARD_MAX_PERIPHS];
    struct periph_window win[BOARD_MAX_PERIPHS];
};

/* Warns once per address (the first PERIPH_MAX_WARNED addresses, then once
 * that further warnings are suppressed); stops the run under --strict. */
static void unmodelled(struct machine *m, struct periph_inst *p, const char *what, uint32_t addr, unsigned size)
{
    struct periph_set *ps = m->periphs;
    const char *name = p ? p->desc->name : "no peripheral";
    uint32_t pc = cpu_pc(m);                     /* inside MMIO: the start of the executing block */
    if (m->strict_mmio) {
        cpu_fatal(m, STOP_CPU_ERROR, "%s of %u byte(s) at unmodelled register 0x%08x (%s), in the block at "
                  "pc 0x%08x (--strict)", what, size, addr, name, pc);
        return;
    }
    for (int i = 0; i < ps->nwarned; i++)
        if (ps->warned[i] == addr)
            return;
    if (ps->nwarned == PERIPH_MAX_WARNED) {
        fprintf(m->err, "hailsim: warning: more unmodelled registers accessed; not reported\n");
        ps->nwarned++;
        return;
    }
    if (ps->nwarned < PERIPH_MAX_WARNED)
        ps->warned[ps->nwarned++] = addr;
    else
        return;
    fprintf(m->err, "hailsim: warning: %s of %u byte(s) at unmodelled register 0x%08x (%s) ignored "
            "(block at pc 0x%08x)\n", what, size, addr, name, pc);
}

static struct periph_inst *owner(struct periph_window *w, uint32_t addr)
{
    struct periph_set *ps = w->m->periphs;
    for (int i = w->first; i < w->first + w->count; i++) {
        const struct board_periph *d = ps->inst[i].desc;
        if (addr >= d->base && addr - d->base < d->size)
            return &ps->inst[i];
    }
    return NULL;
}

static uint64_t window_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct periph_window *w = user;
    uint32_t addr = w->base + (uint32_t)offset;
    struct periph_inst *p = owner(w, addr);
    if (!p || !p->model) {
        unmodelled(w->m, p, "read", addr, size);
        return 0;
    }
    return p->model->read(p->dev, addr - p->desc->base, size);
}

static void window_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct periph_window *w = user;
    uint32_t addr = w->base + (uint32_t)offset;
    struct periph_inst *p = owner(w, addr);
    if (!p || !p->model) {
        unmodelled(w->m, p, "write", addr, size);
        return;
    }
    p->model->write(p->dev, addr - p->desc->base, size, (uint32_t)value);
}

static int by_base(const void *a, const void *b)
{
    const struct periph_inst *x = a, *y = b;
    return x->desc->base < y->desc->base ? -1 : x->desc->base > y->desc->base;
}

/* Groups the (sorted) peripherals into page-aligned windows. */
static void build_windows(struct periph_set *ps, uint32_t page)
{
    for (int i = 0; i < ps->n; i++) {
        const struct board_periph *d = ps->inst[i].desc;
        uint64_t lo = d->base & ~(uint64_t)(page - 1);
        uint64_t hi = ((uint64_t)d->base + d->size + page - 1) & ~(uint64_t)(page - 1);
        struct periph_window *w = ps->nwindows ? &ps->win[ps->nwindows - 1] : NULL;
        if (w && lo < (uint64_t)w->base + w->size) {
            if (hi > (uint64_t)w->base + w->size)
                w->size = (uint32_t)(hi - w->base);
            w->count++;
        } else {
            ps->win[ps->nwindows++] = (struct periph_window){ NULL, (uint32_t)lo, (uint32_t)(hi - lo), i, 1 };
        }
    }
}

static int create_models(struct machine *m, struct periph_set *ps, char *err, size_t errlen)
{
    for (int i = 0; i < ps->n; i++) {
        struct periph_inst *p = &ps->inst[i];
        p->model = periph_find_model(p->desc->type);
        if (p->model && !(p->dev = p->model->create(m, p->desc, err, errlen)))
            return -1;
    }
    return 0;
}

int periph_attach_all(struct machine *m, char *err, size_t errlen)
{
    struct periph_set *ps = calloc(1, sizeof *ps);
    if (!ps) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->periphs = ps;
    ps->n = m->board->nperiphs;
    for (int i = 0; i < ps->n; i++)
        ps->inst[i].desc = &m->board->periphs[i];
    qsort(ps->inst, (size_t)ps->n, sizeof ps->inst[0], by_base);
    build_windows(ps, m->page_size);
    if (create_models(m, ps, err, errlen) != 0)
        return -1;
    for (int i = 0; i < ps->nwindows; i++) {
        struct periph_window *w = &ps->win[i];
        w->m = m;
        if (m->nmmio >= MAX_MMIO) {
            snprintf(err, errlen, "%s: too many peripheral windows (at most %d)", m->board->path, MAX_MMIO);
            return -1;
        }
        uc_err e = uc_mmio_map(m->uc, w->base, w->size, window_read, w, window_write, w);
        if (e != UC_ERR_OK) {
            const struct board_periph *d = ps->inst[w->first].desc;
            snprintf(err, errlen, "%s:%d: peripheral %s: cannot map 0x%08x (+0x%x): %s",
                     m->board->path, d->line, d->name, w->base, w->size, uc_strerror(e));
            return -1;
        }
        m->mmio[m->nmmio++] = (struct mmio_dev){ .name = ps->inst[w->first].desc->name,
                                                 .base = w->base, .size = w->size, .m = m };
    }
    return 0;
}

void periph_reset_all(struct machine *m)
{
    struct periph_set *ps = m->periphs;
    for (int i = 0; ps && i < ps->n; i++)
        if (ps->inst[i].model && ps->inst[i].model->reset)
            ps->inst[i].model->reset(ps->inst[i].dev);
}

void periph_destroy_all(struct machine *m)
{
    struct periph_set *ps = m->periphs;
    for (int i = 0; ps && i < ps->n; i++)
        if (ps->inst[i].model && ps->inst[i].model->destroy)
            ps->inst[i].model->destroy(ps->inst[i].dev);
    free(ps);
    m->periphs = NULL;
}

void *periph_find_dev(struct machine *m, const char *name)
{
    struct periph_set *ps = m->periphs;
    for (int i = 0; ps && i < ps->n; i++)
        if (strcmp(ps->inst[i].desc->name, name) == 0)
            return ps->inst[i].dev;
    return NULL;
}

/* ---- snapshots (issue #7): u32 count, then per modelled peripheral its
 * name, u32 length and the model's own bytes ---- */
void periph_save_all(struct machine *m, struct snap_buf *b)
{
    struct periph_set *ps = m->periphs;
    uint32_t n = 0;
    for (int i = 0; ps && i < ps->n; i++)
        n += ps->inst[i].model && ps->inst[i].model->save;
    snap_put_u32(b, n);
    for (int i = 0; ps && i < ps->n; i++) {
        const struct periph_inst *p = &ps->inst[i];
        if (!p->model || !p->model->save)
            continue;
        struct snap_buf one = { 0 };
        p->model->save(p->dev, &one);
        snap_put_u32(b, (uint32_t)strlen(p->desc->name));
        snap_put_bytes(b, p->desc->name, strlen(p->desc->name));
        snap_put_u32(b, (uint32_t)one.len);
        snap_put_bytes(b, one.data, one.len);
        b->bad |= one.bad;
        free(one.data);
    }
}

int periph_restore_all(struct machine *m, struct snap_buf *b, char *err, size_t errlen)
{
    struct periph_set *ps = m->periphs;
    uint32_t n = snap_get_u32(b), expected = 0;
    for (int i = 0; ps && i < ps->n; i++)
        expected += ps->inst[i].model && ps->inst[i].model->save;
    if (n != expected) {
        snprintf(err, errlen, "the snapshot has %u peripheral models, the board %u", n, expected);
        return -1;
    }
    for (uint32_t k = 0; k < n; k++) {
        char name[BOARD_NAME_LEN + 1];
        uint32_t len = snap_get_u32(b);
        if (len > BOARD_NAME_LEN) {
            snprintf(err, errlen, "bad peripheral name in the snapshot");
            return -1;
        }
        snap_get_bytes(b, name, len);
        name[len] = '\0';
        uint32_t size = snap_get_u32(b);
        if (b->bad || size > b->len - b->pos) {
            snprintf(err, errlen, "truncated peripheral section");
            return -1;
        }
        struct periph_inst *p = NULL;
        for (int i = 0; ps && i < ps->n; i++)
            if (strcmp(ps->inst[i].desc->name, name) == 0 && ps->inst[i].model && ps->inst[i].model->restore)
                p = &ps->inst[i];
        if (!p) {
            snprintf(err, errlen, "the snapshot has peripheral '%s', which the board does not model", name);
            return -1;
        }
        struct snap_buf one = { .data = b->data + b->pos, .len = size };
        b->pos += size;
        if (p->model->restore(p->dev, &one) != 0 || one.bad || one.pos != one.len) {
            snprintf(err, errlen, "peripheral '%s': bad state in the snapshot", name);
            return -1;
        }
    }
    return 0;
}
