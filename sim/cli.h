/*
 * cli.h — the hailsim command line: options, defaults and their parsing,
 * kept apart from main.c so the parser is unit-tested.
 */
#ifndef HAILSIM_CLI_H
#define HAILSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_MAX_APPS 32

struct cli_options {
    const char *board;
    const char *kernel;
    const char *apps[CLI_MAX_APPS];
    int napps;
    bool headless;
    bool has_time_limit;
    uint64_t time_limit_ns;
    const char *trace;
    uint64_t seed;
    bool stats;
    bool trace_exceptions;
    bool strict_mmio;
    bool mpu_pages;             /* --mpu=pages: the fallback MPU enforcement */
    bool help;
    bool version;
};

/* Parses "10s", "250ms", "5000us", "100ns" into nanoseconds. */
int cli_parse_duration(const char *text, uint64_t *ns);
/* Returns 0, or -1 with a message naming the option and what was expected. */
int cli_parse(int argc, char **argv, struct cli_options *o, char *err, size_t errlen);
void cli_usage(FILE *f);

#endif
