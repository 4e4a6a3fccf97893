/*
 * board.h — the board description, loaded from a YAML file (boards/hail.yaml).
 *
 * This is the single source of truth for the simulated machine: memory
 * regions, CPU parameters, the peripherals with their base addresses and
 * IRQs, the areas reserved for the kernel and the apps, how the board parts
 * (LEDs, buttons, console, header pins) are wired to chip pins, and how the
 * board is drawn.  The schema is documented in docs/board-yaml.md.
 *
 * board_load() validates everything it reads; every error names the file,
 * the line and the field, and says what was expected.
 */
#ifndef HAILSIM_BOARD_H
#define HAILSIM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_NAME_LEN 32
#define BOARD_TEXT_LEN 64
#define BOARD_MAX_MEMORIES 8
#define BOARD_MAX_PERIPHS 32
#define BOARD_MAX_PERIPH_IRQS 16
#define BOARD_MAX_PROPS 8
#define BOARD_MAX_LEDS 8
#define BOARD_MAX_BUTTONS 4
#define BOARD_MAX_HEADER_PINS 16
#define BOARD_MAX_VIEW_PARTS 64
#define BOARD_MAX_PROCESSES 20      /* = KERNEL_MAX_PROCS of kernel/kernel.h */
#define BOARD_MAX_DRIVERS 24        /* = KERNEL_MAX_DRIVERS */
#define BOARD_MAX_DRIVER_PINS 16

enum board_mem_kind { BOARD_MEM_FLASH, BOARD_MEM_RAM };

struct board_memory {
    char name[BOARD_NAME_LEN];
    enum board_mem_kind kind;   /* flash: read/execute for the guest; ram: read/write/execute */
    uint32_t base, size;
    int line;                   /* YAML line, for later error messages */
};

/* A sub-range of a memory region reserved for one purpose (kernel, apps). */
struct board_area {
    uint32_t base, size;
};

struct board_cpu {
    char model[BOARD_NAME_LEN]; /* "cortex-m4" is the only one accepted today */
    uint32_t clock_hz;          /* core clock: 1 instruction = 1 cycle of this clock */
    uint32_t vtor;              /* vector table address at reset */
    int num_irqs;               /* external interrupt lines of the NVIC (1..240) */
    int priority_bits;          /* implemented priority bits (2..8) */
    int mpu_regions;            /* PMSAv7 regions (0, 8 or 16) */
};

/* Extra per-type numeric property of a peripheral (e.g. "clock_hz: 32768"). */
struct board_prop {
    char key[BOARD_NAME_LEN];
    uint32_t value;
};

struct board_periph {
    char name[BOARD_NAME_LEN];  /* unique, e.g. "ast", "gpio_a", "usart0" */
    char type[BOARD_NAME_LEN];  /* model type, one of board_known_periph_types[] */
    uint32_t base, size;        /* MMIO window */
    int nirqs;
    int irqs[BOARD_MAX_PERIPH_IRQS];                   /* NVIC line numbers */
    char irq_names[BOARD_MAX_PERIPH_IRQS][BOARD_NAME_LEN];
    int nprops;
    struct board_prop props[BOARD_MAX_PROPS];
    int line;
};

/* A chip pin such as "PA13": port letter index (0 = A) and pin number. */
struct board_pin {
    int port;
    int index;
};

struct board_led {
    char name[BOARD_NAME_LEN];
    struct board_pin pin;
    bool active_low;
    uint32_t color_rgb;         /* 0xRRGGBB, for the window */
};

struct board_button {
    char name[BOARD_NAME_LEN];
    struct board_pin pin;
    bool active_low;
};

struct board_header_pin {
    char label[BOARD_NAME_LEN];
    struct board_pin pin;
};

struct board_console {
    char uart[BOARD_NAME_LEN];  /* name of a peripheral of type "usart" */
    uint32_t baud;
};

enum board_view_kind {
    BOARD_VIEW_CHIP, BOARD_VIEW_LED, BOARD_VIEW_BUTTON, BOARD_VIEW_PIN, BOARD_VIEW_LABEL
};

struct board_view_part {
    enum board_view_kind kind;
    char ref[BOARD_NAME_LEN];   /* name of the LED / button / header pin it shows, if any */
    char label[BOARD_TEXT_LEN];
    int x, y, w, h;
    uint32_t color_rgb;
};

