/*
 * cpu.c — the Cortex-M4 core on Unicorn: opening and self-checking the CPU
 * model, the hooks that feed the exception model (SVC, exception return,
 * BKPT/semihosting, faults from protections and unmapped memory, undefined
 * instructions), virtual time (a block hook adds each block's instruction
 * count, fires due timer events and takes pending interrupts at the block
 * boundary), and the run loop (WFI/WFE fast-forward to the next event).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_state.h"
#include "exc.h"
#include "gdb.h"
#include "mpu_enforce.h"
#include "semihost.h"
#include "snapshot.h"            /* --snapshot-at (#7) */
#include "trace.h"

/* QEMU exception numbers reported through UC_HOOK_INTR */
enum {
    EXCP_UDEF = 1, EXCP_SWI = 2, EXCP_PREFETCH_ABORT = 3, EXCP_DATA_ABORT = 4, EXCP_BKPT = 7,
    EXCP_EXCEPTION_EXIT = 8, EXCP_NOCP = 17, EXCP_INVSTATE = 18, EXCP_UNALIGNED = 22, EXCP_DIVBYZERO = 23
};

#define INSN_WFI 0xBF30u
#define INSN_WFE 0xBF20u
#define INSN_YIELD 0xBF10u
#define INSN_BKPT_SEMIHOST 0xBEABu
#define HFSR_DEBUGEVT (1u << 31)
#define RUN_UNTIL 0xFFFFFFFFu   /* odd: never a Thumb PC, so "run until stopped" */

static uint16_t read16(struct machine *m, uint32_t addr)
{
    uint8_t *p = machine_host_ptr(m, addr, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

void cpu_request_stop(struct machine *m)
{
    m->stop_requested = true;
    cpu_kick(m);
    uc_emu_stop(m->uc);
}

void cpu_defer_stop(struct machine *m)
{
    m->stop_deferred = true;
    cpu_kick(m);
}

void cpu_fatal(struct machine *m, enum stop_reason why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->stop_msg, sizeof m->stop_msg, fmt, ap);
    va_end(ap);
    if (m->stop == STOP_NONE)
        m->stop = why;
    if (m->trace) {
        char buf[600];
        trace_json_string(buf, sizeof buf, m->stop_msg, strlen(m->stop_msg));
        trace_emit(m, "halt", "\"reason\":%s,\"pc\":%u", buf, cpu_pc(m));
    }
    cpu_request_stop(m);
}

/* ---- instruction counting --------------------------------------------------- */

static uint32_t count_insns(const uint8_t *p, uint32_t size)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i + 1 < size; n++) {
        uint16_t hw = (uint16_t)(p[i] | p[i + 1] << 8);
        i += (hw >> 11) >= 0x1Du ? 4u : 2u;     /* 0b11101/11110/11111: 32-bit */
    }
    return n;
}

/* Counts the block's instructions and remembers them when the code is in
 * flash (RAM code may change under the same address and size). */
static uint32_t block_insns_slow(struct machine *m, uint32_t addr, uint32_t size)
{
    const uint8_t *p = machine_host_ptr(m, addr, size);
    if (!p)
        return size / 2;
    uint32_t n = count_insns(p, size);
    if (addr < m->mem[0].base + m->mem[0].size && m->mem[0].desc->kind == BOARD_MEM_FLASH && size < 0x10000)
        m->bcache[block_slot(addr)] = (struct block_count){ addr, (uint16_t)size, (uint16_t)n };
    return n;
}

void cpu_code_changed(struct machine *m)
{
    memset(m->bcache, 0, sizeof m->bcache);
}

/* The block runs: virtual time advances by its instruction count. */
static inline void block_account(struct machine *m, uint32_t addr, uint32_t size, uint32_t n)
{
    m->block_start = m->cycles;
    m->block_len = n;
    m->block_end_pc = addr + size;
    m->mmio_skew = 0;
    m->cycles += n;
}

/* ---- hooks -------------------------------------------------------------- */

/* Anything for the block boundary to do besides counting: a timer event or
 * the time limit due, a stop, a pending exception, the GDB stub, the CONTROL
 * poll or the divide-by-zero trap.  Whoever sets one of these calls
 * cpu_kick(); the evq lowers boundary_at itself. */
static bool block_needs_attention(const struct machine *m)
{
    return m->cycles >= evq_next(&m->evq) || m->cycles >= m->stop_at || m->exc.npending ||
           m->poll_control || m->stop_deferred || m->gdb_armed || m->stop != STOP_NONE ||
           (m->scb.ccr & (1u << 4));
}

