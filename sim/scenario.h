/*
 * scenario.h — test scenarios (`hailsim --scenario FILE.yaml ...`,
 * docs/scenarios.md): one YAML document names the board, the kernel, the
 * apps, a virtual time limit, timed inputs (button presses, UART text) and
 * expectations on what the run shows (console lines, LEDs and pins, process
 * states, faults, the exit status).
 *
 * scenario_load() reads and checks a file: every error is one message
 * "FILE:LINE: FIELD: problem; expected WHAT", like the board loader's.
 * scenario_check_board() then checks names against the board (buttons,
 * LEDs, pins) and that the kernel and app files exist.  Running is in
 * scenario_run.h, judging the observations in scenario_eval.c.
 */
#ifndef HAILSIM_SCENARIO_H
#define HAILSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "inputs.h"

#define SCN_MAX_APPS 32
#define SCN_MAX_INPUTS 64
#define SCN_MAX_EXPECTS 64
#define SCN_PATH_LEN 256
#define SCN_TEXT_LEN 256
#define SCN_NAME_LEN 24                 /* process names, as in the awareness table */
#define SCN_DESC_LEN 200

#define SCN_DEFAULT_BOARD "boards/hail.yaml"
#define SCN_DEFAULT_KERNEL "build/hail/kernel.elf"
#define SCN_APPS_DIR "build/apps"

enum scn_kind {
    SCN_CONSOLE,        /* console line(s) in a window, a count, or never */
    SCN_LEVEL,          /* LED or pin state at a time */
    SCN_BLINK,          /* period and duty cycle over a window */
    SCN_TOGGLES,        /* number of changes in a window */
    SCN_PROCESS,        /* process state at a time (awareness table) */
    SCN_FAULT,          /* a process fault (which, which kind), or none at all */
    SCN_EXIT            /* how the run ends: semihosting exit status or the time limit */
};

enum scn_match { SCN_MATCH_EXACT, SCN_MATCH_CONTAINS, SCN_MATCH_REGEX };

/* A signal: an LED of the board, or a chip pin (given as PB14 or a header label). */
struct scn_signal {
    bool is_led;
    int led;                            /* index in board->leds */
    int port, pin;
    char name[BOARD_NAME_LEN];          /* as written */
};

struct scn_expect {
    enum scn_kind kind;
    int line;                           /* of the item in the file */
    char desc[SCN_DESC_LEN];            /* one-line summary for reports and JUnit */
    uint64_t from_ns, until_ns;         /* window; until = time limit by default */
    uint64_t at_ns;                     /* SCN_LEVEL, SCN_PROCESS */
    /* console */
    char text[SCN_TEXT_LEN];
    enum scn_match match;
    int count;                          /* -1: at least one; 0 with never */
    /* signals */
    struct scn_signal sig;
    int level;                          /* SCN_LEVEL: 0 / 1 (LED: off / on) */
    uint64_t period_ns;                 /* SCN_BLINK */
    double duty, tolerance, duty_tolerance;     /* fractions: 0.5, 0.001, 0.01 */
    int min_toggles, max_toggles;       /* SCN_TOGGLES */
    /* processes and faults */
    char process[SCN_NAME_LEN];         /* "" = any (fault) */
    int state;                          /* SCN_PROCESS: scn_state_names index */
    int restarts;                       /* SCN_PROCESS: -1 = not checked */
    int fault_kind;                     /* SCN_FAULT: 0 = any kind */
    bool none;                          /* SCN_FAULT: no fault at all */
    /* exit */
    bool exit_time_limit;               /* SCN_EXIT: ends at the time limit */
    int exit_status;
};

struct scenario {
    char file[SCN_PATH_LEN];
    char name[SCN_DESC_LEN];
    char board[SCN_PATH_LEN], kernel[SCN_PATH_LEN];
    int napps;
    char apps[SCN_MAX_APPS][SCN_PATH_LEN];
    int kernel_line, app_line[SCN_MAX_APPS];   /* for messages about missing files */
    uint64_t time_limit_ns, seed;
    int ninputs;
    struct input_spec inputs[SCN_MAX_INPUTS];
    int input_line[SCN_MAX_INPUTS];
    int nexpects;
    struct scn_expect expects[SCN_MAX_EXPECTS];
    /* signal names are resolved by scenario_check_board(); until then only the text is known */
};

/* Process states as written in a scenario: the awareness table's names
 * (procview_state_name) plus "stopped" (any stopped state) and "alive"
 * (not unused, faulted or terminated). */
extern const char *const scn_state_names[];
#define SCN_STATE_STOPPED 9
#define SCN_STATE_ALIVE 10
/* Fault kinds as written: index = the awareness table's fault_kind ("any" = 0). */
extern const char *const scn_fault_names[];

/* Reads and checks `path` into *s (heap-free; s is large: allocate it).
 * Returns 0, or -1 with "FILE:LINE: FIELD: problem; expected WHAT". */
int scenario_load(const char *path, struct scenario *s, char *err, size_t errlen);
/* The same from memory; `name` is used as FILE. */
int scenario_load_string(const char *name, const char *yaml, size_t len, struct scenario *s,
                         char *err, size_t errlen);
/* Resolves buttons, LEDs and pins against board `b`, and checks that the
 * kernel and app files exist.  Errors name the scenario's FILE:LINE. */
int scenario_check_board(struct scenario *s, const struct board *b, char *err, size_t errlen);

/* "1.5 s", "250 ms", "100 us" for reports. */
void scn_fmt_time(char *out, size_t len, uint64_t ns);

#endif
