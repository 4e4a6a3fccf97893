/*
 * main.c — the Hail board: statically allocates and wires the chip drivers,
 * the kernel, its scheduler and fault policy, then boots.  Every number
 * (memories, areas, peripheral bases and IRQs, pins, baud rate, scheduler,
 * timeslice, fault policy, driver numbers) comes from build/gen/hail_board.h,
 * generated from boards/hail.yaml by tools/boardgen.c.
 *
 * Boot: arch set-up, 48 MHz clocks, GPIO and the LEDs (off), the console
 * UART (USART0 on PA11/PA12) with the kernel debug writer, AST alarm and
 * TRNG drivers, then the banner "Hail: hailsim kernel booting", the kernel
 * with the YAML's scheduler and fault policy, one line per process loaded
 * from app flash or object skipped, and the main loop.
 *
 * Capsules (before any process is loaded, so their grants exist): the alarm
 * mux on the AST with one virtual alarm for the alarm driver (0x0), LEDs
 * (0x2), the user button (0x3), the header GPIO pins (0x4), the RNG on the
 * TRNG (0x40001), the kernel's IPC (0x10000), then the console capsules
 * through hail_wire_console() (console_wiring.c; a weak empty default here
 * lets the board link without it).
 */
#include "alarm_driver.h"
#include "alarm_mux.h"
#include "arch_vectors.h"
#include "button.h"
#include "cortexm.h"
#include "gpio_driver.h"
#include "hail.h"
#include "led.h"
#include "rng.h"
#include "hail_board.h"
#include "kernel/awareness_update.h"

ARCH_VECTOR_TABLE(BOARD_CPU_NUM_IRQS);

/* Hail routes USART0 RX/TX to PA11/PA12, peripheral function A (pin muxing
 * is not part of the board YAML). */
#define HAIL_CONSOLE_RX_PIN 11u
#define HAIL_CONSOLE_TX_PIN 12u
#define SAM4L_FUNCTION_A 0u

_Static_assert(BOARD_KERNEL_MAX_PROCESSES <= KERNEL_MAX_PROCS, "kernel.max_processes exceeds KERNEL_MAX_PROCS");
_Static_assert(BOARD_NUM_LEDS >= 1, "the panic blinks the first LED");
_Static_assert(BOARD_DRIVER_IPC_NUM == IPC_DRIVER_NUM, "the kernel's IPC driver number is fixed");
_Static_assert(BOARD_NUM_BUTTONS <= BUTTON_MAX, "the button grant holds one bit per button");

/* The layout the linker script checks against (layout.ld ASSERTs). */
__attribute__((used)) static void board_layout_symbols(void)
{
    __asm__(".global __board_kernel_flash_base\n\t.set __board_kernel_flash_base, %c0\n\t"
            ".global __board_kernel_flash_size\n\t.set __board_kernel_flash_size, %c1\n\t"
            ".global __board_kernel_ram_base\n\t.set __board_kernel_ram_base, %c2\n\t"
            ".global __board_kernel_ram_size\n\t.set __board_kernel_ram_size, %c3\n\t"
            ".global __board_vtor\n\t.set __board_vtor, %c4"
            :: "i"(BOARD_KERNEL_FLASH_BASE), "i"(BOARD_KERNEL_FLASH_SIZE), "i"(BOARD_KERNEL_RAM_BASE),
               "i"(BOARD_KERNEL_RAM_SIZE), "i"(BOARD_CPU_VTOR));
}

/* ---- statically allocated board state -------------------------------------------- */
struct sam4l_usart hail_console_state;
struct hil_uart hail_console;
struct hil_gpio_pin hail_leds[BOARD_NUM_LEDS];
static struct hil_led leds[BOARD_NUM_LEDS];
static struct hil_gpio_pin buttons[BOARD_NUM_BUTTONS];
static struct button_pin button_cfg[BOARD_NUM_BUTTONS];
static struct hil_gpio_pin gpio_driver_pins[BOARD_DRIVER_GPIO_NPINS];
static const struct hil_gpio_pin *gpio_driver_table[BOARD_DRIVER_GPIO_NPINS];
static struct sam4l_ast ast_state;
static struct hil_alarm alarm;
static struct sam4l_trng trng_state;
static struct hil_rng rng;

struct alarm_mux hail_alarm_mux;
static struct virtual_alarm alarm_driver_valarm;
static struct alarm_driver alarm_driver;
static struct led_driver led_driver;
static struct button_driver button_driver;
static struct gpio_driver gpio_driver;
static struct rng_driver rng_driver;

