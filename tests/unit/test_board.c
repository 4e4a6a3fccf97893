/*
 * test_board.c — unit tests of the board description loader (sim/board*.c):
 * the real boards/hail.yaml loads with the expected values (also its kernel
 * section), every kind of
 * malformed input is refused with "FILE:LINE: FIELD: problem; expected ..."
 * naming the right line and field, the lookup helpers work, and no input
 * (truncated or corrupted) makes the loader crash.
 *
 * The malformed boards are variants of BASE below: each case replaces one
 * piece of text, and the expected line is the line where a marker string
 * lands in the modified text.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"

#ifndef HAIL_YAML
#define HAIL_YAML "boards/hail.yaml"
#endif

/* A small valid board; the cases below edit it. */
static const char BASE[] =
    "name: Test board\n"
    "cpu:\n"
    "  model: cortex-m4\n"
    "  clock_hz: 48000000\n"
    "  vtor: 0x10000\n"
    "  num_irqs: 80\n"
    "  priority_bits: 4\n"
    "  mpu_regions: 8\n"
    "memories:\n"
    "  - name: flash\n"
    "    kind: flash\n"
    "    base: 0x0\n"
    "    size: 512KiB\n"
    "  - name: sram\n"
    "    kind: ram\n"
    "    base: 0x20000000\n"
    "    size: 64KiB\n"
    "layout:\n"
    "  kernel_flash: {base: 0x10000, size: 0x20000}\n"
    "  app_flash: {base: 0x30000, size: 0x40000}\n"
    "  kernel_ram: {base: 0x20000000, size: 0x8000}\n"
    "  app_ram: {base: 0x20008000, size: 0x8000}\n"
    "peripherals:\n"
    "  - {name: ast, type: ast, base: 0x400F0800, size: 0x400,\n"
    "     irqs: {alarm: 39, per: 40}, props: {clock_hz: 32768}}\n"
    "  - {name: gpio_a, type: gpio, base: 0x400E1000, size: 0x200, irqs: {group0: 25}}\n"
    "  - {name: gpio_b, type: gpio, base: 0x400E1200, size: 0x200}\n"
    "  - {name: usart0, type: usart, base: 0x40024000, size: 0x4000, irqs: {irq: 65}}\n"
    "  - {name: trng, type: trng, base: 0x40068000, size: 0x100, irqs: {irq: 73}}\n"
    "wiring:\n"
    "  leds:\n"
    "    - {name: red, pin: PA13, active_low: true, color: 0xFF0000}\n"
    "    - {name: green, pin: PA15, active_low: true, color: 0x00FF00}\n"
    "  buttons:\n"
    "    - {name: user, pin: PA16, active_low: true}\n"
    "  console: {uart: usart0, baud: 115200}\n"
    "  header: {D0: PB14, D1: PB15}\n"
    "view:\n"
    "  width: 320\n"
    "  height: 640\n"
    "  parts:\n"
    "    - {kind: chip, label: SAM4L, x: 90, y: 290, w: 110, h: 110}\n"
    "    - {kind: led, ref: red, x: 140, y: 460, w: 36, h: 36}\n"
    "    - {kind: button, ref: reset, x: 190, y: 540, w: 56, h: 40}\n"
    "    - {kind: pin, ref: D0, label: D0, x: 288, y: 580, w: 24, h: 24}\n";

/* One malformed variant: replace `from` by `to` in BASE (from == NULL:
 * append `to`); the error must be on the line where `at` is found in the
 * result, name `path`, and contain `says`. */
struct bad_case {
    const char *from, *to, *at, *path, *says;
};

#define IRQS17 "irqs: {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, " \
               "j: 10, k: 11, l: 12, m: 13, n: 14, o: 15, p: 16, q: 17}"