struct board_view {
    int width, height;
    uint32_t color_rgb;
    int nparts;
    struct board_view_part parts[BOARD_MAX_VIEW_PARTS];
};

/* The kernel section: what the kernel built for this board is configured
 * with (scheduler, fault policy, syscall driver numbers); boardgen turns it
 * into #defines. */
enum board_sched { BOARD_SCHED_ROUND_ROBIN, BOARD_SCHED_COOPERATIVE, BOARD_SCHED_PRIORITY,
                   BOARD_SCHED_MLFQ };
enum board_fault_policy { BOARD_FAULT_PANIC, BOARD_FAULT_STOP, BOARD_FAULT_RESTART,
                          BOARD_FAULT_RESTART_THEN_STOP, BOARD_FAULT_RESTART_THEN_PANIC };

struct board_driver {
    char name[BOARD_NAME_LEN];  /* one of board_known_drivers[] */
    uint32_t num;               /* Tock driver number */
    int npins;                  /* gpio only: the pins it offers, in driver order */
    struct board_pin pins[BOARD_MAX_DRIVER_PINS];
    char pin_names[BOARD_MAX_DRIVER_PINS][BOARD_NAME_LEN];   /* as written (D0 or PB14) */
    int line;
};

struct board_kernel {
    enum board_sched scheduler;
    uint32_t timeslice_us;      /* round robin (default 10000) */
    enum board_fault_policy fault_policy;
    uint32_t restart_threshold; /* restart_then_stop / restart_then_panic */
    int max_processes;
    int ndrivers;
    struct board_driver drivers[BOARD_MAX_DRIVERS];
};

struct board {
    char path[256];             /* file it was loaded from */
    char name[BOARD_TEXT_LEN];
    struct board_cpu cpu;
    int nmemories;
    struct board_memory memories[BOARD_MAX_MEMORIES];
    struct board_area kernel_flash, kernel_ram, app_flash, app_ram;
    int nperiphs;
    struct board_periph periphs[BOARD_MAX_PERIPHS];
    int nleds;
    struct board_led leds[BOARD_MAX_LEDS];
    int nbuttons;
    struct board_button buttons[BOARD_MAX_BUTTONS];
    int nheader_pins;
    struct board_header_pin header_pins[BOARD_MAX_HEADER_PINS];
    bool has_console;
    struct board_console console;
    struct board_view view;
    bool has_kernel;            /* the optional `kernel:` section is present */
    struct board_kernel kernel;
};

/* NULL-terminated list of peripheral types the loader accepts. */
extern const char *const board_known_periph_types[];
/* NULL-terminated names of the kernel section's enumerations, in enum order,
 * and the syscall driver names it accepts. */
extern const char *const board_sched_names[];
extern const char *const board_fault_policy_names[];
extern const char *const board_known_drivers[];

/* Load and validate `path` into `b`.  Returns 0, or -1 with a message of the
 * form "FILE:LINE: FIELD: what was wrong, what was expected" in err. */
int board_load(const char *path, struct board *b, char *err, size_t errlen);

/* Same, from a string already in memory (for tests); `name` is used as FILE. */
int board_load_string(const char *name, const char *yaml, size_t len,
                      struct board *b, char *err, size_t errlen);

const struct board_periph *board_find_periph(const struct board *b, const char *name);
const struct board_memory *board_find_memory(const struct board *b, uint32_t addr, uint32_t size);
/* Look up a numeric property; returns `dflt` when absent. */
uint32_t board_periph_prop(const struct board_periph *p, const char *key, uint32_t dflt);
/* Parse "PA13" style pin names; returns 0 or -1. */
int board_parse_pin(const char *text, struct board_pin *pin);

/* Added helpers (board loader). */
/* NVIC line of the IRQ named `name` of p (e.g. "alarm"), or -1. */
int board_periph_irq(const struct board_periph *p, const char *name);
/* Number of gpio peripherals = number of pin ports (A, B, C, ...). */
int board_gpio_port_count(const struct board *b);
/* The gpio peripheral of port `port` (0 = A): the port-th peripheral of type
 * "gpio" in file order; NULL if there is none. */
const struct board_periph *board_gpio_port(const struct board *b, int port);
/* The kernel section's driver named `name`, or NULL. */
const struct board_driver *board_find_driver(const struct board *b, const char *name);

#endif
