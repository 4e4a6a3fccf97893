/*
 * test_scs.c — the System Control Space models through their registers:
 * NVIC (ISER/ICER/ISPR/ICPR/IABR/IPR/ICTR/STIR), SCB (CPUID, ICSR, VTOR,
 * AIRCR, SHPR, SHCSR, CFSR/HFSR/MMFAR/BFAR), SysTick in virtual time, the
 * DWT cycle counter, and the exception model's
 * priority decisions (exc_execution_priority, exc_highest_pending,
 * exc_group_priority with PRIGROUP).
 *
 * Registers are accessed like the guest does, through Unicorn's MMIO path
 * (ut_rd32/ut_wr8/... in test_support.c), on a machine made from
 * boards/hail.yaml: 80 IRQs, 4 priority bits, 8 MPU regions, 48 MHz.
 * Virtual time is moved with ut_advance() (m->cycles + evq_run_due).
 */
#include <check.h>
#include <stdlib.h>

#include "cpu_state.h"
#include "exc.h"
#include "scs.h"
#include "test_support.h"

/* register addresses */
#define ICTR      0xE000E004u
#define ISER(n)   (0xE000E100u + 4u * (n))
#define ICER(n)   (0xE000E180u + 4u * (n))
#define ISPR(n)   (0xE000E200u + 4u * (n))
#define ICPR(n)   (0xE000E280u + 4u * (n))
#define IABR(n)   (0xE000E300u + 4u * (n))
#define IPR(n)    (0xE000E400u + 4u * (n))
#define IPR8(irq) (0xE000E400u + (irq))
#define STIR      0xE000EF00u
#define CPUID     0xE000ED00u
#define ICSR      0xE000ED04u
#define VTOR      0xE000ED08u
#define AIRCR     0xE000ED0Cu
#define SHPR1     0xE000ED18u
#define SHPR2     0xE000ED1Cu
#define SHPR3     0xE000ED20u
#define SHPR8(e)  (0xE000ED14u + (e))
#define SHCSR     0xE000ED24u
#define CFSR      0xE000ED28u
#define HFSR      0xE000ED2Cu
#define MMFAR     0xE000ED34u
#define BFAR      0xE000ED38u
#define DEMCR     0xE000EDFCu
#define SYST_CSR  0xE000E010u
#define SYST_RVR  0xE000E014u
#define SYST_CVR  0xE000E018u
#define SYST_CAL  0xE000E01Cu
#define DWT_CTRL  0xE0001000u
#define DWT_CYCCNT 0xE0001004u

#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSVCLR (1u << 27)
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_PENDSTCLR (1u << 25)
#define ICSR_ISRPENDING (1u << 22)
#define VECTPENDING(v) (((v) >> 12) & 0x1FFu)
#define VECTKEY (0x05FAu << 16)
#define CSR_ENABLE 1u
#define CSR_TICKINT 2u
#define CSR_CLKSOURCE 4u
#define CSR_COUNTFLAG (1u << 16)
#define TRCENA (1u << 24)

static struct machine *m;

static void setup(void) { m = ut_machine_new(); }
static void teardown(void) { ut_machine_free(m); m = NULL; }

static bool is_pending(int n) { return m->exc.slot[n].pending; }

/* ---- NVIC ------------------------------------------------------------------------- */

START_TEST(nvic_ictr)
{
    /* 80 lines: INTLINESNUM = ceil(80 / 32) - 1 = 2 */
    ck_assert_uint_eq(ut_rd32(m, ICTR), 2);
}
END_TEST

START_TEST(nvic_enable_set_clear)
{
    for (unsigned b = 0; b < 16; b++)
        ck_assert_uint_eq(ut_rd32(m, ISER(b)), 0);
    ut_wr32(m, ISER(0), 0x5u);
    ck_assert_uint_eq(ut_rd32(m, ISER(0)), 0x5u);
    ck_assert_uint_eq(ut_rd32(m, ICER(0)), 0x5u);       /* both views read the enables */
    ck_assert(m->exc.slot[EXC_IRQ0 + 0].enabled && m->exc.slot[EXC_IRQ0 + 2].enabled);
    ck_assert(!m->exc.slot[EXC_IRQ0 + 1].enabled);
    ut_wr32(m, ISER(0), 0x2u);                          /* writing zeros has no effect */
    ck_assert_uint_eq(ut_rd32(m, ISER(0)), 0x7u);
    ut_wr32(m, ICER(0), 0x1u);
    ck_assert_uint_eq(ut_rd32(m, ISER(0)), 0x6u);
    ut_wr32(m, ICER(0), 0);
    ck_assert_uint_eq(ut_rd32(m, ISER(0)), 0x6u);

    /* IRQ 39 (AST alarm on the Hail) is bit 7 of bank 1 */
    ut_wr32(m, ISER(1), 1u << 7);
    ck_assert(m->exc.slot[EXC_IRQ0 + 39].enabled);
    ck_assert_uint_eq(ut_rd32(m, ICER(1)), 1u << 7);
}
END_TEST