static const struct bad_case BAD[] = {
    /* missing required fields */
    { "name: Test board\n", "", "cpu:", "name", "missing; expected a string" },
    { "    size: 64KiB\n", "", "- name: sram", "memories[1].size", "missing; expected an integer" },
    { "  app_ram: {base: 0x20008000, size: 0x8000}\n", "", "kernel_flash:", "layout.app_ram",
      "missing; expected a mapping" },
    { "  num_irqs: 80\n", "", "model:", "cpu.num_irqs", "missing; expected" },
    { "type: trng, ", "", "name: trng", "peripherals[4].type", "missing; expected" },
    { "{name: red, pin: PA13,", "{name: red,", "name: red", "wiring.leds[0].pin", "missing; expected a pin" },
    { "color: 0xFF0000}", "}", "name: red", "wiring.leds[0].color", "missing; expected a colour" },
    { "{kind: led, ref: red,", "{kind: led,", "kind: led", "view.parts[1].ref", "missing; expected the name of an LED" },
    { "{kind: chip, label: SAM4L,", "{kind: chip,", "kind: chip", "view.parts[0].label", "missing" },
    /* wrong types */
    { "    size: 64KiB", "    size: big", "size: big", "memories[1].size", "'big' is not a number; expected an integer" },
    { "  num_irqs: 80", "  num_irqs: -3", "num_irqs", "cpu.num_irqs", "-3 is negative; expected an integer 1..240" },
    { "  clock_hz: 48000000", "  clock_hz: 48.5", "clock_hz", "cpu.clock_hz", "48.5 is not an integer" },
    { "  clock_hz: 48000000", "  clock_hz: 4.8e7", "clock_hz", "cpu.clock_hz", "is not an integer" },
    { "    size: 64KiB", "    size: \"64\"", "size: \"64\"", "memories[1].size", "is a quoted string; expected" },
    { "    size: 64KiB", "    size: 64GiB", "size: 64GiB", "memories[1].size", "is not a number" },
    { "  num_irqs: 80", "  num_irqs: [80]", "num_irqs", "cpu.num_irqs", "is a list; expected an integer" },
    { "  num_irqs: 80", "  num_irqs:", "num_irqs", "cpu.num_irqs", "has no value; expected" },
    { "  kernel_flash: {base: 0x10000, size: 0x20000}", "  kernel_flash: [0x10000, 0x20000]",
      "kernel_flash", "layout.kernel_flash", "is a list; expected a mapping (base, size)" },
    { "  leds:\n    - {name: red, pin: PA13, active_low: true, color: 0xFF0000}\n"
      "    - {name: green, pin: PA15, active_low: true, color: 0x00FF00}\n",
      "  leds: {name: red, pin: PA13, color: 0xFF0000}\n", "leds:", "wiring.leds",
      "is a mapping; expected a list" },
    { "active_low: true, color: 0xFF0000", "active_low: yes, color: 0xFF0000", "name: red",
      "wiring.leds[0].active_low", "'yes' is not a boolean; expected true or false" },
    { "color: 0xFF0000", "color: 0x1000000", "name: red", "wiring.leds[0].color",
      "out of range; expected an integer 0x0..0xFFFFFF" },
    { "  model: cortex-m4", "  model: cortex-m0", "model:", "cpu.model", "'cortex-m0' is not known; expected one of: cortex-m4" },
    { "    kind: ram", "    kind: rom", "kind: rom", "memories[1].kind", "expected one of: flash, ram" },
    /* out of range */
    { "  num_irqs: 80", "  num_irqs: 300", "num_irqs", "cpu.num_irqs", "300 is out of range; expected an integer 1..240" },
    { "  priority_bits: 4", "  priority_bits: 9", "priority_bits", "cpu.priority_bits", "expected an integer 2..8" },
    { "  mpu_regions: 8", "  mpu_regions: 7", "mpu_regions", "cpu.mpu_regions", "expected 0, 8 or 16" },
    { "  clock_hz: 48000000", "  clock_hz: 5000000000", "clock_hz", "cpu.clock_hz", "out of range" },
    { "  vtor: 0x10000", "  vtor: 0x10004", "vtor", "cpu.vtor", "expected a multiple of 128" },
    { "  vtor: 0x10000", "  vtor: 0x90000000", "vtor", "cpu.vtor", "not inside one memory region" },
    { "base: 0x40068000, size: 0x100", "base: 0x40068000, size: 0", "name: trng", "peripherals[4].size",
      "0 is out of range; expected an integer 0x1..0xFFFFFFFF" },
    { "base: 0x40068000", "base: 0x140068000", "name: trng", "peripherals[4].base", "out of range" },
    { "    base: 0x20000000\n    size: 64KiB", "    base: 0xFFFF0000\n    size: 128KiB",
      "size: 128KiB", "memories[1].size",
      "passes the end of the 4 GiB address space" },
    { "    base: 0x20000000", "    base: 0x20000100", "0x20000100", "memories[1].base",
      "expected a multiple of 0x1000" },
    { "x: 288, y: 580", "x: 300, y: 580", "kind: pin", "view.parts[3].w", "past the right edge; expected x + w <= view.width (320)" },
    { "  width: 320", "  width: 8", "width", "view.width", "expected an integer 16..4096" },
    /* unknown keys, at every level */
    { NULL, "colour: red\n", "colour", "colour", "unknown key; expected one of: name, cpu, memories" },
    { "  mpu_regions: 8\n", "  mpu_regions: 8\n  fpu: true\n", "fpu", "cpu.fpu", "unknown key; expected one of: model, clock_hz" },
    { "    kind: ram\n", "    kind: ram\n    speed: 1\n", "speed", "memories[1].speed", "unknown key" },
    { "  app_ram: {base: 0x20008000, size: 0x8000}", "  app_ram: {base: 0x20008000, size: 0x8000, align: 4}",
      "app_ram", "layout.app_ram.align", "unknown key; expected one of: base, size" },
    { "layout:\n", "layout:\n  boot_flash: {base: 0, size: 0x10000}\n", "boot_flash", "layout.boot_flash", "unknown key" },
    { "size: 0x100, irqs", "size: 0x100, foo: 1, irqs", "name: trng", "peripherals[4].foo", "unknown key" },
    { "w: 24, h: 24}", "w: 24, h: 24, z: 1}", "kind: pin", "view.parts[3].z", "unknown key" },
    { "color: 0xFF0000}", "color: 0xFF0000, blink: true}", "name: red", "wiring.leds[0].blink", "unknown key" },
    { "  console: {uart: usart0, baud: 115200}", "  console: {uart: usart0, baud: 115200, parity: none}",
      "console", "wiring.console.parity", "unknown key; expected one of: uart, baud" },
    { "  header:", "  speaker: {}\n  header:", "speaker", "wiring.speaker", "unknown key" },
    { "  height: 640", "  height: 640\n  depth: 3", "depth", "view.depth", "unknown key" },
    { "  num_irqs: 80\n", "  num_irqs: 80\n  num_irqs: 81\n", "num_irqs: 81", "cpu.num_irqs",
      "duplicate key (first at line 6)" },
    /* memories and layout */
    { "    base: 0x20000000", "    base: 0x70000", "0x70000", "memories[1].base",
      "overlaps memories[0] 'flash' (0x00000000..0x0007FFFF, line 10); expected non-overlapping" },
    { "  app_ram: {base: 0x20008000, size: 0x8000}", "  app_ram: {base: 0x20008000, size: 0x9000}",
      "app_ram", "layout.app_ram.base", "is not inside one memory region; expected it inside a ram region" },
    { "  app_flash: {base: 0x30000, size: 0x40000}", "  app_flash: {base: 0x20010000, size: 0x1000}",
      "app_flash", "layout.app_flash.base", "is not inside one memory region" },
    { "  app_flash: {base: 0x30000, size: 0x40000}", "  app_flash: {base: 0x20000000, size: 0x1000}",
      "app_flash", "layout.app_flash.base", "lies in ram region 'sram'; expected it inside a flash region" },
    { "  kernel_ram: {base: 0x20000000, size: 0x8000}", "  kernel_ram: {base: 0x70000, size: 0x8000}",
      "kernel_ram", "layout.kernel_ram.base", "lies in flash region 'flash'; expected it inside a ram region" },
    { "  app_flash: {base: 0x30000, size: 0x40000}", "  app_flash: {base: 0x28000, size: 0x40000}",
      "app_flash", "layout.app_flash.base", "overlaps layout.kernel_flash (0x00010000..0x0002FFFF, line 19)" },
    { "  app_ram: {base: 0x20008000, size: 0x8000}", "  app_ram: {base: 0x20007000, size: 0x8000}",
      "app_ram", "layout.app_ram.base", "overlaps layout.kernel_ram" },
    /* peripherals */
    { "base: 0x40068000", "base: 0x400E1100", "name: trng", "peripherals[4].base",
      "overlaps peripherals[1] 'gpio_a' (0x400E1000..0x400E11FF, line 26); expected non-overlapping" },
    { "base: 0x40068000", "base: 0x20001000", "name: trng", "peripherals[4].base",
      "overlaps memories[1] 'sram'" },
    { "type: trng", "type: rng", "name: trng", "peripherals[4].type",
      "'rng' is not known; expected one of: ast, gpio, usart, trng, pm, scif, bpm, bscif, flashcalw, pdca" },
    { "irqs: {irq: 73}", "irqs: {irq: 93}", "name: trng", "peripherals[4].irqs.irq",
      "93 is out of range; expected an integer 0..79 (decimal or 0x hex) (cpu.num_irqs = 80)" },
    { "irqs: {irq: 73}", "irqs: {irq: 80}", "name: trng", "peripherals[4].irqs.irq", "80 is out of range" },
    { "irqs: {irq: 73}", "irqs: {irq: -1}", "name: trng", "peripherals[4].irqs.irq", "-1 is negative" },
    { "irqs: {irq: 73}", "irqs: {irq: 65}", "name: trng", "peripherals[4].irqs.irq",
      "IRQ 65 is already used by peripherals[3].irqs.irq (line 28); expected each IRQ line used once" },
    { "irqs: {alarm: 39, per: 40}", "irqs: {alarm: 39, per: 39}", "irqs: {alarm", "peripherals[0].irqs.per",
      "IRQ 39 is already used by peripherals[0].irqs.alarm" },
    { "irqs: {alarm: 39, per: 40}", "irqs: {alarm: 39, alarm: 40}", "irqs: {alarm", "peripherals[0].irqs.alarm",
      "duplicate key" },
    { "irqs: {irq: 73}", "irqs: [73]", "name: trng", "peripherals[4].irqs", "is a list; expected a mapping of IRQ names" },
    { "irqs: {irq: 73}", IRQS17, "name: trng", "peripherals[4].irqs", "has 17 IRQs; expected at most 16" },
    { "{name: trng,", "{name: usart0,", "name: usart0, type: trng", "peripherals[4].name",
      "'usart0' is already used by peripherals[3] (line 28); expected unique names" },
    { "{name: trng,", "{name: a_very_long_peripheral_name_of_40_chars_,", "a_very_long", "peripherals[4].name",
      "is 40 characters long; expected a string of 1..31 characters" },
    { "props: {clock_hz: 32768}", "props: {clock_hz: fast}", "props", "peripherals[0].props.clock_hz", "not a number" },
    { "  - name: sram", "  - name: flash", "name: flash\n    kind: ram", "memories[1].name",
      "'flash' is already used by memories[0] (line 10); expected unique names" },
    /* wiring */
    { "pin: PA13", "pin: PZ99", "name: red", "wiring.leds[0].pin",
      "'PZ99' is not a pin name; expected P<port letter><0..31>, e.g. PA13" },
    { "pin: PA13", "pin: A13", "name: red", "wiring.leds[0].pin", "'A13' is not a pin name" },
    { "pin: PA13", "pin: PA32", "name: red", "wiring.leds[0].pin", "'PA32' is not a pin name" },
    { "pin: PA13", "pin: PC3", "name: red", "wiring.leds[0].pin",
      "'PC3': port C does not exist; expected a port A..B (one per gpio peripheral" },
    { "  - {name: gpio_b, type: gpio, base: 0x400E1200, size: 0x200}\n", "", "header", "wiring.header.D0",
      "'PB14': port B does not exist; expected a port A..A" },
    { "pin: PA15", "pin: PA13", "name: green", "wiring.leds[1].pin",
      "pin PA13 is already wired to wiring.leds[0].pin (line 32); expected each pin wired once" },
    { "D1: PB15", "D1: PA16", "header", "wiring.header.D1", "already wired to wiring.buttons[0].pin" },
    { "{name: green,", "{name: red,", "name: red, pin: PA15", "wiring.leds[1].name",
      "'red' is already used by wiring.leds[0]; expected unique names" },
    { "uart: usart0", "uart: trng", "console", "wiring.console.uart",
      "'trng' is a trng peripheral; expected the name of a usart peripheral" },
    { "uart: usart0", "uart: usart9", "console", "wiring.console.uart",
      "'usart9' is not a peripheral; expected the name of a usart peripheral" },
    { "baud: 115200", "baud: 0", "console", "wiring.console.baud", "out of range; expected an integer 300..3000000" },
    /* view */
    { "ref: red,", "ref: purple,", "kind: led", "view.parts[1].ref",
      "'purple' does not exist; expected the name of an LED in wiring.leds" },
    { "ref: reset,", "ref: power,", "kind: button", "view.parts[2].ref",
      "'power' does not exist; expected the name of a button in wiring.buttons, or reset" },
    { "ref: D0,", "ref: D9,", "kind: pin", "view.parts[3].ref",
      "'D9' does not exist; expected a header pin label in wiring.header" },
    { "ref: red,", "ref: user,", "kind: led", "view.parts[1].ref", "'user' does not exist" },
    { "{kind: chip,", "{kind: chip, ref: red,", "kind: chip", "view.parts[0].ref", "a chip part has no ref" },
    { "{kind: chip,", "{kind: board,", "kind: board", "view.parts[0].kind",
      "expected one of: chip, led, button, pin, label" },
    /* documents */
    { NULL, "---\nname: second\n", "name: second", "(document)",
      "a second YAML document starts here; expected exactly one document" },
};

