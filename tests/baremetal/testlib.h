/*
 * testlib.h — the runtime API shared by the bare-metal conformance images
 * (tests/conformance/) and the benchmark workloads (bench/workloads/).
 * Everything here is freestanding C11: no newlib, no CMSIS.
 *
 * Start-up (crt.c): the vector table has 16 system entries + 80 IRQs.  Every
 * handler below is a weak alias of tl_default_handler, which prints
 * "unexpected exception N at pc 0x..." and exits with status 99.  A program
 * overrides one by defining a normal C function with the same name, e.g.
 *     void IRQ3_Handler(void) { ... }
 * (Cortex-M stacks r0-r3/r12/lr/pc/xpsr itself and keeps SP 8-byte aligned,
 * so AAPCS functions work as handlers.)  Reset_Handler copies .data, zeroes
 * .bss, calls main() on MSP (privileged thread mode) and exits (semihosting)
 * with main's return value.
 *
 * Checks (testlib.c):
 *   CHECK(cond, msg)            prints "ok N - msg" or "not ok N - msg"
 *   CHECK_EQ(got, want, msg)    same, on failure also "#   got 0x.. want 0x.."
 *   CHECKF(cond, fmt, ...)      CHECK with an sh_printf-formatted message
 *   int tl_done(void)           prints "RESULT: PASS" or "RESULT: FAIL (k failed)";
 *                               returns 0 / 1: end main with `return tl_done();`
 *   tl_failed_count()           number of failed checks so far
 *
 * Faults (crt.c): tl_trap_faults(1) makes HardFault/MemManage/BusFault/
 * UsageFault recoverable: the default handler records the fault in tl_fault
 * (exception number, CFSR, HFSR, MMFAR, BFAR, the stacked frame, EXC_RETURN),
 * increments tl_fault_count, clears CFSR/HFSR (write-one-to-clear), and
 * resumes after the faulting instruction (16- or 32-bit, decoded from the
 * stacked PC); for instruction-fetch faults (IACCVIOL, IBUSERR, INVSTATE) it
 * resumes at the stacked LR instead, i.e. the faulting call "returns"; for a
 * forced HardFault with CFSR = 0 (an SVC that could not be taken) it resumes
 * at the stacked PC, which is already past the svc.
 * Only the default handler does this: do not override the fault handlers in
 * a program that uses it.  tl_trap_faults(1) also resets tl_fault and
 * tl_fault_count; tl_trap_faults(0) keeps them for inspection.
 *
 * Privilege (crt.c):
 *   uint32_t tl_run_unprivileged(uint32_t (*fn)(uint32_t), uint32_t arg)
 *       runs fn(arg) in unprivileged thread mode on the process stack (PSP,
 *       a 2 KiB stack in .bss, tl_psp_stack) and returns its result back in
 *       privileged thread mode on MSP.  It gets back with `svc #0xFF`, which
 *       the default SVC handler serves; a program with its own SVC_Handler
 *       must call tl_svc_builtin(frame) first (returns 1 if it handled it).
 *   Unprivileged code must not use semihosting or touch the SCS.
 *
 * Handlers that need the stacked frame / EXC_RETURN:
 *   TL_FRAME_HANDLER(SVC_Handler, my_svc)   defines SVC_Handler (naked) so that
 *   it calls void my_svc(uint32_t *frame, uint32_t exc_return), frame being
 *   the stacked r0,r1,r2,r3,r12,lr,pc,xpsr on MSP or PSP (EXC_RETURN bit 2).
 *
 * Register access: REG32(addr)/REG8(addr) and the named registers below;
 * inline helpers cpu_*(), nvic_*(), scb_set_priority(), mpu_*().
 */
#ifndef HAILSIM_TESTLIB_H
#define HAILSIM_TESTLIB_H

#include <stdint.h>
#include "semihost.h"

/* ---- checks --------------------------------------------------------------- */
void tl_check(int cond, const char *msg);
void tl_check_eq(uint32_t got, uint32_t want, const char *msg);
void tl_checkf(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tl_done(void);
unsigned tl_failed_count(void);

#define CHECK(cond, msg) tl_check(!!(cond), (msg))
#define CHECK_EQ(got, want, msg) tl_check_eq((uint32_t)(got), (uint32_t)(want), (msg))
#define CHECKF(cond, ...) tl_checkf(!!(cond), __VA_ARGS__)

/* ---- exception handlers (weak, see above) ---------------------------------- */
void Reset_Handler(void);
void NMI_Handler(void);
void HardFault_Handler(void);
void MemManage_Handler(void);
void BusFault_Handler(void);
void UsageFault_Handler(void);
void SVC_Handler(void);
void DebugMon_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
#define TL_DECLARE_IRQ(n) void IRQ##n##_Handler(void);
#define TL_IRQ_LIST(X) \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) \
    X(10) X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) \
    X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) \
    X(30) X(31) X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39) \
    X(40) X(41) X(42) X(43) X(44) X(45) X(46) X(47) X(48) X(49) \
    X(50) X(51) X(52) X(53) X(54) X(55) X(56) X(57) X(58) X(59) \
    X(60) X(61) X(62) X(63) X(64) X(65) X(66) X(67) X(68) X(69) \
    X(70) X(71) X(72) X(73) X(74) X(75) X(76) X(77) X(78) X(79)
