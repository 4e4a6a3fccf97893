/*
 * scenario_run.c — running scenarios (see scenario_run.h).  One run: the
 * machine is set up like main.c does (board, kernel, apps, seed, time
 * limit), the scenario's inputs go through inputs.c, and a board_io
 * observer collects what the expectations need: console lines (the console
 * UART's bytes, plus semihosting stdout for bare-metal images, each line
 * stamped with the virtual time its last byte went out), LED and pin edges,
 * process samples at given times (an evq timer reading the awareness table)
 * and process faults (the kernel's console reports; the kind from the
 * awareness table).  Many runs: one forked child per scenario file, at most
 * nproc at a time, results in shared memory, reported in argument order.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "board_io.h"
#include "inputs.h"
#include "junit.h"
#include "procview.h"
#include "scenario_run.h"
#include "trace.h"

struct runner {
    const struct scenario *s;
    struct machine *m;
    struct scn_obs obs;
    struct procview pv;
    struct evq_timer sampler;
    int order[SCN_MAX_EXPECTS], norder, next;   /* process samples by time */
    char line[SCN_TEXT_LEN];
    size_t nline;
    /* a kernel panic report being read: the faulting process is picked from it */
    bool panic;
    uint64_t panic_ns;
    char cur[SCN_NAME_LEN], pick[SCN_NAME_LEN];
    bool cur_running, pick_running;
    int pick_kind;
};

/* ---- the awareness table ------------------------------------------------------------- */

static const struct procview_proc *find_proc(struct runner *rn, const char *name)
{
    rn->pv.valid = false;                       /* re-read every record now */
    procview_sample(&rn->pv);
    for (int i = 0; rn->pv.valid && i < rn->pv.nprocs; i++)
        if (strcmp(rn->pv.procs[i].name, name) == 0)
            return &rn->pv.procs[i];
    return NULL;
}

static void take_sample(struct runner *rn, int i)
{
    struct scn_sample *s = &rn->obs.samples[i];
    const struct procview_proc *p = find_proc(rn, rn->s->expects[i].process);
    char names[sizeof s->procs];
    size_t k = 0;
    s->taken = true;
    s->t_ns = machine_time_ns(rn->m);
    s->table = rn->pv.valid;
    s->found = p != NULL;
    s->state = p ? p->state : 0;
    s->restarts = p ? p->restarts : 0;
    names[0] = '\0';
    for (int j = 0; j < rn->pv.nprocs && k < sizeof names; j++)
        k += (size_t)snprintf(names + k, sizeof names - k, "%s%s", j ? ", " : "", rn->pv.procs[j].name);
    memcpy(s->procs, names, sizeof names);
}

static uint64_t sample_cycle(struct runner *rn, int k)
{
    return machine_ns_to_cycles(rn->m, rn->s->expects[rn->order[k]].at_ns);
}

static void on_sample(void *ctx, uint64_t now)
{
    struct runner *rn = ctx;
    while (rn->next < rn->norder && sample_cycle(rn, rn->next) <= now)
        take_sample(rn, rn->order[rn->next++]);
    if (rn->next < rn->norder)
        evq_arm(&rn->m->evq, &rn->sampler, sample_cycle(rn, rn->next));
}

static int arm_samples(struct runner *rn)
{
    const struct scenario *s = rn->s;
    for (int i = 0; i < s->nexpects; i++) {
        if (s->expects[i].kind != SCN_PROCESS)
            continue;
        int k = rn->norder++;                   /* insertion sort by time, stable */
        while (k > 0 && s->expects[rn->order[k - 1]].at_ns > s->expects[i].at_ns) {
            rn->order[k] = rn->order[k - 1];
            k--;
        }
        rn->order[k] = i;
    }
    if (!rn->norder)
        return 0;
    if (evq_add_timer(&rn->m->evq, &rn->sampler, "scenario", on_sample, rn) != 0)
        return -1;
    evq_arm(&rn->m->evq, &rn->sampler, sample_cycle(rn, 0));
    return 0;
}

/* ---- faults from the kernel's console reports ------------------------------------------- */

static int kind_from_text(const char *text)
{
    for (int k = 1; k < 8; k++)
        if (strcmp(procview_fault_name((uint32_t)k), text) == 0)
            return k;
    return 0;
}

