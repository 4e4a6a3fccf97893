/*
 * console_wiring.c — the Hail board's console: the UART mux over the USART0
 * HIL (hail_console), shared by the kernel debug writer (debug.c, added
 * first by kernel_debug_init), the console capsule (driver 0x1, with its
 * grant) and the process console (Tock's shell, prompt `tock$ `), started
 * at once; its `reset` command resets the chip through the SCB (AIRCR).
 * hail_wire_console() is called by main() before the processes are loaded.
 */
#include "console.h"
#include "console_wiring.h"
#include "hail.h"
#include "process_console.h"

#define SCB_AIRCR 0xE000ED0Cu
#define AIRCR_SYSRESETREQ 0x05FA0004u

static struct uart_mux mux;
static bool mux_ready;
static struct uart_mux_device debug_dev, console_dev, pconsole_dev;
static struct grant console_grant = CONSOLE_GRANT_INIT;
static struct console console;
static struct process_console pconsole;
static struct pc_kernel_map kernel_map;

/* Linker script symbols (boards/hail/layout.ld). */
extern char __board_kernel_flash_base[], _sidata[], _sdata[], _edata[], _sbss[], _ebss[], _sstack[], _estack[];

static void mux_setup(const struct hil_uart *uart)
{
    if (mux_ready)
        return;
    uart_mux_init(&mux, uart);
    mux_ready = true;
}

const struct hil_uart *hail_console_mux_device(const struct hil_uart *uart, struct uart_mux_device **dev)
{
    mux_setup(uart);
    *dev = &debug_dev;
    const struct hil_uart *u = uart_mux_add(&mux, &debug_dev);
    uart_mux_set_priority(&debug_dev, true);      /* kernel lines are never queued behind app text */
    return u;
}

__attribute__((noreturn)) static void hail_reset(void)
{
    kernel_debug_flush_sync();
    *(volatile uint32_t *)SCB_AIRCR = AIRCR_SYSRESETREQ;
    for (;;) {
    }
}

static void kernel_map_setup(void)
{
    kernel_map = (struct pc_kernel_map){
        .text_start = (uint32_t)(uintptr_t)__board_kernel_flash_base, .text_end = (uint32_t)(uintptr_t)_sidata,
        .data_start = (uint32_t)(uintptr_t)_sdata, .data_end = (uint32_t)(uintptr_t)_edata,
        .bss_start = (uint32_t)(uintptr_t)_sbss, .bss_end = (uint32_t)(uintptr_t)_ebss,
        .stack_start = (uint32_t)(uintptr_t)_sstack, .stack_end = (uint32_t)(uintptr_t)_estack,
    };
}

void hail_wire_console(struct kernel *k)
{
    mux_setup(&hail_console);
    const struct hil_uart *console_uart = uart_mux_add(&mux, &console_dev);
    const struct hil_uart *pconsole_uart = uart_mux_add(&mux, &pconsole_dev);
    if (!console_uart || !pconsole_uart) {
        kernel_debug("Hail: the console UART mux is full\n");
        return;
    }
    console_init(&console, console_uart, &console_grant);
    if (kernel_register_grant(k, &console_grant) < 0 || kernel_register_driver(k, &console.driver) < 0)
        kernel_debug("Hail: cannot register the console driver\n");
    kernel_map_setup();
    process_console_init(&pconsole, pconsole_uart, k, &kernel_map, hail_reset);
    process_console_start(&pconsole);
}