TL_IRQ_LIST(TL_DECLARE_IRQ)
#define TL_NUM_IRQS 80
void tl_default_handler(void);
int main(void);

/* ---- fault trapping ------------------------------------------------------- */
struct tl_fault_info {
    uint32_t exc;           /* exception number: 3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault */
    uint32_t cfsr, hfsr;    /* as read on entry (both are cleared afterwards) */
    uint32_t mmfar, bfar;   /* as read on entry (meaningful only if MMARVALID / BFARVALID) */
    uint32_t frame[8];      /* stacked r0, r1, r2, r3, r12, lr, pc, xpsr */
    uint32_t exc_return;    /* LR on entry */
};
extern volatile struct tl_fault_info tl_fault;
extern volatile uint32_t tl_fault_count;
void tl_trap_faults(int enable);

/* ---- privilege ------------------------------------------------------------- */
uint32_t tl_run_unprivileged(uint32_t (*fn)(uint32_t), uint32_t arg);
int tl_svc_builtin(uint32_t *frame);
#define TL_SVC_TO_PRIVILEGED 0xFF

#define TL_FRAME_HANDLER(name, cfn) \
    void cfn(uint32_t *frame, uint32_t exc_return); \
    __attribute__((naked)) void name(void) \
    { \
        __asm__ volatile("tst lr, #4\n\t" \
                         "ite eq\n\t" \
                         "mrseq r0, msp\n\t" \
                         "mrsne r0, psp\n\t" \
                         "mov r1, lr\n\t" \
                         "push {r4, lr}\n\t" \
                         "bl " #cfn "\n\t" \
                         "pop {r4, pc}\n\t"); \
    }

/* ---- linker symbols -------------------------------------------------------- */
extern uint32_t __stack_top[], __stack_limit[], __heap_start[], __bss_start[], __bss_end[];
extern uint32_t __data_start[], __data_end[], __data_load[], __vectors_start[], __text_end[];
extern uint32_t __ram_start[], __ram_end[];

/* ---- memory-mapped registers ------------------------------------------------ */
#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))
#define REG16(a) (*(volatile uint16_t *)(uintptr_t)(a))
#define REG8(a)  (*(volatile uint8_t *)(uintptr_t)(a))

#define NVIC_ISER(n) REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) REG32(0xE000E180u + 4u * (n))
#define NVIC_ISPR(n) REG32(0xE000E200u + 4u * (n))
#define NVIC_ICPR(n) REG32(0xE000E280u + 4u * (n))
#define NVIC_IABR(n) REG32(0xE000E300u + 4u * (n))
#define NVIC_IPR(n)  REG32(0xE000E400u + 4u * (n))    /* word n: IRQs 4n..4n+3 */
#define NVIC_IPR8(irq) REG8(0xE000E400u + (irq))
#define NVIC_STIR    REG32(0xE000EF00u)

#define SCB_ACTLR REG32(0xE000E008u)
#define SCB_CPUID REG32(0xE000ED00u)
#define SCB_ICSR  REG32(0xE000ED04u)
#define SCB_VTOR  REG32(0xE000ED08u)
#define SCB_AIRCR REG32(0xE000ED0Cu)
#define SCB_SCR   REG32(0xE000ED10u)
#define SCB_CCR   REG32(0xE000ED14u)
#define SCB_SHPR1 REG32(0xE000ED18u)   /* MemManage, BusFault, UsageFault */
#define SCB_SHPR2 REG32(0xE000ED1Cu)   /* SVCall in bits 31:24 */
#define SCB_SHPR3 REG32(0xE000ED20u)   /* PendSV 23:16, SysTick 31:24 */
#define SCB_SHPR8(exc) REG8(0xE000ED14u + (exc))   /* exc 4..15 */
#define SCB_SHCSR REG32(0xE000ED24u)
#define SCB_CFSR  REG32(0xE000ED28u)
#define SCB_HFSR  REG32(0xE000ED2Cu)
#define SCB_DFSR  REG32(0xE000ED30u)
#define SCB_MMFAR REG32(0xE000ED34u)
#define SCB_BFAR  REG32(0xE000ED38u)

