/*
 * periph.h — the peripheral model interface and registry.
 *
 * Every peripheral model has the same shape (like a QEMU/Renode device):
 * create from its board description, reset, MMIO read, MMIO write, destroy;
 * models that need time arm evq timers themselves.  periph.c maps each
 * peripheral of the board: through its model when one is registered for its
 * type, otherwise as an unmodelled window that reads as zero and ignores
 * writes with a warning (or stops the run with --strict-mmio).
 *
 * What a model may use: its struct board_periph (base, size, irqs by name
 * with board_periph_irq(), props with board_periph_prop()); virtual time
 * (machine_mmio_now() inside register accesses, evq timers for events, the
 * core clock m->clock_hz); exc_irq_line() to drive its NVIC lines (level
 * sensitive); board_io.h to report pins and UART bytes and to receive
 * inputs; regs.h for its register table.  Narrow (byte/halfword) accesses
 * arrive with their size; off is relative to the peripheral's base.
 */
#ifndef HAILSIM_PERIPH_H
#define HAILSIM_PERIPH_H

#include "machine.h"

struct snap_buf;

struct periph_model {
    const char *type;
    void *(*create)(struct machine *m, const struct board_periph *desc, char *err, size_t errlen);
    void (*reset)(void *dev);
    uint32_t (*read)(void *dev, uint32_t off, unsigned size);
    void (*write)(void *dev, uint32_t off, unsigned size, uint32_t val);
    void (*destroy)(void *dev);
    /* ---- snapshots (snapshot.h, issue #7); optional ----
     * save writes the model's plain state (never a pointer) with snap_put_*;
     * restore reads it back in the same order into a created, reset model
     * (its pointers and timer registrations stay) and returns 0 or -1. */
    void (*save)(void *dev, struct snap_buf *b);
    int (*restore)(void *dev, struct snap_buf *b);
};

const struct periph_model *periph_find_model(const char *type);
/* The model instance of the peripheral called `name` (NULL if unmodelled). */
void *periph_find_dev(struct machine *m, const char *name);
int periph_attach_all(struct machine *m, char *err, size_t errlen);
void periph_reset_all(struct machine *m);
void periph_destroy_all(struct machine *m);
/* ---- snapshots (issue #7): every modelled peripheral by name ---- */
void periph_save_all(struct machine *m, struct snap_buf *b);
int periph_restore_all(struct machine *m, struct snap_buf *b, char *err, size_t errlen);

#endif
