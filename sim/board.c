/*
 * board.c — the board description loader: reads a board YAML file
 * (schema: docs/board-yaml.md) into a struct board, checking every value,
 * and the small lookup helpers of board.h.  This file holds the top level,
 * the cpu, memories, layout, peripherals and kernel sections; wiring and
 * view are in board_wiring.c, the generic YAML readers in board_yaml.c.
 */
#include "board.h"
#include "board_yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const board_known_periph_types[] = {
    "ast", "gpio", "usart", "trng", "pm", "scif", "bpm", "bscif",
    "flashcalw", "pdca", NULL,
};

/* Largest board file we accept (the real one is a few KiB). */
#define BOARD_MAX_FILE (1024 * 1024)
/* Unicorn maps memory in pages of this size. */
#define BOARD_PAGE 4096u

static const char *const top_keys[] = {
    "name", "cpu", "memories", "layout", "peripherals", "wiring", "view", "kernel", NULL,
};

const char *const board_sched_names[] = {
    "round_robin", "cooperative", "priority", "mlfq", NULL,
};
const char *const board_fault_policy_names[] = {
    "panic", "stop", "restart", "restart_then_stop", "restart_then_panic", NULL,
};
const char *const board_known_drivers[] = {
    "alarm", "console", "led", "button", "gpio", "rng", "ipc", NULL,
};

/* ---- cpu ------------------------------------------------------------------ */

static const char *const cpu_keys[] = {
    "model", "clock_hz", "vtor", "num_irqs", "priority_bits", "mpu_regions", NULL,
};
static const char *const cpu_models[] = { "cortex-m4", NULL };

static int parse_cpu_vtor(struct byctx *c, yaml_node_t *m, struct board_cpu *cpu)
{
    if (by_req_u32(c, m, "cpu", "vtor", 0, 0xFFFFFF80u, BY_HEX, &cpu->vtor))
        return -1;
    if (cpu->vtor % 128)
        return by_fail(c, by_get(c, m, "vtor"), "cpu.vtor",
                       "0x%X is not aligned; expected a multiple of 128 (0x80)",
                       cpu->vtor);
    return 0;
}

static int parse_cpu(struct byctx *c, yaml_node_t *root, struct board *b)
{
    struct board_cpu *cpu = &b->cpu;
    yaml_node_t *m, *v;
    int model = 0, mpu = 0;
    if (by_req(c, root, "", "cpu", "a mapping (model, clock_hz, vtor, ...)", &m) ||
        by_check_map(c, m, "cpu", cpu_keys, "a mapping (model, clock_hz, vtor, ...)") ||
        by_req(c, m, "cpu", "model", "one of: cortex-m4", &v) ||
        by_enum(c, v, "cpu.model", cpu_models, &model) ||
        by_req_u32(c, m, "cpu", "clock_hz", 1000, 1000000000, 0, &cpu->clock_hz) ||
        parse_cpu_vtor(c, m, cpu) ||
        by_req_int(c, m, "cpu", "num_irqs", 1, 240, &cpu->num_irqs) ||
        by_req_int(c, m, "cpu", "priority_bits", 2, 8, &cpu->priority_bits) ||
        by_req_int(c, m, "cpu", "mpu_regions", 0, 16, &mpu))
        return -1;
    if (mpu != 0 && mpu != 8 && mpu != 16)
        return by_fail(c, by_get(c, m, "mpu_regions"), "cpu.mpu_regions",
                       "%d is not supported; expected 0, 8 or 16", mpu);
    snprintf(cpu->model, sizeof cpu->model, "%s", cpu_models[model]);
    cpu->mpu_regions = mpu;
    return 0;
}

/* The whole vector table (16 + num_irqs words) must be in one memory. */
static int check_vtor(struct byctx *c, yaml_node_t *root, const struct board *b)
{
    uint32_t len = 4u * (16u + (uint32_t)b->cpu.num_irqs);
    if (board_find_memory(b, b->cpu.vtor, len))
        return 0;
    yaml_node_t *cpu = by_get(c, root, "cpu");
    return by_fail(c, by_get(c, cpu, "vtor"), "cpu.vtor",
                   "the vector table 0x%X (%u bytes) is not inside one memory region; "
                   "expected an address in memories", b->cpu.vtor, len);
}

/* ---- memories ------------------------------------------------------------- */

