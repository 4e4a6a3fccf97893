/*
 * fuzz_board.c — libFuzzer target: the board YAML loader
 * (sim/board.c, board_load_string, with board_yaml.c and board_wiring.c on
 * libyaml).  A board it accepts must satisfy the invariants the simulator
 * relies on without re-checking (counts inside the arrays, NUL-terminated names).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_name(const char *s, size_t cap)
{
    if (memchr(s, '\0', cap) == NULL)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct board *b = malloc(sizeof *b);
    char err[1024];
    char *text = malloc(size ? size : 1);       /* not NUL-terminated: the loader takes a length */
    if (!b || !text) {
        free(b);
        free(text);
        return 0;
    }
    memcpy(text, data, size);
    int rc = board_load_string("fuzz.yaml", text, size, b, err, sizeof err);
    if (rc != 0) {
        if (err[0] == '\0' || memchr(err, '\0', sizeof err) == NULL)
            abort();
    } else {
        if (b->nmemories < 0 || b->nmemories > BOARD_MAX_MEMORIES || b->nperiphs < 0 ||
            b->nperiphs > BOARD_MAX_PERIPHS || b->nleds < 0 || b->nleds > BOARD_MAX_LEDS ||
            b->nbuttons < 0 || b->nbuttons > BOARD_MAX_BUTTONS || b->nheader_pins < 0 ||
            b->nheader_pins > BOARD_MAX_HEADER_PINS || b->view.nparts < 0 ||
            b->view.nparts > BOARD_MAX_VIEW_PARTS || b->kernel.ndrivers < 0 ||
            b->kernel.ndrivers > BOARD_MAX_DRIVERS)
            abort();
        check_name(b->name, sizeof b->name);
        for (int i = 0; i < b->nperiphs; i++) {
            const struct board_periph *p = &b->periphs[i];
            check_name(p->name, sizeof p->name);
            if (p->nirqs < 0 || p->nirqs > BOARD_MAX_PERIPH_IRQS || p->nprops < 0 ||
                p->nprops > BOARD_MAX_PROPS)
                abort();
            (void)board_find_periph(b, p->name);
        }
        for (int i = 0; i < b->kernel.ndrivers; i++)
            if (b->kernel.drivers[i].npins < 0 || b->kernel.drivers[i].npins > BOARD_MAX_DRIVER_PINS)
                abort();
        for (int port = 0; port < board_gpio_port_count(b); port++)
            (void)board_gpio_port(b, port);
        (void)board_find_memory(b, b->cpu.vtor, 8);
    }
    free(text);
    free(b);
    return 0;
}
