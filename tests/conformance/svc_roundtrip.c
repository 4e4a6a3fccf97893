/*
 * svc_roundtrip — SVC from unprivileged thread mode on PSP and from
 * privileged thread mode on MSP into a handler on MSP: the stacked frame
 * (r0-r3, r12, lr, pc, xpsr), a modified stacked r0 coming back, r4-r11/r12/
 * lr/flags/SP preserved, CONTROL and IPSR before/inside/after, the EXC_RETURN
 * values 0xFFFFFFFD / 0xFFFFFFF9 / 0xFFFFFFF1, an IRQ nested inside the SVC
 * handler, SVC from an IRQ handler, and SVC escalating to HardFault when
 * executed at a priority that does not allow it.
 */
#include "testlib.h"

/* svc_probe(res): loads known values into r0-r12, lr and the flags, executes
 * `svc #42`, then stores what it finds:
 *   res[0..11] r0..r11, res[12] APSR, res[13] r12, res[14] SP before,
 *   res[15] lr, res[16] SP after. */
void svc_probe(uint32_t *res);
extern char svc_probe_ret[];
__asm__(
    "  .section .text.svc_probe,\"ax\",%progbits\n"
    "  .syntax unified\n"
    "  .thumb\n"
    "  .global svc_probe\n"
    "  .type svc_probe, %function\n"
    "  .thumb_func\n"
    "svc_probe:\n"
    "  push {r0, r4-r11, lr}\n"
    "  mov r1, sp\n"
    "  str r1, [r0, #56]\n"
    "  ldr r4, =0x44444444\n"
    "  ldr r5, =0x55555555\n"
    "  ldr r6, =0x66666666\n"
    "  ldr r7, =0x77777777\n"
    "  ldr r8, =0x88888888\n"
    "  ldr r9, =0x99999999\n"
    "  ldr r10, =0xAAAAAAAA\n"
    "  ldr r11, =0xBBBBBBBB\n"
    "  ldr r12, =0xA0000000\n"
    "  msr APSR_nzcvq, r12\n"
    "  ldr r0, =0x10101010\n"
    "  ldr r1, =0x11111111\n"
    "  ldr r2, =0x22222222\n"
    "  ldr r3, =0x33333333\n"
    "  ldr r12, =0xCCCCCCCC\n"
    "  ldr lr, =0xEEEEEEEF\n"
    "  svc #42\n"
    "  .global svc_probe_ret\n"
    "svc_probe_ret:\n"
    "  push {r12, lr}\n"
    "  ldr r12, [sp, #8]\n"
    "  stmia r12, {r0-r11}\n"
    "  mrs r0, apsr\n"
    "  str r0, [r12, #48]\n"
    "  pop {r0, r1}\n"
    "  str r0, [r12, #52]\n"
    "  str r1, [r12, #60]\n"
    "  mov r2, sp\n"
    "  str r2, [r12, #64]\n"
    "  pop {r0, r4-r11, pc}\n"
    "  .ltorg\n"
    "  .size svc_probe, . - svc_probe\n"
    "  .text\n");

#define IRQ_NEST 5      /* pended from the SVC handler, higher priority than SVC */
#define IRQ_CALLER 6    /* lower priority than SVC, executes svc */
#define IRQ_BADSVC 7    /* higher priority than SVC, executes svc -> HardFault */

static volatile uint32_t h_count, h_excret, h_frame[8], h_frame_addr, h_ipsr, h_control;
static volatile uint32_t h_svcnum, h_shcsr;
static volatile int nest_mode;
static volatile uint32_t n_excret, n_ipsr, n_stacked_ipsr, n_shcsr, n_count;
static volatile char seq[8];
static volatile unsigned seq_n;

static void mark(char c)
{
    if (seq_n < sizeof seq - 1)
        seq[seq_n++] = c;
}

TL_FRAME_HANDLER(SVC_Handler, svc_c)
void svc_c(uint32_t *frame, uint32_t exc_return)
{
    if (tl_svc_builtin(frame))
        return;
    h_count++;
    h_excret = exc_return;
    for (int i = 0; i < 8; i++)
        h_frame[i] = frame[i];
    h_frame_addr = (uint32_t)frame;
    h_ipsr = cpu_get_ipsr();
    h_control = cpu_get_control();
    h_svcnum = *(volatile uint16_t *)(frame[6] - 2u) & 0xFFu;
    h_shcsr = SCB_SHCSR;
    mark('S');
    if (nest_mode) {
        nvic_set_pending(IRQ_NEST);     /* preempts right here */
        mark('s');
    }
    frame[0] = 0xC0DEC0DEu;             /* becomes r0 in the caller */
}