START_TEST(nvic_lines_beyond_80_read_zero)
{
    ut_wr32(m, ISER(2), 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, ISER(2)), 0x0000FFFFu);   /* IRQs 64..79 only */
    ut_wr32(m, ISPR(2), 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, ISPR(2)), 0x0000FFFFu);
    for (unsigned b = 3; b < 16; b++) {
        ut_wr32(m, ISER(b), 0xFFFFFFFFu);
        ut_wr32(m, ISPR(b), 0xFFFFFFFFu);
        ck_assert_uint_eq(ut_rd32(m, ISER(b)), 0);
        ck_assert_uint_eq(ut_rd32(m, ICER(b)), 0);
        ck_assert_uint_eq(ut_rd32(m, ISPR(b)), 0);
        ck_assert_uint_eq(ut_rd32(m, ICPR(b)), 0);
        ck_assert_uint_eq(ut_rd32(m, IABR(b)), 0);
    }
    /* IPR words past IRQ 79 are zero and ignore writes */
    ut_wr32(m, IPR(19), 0xFFFFFFFFu);                       /* IRQs 76..79 */
    ck_assert_uint_eq(ut_rd32(m, IPR(19)), 0xF0F0F0F0u);
    ut_wr32(m, IPR(20), 0xFFFFFFFFu);                       /* IRQs 80..83: do not exist */
    ck_assert_uint_eq(ut_rd32(m, IPR(20)), 0);
    ut_wr32(m, IPR(59), 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, IPR(59)), 0);
    /* no state outside the 96 exceptions was touched */
    for (int n = 16 + 80; n < EXC_MAX; n++)
        ck_assert(!m->exc.slot[n].enabled && !m->exc.slot[n].pending && m->exc.slot[n].prio == 0);
    ck_assert_int_eq(m->exc.npending, 16);
}
END_TEST

START_TEST(nvic_pending_set_clear)
{
    ut_wr32(m, ISPR(1), 1u << 3);                           /* IRQ 35 */
    ck_assert(is_pending(EXC_IRQ0 + 35));
    ck_assert_uint_eq(ut_rd32(m, ISPR(1)), 1u << 3);
    ck_assert_uint_eq(ut_rd32(m, ICPR(1)), 1u << 3);
    /* pending but disabled: not a candidate */
    ck_assert_int_eq(m->exc.npending, 0);
    ck_assert_int_eq(exc_highest_pending(m), 0);
    ut_wr32(m, ISER(1), 1u << 3);
    ck_assert_int_eq(m->exc.npending, 1);
    ck_assert_int_eq(exc_highest_pending(m), EXC_IRQ0 + 35);
    ut_wr32(m, ICPR(1), 1u << 3);
    ck_assert(!is_pending(EXC_IRQ0 + 35));
    ck_assert_uint_eq(ut_rd32(m, ISPR(1)), 0);
    ck_assert_int_eq(m->exc.npending, 0);
    /* disabling a pending line keeps it pending but drops it from the count */
    ut_wr32(m, ISPR(1), 1u << 3);
    ck_assert_int_eq(m->exc.npending, 1);
    ut_wr32(m, ICER(1), 1u << 3);
    ck_assert_int_eq(m->exc.npending, 0);
    ck_assert_uint_eq(ut_rd32(m, ISPR(1)), 1u << 3);
}
END_TEST

START_TEST(nvic_active_bits)
{
    m->exc.slot[EXC_IRQ0 + 33].active = true;
    m->exc.slot[EXC_IRQ0 + 0].active = true;
    m->exc.nactive = 2;
    ck_assert_uint_eq(ut_rd32(m, IABR(0)), 1u);
    ck_assert_uint_eq(ut_rd32(m, IABR(1)), 1u << 1);
    ut_wr32(m, IABR(1), 0);                                 /* read-only */
    ut_wr32(m, IABR(0), 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, IABR(1)), 1u << 1);
    ck_assert_uint_eq(ut_rd32(m, IABR(0)), 1u);
}
END_TEST

START_TEST(nvic_priority_bytes)
{
    ut_wr32(m, IPR(0), 0x12345678u);
    ck_assert_uint_eq(ut_rd32(m, IPR(0)), 0x10305070u);    /* 4 bits implemented */
    ck_assert_uint_eq(m->exc.slot[EXC_IRQ0 + 0].prio, 0x70);
    ck_assert_uint_eq(m->exc.slot[EXC_IRQ0 + 3].prio, 0x10);
    ut_wr32(m, IPR(1), 0x11223344u);
    ut_wr8(m, IPR8(5), 0xAB);                               /* IRQ 5 only */
    ck_assert_uint_eq(ut_rd32(m, IPR(1)), 0x1020A040u);
    ck_assert_uint_eq(ut_rd8(m, IPR8(5)), 0xA0);
    ck_assert_uint_eq(ut_rd8(m, IPR8(7)), 0x10);
    ut_wr16(m, IPR8(6), 0xFFEE);                            /* IRQs 6 and 7 */
    ck_assert_uint_eq(ut_rd32(m, IPR(1)), 0xF0E0A040u);
    ck_assert_uint_eq(ut_rd16(m, IPR8(6)), 0xF0E0);
    ut_wr8(m, IPR8(79), 0x9F);
    ck_assert_uint_eq(ut_rd8(m, IPR8(79)), 0x90);
    ut_wr8(m, IPR8(80), 0x9F);
    ck_assert_uint_eq(ut_rd8(m, IPR8(80)), 0);
    ck_assert_uint_eq(ut_rd32(m, IPR(0)), 0x10305070u);    /* untouched */
}
END_TEST

START_TEST(nvic_stir)
{
    ut_wr32(m, STIR, 35);
    ck_assert(is_pending(EXC_IRQ0 + 35));
    ut_wr32(m, STIR, 79);
    ck_assert(is_pending(EXC_IRQ0 + 79));
    ut_wr32(m, STIR, 80);                                   /* no such line */
    ut_wr32(m, STIR, 0x1FF);
    for (int n = EXC_IRQ0 + 80; n < EXC_MAX; n++)
        ck_assert(!is_pending(n));
}
END_TEST