#define ICSR_NMIPENDSET  (1u << 31)
#define ICSR_PENDSVSET   (1u << 28)
#define ICSR_PENDSVCLR   (1u << 27)
#define ICSR_PENDSTSET   (1u << 26)
#define ICSR_PENDSTCLR   (1u << 25)
#define ICSR_ISRPENDING  (1u << 22)
#define ICSR_VECTPENDING(v) (((v) >> 12) & 0x1FFu)
#define ICSR_RETTOBASE   (1u << 11)
#define ICSR_VECTACTIVE(v) ((v) & 0x1FFu)

#define AIRCR_VECTKEY    (0x05FAu << 16)
#define SCR_SLEEPONEXIT  (1u << 1)
#define SCR_SLEEPDEEP    (1u << 2)
#define SCR_SEVONPEND    (1u << 4)

#define CCR_NONBASETHRDENA (1u << 0)
#define CCR_USERSETMPEND (1u << 1)
#define CCR_UNALIGN_TRP  (1u << 3)
#define CCR_DIV_0_TRP    (1u << 4)
#define CCR_BFHFNMIGN    (1u << 8)
#define CCR_STKALIGN     (1u << 9)

#define SHCSR_MEMFAULTACT    (1u << 0)
#define SHCSR_BUSFAULTACT    (1u << 1)
#define SHCSR_USGFAULTACT    (1u << 3)
#define SHCSR_SVCALLACT      (1u << 7)
#define SHCSR_MONITORACT     (1u << 8)
#define SHCSR_PENDSVACT      (1u << 10)
#define SHCSR_SYSTICKACT     (1u << 11)
#define SHCSR_USGFAULTPENDED (1u << 12)
#define SHCSR_MEMFAULTPENDED (1u << 13)
#define SHCSR_BUSFAULTPENDED (1u << 14)
#define SHCSR_SVCALLPENDED   (1u << 15)
#define SHCSR_MEMFAULTENA    (1u << 16)
#define SHCSR_BUSFAULTENA    (1u << 17)
#define SHCSR_USGFAULTENA    (1u << 18)

/* CFSR = UFSR:BFSR:MMFSR */
#define CFSR_IACCVIOL    (1u << 0)
#define CFSR_DACCVIOL    (1u << 1)
#define CFSR_MUNSTKERR   (1u << 3)
#define CFSR_MSTKERR     (1u << 4)
#define CFSR_MLSPERR     (1u << 5)
#define CFSR_MMARVALID   (1u << 7)
#define CFSR_IBUSERR     (1u << 8)
#define CFSR_PRECISERR   (1u << 9)
#define CFSR_IMPRECISERR (1u << 10)
#define CFSR_UNSTKERR    (1u << 11)
#define CFSR_STKERR      (1u << 12)
#define CFSR_LSPERR      (1u << 13)
#define CFSR_BFARVALID   (1u << 15)
#define CFSR_UNDEFINSTR  (1u << 16)
#define CFSR_INVSTATE    (1u << 17)
#define CFSR_INVPC       (1u << 18)
#define CFSR_NOCP        (1u << 19)
#define CFSR_UNALIGNED   (1u << 24)
#define CFSR_DIVBYZERO   (1u << 25)

#define HFSR_VECTTBL  (1u << 1)
#define HFSR_FORCED   (1u << 30)
#define HFSR_DEBUGEVT (1u << 31)

/* exception numbers */
#define EXC_NMI        2
#define EXC_HARDFAULT  3
#define EXC_MEMMANAGE  4
#define EXC_BUSFAULT   5
#define EXC_USAGEFAULT 6
#define EXC_SVCALL     11
#define EXC_DEBUGMON   12
#define EXC_PENDSV     14
#define EXC_SYSTICK    15
#define EXC_IRQ(n)     (16 + (n))

/* SysTick */
#define SYST_CSR   REG32(0xE000E010u)
#define SYST_RVR   REG32(0xE000E014u)
#define SYST_CVR   REG32(0xE000E018u)
#define SYST_CALIB REG32(0xE000E01Cu)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16)

/* MPU (PMSAv7) */
#define MPU_TYPE REG32(0xE000ED90u)
#define MPU_CTRL REG32(0xE000ED94u)
#define MPU_RNR  REG32(0xE000ED98u)
#define MPU_RBAR REG32(0xE000ED9Cu)
#define MPU_RASR REG32(0xE000EDA0u)
#define MPU_CTRL_ENABLE     (1u << 0)
#define MPU_CTRL_HFNMIENA   (1u << 1)
#define MPU_CTRL_PRIVDEFENA (1u << 2)
#define MPU_RBAR_VALID      (1u << 4)
#define MPU_AP_NONE   0u   /* priv: none,  unpriv: none */
#define MPU_AP_PRW    1u   /* priv: RW,    unpriv: none */
#define MPU_AP_PRW_URO 2u  /* priv: RW,    unpriv: RO */
#define MPU_AP_RW     3u   /* priv: RW,    unpriv: RW */
#define MPU_AP_PRO    5u   /* priv: RO,    unpriv: none */
#define MPU_AP_RO     6u   /* priv: RO,    unpriv: RO */
/* RASR for a region of 2^size_log2 bytes (5..32): access permission `ap`,
 * execute-never `xn`, subregion-disable mask `srd`; normal memory, WBWA
 * (TEX=1 C=1 B=1), not shared. */