TL_FRAME_HANDLER(IRQ5_Handler, nest_c)
void nest_c(uint32_t *frame, uint32_t exc_return)
{
    n_count++;
    n_excret = exc_return;
    n_ipsr = cpu_get_ipsr();
    n_stacked_ipsr = frame[7] & 0x1FFu;
    n_shcsr = SCB_SHCSR;
    mark('I');
}

static uint32_t caller_res[17];
void IRQ6_Handler(void)
{
    mark('C');
    svc_probe(caller_res);
    mark('c');
}

static volatile uint32_t badsvc_done;
void IRQ7_Handler(void)
{
    __asm__ volatile("svc #42" ::: "memory");
    badsvc_done = 1;
}

static void reset_handler_record(void)
{
    h_count = 0;
    h_excret = h_frame_addr = h_ipsr = h_control = h_svcnum = 0;
    for (int i = 0; i < 8; i++)
        h_frame[i] = 0;
}

static void check_frame(const char *what)
{
    static const uint32_t want[6] = { 0x10101010u, 0x11111111u, 0x22222222u, 0x33333333u,
                                      0xCCCCCCCCu, 0xEEEEEEEFu };
    static const char *const names[6] = { "r0", "r1", "r2", "r3", "r12", "lr" };
    int ok = 1;
    for (int i = 0; i < 6; i++) {
        if (h_frame[i] != want[i]) {
            ok = 0;
            sh_printf("#   stacked %s = 0x%x\n", names[i], (unsigned)h_frame[i]);
        }
    }
    sh_printf("# %s\n", what);
    CHECK(ok, "stacked r0-r3, r12, lr are the values at the svc");
    CHECK_EQ(h_frame[6], (uint32_t)svc_probe_ret, "stacked pc = address after the svc");
    CHECK_EQ(h_frame[7], 0xA1000000u, "stacked xpsr = NZCV flags 1010, T=1, IPSR=0, no realign");
    CHECK_EQ(h_svcnum, 42, "svc immediate read back from stacked pc - 2");
    CHECK_EQ(h_ipsr, EXC_SVCALL, "IPSR = 11 in the handler");
}

static void check_after(const uint32_t *res)
{
    static const uint32_t want[12] = { 0xC0DEC0DEu, 0x11111111u, 0x22222222u, 0x33333333u,
                                       0x44444444u, 0x55555555u, 0x66666666u, 0x77777777u,
                                       0x88888888u, 0x99999999u, 0xAAAAAAAAu, 0xBBBBBBBBu };
    int ok_r4 = 1;
    for (int i = 4; i < 12; i++)
        if (res[i] != want[i])
            ok_r4 = 0;
    CHECK_EQ(res[0], 0xC0DEC0DEu, "r0 after svc = value the handler wrote to the stacked r0");
    CHECK(res[1] == want[1] && res[2] == want[2] && res[3] == want[3], "r1-r3 restored");
    CHECK(ok_r4, "r4-r11 preserved");
    CHECK_EQ(res[13], 0xCCCCCCCCu, "r12 restored");
    CHECK_EQ(res[15], 0xEEEEEEEFu, "lr restored from the frame");
    CHECK_EQ(res[12] & 0xF8000000u, 0xA0000000u, "flags restored from the stacked xpsr");
    CHECK(res[16] == res[14], "SP after the svc = SP before");
}

static uint32_t unpriv_res[17];
static volatile uint32_t u_control_before, u_control_after, u_ipsr;

static uint32_t unpriv_body(uint32_t arg)
{
    u_control_before = cpu_get_control();
    u_ipsr = cpu_get_ipsr();
    svc_probe(unpriv_res);
    u_control_after = cpu_get_control();
    return arg + 1u;
}

