/*
 * test_gpio.c — the SAM4L GPIO port model (sim/gpio.c) through its
 * registers, on a machine made from boards/hail.yaml (ut_machine_new):
 * SET/CLEAR/TOGGLE aliases, output drive and the red LED on PA13 (active
 * low), PVR from drive / pulls / buskeeper / external input (the user
 * button on PA16), IFR per IMR mode, its CLEAR alias, the NVIC line per
 * 8-pin group, reset values, narrow accesses and the `pin`/`led` trace.
 *
 * Accesses go through the model's read/write (the MMIO path periph.c
 * routes to) on the dev of periph_find_dev(); a few go through Unicorn
 * (ut_rd32/ut_wr8) to check the mapping.  Observation is through board_io
 * and m->exc.slot[16 + irq].
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "gpio.h"
#include "test_support.h"
#include "trace.h"

#define PORT_A 0
#define PORT_B 1
#define RED_LED 0               /* leds[0] in hail.yaml: PA13 */
#define PA13 (1u << 13)
#define PA16 (1u << 16)
#define IRQ_GPIO_A1 26          /* PA8..15 */
#define IRQ_GPIO_A2 27          /* PA16..23 */
#define IRQ_GPIO_B1 30          /* PB8..15 */
#define GPIO_A_BASE 0x400E1000u

static struct machine *m;
static void *ga, *gb;

static void setup(void)
{
    m = ut_machine_new();
    ga = periph_find_dev(m, "gpio_a");
    gb = periph_find_dev(m, "gpio_b");
    ck_assert_ptr_nonnull(ga);
    ck_assert_ptr_nonnull(gb);
}

static void teardown(void)
{
    ut_machine_free(m);
    m = NULL;
}

static uint32_t rd(void *dev, uint32_t off) { return gpio_model.read(dev, off, 4); }
static void wr(void *dev, uint32_t off, uint32_t v) { gpio_model.write(dev, off, 4, v); }

static bool line(int irq) { return m->exc.slot[16 + irq].line; }
static bool pending(int irq) { return m->exc.slot[16 + irq].pending; }

/* makes pin `bit` of `dev` a GPIO output driving `level` */
static void drive(void *dev, uint32_t bit, int level)
{
    wr(dev, GPIO_GPER + GPIO_SET, bit);
    wr(dev, GPIO_OVR + (level ? GPIO_SET : GPIO_CLEAR), bit);
    wr(dev, GPIO_ODER + GPIO_SET, bit);
}

/* ---- registers ------------------------------------------------------------------ */

START_TEST(reset_values)
{
    static const uint32_t zero[] = {
        GPIO_GPER, GPIO_PMR0, GPIO_PMR1, GPIO_PMR2, GPIO_ODER, GPIO_OVR, GPIO_PUER, GPIO_PDER,
        GPIO_IER, GPIO_IMR0, GPIO_IMR1, GPIO_GFER, GPIO_IFR, GPIO_ODCR0, GPIO_ODCR1,
        GPIO_OSRR0, GPIO_STER, GPIO_EVER,
    };
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
        ck_assert_uint_eq(rd(ga, zero[i]), 0);
        ck_assert_uint_eq(rd(gb, zero[i]), 0);
    }
    ck_assert_uint_eq(rd(ga, GPIO_PARAMETER), GPIO_PARAMETER_VALUE);
    ck_assert_uint_eq(rd(ga, GPIO_VERSION), 0x215);
    /* released user button: the board's pull-up holds PA16 high */
    ck_assert_uint_eq(rd(ga, GPIO_PVR), PA16);
    ck_assert_uint_eq(rd(gb, GPIO_PVR), 0);
    ck_assert_int_eq(board_io_pin_level(m, PORT_A, 16), 1);
    ck_assert(!board_io_pin_driven(m, PORT_A, 16));
    ck_assert_int_eq(board_io_pin_level(m, PORT_A, 13), -1);
    ck_assert(!board_io_led_on(m, RED_LED));
}
END_TEST

START_TEST(read_only_registers)
{
    wr(ga, GPIO_PVR, 0xFFFFFFFFu);
    wr(ga, GPIO_VERSION, 0);
    wr(ga, GPIO_PARAMETER, 0);
    ck_assert_uint_eq(rd(ga, GPIO_PVR), PA16);
    ck_assert_uint_eq(rd(ga, GPIO_VERSION), GPIO_VERSION_VALUE);
    ck_assert_uint_eq(rd(ga, GPIO_PARAMETER), GPIO_PARAMETER_VALUE);
}
END_TEST

