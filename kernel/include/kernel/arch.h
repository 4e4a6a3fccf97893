/*
 * arch.h — what the processor architecture (ARMv7-M, kernel/arch/cortex-m/)
 * provides to the kernel core: the context switch into and out of processes,
 * access to the stacked frame for system calls and upcalls, the MPU, and the
 * scheduler timer.  The core never touches a register directly.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include "kernel/types.h"

/* Saved per process across kernel <-> process switches. */
struct arch_process_state {
    uint32_t r4_r11[8];
    uint32_t psp;
    uint32_t yield_pc;          /* stacked PC of the last yield (lr for upcalls) */
    uint32_t psr;               /* stacked xPSR of the last yield */
};

/* MPU regions computed for one process (ARMv7-M: RBAR/RASR pairs).
 * `version` identifies the contents: arch_mpu_compute() and
 * arch_mpu_add_shared() give every configuration they produce or change a
 * new, never-zero value (a global counter), so the kernel decides whether
 * the hardware holds p's regions with one compare (kernel.c) instead of
 * comparing all the registers.  Code that edits rbar/rasr by hand must do
 * it on a configuration fresh from arch_mpu_compute() (process_brk does). */
#define ARCH_MPU_REGIONS 8
struct arch_mpu_config {
    uint32_t rbar[ARCH_MPU_REGIONS], rasr[ARCH_MPU_REGIONS];
    uint8_t n;                  /* regions in use, from 0 */
    uint32_t version;           /* 0 = never produced by the arch */
};

enum arch_switch_reason {
    SWITCH_SYSCALL,             /* svc from the process */
    SWITCH_TIMESLICE,           /* the scheduler timer expired */
    SWITCH_INTERRUPT,           /* some other interrupt */
    SWITCH_FAULT,               /* the process faulted (details in arch_last_fault) */
};

/* Runs the process until it traps back; returns why. */
enum arch_switch_reason arch_switch_to_process(struct arch_process_state *s);

/* The stacked frame of a process that trapped with svc. */
struct arch_syscall {
    uint8_t class_num;          /* svc immediate */
    uint32_t r[4];
};
/* Reads the syscall; false if the frame is not inside [lo, hi) (bad stack: fault). */
bool arch_get_syscall(const struct arch_process_state *s, uint32_t lo, uint32_t hi, struct arch_syscall *out);
void arch_set_syscall_return(struct arch_process_state *s, struct sysret r);
/* Sets up the frame so the next switch calls fn(args) returning to yield_pc. */
bool arch_set_process_function(struct arch_process_state *s, uint32_t lo, uint32_t hi, uint32_t fn,
                               const uint32_t args[4]);
/* A brand-new process: a fabricated frame at `stack` (mem_start), entry(r0..r3), LR = 1. */
void arch_init_process(struct arch_process_state *s, uint32_t stack, uint32_t entry, const uint32_t args[4]);
/* Registers of the last fault (fills a struct fault_record; see process.h). */
struct fault_record;
void arch_last_fault(const struct arch_process_state *s, struct fault_record *f);

/* ---- MPU ------------------------------------------------------------------- */
/* Chooses a RAM block for a process inside [pool, pool_end): start and size
 * satisfy the MPU's alignment rules and hold min_app bytes for the app plus
 * kernel_part bytes at the top.  Returns false if it does not fit. */
bool arch_mpu_allocate(uint32_t pool, uint32_t pool_end, uint32_t min_app, uint32_t kernel_part,
                       uint32_t *start, uint32_t *size);
/* Computes the regions for a process; false if the MPU cannot separate
 * app_break from kernel_break (brk/grant then fail with NOMEM). */
bool arch_mpu_compute(struct arch_mpu_config *c, uint32_t flash_start, uint32_t flash_size,
                      uint32_t mem_start, uint32_t mem_size, uint32_t app_break, uint32_t kernel_break);
/* Adds an RW region (IPC shared buffer); false if it cannot be expressed. */
bool arch_mpu_add_shared(struct arch_mpu_config *c, uint32_t start, uint32_t size);
void arch_mpu_apply(const struct arch_mpu_config *c);
void arch_mpu_disable_apps(void);

/* ---- scheduler timer (SysTick) --------------------------------------------------- */
void arch_timer_start(uint32_t us);
uint32_t arch_timer_remaining_us(void);
bool arch_timer_expired(void);
void arch_timer_stop(void);
/* arch_timer_expired() || arch_timer_remaining_us() <= min_us: asked after
 * every system call, so an architecture may provide a fused version (the
 * kernel core has a weak default built from the two above). */
bool arch_timer_slice_over(uint32_t min_us);

/* ---- interrupts and sleep ----------------------------------------------------- */
void arch_disable_interrupts(void);
void arch_enable_interrupts(void);
void arch_wait_for_interrupt(void);

#endif