/* ---- SCB -------------------------------------------------------------------------- */

START_TEST(scb_cpuid)
{
    ck_assert_uint_eq(ut_rd32(m, CPUID), 0x410FC241u);
    ut_wr32(m, CPUID, 0);
    ck_assert_uint_eq(ut_rd32(m, CPUID), 0x410FC241u);
}
END_TEST

START_TEST(scb_icsr_pend_bits)
{
    uint32_t v = ut_rd32(m, ICSR);
    ck_assert_uint_eq(VECTPENDING(v), 0);
    ck_assert_uint_eq(v & (ICSR_PENDSVSET | ICSR_PENDSTSET | ICSR_ISRPENDING), 0);
    ck_assert_uint_eq(v & 0x1FFu, 0);                       /* VECTACTIVE: thread mode */

    ut_wr32(m, ICSR, ICSR_PENDSVSET);
    v = ut_rd32(m, ICSR);
    ck_assert(v & ICSR_PENDSVSET);
    ck_assert_uint_eq(VECTPENDING(v), EXC_PENDSV);
    ck_assert(is_pending(EXC_PENDSV));

    ut_wr32(m, ICSR, ICSR_PENDSTSET);
    v = ut_rd32(m, ICSR);
    ck_assert(v & ICSR_PENDSTSET);
    ck_assert(v & ICSR_PENDSVSET);
    ck_assert_uint_eq(VECTPENDING(v), EXC_PENDSV);          /* same priority: lower number */

    ut_wr8(m, SHPR8(EXC_SYSTICK), 0x40);
    ut_wr8(m, SHPR8(EXC_PENDSV), 0x80);
    ck_assert_uint_eq(VECTPENDING(ut_rd32(m, ICSR)), EXC_SYSTICK);

    ut_wr32(m, ICSR, ICSR_PENDSTCLR);
    v = ut_rd32(m, ICSR);
    ck_assert(!(v & ICSR_PENDSTSET));
    ck_assert_uint_eq(VECTPENDING(v), EXC_PENDSV);
    ut_wr32(m, ICSR, ICSR_PENDSVCLR);
    v = ut_rd32(m, ICSR);
    ck_assert_uint_eq(v & (ICSR_PENDSVSET | ICSR_PENDSTSET), 0);
    ck_assert_uint_eq(VECTPENDING(v), 0);

    /* an enabled external interrupt: ISRPENDING and VECTPENDING = 16 + irq */
    ut_wr8(m, IPR8(5), 0x10);
    ut_wr32(m, ISER(0), 1u << 5);
    ut_wr32(m, ISPR(0), 1u << 5);
    ut_wr32(m, ICSR, ICSR_PENDSVSET);
    v = ut_rd32(m, ICSR);
    ck_assert(v & ICSR_ISRPENDING);
    ck_assert_uint_eq(VECTPENDING(v), EXC_IRQ0 + 5);
    ut_wr32(m, ICPR(0), 1u << 5);
    v = ut_rd32(m, ICSR);
    ck_assert(!(v & ICSR_ISRPENDING));
    ck_assert_uint_eq(VECTPENDING(v), EXC_PENDSV);
}
END_TEST

START_TEST(scb_icsr_vectactive)
{
    /* take a pended PendSV for real: ICSR.VECTACTIVE follows IPSR */
    ut_wr32(m, ICSR, ICSR_PENDSVSET);
    ck_assert(exc_take_pending(m, 0x200));
    ck_assert_uint_eq(ut_rd32(m, ICSR) & 0x1FFu, EXC_PENDSV);
    ck_assert(!(ut_rd32(m, ICSR) & ICSR_PENDSVSET));
    ck_assert(m->exc.slot[EXC_PENDSV].active);
    ck_assert(ut_rd32(m, SHCSR) & (1u << 10));              /* PENDSVACT */
}
END_TEST

START_TEST(scb_vtor_alignment)
{
    ut_wr32(m, VTOR, 0x00010040u);
    ck_assert_uint_eq(ut_rd32(m, VTOR), 0x00010000u);
    ut_wr32(m, VTOR, 0x200000FFu);
    ck_assert_uint_eq(ut_rd32(m, VTOR), 0x20000080u);
    ck_assert_uint_eq(m->scb.vtor, 0x20000080u);
}
END_TEST

START_TEST(scb_aircr_vectkey)
{
    ck_assert_uint_eq(ut_rd32(m, AIRCR), 0xFA050000u);      /* VECTKEYSTAT, PRIGROUP 0, little-endian */
    ut_wr32(m, AIRCR, 0x00000500u);                          /* no key: ignored */
    ck_assert_uint_eq(m->exc.prigroup, 0);
    ut_wr32(m, AIRCR, 0x12340300u);                          /* wrong key */
    ck_assert_uint_eq(m->exc.prigroup, 0);
    ut_wr32(m, AIRCR, 0x00000004u);                          /* SYSRESETREQ without the key */
    ck_assert(!m->reset_requested);
    ut_wr16(m, AIRCR, 0x0500);                               /* narrow writes cannot carry the key */
    ck_assert_uint_eq(m->exc.prigroup, 0);
    ut_wr32(m, AIRCR, VECTKEY | 0x500u);
    ck_assert_uint_eq(m->exc.prigroup, 5);
    ck_assert_uint_eq(ut_rd32(m, AIRCR), 0xFA050500u);
    ck_assert(!m->reset_requested);
    ut_wr32(m, AIRCR, VECTKEY | 0x500u | 0x4u);
    ck_assert(m->reset_requested);
}
END_TEST

