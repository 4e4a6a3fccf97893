/*
 * cli.c — command-line parsing for hailsim (see cli.h).  Unknown options,
 * missing values and malformed numbers are errors that name the option.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_usage(FILE *f)
{
    fputs(
        "usage: hailsim [options] [APP.tbf ...]\n"
        "Runs a Cortex-M4 firmware image on the simulated board; the app images are\n"
        "placed one after another in the board's app-flash area.\n"
        "\n"
        "  --board FILE          board description (default boards/hail.yaml)\n"
        "  --kernel FILE.elf     kernel or any bare-metal ARM ELF (default build/hail/kernel.elf)\n"
        "  --headless            no window: terminal output only (the default without a display)\n"
        "  --time-limit DURATION stop after this much virtual time, e.g. 10s, 1.5s, 250ms, 5000us;\n"
        "                        exit status 0 and a one-line summary on stderr\n"
        "  --trace FILE          write the event trace as JSON Lines ('-' = stdout)\n"
        "  --trace-exceptions    also trace every exception entry, return and tail-chain\n"
        "  --seed N              seed for every pseudo-random source (default 0)\n"
        "  --stats               print 'hailsim-stats: ...' (instructions, time, MIPS) on stderr at exit\n"
        "  --strict              an access to an unmodelled peripheral register stops the run\n"
        "                        (--strict-mmio is the same)\n"
        "  --check-isolation     stop (exit 3) if a process changes another process's RAM, the\n"
        "                        kernel stores into a process's RAM outside its grants and what\n"
        "                        the caller's system calls allow, or the process table or MPU\n"
        "                        break an invariant (for tests: about 1.7x host time)\n"
        "  --mpu=qemu|pages      how the MPU is enforced: QEMU's own PMSAv7 MPU (default, exact,\n"
        "                        free at run time) or Unicorn page protections (512-byte pages)\n"
        "  --registers=live|api  how the simulator reaches the CPU's registers: Unicorn's live CPU\n"
        "                        state (default when found; --stats: registers=live) or only\n"
        "                        Unicorn's register calls (the fallback; slower, same results)\n"
        "\n"
        "Inputs at virtual times (deterministic; repeatable; TIME like 1.5s, 250ms, 100us):\n"
        "  --press NAME@TIME[:DURATION]\n"
        "                        press the board button NAME at TIME, release it DURATION later\n"
        "                        (default 100ms), e.g. --press user@1.5s:200ms\n"
        "  --uart-input TEXT@TIME\n"
        "                        send TEXT to the console UART at TIME (the time follows the\n"
        "                        last '@'); escapes \\n \\r \\t \\\\ \\xNN, e.g. 'help\\r@2s'\n"
        "\n"
        "Output and interaction:\n"
        "  --vcd FILE            write a Value Change Dump (GTKWave, PulseView) of the LEDs,\n"
        "                        buttons, header pins and the console TX line\n"
        "  --view=auto|terminal|plain\n"
        "                        terminal: console output above a status line (LEDs, virtual\n"
        "                        time, speed); keys go to the console UART, Ctrl-B toggles the\n"
        "                        user button, Ctrl-Q quits.  plain: output only.  auto (default):\n"
        "                        when stdout is a terminal and --trace is not '-': the board in\n"
        "                        an SDL2 window if there is a display and no --headless (docs/ui.md;\n"
        "                        the terminal view when SDL cannot open one), else the terminal view\n"
        "  --window              open the window even when stdout is not a terminal (e.g. under\n"
        "                        xvfb-run); exit 2 when it cannot be opened\n"
        "  --speed N|max         pace virtual time at N x real time (default 1 with the terminal\n"
        "                        view, --uart-pty or --uart-tcp; max otherwise).  Host time is\n"
        "                        used only for this pacing, never in the trace\n"
        "  --uart-pty            also connect the console UART to a new pseudo-terminal (its\n"
        "                        path is printed on stderr)\n"
        "  --uart-tcp PORT       also connect the console UART to a TCP server on\n"
        "                        127.0.0.1:PORT (one client at a time)\n"
        "  --gdb PORT            GDB remote protocol server on 127.0.0.1:PORT (gdb-multiarch:\n"
        "                        target remote :PORT); processes are threads (docs/gdb.md)\n"
        "  --gdb-wait            with --gdb: halt at reset until GDB connects\n"
        "  --screenshot FILE.png  render the window offscreen (no display needed; as fast as\n"
        "                        possible unless --speed) and write it as PNG at --at, else at\n"
        "                        the end of the run; with --window the real window is read back\n"
        "  --at DURATION         take the screenshot (and --dump-ui-state) at this virtual time,\n"
        "                        then stop (exit status 0)\n"
        "  --screenshot-every DURATION\n"
        "                        also write FILE-0001.png, FILE-0002.png ... every DURATION\n"
        "  --window-size WxH     window / screenshot size (default 960x640)\n"
        "  --dump-ui-state FILE  (tests) write what the window shows as text at --at or the end\n"
        "  --ui-event SPEC@TIME  (tests) inject a window event at a virtual time: down:X,Y\n"
        "                        up:X,Y (left mouse, window coordinates), key:NAME (SDL key\n"
        "                        name, e.g. F5 or Ctrl-B), text:STRING\n"
        "\n"
        "Scenarios and record/replay (docs/scenarios.md):\n"
        "  --scenario FILE.yaml [FILE.yaml ...]\n"
        "                        run test scenarios (board, kernel, apps, timed inputs,\n"
        "                        expectations), in parallel; exit 0 when every expectation\n"
        "                        holds, 1 otherwise, 2 for a bad scenario file\n"
        "  --junit FILE.xml      with --scenario: also write the results as JUnit XML\n"
        "  --record FILE         write every external input (buttons, UART bytes, resets) with\n"
        "                        its virtual time, and the board, kernel, apps and seed\n"
        "  --replay FILE         rerun a recorded run headless with the same inputs at the same\n"
        "                        times (same --trace, byte for byte)\n"
        "\n"
        "Snapshots (docs/snapshots.md):\n"
        "  --snapshot-at DURATION FILE\n"
        "                        save the whole machine state to FILE at the first block\n"
        "                        boundary at or after this virtual time; the run continues\n"
        "  --restore FILE        resume a run from a snapshot (board, kernel, apps and seed\n"
        "                        come from it; exit 2 if any file changed since); the trace\n"
        "                        starts at the snapshot's time; --time-limit stays absolute\n"
        "  --help, --version\n"
        "\n"
        "Exit status: the guest's semihosting exit status if it exits that way; 0 at the\n"
        "time limit or on Ctrl-Q; 2 for bad usage or bad input files; 3 when the guest\n"
        "locks up or the CPU cannot continue (the reason, PC and registers are printed).\n",
        f);
}

/* Nanoseconds per `unit` ("ns", "us", "ms", "s"), 0 for anything else. */
static uint64_t unit_ns(const char *unit)
{
    static const struct { const char *unit; uint64_t mult; } units[] = {
        {"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].unit) == 0)
            return units[i].mult;
    return 0;
}

int cli_parse_duration(const char *text, uint64_t *ns)
{
    if (!text || !*text || *text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    uint64_t mult = unit_ns(end);
    if (errno != 0 || !mult || v > UINT64_MAX / mult)
        return -1;
    *ns = v * mult;
    return 0;
}

int cli_parse_time(const char *text, uint64_t *ns)
{
    const char *p = text;
    while (p && *p >= '0' && *p <= '9')
        p++;
    if (!p || p == text || *p != '.')
        return cli_parse_duration(text, ns);
    const char *frac = ++p;
    while (*p >= '0' && *p <= '9')
        p++;
    size_t nfrac = (size_t)(p - frac), nint = (size_t)(frac - 1 - text);
    uint64_t mult = unit_ns(p), whole, f = 0, scale = 1;
    char buf[40];
    if (nfrac == 0 || nfrac > 9 || !mult || nint > 20)
        return -1;
    snprintf(buf, sizeof buf, "%.*s%s", (int)nint, text, p);
    if (cli_parse_duration(buf, &whole) != 0)
        return -1;
    for (size_t i = 0; i < nfrac; i++, scale *= 10)
        f = f * 10 + (uint64_t)(frac[i] - '0');
    if ((f * mult) % scale != 0 || whole > UINT64_MAX - f * mult / scale)
        return -1;                              /* not a whole number of ns, or too large */
    *ns = whole + f * mult / scale;
    return 0;
}

/* An option with two modes: *second tells which one was given. */
static int parse_two_modes(const char *opt, const char *arg, const char *first, const char *second_name,
                           bool *second, char *err, size_t errlen)
{
    if (strcmp(arg, first) != 0 && strcmp(arg, second_name) != 0) {
        snprintf(err, errlen, "%s: '%s' is not a mode; expected '%s' or '%s'", opt, arg, first, second_name);
        return -1;
    }
    *second = strcmp(arg, second_name) == 0;
    return 0;
}

static int parse_u64(const char *text, uint64_t *v)
{
    if (!text || !*text || *text == '-')
        return -1;
    errno = 0;
    char *end;
    unsigned long long x = strtoull(text, &end, 0);
    if (errno != 0 || *end)
        return -1;
    *v = x;
    return 0;
}

enum { OPT_BOARD = 256, OPT_KERNEL, OPT_HEADLESS, OPT_TIME_LIMIT, OPT_TRACE, OPT_SEED, OPT_STATS,
       OPT_TRACE_EXC, OPT_STRICT_MMIO, OPT_MPU, OPT_REGISTERS, OPT_CHECK_ISOLATION, OPT_HELP, OPT_VERSION, OPT_PRESS, OPT_UART_INPUT,
       OPT_VCD, OPT_VIEW, OPT_SPEED, OPT_UART_PTY, OPT_UART_TCP,
       /* the window (issue #6) */
       OPT_WINDOW, OPT_SCREENSHOT, OPT_AT, OPT_SCREENSHOT_EVERY, OPT_WINDOW_SIZE, OPT_DUMP_UI, OPT_UI_EVENT,
       /* the GDB stub (issue #7) */
       OPT_GDB, OPT_GDB_WAIT,
       /* scenarios, record/replay (issue #7) */
       OPT_SCENARIO, OPT_JUNIT, OPT_RECORD, OPT_REPLAY,
       /* snapshots (issue #7) */
       OPT_SNAPSHOT_AT, OPT_RESTORE };

static const struct option long_options[] = {
    {"board", required_argument, NULL, OPT_BOARD},
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"headless", no_argument, NULL, OPT_HEADLESS},
    {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"trace-exceptions", no_argument, NULL, OPT_TRACE_EXC},
    {"seed", required_argument, NULL, OPT_SEED},
    {"stats", no_argument, NULL, OPT_STATS},
    {"strict", no_argument, NULL, OPT_STRICT_MMIO},
    {"strict-mmio", no_argument, NULL, OPT_STRICT_MMIO},
    {"mpu", required_argument, NULL, OPT_MPU},
    {"registers", required_argument, NULL, OPT_REGISTERS},
    {"check-isolation", no_argument, NULL, OPT_CHECK_ISOLATION},
    {"press", required_argument, NULL, OPT_PRESS},
    {"uart-input", required_argument, NULL, OPT_UART_INPUT},
    {"vcd", required_argument, NULL, OPT_VCD},
    {"view", required_argument, NULL, OPT_VIEW},
    {"speed", required_argument, NULL, OPT_SPEED},
    {"uart-pty", no_argument, NULL, OPT_UART_PTY},
    {"uart-tcp", required_argument, NULL, OPT_UART_TCP},
    {"window", no_argument, NULL, OPT_WINDOW},
    {"screenshot", required_argument, NULL, OPT_SCREENSHOT},
    {"at", required_argument, NULL, OPT_AT},
    {"screenshot-every", required_argument, NULL, OPT_SCREENSHOT_EVERY},
    {"window-size", required_argument, NULL, OPT_WINDOW_SIZE},
    {"dump-ui-state", required_argument, NULL, OPT_DUMP_UI},
    {"ui-event", required_argument, NULL, OPT_UI_EVENT},
    {"gdb", required_argument, NULL, OPT_GDB},
    {"gdb-wait", no_argument, NULL, OPT_GDB_WAIT},
    {"scenario", no_argument, NULL, OPT_SCENARIO},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"record", required_argument, NULL, OPT_RECORD},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"snapshot-at", required_argument, NULL, OPT_SNAPSHOT_AT},   /* snapshots (#7): and FILE */
    {"restore", required_argument, NULL, OPT_RESTORE},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}
};