/* The block boundary's work; returns false when the block does not run. */
static bool block_boundary(struct machine *m, uint32_t address, uint32_t size)
{
    if (m->cycles >= evq_next(&m->evq))
        evq_run_due(&m->evq, m->cycles);
    if (m->poll_control)
        cpu_poll_control(m);
    if (m->stop_deferred || m->cycles >= m->stop_at || m->stop != STOP_NONE) {
        m->stop_deferred = false;
        cpu_request_stop(m);                     /* stopping here: the block does not run */
        return false;
    }
    /* GDB stub (#7): breakpoints stop before their block; a step takes no interrupt */
    enum gdb_block dbg = m->gdb_armed ? gdb_check_block(m, address, size) : GDB_BLOCK_RUN;
    if (dbg == GDB_BLOCK_STOP)
        return false;
    if (dbg != GDB_BLOCK_STEP && m->exc.npending && exc_take_pending(m, address))
        return false;                            /* PC changed: this block does not run */
    if ((m->scb.ccr & (1u << 4)) && divtrap_check_block(m, address, size))
        return false;                            /* CCR.DIV_0_TRP: see divtrap.h */
    return true;
}

static __attribute__((noinline)) void hook_block_slow(struct machine *m, uint32_t address, uint32_t size)
{
    bool runs = block_boundary(m, address, size);
    if (runs) {
        const struct block_count *c = &m->bcache[block_slot(address)];
        uint32_t n = c->addr == address && c->size == size ? c->count : block_insns_slow(m, address, size);
        block_account(m, address, size, n);
    }
    uint64_t next = evq_next(&m->evq) < m->stop_at ? evq_next(&m->evq) : m->stop_at;
    m->boundary_at = block_needs_attention(m) ? 0 : next;
}

/* Called by Unicorn before every translated block.  The common case (a
 * counted block, nothing due before boundary_at) is a short leaf function:
 * at 5-20 guest instructions per block, this hook is a large part of the
 * host time (docs/performance.md). */
static void hook_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct machine *m = user;
    uint32_t addr = (uint32_t)address;
    const struct block_count *c = &m->bcache[block_slot(addr)];
    if (__builtin_expect(m->cycles >= m->boundary_at || c->addr != addr || c->size != size, 0)) {
        hook_block_slow(m, addr, size);
        return;
    }
#ifdef HAILSIM_CHECK_BOUNDARY
    if (block_needs_attention(m)) {              /* sanitizer builds: a writer forgot cpu_kick() */
        fprintf(stderr, "hailsim: internal error: block hook fast path at cycle %llu with work due\n",
                (unsigned long long)m->cycles);
        abort();
    }
#endif
    block_account(m, addr, size, c->count);
}

static void raise_sync(struct machine *m, int exc, uint32_t bits, uint32_t addr)
{
    m->fault = (struct pending_fault){ true, exc, bits, addr };
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct machine *m = user;
    uint32_t pc = cpu_pc(m);
    m->in_intr_hook = true;                      /* cpu_state.c: PC may be written directly */
    switch (intno) {
    case EXCP_SWI: exc_svc(m, pc); break;
    case EXCP_EXCEPTION_EXIT: exc_return(m, pc | 1u); break;
    case EXCP_BKPT:
        if (read16(m, pc) == INSN_BKPT_SEMIHOST) {
            semihost_call(m);
        } else if (m->gdb && gdb_bkpt(m)) {      /* GDB stub (#7): a debug halt, PC on the BKPT */
        } else {                                 /* no debugger attached: escalates to HardFault */
            m->scb.hfsr |= HFSR_DEBUGEVT;
            exc_fault(m, EXC_HARDFAULT, 0, 0, pc);
        }
        break;
    case EXCP_UDEF: exc_fault(m, EXC_USAGEFAULT, CFSR_UNDEFINSTR, 0, pc); break;
    case EXCP_PREFETCH_ABORT:                    /* QEMU's MPU (or a branch to EXC_RETURN in thread mode) */
        exc_fault(m, EXC_MEMMANAGE, CFSR_IACCVIOL, 0, pc);
        break;
    case EXCP_DATA_ABORT:                        /* QEMU's MPU denied a data access */
        exc_fault(m, EXC_MEMMANAGE, CFSR_DACCVIOL | CFSR_MMARVALID,
                  m->qmpu_active ? qmpu_fault_address(&m->qmpu, m->uc) : 0, pc);
        break;
    case EXCP_NOCP: exc_fault(m, EXC_USAGEFAULT, CFSR_NOCP, 0, pc); break;
    case EXCP_INVSTATE: exc_fault(m, EXC_USAGEFAULT, CFSR_INVSTATE, 0, pc); break;
    case EXCP_UNALIGNED: exc_fault(m, EXC_USAGEFAULT, CFSR_UNALIGNED, 0, pc); break;
    case EXCP_DIVBYZERO: exc_fault(m, EXC_USAGEFAULT, CFSR_DIVBYZERO, 0, pc); break;
    default:
        cpu_fatal(m, STOP_CPU_ERROR, "unexpected CPU exception %u", intno);
        break;
    }
    m->in_intr_hook = false;
}