START_TEST(scb_prigroup_group_priority)
{
    static const int expect[8] = { 0xB0, 0xB0, 0xB0, 0xB0, 0xA0, 0x80, 0x80, 0x00 };
    ut_wr8(m, IPR8(0), 0xB0);
    for (uint32_t g = 0; g < 8; g++) {
        ut_wr32(m, AIRCR, VECTKEY | g << 8);
        ck_assert_int_eq(exc_group_priority(m, EXC_IRQ0), expect[g]);
    }
    /* fixed priorities are not affected */
    ck_assert_int_eq(exc_group_priority(m, EXC_RESET), -3);
    ck_assert_int_eq(exc_group_priority(m, EXC_NMI), -2);
    ck_assert_int_eq(exc_group_priority(m, EXC_HARDFAULT), -1);
}
END_TEST

START_TEST(scb_prigroup_subpriority_ordering)
{
    /* PRIGROUP 5: group = bits 7:6, sub-priority = bits 5:4 */
    ut_wr32(m, AIRCR, VECTKEY | 5u << 8);
    ut_wr8(m, IPR8(0), 0xB0);
    ut_wr8(m, IPR8(1), 0x90);
    ut_wr32(m, ISER(0), 0x3u);
    ut_wr32(m, ISPR(0), 0x3u);
    ck_assert_int_eq(exc_group_priority(m, EXC_IRQ0), exc_group_priority(m, EXC_IRQ0 + 1));
    ck_assert_int_eq(exc_highest_pending(m), EXC_IRQ0 + 1);  /* same group: sub-priority decides */
    /* with IRQ1 active, IRQ0 (same group, worse sub-priority) cannot preempt */
    ut_wr32(m, ICPR(0), 0x2u);
    m->exc.slot[EXC_IRQ0 + 1].active = true;
    m->exc.nactive = 1;
    ck_assert_int_eq(exc_execution_priority(m), 0x80);
    ck_assert_int_ge(exc_group_priority(m, exc_highest_pending(m)), exc_execution_priority(m));
    ck_assert(!exc_take_pending(m, 0x200));
    /* one group higher does */
    ut_wr8(m, IPR8(0), 0x70);
    ck_assert(exc_take_pending(m, 0x200));
    ck_assert_uint_eq(m->ipsr, EXC_IRQ0);
}
END_TEST

START_TEST(scb_shpr_bytes)
{
    ut_wr32(m, SHPR1, 0x00302010u);
    ck_assert_uint_eq(m->exc.slot[EXC_MEMMANAGE].prio, 0x10);
    ck_assert_uint_eq(m->exc.slot[EXC_BUSFAULT].prio, 0x20);
    ck_assert_uint_eq(m->exc.slot[EXC_USAGEFAULT].prio, 0x30);
    ck_assert_uint_eq(ut_rd32(m, SHPR1) & 0x00FFFFFFu, 0x00302010u);
    ut_wr8(m, SHPR8(EXC_SVCALL), 0x7F);
    ck_assert_uint_eq(m->exc.slot[EXC_SVCALL].prio, 0x70);
    ck_assert_uint_eq(ut_rd32(m, SHPR2) & 0xFF000000u, 0x70000000u);
    ut_wr32(m, SHPR3, 0x80400000u);
    ck_assert_uint_eq(m->exc.slot[EXC_PENDSV].prio, 0x40);
    ck_assert_uint_eq(m->exc.slot[EXC_SYSTICK].prio, 0x80);
    ut_wr8(m, SHPR8(EXC_PENDSV), 0xC5);
    ck_assert_uint_eq(ut_rd32(m, SHPR3) & 0xFFFF0000u, 0x80C00000u);
    ck_assert_uint_eq(ut_rd8(m, SHPR8(EXC_PENDSV)), 0xC0);
    ut_wr16(m, SHPR8(EXC_PENDSV), 0x5060);                  /* PendSV and SysTick */
    ck_assert_uint_eq(m->exc.slot[EXC_PENDSV].prio, 0x60);
    ck_assert_uint_eq(m->exc.slot[EXC_SYSTICK].prio, 0x50);
    ck_assert_uint_eq(m->exc.slot[EXC_USAGEFAULT].prio, 0x30); /* untouched */
    ck_assert_uint_eq(m->exc.slot[EXC_SVCALL].prio, 0x70);
}
END_TEST

START_TEST(scb_shcsr_enables)
{
    ck_assert_uint_eq(ut_rd32(m, SHCSR), 0);
    ck_assert(!m->exc.slot[EXC_MEMMANAGE].enabled);
    ut_wr32(m, SHCSR, 0x7u << 16);
    ck_assert_uint_eq(ut_rd32(m, SHCSR), 0x7u << 16);
    ck_assert(m->exc.slot[EXC_MEMMANAGE].enabled && m->exc.slot[EXC_BUSFAULT].enabled &&
              m->exc.slot[EXC_USAGEFAULT].enabled);
    ut_wr8(m, SHCSR + 2, 0x2);                              /* BUSFAULTENA only */
    ck_assert_uint_eq(ut_rd32(m, SHCSR), 1u << 17);
    ck_assert(!m->exc.slot[EXC_MEMMANAGE].enabled && m->exc.slot[EXC_BUSFAULT].enabled);
    /* a pending MemManage counts only once it is enabled */
    exc_set_pending(m, EXC_MEMMANAGE, true);
    ck_assert(ut_rd32(m, SHCSR) & (1u << 13));              /* MEMFAULTPENDED */
    ck_assert_int_eq(exc_highest_pending(m), 0);
    ut_wr32(m, SHCSR, (1u << 16) | (1u << 13));
    ck_assert_int_eq(exc_highest_pending(m), EXC_MEMMANAGE);
    /* SVCALLPENDED is writable */
    ut_wr32(m, SHCSR, 1u << 15);
    ck_assert(is_pending(EXC_SVCALL));
    ck_assert(!is_pending(EXC_MEMMANAGE));
}
END_TEST

