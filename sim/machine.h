/*
 * machine.h — the simulated machine: one context struct that owns the
 * Unicorn CPU, the memory buffers, the ARMv7-M system control space models
 * (NVIC, SCB, SysTick, MPU, DWT), the peripheral models, virtual time and the
 * trace.  Nothing in the simulator is global: every function takes the
 * machine it works on, so tests can run many machines side by side.
 *
 * Layering inside sim/:
 *   machine.c   create/reset/destroy, memory map from the board, ELF/app loading
 *   cpu.c       Unicorn set-up, hooks and the run loop (virtual time, WFI)
 *   cpu_state.c reading/writing the banked M-profile state through Unicorn
 *   exc.c       the exception model: priorities, entry, return, faults
 *   nvic.c scb.c systick.c mpu.c dwt.c scs.c   register models of the SCS
 *   mpu_enforce.c  PMSAv7 permissions applied to Unicorn page protections
 *   semihost.c  ARM semihosting; trace.c  JSON Lines trace
 */
#ifndef HAILSIM_MACHINE_H
#define HAILSIM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <unicorn/unicorn.h>

#include "board.h"
#include "divtrap.h"
#include "evq.h"
#include "qmpu.h"
#include "uc_env.h"

/* ---- exception numbers ---------------------------------------------------- */
enum {
    EXC_RESET = 1, EXC_NMI = 2, EXC_HARDFAULT = 3, EXC_MEMMANAGE = 4,
    EXC_BUSFAULT = 5, EXC_USAGEFAULT = 6, EXC_SVCALL = 11, EXC_DEBUGMON = 12,
    EXC_PENDSV = 14, EXC_SYSTICK = 15, EXC_IRQ0 = 16
};
#define EXC_MAX (16 + 240)

/* CFSR bits */
#define CFSR_IACCVIOL   (1u << 0)
#define CFSR_DACCVIOL   (1u << 1)
#define CFSR_MUNSTKERR  (1u << 3)
#define CFSR_MSTKERR    (1u << 4)
#define CFSR_MMARVALID  (1u << 7)
#define CFSR_IBUSERR    (1u << 8)
#define CFSR_PRECISERR  (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_UNSTKERR   (1u << 11)
#define CFSR_STKERR     (1u << 12)
#define CFSR_BFARVALID  (1u << 15)
#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_INVSTATE   (1u << 17)
#define CFSR_INVPC      (1u << 18)
#define CFSR_NOCP       (1u << 19)
#define CFSR_UNALIGNED  (1u << 24)
#define CFSR_DIVBYZERO  (1u << 25)
#define HFSR_VECTTBL    (1u << 1)
#define HFSR_FORCED     (1u << 30)

/* ---- exception state (the NVIC and SCB registers are views of this) ------ */
struct exc_slot {
    bool enabled;               /* IRQs: NVIC ISER; MemManage/Bus/Usage: SHCSR; others always */
    bool pending;
    bool active;
    bool line;                  /* IRQs: the peripheral's interrupt line is asserted */
    uint8_t prio;               /* raw priority byte (masked to implemented bits) */
};

struct exc_state {
    int num_exc;                /* 16 + number of IRQs */
    struct exc_slot slot[EXC_MAX];
    int npending;               /* number of slots with pending && enabled */
    /* slot[].pending and slot[].enabled as bitmaps by exception number, for
     * the NVIC's register views (exc_set_pending / exc_set_enabled keep them) */
    uint32_t pending_bits[EXC_MAX / 32 + 1], enabled_bits[EXC_MAX / 32 + 1];
    int nactive;
    uint8_t prio_mask;          /* implemented priority bits, e.g. 0xF0 */
    uint32_t prigroup;          /* AIRCR.PRIGROUP */
};

/* ---- SCB / SysTick / MPU / DWT registers --------------------------------- */
struct scb_state {
    uint32_t vtor, scr, ccr, cfsr, hfsr, dfsr, mmfar, bfar, afsr, cpacr;
    uint32_t actlr;
};

struct systick_state {
    uint32_t csr;               /* ENABLE 0, TICKINT 1, CLKSOURCE 2, COUNTFLAG 16 */
    uint32_t rvr;
    uint64_t epoch;             /* cycle at which the counter last loaded RVR */
    uint32_t cvr_frozen;        /* counter value while disabled */
    struct evq_timer timer;
};

#define MPU_MAX_REGIONS 16
struct mpu_state {
    int nregions;
    uint32_t ctrl, rnr;
    uint32_t rbar[MPU_MAX_REGIONS];     /* ADDR bits only */
    uint32_t rasr[MPU_MAX_REGIONS];
    uint32_t generation;                /* bumped on every configuration change */
};

struct dwt_state {
    uint32_t ctrl, demcr;
    uint64_t cyccnt_base;               /* cycle at which CYCCNT was 0 (while enabled) */
    uint32_t cyccnt_frozen;
};

/* ---- MMIO devices --------------------------------------------------------- */
/* A page-aligned MMIO window mapped into Unicorn (the SCS, the DWT, groups
 * of peripherals); the routing to register models is done by its owner. */