static void add_fault(struct runner *rn, uint64_t t, const char *name)
{
    const struct procview_proc *p = find_proc(rn, name);
    scn_obs_fault(&rn->obs, t, name, p && p->fault_kind < 8 ? (int)p->fault_kind : 0);
}

/* Lines of a panic report: "Process N 'NAME': STATE, ...", "  last fault: KIND", "Blinking ...". */
static void panic_line(struct runner *rn, const char *text)
{
    char name[SCN_NAME_LEN], state[32], kind[32];
    if (sscanf(text, "Process %*d '%23[^']': %31[^,]", name, state) == 2) {
        snprintf(rn->cur, sizeof rn->cur, "%s", name);
        rn->cur_running = strcmp(state, "Running") == 0;
    } else if (sscanf(text, "  last fault: %31[^\n]", kind) == 1 && rn->cur[0] &&
               (!rn->pick[0] || !rn->pick_running || rn->cur_running)) {
        snprintf(rn->pick, sizeof rn->pick, "%s", rn->cur);
        rn->pick_running = rn->cur_running;
        rn->pick_kind = kind_from_text(kind);
    } else if (strncmp(text, "Blinking the red LED", 20) == 0) {
        if (rn->pick[0])
            scn_obs_fault(&rn->obs, rn->panic_ns, rn->pick, rn->pick_kind);
        rn->panic = false;
    }
}

static void fault_line(struct runner *rn, uint64_t t, const char *text)
{
    char name[SCN_NAME_LEN];
    const char *h = strstr(text, "Hail: process '");
    if (rn->panic) {
        panic_line(rn, text);
    } else if (strstr(text, "Kernel panic: process faulted")) {
        rn->panic = true;
        rn->panic_ns = t;
        rn->cur[0] = rn->pick[0] = '\0';
    } else if (h && sscanf(h, "Hail: process '%23[^']'", name) == 1 &&
               (strstr(h, "' restarted (") && strstr(h, ") after a fault at pc"))) {
        add_fault(rn, t, name);
    } else if (h && sscanf(h, "Hail: process '%23[^']'", name) == 1 && strstr(h, "' faulted at pc ")) {
        add_fault(rn, t, name);
    }
}

/* ---- console lines ------------------------------------------------------------------------- */

static void end_line(struct runner *rn)
{
    uint64_t t = machine_time_ns(rn->m);
    while (rn->nline && (rn->line[rn->nline - 1] == '\r' || rn->line[rn->nline - 1] == '\n'))
        rn->nline--;
    rn->line[rn->nline] = '\0';
    scn_obs_line(&rn->obs, t, rn->line);
    fault_line(rn, t, rn->line);
    rn->nline = 0;
}

static void put_byte(struct runner *rn, uint8_t byte)
{
    if (byte != '\n')
        rn->line[rn->nline++] = byte ? (char)byte : ' ';
    if (byte == '\n' || rn->nline == sizeof rn->line - 1)
        end_line(rn);
}

static ssize_t semihost_write(void *ctx, const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_byte(ctx, (uint8_t)buf[i]);
    return (ssize_t)n;
}

/* ---- board observer ------------------------------------------------------------------------- */

static void signal_change(struct runner *rn, bool led, int a, int b, int level)
{
    for (int i = 0; i < rn->s->nexpects; i++) {
        const struct scn_expect *e = &rn->s->expects[i];
        if ((e->kind != SCN_LEVEL && e->kind != SCN_BLINK && e->kind != SCN_TOGGLES) || e->sig.is_led != led ||
            (led ? e->sig.led != a : e->sig.port != a || e->sig.pin != b))
            continue;
        int n = rn->obs.nedges[i], prev = n ? rn->obs.edges[i][n - 1].level : led ? 0 : -1;
        if (level != prev)
            scn_obs_edge(&rn->obs, i, machine_time_ns(rn->m), level);
    }
}

static void obs_pin(void *ctx, int port, int pin, int level, bool driven)
{
    signal_change(ctx, false, port, pin, level);
}

static void obs_led(void *ctx, int led, bool on)
{
    signal_change(ctx, true, led, 0, on);
}

static void obs_uart(void *ctx, const char *uart, uint8_t byte)
{
    struct runner *rn = ctx;
    const char *console = board_io_console(rn->m);
    if (console && strcmp(console, uart) == 0)
        put_byte(rn, byte);
}

static const struct board_io_observer scn_observer = { .pin = obs_pin, .led = obs_led, .uart_tx = obs_uart };

