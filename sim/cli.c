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
        "  --time-limit DURATION stop after this much virtual time, e.g. 10s, 250ms, 5000us, 100ns;\n"
        "                        exit status 0 and a one-line summary on stderr\n"
        "  --trace FILE          write the event trace as JSON Lines ('-' = stdout)\n"
        "  --trace-exceptions    also trace every exception entry, return and tail-chain\n"
        "  --seed N              seed for every pseudo-random source (default 0)\n"
        "  --stats               print 'hailsim-stats: ...' (instructions, time, MIPS) on stderr at exit\n"
        "  --strict-mmio         an access to an unmodelled peripheral register stops the run\n"
        "  --mpu=qemu|pages      how the MPU is enforced: QEMU's own PMSAv7 MPU (default, exact,\n"
        "                        free at run time) or Unicorn page protections (1 KiB granularity)\n"
        "  --help, --version\n"
        "\n"
        "Exit status: the guest's semihosting exit status if it exits that way; 0 at the\n"
        "time limit; 2 for bad usage or bad input files; 3 when the guest locks up or the\n"
        "CPU cannot continue (the reason, PC and registers are printed).\n",
        f);
}

int cli_parse_duration(const char *text, uint64_t *ns)
{
    static const struct { const char *unit; uint64_t mult; } units[] = {
        {"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}
    };
    if (!text || !*text || *text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(end, units[i].unit) == 0) {
            if (v > UINT64_MAX / units[i].mult)
                return -1;
            *ns = v * units[i].mult;
            return 0;
        }
    return -1;
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
       OPT_TRACE_EXC, OPT_STRICT_MMIO, OPT_MPU, OPT_HELP, OPT_VERSION };

static const struct option long_options[] = {
    {"board", required_argument, NULL, OPT_BOARD},
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"headless", no_argument, NULL, OPT_HEADLESS},
    {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"trace-exceptions", no_argument, NULL, OPT_TRACE_EXC},
    {"seed", required_argument, NULL, OPT_SEED},
    {"stats", no_argument, NULL, OPT_STATS},
    {"strict-mmio", no_argument, NULL, OPT_STRICT_MMIO},
    {"mpu", required_argument, NULL, OPT_MPU},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}
};

static int apply_option(int c, const char *arg, struct cli_options *o, char *err, size_t errlen)
{
    switch (c) {
    case OPT_BOARD: o->board = arg; return 0;
    case OPT_KERNEL: o->kernel = arg; return 0;
    case OPT_HEADLESS: o->headless = true; return 0;
    case OPT_TRACE: o->trace = arg; return 0;
    case OPT_TRACE_EXC: o->trace_exceptions = true; return 0;
    case OPT_STATS: o->stats = true; return 0;
    case OPT_STRICT_MMIO: o->strict_mmio = true; return 0;
    case OPT_HELP: o->help = true; return 0;
    case OPT_VERSION: o->version = true; return 0;
    case OPT_TIME_LIMIT:
        if (cli_parse_duration(arg, &o->time_limit_ns) != 0) {
            snprintf(err, errlen, "--time-limit: '%s' is not a duration; expected a number with a unit "
                     "ns, us, ms or s (e.g. 10s, 250ms)", arg);
            return -1;
        }
        o->has_time_limit = true;
        return 0;
    case OPT_MPU:
        if (strcmp(arg, "qemu") != 0 && strcmp(arg, "pages") != 0) {
            snprintf(err, errlen, "--mpu: '%s' is not a mode; expected 'qemu' or 'pages'", arg);
            return -1;
        }
        o->mpu_pages = strcmp(arg, "pages") == 0;
        return 0;
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

int cli_parse(int argc, char **argv, struct cli_options *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->board = "boards/hail.yaml";
    o->kernel = "build/hail/kernel.elf";
    optind = 1;
    opterr = 0;
    for (;;) {
        int prev = optind;
        int c = getopt_long(argc, argv, ":", long_options, NULL);
        if (c == -1)
            break;
        if (c == '?' || c == ':') {
            const char *bad = prev < argc ? argv[prev] : "?";
            if (c == '?')
                snprintf(err, errlen, "unknown option '%s' (see --help)", bad);
            else
                snprintf(err, errlen, "option '%s' needs a value (see --help)", bad);
            return -1;
        }
        if (apply_option(c, optarg, o, err, errlen) != 0)
            return -1;
    }
    for (int i = optind; i < argc; i++) {
        if (o->napps >= CLI_MAX_APPS) {
            snprintf(err, errlen, "too many app images (at most %d)", CLI_MAX_APPS);
            return -1;
        }
        o->apps[o->napps++] = argv[i];
    }
    return 0;
}