struct machine;
struct mmio_dev {
    const char *name;
    uint32_t base, size;
    struct machine *m;
};
struct periph_set;

/* ---- memory --------------------------------------------------------------- */
struct mem_block {
    const struct board_memory *desc;
    uint32_t base, size;
    uint8_t *host;
};

/* ---- why the run loop stopped ---------------------------------------------- */
enum stop_reason {
    STOP_NONE, STOP_TIME_LIMIT, STOP_GUEST_EXIT, STOP_LOCKUP, STOP_CPU_ERROR, STOP_NO_WAKEUP
};

/* A synchronous fault detected inside a Unicorn hook, taken by the run loop. */
struct pending_fault {
    bool valid;
    int exc;                    /* EXC_MEMMANAGE / EXC_BUSFAULT / EXC_USAGEFAULT */
    uint32_t cfsr_bits;
    uint32_t addr;              /* MMFAR/BFAR when valid */
};

struct trace;
struct proctrace;
struct isocheck;
struct board_io;

/* Instruction counts of translated blocks in flash, by a multiplicative
 * hash of the start address: the kernel (32 KiB of code) and the apps (at
 * 0x30000 and up) do not evict each other as they did with addr / 2 mod 4096. */
#define BLOCK_CACHE_BITS 15
#define BLOCK_CACHE_SIZE (1u << BLOCK_CACHE_BITS)
/* An empty slot (0, 0, 0) is also a true entry: a block of size 0 has 0 instructions. */
struct block_count { uint32_t addr; uint16_t size, count; };
static inline uint32_t block_slot(uint32_t addr) { return (addr * 0x9E3779B1u) >> (32 - BLOCK_CACHE_BITS); }

#define MAX_MMIO 48

struct machine {
    const struct board *board;
    uc_engine *uc;
    struct uc_env env;          /* the live CPU state, or base NULL: registers through the API */
    uint32_t clock_hz;
    uint32_t page_size;
    uint32_t elf_vtor;          /* vector table the loaded image provides */
    uint32_t reset_sp;          /* initial MSP from that vector table */

    int nmem;
    struct mem_block mem[BOARD_MAX_MEMORIES];
    int nmmio;
    struct mmio_dev mmio[MAX_MMIO];
    struct periph_set *periphs;     /* periph.c */
    void *pm_dev;                   /* the PM model, for the clock gates (sam4l_pm.c) */
    bool pm_looked_up;

    /* virtual time */
    uint64_t cycles;            /* core clock cycles since reset */
    uint64_t stall_cycles;      /* cycles that ran no instruction (exception entry and
                                   return, sleep, the time-limit jump): machine_insns() */
    uint64_t stop_at;           /* cycle limit (EVQ_NEVER for none): set it, then cpu_kick() */
    /* The block hook's fast path (count and go on) holds while cycles <
     * boundary_at: at most the next timer event (the evq lowers it) and the
     * cycle limit, 0 while anything else is due (cpu_kick) */
    uint64_t boundary_at;
    uint64_t block_start;       /* cycles when the current block began */
    uint32_t block_len;         /* its instruction count */
    uint32_t mmio_skew;         /* time-register reads so far in this block */
    uint32_t block_end_pc;      /* address after the last block that ran (WFI detection) */
    struct evq evq;

    /* M-profile core state kept by the simulator */
    struct exc_state exc;
    struct scb_state scb;
    struct systick_state systick;
    struct mpu_state mpu;
    struct dwt_state dwt;
    uint32_t ipsr;              /* current exception number, 0 = thread mode */
    uint32_t control;           /* CONTROL as last set by the simulator or polled */
    bool privileged;            /* current execution privilege */
    bool poll_control;          /* privileged thread mode: MSR CONTROL may drop privilege */
    uint32_t primask, basepri, faultmask;   /* as last read (for reports) */
    /* Unprivileged thread mode cannot write MSP or the masks (MSR and CPS
     * are ignored there), so from an exception return into it until the next
     * mode change these are known without the costly reads from that mode */
    struct { bool valid; uint32_t msp, primask, basepri, faultmask; } unpriv;
    bool event_register;        /* for WFE/SEV */
    bool sleeping;

    /* MPU enforcement (mpu_enforce.c) */
    struct qmpu qmpu;           /* QEMU's own MPU, when its self-test passed */
    bool qmpu_active;
    uint32_t qmpu_ctrl, qmpu_ccr;   /* values last written into QEMU */
    struct enforce_state *enforce;  /* fallback: page protections */
    uint32_t enforce_generation;
    int enforce_priv;           /* privilege key the applied protections are for */
    uint64_t prot_calls;