static int add_input(int c, const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    if (o->ninputs >= CLI_MAX_INPUTS) {
        snprintf(err, errlen, "%s: too many scheduled inputs (at most %d --press and --uart-input in all)",
                 c == OPT_PRESS ? "--press" : "--uart-input", CLI_MAX_INPUTS);
        return -1;
    }
    struct input_spec *s = &o->inputs[o->ninputs];
    int r = c == OPT_PRESS ? inputs_parse_press(arg, s, err, errlen) : inputs_parse_uart(arg, s, err, errlen);
    o->ninputs += r == 0;
    return r;
}

static int parse_view(const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    static const char *const names[] = { "auto", "terminal", "plain" };
    for (int i = 0; i < 3; i++)
        if (strcmp(arg, names[i]) == 0) {
            o->view = (enum cli_view)i;
            return 0;
        }
    snprintf(err, errlen, "--view: '%s' is not a view; expected 'auto', 'terminal' or 'plain'", arg);
    return -1;
}

static int parse_speed(const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    char *end = NULL;
    double v = 0;
    if (strcmp(arg, "max") != 0) {
        errno = 0;
        v = *arg >= '0' && *arg <= '9' ? strtod(arg, &end) : 0;
        if (errno != 0 || !end || *end || !(v > 0) || v > 1e9) {
            snprintf(err, errlen, "--speed: '%s' is not a speed; expected a number greater than 0 "
                     "(1 = real time, 10 = ten times faster, 0.5) or 'max'", arg);
            return -1;
        }
    }
    o->has_speed = true;
    o->speed = v;
    return 0;
}

