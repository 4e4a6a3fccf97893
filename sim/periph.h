/*
 * periph.h — the peripheral model interface and registry.
 *
 * Every peripheral model has the same shape (like a QEMU/Renode device):
 * create from its board description, reset, MMIO read, MMIO write, destroy;
 * models that need time arm evq timers themselves.  periph.c maps each
 * peripheral of the board: through its model when one is registered for its
 * type, otherwise as an unmodelled window that reads as zero and ignores
 * writes with a warning (or stops the run with --strict-mmio).
 */
#ifndef HAILSIM_PERIPH_H
#define HAILSIM_PERIPH_H

#include "machine.h"

struct periph_model {
    const char *type;
    void *(*create)(struct machine *m, const struct board_periph *desc, char *err, size_t errlen);
    void (*reset)(void *dev);
    uint32_t (*read)(void *dev, uint32_t off, unsigned size);
    void (*write)(void *dev, uint32_t off, unsigned size, uint32_t val);
    void (*destroy)(void *dev);
};

const struct periph_model *periph_find_model(const char *type);
int periph_attach_all(struct machine *m, char *err, size_t errlen);
void periph_reset_all(struct machine *m);
void periph_destroy_all(struct machine *m);

#endif