static struct kernel hail_kernel;
static struct scheduler scheduler;
#if defined(BOARD_KERNEL_SCHED_MLFQ)
static struct sched_mlfq_state sched_state;
#elif !defined(BOARD_KERNEL_SCHED_PRIORITY)
static struct sched_rr_state sched_state;
#endif

/* ---- set-up ------------------------------------------------------------------------ */

static void chip_setup(void)
{
    static const uint32_t port_bases[] = BOARD_GPIO_PORT_BASES;
    static const int port_irqs[][4] = BOARD_GPIO_PORT_IRQS;
    arch_setup(BOARD_CPU_CLOCK_HZ, BOARD_MEM_SRAM_BASE, BOARD_MEM_SRAM_BASE + BOARD_MEM_SRAM_SIZE);
    sam4l_clock_init(&(struct sam4l_clock_bases){ BOARD_PM_BASE, BOARD_SCIF_BASE, BOARD_BPM_BASE,
                                                  BOARD_BSCIF_BASE, BOARD_FLASHCALW_BASE });
    sam4l_gpio_init(port_bases, port_irqs, BOARD_GPIO_PORTS);
}

static void pins_setup(void)
{
    static const struct { uint32_t pin; bool active_low; } led_pins[] = BOARD_LEDS, button_pins[] = BOARD_BUTTONS;
    static const uint32_t gpio_pins[] = BOARD_DRIVER_GPIO_PINS;
    for (int i = 0; i < BOARD_NUM_LEDS; i++) {
        sam4l_gpio_pin_init(&hail_leds[i], led_pins[i].pin);
        leds[i] = (struct hil_led){ &hail_leds[i], led_pins[i].active_low };
        (led_pins[i].active_low ? hail_leds[i].set : hail_leds[i].clear)(&hail_leds[i]);   /* off, */
        hail_leds[i].make_output(&hail_leds[i]);                                            /* then drive */
    }
    for (int i = 0; i < BOARD_NUM_BUTTONS; i++) {
        sam4l_gpio_pin_init(&buttons[i], button_pins[i].pin);
        buttons[i].make_input(&buttons[i], HIL_PULL_NONE);
        button_cfg[i] = (struct button_pin){ &buttons[i], button_pins[i].active_low };
    }
    for (int i = 0; i < BOARD_DRIVER_GPIO_NPINS; i++) {
        sam4l_gpio_pin_init(&gpio_driver_pins[i], gpio_pins[i]);
        gpio_driver_table[i] = &gpio_driver_pins[i];
    }
}

static void console_setup(void)
{
    sam4l_gpio_set_function(HAIL_CONSOLE_RX_PIN, SAM4L_FUNCTION_A);
    sam4l_gpio_set_function(HAIL_CONSOLE_TX_PIN, SAM4L_FUNCTION_A);
    sam4l_usart_init(&hail_console, &hail_console_state, BOARD_CONSOLE_UART_BASE, BOARD_CONSOLE_UART_IRQ,
                     BOARD_CONSOLE_UART_INDEX, BOARD_CONSOLE_BAUD, BOARD_CPU_CLOCK_HZ);
    kernel_debug_init(&hail_console);
    kernel_debug_set_blocking(true);
}

static void scheduler_setup(void)
{
#if defined(BOARD_KERNEL_SCHED_ROUND_ROBIN)
    sched_round_robin_init(&scheduler, &sched_state, BOARD_KERNEL_TIMESLICE_US);
#elif defined(BOARD_KERNEL_SCHED_COOPERATIVE)
    sched_cooperative_init(&scheduler, &sched_state);
#elif defined(BOARD_KERNEL_SCHED_PRIORITY)
    sched_priority_init(&scheduler);
#else
    sched_mlfq_init(&scheduler, &sched_state);
#endif
}