#define MPU_RASR_VAL(size_log2, ap, xn, srd) \
    (((uint32_t)(xn) << 28) | ((uint32_t)(ap) << 24) | (1u << 19) | (1u << 17) | (1u << 16) | \
     (((uint32_t)(srd) & 0xFFu) << 8) | ((((uint32_t)(size_log2) - 1u) & 0x1Fu) << 1) | 1u)

/* DWT / debug */
#define DEMCR       REG32(0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL    REG32(0xE0001000u)
#define DWT_CYCCNT  REG32(0xE0001004u)
#define DWT_CTRL_CYCCNTENA (1u << 0)

/* ---- CPU helpers --------------------------------------------------------------- */
#define TL_MRS(name) \
    static inline uint32_t cpu_get_##name(void) \
    { uint32_t v; __asm__ volatile("mrs %0, " #name : "=r"(v)); return v; }
#define TL_MSR(name, reg) \
    static inline void cpu_set_##name(uint32_t v) \
    { __asm__ volatile("msr " #reg ", %0\n\tisb" : : "r"(v) : "memory"); }
TL_MRS(control) TL_MSR(control, control)
TL_MRS(primask) TL_MSR(primask, primask)
TL_MRS(basepri) TL_MSR(basepri, basepri) TL_MSR(basepri_max, basepri_max)
TL_MRS(faultmask) TL_MSR(faultmask, faultmask)
TL_MRS(msp) TL_MRS(psp) TL_MSR(psp, psp)
TL_MRS(ipsr) TL_MRS(apsr) TL_MRS(xpsr)

static inline void cpu_enable_irq(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void cpu_disable_irq(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static inline void cpu_enable_fault_irq(void) { __asm__ volatile("cpsie f" ::: "memory"); }
static inline void cpu_disable_fault_irq(void) { __asm__ volatile("cpsid f" ::: "memory"); }
static inline void cpu_dsb(void) { __asm__ volatile("dsb" ::: "memory"); }
static inline void cpu_isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void cpu_barrier(void) { __asm__ volatile("dsb\n\tisb" ::: "memory"); }
static inline void cpu_wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
static inline void cpu_nop(void) { __asm__ volatile("nop"); }

/* ---- NVIC / SCB / MPU helpers ----------------------------------------------------- */
static inline void nvic_enable(unsigned irq) { NVIC_ISER(irq / 32) = 1u << (irq % 32); cpu_barrier(); }
static inline void nvic_disable(unsigned irq) { NVIC_ICER(irq / 32) = 1u << (irq % 32); cpu_barrier(); }
static inline void nvic_set_pending(unsigned irq) { NVIC_ISPR(irq / 32) = 1u << (irq % 32); cpu_barrier(); }
static inline void nvic_clear_pending(unsigned irq) { NVIC_ICPR(irq / 32) = 1u << (irq % 32); cpu_barrier(); }
static inline int nvic_is_enabled(unsigned irq) { return (NVIC_ISER(irq / 32) >> (irq % 32)) & 1u; }
static inline int nvic_is_pending(unsigned irq) { return (NVIC_ISPR(irq / 32) >> (irq % 32)) & 1u; }
static inline int nvic_is_active(unsigned irq) { return (NVIC_IABR(irq / 32) >> (irq % 32)) & 1u; }
static inline void nvic_set_priority(unsigned irq, uint8_t prio) { NVIC_IPR8(irq) = prio; cpu_barrier(); }
static inline uint8_t nvic_get_priority(unsigned irq) { return NVIC_IPR8(irq); }
/* system handler priority, exc = 4..15 (MemManage .. SysTick) */
static inline void scb_set_priority(unsigned exc, uint8_t prio) { SCB_SHPR8(exc) = prio; cpu_barrier(); }
static inline uint8_t scb_get_priority(unsigned exc) { return SCB_SHPR8(exc); }

static inline void mpu_set_region(unsigned n, uint32_t base, uint32_t rasr)
{
    MPU_RNR = n;
    MPU_RBAR = base & ~0x1Fu;
    MPU_RASR = rasr;
    cpu_barrier();
}
static inline void mpu_disable_region(unsigned n) { MPU_RNR = n; MPU_RASR = 0; cpu_barrier(); }
static inline void mpu_enable(uint32_t ctrl) { MPU_CTRL = ctrl | MPU_CTRL_ENABLE; cpu_barrier(); }
static inline void mpu_disable(void) { MPU_CTRL = 0; cpu_barrier(); }

#endif