/* The kernel section on top of BASE (KBASE = BASE + KSEC); the KBAD cases
 * edit it the same way. */
static const char KSEC[] =
    "kernel:\n"
    "  scheduler: round_robin\n"
    "  timeslice_us: 10000\n"
    "  fault_policy: restart_then_panic\n"
    "  restart_threshold: 4\n"
    "  max_processes: 20\n"
    "  drivers:\n"
    "    - {name: alarm, num: 0x0}\n"
    "    - {name: console, num: 0x1}\n"
    "    - {name: gpio, num: 0x4, pins: [D1, D0, PB3]}\n";

static const struct bad_case KBAD[] = {
    { KSEC, "kernel: 3\n", "kernel:", "kernel", "expected a mapping (scheduler" },
    { "  max_processes: 20\n", "  max_process: 20\n", "max_process:", "kernel.max_process",
      "unknown key; expected one of: scheduler, timeslice_us" },
    { "  scheduler: round_robin\n", "", "timeslice_us", "kernel.scheduler", "missing; expected one of: round_robin" },
    { "scheduler: round_robin", "scheduler: fifo", "scheduler:", "kernel.scheduler",
      "'fifo' is not known; expected one of: round_robin, cooperative, priority, mlfq" },
    { "timeslice_us: 10000", "timeslice_us: 100", "timeslice_us", "kernel.timeslice_us",
      "100 is out of range; expected an integer 500..349525" },
    { "timeslice_us: 10000", "timeslice_us: 400000", "timeslice_us", "kernel.timeslice_us",
      "(SysTick's 24-bit reload at cpu.clock_hz = 48000000)" },
    { "fault_policy: restart_then_panic", "fault_policy: reboot", "fault_policy", "kernel.fault_policy",
      "'reboot' is not known; expected one of: panic, stop, restart, restart_then_stop, restart_then_panic" },
    { "  restart_threshold: 4\n", "", "scheduler:", "kernel.restart_threshold", "missing; expected" },
    { "fault_policy: restart_then_panic", "fault_policy: stop", "restart_threshold", "kernel.restart_threshold",
      "is given with fault_policy stop; expected it only with restart_then_stop or restart_then_panic" },
    { "restart_threshold: 4", "restart_threshold: -1", "restart_threshold", "kernel.restart_threshold",
      "-1 is negative" },
    { "max_processes: 20", "max_processes: 21", "max_processes", "kernel.max_processes",
      "21 is out of range; expected an integer 1..20" },
    { "max_processes: 20", "max_processes: 0", "max_processes", "kernel.max_processes", "out of range" },
    { "  drivers:\n    - {name: alarm, num: 0x0}\n    - {name: console, num: 0x1}\n"
      "    - {name: gpio, num: 0x4, pins: [D1, D0, PB3]}\n", "", "scheduler:", "kernel.drivers",
      "missing; expected a list of syscall drivers" },
    { "  drivers:\n    - {name: alarm, num: 0x0}\n    - {name: console, num: 0x1}\n"
      "    - {name: gpio, num: 0x4, pins: [D1, D0, PB3]}\n", "  drivers: {alarm: 0}\n", "drivers:",
      "kernel.drivers", "is a mapping; expected a list" },
    { "{name: console,", "{name: screen,", "name: screen", "kernel.drivers[1].name",
      "'screen' is not known; expected one of: alarm, console, led, button, gpio, rng, ipc" },
    { "{name: console,", "{name: alarm,", "name: alarm, num: 0x1", "kernel.drivers[1].name",
      "'alarm' is already used by kernel.drivers[0] (line" },
    { "num: 0x1}", "num: 0x0}", "name: console", "kernel.drivers[1].num",
      "0x0 is already used by kernel.drivers[0] 'alarm' (line" },
    { "{name: console, num: 0x1}", "{name: console}", "name: console", "kernel.drivers[1].num", "missing" },
    { "num: 0x1}", "num: big}", "name: console", "kernel.drivers[1].num", "'big' is not a number" },
    { "num: 0x1}", "num: 0x1, size: 3}", "name: console", "kernel.drivers[1].size", "unknown key" },
    { "num: 0x1}", "num: 0x1, pins: [D0]}", "name: console", "kernel.drivers[1].pins",
      "is given for driver 'console'; expected pins only for the gpio driver" },
    { "pins: [D1, D0, PB3]", "pins: [D1, D5]", "{name: gpio,", "kernel.drivers[2].pins[1]",
      "'D5' is neither a label of wiring.header nor a pin of an existing port" },
    { "pins: [D1, D0, PB3]", "pins: [PC3]", "{name: gpio,", "kernel.drivers[2].pins[0]", "'PC3' is neither" },
    { "pins: [D1, D0, PB3]", "pins: D0", "{name: gpio,", "kernel.drivers[2].pins", "expected a list of pins" },
    { "num: 0x4, pins: [D1, D0, PB3]}", "num: 0x4}", "{name: gpio,", "kernel.drivers[2]",
      "the gpio driver has no pins; expected pins:" },
};