START_TEST(scb_fault_status_w1c)
{
    m->scb.cfsr = CFSR_DACCVIOL | CFSR_MMARVALID | CFSR_PRECISERR | CFSR_BFARVALID | CFSR_DIVBYZERO;
    m->scb.hfsr = HFSR_FORCED | HFSR_VECTTBL;
    ut_wr32(m, CFSR, 0);
    ck_assert_uint_eq(ut_rd32(m, CFSR), CFSR_DACCVIOL | CFSR_MMARVALID | CFSR_PRECISERR |
                                        CFSR_BFARVALID | CFSR_DIVBYZERO);
    ut_wr32(m, CFSR, CFSR_DACCVIOL);
    ck_assert_uint_eq(ut_rd32(m, CFSR), CFSR_MMARVALID | CFSR_PRECISERR | CFSR_BFARVALID | CFSR_DIVBYZERO);
    ut_wr8(m, CFSR + 1, 0xFF);                              /* BFSR only */
    ck_assert_uint_eq(ut_rd32(m, CFSR), CFSR_MMARVALID | CFSR_DIVBYZERO);
    ut_wr16(m, CFSR + 2, 0x0200);                           /* UFSR DIVBYZERO */
    ck_assert_uint_eq(ut_rd32(m, CFSR), CFSR_MMARVALID);
    ck_assert_uint_eq(ut_rd8(m, CFSR), CFSR_MMARVALID);
    ut_wr32(m, HFSR, HFSR_FORCED);
    ck_assert_uint_eq(ut_rd32(m, HFSR), HFSR_VECTTBL);
    ut_wr32(m, HFSR, 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, HFSR), 0);
}
END_TEST

START_TEST(scb_fault_address_registers)
{
    /* a data access violation with MemManage disabled escalates to HardFault */
    exc_fault(m, EXC_MEMMANAGE, CFSR_DACCVIOL | CFSR_MMARVALID, 0x20001234u, 0x200);
    ck_assert_uint_eq(ut_rd32(m, MMFAR), 0x20001234u);
    ck_assert_uint_eq(ut_rd32(m, CFSR), CFSR_DACCVIOL | CFSR_MMARVALID);
    ck_assert_uint_eq(ut_rd32(m, HFSR), HFSR_FORCED);
    ck_assert_uint_eq(ut_rd32(m, ICSR) & 0x1FFu, EXC_HARDFAULT);
    /* a bus fault records BFAR and leaves MMFAR alone */
    m->scb.cfsr = 0;
    m->exc.slot[EXC_HARDFAULT].active = false;
    m->exc.nactive = 0;
    m->exc.slot[EXC_BUSFAULT].enabled = true;
    cpu_set_mode(m, XPSR_T, 0, 0x20010000u, 0);
    exc_fault(m, EXC_BUSFAULT, CFSR_PRECISERR | CFSR_BFARVALID, 0x60000000u, 0x200);
    ck_assert_uint_eq(ut_rd32(m, BFAR), 0x60000000u);
    ck_assert_uint_eq(ut_rd32(m, MMFAR), 0x20001234u);
    ck_assert_uint_eq(ut_rd32(m, ICSR) & 0x1FFu, EXC_BUSFAULT);
    /* both are plain read/write registers */
    ut_wr32(m, MMFAR, 0xCAFEF00Du);
    ut_wr32(m, BFAR, 0x12345678u);
    ck_assert_uint_eq(ut_rd32(m, MMFAR), 0xCAFEF00Du);
    ck_assert_uint_eq(ut_rd32(m, BFAR), 0x12345678u);
}
END_TEST

/* ---- SysTick -------------------------------------------------------------------------- */

START_TEST(systick_reset_values)
{
    ck_assert_uint_eq(ut_rd32(m, SYST_CSR), CSR_CLKSOURCE);
    ck_assert_uint_eq(ut_rd32(m, SYST_RVR), 0);
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 0);
    /* NOREF (no reference clock), TENMS = 48 MHz / 100 - 1 */
    ck_assert_uint_eq(ut_rd32(m, SYST_CAL), 0x80000000u | 479999u);
    ut_wr32(m, SYST_RVR, 0xFFFFFFFFu);
    ck_assert_uint_eq(ut_rd32(m, SYST_RVR), 0x00FFFFFFu);   /* 24 bits */
    ut_wr32(m, SYST_CSR, 0);                                 /* CLKSOURCE stays 1 */
    ck_assert_uint_eq(ut_rd32(m, SYST_CSR), CSR_CLKSOURCE);
}
END_TEST