static const char *const mem_keys[] = { "name", "kind", "base", "size", NULL };
static const char *const mem_kinds[] = { "flash", "ram", NULL };

/* base + size must not pass 4 GiB; both must be page multiples. */
static int check_window(struct byctx *c, yaml_node_t *m, const char *path,
                        uint32_t base, uint32_t size, uint32_t align)
{
    char p[BY_PATH_LEN];
    if ((uint64_t)base + size > 0x100000000ull) {
        by_path_key(p, path, "size");
        return by_fail(c, by_get(c, m, "size"), p,
                       "0x%X + 0x%X passes the end of the 4 GiB address space; "
                       "expected base + size <= 0x100000000", base, size);
    }
    if (align > 1 && (base % align || size % align)) {
        const char *key = base % align ? "base" : "size";
        by_path_key(p, path, key);
        return by_fail(c, by_get(c, m, key), p,
                       "0x%X is not aligned; expected a multiple of 0x%X (4 KiB pages)",
                       base % align ? base : size, align);
    }
    return 0;
}

static int check_memory_vs(struct byctx *c, yaml_node_t *n, const char *path,
                           const struct board *b, int i)
{
    const struct board_memory *m = &b->memories[i];
    char p[BY_PATH_LEN], r1[48], r2[48];
    for (int j = 0; j < i; j++) {
        const struct board_memory *o = &b->memories[j];
        if (strcmp(o->name, m->name) == 0) {
            by_path_key(p, path, "name");
            return by_fail(c, by_get(c, n, "name"), p,
                           "'%s' is already used by memories[%d] (line %d); expected unique names",
                           m->name, j, o->line);
        }
        if (by_overlap(m->base, m->size, o->base, o->size)) {
            by_range(r1, sizeof r1, m->base, m->size);
            by_range(r2, sizeof r2, o->base, o->size);
            by_path_key(p, path, "base");
            return by_fail(c, by_get(c, n, "base"), p,
                           "%s overlaps memories[%d] '%s' (%s, line %d); "
                           "expected non-overlapping memory regions", r1, j, o->name, r2, o->line);
        }
    }
    return 0;
}

static int parse_memory(struct byctx *c, yaml_node_t *n, const char *path,
                        struct board *b, int i)
{
    struct board_memory *m = &b->memories[i];
    char p[BY_PATH_LEN];
    yaml_node_t *v;
    int kind = 0;
    by_path_key(p, path, "kind");
    if (by_check_map(c, n, path, mem_keys, "a mapping (name, kind, base, size)") ||
        by_req_str(c, n, path, "name", m->name, sizeof m->name) ||
        by_req(c, n, path, "kind", "one of: flash, ram", &v) ||
        by_enum(c, v, p, mem_kinds, &kind) ||
        by_req_u32(c, n, path, "base", 0, UINT32_MAX, BY_HEX, &m->base) ||
        by_req_u32(c, n, path, "size", 1, UINT32_MAX, BY_HEX | BY_SIZE, &m->size) ||
        check_window(c, n, path, m->base, m->size, BOARD_PAGE))
        return -1;
    m->kind = kind == 0 ? BOARD_MEM_FLASH : BOARD_MEM_RAM;
    m->line = by_line(n);
    return check_memory_vs(c, n, path, b, i);
}

static int parse_memories(struct byctx *c, yaml_node_t *root, struct board *b)
{
    const char *what = "a list of memory regions";
    yaml_node_t *s;
    char p[BY_PATH_LEN];
    int count = 0;
    if (by_req(c, root, "", "memories", what, &s) ||
        by_check_seq(c, s, "memories", BOARD_MAX_MEMORIES, what, &count))
        return -1;
    if (count == 0)
        return by_fail(c, s, "memories", "is empty; expected at least one memory region");
    for (int i = 0; i < count; i++) {
        by_path_idx(p, "memories", i);
        if (parse_memory(c, by_seq_item(c, s, i), p, b, i))
            return -1;
        b->nmemories = i + 1;
    }
    return 0;
}

/* ---- layout --------------------------------------------------------------- */

static const char *const layout_keys[] = {
    "kernel_flash", "app_flash", "kernel_ram", "app_ram", NULL,
};
static const char *const area_keys[] = { "base", "size", NULL };