static int access_kind(uc_mem_type type)
{
    switch (type) {
    case UC_MEM_WRITE_PROT: case UC_MEM_WRITE_UNMAPPED: return ACC_WRITE;
    case UC_MEM_FETCH_PROT: case UC_MEM_FETCH_UNMAPPED: return ACC_EXEC;
    default: return ACC_READ;
    }
}

static void record_access_fault(struct machine *m, enum access_result r, int acc, uint32_t addr)
{
    bool fetch = acc == ACC_EXEC;
    if (r == ACCESS_MEMMANAGE)
        raise_sync(m, EXC_MEMMANAGE, fetch ? CFSR_IACCVIOL : (CFSR_DACCVIOL | CFSR_MMARVALID), addr);
    else
        raise_sync(m, EXC_BUSFAULT, fetch ? CFSR_IBUSERR : (CFSR_PRECISERR | CFSR_BFARVALID), addr);
}

static bool hook_prot(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    struct machine *m = user;
    int acc = access_kind(type);
    enum access_result r = access_check(m, (uint32_t)address, (uint32_t)size, acc, cpu_privileged_live(m));
    if (r == ACCESS_OK) {
        /* protections were stale (changed mid-block): perform the access */
        uint8_t *p = machine_host_ptr(m, (uint32_t)address, (uint32_t)size);
        if (acc == ACC_WRITE && p)
            memcpy(p, &value, (size_t)size);
        if (p || acc != ACC_WRITE)
            return true;
        r = ACCESS_BUSFAULT;
    }
    record_access_fault(m, r, acc, (uint32_t)address);
    return false;
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value, void *user)
{
    struct machine *m = user;
    record_access_fault(m, ACCESS_BUSFAULT, access_kind(type), (uint32_t)address);
    return false;
}

static bool hook_invalid(uc_engine *uc, void *user)
{
    struct machine *m = user;
    uint32_t pc = cpu_pc(m);
    uint16_t prev = read16(m, pc - 2);
    if (prev == INSN_YIELD)
        return true;
    if (prev == INSN_WFE) {
        if (m->event_register)
            m->event_register = false;
        else {
            m->sleeping = true;
            cpu_request_stop(m);
        }
        return true;
    }
    bool thumb = (cpu_reg(m, UC_ARM_REG_XPSR) & XPSR_T) != 0;
    raise_sync(m, EXC_USAGEFAULT, thumb ? CFSR_UNDEFINSTR : CFSR_INVSTATE, 0);
    return false;
}

/* ---- opening the CPU ---------------------------------------------------- */

/*
 * The engine's page size.  QEMU caches MPU decisions per page: a page that
 * holds both an open and a closed MPU subregion is looked up again on every
 * access (exact, but ~1 000 host instructions each).  Tock's layout ends a
 * process's RAM window at a multiple of S/16 of its block S, so with 8 KiB
 * blocks (512-byte subregions) QEMU's default 1 KiB page holding the window's
 * end costs ~29 refills per blink toggle; 512-byte pages cost none (7.5 %
 * fewer host instructions per idle toggle).  256-byte pages are twice as slow
 * again (far more TLB fills).  Unicorn up to 2.1.1 sets twice the requested
 * size (unicorn-engine/unicorn#2025, fixed after 2.1.1).
 */
#define ENGINE_PAGE_SIZE 512u

static uint32_t page_size_request(void)
{
    unsigned major, minor;
    unsigned v = uc_version(&major, &minor);
    unsigned patch = (v >> 8) & 0xFFu;
    bool doubles = major < 2 || (major == 2 && (minor < 1 || (minor == 1 && patch <= 1)));
    return doubles ? ENGINE_PAGE_SIZE / 2 : ENGINE_PAGE_SIZE;
}

