/*
 * scenario_run.h — running scenarios (scenario.h): what a run observes
 * (console lines, LED/pin edges, process samples, faults, how it ended),
 * judging it against the expectations (scenario_eval.c), and running many
 * scenario files in parallel child processes (one fork per file, at most
 * `jobs` at a time; results come back through shared memory and are
 * reported in command-line order).
 */
#ifndef HAILSIM_SCENARIO_RUN_H
#define HAILSIM_SCENARIO_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "scenario.h"

#define SCN_MSG_LEN 600

struct scn_line { uint64_t t_ns; char text[SCN_TEXT_LEN]; };
struct scn_edge { uint64_t t_ns; int level; };          /* level after the change: 1, 0, -1 floating */
struct scn_fault { uint64_t t_ns; char name[SCN_NAME_LEN]; int kind; };   /* kind 0: unknown */

struct scn_sample {
    bool taken, table, found;
    uint64_t t_ns;
    uint32_t state, restarts;
    char procs[160];                    /* the processes in the table, for messages */
};

/* Everything one run observed; dynamic arrays, freed by scn_obs_free(). */
struct scn_obs {
    struct scn_line *lines;
    int nlines, caplines;
    struct scn_edge *edges[SCN_MAX_EXPECTS];
    int nedges[SCN_MAX_EXPECTS], capedges[SCN_MAX_EXPECTS];
    struct scn_sample samples[SCN_MAX_EXPECTS];
    struct scn_fault *faults;
    int nfaults, capfaults;
    bool awareness;                     /* the kernel has a kernel_awareness table */
    enum stop_reason stop;
    int exit_status;
    uint64_t end_ns;
    char stop_msg[256];
};

struct scn_exp_result {
    bool passed;
    char msg[SCN_MSG_LEN];              /* what was expected and what was seen, with times */
};

enum scn_state { SCN_NOT_RUN, SCN_DONE, SCN_ERROR };

struct scn_result {
    enum scn_state state;
    char error[512];                    /* SCN_ERROR: why the run could not start */
    char ending[300];                   /* how the run ended */
    double host_s;
    int nexpects, nfailed;
    struct scn_exp_result r[SCN_MAX_EXPECTS];
};

/* Appenders used by the runner (and the unit tests); return -1 when out of memory. */
int scn_obs_line(struct scn_obs *o, uint64_t t_ns, const char *text);
int scn_obs_edge(struct scn_obs *o, int expect, uint64_t t_ns, int level);
int scn_obs_fault(struct scn_obs *o, uint64_t t_ns, const char *name, int kind);
void scn_obs_free(struct scn_obs *o);

/* Judges every expectation of s against o into r (r->state = SCN_DONE). */
void scn_evaluate(const struct scenario *s, const struct scn_obs *o, struct scn_result *r);
/* "time limit at 10.1 s", "semihosting exit 3 at 0.2 s", "lockup ... at 1 s". */
void scn_describe_end(const struct scn_obs *o, char *out, size_t len);

/* Runs one scenario in this process (its board already loaded and checked);
 * `trace` may name a trace file (NULL = none). */
void scenario_run_one(const struct scenario *s, const struct board *b, const char *trace,
                      struct scn_result *r);

/* `hailsim --scenario FILE...`: loads and checks every file (exit 2 on the
 * first bad one, with FILE:LINE), runs them in parallel, prints the report
 * on stdout, writes `junit` if not NULL.  Returns 0 when every expectation
 * held, 1 otherwise, 2 for a bad scenario file. */
int scenario_main(const char *const *files, int nfiles, const char *junit, const char *trace);

#endif
