/*
 * boardgen.c — turns a board YAML file (docs/board-yaml.md) into the C
 * header the kernel build uses, so no number of the board file is repeated
 * in kernel, chip or board code:
 *
 *     build/boardgen boards/hail.yaml build/gen/hail_board.h
 *
 * It reuses the simulator's own loader (sim/board*.c), so the kernel and the
 * simulator can never disagree about the board.  Output, all prefixed BOARD_:
 * cpu parameters, memories, the four layout areas, every peripheral's base,
 * size, IRQs (by name) and properties, the GPIO ports and their group IRQs,
 * LEDs / buttons / header pins (pin number = port * 32 + index, polarity),
 * the console UART, and the kernel section (scheduler, timeslice, fault
 * policy, restart threshold, process slots, driver numbers, GPIO-driver
 * pins).  Exit status 0, or 1 with the loader's message on stderr.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "board.h"

/* NAME in upper case with non-alphanumerics as '_' ("gpio_a" -> "GPIO_A"). */
static const char *upper(const char *s)
{
    static char buf[4][BOARD_TEXT_LEN];
    static int slot;
    char *o = buf[slot++ & 3];
    size_t i = 0;
    for (; s[i] && i < BOARD_TEXT_LEN - 1; i++)
        o[i] = isalnum((unsigned char)s[i]) ? (char)toupper((unsigned char)s[i]) : '_';
    o[i] = '\0';
    return o;
}

static unsigned pin_num(struct board_pin p) { return (unsigned)(p.port * 32 + p.index); }