static struct board_area *layout_area(struct board *b, int i)
{
    struct board_area *areas[] = { &b->kernel_flash, &b->app_flash,
                                   &b->kernel_ram, &b->app_ram };
    return areas[i];
}

static int check_area_memory(struct byctx *c, yaml_node_t *n, const char *path,
                             const struct board *b, const struct board_area *a,
                             enum board_mem_kind want)
{
    const char *kname = want == BOARD_MEM_FLASH ? "flash" : "ram";
    char r[48], p[BY_PATH_LEN];
    const struct board_memory *m = board_find_memory(b, a->base, a->size);
    by_range(r, sizeof r, a->base, a->size);
    by_path_key(p, path, "base");
    if (!m)
        return by_fail(c, by_get(c, n, "base"), p,
                       "%s is not inside one memory region; expected it inside a %s region",
                       r, kname);
    if (m->kind != want)
        return by_fail(c, by_get(c, n, "base"), p,
                       "%s lies in %s region '%s'; expected it inside a %s region",
                       r, m->kind == BOARD_MEM_FLASH ? "flash" : "ram", m->name, kname);
    return 0;
}

static int parse_area(struct byctx *c, yaml_node_t *lay, struct board *b,
                      int i, int lines[])
{
    char path[BY_PATH_LEN], r1[48], r2[48];
    struct board_area *a = layout_area(b, i);
    yaml_node_t *n;
    by_path_key(path, "layout", layout_keys[i]);
    if (by_req(c, lay, "layout", layout_keys[i], "a mapping (base, size)", &n) ||
        by_check_map(c, n, path, area_keys, "a mapping (base, size)") ||
        by_req_u32(c, n, path, "base", 0, UINT32_MAX, BY_HEX, &a->base) ||
        by_req_u32(c, n, path, "size", 1, UINT32_MAX, BY_HEX | BY_SIZE, &a->size) ||
        check_window(c, n, path, a->base, a->size, 1) ||
        check_area_memory(c, n, path, b, a, i < 2 ? BOARD_MEM_FLASH : BOARD_MEM_RAM))
        return -1;
    lines[i] = by_line(n);
    for (int j = 0; j < i; j++) {
        const struct board_area *o = layout_area(b, j);
        if (!by_overlap(a->base, a->size, o->base, o->size))
            continue;
        by_range(r1, sizeof r1, a->base, a->size);
        by_range(r2, sizeof r2, o->base, o->size);
        char bp[BY_PATH_LEN];
        by_path_key(bp, path, "base");
        return by_fail(c, by_get(c, n, "base"), bp,
                       "%s overlaps layout.%s (%s, line %d); expected non-overlapping areas",
                       r1, layout_keys[j], r2, lines[j]);
    }
    return 0;
}

static int parse_layout(struct byctx *c, yaml_node_t *root, struct board *b)
{
    const char *what = "a mapping (kernel_flash, app_flash, kernel_ram, app_ram)";
    yaml_node_t *lay;
    int lines[4] = { 0 };
    if (by_req(c, root, "", "layout", what, &lay) ||
        by_check_map(c, lay, "layout", layout_keys, what))
        return -1;
    for (int i = 0; i < 4; i++)
        if (parse_area(c, lay, b, i, lines))
            return -1;
    return 0;
}

/* ---- peripherals ---------------------------------------------------------- */

static const char *const periph_keys[] = {
    "name", "type", "base", "size", "irqs", "props", NULL,
};

/* Is IRQ `irq` already used, by an earlier peripheral or an earlier entry of
 * this one?  Reports where. */
static int check_irq_unique(struct byctx *c, yaml_node_t *v, const char *path,
                            const struct board *b, int pi, int k)
{
    int irq = b->periphs[pi].irqs[k];
    for (int j = 0; j <= pi; j++) {
        const struct board_periph *o = &b->periphs[j];
        int n = j < pi ? o->nirqs : k;
        for (int q = 0; q < n; q++)
            if (o->irqs[q] == irq)
                return by_fail(c, v, path,
                               "IRQ %d is already used by peripherals[%d].irqs.%s (line %d); "
                               "expected each IRQ line used once", irq, j, o->irq_names[q], o->line);
    }
    return 0;
}

