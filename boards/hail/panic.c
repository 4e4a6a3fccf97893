/*
 * panic.c — the Hail kernel's panic hook (struct kernel.panic_hook) and the
 * arch's kernel-fault panic: interrupts off, the buffered debug output
 * drained, then a crash report on the console with polled output — the
 * reason, a fault the kernel took itself (registers, CFSR/HFSR/MMFAR/BFAR),
 * every process with its state and saved registers and its last fault —
 * and finally the red LED blinks forever with a busy-wait delay (no AST:
 * the alarm may be what broke).
 */
#include "cortexm.h"
#include "hail.h"
#include "hail_board.h"

#define BLINK_HALF_PERIOD_CYCLES (BOARD_CPU_CLOCK_HZ / 4u)

static void say(const char *fmt, ...);
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kernel_debug_v(fmt, ap);
    va_end(ap);
}

static void print_fault(const char *who, const struct fault_record *f)
{
    static const char *const kinds[] = { "none", "MemManage", "BusFault", "UsageFault", "HardFault",
                                         "bad syscall", "bad stack", "killed" };
    say("  %s fault: %s\n", who, f->kind < 8 ? kinds[f->kind] : "?");
    say("    r0 0x%08x r1 0x%08x r2 0x%08x r3 0x%08x r12 0x%08x\n", f->r[0], f->r[1], f->r[2], f->r[3], f->r12);
    say("    sp 0x%08x lr 0x%08x pc 0x%08x xpsr 0x%08x\n", f->sp, f->lr, f->pc, f->xpsr);
    say("    CFSR 0x%08x HFSR 0x%08x MMFAR 0x%08x BFAR 0x%08x\n", f->cfsr, f->hfsr, f->mmfar, f->bfar);
}

static void print_kernel_fault(void)
{
    const struct arch_kernel_fault *k = &arch_kfault;
    if (!arch_kfault_valid)
        return;
    say("Kernel fault (exception %u, EXC_RETURN 0x%08x)\n", k->exc, k->exc_return);
    say("  r0 0x%08x r1 0x%08x r2 0x%08x r3 0x%08x r12 0x%08x\n", k->r[0], k->r[1], k->r[2], k->r[3], k->r12);
    say("  r4 0x%08x r5 0x%08x r6 0x%08x r7 0x%08x\n", k->r4_r11[0], k->r4_r11[1], k->r4_r11[2], k->r4_r11[3]);
    say("  r8 0x%08x r9 0x%08x r10 0x%08x r11 0x%08x\n", k->r4_r11[4], k->r4_r11[5], k->r4_r11[6], k->r4_r11[7]);
    say("  sp 0x%08x lr 0x%08x pc 0x%08x xpsr 0x%08x\n", k->sp, k->lr, k->pc, k->xpsr);
    say("  CFSR 0x%08x HFSR 0x%08x MMFAR 0x%08x BFAR 0x%08x\n", k->cfsr, k->hfsr, k->mmfar, k->bfar);
}

static void print_process(const struct process *p, int i)
{
    const struct arch_process_state *r = &p->regs;
    say("Process %d '%.*s': %s, restarts %u, syscalls %u\n", i, p->name_len, p->name ? p->name : "",
        process_state_name(p->state), p->restart_count, p->syscall_count);
    say("  flash 0x%08x+0x%x ram 0x%08x+0x%x brk 0x%08x kbrk 0x%08x\n", p->flash_start, p->flash_size,
        p->mem_start, p->mem_size, p->app_break, p->kernel_break);
    say("  psp 0x%08x yield_pc 0x%08x r4-r11 %08x %08x %08x %08x %08x %08x %08x %08x\n", r->psp, r->yield_pc,
        r->r4_r11[0], r->r4_r11[1], r->r4_r11[2], r->r4_r11[3], r->r4_r11[4], r->r4_r11[5], r->r4_r11[6],
        r->r4_r11[7]);
    if (p->fault.kind != FAULT_NONE)
        print_fault("last", &p->fault);
}

static void delay(uint32_t cycles)
{
    for (volatile uint32_t i = cycles / 7u; i; i--) {       /* ~7 cycles per iteration at -Os */
    }
}

__attribute__((noreturn)) static void blink_forever(void)
{
    const struct hil_gpio_pin *red = &hail_leds[0];
    red->make_output(red);
    for (;;) {
        red->toggle(red);
        delay(BLINK_HALF_PERIOD_CYCLES);
    }
}

void hail_panic(struct kernel *k, const char *why)
{
    arch_disable_interrupts();
    kernel_debug_flush_sync();
    say("\nKernel panic: %s\n", why ? why : "(no reason)");
    print_kernel_fault();
    for (int i = 0; k && i < k->nprocs; i++)
        if (kernel_slot_state(k, i) != PROC_UNUSED)
            print_process(k->procs[i], i);
    say("Blinking the red LED forever.\n");
    blink_forever();
}

/* A fault taken by the kernel itself (fault.c). */
void arch_kernel_fault_panic(void)
{
    hail_panic(the_kernel, "kernel fault");
}