START_TEST(set_clear_toggle_aliases)
{
    static const uint32_t regs[] = { GPIO_GPER, GPIO_OVR, GPIO_ODER, GPIO_IER, GPIO_PMR0, GPIO_STER };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        uint32_t r = regs[i];
        wr(gb, r, 0x0000FF00u);
        ck_assert_uint_eq(rd(gb, r), 0x0000FF00u);
        wr(gb, r + GPIO_SET, 0x000000F1u);
        ck_assert_uint_eq(rd(gb, r), 0x0000FFF1u);
        wr(gb, r + GPIO_CLEAR, 0x00000F01u);
        ck_assert_uint_eq(rd(gb, r), 0x0000F0F0u);
        wr(gb, r + GPIO_TOGGLE, 0x800000FFu);
        ck_assert_uint_eq(rd(gb, r), 0x8000F00Fu);
        /* the aliases read as 0 */
        ck_assert_uint_eq(rd(gb, r + GPIO_SET), 0);
        ck_assert_uint_eq(rd(gb, r + GPIO_TOGGLE), 0);
        wr(gb, r, 0);
    }
}
END_TEST

START_TEST(narrow_accesses)
{
    gpio_model.write(gb, GPIO_OVR + GPIO_SET + 1, 1, 0x01);     /* byte 1 of OVRS: pin 8 */
    ck_assert_uint_eq(rd(gb, GPIO_OVR), 1u << 8);
    gpio_model.write(gb, GPIO_OVR + 2, 2, 0xABCD);              /* upper half of OVR */
    ck_assert_uint_eq(rd(gb, GPIO_OVR), 0xABCD0100u);
    gpio_model.write(gb, GPIO_OVR + GPIO_CLEAR + 3, 1, 0xFF);   /* byte 3 of OVRC */
    ck_assert_uint_eq(rd(gb, GPIO_OVR), 0x00CD0100u);
    ck_assert_uint_eq(gpio_model.read(gb, GPIO_OVR + 2, 1), 0xCD);
    ck_assert_uint_eq(gpio_model.read(gb, GPIO_OVR + 2, 2), 0x00CD);
    /* the same through Unicorn's MMIO path */
    ut_wr8(m, GPIO_A_BASE + GPIO_GPER + GPIO_SET + 1, 0x20);   /* PA13 */
    ck_assert_uint_eq(ut_rd32(m, GPIO_A_BASE + GPIO_GPER), PA13);
    ut_wr16(m, GPIO_A_BASE + GPIO_ODER + GPIO_SET, 0x2000);
    ck_assert_uint_eq(ut_rd8(m, GPIO_A_BASE + GPIO_ODER + 1), 0x20);
    ck_assert(board_io_led_on(m, RED_LED));                    /* OVR = 0: lit */
    ck_assert_uint_eq(ut_rd8(m, GPIO_A_BASE + GPIO_PVR + 2), 0x01);  /* PA16 */
}
END_TEST

START_TEST(unknown_offsets)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    m->err = f;
    ck_assert_uint_eq(rd(ga, GPIO_PVR + GPIO_SET), 0);
    ck_assert_uint_eq(rd(ga, GPIO_PVR + GPIO_SET), 0);
    wr(ga, 0x1F0, 1);
    ck_assert_uint_eq(rd(ga, 0x1F0), 0);
    fclose(f);
    m->err = stderr;
    ck_assert_ptr_nonnull(strstr(text, "read of unmodelled register 0x400e1064 (gpio_a)"));
    ck_assert_ptr_null(strstr(strstr(text, "0x400e1064") + 1, "0x400e1064"));  /* warned once */
    ck_assert_ptr_nonnull(strstr(text, "write of unmodelled register 0x400e11f0"));
    free(text);
}
END_TEST

/* ---- pin levels -------------------------------------------------------------------- */

