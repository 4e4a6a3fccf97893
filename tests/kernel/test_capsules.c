/*
 * test_capsules.c — the capsules (the capsules/ sources, compiled into this file)
 * against fake HILs: the alarm mux (ordering, wrap-around, re-arming from a
 * callback, disarm), the alarm driver (commands 0-6 with their exact
 * variants, one alarm per process, upcall (now, expiry, 0)), LED (cmd 0
 * Success+u32, polarity), button and GPIO (upcall fan-out to the processes
 * that enabled / hold the grant, hardware interrupt on/off, error codes),
 * RNG (buffer filled, upcall (0, n, 0), short buffer).  Uses test_syscall.c's
 * fixture (apps "alpha" = A and "beta" = B) with the capsules' grants and
 * drivers registered before the processes are loaded.
 */
#include <check.h>
#include <string.h>

#include "kernel/kernel.h"

#include "../../capsules/alarm_driver.c"
#include "../../capsules/alarm_mux.c"
#include "../../capsules/button.c"
#include "../../capsules/gpio_driver.c"
#include "../../capsules/led.c"
#include "../../capsules/rng.c"

Suite *capsules_suite(void);

void ktest_setup(void);
struct process *ktest_running(int i);
struct sysret ktest_call(struct process *p, uint8_t cls, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3);
extern struct kernel ktest_k;
extern struct scheduler ktest_sched;
extern struct chip_ops ktest_chip;

#define ck_ret(r, v, a) do { struct sysret r_ = (r); ck_assert_uint_eq(r_.variant, (v)); \
        ck_assert_uint_eq(r_.r1, (a)); } while (0)

/* ---- a fake alarm HIL -------------------------------------------------------------- */
struct fake_alarm { uint32_t now, reference, dt; bool armed; int sets, disarms; struct hil_alarm_client client; };
static struct fake_alarm fa;

static struct fake_alarm *fa_of(const struct hil_alarm *a) { return a->state; }
static uint32_t fa_frequency(const struct hil_alarm *a) { (void)a; return 16384; }
static uint32_t fa_now(const struct hil_alarm *a) { return fa_of(a)->now; }
static void fa_set(const struct hil_alarm *a, uint32_t ref, uint32_t dt)
{
    struct fake_alarm *f = fa_of(a);
    f->reference = ref, f->dt = dt, f->armed = true, f->sets++;
}
static uint32_t fa_get(const struct hil_alarm *a) { return fa_of(a)->reference + fa_of(a)->dt; }
static void fa_disarm(const struct hil_alarm *a) { fa_of(a)->armed = false, fa_of(a)->disarms++; }
static bool fa_is_armed(const struct hil_alarm *a) { return fa_of(a)->armed; }
static uint32_t fa_min(const struct hil_alarm *a) { (void)a; return 8; }
static void fa_client(const struct hil_alarm *a, struct hil_alarm_client c) { fa_of(a)->client = c; }
static const struct hil_alarm fake_alarm_hil = { fa_frequency, fa_now, fa_set, fa_get, fa_disarm, fa_is_armed,
                                                 fa_min, fa_client, &fa };

/* Advances the fake counter to t and, if the hardware alarm is due, fires it. */
static void fa_advance(uint32_t t)
{
    fa.now = t;
    if (fa.armed && t - fa.reference >= fa.dt) {
        fa.armed = false;                       /* like the AST bottom half */
        fa.client.fired(fa.client.ctx);
    }
}

/* ---- fake GPIO pins ----------------------------------------------------------------- */
struct fake_pin { bool level, output, irq; int edge, pull, disabled; struct hil_gpio_client client; uint32_t ident; };
static struct fake_pin fp[4];