static int parse_irq(struct byctx *c, yaml_node_t *irqs, const char *path,
                     struct board *b, int pi, int k)
{
    struct board_periph *p = &b->periphs[pi];
    yaml_node_t *key = by_map_key(c, irqs, k), *v = by_map_value(c, irqs, k);
    char ip[BY_PATH_LEN], note[64];
    uint32_t irq;
    by_path_key(ip, path, by_text(key));
    snprintf(note, sizeof note, "(cpu.num_irqs = %d)", b->cpu.num_irqs);
    if (by_str(c, key, ip, p->irq_names[k], BOARD_NAME_LEN) ||
        by_u32(c, v, ip, 0, (uint32_t)b->cpu.num_irqs - 1, 0, note, &irq))
        return -1;
    p->irqs[k] = (int)irq;
    return check_irq_unique(c, v, ip, b, pi, k);
}

static int parse_irqs(struct byctx *c, yaml_node_t *n, const char *path,
                      struct board *b, int pi)
{
    const char *what = "a mapping of IRQ names to NVIC line numbers";
    char ip[BY_PATH_LEN];
    yaml_node_t *irqs = by_get(c, n, "irqs");
    if (!irqs)
        return 0;
    by_path_key(ip, path, "irqs");
    if (by_check_map(c, irqs, ip, NULL, what))
        return -1;
    int count = by_map_len(irqs);
    if (count > BOARD_MAX_PERIPH_IRQS)
        return by_fail(c, irqs, ip, "has %d IRQs; expected at most %d", count,
                       BOARD_MAX_PERIPH_IRQS);
    for (int k = 0; k < count; k++) {
        if (parse_irq(c, irqs, ip, b, pi, k))
            return -1;
        b->periphs[pi].nirqs = k + 1;
    }
    return 0;
}

static int parse_props(struct byctx *c, yaml_node_t *n, const char *path,
                       struct board_periph *p)
{
    const char *what = "a mapping of property names to numbers";
    char pp[BY_PATH_LEN], kp[BY_PATH_LEN];
    yaml_node_t *props = by_get(c, n, "props");
    if (!props)
        return 0;
    by_path_key(pp, path, "props");
    if (by_check_map(c, props, pp, NULL, what))
        return -1;
    int count = by_map_len(props);
    if (count > BOARD_MAX_PROPS)
        return by_fail(c, props, pp, "has %d properties; expected at most %d", count,
                       BOARD_MAX_PROPS);
    for (int k = 0; k < count; k++) {
        yaml_node_t *key = by_map_key(c, props, k);
        by_path_key(kp, pp, by_text(key));
        if (by_str(c, key, kp, p->props[k].key, BOARD_NAME_LEN) ||
            by_u32(c, by_map_value(c, props, k), kp, 0, UINT32_MAX, 0, NULL,
                   &p->props[k].value))
            return -1;
        p->nprops = k + 1;
    }
    return 0;
}

static int check_periph_vs(struct byctx *c, yaml_node_t *n, const char *path,
                           const struct board *b, int i)
{
    const struct board_periph *p = &b->periphs[i];
    char bp[BY_PATH_LEN], np[BY_PATH_LEN], r1[48], r2[48];
    by_path_key(bp, path, "base");
    by_path_key(np, path, "name");
    by_range(r1, sizeof r1, p->base, p->size);
    for (int j = 0; j < b->nmemories; j++) {
        const struct board_memory *m = &b->memories[j];
        if (!by_overlap(p->base, p->size, m->base, m->size))
            continue;
        by_range(r2, sizeof r2, m->base, m->size);
        return by_fail(c, by_get(c, n, "base"), bp,
                       "%s overlaps memories[%d] '%s' (%s, line %d); "
                       "expected MMIO windows outside memory", r1, j, m->name, r2, m->line);
    }
    for (int j = 0; j < i; j++) {
        const struct board_periph *o = &b->periphs[j];
        if (strcmp(o->name, p->name) == 0)
            return by_fail(c, by_get(c, n, "name"), np,
                           "'%s' is already used by peripherals[%d] (line %d); "
                           "expected unique names", p->name, j, o->line);
        if (!by_overlap(p->base, p->size, o->base, o->size))
            continue;
        by_range(r2, sizeof r2, o->base, o->size);
        return by_fail(c, by_get(c, n, "base"), bp,
                       "%s overlaps peripherals[%d] '%s' (%s, line %d); "
                       "expected non-overlapping MMIO windows", r1, j, o->name, r2, o->line);
    }
    return 0;
}