static void def(FILE *f, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void def(FILE *f, const char *name, const char *fmt, ...)
{
    va_list ap;
    fprintf(f, "#define BOARD_%-36s ", name);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

static void gen_cpu_memory(FILE *f, const struct board *b)
{
    char n[96];
    def(f, "NAME", "\"%s\"", b->name);
    def(f, "CPU_CLOCK_HZ", "%uu", b->cpu.clock_hz);
    def(f, "CPU_VTOR", "0x%08Xu", b->cpu.vtor);
    def(f, "CPU_NUM_IRQS", "%d", b->cpu.num_irqs);
    def(f, "CPU_PRIORITY_BITS", "%d", b->cpu.priority_bits);
    def(f, "CPU_MPU_REGIONS", "%d", b->cpu.mpu_regions);
    for (int i = 0; i < b->nmemories; i++) {
        snprintf(n, sizeof n, "MEM_%s_BASE", upper(b->memories[i].name));
        def(f, n, "0x%08Xu", b->memories[i].base);
        snprintf(n, sizeof n, "MEM_%s_SIZE", upper(b->memories[i].name));
        def(f, n, "0x%08Xu", b->memories[i].size);
    }
    const char *names[] = { "KERNEL_FLASH", "APP_FLASH", "KERNEL_RAM", "APP_RAM" };
    const struct board_area *areas[] = { &b->kernel_flash, &b->app_flash, &b->kernel_ram, &b->app_ram };
    for (int i = 0; i < 4; i++) {
        snprintf(n, sizeof n, "%s_BASE", names[i]);
        def(f, n, "0x%08Xu", areas[i]->base);
        snprintf(n, sizeof n, "%s_SIZE", names[i]);
        def(f, n, "0x%08Xu", areas[i]->size);
    }
}

static void gen_periph(FILE *f, const struct board_periph *p)
{
    char n[96];
    snprintf(n, sizeof n, "%s_BASE", upper(p->name));
    def(f, n, "0x%08Xu", p->base);
    snprintf(n, sizeof n, "%s_SIZE", upper(p->name));
    def(f, n, "0x%08Xu", p->size);
    for (int k = 0; k < p->nirqs; k++) {
        snprintf(n, sizeof n, "%s_IRQ_%s", upper(p->name), upper(p->irq_names[k]));
        def(f, n, "%d", p->irqs[k]);
    }
    for (int k = 0; k < p->nprops; k++) {
        snprintf(n, sizeof n, "%s_%s", upper(p->name), upper(p->props[k].key));
        def(f, n, "%uu", p->props[k].value);
    }
}

/* GPIO ports in port order: bases and the four group IRQs of each. */
static void gen_gpio_ports(FILE *f, const struct board *b)
{
    int np = board_gpio_port_count(b);
    def(f, "GPIO_PORTS", "%d", np);
    fprintf(f, "#define BOARD_GPIO_PORT_BASES {");
    for (int i = 0; i < np; i++)
        fprintf(f, "%s 0x%08Xu", i ? "," : "", board_gpio_port(b, i)->base);
    fprintf(f, " }\n#define BOARD_GPIO_PORT_IRQS {");
    for (int i = 0; i < np; i++) {
        const struct board_periph *p = board_gpio_port(b, i);
        fprintf(f, "%s {", i ? "," : "");
        for (int g = 0; g < 4; g++) {
            char name[16];
            snprintf(name, sizeof name, "group%d", g);
            fprintf(f, "%s %d", g ? "," : "", board_periph_irq(p, name));
        }
        fprintf(f, " }");
    }
    fprintf(f, " }\n");
}

static void gen_pin(FILE *f, const char *prefix, const char *name, struct board_pin pin, int active_low)
{
    char n[96];
    snprintf(n, sizeof n, "%s_%s_PIN", prefix, upper(name));
    def(f, n, "%u   /* P%c%d */", pin_num(pin), 'A' + pin.port, pin.index);
    if (active_low >= 0) {
        snprintf(n, sizeof n, "%s_%s_ACTIVE_LOW", prefix, upper(name));
        def(f, n, "%d", active_low);
    }
}

/* LEDs, buttons, header pins: one define each, plus initialiser lists
 * { pin, active_low } in board order. */
static void gen_wiring(FILE *f, const struct board *b)
{
    def(f, "NUM_LEDS", "%d", b->nleds);
    for (int i = 0; i < b->nleds; i++)
        gen_pin(f, "LED", b->leds[i].name, b->leds[i].pin, b->leds[i].active_low);
    fprintf(f, "#define BOARD_LEDS {");
    for (int i = 0; i < b->nleds; i++)
        fprintf(f, "%s { %u, %d }", i ? "," : "", pin_num(b->leds[i].pin), b->leds[i].active_low);
    fprintf(f, " }\n");
    def(f, "NUM_BUTTONS", "%d", b->nbuttons);
    for (int i = 0; i < b->nbuttons; i++)
        gen_pin(f, "BUTTON", b->buttons[i].name, b->buttons[i].pin, b->buttons[i].active_low);
    fprintf(f, "#define BOARD_BUTTONS {");
    for (int i = 0; i < b->nbuttons; i++)
        fprintf(f, "%s { %u, %d }", i ? "," : "", pin_num(b->buttons[i].pin), b->buttons[i].active_low);
    fprintf(f, " }\n");
    for (int i = 0; i < b->nheader_pins; i++)
        gen_pin(f, "HEADER", b->header_pins[i].label, b->header_pins[i].pin, -1);
}

/* The console UART: name, base, IRQ, baud, and its index among the usart
 * peripherals in file order (usart0 = 0: the chip's clock-mask bit). */
static void gen_console(FILE *f, const struct board *b)
{
    if (!b->has_console)
        return;
    const struct board_periph *p = board_find_periph(b, b->console.uart);
    int index = 0;
    for (const struct board_periph *q = b->periphs; q < p; q++)
        index += strcmp(q->type, "usart") == 0;
    def(f, "CONSOLE_UART", "\"%s\"", p->name);
    def(f, "CONSOLE_UART_INDEX", "%d", index);
    def(f, "CONSOLE_UART_BASE", "0x%08Xu", p->base);
    def(f, "CONSOLE_UART_IRQ", "%d", board_periph_irq(p, "irq"));
    def(f, "CONSOLE_BAUD", "%uu", b->console.baud);
}

static void gen_kernel(FILE *f, const struct board *b)
{
    static const char *const fp_enum[] = {
        "FAULT_POLICY_PANIC", "FAULT_POLICY_STOP", "FAULT_POLICY_RESTART",
        "FAULT_POLICY_RESTART_THEN_STOP", "FAULT_POLICY_RESTART_THEN_PANIC",
    };
    const struct board_kernel *k = &b->kernel;
    char n[96];
    if (!b->has_kernel)
        return;
    def(f, "KERNEL_SCHEDULER", "\"%s\"", board_sched_names[k->scheduler]);
    snprintf(n, sizeof n, "KERNEL_SCHED_%s", upper(board_sched_names[k->scheduler]));
    def(f, n, "1");
    def(f, "KERNEL_TIMESLICE_US", "%uu", k->timeslice_us);
    def(f, "KERNEL_FAULT_POLICY", "%s", fp_enum[k->fault_policy]);
    def(f, "KERNEL_FAULT_POLICY_NAME", "\"%s\"", board_fault_policy_names[k->fault_policy]);
    def(f, "KERNEL_RESTART_THRESHOLD", "%uu", k->restart_threshold);
    def(f, "KERNEL_MAX_PROCESSES", "%d", k->max_processes);
    for (int i = 0; i < k->ndrivers; i++) {
        const struct board_driver *d = &k->drivers[i];
        snprintf(n, sizeof n, "DRIVER_%s_NUM", upper(d->name));
        def(f, n, "0x%Xu", d->num);
        if (!d->npins)
            continue;
        snprintf(n, sizeof n, "DRIVER_%s_NPINS", upper(d->name));
        def(f, n, "%d", d->npins);
        fprintf(f, "#define BOARD_DRIVER_%s_PINS {", upper(d->name));
        for (int p = 0; p < d->npins; p++)
            fprintf(f, "%s %u", p ? "," : "", pin_num(d->pins[p]));
        fprintf(f, " }   /*");
        for (int p = 0; p < d->npins; p++)
            fprintf(f, " %s=P%c%d", d->pin_names[p], 'A' + d->pins[p].port, d->pins[p].index);
        fprintf(f, " */\n");
    }
}

static int generate(FILE *f, const struct board *b, const char *src)
{
    fprintf(f, "/* %s — generated by tools/boardgen.c from %s; do not edit.\n"
               " * Pin numbers are port * 32 + index (PA13 = 13, PB14 = 46). */\n"
               "#ifndef BOARD_GENERATED_H\n#define BOARD_GENERATED_H\n\n", "Board constants", src);
    gen_cpu_memory(f, b);
    fputc('\n', f);
    for (int i = 0; i < b->nperiphs; i++)
        gen_periph(f, &b->periphs[i]);
    gen_gpio_ports(f, b);
    fputc('\n', f);
    gen_wiring(f, b);
    gen_console(f, b);
    fputc('\n', f);
    gen_kernel(f, b);
    fprintf(f, "\n#endif\n");
    return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
    static struct board b;
    char err[512];
    if (argc != 3) {
        fprintf(stderr, "usage: boardgen BOARD.yaml OUT.h\n");
        return 2;
    }
    if (board_load(argv[1], &b, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (!b.has_kernel) {
        fprintf(stderr, "%s: (document): has no kernel section; expected a kernel: mapping "
                "(docs/board-yaml.md) to build a kernel for this board\n", argv[1]);
        return 1;
    }
    FILE *f = fopen(argv[2], "w");
    if (!f || generate(f, &b, argv[1]) || fclose(f)) {
        perror(argv[2]);
        remove(argv[2]);
        return 1;
    }
    return 0;
}
