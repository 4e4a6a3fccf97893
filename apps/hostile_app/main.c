/*
 * hostile_app — the misbehaving processes of tests/hostile/run.sh.
 *
 * One ELF, many behaviours: tests/hostile/run.sh converts build/apps/
 * hostile_app.elf again with `elf2tbf -n hostile_MODE`, and the app reads its
 * own package name from its TBF header (memop 4 = its flash start) to pick
 * the behaviour.  Under its own name (hostile_app) it only prints the modes.
 *
 * Faulting modes print "hostile: MODE attack pc 0x.. addr 0x.." (the exact
 * instruction that must fault and the address it touches) after a delay of
 * ATTACK_DELAY_MS, so that the witness app's timing can be checked before the
 * Hail fault policy (restart 5 times, then panic) runs out; if the attack is
 * not stopped they print "hostile: MODE SURVIVED" or "hostile: MODE LEAK ..".
 * The other modes print their system-call results and exit 0.
 *
 * The victim (apps/hostile_victim) must be loaded first: its RAM block (8 KiB)
 * then ends where this process's starts.
 */
#include <ipc.h>
#include <libtock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTACK_DELAY_MS 350
#define KERNEL_RAM      0x20000100u     /* kernel .data/.bss */
#define KERNEL_CODE     0x00010100u     /* kernel .text (after the vector table) */
#define VICTIM_SIZE     0x2000u         /* the victim's RAM block: 8 KiB, just below ours */
#define VICTIM_START    (mem_start() - VICTIM_SIZE)
#define VICTIM_DATA     (VICTIM_START + 0x800u)     /* after its 2 KiB stack: GOT, .data, the secret */
#define MPU_CTRL        0xE000ED94u
#define NVIC_ICER0      0xE000E180u
#define GPIO_A_OVRT     0x400E105Cu     /* SAM4L GPIO port A output toggle; bit 13 = red LED */

static char mode[24];

/* ---- raw accesses whose faulting PC is the function's address -------------- */
__attribute__((naked, noinline)) static uint32_t ld32(uint32_t addr)
{
    (void)addr;
    __asm__ volatile("ldr r0, [r0]\n\tbx lr");
}

__attribute__((naked, noinline)) static void st32(uint32_t addr, uint32_t value)
{
    (void)addr;
    (void)value;
    __asm__ volatile("str r1, [r0]\n\tbx lr");
}

__attribute__((naked, noinline)) static void svc9(void)
{
    __asm__ volatile("svc 9\n\tbx lr");
}

static uint32_t fn_addr(const void *f) { return (uint32_t)(uintptr_t)f & ~1u; }

static uint32_t mem_start(void) { return memop(2, 0).data; }
static uint32_t flash_start(void) { return memop(4, 0).data; }
static uint32_t kernel_break(void) { return memop(6, 0).data; }
static uint32_t app_break(void) { return memop(1, 0).data; }

/* Package name TLV (type 3) of our own TBF header. */
static void read_own_name(void)
{
    const uint8_t *h = (const uint8_t *)(uintptr_t)flash_start();
    uint32_t hsize = (uint32_t)h[2] | (uint32_t)h[3] << 8;
    for (uint32_t off = 16; off + 4 <= hsize;) {
        uint32_t type = (uint32_t)h[off] | (uint32_t)h[off + 1] << 8;
        uint32_t len = (uint32_t)h[off + 2] | (uint32_t)h[off + 3] << 8;
        if (type == 3) {
            uint32_t n = len < sizeof mode - 1 ? len : sizeof mode - 1;
            memcpy(mode, h + off + 4, n);
            mode[n] = '\0';
            return;
        }
        off += 4 + ((len + 3u) & ~3u);
    }
}

static void announce(uint32_t pc, uint32_t addr)
{
    delay_ms(ATTACK_DELAY_MS);
    printf("hostile: %s attack pc 0x%08lx addr 0x%08lx\n", mode, (unsigned long)pc, (unsigned long)addr);
}

static void read_attack(uint32_t addr)
{
    announce(fn_addr((const void *)ld32), addr);
    uint32_t v = ld32(addr);
    printf("hostile: %s LEAK 0x%08lx\n", mode, (unsigned long)v);
}

static void write_attack(uint32_t addr, uint32_t value)
{
    announce(fn_addr((const void *)st32), addr);
    st32(addr, value);
    printf("hostile: %s SURVIVED\n", mode);
}