static struct board *new_board(void)
{
    struct board *b = calloc(1, sizeof *b);
    ck_assert_ptr_nonnull(b);
    return b;
}

/* Replace the first `from` in base by `to` (or append `to`). */
static char *variant_of(const char *base, const char *from, const char *to)
{
    size_t blen = strlen(base), tlen = strlen(to);
    char *out = malloc(blen + tlen + 1);
    ck_assert_ptr_nonnull(out);
    if (!from) {
        memcpy(out, base, blen);
        memcpy(out + blen, to, tlen + 1);
        return out;
    }
    const char *hit = strstr(base, from);
    ck_assert_msg(hit != NULL, "test bug: '%s' is not in the base text", from);
    size_t pre = (size_t)(hit - base), flen = strlen(from);
    memcpy(out, base, pre);
    memcpy(out + pre, to, tlen);
    memcpy(out + pre + tlen, hit + flen, blen - pre - flen + 1);
    return out;
}

static char *make_variant(const char *from, const char *to)
{
    return variant_of(BASE, from, to);
}

/* BASE followed by the kernel section KSEC. */
static char *kbase(void)
{
    return variant_of(BASE, NULL, KSEC);
}

/* 1-based line of the first `needle` in text. */
static int line_of(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    ck_assert_msg(hit != NULL, "test bug: '%s' not in variant", needle);
    int line = 1;
    for (const char *p = text; p < hit; p++)
        line += *p == '\n';
    return line;
}