static struct fake_pin *fp_of(const struct hil_gpio_pin *p) { return p->state; }
static void fp_out(const struct hil_gpio_pin *p) { fp_of(p)->output = true; }
static void fp_in(const struct hil_gpio_pin *p, enum hil_gpio_pull pull) { fp_of(p)->output = false, fp_of(p)->pull = (int)pull; }
static void fp_disable(const struct hil_gpio_pin *p) { fp_of(p)->disabled++; }
static void fp_set(const struct hil_gpio_pin *p) { fp_of(p)->level = true; }
static void fp_clear(const struct hil_gpio_pin *p) { fp_of(p)->level = false; }
static void fp_toggle(const struct hil_gpio_pin *p) { fp_of(p)->level = !fp_of(p)->level; }
static bool fp_read(const struct hil_gpio_pin *p) { return fp_of(p)->level; }
static void fp_irq_on(const struct hil_gpio_pin *p, enum hil_gpio_edge e, struct hil_gpio_client c, uint32_t ident)
{
    struct fake_pin *f = fp_of(p);
    f->irq = true, f->edge = (int)e, f->client = c, f->ident = ident;
}
static void fp_irq_off(const struct hil_gpio_pin *p) { fp_of(p)->irq = false; }
#define FAKE_PIN(i) { fp_out, fp_in, fp_disable, fp_set, fp_clear, fp_toggle, fp_read, fp_irq_on, fp_irq_off, &fp[i], i }
static const struct hil_gpio_pin pins[4] = { FAKE_PIN(0), FAKE_PIN(1), FAKE_PIN(2), FAKE_PIN(3) };

static void fp_fire(int i)
{
    ck_assert(fp[i].irq);
    fp[i].client.fired(fp[i].client.ctx, fp[i].ident);
}

/* ---- a fake RNG ---------------------------------------------------------------------- */
static struct { int gets; struct hil_rng_client client; } fr;
static errorcode_t fr_get(const struct hil_rng *r) { (void)r; fr.gets++; return ERR_NONE; }
static errorcode_t fr_cancel(const struct hil_rng *r) { (void)r; return ERR_NONE; }
static void fr_client(const struct hil_rng *r, struct hil_rng_client c) { (void)r; fr.client = c; }
static const struct hil_rng fake_rng = { fr_get, fr_cancel, fr_client, NULL };

/* ---- fixture --------------------------------------------------------------------------- */
#define DRV_ALARM 0x0u
#define DRV_LED 0x2u
#define DRV_BUTTON 0x3u
#define DRV_GPIO 0x4u
#define DRV_RNG 0x40001u

static struct alarm_mux mux;
static struct virtual_alarm va_driver, va_other;
static struct alarm_driver ad;
static struct hil_led leds[2] = { { &pins[0], true }, { &pins[1], false } };
static struct led_driver ld;
static struct button_pin bpins[2] = { { &pins[2], true }, { &pins[3], false } };
static struct button_driver bd;
static const struct hil_gpio_pin *gpio_table[4] = { &pins[0], NULL, &pins[2], &pins[3] };
static struct gpio_driver gd;
static struct rng_driver rd;
static struct process *A, *B;

/* test_syscall.c's fixture, then the kernel again with the capsules registered first. */
static void setup(void)
{
    ktest_setup();
    memset((void *)(uintptr_t)0x20000000u, 0, 0x10000);
    memset(&fa, 0, sizeof fa);
    memset(fp, 0, sizeof fp);
    memset(&fr, 0, sizeof fr);
    kernel_init(&ktest_k, &ktest_chip, &ktest_sched, (struct fault_policy){ FAULT_POLICY_STOP, 0 }, 0x20004000u,
                0x20010000u);
    alarm_mux_init(&mux, &fake_alarm_hil);
    virtual_alarm_init(&va_driver, &mux);
    virtual_alarm_init(&va_other, &mux);
    alarm_driver_init(&ad, DRV_ALARM, &va_driver.hil);
    led_driver_init(&ld, DRV_LED, leds, 2);
    button_driver_init(&bd, DRV_BUTTON, bpins, 2);
    gpio_driver_init(&gd, DRV_GPIO, gpio_table, 4);
    rng_driver_init(&rd, DRV_RNG, &fake_rng);
    struct grant *gs[] = { &ad.grant, &bd.grant, &gd.grant, &rd.grant };
    const struct syscall_driver *ds[] = { &ad.driver, &ld.driver, &bd.driver, &gd.driver, &rd.driver };
    for (int i = 0; i < 4; i++)
        ck_assert_int_ge(kernel_register_grant(&ktest_k, gs[i]), 0);
    for (int i = 0; i < 5; i++)
        ck_assert_int_ge(kernel_register_driver(&ktest_k, ds[i]), 0);
    ck_assert_int_eq(kernel_load_processes(&ktest_k, 0x30000u, 0x70000u, NULL), 2);
    A = ktest_running(0);
    B = ktest_running(1);
}

static void teardown(void) {}