static void jump_attack(uint32_t target)
{
    announce(target & ~1u, target & ~1u);
    ((void (*)(void))(uintptr_t)(target | 1u))();
    printf("hostile: %s SURVIVED\n", mode);
}

/* ---- stack overflow ------------------------------------------------------------- */
static uint32_t recurse(volatile uint32_t *prev, uint32_t n)
{
    volatile uint32_t frame[16];
    frame[0] = n;
    frame[15] = prev != NULL ? prev[0] : 0;
    if (n > 100000)
        return frame[15];
    return recurse(frame, n + 1) + frame[1];
}

/* ---- SP below our memory, then spin: the next exception cannot stack ---------- */
__attribute__((naked, noinline)) static void bad_sp_spin(uint32_t sp)
{
    (void)sp;
    __asm__ volatile("mov sp, r0\n1:\tb 1b");
}

/* ---- execute from RAM: a "bx lr" in a RAM buffer ------------------------------ */
static uint16_t ram_code[4] __attribute__((aligned(8)));

/* ---- brk / sbrk to absurd values -------------------------------------------------- */
static void show_status(const char *what, uint32_t status)
{
    printf("hostile: %s status %lu\n", what, (unsigned long)status);
}

static void mode_brk(void)
{
    uint32_t before = app_break(), ms = mem_start(), end = memop(3, 0).data, kb = kernel_break();
    show_status("sbrk(+0x7fffffff)", memop(1, 0x7fffffff).status);
    show_status("sbrk(-0x80000000)", memop(1, (int)0x80000000u).status);
    show_status("sbrk(+1 MiB)", memop(1, 0x100000).status);
    show_status("sbrk(below mem_start)", memop(1, -(int)(before - ms) - 4).status);
    show_status("brk(0)", memop(0, 0).status);
    show_status("brk(0xfffffffc)", memop(0, (int)0xfffffffcu).status);
    show_status("brk(kernel ram)", memop(0, (int)KERNEL_RAM).status);
    show_status("brk(victim ram)", memop(0, (int)VICTIM_DATA).status);
    show_status("brk(end of block)", memop(0, (int)end).status);
    show_status("brk(kernel break + 8)", memop(0, (int)(kb + 8)).status);
    /* an allowed buffer pins the break: brk below it must fail */
    uint8_t *buf = sbrk_tock(64);
    allow_readwrite(0x40001, 0, buf, 64);
    show_status("brk(below an allowed buffer)", memop(0, (int)(uintptr_t)buf).status);
    allow_readwrite(0x40001, 0, NULL, 0);
    show_status("brk(below it after un-allow)", memop(0, (int)(uintptr_t)buf).status);
    uint32_t after = app_break();
    printf("hostile: brk break %s\n", after == before + 64 ? "unchanged" : "MOVED");
}

/* ---- system-call pointers outside our memory ------------------------------------ */
static void upcall_nop(int a, int b, int c, void *ud) { (void)a; (void)b; (void)c; (void)ud; }