START_TEST(output_drives_the_led)
{
    drive(ga, PA13, 1);
    ck_assert_int_eq(board_io_pin_level(m, PORT_A, 13), 1);
    ck_assert(board_io_pin_driven(m, PORT_A, 13));
    ck_assert(!board_io_led_on(m, RED_LED));
    wr(ga, GPIO_OVR + GPIO_CLEAR, PA13);                        /* active low: on */
    ck_assert_int_eq(board_io_pin_level(m, PORT_A, 13), 0);
    ck_assert(board_io_led_on(m, RED_LED));
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA13, 0);
    wr(ga, GPIO_OVR + GPIO_TOGGLE, PA13);
    ck_assert(!board_io_led_on(m, RED_LED));
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA13, PA13);
    wr(ga, GPIO_OVR + GPIO_TOGGLE, PA13);
    ck_assert(board_io_led_on(m, RED_LED));
    wr(ga, GPIO_ODER + GPIO_CLEAR, PA13);                       /* input again: floating */
    ck_assert(!board_io_led_on(m, RED_LED));
    ck_assert(!board_io_pin_driven(m, PORT_A, 13));
    ck_assert_int_eq(board_io_pin_level(m, PORT_A, 13), -1);
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA13, 0);
}
END_TEST

START_TEST(peripheral_function_pins_not_driven)
{
    wr(ga, GPIO_ODER + GPIO_SET, PA13);
    wr(ga, GPIO_OVR + GPIO_CLEAR, PA13);
    ck_assert(!board_io_pin_driven(m, PORT_A, 13));             /* GPER = 0 */
    ck_assert(!board_io_led_on(m, RED_LED));
    wr(ga, GPIO_GPER + GPIO_SET, PA13);
    ck_assert(board_io_led_on(m, RED_LED));
    wr(ga, GPIO_GPER + GPIO_CLEAR, PA13);
    ck_assert(!board_io_pin_driven(m, PORT_A, 13));
}
END_TEST

START_TEST(pulls_and_buskeeper)
{
    const uint32_t b = 1u << 3;
    wr(gb, GPIO_GPER + GPIO_SET, b);
    ck_assert_uint_eq(rd(gb, GPIO_PVR), 0);                     /* floating reads 0 */
    ck_assert_int_eq(board_io_pin_level(m, PORT_B, 3), -1);
    wr(gb, GPIO_PUER + GPIO_SET, b);
    ck_assert_uint_eq(rd(gb, GPIO_PVR), b);
    ck_assert_int_eq(board_io_pin_level(m, PORT_B, 3), 1);
    ck_assert(!board_io_pin_driven(m, PORT_B, 3));
    wr(gb, GPIO_PDER + GPIO_SET, b);                            /* both: buskeeper keeps 1 */
    ck_assert_uint_eq(rd(gb, GPIO_PVR), b);
    wr(gb, GPIO_PUER + GPIO_CLEAR, b);                          /* pull-down only */
    ck_assert_uint_eq(rd(gb, GPIO_PVR), 0);
    ck_assert_int_eq(board_io_pin_level(m, PORT_B, 3), 0);
    wr(gb, GPIO_PUER + GPIO_SET, b);                            /* buskeeper keeps 0 */
    ck_assert_uint_eq(rd(gb, GPIO_PVR), 0);
    drive(gb, b, 1);                                            /* the chip wins over pulls */
    ck_assert_uint_eq(rd(gb, GPIO_PVR), b);
    wr(gb, GPIO_ODER + GPIO_CLEAR, b);                          /* buskeeper keeps the 1 */
    ck_assert_uint_eq(rd(gb, GPIO_PVR), b);
    ck_assert(!board_io_pin_driven(m, PORT_B, 3));
}
END_TEST

START_TEST(external_input_button)
{
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA16, PA16);
    ck_assert_int_eq(board_io_button(m, "user", true), 0);
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA16, 0);
    wr(ga, GPIO_PUER + GPIO_SET, PA16);                         /* external beats the pull */
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA16, 0);
    ck_assert_int_eq(board_io_button(m, "user", false), 0);
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA16, PA16);
    ck_assert(!board_io_pin_driven(m, PORT_A, 16));
    drive(ga, PA16, 0);                                         /* the chip wins */
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA16, 0);
    ck_assert(board_io_pin_driven(m, PORT_A, 16));
}
END_TEST

START_TEST(port_b_reports_on_port_b)
{
    drive(gb, 1u << 14, 1);                                     /* PB14 = header D0 */
    ck_assert_int_eq(board_io_pin_level(m, PORT_B, 14), 1);
    ck_assert(board_io_pin_driven(m, PORT_B, 14));
    ck_assert(!board_io_pin_driven(m, PORT_A, 14));
    ck_assert_uint_eq(rd(ga, GPIO_ODER), 0);
}
END_TEST