static struct sysret cmd(struct process *p, uint32_t drv, uint32_t c, uint32_t a1, uint32_t a2)
{
    return ktest_call(p, 2, drv, c, a1, a2);
}

/* Pops p's next task and checks it is upcall (driver, 0) with args a0..a2. */
static void expect_upcall(struct process *p, uint32_t driver, uint32_t a0, uint32_t a1, uint32_t a2)
{
    struct task t;
    ck_assert_msg(task_queue_pop(&p->tasks, &t), "no task queued");
    ck_assert_uint_eq(t.kind, TASK_UPCALL);
    ck_assert_uint_eq(t.driver_num, driver);
    ck_assert_uint_eq(t.subscribe_num, 0);
    ck_assert_uint_eq(t.args[0], a0);
    ck_assert_uint_eq(t.args[1], a1);
    ck_assert_uint_eq(t.args[2], a2);
}

static void expect_no_task(struct process *p)
{
    ck_assert_uint_eq(p->tasks.count, 0);
}

/* ---- alarm mux ----------------------------------------------------------------------------- */
static int fired_order[8], nfired;
static void note_fired(void *ctx) { fired_order[nfired++] = (int)(intptr_t)ctx; }

static struct virtual_alarm mv[3];

static void mux_only(void)
{
    memset(&fa, 0, sizeof fa);
    nfired = 0;
    alarm_mux_init(&mux, &fake_alarm_hil);
    for (int i = 0; i < 3; i++) {
        virtual_alarm_init(&mv[i], &mux);
        mv[i].hil.set_client(&mv[i].hil, (struct hil_alarm_client){ note_fired, (void *)(intptr_t)i });
    }
}

START_TEST(mux_earliest_first)
{
    mux_only();
    fa.now = 1000;
    mv[0].hil.set_alarm(&mv[0].hil, 1000, 300);     /* 1300 */
    mv[1].hil.set_alarm(&mv[1].hil, 900, 200);      /* 1100 */
    mv[2].hil.set_alarm(&mv[2].hil, 1000, 500);     /* 1500 */
    ck_assert(fa.armed);
    ck_assert_uint_eq(fa.reference + fa.dt, 1100);
    ck_assert_uint_eq(fa.reference, 900);            /* the alarm's own reference is passed on */
    fa_advance(1100);
    ck_assert_int_eq(nfired, 1);
    ck_assert_int_eq(fired_order[0], 1);
    ck_assert(!mv[1].hil.is_armed(&mv[1].hil));
    ck_assert_uint_eq(fa.reference + fa.dt, 1300);
    fa_advance(1600);                                /* late: both remaining fire at once */
    ck_assert_int_eq(nfired, 3);
    ck_assert(!fa.armed);
}
END_TEST

START_TEST(mux_wraps)
{
    mux_only();
    fa.now = 0xFFFFFF00u;
    mv[0].hil.set_alarm(&mv[0].hil, 0xFFFFFF00u, 0x200);   /* expires at 0x100 after the wrap */
    mv[1].hil.set_alarm(&mv[1].hil, 0xFFFFFF00u, 0x80);    /* 0xFFFFFF80 */
    ck_assert_uint_eq(fa.reference + fa.dt, 0xFFFFFF80u);
    fa_advance(0xFFFFFFF0u);
    ck_assert_int_eq(nfired, 1);
    ck_assert_int_eq(fired_order[0], 1);
    ck_assert_uint_eq(fa.reference + fa.dt, 0x100u);
    fa_advance(0x10u);                               /* wrapped, not yet due */
    ck_assert_int_eq(nfired, 1);
    fa_advance(0x100u);
    ck_assert_int_eq(nfired, 2);
    ck_assert_int_eq(fired_order[1], 0);
}
END_TEST

static void rearm_from_callback(void *ctx)
{
    struct virtual_alarm *v = ctx;
    nfired++;
    v->hil.set_alarm(&v->hil, fa.now, 100);
}