static void mode_pointers(void)
{
    static uint8_t own[16];
    uint32_t ms = mem_start(), kb = kernel_break(), brk = app_break(), fs = flash_start();
    const struct { const char *what; uint32_t ptr, len; } rw[] = {
        { "kernel ram", KERNEL_RAM, 16 },
        { "victim ram", VICTIM_DATA, 16 },
        { "wraps around", 0xFFFFFFF0u, 0x20 },
        { "huge length", ms, 0xFFFFFFFFu },
        { "peripheral", GPIO_A_OVRT, 4 },
        { "scs", MPU_CTRL, 4 },
    };
    for (unsigned i = 0; i < sizeof rw / sizeof rw[0]; i++) {
        printf("hostile: allow rw %s status %lu\n", rw[i].what,
               (unsigned long)allow_readwrite(0x40001, 0, (void *)(uintptr_t)rw[i].ptr, rw[i].len).status);
    }
    printf("hostile: allow rw own grant area status %lu\n",
           (unsigned long)allow_readwrite(0x40001, 0, (void *)(uintptr_t)kb, 16).status);
    printf("hostile: allow rw across the break status %lu\n",
           (unsigned long)allow_readwrite(0x40001, 0, (void *)(uintptr_t)(brk - 8), 16).status);
    printf("hostile: allow rw below mem_start status %lu\n",
           (unsigned long)allow_readwrite(0x40001, 0, (void *)(uintptr_t)(ms - 8), 16).status);
    printf("hostile: allow rw own flash status %lu\n",
           (unsigned long)allow_readwrite(0x40001, 0, (void *)(uintptr_t)(fs + 0x100), 16).status);
    printf("hostile: allow ro kernel code status %lu\n",
           (unsigned long)allow_readonly(1, 1, (const void *)(uintptr_t)KERNEL_CODE, 16).status);
    printf("hostile: allow ro own tbf header status %lu\n",
           (unsigned long)allow_readonly(1, 1, (const void *)(uintptr_t)fs, 16).status);
    printf("hostile: allow ro victim ram status %lu\n",
           (unsigned long)allow_readonly(1, 1, (const void *)(uintptr_t)VICTIM_DATA, 16).status);
    printf("hostile: allow ipc share victim ram status %lu\n",
           (unsigned long)allow_readwrite(DRIVER_NUM_IPC, 0, (void *)(uintptr_t)VICTIM_DATA, 32).status);
    printf("hostile: allow userspace-readable kernel ram status %lu\n",
           (unsigned long)allow_userspace_read(0x40001, 0, (void *)(uintptr_t)KERNEL_RAM, 16).status);
    allow_rw_return_t z = allow_readwrite(0x40001, 0, (void *)(uintptr_t)KERNEL_RAM, 0);
    printf("hostile: allow rw zero length at kernel ram %s\n", z.success ? "success" : "FAILED");
    allow_readwrite(0x40001, 0, NULL, 0);
    allow_rw_return_t ok = allow_readwrite(0x40001, 0, own, sizeof own);
    printf("hostile: allow rw own buffer %s\n", ok.success ? "success" : "FAILED");

    /* subscribe with function pointers outside our code/RAM */
    const struct { const char *what; uint32_t fn; } sub[] = {
        { "kernel code", KERNEL_CODE | 1u },
        { "kernel ram", KERNEL_RAM },
        { "victim ram", VICTIM_DATA },
        { "victim flash", 0x00030000u + 0x101u },
        { "all ones", 0xFFFFFFFFu },
    };
    for (unsigned i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        printf("hostile: subscribe %s status %lu\n", sub[i].what,
               (unsigned long)subscribe(0, 0, (subscribe_upcall *)(uintptr_t)sub[i].fn, NULL).status);
    }
    printf("hostile: subscribe own grant area status %lu\n",
           (unsigned long)subscribe(0, 0, (subscribe_upcall *)(uintptr_t)(kb | 1u), NULL).status);
    printf("hostile: subscribe own tbf header status %lu\n",
           (unsigned long)subscribe(0, 0, (subscribe_upcall *)(uintptr_t)(fs | 1u), NULL).status);
    subscribe_return_t s = subscribe(0x40001, 0, upcall_nop, NULL);
    printf("hostile: subscribe own function %s\n", s.success ? "success" : "FAILED");

    /* yield-no-wait writes its flag byte only inside our RAM: aim it everywhere else */
    for (uint32_t a = 0x20000000u; a < 0x20010000u; a += 4) {
        if (a >= ms && a < brk)
            continue;
        register uint32_t r0 __asm__("r0") = 0;
        register uint32_t r1 __asm__("r1") = a;
        __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1) : : "r2", "r3", "r12", "lr", "memory");
    }
    printf("hostile: yield-no-wait flag aimed at all other RAM: done\n");
    printf("hostile: pointers done\n");
}

/* ---- invalid system calls -------------------------------------------------------- */
static void mode_badsvc(void)
{
    register uint32_t r0 __asm__("r0") = 5;
    register uint32_t r1 __asm__("r1") = 0;
    __asm__ volatile("svc 6" : "+r"(r0), "+r"(r1) : : "r2", "r3", "memory");
    printf("hostile: exit with r0=5 returned variant %lu error %lu\n", (unsigned long)r0, (unsigned long)r1);
    printf("hostile: memop 12 status %lu\n", (unsigned long)memop(12, 0).status);
    announce(fn_addr((const void *)svc9) + 2u, 9);
    svc9();
    printf("hostile: %s SURVIVED\n", mode);
}

/* ---- flood of upcalls (IPC notifications) ------------------------------------- */
static volatile int handled;
static void ipc_upcall(int a, int b, int c, void *ud) { (void)a; (void)b; (void)c; (void)ud; handled++; }