/* ---- interrupts -------------------------------------------------------------------- */

static void press(bool down) { ck_assert_int_eq(board_io_button(m, "user", down), 0); }

static void clear_ifr(uint32_t bits) { wr(ga, GPIO_IFR + GPIO_CLEAR, bits); }

START_TEST(ifr_on_pin_change)
{
    wr(ga, GPIO_IER + GPIO_SET, PA16);
    press(true);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
    clear_ifr(PA16);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), 0);
    press(false);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
}
END_TEST

START_TEST(ifr_on_rising_edge)
{
    wr(ga, GPIO_IMR0 + GPIO_SET, PA16);
    wr(ga, GPIO_IER + GPIO_SET, PA16);
    press(true);                                                /* falling */
    ck_assert_uint_eq(rd(ga, GPIO_IFR), 0);
    press(false);                                               /* rising */
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
}
END_TEST

START_TEST(ifr_on_falling_edge)
{
    wr(ga, GPIO_IMR1 + GPIO_SET, PA16);
    wr(ga, GPIO_IER + GPIO_SET, PA16);
    press(true);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
    clear_ifr(PA16);
    press(false);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), 0);
}
END_TEST

START_TEST(ifr_reserved_mode_is_pin_change)
{
    wr(ga, GPIO_IMR0 + GPIO_SET, PA16);
    wr(ga, GPIO_IMR1 + GPIO_SET, PA16);
    wr(ga, GPIO_IER + GPIO_SET, PA16);
    press(true);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
    clear_ifr(PA16);
    press(false);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
}
END_TEST

START_TEST(ifr_only_clear_alias_acts)
{
    wr(ga, GPIO_IER + GPIO_SET, PA16 | PA13);
    wr(ga, GPIO_IFR, PA13);
    wr(ga, GPIO_IFR + GPIO_SET, PA13);
    wr(ga, GPIO_IFR + GPIO_TOGGLE, PA13);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), 0);
    press(true);
    wr(ga, GPIO_IFR, 0);
    wr(ga, GPIO_IFR + GPIO_TOGGLE, PA16);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
    ck_assert_uint_eq(rd(ga, GPIO_IFR + GPIO_CLEAR), 0);
}
END_TEST

START_TEST(irq_line_per_group)
{
    wr(ga, GPIO_IER + GPIO_SET, PA16);
    ck_assert(!line(IRQ_GPIO_A2));
    press(true);
    ck_assert(line(IRQ_GPIO_A2));
    ck_assert(pending(IRQ_GPIO_A2));
    ck_assert(!line(IRQ_GPIO_A1));
    ck_assert(!line(25) && !line(28));
    clear_ifr(PA16);
    ck_assert(!line(IRQ_GPIO_A2));
    /* an output pin's own edges: PA13 is in group 1 */
    wr(ga, GPIO_IER + GPIO_SET, PA13);
    drive(ga, PA13, 1);
    ck_assert(line(IRQ_GPIO_A1));
    ck_assert(!line(IRQ_GPIO_A2));
    clear_ifr(PA13);
    ck_assert(!line(IRQ_GPIO_A1));
    /* port B groups have their own lines: PB14 → group 1 → IRQ 30 */
    wr(gb, GPIO_IER + GPIO_SET, 1u << 14);
    drive(gb, 1u << 14, 1);
    ck_assert(line(IRQ_GPIO_B1));
    ck_assert(pending(IRQ_GPIO_B1));
    ck_assert(!line(IRQ_GPIO_A1));
}
END_TEST

START_TEST(no_interrupt_without_ier)
{
    press(true);
    press(false);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), 0);
    ck_assert(!line(IRQ_GPIO_A2));
    ck_assert(!pending(IRQ_GPIO_A2));
    /* a flag set while enabled stops asserting the line when IER is cleared */
    wr(ga, GPIO_IER + GPIO_SET, PA16);
    press(true);
    ck_assert(line(IRQ_GPIO_A2));
    wr(ga, GPIO_IER + GPIO_CLEAR, PA16);
    ck_assert(!line(IRQ_GPIO_A2));
    ck_assert_uint_eq(rd(ga, GPIO_IFR), PA16);
    wr(ga, GPIO_IER + GPIO_SET, PA16);                          /* and again when set */
    ck_assert(line(IRQ_GPIO_A2));
}
END_TEST