START_TEST(mux_rearm_in_callback_and_disarm)
{
    mux_only();
    mv[0].hil.set_client(&mv[0].hil, (struct hil_alarm_client){ rearm_from_callback, &mv[0] });
    fa.now = 0;
    mv[0].hil.set_alarm(&mv[0].hil, 0, 50);
    mv[1].hil.set_alarm(&mv[1].hil, 0, 400);
    int sets = fa.sets;
    fa_advance(50);
    ck_assert_int_eq(nfired, 1);
    ck_assert_int_eq(fa.sets, sets + 1);             /* one hardware write after all callbacks */
    ck_assert_uint_eq(fa.reference + fa.dt, 150);
    mv[0].hil.disarm(&mv[0].hil);
    ck_assert_uint_eq(fa.reference + fa.dt, 400);
    mv[1].hil.disarm(&mv[1].hil);
    ck_assert(!fa.armed);
    /* an alarm already in the past is handed to the hardware as is (it fires at once) */
    fa.now = 1000;
    mv[2].hil.set_alarm(&mv[2].hil, 100, 10);
    ck_assert(fa.armed);
    ck_assert_uint_eq(fa.reference, 100);
    ck_assert_uint_eq(fa.dt, 10);
    fa_advance(1001);
    ck_assert_int_eq(fired_order[1], 2);
}
END_TEST

START_TEST(mux_no_redundant_writes)
{
    mux_only();
    fa.now = 0;
    mv[0].hil.set_alarm(&mv[0].hil, 0, 100);
    int sets = fa.sets;
    mv[1].hil.set_alarm(&mv[1].hil, 0, 500);         /* later: the hardware keeps 100 */
    mv[2].hil.set_alarm(&mv[2].hil, 0, 900);
    ck_assert_int_eq(fa.sets, sets);
    ck_assert_uint_eq(mv[0].hil.frequency(&mv[0].hil), 16384);
    ck_assert_uint_eq(mv[0].hil.get_alarm(&mv[0].hil), 100);
}
END_TEST