static void mode_flood(void)
{
    size_t me = 0, victim = 0;
    if (ipc_register_service_callback(mode, ipc_upcall, NULL) != RETURNCODE_SUCCESS ||
        ipc_discover("hostile_victim", &victim) != RETURNCODE_SUCCESS || ipc_discover(mode, &me) != RETURNCODE_SUCCESS) {
        printf("hostile: flood set-up failed\n");
        return;
    }
    int ok = 0, nomem = 0, other = 0;
    for (int i = 0; i < 20; i++) {
        returncode_t rc = ipc_notify_service(me);
        if (rc == RETURNCODE_SUCCESS) ok++;
        else if (rc == RETURNCODE_ENOMEM) nomem++;
        else other++;
    }
    while (handled < ok)
        yield();
    printf("hostile: flood self ok %d refused %d other %d handled %d\n", ok, nomem, other, handled);
    ok = nomem = other = 0;
    for (int round = 0; round < 100; round++) {
        for (int i = 0; i < 20; i++) {
            returncode_t rc = ipc_notify_service(victim);
            if (rc == RETURNCODE_SUCCESS) ok++;
            else if (rc == RETURNCODE_ENOMEM) nomem++;
            else other++;
        }
        delay_ms(10);
    }
    printf("hostile: flood victim ok %d refused %d other %d\n", ok, nomem, other);
    printf("hostile: flood done\n");
    for (;;)
        yield();
}

/* ---- exhausting our own grant memory --------------------------------------------- */
static void mode_grant(void)
{
    static const struct { const char *what; uint32_t driver, num; } drivers[] = {
        { "ipc", DRIVER_NUM_IPC, 0 }, { "alarm", 0, 0 }, { "button", 3, 0 }, { "gpio", 4, 0 }, { "rng", 0x40001, 0 },
    };
    uint32_t st[5], st2[5];
    uint32_t brk0 = app_break(), kb = kernel_break(), top = brk0;
    printf("hostile: grant start\n");                   /* console grant allocated */
    kb = kernel_break();
    for (uint32_t b = kb; b > brk0; b -= 8) {           /* the highest break the MPU can cover */
        if (memop(0, (int)b).status == 0) {
            top = b;
            break;
        }
    }
    for (int i = 0; i < 5; i++)
        st[i] = subscribe(drivers[i].driver, drivers[i].num, upcall_nop, NULL).status;
    uint32_t kb_full = kernel_break();
    memop(0, (int)brk0);
    for (int i = 0; i < 5; i++)
        st2[i] = subscribe(drivers[i].driver, drivers[i].num, upcall_nop, NULL).status;
    printf("hostile: grant break raised %s\n", top > brk0 ? "to the MPU limit" : "NOWHERE");
    printf("hostile: grant exhausted: ipc %lu alarm %lu button %lu gpio %lu rng %lu\n", (unsigned long)st[0],
           (unsigned long)st[1], (unsigned long)st[2], (unsigned long)st[3], (unsigned long)st[4]);
    printf("hostile: grant kernel break stayed above the app break: %s\n", kb_full >= top ? "yes" : "NO");
    printf("hostile: grant after release: ipc %lu alarm %lu button %lu gpio %lu rng %lu\n", (unsigned long)st2[0],
           (unsigned long)st2[1], (unsigned long)st2[2], (unsigned long)st2[3], (unsigned long)st2[4]);
    delay_ms(100);
    printf("hostile: grant done\n");
}

/* ---- exit-restart forever: the memory accounting of every life ------------------- */
static void mode_restart(void)
{
    uint32_t kb0 = kernel_break(), brk0 = app_break();
    allow_readonly(1, 1, NULL, 0);                      /* console grant */
    subscribe(0, 0, upcall_nop, NULL);                  /* alarm grant */
    allow_readwrite(0x40001, 0, mode, 8);               /* rng grant */
    ipc_register_service_callback(mode, ipc_upcall, NULL);  /* ipc grant */
    void *heap = malloc(200);
    uint32_t kb1 = kernel_break(), brk1 = app_break();
    printf("life %08lx %08lx %08lx %08lx %s\n", (unsigned long)kb0,
           (unsigned long)brk0, (unsigned long)kb1, (unsigned long)brk1, heap ? "ok" : "NULL");
    tock_restart(0);
}