/* ---- one run ------------------------------------------------------------------------------- */

static int setup(struct runner *rn, const struct board *b, const char *trace, char *err, size_t len)
{
    const struct scenario *s = rn->s;
    struct machine *m = rn->m;
    struct qmpu_layout layout;
    bool qemu_mpu = qmpu_self_test(&layout, err, len) == 0;
    if (machine_create(m, b, qemu_mpu ? &layout : NULL, err, len) != 0 || machine_load_elf(m, s->kernel, err, len) != 0)
        return -1;
    uint32_t cursor = b->app_flash.base;
    for (int i = 0; i < s->napps; i++)
        if (machine_load_app(m, s->apps[i], &cursor, err, len) != 0)
            return -1;
    m->seed = s->seed;
    cpu_set_stop_at(m, machine_ns_to_cycles(m, s->time_limit_ns));
    m->console = NULL;
    if (trace && !(m->trace = trace_open(trace, err, len)))
        return -1;
    if (machine_reset(m, err, len) != 0 || procview_init(&rn->pv, m, s->kernel, err, len) != 0)
        return -1;
    rn->obs.awareness = rn->pv.present;
    if (board_io_observe(m, &scn_observer, rn) != 0 || arm_samples(rn) != 0) {
        snprintf(err, len, "too many observers or timers");
        return -1;
    }
    return 0;
}

static void finish_obs(struct runner *rn)
{
    struct machine *m = rn->m;
    for (int k = rn->next; k < rn->norder; k++)     /* samples due exactly at the end */
        if (sample_cycle(rn, k) <= m->cycles)
            take_sample(rn, rn->order[k]);
    if (rn->nline)
        end_line(rn);
    rn->obs.stop = m->stop;
    rn->obs.exit_status = m->exit_status;
    rn->obs.end_ns = machine_time_ns(m);
    snprintf(rn->obs.stop_msg, sizeof rn->obs.stop_msg, "%s", m->stop_msg);
}

static double host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void scenario_run_one(const struct scenario *s, const struct board *b, const char *trace, struct scn_result *r)
{
    static const cookie_io_functions_t semihost_io = { .write = semihost_write };
    struct runner *rn = calloc(1, sizeof *rn);
    struct machine *m = calloc(1, sizeof *m);
    struct inputs *in = NULL;
    FILE *out = NULL;
    double start = host_seconds();
    memset(r, 0, sizeof *r);
    if (!rn || !m) {
        r->state = SCN_ERROR;
        snprintf(r->error, sizeof r->error, "out of memory");
    } else if (rn->s = s, rn->m = m, setup(rn, b, trace, r->error, sizeof r->error) != 0 ||
               (s->ninputs && !(in = inputs_create(m, s->inputs, s->ninputs, r->error, sizeof r->error)))) {
        r->state = SCN_ERROR;
    } else {
        if ((out = fopencookie(rn, "w", semihost_io)) != NULL) {
            setvbuf(out, NULL, _IONBF, 0);
            m->out = out;
        }
        cpu_run(m);
        board_io_flush(m);
        finish_obs(rn);
        scn_evaluate(s, &rn->obs, r);
    }
    r->host_s = host_seconds() - start;
    if (m) {
        trace_close(m->trace);
        machine_destroy(m);
    }
    inputs_free(in);
    if (out)
        fclose(out);
    if (rn)
        scn_obs_free(&rn->obs);
    free(rn);
    free(m);
}

/* ---- many runs in parallel ----------------------------------------------------------------- */

struct scn_job {
    struct scenario s;
    struct board b;
};

static int load_all(const char *const *files, int n, struct scn_job *jobs)
{
    char err[1024];
    for (int i = 0; i < n; i++) {
        struct scn_job *j = &jobs[i];
        if (scenario_load(files[i], &j->s, err, sizeof err) != 0 ||
            board_load(j->s.board, &j->b, err, sizeof err) != 0 ||
            scenario_check_board(&j->s, &j->b, err, sizeof err) != 0) {
            fprintf(stderr, "hailsim: %s\n", err);
            return -1;
        }
    }
    return 0;
}

static int cpu_count(int n)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = c < 1 ? 1 : (int)c;
    return jobs < n ? jobs : n;
}