/* ---- alarm driver ------------------------------------------------------------------------ */
START_TEST(alarm_commands_and_variants)
{
    fa.now = 5000;
    ck_ret(cmd(A, DRV_ALARM, 0, 0, 0), SYSRET_SUCCESS, 0);
    ck_ret(cmd(A, DRV_ALARM, 1, 0, 0), SYSRET_SUCCESS_U32, 16384);
    ck_ret(cmd(A, DRV_ALARM, 2, 0, 0), SYSRET_SUCCESS_U32, 5000);
    ck_ret(cmd(A, DRV_ALARM, 3, 0, 0), SYSRET_FAILURE, ERR_ALREADY);
    ck_ret(cmd(A, DRV_ALARM, 4, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT);
    ck_ret(cmd(A, DRV_ALARM, 7, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT);
    ck_ret(cmd(A, DRV_ALARM, 5, 300, 0), SYSRET_SUCCESS_U32, 5300);
    ck_assert_uint_eq(fa.reference + fa.dt, 5300);
    ck_ret(cmd(A, DRV_ALARM, 6, 4000, 2000), SYSRET_SUCCESS_U32, 6000);   /* replaces the first */
    ck_assert_uint_eq(fa.reference, 4000);
    ck_ret(cmd(A, DRV_ALARM, 3, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(!fa.armed);
    ck_ret(cmd(A, DRV_ALARM, 3, 0, 0), SYSRET_FAILURE, ERR_ALREADY);
}
END_TEST

START_TEST(alarm_one_per_process)
{
    fa.now = 100;
    ck_ret(cmd(A, DRV_ALARM, 6, 100, 1000), SYSRET_SUCCESS_U32, 1100);
    ck_ret(cmd(B, DRV_ALARM, 6, 100, 400), SYSRET_SUCCESS_U32, 500);
    ck_assert_uint_eq(fa.reference + fa.dt, 500);
    fa_advance(503);
    expect_upcall(B, DRV_ALARM, 503, 500, 0);       /* (now, expiry, 0) */
    expect_no_task(A);
    ck_ret(cmd(B, DRV_ALARM, 3, 0, 0), SYSRET_FAILURE, ERR_ALREADY);   /* firing disarmed it */
    ck_assert_uint_eq(fa.reference + fa.dt, 1100);
    ck_ret(cmd(B, DRV_ALARM, 6, 1000, 100), SYSRET_SUCCESS_U32, 1100); /* same expiry as A */
    fa_advance(1100);
    expect_upcall(A, DRV_ALARM, 1100, 1100, 0);
    expect_upcall(B, DRV_ALARM, 1100, 1100, 0);
    ck_assert(!fa.armed);
}
END_TEST

START_TEST(alarm_past_and_wrapping)
{
    fa.now = 0xFFFFFFF0u;
    ck_ret(cmd(A, DRV_ALARM, 5, 0x20, 0), SYSRET_SUCCESS_U32, 0x10);
    fa_advance(0x8);
    expect_no_task(A);
    fa_advance(0x10);
    expect_upcall(A, DRV_ALARM, 0x10, 0x10, 0);
    ck_ret(cmd(A, DRV_ALARM, 6, 0x0, 0x8), SYSRET_SUCCESS_U32, 0x8);   /* already passed */
    ck_assert(fa.armed);
    fa_advance(0x11);
    expect_upcall(A, DRV_ALARM, 0x11, 0x8, 0);
}
END_TEST

START_TEST(alarm_dead_process_is_skipped)
{
    fa.now = 0;
    cmd(A, DRV_ALARM, 6, 0, 100);
    cmd(B, DRV_ALARM, 6, 0, 200);
    process_terminate(&ktest_k, A, true, 0);
    fa_advance(150);                               /* A's expiry passes: nothing for anybody */
    expect_no_task(B);
    ck_assert_uint_eq(fa.reference + fa.dt, 200);
    fa_advance(200);
    expect_upcall(B, DRV_ALARM, 200, 200, 0);
}
END_TEST

/* ---- LED ------------------------------------------------------------------------------------ */
START_TEST(led_commands)
{
    ck_ret(cmd(A, DRV_LED, 0, 0, 0), SYSRET_SUCCESS_U32, 2);
    ck_ret(cmd(A, DRV_LED, 1, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(!fp[0].level);                        /* active low: on = pin low */
    ck_ret(cmd(A, DRV_LED, 4, 0, 0), SYSRET_SUCCESS_U32, 1);
    ck_ret(cmd(A, DRV_LED, 1, 1, 0), SYSRET_SUCCESS, 0);
    ck_assert(fp[1].level);
    ck_ret(cmd(A, DRV_LED, 3, 1, 0), SYSRET_SUCCESS, 0);
    ck_assert(!fp[1].level);
    ck_ret(cmd(A, DRV_LED, 2, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(fp[0].level);
    ck_ret(cmd(A, DRV_LED, 1, 2, 0), SYSRET_FAILURE, ERR_INVAL);
    ck_ret(cmd(A, DRV_LED, 5, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT);
}
END_TEST

/* ---- button --------------------------------------------------------------------------------- */
START_TEST(button_fan_out)
{
    ck_ret(cmd(A, DRV_BUTTON, 0, 0, 0), SYSRET_SUCCESS_U32, 2);
    ck_ret(cmd(A, DRV_BUTTON, 1, 2, 0), SYSRET_FAILURE, ERR_INVAL);
    ck_ret(cmd(A, DRV_BUTTON, 4, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT);
    fp[2].level = true;                             /* button 0 is active low: released */
    ck_ret(cmd(A, DRV_BUTTON, 3, 0, 0), SYSRET_SUCCESS_U32, 0);
    ck_ret(cmd(A, DRV_BUTTON, 1, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(fp[2].irq);
    ck_assert_int_eq(fp[2].edge, HIL_EDGE_EITHER);
    fp[2].level = false;                            /* pressed */
    ck_ret(cmd(A, DRV_BUTTON, 3, 0, 0), SYSRET_SUCCESS_U32, 1);
    fp_fire(2);
    expect_upcall(A, DRV_BUTTON, 0, 1, 0);
    expect_no_task(B);
    ck_ret(cmd(B, DRV_BUTTON, 1, 0, 0), SYSRET_SUCCESS, 0);
    fp[2].level = true;
    fp_fire(2);
    expect_upcall(A, DRV_BUTTON, 0, 0, 0);
    expect_upcall(B, DRV_BUTTON, 0, 0, 0);
    ck_ret(cmd(A, DRV_BUTTON, 2, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(fp[2].irq);                           /* B still wants it */
    fp_fire(2);
    expect_no_task(A);
    expect_upcall(B, DRV_BUTTON, 0, 0, 0);
    ck_ret(cmd(B, DRV_BUTTON, 2, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(!fp[2].irq);
}
END_TEST

START_TEST(button_second_button_and_exit)
{
    ck_ret(cmd(B, DRV_BUTTON, 1, 1, 0), SYSRET_SUCCESS, 0);
    fp[3].level = true;                             /* button 1 is active high */
    fp_fire(3);
    expect_upcall(B, DRV_BUTTON, 1, 1, 0);
    process_terminate(&ktest_k, B, true, 0);
    fp_fire(3);                                     /* nobody left: the interrupt goes off */
    ck_assert(!fp[3].irq);
}
END_TEST

/* ---- GPIO ------------------------------------------------------------------------------------ */
START_TEST(gpio_commands)
{
    ck_ret(cmd(A, DRV_GPIO, 0, 0, 0), SYSRET_SUCCESS, 0);
    ck_ret(cmd(A, DRV_GPIO, 10, 0, 0), SYSRET_SUCCESS_U32, 4);
    ck_ret(cmd(A, DRV_GPIO, 1, 4, 0), SYSRET_FAILURE, ERR_INVAL);
    ck_ret(cmd(A, DRV_GPIO, 1, 1, 0), SYSRET_FAILURE, ERR_NODEVICE);  /* a hole */
    ck_ret(cmd(A, DRV_GPIO, 11, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT);
    ck_ret(cmd(A, DRV_GPIO, 1, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(fp[0].output);
    ck_ret(cmd(A, DRV_GPIO, 2, 0, 0), SYSRET_SUCCESS, 0);
    ck_ret(cmd(A, DRV_GPIO, 6, 0, 0), SYSRET_SUCCESS_U32, 1);
    ck_ret(cmd(A, DRV_GPIO, 4, 0, 0), SYSRET_SUCCESS, 0);
    ck_ret(cmd(A, DRV_GPIO, 6, 0, 0), SYSRET_SUCCESS_U32, 0);
    ck_ret(cmd(A, DRV_GPIO, 2, 0, 0), SYSRET_SUCCESS, 0);
    ck_ret(cmd(A, DRV_GPIO, 3, 0, 0), SYSRET_SUCCESS, 0);
    ck_assert(!fp[0].level);
    ck_ret(cmd(A, DRV_GPIO, 5, 2, 3), SYSRET_FAILURE, ERR_NOSUPPORT);
    ck_ret(cmd(A, DRV_GPIO, 5, 2, 1), SYSRET_SUCCESS, 0);
    ck_assert(!fp[2].output);
    ck_assert_int_eq(fp[2].pull, HIL_PULL_UP);
    ck_ret(cmd(A, DRV_GPIO, 7, 2, 3), SYSRET_FAILURE, ERR_NOSUPPORT);
    ck_ret(cmd(A, DRV_GPIO, 7, 2, 2), SYSRET_SUCCESS, 0);
    ck_assert(fp[2].irq);
    ck_assert_int_eq(fp[2].edge, HIL_EDGE_FALLING);
    ck_ret(cmd(A, DRV_GPIO, 8, 2, 0), SYSRET_SUCCESS, 0);
    ck_assert(!fp[2].irq);
    ck_ret(cmd(A, DRV_GPIO, 9, 3, 0), SYSRET_SUCCESS, 0);
    ck_assert_int_eq(fp[3].disabled, 1);
}
END_TEST

START_TEST(gpio_fan_out)
{
    ck_ret(cmd(A, DRV_GPIO, 7, 3, 0), SYSRET_SUCCESS, 0);     /* A gets the grant */
    fp[3].level = true;
    fp_fire(3);
    expect_upcall(A, DRV_GPIO, 3, 1, 0);
    expect_no_task(B);                             /* B has no grant */
    uint32_t fn = B->app_start + 0x41;
    ck_assert_uint_eq(ktest_call(B, 1, DRV_GPIO, 0, fn, 7).variant, SYSRET_SUCCESS_2U32);
    fp[3].level = false;
    fp_fire(3);
    expect_upcall(A, DRV_GPIO, 3, 0, 0);
    struct task t;
    ck_assert(task_queue_pop(&B->tasks, &t));
    ck_assert_uint_eq(t.fn, fn);
    ck_assert_uint_eq(t.args[0], 3);
    ck_assert_uint_eq(t.args[3], 7);               /* userdata */
}
END_TEST

/* ---- RNG ------------------------------------------------------------------------------------- */
static const uint32_t words[8] = { 0x03020100u, 0x07060504u, 0x0b0a0908u, 0x0f0e0d0cu,
                                   0x13121110u, 0x17161514u, 0x1b1a1918u, 0x1f1e1d1cu };

START_TEST(rng_fills_and_reports)
{
    ck_ret(cmd(A, DRV_RNG, 0, 0, 0), SYSRET_SUCCESS, 0);
    ck_ret(cmd(A, DRV_RNG, 2, 0, 0), SYSRET_FAILURE, ERR_NOSUPPORT);
    ck_assert_uint_eq(ktest_call(A, 5, 0, A->mem_start + 1024, 0, 0).variant, SYSRET_SUCCESS);
    uint32_t buf = A->mem_start + 512;
    ck_assert_uint_eq(ktest_call(A, 3, DRV_RNG, 0, buf, 64).variant, SYSRET_SUCCESS_2U32);
    ck_ret(cmd(A, DRV_RNG, 1, 40, 0), SYSRET_SUCCESS, 0);
    ck_assert_int_eq(fr.gets, 1);
    ck_assert(fr.client.randomness(fr.client.ctx, words, 8, ERR_NONE));   /* 32 of 40: more */
    expect_no_task(A);
    ck_assert(!fr.client.randomness(fr.client.ctx, words, 8, ERR_NONE));  /* done */
    expect_upcall(A, DRV_RNG, 0, 40, 0);
    const uint8_t *b = (const uint8_t *)(uintptr_t)buf;
    ck_assert_uint_eq(b[0], 0);
    ck_assert_uint_eq(b[31], 31);
    ck_assert_uint_eq(b[32], 0);                   /* the second batch starts again */
    ck_assert_uint_eq(b[39], 7);
    ck_assert_uint_eq(b[40], 0);                   /* untouched */
}
END_TEST

START_TEST(rng_short_buffer_and_two_processes)
{
    ck_assert_uint_eq(ktest_call(A, 5, 0, A->mem_start + 1024, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(ktest_call(B, 5, 0, B->mem_start + 1024, 0, 0).variant, SYSRET_SUCCESS);
    ck_assert_uint_eq(ktest_call(A, 3, DRV_RNG, 0, A->mem_start + 512, 16).variant, SYSRET_SUCCESS_2U32);
    ck_assert_uint_eq(ktest_call(B, 3, DRV_RNG, 0, B->mem_start + 512, 16).variant, SYSRET_SUCCESS_2U32);
    ck_ret(cmd(A, DRV_RNG, 1, 100, 0), SYSRET_SUCCESS, 0);
    ck_ret(cmd(B, DRV_RNG, 1, 8, 0), SYSRET_SUCCESS, 0);
    ck_assert_int_eq(fr.gets, 1);                  /* one generator run serves both */
    ck_assert(!fr.client.randomness(fr.client.ctx, words, 8, ERR_NONE));
    expect_upcall(A, DRV_RNG, 0, 16, 0);           /* the buffer was full */
    expect_upcall(B, DRV_RNG, 0, 8, 0);
    ck_assert_uint_eq(((const uint8_t *)(uintptr_t)(B->mem_start + 512))[0], 16);
    ck_ret(cmd(A, DRV_RNG, 1, 4, 0), SYSRET_SUCCESS, 0);
    ck_assert_int_eq(fr.gets, 2);                  /* restarted */
}
END_TEST

Suite *capsules_suite(void)
{
    Suite *s = suite_create("capsules");
    TCase *tc = tcase_create("capsules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, mux_earliest_first);
    tcase_add_test(tc, mux_wraps);
    tcase_add_test(tc, mux_rearm_in_callback_and_disarm);
    tcase_add_test(tc, mux_no_redundant_writes);
    tcase_add_test(tc, alarm_commands_and_variants);
    tcase_add_test(tc, alarm_one_per_process);
    tcase_add_test(tc, alarm_past_and_wrapping);
    tcase_add_test(tc, alarm_dead_process_is_skipped);
    tcase_add_test(tc, led_commands);
    tcase_add_test(tc, button_fan_out);
    tcase_add_test(tc, button_second_button_and_exit);
    tcase_add_test(tc, gpio_commands);
    tcase_add_test(tc, gpio_fan_out);
    tcase_add_test(tc, rng_fills_and_reports);
    tcase_add_test(tc, rng_short_buffer_and_two_processes);
    suite_add_tcase(s, tc);
    return s;
}