/* ---- IPC to dead and restarting processes --------------------------------------- */
static void mode_ipcdead(void)
{
    static uint8_t shared[64] __attribute__((aligned(64)));
    size_t dead = 0, restarting = 0;
    delay_ms(100);                                      /* hello has exited by now */
    returncode_t rc = ipc_discover("hello", &dead);
    printf("hostile: ipcdead discover hello rc %d\n", rc);
    printf("hostile: ipcdead share with hello rc %d\n", ipc_share(dead, shared, sizeof shared));
    printf("hostile: ipcdead notify service hello rc %d\n", ipc_notify_service(dead));
    printf("hostile: ipcdead notify client hello rc %d\n", ipc_notify_client(dead));
    printf("hostile: ipcdead notify slot 19 rc %d\n", ipc_notify_service(19));
    printf("hostile: ipcdead notify slot 20 rc %d\n", ipc_notify_service(20));
    printf("hostile: ipcdead notify slot 0xffffffff rc %d\n", ipc_notify_service(0xFFFFFFFFu));
    printf("hostile: ipcdead discover nobody rc %d\n", ipc_discover("nobody", &dead));
    rc = ipc_discover("hostile_restart", &restarting);
    printf("hostile: ipcdead discover hostile_restart rc %d\n", rc);
    ipc_share(restarting, shared, sizeof shared);
    int ok = 0, nomem = 0, other = 0;
    for (int i = 0; i < 200; i++) {
        returncode_t r = ipc_notify_service(restarting);
        if (r == RETURNCODE_SUCCESS) ok++;
        else if (r == RETURNCODE_ENOMEM) nomem++;
        else other++;
        delay_ms(2);
    }
    printf("hostile: ipcdead notify restarting: %d sent, other errors %d\n", ok + nomem, other);
    printf("hostile: ipcdead done\n");
}

/* ---- an IPC buffer taken back must leave the service's reach ---------------------- */
/* hostile_ipcsvc: a service that, once given a buffer, writes it every 20 ms
 * for ever: after the client has taken the buffer back, the write must fault. */
static volatile uint32_t svc_addr;
static volatile int svc_caller;

static void ipcsvc_upcall(int caller, int len, int addr, void *ud)
{
    (void)ud;
    svc_caller = caller;
    if (len != 0 && svc_addr == 0)
        svc_addr = (uint32_t)addr;
}

static void mode_ipcsvc(void)
{
    ipc_register_service_callback("hostile_ipcsvc", ipcsvc_upcall, NULL);
    while (svc_addr == 0)
        yield();
    st32(svc_addr, 0xC0FFEE01u);
    printf("hostile: ipcsvc wrote the shared buffer\n");
    ipc_notify_client((size_t)svc_caller);
    for (;;) {
        delay_ms(20);
        printf("hostile: %s attack pc 0x%08lx addr 0x%08lx\n", mode, (unsigned long)fn_addr((const void *)st32),
               (unsigned long)svc_addr);
        st32(svc_addr, 0xBADC0DE0u);                    /* allowed only while still shared */
    }
}

/* hostile_ipccli: shares 64 bytes with hostile_ipcsvc, waits until it wrote
 * them, takes them back and checks that nothing changes any more. */
static volatile int cli_events;

static void ipccli_upcall(int a, int b, int c, void *ud)
{
    (void)a, (void)b, (void)c, (void)ud;
    cli_events++;
}

static void mode_ipccli(void)
{
    static volatile uint32_t shared[16] __attribute__((aligned(64)));
    size_t svc = 0;
    delay_ms(50);                                       /* the service has registered */
    returncode_t rc = ipc_discover("hostile_ipcsvc", &svc);
    if (rc != RETURNCODE_SUCCESS) {
        printf("hostile: ipccli discover rc %d\n", rc);
        return;
    }
    for (uint32_t i = 0; i < 16; i++)
        shared[i] = 0x5AFE0000u + i;
    ipc_register_client_callback(svc, ipccli_upcall, NULL);
    ipc_share(svc, (void *)(uintptr_t)shared, sizeof shared);
    ipc_notify_service(svc);
    while (cli_events == 0)
        yield();
    printf("hostile: ipccli the service wrote 0x%08lx\n", (unsigned long)shared[0]);
    ipc_share(svc, NULL, 0);                            /* taken back */
    for (uint32_t i = 0; i < 16; i++)
        shared[i] = 0x5AFE0000u + i;
    delay_ms(200);                                      /* the service tries every 20 ms */
    int changed = 0;
    for (uint32_t i = 0; i < 16; i++)
        changed += shared[i] != 0x5AFE0000u + i;
    if (changed)
        printf("hostile: ipccli LEAK: %d words changed after taking the buffer back\n", changed);
    else
        printf("hostile: ipccli buffer intact after taking it back\n");
}