static void reap(pid_t *pids, int n, struct scn_result *res)
{
    int status;
    pid_t p = wait(&status);
    for (int i = 0; i < n && p > 0; i++) {
        if (pids[i] != p)
            continue;
        pids[i] = 0;
        if (res[i].state == SCN_NOT_RUN)
            snprintf(res[i].error, sizeof res[i].error, "the run crashed (%s %d)",
                     WIFSIGNALED(status) ? "signal" : "exit status",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
}

static void run_parallel(struct scn_job *jobs, int n, struct scn_result *res, const char *trace)
{
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    int running = 0, max = cpu_count(n);
    for (int i = 0; i < n; i++) {
        if (running == max) {
            reap(pids, n, res);
            running--;
        }
        fflush(NULL);
        pid_t p = fork();
        if (p == 0) {
            scenario_run_one(&jobs[i].s, &jobs[i].b, trace, &res[i]);
            _exit(0);
        }
        if (p < 0)
            snprintf(res[i].error, sizeof res[i].error, "cannot start a process for it");
        else
            pids[i] = p, running++;
    }
    while (running-- > 0)
        reap(pids, n, res);
    free(pids);
}

/* ---- the report ---------------------------------------------------------------------------- */

static bool result_passed(const struct scn_result *r)
{
    return r->state == SCN_DONE && r->nfailed == 0;
}

static void print_report(const struct scenario *s, const struct scn_result *r)
{
    if (r->state != SCN_DONE) {
        printf("FAIL  %s (%s): %s\n", s->file, s->name, r->error[0] ? r->error : "did not run");
        return;
    }
    printf("%s  %s (%s): %d expectation%s, %d failed; the run ended: %s\n", result_passed(r) ? "PASS" : "FAIL",
           s->file, s->name, r->nexpects, r->nexpects == 1 ? "" : "s", r->nfailed, r->ending);
    for (int i = 0; i < r->nexpects; i++) {
        const struct scn_exp_result *x = &r->r[i];
        if (x->passed)
            printf("  ok    %s: %s\n", s->expects[i].desc, x->msg);
        else
            printf("  FAIL  %s:%d: %s\n          %s\n", s->file, s->expects[i].line, s->expects[i].desc, x->msg);
    }
}

static int write_junit(const char *path, const struct scn_job *jobs, const struct scn_result *res, int n)
{
    char err[300], msg[SCN_MSG_LEN + 64];
    struct junit *j = junit_open(path, err, sizeof err);
    if (!j) {
        fprintf(stderr, "hailsim: --junit: %s\n", err);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const struct scenario *s = &jobs[i].s;
        const struct scn_result *r = &res[i];
        bool done = r->state == SCN_DONE;
        junit_suite_begin(j, s->name, s->file, done ? r->nexpects : 1, done ? r->nfailed : 0, done ? 0 : 1,
                          r->host_s);
        for (int k = 0; done && k < r->nexpects; k++) {
            snprintf(msg, sizeof msg, "%s:%d: %s", s->file, s->expects[k].line, r->r[k].msg);
            junit_case(j, s->name, s->expects[k].desc, r->r[k].passed ? JUNIT_PASS : JUNIT_FAILURE, msg);
        }
        if (!done)
            junit_case(j, s->name, "run", JUNIT_ERROR, r->error[0] ? r->error : "did not run");
        junit_suite_end(j);
    }
    return junit_close(j);
}

int scenario_main(const char *const *files, int n, const char *junit, const char *trace)
{
    struct scn_job *jobs = calloc((size_t)n, sizeof *jobs);
    size_t size = (size_t)n * sizeof(struct scn_result);
    struct scn_result *res = MAP_FAILED;
    int passed = 0, status = 0;
    if (!jobs || load_all(files, n, jobs) != 0) {
        free(jobs);
        return 2;
    }
    res = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (res == MAP_FAILED) {
        fprintf(stderr, "hailsim: --scenario: cannot map memory for the results\n");
        free(jobs);
        return 2;
    }
    run_parallel(jobs, n, res, n == 1 ? trace : NULL);
    for (int i = 0; i < n; i++) {
        print_report(&jobs[i].s, &res[i]);
        passed += result_passed(&res[i]);
        if (res[i].state == SCN_ERROR)
            status = 2;
    }
    printf("scenarios: %d passed, %d failed\n", passed, n - passed);
    fflush(stdout);
    if (junit && write_junit(junit, jobs, res, n) != 0)
        status = 2;
    munmap(res, size);
    free(jobs);
    return status ? status : passed == n ? 0 : 1;
}