/* ---- reset and trace ------------------------------------------------------------------ */

START_TEST(machine_reset_restores)
{
    char err[256];
    drive(ga, PA13, 0);
    wr(ga, GPIO_IER + GPIO_SET, PA16);
    press(true);
    ck_assert(board_io_led_on(m, RED_LED));
    ck_assert(line(IRQ_GPIO_A2));
    ck_assert_int_eq(machine_reset(m, err, sizeof err), 0);
    ck_assert_uint_eq(rd(ga, GPIO_GPER), 0);
    ck_assert_uint_eq(rd(ga, GPIO_ODER), 0);
    ck_assert_uint_eq(rd(ga, GPIO_IER), 0);
    ck_assert_uint_eq(rd(ga, GPIO_IFR), 0);
    ck_assert(!board_io_led_on(m, RED_LED));
    ck_assert(!board_io_pin_driven(m, PORT_A, 13));
    ck_assert(!line(IRQ_GPIO_A2));
    /* the button is still held: the board input survives the chip reset */
    ck_assert_uint_eq(rd(ga, GPIO_PVR) & PA16, 0);
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

START_TEST(trace_pin_and_led_events)
{
    char err[256];
    const char *path = ut_path(ut_tmpdir(), "gpio.trace");
    m->trace = trace_open(path, err, sizeof err);
    ck_assert_msg(m->trace != NULL, "%s", err);
    drive(ga, PA13, 0);
    wr(ga, GPIO_OVR + GPIO_SET, PA13);
    wr(ga, GPIO_OVR + GPIO_SET, PA13);                          /* no change: no event */
    trace_close(m->trace);
    m->trace = NULL;
    const char *t = slurp(path);
    const char *on = strstr(t, "\"ev\":\"pin\",\"port\":\"A\",\"pin\":13,\"level\":0,\"driven\":true}");
    const char *lit = strstr(t, "\"ev\":\"led\",\"name\":\"red\",\"on\":true}");
    const char *off = strstr(t, "\"ev\":\"pin\",\"port\":\"A\",\"pin\":13,\"level\":1,\"driven\":true}");
    const char *dark = strstr(t, "\"ev\":\"led\",\"name\":\"red\",\"on\":false}");
    ck_assert_msg(on && lit && off && dark, "trace:\n%s", t);
    ck_assert(on < lit && lit < off && off < dark);
    ck_assert_ptr_null(strstr(off + 1, "\"ev\":\"pin\""));
    int lines = 0;
    for (const char *p = t; *p; p++)
        lines += *p == '\n';
    ck_assert_int_eq(lines, 4);
}
END_TEST

Suite *gpio_suite(void);
Suite *gpio_suite(void)
{
    Suite *s = suite_create("gpio");
    TCase *regs = tcase_create("registers");
    TCase *pins = tcase_create("pins");
    TCase *irqs = tcase_create("interrupts");
    TCase *misc = tcase_create("reset_trace");
    TCase *all[] = { regs, pins, irqs, misc };
    for (size_t i = 0; i < 4; i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        suite_add_tcase(s, all[i]);
    }
    tcase_add_test(regs, reset_values);
    tcase_add_test(regs, read_only_registers);
    tcase_add_test(regs, set_clear_toggle_aliases);
    tcase_add_test(regs, narrow_accesses);
    tcase_add_test(regs, unknown_offsets);
    tcase_add_test(pins, output_drives_the_led);
    tcase_add_test(pins, peripheral_function_pins_not_driven);
    tcase_add_test(pins, pulls_and_buskeeper);
    tcase_add_test(pins, external_input_button);
    tcase_add_test(pins, port_b_reports_on_port_b);
    tcase_add_test(irqs, ifr_on_pin_change);
    tcase_add_test(irqs, ifr_on_rising_edge);
    tcase_add_test(irqs, ifr_on_falling_edge);
    tcase_add_test(irqs, ifr_reserved_mode_is_pin_change);
    tcase_add_test(irqs, ifr_only_clear_alias_acts);
    tcase_add_test(irqs, irq_line_per_group);
    tcase_add_test(irqs, no_interrupt_without_ier);
    tcase_add_test(misc, machine_reset_restores);
    tcase_add_test(misc, trace_pin_and_led_events);
    return s;
}