static int parse_periph(struct byctx *c, yaml_node_t *n, const char *path,
                        struct board *b, int i)
{
    struct board_periph *p = &b->periphs[i];
    char tp[BY_PATH_LEN];
    yaml_node_t *v;
    int type = 0;
    by_path_key(tp, path, "type");
    if (by_check_map(c, n, path, periph_keys,
                     "a mapping (name, type, base, size, irqs, props)") ||
        by_req_str(c, n, path, "name", p->name, sizeof p->name) ||
        by_req(c, n, path, "type", "a peripheral type", &v) ||
        by_enum(c, v, tp, board_known_periph_types, &type) ||
        by_req_u32(c, n, path, "base", 0, UINT32_MAX, BY_HEX, &p->base) ||
        by_req_u32(c, n, path, "size", 1, UINT32_MAX, BY_HEX | BY_SIZE, &p->size) ||
        check_window(c, n, path, p->base, p->size, 1))
        return -1;
    snprintf(p->type, sizeof p->type, "%s", board_known_periph_types[type]);
    p->line = by_line(n);
    if (check_periph_vs(c, n, path, b, i) || parse_irqs(c, n, path, b, i))
        return -1;
    return parse_props(c, n, path, p);
}

static int parse_periphs(struct byctx *c, yaml_node_t *root, struct board *b)
{
    const char *what = "a list of peripherals";
    yaml_node_t *s;
    char p[BY_PATH_LEN];
    int count = 0;
    if (by_req(c, root, "", "peripherals", what, &s) ||
        by_check_seq(c, s, "peripherals", BOARD_MAX_PERIPHS, what, &count))
        return -1;
    for (int i = 0; i < count; i++) {
        by_path_idx(p, "peripherals", i);
        b->nperiphs = i + 1;
        if (parse_periph(c, by_seq_item(c, s, i), p, b, i))
            return -1;
    }
    return 0;
}

/* ---- kernel ---------------------------------------------------------------- */

static const char *const kernel_keys[] = {
    "scheduler", "timeslice_us", "fault_policy", "restart_threshold", "max_processes",
    "drivers", NULL,
};
static const char *const driver_keys[] = { "name", "num", "pins", NULL };

/* A gpio driver pin: a header label of wiring.header, or a chip pin name. */
static int parse_driver_pin(struct byctx *c, yaml_node_t *n, const char *path,
                            const struct board *b, struct board_driver *d, int k)
{
    char *text = d->pin_names[k];
    if (by_str(c, n, path, text, BOARD_NAME_LEN))
        return -1;
    for (int i = 0; i < b->nheader_pins; i++)
        if (strcmp(b->header_pins[i].label, text) == 0) {
            d->pins[k] = b->header_pins[i].pin;
            return 0;
        }
    if (board_parse_pin(text, &d->pins[k]) == 0 && d->pins[k].port < board_gpio_port_count(b))
        return 0;
    return by_fail(c, n, path, "'%s' is neither a label of wiring.header nor a pin of an "
                   "existing port; expected a header label (D0) or a pin name (PB14)", text);
}

static int parse_driver_pins(struct byctx *c, yaml_node_t *n, const char *path,
                             const struct board *b, struct board_driver *d)
{
    char pp[BY_PATH_LEN], ip[BY_PATH_LEN];
    yaml_node_t *s = by_get(c, n, "pins");
    int count = 0;
    by_path_key(pp, path, "pins");
    if (!s)
        return 0;
    if (strcmp(d->name, "gpio") != 0)
        return by_fail(c, s, pp, "is given for driver '%s'; expected pins only for the "
                       "gpio driver", d->name);
    if (by_check_seq(c, s, pp, BOARD_MAX_DRIVER_PINS, "a list of pins", &count))
        return -1;
    for (int k = 0; k < count; k++) {
        by_path_idx(ip, pp, k);
        if (parse_driver_pin(c, by_seq_item(c, s, k), ip, b, d, k))
            return -1;
        d->npins = k + 1;
    }
    return 0;
}

