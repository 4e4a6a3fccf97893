/*
 * periph.c — maps the board's peripherals (see periph.h).  The registry of
 * models is the table below; a new model adds one line here.
 */
#include <stdlib.h>
#include <string.h>

#include "cpu_state.h"
#include "periph.h"

static const struct periph_model *const models[] = {
    NULL
};

const struct periph_model *periph_find_model(const char *type)
{
    for (size_t i = 0; models[i]; i++)
        if (strcmp(models[i]->type, type) == 0)
            return models[i];
    return NULL;
}

struct mmio_slot {
    struct machine *m;
    struct mmio_dev *dev;
    const struct periph_model *model;
    uint32_t warned_off;
    bool warned;
};

static void unmodelled(struct mmio_slot *s, const char *what, uint32_t off)
{
    struct machine *m = s->m;
    if (m->strict_mmio) {
        cpu_fatal(m, STOP_CPU_ERROR, "%s of unmodelled %s register at 0x%08x (+0x%x) (strict MMIO)",
                  what, s->dev->name, s->dev->base + off, off);
        return;
    }
    if (!s->warned || s->warned_off != off)
        fprintf(m->err, "hailsim: warning: %s of unmodelled %s register 0x%08x ignored\n",
                what, s->dev->name, s->dev->base + off);
    s->warned = true;
    s->warned_off = off;
}

static uint64_t mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    struct mmio_slot *s = user;
    if (!s->model) {
        unmodelled(s, "read", (uint32_t)offset);
        return 0;
    }
    return s->model->read(s->dev->dev, (uint32_t)offset, size);
}

static void mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    struct mmio_slot *s = user;
    if (!s->model) {
        unmodelled(s, "write", (uint32_t)offset);
        return;
    }
    s->model->write(s->dev->dev, (uint32_t)offset, size, (uint32_t)value);
}

int periph_attach_all(struct machine *m, char *err, size_t errlen)
{
    for (int i = 0; i < m->board->nperiphs; i++) {
        const struct board_periph *p = &m->board->periphs[i];
        if (m->nmmio >= MAX_MMIO) {
            snprintf(err, errlen, "%s: too many peripherals (at most %d)", m->board->path, MAX_MMIO - 2);
            return -1;
        }
        struct mmio_dev *d = &m->mmio[m->nmmio];
        struct mmio_slot *s = calloc(1, sizeof *s);
        if (!s) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        s->m = m;
        s->dev = d;
        s->model = periph_find_model(p->type);
        *d = (struct mmio_dev){ .name = p->name, .base = p->base, .size = p->size, .m = m, .dev = NULL };
        d->slot = s;
        if (s->model && !(d->dev = s->model->create(m, p, err, errlen))) {
            free(s);
            return -1;
        }
        m->nmmio++;
        uc_err e = uc_mmio_map(m->uc, p->base, p->size, mmio_read, s, mmio_write, s);
        if (e != UC_ERR_OK) {
            snprintf(err, errlen, "%s:%d: peripherals[%d]: cannot map %s at 0x%08x (+0x%x): %s",
                     m->board->path, p->line, i, p->name, p->base, p->size, uc_strerror(e));
            return -1;
        }
    }
    return 0;
}

void periph_reset_all(struct machine *m)
{
    for (int i = 0; i < m->nmmio; i++) {
        struct mmio_slot *s = m->mmio[i].slot;
        if (s && s->model && s->model->reset)
            s->model->reset(m->mmio[i].dev);
    }
}

void periph_destroy_all(struct machine *m)
{
    for (int i = 0; i < m->nmmio; i++) {
        struct mmio_slot *s = m->mmio[i].slot;
        if (s && s->model && s->model->destroy)
            s->model->destroy(m->mmio[i].dev);
        free(s);
        m->mmio[i].slot = NULL;
    }
}