START_TEST(systick_period_is_reload_plus_one)
{
    const uint32_t rvr = 99;
    ut_set_cycle(m, 1000);
    ut_wr32(m, SYST_RVR, rvr);
    ut_wr32(m, SYST_CVR, 0);
    ut_wr32(m, SYST_CSR, CSR_ENABLE | CSR_TICKINT);
    /* loads RVR at 1001, reaches 0 at 1001 + 99 = 1100 */
    ut_advance(m, 1001);
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), rvr);
    for (int period = 0; period < 50; period++) {
        uint64_t zero = 1000 + (uint64_t)(period + 1) * (rvr + 1);
        ut_advance(m, zero - 1);
        ck_assert_msg(!is_pending(EXC_SYSTICK), "period %d: pending one cycle early", period);
        ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 1);
        ut_advance(m, zero);
        ck_assert_msg(is_pending(EXC_SYSTICK), "period %d: not pending at cycle %llu", period,
                      (unsigned long long)zero);
        ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 0);
        ck_assert(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG);
        ut_wr32(m, ICSR, ICSR_PENDSTCLR);
        ut_advance(m, zero + 1);
        ck_assert_uint_eq(ut_rd32(m, SYST_CVR), rvr);         /* reloaded */
    }
}
END_TEST

START_TEST(systick_one_ms_at_48mhz)
{
    /* RVR = 47999: a tick every 48000 cycles = 1 ms; 100 ticks in 100 ms */
    ut_wr32(m, SYST_RVR, 47999);
    ut_wr32(m, SYST_CVR, 0);
    ut_wr32(m, SYST_CSR, CSR_ENABLE | CSR_TICKINT);
    int fired = ut_advance(m, machine_ns_to_cycles(m, 100000000u));
    ck_assert_int_eq(fired, 100);
    ck_assert(is_pending(EXC_SYSTICK));
    ck_assert_uint_eq(evq_next(&m->evq), 100u * 48000u + 48000u);
}
END_TEST

START_TEST(systick_countflag)
{
    ut_wr32(m, SYST_RVR, 9);
    ut_wr32(m, SYST_CSR, CSR_ENABLE);                       /* no TICKINT */
    ut_advance(m, 9);
    ck_assert(!(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG));
    ut_advance(m, 10);                                       /* 0 at 1 + 9 */
    ck_assert(!is_pending(EXC_SYSTICK));                     /* TICKINT clear */
    ck_assert(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG);
    ck_assert(!(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG));      /* cleared by the read */
    /* a write to CVR clears COUNTFLAG and restarts the count */
    ut_advance(m, 20);
    ut_wr32(m, SYST_CVR, 0x1234);
    ck_assert(!(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG));
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 0);              /* cleared; reloads next cycle */
    ut_advance(m, 21);
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 9);
    ut_advance(m, 29);
    ck_assert(!(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG));
    ut_advance(m, 30);
    ck_assert(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG);
    /* writing CSR (re-enabling) keeps an unread COUNTFLAG */
    ut_advance(m, 40);
    ut_wr32(m, SYST_CSR, CSR_ENABLE);
    ck_assert(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG);
}
END_TEST

START_TEST(systick_cvr_write_restarts_period)
{
    ut_wr32(m, SYST_RVR, 99);
    ut_wr32(m, SYST_CSR, CSR_ENABLE | CSR_TICKINT);          /* zero at 100 */
    ut_advance(m, 50);
    ut_wr32(m, SYST_CVR, 0);                                 /* reload at 51, zero at 150 */
    ut_advance(m, 100);
    ck_assert(!is_pending(EXC_SYSTICK));
    ut_advance(m, 149);
    ck_assert(!is_pending(EXC_SYSTICK));
    ut_advance(m, 150);
    ck_assert(is_pending(EXC_SYSTICK));
}
END_TEST

START_TEST(systick_disable_freezes)
{
    ut_wr32(m, SYST_RVR, 999);
    ut_wr32(m, SYST_CSR, CSR_ENABLE | CSR_TICKINT);          /* 999 at 1 */
    ut_advance(m, 101);
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 899);
    ut_wr32(m, SYST_CSR, 0);
    ck_assert_uint_eq(evq_next(&m->evq), EVQ_NEVER);
    ut_advance(m, 100000);
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 899);
    ck_assert(!is_pending(EXC_SYSTICK));
    ut_wr32(m, SYST_CSR, CSR_ENABLE | CSR_TICKINT);          /* continues from 899 */
    ut_advance(m, 100000 + 898);
    ck_assert(!is_pending(EXC_SYSTICK));
    ut_advance(m, 100000 + 899);
    ck_assert(is_pending(EXC_SYSTICK));
}
END_TEST

/* BUG (kept failing on purpose): with RVR = 0 the counter loads 0 and never
 * counts from 1 to 0, so neither COUNTFLAG nor the SysTick exception may be
 * activated (ARMv7-M ARM, SysTick: "a start value of 0 is possible, but has
 * no effect because the SysTick exception request and COUNTFLAG are
 * activated when counting from 1 to 0").  systick.c loads RVR at now + 1 and
 * arms its timer at epoch + value = now + 1, so it fires once. */
START_TEST(systick_zero_reload_never_fires)
{
    ut_wr32(m, SYST_RVR, 0);
    ut_wr32(m, SYST_CVR, 0);
    ut_wr32(m, SYST_CSR, CSR_ENABLE | CSR_TICKINT);
    ut_advance(m, 1000);
    ck_assert_msg(!is_pending(EXC_SYSTICK), "SysTick pended with RVR = 0");
    ck_assert_msg(!(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG), "COUNTFLAG set with RVR = 0");
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 0);
}
END_TEST