static int check_driver_unique(struct byctx *c, yaml_node_t *n, const char *path,
                               const struct board_kernel *k, int i)
{
    const struct board_driver *d = &k->drivers[i];
    char p[BY_PATH_LEN];
    for (int j = 0; j < i; j++) {
        const struct board_driver *o = &k->drivers[j];
        if (strcmp(o->name, d->name) == 0) {
            by_path_key(p, path, "name");
            return by_fail(c, by_get(c, n, "name"), p, "'%s' is already used by "
                           "kernel.drivers[%d] (line %d); expected unique names", d->name, j, o->line);
        }
        if (o->num == d->num) {
            by_path_key(p, path, "num");
            return by_fail(c, by_get(c, n, "num"), p, "0x%X is already used by "
                           "kernel.drivers[%d] '%s' (line %d); expected unique driver numbers",
                           d->num, j, o->name, o->line);
        }
    }
    return 0;
}

static int parse_driver(struct byctx *c, yaml_node_t *n, const char *path,
                        struct board *b, int i)
{
    struct board_driver *d = &b->kernel.drivers[i];
    char np[BY_PATH_LEN];
    yaml_node_t *v;
    int idx = 0;
    by_path_key(np, path, "name");
    if (by_check_map(c, n, path, driver_keys, "a mapping (name, num, pins)") ||
        by_req(c, n, path, "name", "a driver name", &v) ||
        by_enum(c, v, np, board_known_drivers, &idx) ||
        by_req_u32(c, n, path, "num", 0, UINT32_MAX, BY_HEX, &d->num))
        return -1;
    snprintf(d->name, sizeof d->name, "%s", board_known_drivers[idx]);
    d->line = by_line(n);
    if (check_driver_unique(c, n, path, &b->kernel, i) || parse_driver_pins(c, n, path, b, d))
        return -1;
    if (strcmp(d->name, "gpio") == 0 && d->npins == 0)
        return by_fail(c, n, path, "the gpio driver has no pins; expected pins: a list of "
                       "header labels or pin names");
    return 0;
}

static int parse_drivers(struct byctx *c, yaml_node_t *km, struct board *b)
{
    const char *what = "a list of syscall drivers";
    yaml_node_t *s;
    char p[BY_PATH_LEN];
    int count = 0;
    if (by_req(c, km, "kernel", "drivers", what, &s) ||
        by_check_seq(c, s, "kernel.drivers", BOARD_MAX_DRIVERS, what, &count))
        return -1;
    for (int i = 0; i < count; i++) {
        by_path_idx(p, "kernel.drivers", i);
        b->kernel.ndrivers = i + 1;
        if (parse_driver(c, by_seq_item(c, s, i), p, b, i))
            return -1;
    }
    return 0;
}

/* timeslice_us: at least the kernel's minimum quantum (500 us), at most what
 * SysTick's 24-bit reload holds at cpu.clock_hz. */
static int parse_timeslice(struct byctx *c, yaml_node_t *km, struct board *b)
{
    uint32_t max = (uint32_t)(0x1000000ull * 1000000u / b->cpu.clock_hz);
    char note[80];
    yaml_node_t *v = by_get(c, km, "timeslice_us");
    b->kernel.timeslice_us = 10000;
    if (!v)
        return 0;
    snprintf(note, sizeof note, "(SysTick's 24-bit reload at cpu.clock_hz = %u)", b->cpu.clock_hz);
    return by_u32(c, v, "kernel.timeslice_us", 500, max < 500 ? 500 : max, 0, note,
                  &b->kernel.timeslice_us);
}

/* restart_threshold belongs to the restart_then_* policies, and only there. */
static int parse_threshold(struct byctx *c, yaml_node_t *km, struct board *b)
{
    enum board_fault_policy fp = b->kernel.fault_policy;
    bool wants = fp == BOARD_FAULT_RESTART_THEN_STOP || fp == BOARD_FAULT_RESTART_THEN_PANIC;
    yaml_node_t *v = by_get(c, km, "restart_threshold");
    if (!wants && v)
        return by_fail(c, v, "kernel.restart_threshold", "is given with fault_policy %s; "
                       "expected it only with restart_then_stop or restart_then_panic",
                       board_fault_policy_names[fp]);
    if (!wants)
        return 0;
    return by_req_u32(c, km, "kernel", "restart_threshold", 0, 1000, 0,
                      &b->kernel.restart_threshold);
}

