/*
 * main.c — the hailsim program: parse the command line, load the board, the
 * firmware and the apps, attach the front ends (scheduled inputs, VCD,
 * PTY/TCP console, terminal view and pacing), run the machine, report how
 * the run ended.
 * Exit status: guest's semihosting status, 0 at the time limit or on Ctrl-Q,
 * 2 for bad usage or input, 3 for a lockup or a CPU that cannot continue.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <unicorn/unicorn.h>

#include "board_io.h"
#include "cli.h"
#include "isocheck.h"
#include "proctrace.h"
#include "cpu_state.h"
#include "gdb.h"
#include "hostio.h"
#include "inputs.h"
#include "machine.h"
#include "record.h"
#include "scenario_run.h"
#include "snapshot.h"            /* --snapshot-at / --restore (#7) */
#include "termview.h"
#include "trace.h"
#include "ui_sdl.h"
#include "vcd.h"

#define EXIT_BAD_INPUT 2
#define EXIT_CPU_STOPPED 3
#define HAILSIM_VERSION "0.1.0"

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The Unicorn library linked at run time, "2.1.1". */
static const char *unicorn_version(void)
{
    static char text[24];
    unsigned major, minor;
    unsigned v = uc_version(&major, &minor);
    snprintf(text, sizeof text, "%u.%u.%u", major, minor, (v >> 8) & 0xFFu);
    return text;
}

static int setup(struct machine *m, const struct board *b, const struct cli_options *o, char *err, size_t len)
{
    static struct qmpu_layout layout;
    if (!o->mpu_pages && qmpu_self_test(&layout, err, len) != 0)
        fprintf(stderr, "hailsim: warning: %s; enforcing the MPU with page protections instead "
                "(exact only at 512-byte page granularity)\n", err);
    if (machine_create(m, b, o->mpu_pages ? NULL : &layout, err, len) != 0 ||
        machine_load_elf(m, o->kernel, err, len) != 0)
        return -1;
    if (o->registers_api)
        m->env.base = NULL;             /* cpu_state.c: Unicorn's register calls only */
    uint32_t cursor = b->app_flash.base;
    for (int i = 0; i < o->napps; i++)
        if (machine_load_app(m, o->apps[i], &cursor, err, len) != 0)
            return -1;
    m->seed = o->seed;
    m->strict_mmio = o->strict_mmio;
    m->trace_exceptions = o->trace_exceptions;
    if (o->trace && !(m->trace = trace_open(o->trace, err, len)))
        return -1;
    int failed;
    m->proctrace = proctrace_open(m, o->kernel, err, len, &failed);
    if (failed)
        return -1;
    if (o->check_isolation && !(m->isocheck = isocheck_open(m, o->kernel, err, len)))
        return -1;
    if (o->has_time_limit)
        cpu_set_stop_at(m, machine_ns_to_cycles(m, o->time_limit_ns));
    /* --restore (#7): the reset's events (pins at t=0) are not part of the resumed trace */
    struct trace *trace = m->trace;
    if (o->restore)
        m->trace = NULL;
    int rc = machine_reset(m, err, len);
    m->trace = trace;
    return rc;
}

/* What runs around the machine; everything optional. */
struct front {
    struct inputs *inputs;
    struct vcd *vcd;
    struct hostio *hostio;
    struct termview *view;
    struct ui_sdl *ui;          /* the window (issue #6) */
    struct gdb_server *gdb;     /* --gdb (issue #7) */
};

static bool want_terminal(const struct cli_options *o)
{
    if (o->view != CLI_VIEW_AUTO)
        return o->view == CLI_VIEW_TERMINAL;
    return isatty(STDOUT_FILENO) && !(o->trace && strcmp(o->trace, "-") == 0);
}

/* ---- the window (issue #6): 1 started, 0 not wanted (or auto fell back), -1 error ---- */
static int start_window(struct machine *m, const struct cli_options *o, struct front *f, char *err, size_t len)
{
    bool offscreen = !o->window && (o->screenshot || o->dump_ui_state || o->nui_events);
    bool autowin = o->view == CLI_VIEW_AUTO && !o->headless && want_terminal(o) && ui_sdl_display_available();
    if (!offscreen && !autowin && !o->window)
        return 0;
    struct ui_sdl_config c = {
        .kernel_elf = o->kernel, .offscreen = offscreen, .has_speed = o->has_speed, .speed = o->speed,
        .width = o->window_w, .height = o->window_h, .screenshot = o->screenshot, .has_at = o->has_at,
        .at_ns = o->at_ns, .every_ns = o->screenshot_every_ns, .dump_state = o->dump_ui_state,
        .nevents = o->nui_events, .events = o->ui_events, .hostio = f->hostio,
    };
    if ((f->ui = ui_sdl_start(m, &c, err, len)))
        return 1;
    if (!autowin)
        return -1;
    fprintf(stderr, "hailsim: %s; using the terminal view\n", err);
    return 0;
}
/* ---- end of the window ---- */

