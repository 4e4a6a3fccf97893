/*
 * procview.h — the window's view of the kernel's processes: reads the
 * kernel-awareness table (docs/awareness.md) at the kernel ELF's symbol
 * `kernel_awareness` straight from guest RAM, and derives a short log of
 * system calls from the changes between two samples.
 *
 * Limits of the derived log: the table holds only each process's last
 * system call and counters, and the kernel rewrites a record only when the
 * process changes state, so one log entry stands for all the calls made
 * between two samples (its `calls` field says how many), and only the last
 * of them is named.
 */
#ifndef HAILSIM_PROCVIEW_H
#define HAILSIM_PROCVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

#define PROCVIEW_MAX_PROCS 20
#define PROCVIEW_NAME_LEN 24
#define PROCVIEW_LOG 64

struct procview_proc {
    char name[PROCVIEW_NAME_LEN];
    uint32_t state, pid;
    uint32_t restarts, syscalls, timeslices, dropped;
    uint32_t fault_kind, fault_pc, fault_cfsr, fault_addr;
    uint32_t last_syscall;              /* class | number << 8 */
    uint32_t mem_start, mem_size;       /* the process's RAM block */
    uint32_t app_break, kernel_break;   /* [mem_start, app_break) is the process's, [kernel_break, end) grants */
    uint32_t flash_start, flash_size;   /* the TBF object */
    uint32_t saved_sp;                  /* PSP the kernel will resume it with */
};

struct procview_log_entry {
    uint64_t t_ns;                      /* virtual time of the sample that saw it */
    char name[PROCVIEW_NAME_LEN];
    uint32_t syscall;                   /* the last call (class | number << 8) */
    uint32_t calls;                     /* calls since the previous sample */
};

struct procview {
    struct machine *m;
    bool present;                       /* the kernel ELF has `kernel_awareness` */
    bool valid;                         /* the table's magic and version were right at the last sample */
    uint32_t addr, generation;
    int nprocs;
    struct procview_proc procs[PROCVIEW_MAX_PROCS];
    int nlog, log_head;                 /* ring of the last PROCVIEW_LOG entries */
    struct procview_log_entry log[PROCVIEW_LOG];
};

/* Finds the table in `kernel_elf` (absent is not an error: bare-metal
 * images have none; pv->present says which).  Returns -1 only when the
 * ELF cannot be read. */
int procview_init(struct procview *pv, struct machine *m, const char *kernel_elf, char *err, size_t errlen);
/* Reads the table; returns true when anything shown changed. */
bool procview_sample(struct procview *pv);
/* The i-th newest log entry (0 = newest), or NULL. */
const struct procview_log_entry *procview_log_get(const struct procview *pv, int i);

const char *procview_state_name(uint32_t state);
const char *procview_fault_name(uint32_t kind);
/* "command 0x2/1"-style text for class | number << 8. */
void procview_syscall_text(uint32_t syscall, char *out, size_t len);

#endif