START_TEST(systick_reload_set_to_zero_stops_after_wrap)
{
    ut_wr32(m, SYST_RVR, 9);
    ut_wr32(m, SYST_CSR, CSR_ENABLE | CSR_TICKINT);          /* zero at 10 */
    ut_advance(m, 5);
    ut_wr32(m, SYST_RVR, 0);                                 /* takes effect at the next reload */
    ut_advance(m, 10);
    ck_assert(is_pending(EXC_SYSTICK));                      /* the 1 -> 0 still counts */
    ut_wr32(m, ICSR, ICSR_PENDSTCLR);
    ck_assert(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG);
    ut_advance(m, 100000);
    ck_assert(!is_pending(EXC_SYSTICK));
    ck_assert(!(ut_rd32(m, SYST_CSR) & CSR_COUNTFLAG));
    ck_assert_uint_eq(ut_rd32(m, SYST_CVR), 0);
    ck_assert_uint_eq(evq_next(&m->evq), EVQ_NEVER);
}
END_TEST

/* ---- privilege ------------------------------------------------------------------------------- */

START_TEST(scs_is_privileged_only)
{
    ut_wr32(m, ISER(0), 1u);
    cpu_set_mode(m, XPSR_T, CONTROL_NPRIV, 0x20010000u, 0x20008000u);
    ck_assert(!m->privileged);
    ck_assert_uint_eq(ut_rd32(m, CPUID), 0);                 /* dropped ... */
    ck_assert(m->fault.valid);                               /* ... and reported as a BusFault */
    ck_assert_int_eq(m->fault.exc, EXC_BUSFAULT);
    ck_assert_uint_eq(m->fault.cfsr_bits, CFSR_IMPRECISERR);
    m->fault.valid = false;
    ut_wr32(m, ICER(0), 1u);
    ck_assert(m->exc.slot[EXC_IRQ0].enabled);                /* the write was dropped */
    ck_assert(m->fault.valid);
    m->fault.valid = false;
    /* STIR is allowed when CCR.USERSETMPEND is set */
    ut_wr32(m, STIR, 3);
    ck_assert(!is_pending(EXC_IRQ0 + 3));
    m->fault.valid = false;
    m->scb.ccr |= 2u;
    ut_wr32(m, STIR, 3);
    ck_assert(is_pending(EXC_IRQ0 + 3));
    ck_assert(!m->fault.valid);
    /* the DWT too */
    ut_rd32(m, DWT_CYCCNT);
    ck_assert(m->fault.valid);
}
END_TEST

/* ---- DWT -------------------------------------------------------------------------------- */

START_TEST(dwt_cyccnt_needs_trcena_and_cyccntena)
{
    ck_assert_uint_eq(ut_rd32(m, DEMCR), 0);
    ut_wr32(m, DWT_CTRL, 1);                                /* CYCCNTENA without TRCENA */
    ut_set_cycle(m, 500);
    ck_assert_uint_eq(ut_rd32(m, DWT_CYCCNT), 0);
    ut_set_cycle(m, 1000);
    ut_wr32(m, DEMCR, TRCENA);
    ck_assert_uint_eq(ut_rd32(m, DEMCR), TRCENA);
    ut_set_cycle(m, 1500);
    ck_assert_uint_eq(ut_rd32(m, DWT_CYCCNT), 500);
    ut_wr32(m, DWT_CTRL, 0);                                /* stop */
    ut_set_cycle(m, 2000);
    ck_assert_uint_eq(ut_rd32(m, DWT_CYCCNT), 500);
    ut_wr32(m, DWT_CYCCNT, 10);                             /* writable */
    ut_wr32(m, DWT_CTRL, 1);
    ut_set_cycle(m, 2100);
    ck_assert_uint_eq(ut_rd32(m, DWT_CYCCNT), 110);
    ut_wr32(m, DEMCR, 0);                                   /* TRCENA off: frozen */
    ut_set_cycle(m, 5000);
    ck_assert_uint_eq(ut_rd32(m, DWT_CYCCNT), 110);
    ck_assert_uint_eq(ut_rd32(m, DWT_CTRL) & 1u, 1);
    /* CYCCNT wraps at 32 bits */
    ut_wr32(m, DEMCR, TRCENA);
    ut_set_cycle(m, 5000 + 0x100000000ull);
    ck_assert_uint_eq(ut_rd32(m, DWT_CYCCNT), 110);
}
END_TEST

/* ---- priorities ----------------------------------------------------------------------------- */