int main(void)
{
    uint32_t res[17];

    sh_printf("# svc_roundtrip\n");
    scb_set_priority(EXC_SVCALL, 0x80);
    nvic_set_priority(IRQ_NEST, 0x40);
    nvic_set_priority(IRQ_CALLER, 0xC0);
    nvic_set_priority(IRQ_BADSVC, 0x40);
    nvic_enable(IRQ_NEST);
    nvic_enable(IRQ_CALLER);
    nvic_enable(IRQ_BADSVC);

    /* 1. privileged thread mode on MSP */
    CHECK_EQ(cpu_get_control(), 0, "CONTROL = 0 at reset (privileged, MSP)");
    CHECK_EQ(cpu_get_ipsr(), 0, "IPSR = 0 in thread mode");
    reset_handler_record();
    svc_probe(res);
    CHECK_EQ(h_count, 1, "handler ran once");
    CHECK_EQ(h_excret, 0xFFFFFFF9u, "EXC_RETURN = 0xFFFFFFF9 from thread mode on MSP");
    check_frame("from privileged thread mode, MSP");
    CHECK_EQ(h_frame_addr, res[14] - 32u, "frame is on MSP, 32 bytes below the caller's SP");
    CHECK_EQ(h_control, 0, "CONTROL = 0 in the handler");
    CHECK(h_shcsr & SHCSR_SVCALLACT, "SHCSR.SVCALLACT set in the handler");
    check_after(res);
    CHECK_EQ(SCB_SHCSR & SHCSR_SVCALLACT, 0, "SHCSR.SVCALLACT clear after return");

    /* 2. unprivileged thread mode on PSP */
    reset_handler_record();
    uint32_t r = tl_run_unprivileged(unpriv_body, 41);
    CHECK_EQ(r, 42, "unprivileged function ran and returned its value");
    CHECK_EQ(u_control_before, 3, "CONTROL = 3 (nPRIV, SPSEL) in unprivileged thread mode");
    CHECK_EQ(u_ipsr, 0, "IPSR = 0 in unprivileged thread mode");
    CHECK_EQ(h_count, 1, "handler ran once");
    CHECK_EQ(h_excret, 0xFFFFFFFDu, "EXC_RETURN = 0xFFFFFFFD from thread mode on PSP");
    check_frame("from unprivileged thread mode, PSP");
    CHECK_EQ(h_frame_addr, unpriv_res[14] - 32u, "frame is on PSP, 32 bytes below the caller's SP");
    CHECK_EQ(h_control, 1, "CONTROL = 1 in the handler (nPRIV kept, SPSEL = 0)");
    check_after(unpriv_res);
    CHECK_EQ(u_control_after, 3, "CONTROL = 3 again after the return");
    CHECK_EQ(cpu_get_control(), 0, "CONTROL = 0 back in privileged thread mode");

    /* 3. an IRQ of higher priority pended inside the SVC handler nests */
    reset_handler_record();
    seq_n = 0;
    nest_mode = 1;
    svc_probe(res);
    nest_mode = 0;
    seq[seq_n] = 0;
    CHECK(seq_n == 3 && seq[0] == 'S' && seq[1] == 'I' && seq[2] == 's',
          "IRQ preempts the SVC handler at once (order S I s)");
    CHECK_EQ(n_count, 1, "nested IRQ ran once");
    CHECK_EQ(n_excret, 0xFFFFFFF1u, "EXC_RETURN = 0xFFFFFFF1 in the nested IRQ");
    CHECK_EQ(n_ipsr, EXC_IRQ(IRQ_NEST), "IPSR = 16 + irq in the nested IRQ");
    CHECK_EQ(n_stacked_ipsr, EXC_SVCALL, "stacked xpsr IPSR = 11 (the preempted SVC)");
    CHECK(n_shcsr & SHCSR_SVCALLACT, "SVCall still active while the IRQ runs");
    CHECK_EQ(h_excret, 0xFFFFFFF9u, "the SVC itself still saw 0xFFFFFFF9");
    CHECK_EQ(res[0], 0xC0DEC0DEu, "r0 modified by the SVC handler after the nested IRQ");

    /* 4. svc from an IRQ handler of lower priority than SVCall */
    reset_handler_record();
    seq_n = 0;
    nvic_set_pending(IRQ_CALLER);
    CHECK(seq_n == 3 && seq[0] == 'C' && seq[1] == 'S' && seq[2] == 'c', "svc from an IRQ handler runs the SVC handler");
    CHECK_EQ(h_excret, 0xFFFFFFF1u, "EXC_RETURN = 0xFFFFFFF1 for svc from handler mode");
    CHECK_EQ(h_frame[7] & 0x1FFu, EXC_IRQ(IRQ_CALLER), "stacked IPSR = the calling IRQ");
    CHECK_EQ(caller_res[0], 0xC0DEC0DEu, "r0 modified for the IRQ handler too");
    CHECK(caller_res[16] == caller_res[14], "SP (MSP in handler mode) restored");

    /* 5. svc at a priority >= SVCall's cannot be taken: HardFault */
    reset_handler_record();
    tl_trap_faults(1);
    nvic_set_pending(IRQ_BADSVC);
    tl_trap_faults(0);
    CHECK_EQ(h_count, 0, "SVC handler not entered from a higher-priority IRQ");
    CHECK_EQ(tl_fault.exc, EXC_HARDFAULT, "svc escalated to HardFault");
    CHECK(tl_fault.hfsr & HFSR_FORCED, "HFSR.FORCED set");
    CHECK_EQ(badsvc_done, 1, "IRQ handler continued after the skipped svc");

    return tl_done();
}
