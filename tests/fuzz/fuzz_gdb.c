/*
 * fuzz_gdb.c — libFuzzer target: the GDB remote protocol stub (sim/gdb.c)
 * without a socket: gdb_fuzz_feed() (the marked fuzzing entry point at the
 * end of gdb.c) runs the bytes through the packet framing ($data#cs, acks,
 * Ctrl-C, noise) and the packet handler (registers, memory, breakpoints,
 * watchpoints, threads, qXfer, vCont ...) on a real machine: the Hail board
 * (boards/hail.yaml, so run from the repository root), page-protection MPU,
 * a vector table at 0.  The machine is created once and reset every 256
 * inputs, so state written by one input (memory, registers) may be seen by
 * the next few; the regression driver replays each input on a fresh machine.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int gdb_fuzz_feed(struct machine *m, const uint8_t *data, size_t len);

static struct machine *machine;

static void die(const char *what, const char *err)
{
    fprintf(stderr, "fuzz_gdb: %s: %s (run from the repository root)\n", what, err);
    exit(2);
}

static void reset(struct machine *m)
{
    char err[512];
    if (machine_write32(m, 0x0, 0x20010000u) != 0 || machine_write32(m, 0x4, 0x00000201u) != 0)
        die("vector table", "machine_write32 failed");
    m->elf_vtor = 0;
    if (machine_reset(m, err, sizeof err) != 0)
        die("machine_reset", err);
}

static struct machine *get_machine(void)
{
    static unsigned runs;
    char err[512];
    if (!machine) {
        struct board *b = calloc(1, sizeof *b);
        machine = calloc(1, sizeof *machine);
        if (!b || !machine)
            die("calloc", "out of memory");
        if (board_load("boards/hail.yaml", b, err, sizeof err) != 0)
            die("board_load", err);
        if (machine_create(machine, b, NULL, err, sizeof err) != 0)
            die("machine_create", err);
        reset(machine);
    } else if (++runs % 256 == 0) {
        reset(machine);
    }
    return machine;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct machine *m = get_machine();
    if (gdb_fuzz_feed(m, data, size) < 0)
        abort();
    return 0;
}
