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

#include "inputs.h"

#define CLI_MAX_APPS 32
#define CLI_MAX_INPUTS 64

/* --view: auto = terminal when stdout is a TTY, plain otherwise */
enum cli_view { CLI_VIEW_AUTO, CLI_VIEW_TERMINAL, CLI_VIEW_PLAIN };
#define CLI_MAX_UI_EVENTS 64

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
    bool strict_mmio;           /* --strict (alias --strict-mmio) */
    bool mpu_pages;             /* --mpu=pages: the fallback MPU enforcement */
    bool registers_api;         /* --registers=api: no live CPU state (uc_env.c) */
    bool check_isolation;       /* --check-isolation (isocheck.c) */
    bool help;
    bool version;
    /* scheduled inputs, in command-line order (--press, --uart-input) */
    int ninputs;
    struct input_spec inputs[CLI_MAX_INPUTS];
    const char *vcd;            /* --vcd FILE */
    enum cli_view view;
    bool has_speed;
    double speed;               /* --speed: virtual/real; 0 = max (as fast as possible) */
    bool uart_pty;
    int uart_tcp_port;          /* 0 = none */
    /* ---- the window (issue #6, sim/ui_sdl.h) ---- */
    bool window;                /* --window: open it even when stdout is not a terminal */
    const char *screenshot;     /* --screenshot FILE.png */
    bool has_at;
    uint64_t at_ns;             /* --at DURATION */
    uint64_t screenshot_every_ns;   /* --screenshot-every DURATION, 0 = none */
    const char *dump_ui_state;  /* --dump-ui-state FILE */
    int window_w, window_h;     /* --window-size WxH, 0 = default */
    int nui_events;
    const char *ui_events[CLI_MAX_UI_EVENTS];   /* --ui-event SPEC@TIME */
    /* ---- end of the window's options ---- */
    /* ---- the GDB stub (issue #7, sim/gdb.h) ---- */
    int gdb_port;               /* --gdb PORT, 0 = none */
    bool gdb_wait;              /* --gdb-wait: halt at reset until a client connects */
    /* ---- end of the GDB stub's options ---- */
    /* ---- scenarios, record/replay (issue #7, sim/scenario_run.h, sim/record.h) ---- */
    bool scenario;              /* --scenario: the arguments are scenario files */
    int nscenarios;
    char *const *scenarios;     /* into argv */
    const char *junit;          /* --junit FILE.xml */
    const char *record;         /* --record FILE */
    const char *replay;         /* --replay FILE */
    /* ---- end of the scenario options ---- */
    /* ---- snapshots (issue #7, sim/snapshot.h, docs/snapshots.md) ---- */
    const char *snapshot_file;  /* --snapshot-at DURATION FILE */
    uint64_t snapshot_ns;
    const char *restore;        /* --restore FILE */
    /* ---- end of the snapshot options ---- */
};

/* Parses "10s", "250ms", "5000us", "100ns" into nanoseconds. */
int cli_parse_duration(const char *text, uint64_t *ns);
/* Like cli_parse_duration, and also with a decimal fraction that gives a
 * whole number of nanoseconds: "1.5s", "0.25ms" (the times of --press and
 * --uart-input). */
int cli_parse_time(const char *text, uint64_t *ns);
/* Returns 0, or -1 with a message naming the option and what was expected. */
int cli_parse(int argc, char **argv, struct cli_options *o, char *err, size_t errlen);
void cli_usage(FILE *f);

#endif