START_TEST(execution_priority)
{
    ck_assert_int_eq(exc_execution_priority(m), 256);
    ut_wr8(m, IPR8(3), 0x40);
    m->exc.slot[EXC_IRQ0 + 3].active = true;
    m->exc.nactive = 1;
    ck_assert_int_eq(exc_execution_priority(m), 0x40);
    ut_wr8(m, IPR8(4), 0x20);
    m->exc.slot[EXC_IRQ0 + 4].active = true;
    m->exc.nactive = 2;
    ck_assert_int_eq(exc_execution_priority(m), 0x20);      /* the highest active one */
    m->exc.slot[EXC_IRQ0 + 4].active = false;
    m->exc.nactive = 1;
    cpu_set_reg(m, UC_ARM_REG_BASEPRI, 0x80);                /* lower than the active one */
    ck_assert_int_eq(exc_execution_priority(m), 0x40);
    cpu_set_reg(m, UC_ARM_REG_BASEPRI, 0x2F);                /* masked to 0x20 */
    ck_assert_int_eq(exc_execution_priority(m), 0x20);
    ut_wr32(m, AIRCR, VECTKEY | 5u << 8);                    /* BASEPRI counts by group */
    ck_assert_int_eq(exc_execution_priority(m), 0x00);
    cpu_set_reg(m, UC_ARM_REG_BASEPRI, 0x70);
    ck_assert_int_eq(exc_execution_priority(m), 0x40);
    cpu_set_reg(m, UC_ARM_REG_BASEPRI, 0);
    cpu_set_reg(m, UC_ARM_REG_PRIMASK, 1);
    ck_assert_int_eq(exc_execution_priority(m), 0);
    cpu_set_reg(m, UC_ARM_REG_FAULTMASK, 1);
    ck_assert_int_eq(exc_execution_priority(m), -1);
    cpu_set_reg(m, UC_ARM_REG_FAULTMASK, 0);
    cpu_set_reg(m, UC_ARM_REG_PRIMASK, 0);
    /* an active HardFault */
    m->exc.slot[EXC_HARDFAULT].active = true;
    m->exc.nactive = 2;
    ck_assert_int_eq(exc_execution_priority(m), -1);
}
END_TEST

START_TEST(highest_pending_ordering)
{
    ck_assert_int_eq(exc_highest_pending(m), 0);
    ut_wr32(m, ISER(0), 0xFFu);
    ut_wr8(m, IPR8(6), 0x30);
    ut_wr8(m, IPR8(2), 0x30);
    ut_wr8(m, IPR8(1), 0x50);
    ut_wr32(m, ISPR(0), (1u << 6) | (1u << 1));
    ck_assert_int_eq(exc_highest_pending(m), EXC_IRQ0 + 6);
    ut_wr32(m, ISPR(0), 1u << 2);                            /* same priority, lower number */
    ck_assert_int_eq(exc_highest_pending(m), EXC_IRQ0 + 2);
    ut_wr8(m, SHPR8(EXC_SVCALL), 0x30);
    exc_set_pending(m, EXC_SVCALL, true);                    /* 11 < 18 */
    ck_assert_int_eq(exc_highest_pending(m), EXC_SVCALL);
    ut_wr8(m, IPR8(1), 0x20);
    ck_assert_int_eq(exc_highest_pending(m), EXC_IRQ0 + 1);
    /* priority 0 IRQ vs priority 0 PendSV: PendSV (14) has the lower number */
    ut_wr8(m, IPR8(7), 0x00);
    ut_wr32(m, ISPR(0), 1u << 7);
    ut_wr32(m, ICSR, ICSR_PENDSVSET);
    ck_assert_int_eq(exc_highest_pending(m), EXC_PENDSV);
    exc_set_pending(m, EXC_HARDFAULT, true);
    ck_assert_int_eq(exc_highest_pending(m), EXC_HARDFAULT);
    exc_set_pending(m, EXC_NMI, true);
    ck_assert_int_eq(exc_highest_pending(m), EXC_NMI);
    ck_assert(ut_rd32(m, ICSR) & (1u << 31));               /* NMIPENDSET */
    /* numbers beyond the board's exceptions are never pending */
    exc_set_pending(m, EXC_IRQ0 + 80, true);
    ck_assert(!is_pending(EXC_IRQ0 + 80));
}
END_TEST

Suite *scs_suite(void); /* called by tests/unit/runner.c */
Suite *scs_suite(void)
{
    Suite *s = suite_create("scs");
    TCase *tc = tcase_create("nvic");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, nvic_ictr);
    tcase_add_test(tc, nvic_enable_set_clear);
    tcase_add_test(tc, nvic_lines_beyond_80_read_zero);
    tcase_add_test(tc, nvic_pending_set_clear);
    tcase_add_test(tc, nvic_active_bits);
    tcase_add_test(tc, nvic_priority_bytes);
    tcase_add_test(tc, nvic_stir);
    suite_add_tcase(s, tc);

    tc = tcase_create("scb");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, scb_cpuid);
    tcase_add_test(tc, scb_icsr_pend_bits);
    tcase_add_test(tc, scb_icsr_vectactive);
    tcase_add_test(tc, scb_vtor_alignment);
    tcase_add_test(tc, scb_aircr_vectkey);
    tcase_add_test(tc, scb_prigroup_group_priority);
    tcase_add_test(tc, scb_prigroup_subpriority_ordering);
    tcase_add_test(tc, scb_shpr_bytes);
    tcase_add_test(tc, scb_shcsr_enables);
    tcase_add_test(tc, scb_fault_status_w1c);
    tcase_add_test(tc, scb_fault_address_registers);
    suite_add_tcase(s, tc);

    tc = tcase_create("systick");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, systick_reset_values);
    tcase_add_test(tc, systick_period_is_reload_plus_one);
    tcase_add_test(tc, systick_one_ms_at_48mhz);
    tcase_add_test(tc, systick_countflag);
    tcase_add_test(tc, systick_cvr_write_restarts_period);
    tcase_add_test(tc, systick_disable_freezes);
    tcase_add_test(tc, systick_zero_reload_never_fires);
    tcase_add_test(tc, systick_reload_set_to_zero_stops_after_wrap);
    suite_add_tcase(s, tc);

    tc = tcase_create("dwt_and_priorities");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, dwt_cyccnt_needs_trcena_and_cyccntena);
    tcase_add_test(tc, execution_priority);
    tcase_add_test(tc, highest_pending_ordering);
    tcase_add_test(tc, scs_is_privileged_only);
    suite_add_tcase(s, tc);
    return s;
}