static void expect_error(const char *what, const char *text, int line,
                         const char *path, const char *says)
{
    struct board *b = new_board();
    char err[512], want[256];
    int rc = board_load_string("bad.yaml", text, strlen(text), b, err, sizeof err);
    ck_assert_msg(rc == -1, "%s: loaded although it should not", what);
    snprintf(want, sizeof want, "bad.yaml:%d: %s: ", line, path);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0,
                  "%s: error '%s' does not start with '%s'", what, err, want);
    ck_assert_msg(strstr(err, says) != NULL, "%s: error '%s' lacks '%s'", what, err, says);
    ck_assert_msg(strstr(err, "; expected ") != NULL, "%s: error '%s' lacks '; expected'",
                  what, err);
    ck_assert_int_eq(b->nperiphs, 0); /* a refused board is left empty */
    free(b);
}

START_TEST(base_is_valid)
{
    struct board *b = new_board();
    char err[512] = "";
    int rc = board_load_string("base.yaml", BASE, strlen(BASE), b, err, sizeof err);
    ck_assert_msg(rc == 0, "BASE does not load: %s", err);
    ck_assert_str_eq(b->path, "base.yaml");
    ck_assert_int_eq(b->view.nparts, 4);
    free(b);
}
END_TEST

START_TEST(kernel_section_valid)
{
    struct board *b = new_board();
    char err[512] = "", *text = kbase();
    ck_assert_msg(board_load_string("k.yaml", text, strlen(text), b, err, sizeof err) == 0,
                  "KBASE does not load: %s", err);
    ck_assert(b->has_kernel);
    ck_assert_int_eq(b->kernel.scheduler, BOARD_SCHED_ROUND_ROBIN);
    ck_assert_uint_eq(b->kernel.timeslice_us, 10000);
    ck_assert_int_eq(b->kernel.fault_policy, BOARD_FAULT_RESTART_THEN_PANIC);
    ck_assert_uint_eq(b->kernel.restart_threshold, 4);
    ck_assert_int_eq(b->kernel.max_processes, 20);
    ck_assert_int_eq(b->kernel.ndrivers, 3);
    const struct board_driver *g = board_find_driver(b, "gpio");
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(g->num, 4);
    ck_assert_int_eq(g->npins, 3);
    ck_assert_int_eq(g->pins[0].port, 1);       /* D1 = PB15 */
    ck_assert_int_eq(g->pins[0].index, 15);
    ck_assert_int_eq(g->pins[1].index, 14);     /* D0 = PB14 */
    ck_assert_int_eq(g->pins[2].index, 3);      /* PB3 */
    ck_assert_str_eq(g->pin_names[2], "PB3");
    ck_assert_ptr_null(board_find_driver(b, "rng"));
    free(text);
    /* without the section: no kernel, nothing else changes */
    ck_assert_int_eq(board_load_string("b.yaml", BASE, strlen(BASE), b, err, sizeof err), 0);
    ck_assert(!b->has_kernel);
    /* other schedulers need no timeslice; cooperative + stop without a threshold */
    text = variant_of(KSEC, "  timeslice_us: 10000\n", "");
    char *t2 = variant_of(text, "round_robin", "cooperative");
    char *t3 = variant_of(t2, "  restart_threshold: 4\n", "");
    char *t4 = variant_of(t3, "restart_then_panic", "stop");
    char *full = variant_of(BASE, NULL, t4);
    ck_assert_msg(board_load_string("c.yaml", full, strlen(full), b, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(b->kernel.scheduler, BOARD_SCHED_COOPERATIVE);
    ck_assert_int_eq(b->kernel.fault_policy, BOARD_FAULT_STOP);
    ck_assert_uint_eq(b->kernel.timeslice_us, 10000);
    free(text); free(t2); free(t3); free(t4); free(full);
    free(b);
}
END_TEST

START_TEST(kernel_bad_variant)
{
    const struct bad_case *bc = &KBAD[_i];
    char *base = kbase(), *text = variant_of(base, bc->from, bc->to);
    char what[64];
    snprintf(what, sizeof what, "kernel case %d (%s)", _i, bc->path);
    expect_error(what, text, line_of(text, bc->at), bc->path, bc->says);
    free(text);
    free(base);
}
END_TEST

START_TEST(hail_kernel)
{
    static struct board b;
    char err[512];
    ck_assert_msg(board_load(HAIL_YAML, &b, err, sizeof err) == 0, "%s", err);
    ck_assert(b.has_kernel);
    ck_assert_int_eq(b.kernel.scheduler, BOARD_SCHED_ROUND_ROBIN);
    ck_assert_uint_eq(b.kernel.timeslice_us, 10000);
    ck_assert_int_eq(b.kernel.fault_policy, BOARD_FAULT_RESTART_THEN_PANIC);
    ck_assert_uint_eq(b.kernel.restart_threshold, 4);
    ck_assert_int_eq(b.kernel.max_processes, 20);
    static const char *const names[] = { "alarm", "console", "led", "button", "gpio", "rng", "ipc" };
    static const uint32_t nums[] = { 0x0, 0x1, 0x2, 0x3, 0x4, 0x40001, 0x10000 };
    ck_assert_int_eq(b.kernel.ndrivers, 7);
    for (int i = 0; i < 7; i++) {
        ck_assert_str_eq(b.kernel.drivers[i].name, names[i]);
        ck_assert_uint_eq(b.kernel.drivers[i].num, nums[i]);
    }
    const struct board_driver *g = board_find_driver(&b, "gpio");
    static const int pins[] = { 14, 15, 11, 12 };   /* D0 D1 D6 D7 = PB14 PB15 PB11 PB12 */
    ck_assert_int_eq(g->npins, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(g->pins[i].port, 1);
        ck_assert_int_eq(g->pins[i].index, pins[i]);
    }
}
END_TEST

START_TEST(bad_variant)
{
    const struct bad_case *bc = &BAD[_i];
    char *text = make_variant(bc->from, bc->to);
    char what[64];
    snprintf(what, sizeof what, "case %d (%s)", _i, bc->path);
    expect_error(what, text, line_of(text, bc->at), bc->path, bc->says);
    free(text);
}
END_TEST

/* Malformed documents written out whole. */
START_TEST(yaml_syntax_errors)
{
    expect_error("unclosed flow", "name: x\ncpu:\n  model: [a, b\n  clock_hz: 1\n", 4,
                 "(yaml syntax)", "did not find expected ',' or ']'");
    expect_error("tab", "name: x\ncpu:\n\tmodel: a\n", 3, "(yaml syntax)",
                 "found character that cannot start any token");
    expect_error("bad indent", "name: x\n  cpu: 3\n", 2, "(yaml syntax)",
                 "mapping values are not allowed");
    expect_error("unterminated quote", "name: 'x\n", 2, "(yaml syntax)",
                 "end of stream");
    expect_error("empty", "", 1, "(document)", "is empty; expected a mapping");
    expect_error("comment only", "# nothing\n", 1, "(document)", "is empty");
    expect_error("list root", "- a\n- b\n", 1, "(document)", "is a list; expected a mapping");
    expect_error("scalar root", "hello\n", 1, "(document)", "is a scalar; expected a mapping");
    expect_error("alias cycle", "name: &a [*a]\n", 1, "name", "is a list; expected a string");
    expect_error("long name", "name: 0123456789012345678901234567890123456789012345678901234567890123\n",
                 1, "name", "is 64 characters long; expected a string of 1..63");
    expect_error("control char", "name: \"a\\tb\"\n", 1, "name", "contains a control character");
    expect_error("nul", "name: \"a\\0b\"\n", 1, "name", "contains a NUL character");
}
END_TEST

START_TEST(missing_file)
{
    struct board *b = new_board();
    char err[512];
    ck_assert_int_eq(board_load("no/such/board.yaml", b, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no/such/board.yaml"));
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
    ck_assert_ptr_nonnull(strstr(err, "No such file or directory"));
    free(b);
}
END_TEST

/* ---- the real board ------------------------------------------------------ */

static struct board *load_hail(void)
{
    struct board *b = new_board();
    char err[512] = "";
    int rc = board_load(HAIL_YAML, b, err, sizeof err);
    ck_assert_msg(rc == 0, "%s does not load: %s", HAIL_YAML, err);
    return b;
}

static void check_periph(const struct board *b, const char *name, const char *type,
                         uint32_t base, uint32_t size, int irq0, int nirqs)
{
    const struct board_periph *p = board_find_periph(b, name);
    ck_assert_msg(p != NULL, "no peripheral %s", name);
    ck_assert_str_eq(p->type, type);
    ck_assert_uint_eq(p->base, base);
    ck_assert_uint_eq(p->size, size);
    ck_assert_int_eq(p->nirqs, nirqs);
    for (int i = 0; i < nirqs; i++)
        ck_assert_int_eq(p->irqs[i], irq0 + i);
}

START_TEST(hail_cpu_memory_layout)
{
    struct board *b = load_hail();
    ck_assert_str_eq(b->name, "Hail (ATSAM4LC8BA)");
    ck_assert_str_eq(b->path, HAIL_YAML);
    ck_assert_str_eq(b->cpu.model, "cortex-m4");
    ck_assert_uint_eq(b->cpu.clock_hz, 48000000);
    ck_assert_uint_eq(b->cpu.vtor, 0x10000);
    ck_assert_int_eq(b->cpu.num_irqs, 80);
    ck_assert_int_eq(b->cpu.priority_bits, 4);
    ck_assert_int_eq(b->cpu.mpu_regions, 8);
    ck_assert_int_eq(b->nmemories, 2);
    ck_assert_str_eq(b->memories[0].name, "flash");
    ck_assert_int_eq(b->memories[0].kind, BOARD_MEM_FLASH);
    ck_assert_uint_eq(b->memories[0].base, 0);
    ck_assert_uint_eq(b->memories[0].size, 512 * 1024);
    ck_assert_str_eq(b->memories[1].name, "sram");
    ck_assert_int_eq(b->memories[1].kind, BOARD_MEM_RAM);
    ck_assert_uint_eq(b->memories[1].base, 0x20000000);
    ck_assert_uint_eq(b->memories[1].size, 64 * 1024);
    ck_assert_uint_eq(b->kernel_flash.base, 0x10000);
    ck_assert_uint_eq(b->kernel_flash.size, 0x20000);
    ck_assert_uint_eq(b->app_flash.base, 0x30000);
    ck_assert_uint_eq(b->app_flash.size, 0x40000);
    ck_assert_uint_eq(b->kernel_ram.base, 0x20000000);
    ck_assert_uint_eq(b->kernel_ram.size, 0x3000);
    ck_assert_uint_eq(b->app_ram.base, 0x20003000);
    ck_assert_uint_eq(b->app_ram.size, 0xD000);
    free(b);
}
END_TEST

START_TEST(hail_peripherals)
{
    struct board *b = load_hail();
    static const char *const ast_irqs[] = { "alarm", "per", "ovf", "ready", "clkready" };
    char name[16];
    ck_assert_int_eq(b->nperiphs, 15);
    check_periph(b, "ast", "ast", 0x400F0800, 0x400, 39, 5);
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(board_find_periph(b, "ast")->irq_names[i], ast_irqs[i]);
    ck_assert_uint_eq(board_periph_prop(board_find_periph(b, "ast"), "clock_hz", 0), 32768);
    check_periph(b, "gpio_a", "gpio", 0x400E1000, 0x200, 25, 4);
    check_periph(b, "gpio_b", "gpio", 0x400E1200, 0x200, 29, 4);
    check_periph(b, "gpio_c", "gpio", 0x400E1400, 0x200, 33, 4);
    ck_assert_str_eq(board_find_periph(b, "gpio_c")->irq_names[3], "group3");
    check_periph(b, "usart0", "usart", 0x40024000, 0x4000, 65, 1);
    check_periph(b, "usart1", "usart", 0x40028000, 0x4000, 66, 1);
    check_periph(b, "usart2", "usart", 0x4002C000, 0x4000, 67, 1);
    check_periph(b, "usart3", "usart", 0x40030000, 0x4000, 68, 1);
    check_periph(b, "trng", "trng", 0x40068000, 0x100, 73, 1);
    check_periph(b, "pm", "pm", 0x400E0000, 0x400, 22, 1);
    check_periph(b, "scif", "scif", 0x400E0800, 0x400, 23, 1);
    check_periph(b, "bpm", "bpm", 0x400F0000, 0x400, 37, 1);
    check_periph(b, "bscif", "bscif", 0x400F0400, 0x400, 38, 1);
    check_periph(b, "flashcalw", "flashcalw", 0x400A0000, 0x1000, 0, 1);
    check_periph(b, "pdca", "pdca", 0x400A2000, 0x1000, 1, 16);
    for (int i = 0; i < 16; i++) {
        snprintf(name, sizeof name, "ch%d", i);
        ck_assert_int_eq(board_periph_irq(board_find_periph(b, "pdca"), name), 1 + i);
    }
    ck_assert_int_eq(board_gpio_port_count(b), 3);
    ck_assert_str_eq(board_gpio_port(b, 1)->name, "gpio_b");
    free(b);
}
END_TEST

static void check_pin(struct board_pin pin, int port, int index)
{
    ck_assert_int_eq(pin.port, port);
    ck_assert_int_eq(pin.index, index);
}

START_TEST(hail_wiring)
{
    struct board *b = load_hail();
    ck_assert_int_eq(b->nleds, 3);
    ck_assert_str_eq(b->leds[0].name, "red");
    check_pin(b->leds[0].pin, 0, 13);
    ck_assert_uint_eq(b->leds[0].color_rgb, 0xFF0000);
    ck_assert_str_eq(b->leds[1].name, "green");
    check_pin(b->leds[1].pin, 0, 15);
    ck_assert_str_eq(b->leds[2].name, "blue");
    check_pin(b->leds[2].pin, 0, 14);
    ck_assert_uint_eq(b->leds[2].color_rgb, 0x0000FF);
    for (int i = 0; i < 3; i++)
        ck_assert(b->leds[i].active_low);
    ck_assert_int_eq(b->nbuttons, 1);
    ck_assert_str_eq(b->buttons[0].name, "user");
    check_pin(b->buttons[0].pin, 0, 16);
    ck_assert(b->buttons[0].active_low);
    ck_assert(b->has_console);
    ck_assert_str_eq(b->console.uart, "usart0");
    ck_assert_uint_eq(b->console.baud, 115200);
    ck_assert_int_eq(b->nheader_pins, 4);
    static const char *const labels[] = { "D0", "D1", "D6", "D7" };
    static const int pins[] = { 14, 15, 11, 12 };
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(b->header_pins[i].label, labels[i]);
        check_pin(b->header_pins[i].pin, 1, pins[i]);
    }
    free(b);
}
END_TEST

static int count_parts(const struct board *b, enum board_view_kind kind, const char *ref,
                       const char *label)
{
    int n = 0;
    for (int i = 0; i < b->view.nparts; i++) {
        const struct board_view_part *p = &b->view.parts[i];
        n += p->kind == kind && (!ref || strcmp(p->ref, ref) == 0) &&
             (!label || strcmp(p->label, label) == 0);
    }
    return n;
}

START_TEST(hail_view)
{
    struct board *b = load_hail();
    const struct board_view *v = &b->view;
    ck_assert_int_eq(v->width, 320);
    ck_assert_int_eq(v->height, 640);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_CHIP, NULL, "SAM4L"), 1);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_CHIP, NULL, "nRF51822"), 1);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_LED, "red", NULL), 1);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_LED, "green", NULL), 1);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_LED, "blue", NULL), 1);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_BUTTON, "user", NULL), 1);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_BUTTON, "reset", NULL), 1);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_PIN, NULL, NULL), 4);
    ck_assert_int_eq(count_parts(b, BOARD_VIEW_PIN, "D7", "D7"), 1);
    for (int i = 0; i < v->nparts; i++) {
        const struct board_view_part *p = &v->parts[i];
        ck_assert(p->x >= 0 && p->y >= 0 && p->w > 0 && p->h > 0);
        ck_assert(p->x + p->w <= v->width && p->y + p->h <= v->height);
    }
    /* an LED part takes its LED's colour unless given one */
    for (int i = 0; i < v->nparts; i++)
        if (v->parts[i].kind == BOARD_VIEW_LED && strcmp(v->parts[i].ref, "red") == 0)
            ck_assert_uint_eq(v->parts[i].color_rgb, 0xFF0000);
    free(b);
}
END_TEST