static int open_engine(uc_engine **uc, uint32_t *page_size, char *err, size_t errlen)
{
    uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_THUMB, uc);
    if (e == UC_ERR_OK)
        e = uc_ctl_set_cpu_model(*uc, UC_CPU_ARM_CORTEX_M4);
    if (e == UC_ERR_OK)                 /* only speed depends on it: the size read back is used */
        (void)uc_ctl_set_page_size(*uc, page_size_request());
    /* uc_ctl_get_page_size() overflows an int in Unicorn's header macro (2 << 30) */
    if (e == UC_ERR_OK)
        e = uc_ctl(*uc, (uc_control_type)(UC_CTL_UC_PAGE_SIZE | (1u << 26) | ((unsigned)UC_CTL_IO_READ << 30)),
                   page_size);
    if (e != UC_ERR_OK) {
        snprintf(err, errlen, "cannot open a Cortex-M4 in Unicorn: %s", uc_strerror(e));
        return -1;
    }
    return 0;
}

int cpu_self_check(char *err, size_t errlen)
{
    /* A real Cortex-M4 rejects the v8-M TT instruction; Unicorn's MCLASS mode
     * silently gives a Cortex-M33 that executes it. */
    static const uint8_t code[] = { 0x40, 0xE8, 0x00, 0xF0, 0x00, 0xBF, 0x00, 0xBF }; /* tt r0, r0; nop; nop */
    uc_engine *uc;
    uint32_t page;
    if (open_engine(&uc, &page, err, errlen) != 0)
        return -1;
    uc_mem_map(uc, 0, 0x1000, UC_PROT_ALL);
    uc_mem_write(uc, 0, code, sizeof code);
    uc_emu_start(uc, 1, sizeof code, 0, 1);
    uint32_t pc = 0;
    uc_reg_read(uc, UC_ARM_REG_PC, &pc);
    uc_close(uc);
    if (pc >= 4) {
        snprintf(err, errlen, "CPU self-check failed: the v8-M TT instruction executed, so Unicorn is not "
                 "emulating a Cortex-M4 (pc 0x%x)", pc);
        return -1;
    }
    return 0;
}

int cpu_open(struct machine *m, char *err, size_t errlen)
{
    if (open_engine(&m->uc, &m->page_size, err, errlen) != 0)
        return -1;
    /* registers through the live CPU state when it is found (--stats: registers=live), else the API */
    (void)uc_env_attach(&m->env, m->uc, NULL, 0);
    uc_hook h;
    uc_err e = uc_hook_add(m->uc, &h, UC_HOOK_BLOCK, (void *)hook_block, m, 1, 0);
    if (e == UC_ERR_OK)
        e = uc_hook_add(m->uc, &h, UC_HOOK_INTR, (void *)hook_intr, m, 1, 0);
    if (e == UC_ERR_OK)
        e = uc_hook_add(m->uc, &h, UC_HOOK_MEM_PROT, (void *)hook_prot, m, 1, 0);
    if (e == UC_ERR_OK)
        e = uc_hook_add(m->uc, &h, UC_HOOK_MEM_UNMAPPED, (void *)hook_unmapped, m, 1, 0);
    if (e == UC_ERR_OK)
        e = uc_hook_add(m->uc, &h, UC_HOOK_INSN_INVALID, (void *)hook_invalid, m, 1, 0);
    if (e != UC_ERR_OK) {
        snprintf(err, errlen, "cannot install CPU hooks: %s", uc_strerror(e));
        return -1;
    }
    return 0;
}

/* ---- the run loop ------------------------------------------------------- */

static void stop_at_limit(struct machine *m)
{
    if (m->cycles < m->stop_at)
        machine_stall(m, m->stop_at - m->cycles);
    m->stop = STOP_TIME_LIMIT;
}

/* WFI/WFE: jump virtual time from event to event until something wakes the core. */
static void cpu_sleep(struct machine *m)
{
    while (m->stop == STOP_NONE && !m->gdb_halt &&     /* GDB stub (#7): Ctrl-C while asleep */
           !m->snapshot_pending) {                  /* --snapshot-at (#7): written by cpu_run */
        if (exc_wakeup_pending(m) || m->reset_requested) {
            m->sleeping = false;
            return;
        }
        uint64_t next = evq_next(&m->evq);
        if (next == EVQ_NEVER && m->stop_at == EVQ_NEVER) {
            cpu_fatal(m, STOP_NO_WAKEUP, "the CPU sleeps (WFI) with no interrupt pending and no timer armed");
            return;
        }
        if (next >= m->stop_at) {
            stop_at_limit(m);
            return;
        }
        if (m->idle_fn)
            m->idle_fn(m->idle_ctx, next);
        if (next > m->cycles)
            machine_stall(m, next - m->cycles);
        m->block_start = m->cycles;
        m->block_len = 0;
        evq_run_due(&m->evq, m->cycles);
    }
}