static int parse_kernel(struct byctx *c, yaml_node_t *root, struct board *b)
{
    const char *what = "a mapping (scheduler, timeslice_us, fault_policy, restart_threshold, "
                       "max_processes, drivers)";
    yaml_node_t *km = by_get(c, root, "kernel"), *v;
    int sched = 0, fp = 0;
    if (!km)
        return 0;
    if (by_check_map(c, km, "kernel", kernel_keys, what) ||
        by_req(c, km, "kernel", "scheduler", "one of: round_robin, cooperative, priority, mlfq", &v) ||
        by_enum(c, v, "kernel.scheduler", board_sched_names, &sched) ||
        parse_timeslice(c, km, b) ||
        by_req(c, km, "kernel", "fault_policy", "one of: panic, stop, restart, "
               "restart_then_stop, restart_then_panic", &v) ||
        by_enum(c, v, "kernel.fault_policy", board_fault_policy_names, &fp))
        return -1;
    b->kernel.scheduler = (enum board_sched)sched;
    b->kernel.fault_policy = (enum board_fault_policy)fp;
    if (parse_threshold(c, km, b) ||
        by_req_int(c, km, "kernel", "max_processes", 1, BOARD_MAX_PROCESSES,
                   &b->kernel.max_processes) ||
        parse_drivers(c, km, b))
        return -1;
    b->has_kernel = true;
    return 0;
}

/* ---- top level ------------------------------------------------------------ */

static int parse_board(struct byctx *c, struct board *b)
{
    yaml_node_t *root = yaml_document_get_root_node(c->doc);
    const char *what = "a mapping with the keys name, cpu, memories, layout, "
                       "peripherals, wiring, view, kernel";
    if (!root) {
        snprintf(c->err, c->errlen, "%s:1: (document): is empty; expected %s", c->file,
                 what);
        return -1;
    }
    if (by_check_map(c, root, "", top_keys, what) ||
        by_req_str(c, root, "", "name", b->name, sizeof b->name) ||
        parse_cpu(c, root, b) || parse_memories(c, root, b) ||
        check_vtor(c, root, b) || parse_layout(c, root, b) ||
        parse_periphs(c, root, b) || board_parse_wiring(c, root, b) ||
        board_parse_view(c, root, b))
        return -1;
    return parse_kernel(c, root, b);
}

static int yaml_error(struct byctx *c, const yaml_parser_t *ps)
{
    int line = (int)ps->problem_mark.line + 1;
    if (ps->error == YAML_READER_ERROR)
        line = (int)ps->mark.line + 1;
    if (ps->error == YAML_MEMORY_ERROR)
        snprintf(c->err, c->errlen, "%s: out of memory while reading YAML", c->file);
    else if (ps->context)
        snprintf(c->err, c->errlen, "%s:%d: (yaml syntax): %s (%s started at line %d); "
                 "expected valid YAML", c->file, line, ps->problem ? ps->problem : "error",
                 ps->context, (int)ps->context_mark.line + 1);
    else
        snprintf(c->err, c->errlen, "%s:%d: (yaml syntax): %s; expected valid YAML",
                 c->file, line, ps->problem ? ps->problem : "error");
    return -1;
}

/* After the board document, only the end of the stream may follow. */
static int check_single_doc(struct byctx *c, yaml_parser_t *ps)
{
    yaml_document_t doc2;
    if (!yaml_parser_load(ps, &doc2))
        return yaml_error(c, ps);
    yaml_node_t *root = yaml_document_get_root_node(&doc2);
    int rc = 0;
    if (root)
        rc = by_fail(c, root, "(document)",
                     "a second YAML document starts here; expected exactly one document");
    yaml_document_delete(&doc2);
    return rc;
}

static int load_parsed(struct byctx *c, yaml_parser_t *ps, struct board *b)
{
    yaml_document_t doc;
    if (!yaml_parser_load(ps, &doc))
        return yaml_error(c, ps);
    c->doc = &doc;
    int rc = parse_board(c, b);
    yaml_document_delete(&doc);
    c->doc = NULL;
    return rc ? rc : check_single_doc(c, ps);
}