static int start_front(struct machine *m, const struct cli_options *o, struct front *f, char *err, size_t len)
{
    if (o->ninputs && !(f->inputs = inputs_create(m, o->inputs, o->ninputs, err, len)))
        return -1;
    if (o->vcd && !(f->vcd = vcd_open(m, o->vcd, err, len)))
        return -1;
    if ((o->uart_pty || o->uart_tcp_port) &&
        !(f->hostio = hostio_open(m, o->uart_pty, o->uart_tcp_port, err, len)))
        return -1;
    int win = start_window(m, o, f, err, len);
    if (win != 0)
        return win < 0 ? -1 : 0;
    bool terminal = want_terminal(o), interactive = terminal || f->hostio;
    double speed = o->has_speed ? o->speed : interactive ? 1.0 : 0.0;
    if (!interactive && speed <= 0)
        return 0;                               /* plain and unpaced: exactly the batch run */
    struct termview_config c = { .terminal = terminal, .speed = speed, .hostio = f->hostio };
    return (f->view = termview_start(m, &c, err, len)) ? 0 : -1;
}

static int report(struct machine *m, const struct cli_options *o, uint64_t host, bool quit)
{
    double secs = (double)machine_time_ns(m) / 1e9;
    int status = 0;
    switch (m->stop) {
    case STOP_TIME_LIMIT:
        fprintf(stderr, "hailsim: %s at %.6f s virtual: %" PRIu64 " instructions in %.3f s host\n",
                quit ? "quit (Ctrl-Q)" : "time limit reached", secs, machine_insns(m), (double)host / 1e9);
        break;
    case STOP_GUEST_EXIT:
        status = m->exit_status;
        break;
    default:
        fprintf(stderr, "hailsim: %s at pc 0x%08x, %.6f s virtual\n", m->stop_msg, cpu_pc(m), secs);
        cpu_dump_registers(m, stderr);
        status = EXIT_CPU_STOPPED;
        break;
    }
    if (o->stats)
        fprintf(stderr, "hailsim-stats: exit=%d instructions=%" PRIu64 " cycles=%" PRIu64 " virtual_ns=%" PRIu64
                " host_ns=%" PRIu64 " mips=%.1f prot_calls=%" PRIu64 " unicorn=%s registers=%s\n",
                status, machine_insns(m), m->cycles, machine_time_ns(m), host,
                host ? (double)machine_insns(m) * 1e3 / (double)host : 0.0, m->prot_calls, unicorn_version(),
                m->env.base ? "live" : "api");
    return status;
}

int main(int argc, char **argv)
{
    struct cli_options o;
    char err[512];
    if (cli_parse(argc, argv, &o, err, sizeof err) != 0) {
        fprintf(stderr, "hailsim: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    if (o.help || o.version) {
        if (o.help) cli_usage(stdout);
        else printf("hailsim " HAILSIM_VERSION " (Unicorn %s)\n", unicorn_version());
        return 0;
    }
    if (cpu_self_check(err, sizeof err) != 0) {
        fprintf(stderr, "hailsim: %s\n", err);
        return EXIT_CPU_STOPPED;
    }
    /* ---- scenarios, record/replay (issue #7) ---- */
    if (o.scenario)
        return scenario_main((const char *const *)o.scenarios, o.nscenarios, o.junit, o.trace);
    struct rec *rec = NULL;
    if (rec_open(&o, &rec, err, sizeof err) != 0 ||
        snapshot_open_restore(&o, HAILSIM_VERSION, err, sizeof err) != 0) {   /* --restore (#7) */
        fprintf(stderr, "hailsim: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    /* ---- end of scenarios, record/replay ---- */
    static struct board board;
    static struct machine m;
    struct front f = { 0 };
    if (board_load(o.board, &board, err, sizeof err) != 0 || setup(&m, &board, &o, err, sizeof err) != 0 ||
        snapshot_restore(&m, &o, err, sizeof err) != 0 ||                 /* --restore (#7) */
        snapshot_arm(&m, &o, HAILSIM_VERSION, err, sizeof err) != 0 ||    /* --snapshot-at (#7) */
        start_front(&m, &o, &f, err, sizeof err) != 0 ||
        (o.gdb_port && !(f.gdb = gdb_open(&m, o.gdb_port, o.gdb_wait, o.kernel, err, sizeof err))) ||
        rec_attach(rec, &m, err, sizeof err) != 0) {              /* --record / --replay (#7) */
        fprintf(stderr, "hailsim: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    uint64_t start = host_ns();
    cpu_run(&m);
    if (rec_finish(rec) != 0)                   /* --record (#7): the end line */
        fprintf(stderr, "hailsim: warning: --record %s: write error, the record is incomplete\n", o.record);
    gdb_close(f.gdb);                           /* tells GDB how the run ended */
    termview_stop(f.view);                      /* the terminal is restored before the summary */
    ui_sdl_finish(f.ui);                        /* last screenshot; a stopped guest's window stays open */
    board_io_flush(&m);
    if (vcd_close(f.vcd) != 0)
        fprintf(stderr, "hailsim: warning: --vcd %s: write error, the file is incomplete\n", o.vcd);
    int status = report(&m, &o, host_ns() - start, termview_quit_requested(f.view) || ui_sdl_quit_requested(f.ui));
    proctrace_close(m.proctrace);
    isocheck_close(&m, m.isocheck);
    trace_close(m.trace);
    hostio_close(f.hostio);
    machine_destroy(&m);
    inputs_free(f.inputs);
    termview_free(f.view);
    ui_sdl_free(f.ui);
    rec_free(rec);                              /* --record / --replay (#7) */
    snapshot_free(&m);                          /* --snapshot-at (#7) */
    return status;
}