    uint32_t run_until;         /* next run stops at this PC (divtrap.c), 0 = none */
    /* called before a WFI fast-forward jumps to `cycle` (real-time pacing, termview.c) */
    void (*idle_fn)(void *ctx, uint64_t cycle);
    void *idle_ctx;
    struct pending_fault fault;
    bool stop_requested;        /* we asked Unicorn to stop (PC write, uc_emu_stop) */
    bool in_intr_hook;          /* inside the interrupt hook: between blocks (cpu.c) */
    bool stop_deferred;         /* stop at the next block boundary (asked from an MMIO callback) */
    bool reset_requested;       /* AIRCR.SYSRESETREQ */
    enum stop_reason stop;
    int exit_status;
    char stop_msg[256];

    /* options */
    bool trace_exceptions;
    bool strict_mmio;
    uint64_t seed;
    struct trace *trace;
    struct proctrace *proctrace;    /* `proc` events (proctrace.c), checked at exception returns */
    struct isocheck *isocheck;      /* --check-isolation (isocheck.c) */
    struct board_io *io;        /* what the board wires to the pins (board_io.c) */
    FILE *console;              /* where the console UART's output goes (stdout; NULL = nowhere) */
    FILE *out;                  /* guest semihosting stdout */
    FILE *err;                  /* guest semihosting stderr and simulator messages */

    /* ---- the GDB stub (gdb.c, issue #7); all zero without --gdb ---- */
    struct gdb_server *gdb;
    bool gdb_armed;             /* breakpoints set or a step running: the block hook asks gdb.c */
    bool gdb_halt;              /* the run loop hands the CPU to gdb_halted() */
    bool gdb_step;              /* the next run executes one instruction (count 1) */
    /* ---- end of the GDB stub's fields ---- */

    /* ---- snapshots (snapshot.c, issue #7) ---- */
    struct snapshot *snap;      /* --snapshot-at: the pending snapshot (NULL without) */
    bool snapshot_pending;      /* its time came: the run loop writes it at the next block boundary */
    /* ---- end of snapshots ---- */

    struct block_count bcache[BLOCK_CACHE_SIZE];
    char errbuf[512];
};

/* machine.c */
/* `mpu_layout` from qmpu_self_test(), or NULL to enforce the MPU with page protections. */
int machine_create(struct machine *m, const struct board *b, const struct qmpu_layout *mpu_layout,
                   char *err, size_t errlen);
void machine_destroy(struct machine *m);
/* Loads a kernel (or any bare-metal) ELF into the memory map. */
int machine_load_elf(struct machine *m, const char *path, char *err, size_t errlen);
/* Places an app image at `*cursor` in the board's app-flash area and advances it. */
int machine_load_app(struct machine *m, const char *path, uint32_t *cursor, char *err, size_t errlen);
/* Architectural reset: SCS state, SP and PC from the vector table at VTOR. */
int machine_reset(struct machine *m, char *err, size_t errlen);
int machine_add_mmio(struct machine *m, const struct mmio_dev *d, char *err, size_t errlen);
uint8_t *machine_host_ptr(struct machine *m, uint32_t addr, uint32_t len);
int machine_read32(struct machine *m, uint32_t addr, uint32_t *val);
int machine_write32(struct machine *m, uint32_t addr, uint32_t val);
uint64_t machine_time_ns(const struct machine *m);
/* Instructions executed: the block hook only adds to cycles (one instruction, one cycle). */
static inline uint64_t machine_insns(const struct machine *m) { return m->cycles - m->stall_cycles; }
/* Virtual time passes without instructions. */
static inline void machine_stall(struct machine *m, uint64_t cycles)
{
    m->cycles += cycles;
    m->stall_cycles += cycles;
}
/* Virtual time as seen by a register read inside the current block: the
 * block's start plus one cycle per timer read so far (reads inside a block
 * are ordered and distinct; the block's end is never exceeded). */
uint64_t machine_mmio_now(struct machine *m);
uint64_t machine_ns_to_cycles(const struct machine *m, uint64_t ns);

/* cpu.c */
int cpu_open(struct machine *m, char *err, size_t errlen);
int cpu_self_check(char *err, size_t errlen);
/* Runs until a stop reason is set (time limit, guest exit, lockup, error). */
void cpu_run(struct machine *m);
void cpu_request_stop(struct machine *m);
/* From an MMIO callback: stopping there makes Unicorn re-run the block, so
 * the stop happens at the next block boundary instead. */
void cpu_defer_stop(struct machine *m);
void cpu_fatal(struct machine *m, enum stop_reason why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cpu_dump_registers(struct machine *m, FILE *f);
/* Something the block boundary must look at was set (a pending exception,
 * a stop, the cycle limit, the GDB stub, the CONTROL poll, CCR.DIV_0_TRP):
 * the next block takes the hook's slow path, which recomputes the bound. */
static inline void cpu_kick(struct machine *m) { m->boundary_at = 0; }
/* The run stops when virtual time reaches `cycle` (a block boundary). */
static inline void cpu_set_stop_at(struct machine *m, uint64_t cycle)
{
    m->stop_at = cycle;
    cpu_kick(m);
}
/* Code in flash was rewritten (GDB): forget the cached block counts. */
void cpu_code_changed(struct machine *m);

#endif