static int parse_port(const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    uint64_t v;
    if (parse_u64(arg, &v) != 0 || v < 1 || v > 65535) {
        snprintf(err, errlen, "--uart-tcp: '%s' is not a port; expected a TCP port number 1..65535", arg);
        return -1;
    }
    o->uart_tcp_port = (int)v;
    return 0;
}

/* ---- the window's options (issue #6) ---- */
static int window_duration(const char *opt, const char *arg, uint64_t *ns, char *err, size_t errlen)
{
    if (cli_parse_time(arg, ns) != 0 || *ns == 0) {
        snprintf(err, errlen, "%s: '%s' is not a duration; expected a number with a unit ns, us, ms or s "
                 "greater than 0 (e.g. 1.5s, 250ms)", opt, arg);
        return -1;
    }
    return 0;
}

static int window_option(int c, const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    char end;
    switch (c) {
    case OPT_WINDOW: o->window = true; return 0;
    case OPT_SCREENSHOT: o->screenshot = arg; return 0;
    case OPT_DUMP_UI: o->dump_ui_state = arg; return 0;
    case OPT_AT: o->has_at = true; return window_duration("--at", arg, &o->at_ns, err, errlen);
    case OPT_SCREENSHOT_EVERY: return window_duration("--screenshot-every", arg, &o->screenshot_every_ns, err, errlen);
    case OPT_WINDOW_SIZE:
        if (sscanf(arg, "%dx%d%c", &o->window_w, &o->window_h, &end) != 2 || o->window_w < 320 ||
            o->window_h < 240 || o->window_w > 8192 || o->window_h > 8192) {
            snprintf(err, errlen, "--window-size: '%s' is not a size; expected WxH from 320x240 to 8192x8192", arg);
            return -1;
        }
        return 0;
    case OPT_UI_EVENT:
        if (o->nui_events >= CLI_MAX_UI_EVENTS) {
            snprintf(err, errlen, "--ui-event: at most %d events", CLI_MAX_UI_EVENTS);
            return -1;
        }
        o->ui_events[o->nui_events++] = arg;
        return 0;
    default:
        return -1;
    }
}
/* ---- end of the window's options ---- */