int board_load_string(const char *name, const char *yaml, size_t len,
                      struct board *b, char *err, size_t errlen)
{
    char dummy[8];
    struct byctx c = { name ? name : "(string)", NULL, err ? err : dummy,
                       err ? errlen : sizeof dummy };
    yaml_parser_t ps;
    memset(b, 0, sizeof *b);
    if (c.errlen)
        c.err[0] = '\0';
    if (strlen(c.file) >= sizeof b->path) {
        snprintf(c.err, c.errlen, "%.64s...: path is longer than %zu characters",
                 c.file, sizeof b->path - 1);
        return -1;
    }
    if (!yaml || !yaml_parser_initialize(&ps)) {
        snprintf(c.err, c.errlen, "%s: cannot start the YAML parser", c.file);
        return -1;
    }
    yaml_parser_set_input_string(&ps, (const unsigned char *)yaml, len);
    int rc = load_parsed(&c, &ps, b);
    yaml_parser_delete(&ps);
    if (rc) {
        memset(b, 0, sizeof *b);
        return -1;
    }
    snprintf(b->path, sizeof b->path, "%s", c.file);
    return 0;
}

/* Read all of `path` (at most BOARD_MAX_FILE bytes) into a malloc'd buffer. */
static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open board file: %s; expected a readable "
                 "board YAML file (see docs/board-yaml.md)", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(BOARD_MAX_FILE + 1);
    size_t n = buf ? fread(buf, 1, BOARD_MAX_FILE + 1, f) : 0;
    int bad = !buf || ferror(f), e = errno;
    fclose(f);
    if (bad || n > BOARD_MAX_FILE) {
        snprintf(err, errlen, "%s: %s%s; expected a board YAML file of at most %d bytes",
                 path, bad ? "cannot read the file: " : "the file is too large",
                 bad ? strerror(e) : "", BOARD_MAX_FILE);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int board_load(const char *path, struct board *b, char *err, size_t errlen)
{
    char dummy[8];
    size_t len = 0;
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    memset(b, 0, sizeof *b);
    char *text = read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = board_load_string(path, text, len, b, err, errlen);
    free(text);
    return rc;
}

/* ---- lookups -------------------------------------------------------------- */

const struct board_periph *board_find_periph(const struct board *b, const char *name)
{
    for (int i = 0; i < b->nperiphs; i++)
        if (strcmp(b->periphs[i].name, name) == 0)
            return &b->periphs[i];
    return NULL;
}

const struct board_memory *board_find_memory(const struct board *b, uint32_t addr,
                                             uint32_t size)
{
    uint64_t end = (uint64_t)addr + (size ? size : 1);
    for (int i = 0; i < b->nmemories; i++) {
        const struct board_memory *m = &b->memories[i];
        if (addr >= m->base && end <= (uint64_t)m->base + m->size)
            return m;
    }
    return NULL;
}

uint32_t board_periph_prop(const struct board_periph *p, const char *key, uint32_t dflt)
{
    for (int i = 0; i < p->nprops; i++)
        if (strcmp(p->props[i].key, key) == 0)
            return p->props[i].value;
    return dflt;
}

int board_periph_irq(const struct board_periph *p, const char *name)
{
    for (int i = 0; i < p->nirqs; i++)
        if (strcmp(p->irq_names[i], name) == 0)
            return p->irqs[i];
    return -1;
}

int board_gpio_port_count(const struct board *b)
{
    int n = 0;
    for (int i = 0; i < b->nperiphs; i++)
        n += strcmp(b->periphs[i].type, "gpio") == 0;
    return n;
}

const struct board_periph *board_gpio_port(const struct board *b, int port)
{
    for (int i = 0; i < b->nperiphs; i++)
        if (strcmp(b->periphs[i].type, "gpio") == 0 && port-- == 0)
            return &b->periphs[i];
    return NULL;
}

const struct board_driver *board_find_driver(const struct board *b, const char *name)
{
    for (int i = 0; i < b->kernel.ndrivers; i++)
        if (strcmp(b->kernel.drivers[i].name, name) == 0)
            return &b->kernel.drivers[i];
    return NULL;
}

int board_parse_pin(const char *text, struct board_pin *pin)
{
    if (!text || text[0] != 'P' || text[1] < 'A' || text[1] > 'Z')
        return -1;
    const char *d = text + 2;
    size_t nd = strspn(d, "0123456789");
    if (nd == 0 || nd > 2 || d[nd] != '\0' || (nd == 2 && d[0] == '0'))
        return -1;
    int index = atoi(d);
    if (index > 31)
        return -1;
    pin->port = text[1] - 'A';
    pin->index = index;
    return 0;
}