static void handle_engine_error(struct machine *m, uc_err e)
{
    uint32_t pc = cpu_pc(m);
    if (e == UC_ERR_INSN_INVALID)
        exc_fault(m, EXC_USAGEFAULT, CFSR_UNDEFINSTR, 0, pc);
    else if (e == UC_ERR_EXCEPTION)
        exc_fault(m, EXC_USAGEFAULT, CFSR_INVSTATE, 0, pc);
    else
        cpu_fatal(m, STOP_CPU_ERROR, "the CPU cannot continue: %s", uc_strerror(e));
}

void cpu_run(struct machine *m)
{
    char err[256];
    while (m->stop == STOP_NONE) {
        if (m->snapshot_pending) {         /* --snapshot-at (#7): at a block boundary, outside any hook */
            snapshot_take(m);
            continue;
        }
        if (m->reset_requested && machine_reset(m, err, sizeof err) != 0) {
            cpu_fatal(m, STOP_CPU_ERROR, "system reset failed: %s", err);
            break;
        }
        if (m->gdb_halt) {                 /* GDB stub (#7): the debugger has the CPU */
            gdb_halted(m);
            continue;
        }
        if (m->cycles >= m->stop_at) {
            stop_at_limit(m);
            break;
        }
        if (m->sleeping) {
            cpu_sleep(m);
            continue;
        }
        mpu_enforce_update(m);             /* never from inside a hook: it may flush the TLB */
        m->stop_requested = false;
        uint32_t until = m->run_until ? m->run_until : RUN_UNTIL;
        m->run_until = 0;
        bool stepped = m->gdb_step;        /* GDB stub (#7): one instruction */
        uc_err e = uc_emu_start(m->uc, cpu_pc(m) | 1u, until, 0, stepped ? 1 : 0);
        if (stepped)
            gdb_step_done(m);
        if (m->stop != STOP_NONE)
            break;
        if (m->fault.valid) {
            struct pending_fault f = m->fault;
            m->fault.valid = false;
            exc_fault(m, f.exc, f.cfsr_bits, f.addr, cpu_pc(m));
        } else if (e != UC_ERR_OK) {
            handle_engine_error(m, e);
        } else if (cpu_pc(m) == m->block_end_pc && read16(m, m->block_end_pc - 2) == INSN_WFI) {
            /* WFI ends its block and makes Unicorn return */
            m->sleeping = true;
            m->block_end_pc = 0;
        } else if (!m->stop_requested && !stepped && cpu_pc(m) != until) {
            cpu_fatal(m, STOP_CPU_ERROR, "emulation stopped unexpectedly");
        }
    }
}

void cpu_dump_registers(struct machine *m, FILE *f)
{
    static const char *names[] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
                                   "r10", "r11", "r12", "sp", "lr", "pc" };
    uint32_t msp, psp;
    for (int i = 0; i < 16; i++) {
        int reg = i <= 12 ? UC_ARM_REG_R0 + i : i == 13 ? UC_ARM_REG_SP : i == 14 ? UC_ARM_REG_LR : UC_ARM_REG_PC;
        fprintf(f, "  %-4s 0x%08x%s", names[i], cpu_reg(m, reg), i % 4 == 3 ? "\n" : "");
    }
    cpu_get_sps(m, &msp, &psp);
    fprintf(f, "  xpsr 0x%08x  control 0x%x  msp 0x%08x  psp 0x%08x  primask %u basepri 0x%02x faultmask %u\n",
            cpu_reg(m, UC_ARM_REG_XPSR), cpu_reg(m, UC_ARM_REG_CONTROL), msp, psp,
            m->primask, m->basepri, m->faultmask);
    fprintf(f, "  cfsr 0x%08x  hfsr 0x%08x  mmfar 0x%08x  bfar 0x%08x  ipsr %u\n",
            m->scb.cfsr, m->scb.hfsr, m->scb.mmfar, m->scb.bfar, m->ipsr);
}