/* ---- the GDB stub's options (issue #7) ---- */
static int gdb_option(int c, const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    uint64_t v;
    if (c == OPT_GDB_WAIT) {
        o->gdb_wait = true;
        return 0;
    }
    if (parse_u64(arg, &v) != 0 || v < 1 || v > 65535) {
        snprintf(err, errlen, "--gdb: '%s' is not a port; expected a TCP port number 1..65535", arg);
        return -1;
    }
    o->gdb_port = (int)v;
    return 0;
}
/* ---- end of the GDB stub's options ---- */

static int apply_option(int c, const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    if (c >= OPT_WINDOW && c <= OPT_UI_EVENT)
        return window_option(c, arg, o, err, errlen);
    if (c == OPT_GDB || c == OPT_GDB_WAIT)
        return gdb_option(c, arg, o, err, errlen);
    switch (c) {
    case OPT_SCENARIO: o->scenario = true; return 0;           /* scenarios, record/replay (#7) */
    case OPT_JUNIT: o->junit = arg; return 0;
    case OPT_RECORD: o->record = arg; return 0;
    case OPT_REPLAY: o->replay = arg; return 0;
    case OPT_BOARD: o->board = arg; return 0;
    case OPT_KERNEL: o->kernel = arg; return 0;
    case OPT_HEADLESS: o->headless = true; return 0;
    case OPT_TRACE: o->trace = arg; return 0;
    case OPT_TRACE_EXC: o->trace_exceptions = true; return 0;
    case OPT_STATS: o->stats = true; return 0;
    case OPT_STRICT_MMIO: o->strict_mmio = true; return 0;
    case OPT_HELP: o->help = true; return 0;
    case OPT_VERSION: o->version = true; return 0;
    case OPT_VCD: o->vcd = arg; return 0;
    case OPT_UART_PTY: o->uart_pty = true; return 0;
    case OPT_PRESS: case OPT_UART_INPUT: return add_input(c, arg, o, err, errlen);
    case OPT_VIEW: return parse_view(arg, o, err, errlen);
    case OPT_SPEED: return parse_speed(arg, o, err, errlen);
    case OPT_UART_TCP: return parse_port(arg, o, err, errlen);
    case OPT_TIME_LIMIT:
        if (cli_parse_time(arg, &o->time_limit_ns) != 0) {
            snprintf(err, errlen, "--time-limit: '%s' is not a duration; expected a number with a unit "
                     "ns, us, ms or s (e.g. 10s, 250ms)", arg);
            return -1;
        }
        o->has_time_limit = true;
        return 0;
    case OPT_CHECK_ISOLATION: o->check_isolation = true; return 0;
    case OPT_MPU: return parse_two_modes("--mpu", arg, "qemu", "pages", &o->mpu_pages, err, errlen);
    case OPT_REGISTERS: return parse_two_modes("--registers", arg, "live", "api", &o->registers_api, err, errlen);
    case OPT_SEED:
        if (parse_u64(arg, &o->seed) != 0) {
            snprintf(err, errlen, "--seed: '%s' is not a number; expected an unsigned 64-bit integer", arg);
            return -1;
        }
        return 0;
    default:
        return -1;
    }
}