/* ---- commands with absurd arguments on every driver ------------------------------ */
static void mode_cmdfuzz(void)
{
    static const uint32_t drivers[] = { 0, 1, 2, 3, 4, 0x40001, 0x10000 };
    static const uint32_t args[] = { 3, 1000, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu };
    int n = 0;
    for (unsigned d = 0; d < sizeof drivers / sizeof drivers[0]; d++)
        for (uint32_t c = 1; c < 12; c++)
            for (unsigned a = 0; a < sizeof args / sizeof args[0]; a++)
                for (unsigned b = 0; b < sizeof args / sizeof args[0]; b++) {
                    if (drivers[d] == 1 && c == 1)
                        continue;               /* console write: tested by the console suite */
                    command(drivers[d], c, (int)args[a], (int)args[b]);
                    n++;
                }
    printf("hostile: cmdfuzz %d commands, still running\n", n);
}

int main(void)
{
    read_own_name();
    uint32_t ms = mem_start();
    if (strcmp(mode, "hostile_kread") == 0) read_attack(KERNEL_RAM);
    else if (strcmp(mode, "hostile_kwrite") == 0) write_attack(KERNEL_RAM, 0xBADC0DE0u);
    else if (strcmp(mode, "hostile_vread") == 0) read_attack(VICTIM_DATA);
    else if (strcmp(mode, "hostile_vwrite") == 0) write_attack(VICTIM_DATA, 0xBADC0DE0u);
    else if (strcmp(mode, "hostile_vgrant") == 0) read_attack(ms - 8);
    else if (strcmp(mode, "hostile_vgrantw") == 0) write_attack(ms - 8, 0xBADC0DE0u);
    else if (strcmp(mode, "hostile_owngrant") == 0) write_attack(memop(3, 0).data - 8, 0xBADC0DE0u);
    else if (strcmp(mode, "hostile_flashw") == 0) {
        uint32_t a = memop(5, 0).data - 16;             /* the padding footer at the end of our flash */
        printf("hostile: %s word at 0x%08lx is 0x%08lx\n", mode, (unsigned long)a, (unsigned long)ld32(a));
        write_attack(a, 0xBADC0DE0u);
    }
    else if (strcmp(mode, "hostile_scs") == 0) write_attack(MPU_CTRL, 0);
    else if (strcmp(mode, "hostile_nvic") == 0) write_attack(NVIC_ICER0, 0xFFFFFFFFu);
    else if (strcmp(mode, "hostile_periph") == 0) write_attack(GPIO_A_OVRT, 1u << 13);
    else if (strcmp(mode, "hostile_kjump") == 0) jump_attack(KERNEL_CODE);
    else if (strcmp(mode, "hostile_execram") == 0) {
        ram_code[0] = 0x4770;                           /* bx lr */
        jump_attack((uint32_t)(uintptr_t)ram_code);
    } else if (strcmp(mode, "hostile_stack") == 0) {
        announce(0, ms);
        printf("hostile: %s recursion returned %lu\n", mode, (unsigned long)recurse(NULL, 0));
    } else if (strcmp(mode, "hostile_badsp") == 0) {
        announce(fn_addr((const void *)bad_sp_spin) + 2u, ms - 64);
        bad_sp_spin(ms - 64);
    } else if (strcmp(mode, "hostile_spin") == 0) {
        printf("hostile: spinning\n");
        for (;;)
            __asm__ volatile("");
    }
    else if (strcmp(mode, "hostile_brk") == 0) mode_brk();
    else if (strcmp(mode, "hostile_pointers") == 0) mode_pointers();
    else if (strcmp(mode, "hostile_badsvc") == 0) mode_badsvc();
    else if (strcmp(mode, "hostile_flood") == 0) mode_flood();
    else if (strcmp(mode, "hostile_grant") == 0) mode_grant();
    else if (strcmp(mode, "hostile_restart") == 0) mode_restart();
    else if (strcmp(mode, "hostile_ipcdead") == 0) mode_ipcdead();
    else if (strcmp(mode, "hostile_cmdfuzz") == 0) mode_cmdfuzz();
    else if (strcmp(mode, "hostile_ipcsvc") == 0) mode_ipcsvc();
    else if (strcmp(mode, "hostile_ipccli") == 0) mode_ipccli();
    else {
        printf("hostile_app: rename me (elf2tbf -n hostile_MODE): kread kwrite vread vwrite vgrant vgrantw "
               "owngrant flashw scs nvic periph kjump execram stack badsp spin brk pointers badsvc flood grant "
               "restart ipcdead cmdfuzz ipcsvc ipccli\n");
        return 2;
    }
    return 0;
}