/* ---- helpers -------------------------------------------------------------- */

START_TEST(parse_pin)
{
    struct board_pin p = { -1, -1 };
    ck_assert_int_eq(board_parse_pin("PA13", &p), 0);
    check_pin(p, 0, 13);
    ck_assert_int_eq(board_parse_pin("PC0", &p), 0);
    check_pin(p, 2, 0);
    ck_assert_int_eq(board_parse_pin("PB31", &p), 0);
    check_pin(p, 1, 31);
    static const char *const bad[] = {
        "PZ99", "A13", "PA", "PA32", "PA013", "Pa1", "pa1", "PA1x", "PA-1", "", "P", "PA 1", "PAA1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(board_parse_pin(bad[i], &p) == -1, "'%s' accepted", bad[i]);
    ck_assert_int_eq(board_parse_pin(NULL, &p), -1);
}
END_TEST

START_TEST(lookups)
{
    struct board *b = load_hail();
    ck_assert_ptr_null(board_find_periph(b, "usart9"));
    ck_assert_str_eq(board_find_memory(b, 0x10000, 4)->name, "flash");
    ck_assert_str_eq(board_find_memory(b, 0x2000FFFC, 4)->name, "sram");
    ck_assert_str_eq(board_find_memory(b, 0x20000000, 0)->name, "sram");
    ck_assert_ptr_null(board_find_memory(b, 0x2000FFFC, 8)); /* runs past the end */
    ck_assert_ptr_null(board_find_memory(b, 0x40000000, 4));
    ck_assert_ptr_null(board_find_memory(b, 0xFFFFFFFF, 2));
    const struct board_periph *ast = board_find_periph(b, "ast");
    ck_assert_uint_eq(board_periph_prop(ast, "nope", 7), 7);
    ck_assert_int_eq(board_periph_irq(ast, "ovf"), 41);
    ck_assert_int_eq(board_periph_irq(ast, "nope"), -1);
    ck_assert_ptr_null(board_gpio_port(b, 3));
    free(b);
}
END_TEST

START_TEST(number_forms)
{
    char *text = make_variant("    size: 64KiB", "    size: 0x10000");
    struct board *b = new_board();
    char err[512];
    ck_assert_msg(board_load_string("n.yaml", text, strlen(text), b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b->memories[1].size, 0x10000);
    free(text);
    text = make_variant("    size: 512KiB", "    size: 0x80000");
    ck_assert_msg(board_load_string("n.yaml", text, strlen(text), b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b->memories[0].size, 512 * 1024);
    free(text);
    text = make_variant("    size: 512KiB", "    size: 1M");
    ck_assert_msg(board_load_string("n.yaml", text, strlen(text), b, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(b->memories[0].size, 1024 * 1024);
    free(text);
    free(b);
}
END_TEST

/* Never crash: every prefix of the real board and many corrupted copies
 * either load or fail with a message. */
START_TEST(no_crash_on_garbage)
{
    struct board *b = new_board();
    char err[512], *text;
    FILE *f = fopen(HAIL_YAML, "rb");
    ck_assert_ptr_nonnull(f);
    text = malloc(65536);
    size_t len = fread(text, 1, 65535, f);
    fclose(f);
    for (size_t n = 0; n < len; n += 3) {
        err[0] = '\0';
        if (board_load_string("cut.yaml", text, n, b, err, sizeof err) != 0)
            ck_assert_msg(strncmp(err, "cut.yaml", 8) == 0, "bad message '%s'", err);
    }
    char *copy = malloc(len);
    unsigned seed = 12345;
    static const char junk[] = "-:[]{}#&*!|>'\"%@`, \n\t0xZ\xff";
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(copy, text, len);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            copy[pos] = junk[(seed >> 4) % (sizeof junk - 1)];
        }
        err[0] = '\0';
        if (board_load_string("mut.yaml", copy, len, b, err, sizeof err) != 0)
            ck_assert_msg(strncmp(err, "mut.yaml", 8) == 0, "bad message '%s'", err);
    }
    /* tiny error buffers are never overrun */
    ck_assert_int_eq(board_load_string("x.yaml", "a: 1", 4, b, err, 5), -1);
    ck_assert_int_eq((int)strlen(err), 4);
    ck_assert_int_eq(board_load_string("x.yaml", "a: 1", 4, b, NULL, 0), -1);
    free(copy);
    free(text);
    free(b);
}
END_TEST

Suite *board_suite(void); /* called by tests/unit/runner.c */

Suite *board_suite(void)
{
    Suite *s = suite_create("board");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, base_is_valid);
    tcase_add_loop_test(tc, bad_variant, 0, (int)(sizeof BAD / sizeof BAD[0]));
    tcase_add_test(tc, kernel_section_valid);
    tcase_add_loop_test(tc, kernel_bad_variant, 0, (int)(sizeof KBAD / sizeof KBAD[0]));
    tcase_add_test(tc, yaml_syntax_errors);
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, number_forms);
    suite_add_tcase(s, tc);
    TCase *th = tcase_create("hail");
    tcase_add_test(th, hail_cpu_memory_layout);
    tcase_add_test(th, hail_peripherals);
    tcase_add_test(th, hail_wiring);
    tcase_add_test(th, hail_kernel);
    tcase_add_test(th, hail_view);
    tcase_add_test(th, lookups);
    suite_add_tcase(s, th);
    TCase *tx = tcase_create("robust");
    tcase_add_test(tx, parse_pin);
    tcase_add_test(tx, no_crash_on_garbage);
    tcase_set_timeout(tx, 60);
    suite_add_tcase(s, tx);
    return s;
}