/* Capsules over the chip's HILs; grants and drivers registered with the kernel. */
static void capsules_setup(struct kernel *k)
{
    alarm_mux_init(&hail_alarm_mux, &alarm);
    virtual_alarm_init(&alarm_driver_valarm, &hail_alarm_mux);
    alarm_driver_init(&alarm_driver, BOARD_DRIVER_ALARM_NUM, &alarm_driver_valarm.hil);
    led_driver_init(&led_driver, BOARD_DRIVER_LED_NUM, leds, BOARD_NUM_LEDS);
    button_driver_init(&button_driver, BOARD_DRIVER_BUTTON_NUM, button_cfg, BOARD_NUM_BUTTONS);
    gpio_driver_init(&gpio_driver, BOARD_DRIVER_GPIO_NUM, gpio_driver_table, BOARD_DRIVER_GPIO_NPINS);
    rng_driver_init(&rng_driver, BOARD_DRIVER_RNG_NUM, &rng);
    struct grant *grants[] = { &alarm_driver.grant, &button_driver.grant, &gpio_driver.grant, &rng_driver.grant };
    const struct syscall_driver *drivers[] = { &alarm_driver.driver, &led_driver.driver, &button_driver.driver,
                                               &gpio_driver.driver, &rng_driver.driver };
    for (unsigned i = 0; i < sizeof grants / sizeof grants[0]; i++)
        if (kernel_register_grant(k, grants[i]) < 0)
            kernel_debug("Hail: cannot register grant %u\n", i);
    for (unsigned i = 0; i < sizeof drivers / sizeof drivers[0]; i++)
        if (kernel_register_driver(k, drivers[i]) < 0)
            kernel_debug("Hail: cannot register driver 0x%x\n", drivers[i]->num);
    if (ipc_register(k) < 0)
        kernel_debug("Hail: cannot register IPC\n");
    hail_wire_console(k);
}

/* The console capsules' wiring (console_wiring.c) replaces this. */
__attribute__((weak)) void hail_wire_console(struct kernel *k)
{
    (void)k;
}

/* ---- boot report ---------------------------------------------------------------------- */

static void report_skipped(const char *name, uint32_t addr, const char *why)
{
    kernel_debug("Hail: skipped object at 0x%08x (%s): %s\n", addr, name ? name : "?", why);
}

static void report_loaded(const struct kernel *k)
{
    for (int i = 0; i < k->nprocs; i++) {
        const struct process *p = k->procs[i];
        if (p == NULL || p->state == PROC_UNUSED)
            continue;
        kernel_debug("Hail: process %d '%.*s' flash 0x%08x+0x%x ram 0x%08x+0x%x\n", i, p->name_len,
                     p->name ? p->name : "", p->flash_start, p->flash_size, p->mem_start, p->mem_size);
    }
}

/* Every process state change: the kernel's awareness table, then a line on
 * the console for the ones worth it (exit, fault, restart). */
static void observe(struct kernel *k, struct process *p)
{
    static uint8_t last_state[KERNEL_MAX_PROCS];
    static uint32_t last_restarts[KERNEL_MAX_PROCS];
    int i = p->id.index;
    const char *name = p->name ? p->name : "";
    if (p->state == PROC_TERMINATED && last_state[i] != PROC_TERMINATED && p->has_completion_code)
        kernel_debug("Hail: process '%.*s' exited with completion code %u\n", p->name_len, name,
                     p->completion_code);
    if (p->state == PROC_FAULTED && last_state[i] != PROC_FAULTED)
        kernel_debug("Hail: process '%.*s' faulted at pc 0x%08x and was stopped\n", p->name_len, name, p->fault.pc);
    if (p->restart_count != last_restarts[i])
        kernel_debug("Hail: process '%.*s' restarted (%u) after %s at pc 0x%08x\n", p->name_len, name,
                     p->restart_count, p->fault.kind != FAULT_NONE ? "a fault" : "exit", p->fault.pc);
    awareness_observer(k, p);
    last_state[i] = (uint8_t)p->state;
    last_restarts[i] = p->restart_count;
}

/* ---- main ------------------------------------------------------------------------------ */

int main(void)
{
    struct kernel *k = &hail_kernel;
    chip_setup();
    pins_setup();
    console_setup();
    sam4l_ast_init(&alarm, &ast_state, BOARD_AST_BASE, BOARD_AST_IRQ_ALARM);
    sam4l_trng_init(&rng, &trng_state, BOARD_TRNG_BASE, BOARD_TRNG_IRQ_IRQ);
    kernel_debug("Hail: hailsim kernel booting\n");
    scheduler_setup();
    kernel_init(k, &sam4l_chip_ops, &scheduler,
                (struct fault_policy){ BOARD_KERNEL_FAULT_POLICY, BOARD_KERNEL_RESTART_THRESHOLD },
                BOARD_APP_RAM_BASE, BOARD_APP_RAM_BASE + BOARD_APP_RAM_SIZE);
    k->panic_hook = hail_panic;
    k->observer = observe;
    capsules_setup(k);
    kernel_load_processes(k, BOARD_APP_FLASH_BASE, BOARD_APP_FLASH_BASE + BOARD_APP_FLASH_SIZE, report_skipped);
    report_loaded(k);
    kernel_debug("Hail: %s scheduler, fault policy %s, entering the main loop\n", BOARD_KERNEL_SCHEDULER,
                 BOARD_KERNEL_FAULT_POLICY_NAME);
    kernel_debug_set_blocking(false);
    kernel_loop(k);
}