/* The argument getopt_long stopped at: a short option by its letter,
 * otherwise the element just consumed (GNU getopt skips over app images
 * first, so the index before the call may name one of those). */
static void describe_bad(int c, int argc, char **argv, char *err, size_t errlen)
{
    char shortopt[3] = { '-', (char)optopt, '\0' };
    const char *bad = optopt > 0 && optopt < 256 ? shortopt
                    : optind - 1 >= 1 && optind - 1 < argc ? argv[optind - 1] : "?";
    if (c == '?')
        snprintf(err, errlen, "unknown option '%s' (see --help)", bad);
    else
        snprintf(err, errlen, "option '%s' needs a value (see --help)", bad);
}

int cli_parse(int argc, char **argv, struct cli_options *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->board = "boards/hail.yaml";
    o->kernel = "build/hail/kernel.elf";
    optind = 0;                 /* glibc: a full re-initialisation (also inside "-xy" clusters) */
    opterr = 0;
    for (;;) {
        optopt = 0;
        int c = getopt_long(argc, argv, ":", long_options, NULL);
        if (c == -1)
            break;
        if (c == '?' || c == ':') {
            describe_bad(c, argc, argv, err, errlen);
            return -1;
        }
        if (c == OPT_SNAPSHOT_AT) {             /* snapshots (#7): DURATION FILE, two arguments */
            if (cli_parse_time(optarg, &o->snapshot_ns) != 0) {
                snprintf(err, errlen, "--snapshot-at: '%s' is not a duration; expected a number with a unit "
                         "ns, us, ms or s (e.g. 1s, 250ms), then the snapshot file", optarg);
                return -1;
            }
            if (optind >= argc || argv[optind][0] == '-' || !argv[optind][0]) {
                snprintf(err, errlen, "--snapshot-at: expected DURATION FILE, e.g. --snapshot-at 1s snap.bin");
                return -1;
            }
            o->snapshot_file = argv[optind++];
            continue;
        }
        if (c == OPT_RESTORE) {
            o->restore = optarg;
            continue;
        }
        if (apply_option(c, optarg, o, err, errlen) != 0)
            return -1;
    }
    /* ---- scenarios, record/replay (issue #7) ---- */
    if (o->scenario) {
        o->scenarios = argv + optind;
        o->nscenarios = argc - optind;
        optind = argc;
        if (!o->nscenarios || o->record || o->replay) {
            snprintf(err, errlen, "--scenario: %s", o->nscenarios ? "cannot be combined with --record or --replay"
                     : "no scenario files; expected --scenario FILE.yaml [FILE.yaml ...]");
            return -1;
        }
    } else if (o->junit) {
        snprintf(err, errlen, "--junit needs --scenario");
        return -1;
    }
    /* ---- end of the scenario options ---- */
    for (int i = optind; i < argc; i++) {
        if (o->napps >= CLI_MAX_APPS) {
            snprintf(err, errlen, "too many app images (at most %d)", CLI_MAX_APPS);
            return -1;
        }
        o->apps[o->napps++] = argv[i];
    }
    if ((o->snapshot_file || o->restore) && (o->scenario || (o->snapshot_file && o->restore))) {   /* snapshots (#7) */
        snprintf(err, errlen, "%s", o->scenario ? "--snapshot-at and --restore cannot be combined with --scenario"
                 : "--snapshot-at cannot be combined with --restore");
        return -1;
    }
    if (o->check_isolation && o->restore) {     /* isocheck learns allowed buffers from the calls it sees */
        snprintf(err, errlen, "--check-isolation cannot be combined with --restore (it must see every system call "
                 "from boot to know what the kernel may write)");
        return -1;
    }
    if (o->gdb_wait && !o->gdb_port) {          /* GDB stub (issue #7) */
        snprintf(err, errlen, "--gdb-wait needs --gdb PORT");
        return -1;
    }
    return 0;
}
