/*
 * process_console.h — Tock's process console (tock-abi.md §7.3): a text
 * shell on a UART (on Hail: a virtual UART of the console mux), prompt
 * `tock$ `, input echoed, lines ended with "\r\n" like Tock.
 *
 *   help, status, list, stop NAME, start NAME, fault NAME, terminate NAME,
 *   boot NAME, process NAME, kernel, reset, panic, console-stop, console-start
 *
 * It uses the kernel's process functions (process_stop / process_resume /
 * process_fault / process_terminate / process_reset) on the processes whose
 * package name is NAME.  Long outputs (list, process, kernel) are produced a
 * few lines at a time as the UART drains, into a fixed ring buffer.  The
 * first prompt appears with the first byte typed (a board nobody types on
 * shows only the kernel's and the apps' output).
 */
#ifndef CAPSULES_PROCESS_CONSOLE_H
#define CAPSULES_PROCESS_CONSOLE_H

#include "kernel/hil.h"
#include "kernel/kernel.h"

#define PC_CMD_LEN 32u
#define PC_OUT_LEN 1024u
#define PC_LINE_MAX 256u

/* Where the kernel lies in memory (for `kernel`); all ends exclusive. */
struct pc_kernel_map {
    uint32_t text_start, text_end;          /* code and read-only data */
    uint32_t data_start, data_end;          /* initialised data (relocated from flash) */
    uint32_t bss_start, bss_end;
    uint32_t stack_start, stack_end;
};

enum pc_generator { PC_GEN_NONE, PC_GEN_LIST, PC_GEN_PROCESS, PC_GEN_KERNEL };

struct process_console {
    const struct hil_uart *uart;
    struct kernel *kernel;
    const struct pc_kernel_map *map;        /* may be NULL */
    void (*reset)(void);                    /* may be NULL */
    uint8_t rx_byte, prev_byte, esc;
    char cmd[PC_CMD_LEN];
    uint8_t cmd_len;
    char out[PC_OUT_LEN];                   /* ring of text waiting for the UART */
    uint16_t out_head, out_count, tx_len;
    bool tx_busy, running, prompted, execute, hibernating;
    enum pc_generator gen;
    int gen_index, gen_step;
};

void process_console_init(struct process_console *pc, const struct hil_uart *uart, struct kernel *k,
                          const struct pc_kernel_map *map, void (*reset)(void));
/* Starts listening for commands (like Tock's ProcessConsole::start). */
void process_console_start(struct process_console *pc);

#endif
