/*
 * process_console.c — Tock's process console (see process_console.h):
 * line editing and echo, the commands, the `list` table in Tock's exact
 * format, and the `process` / `kernel` memory maps, written through a ring
 * buffer drained by the UART (long outputs are generated a step at a time
 * as room frees up).  Formatting is a small local printf subset:
 * %s %.*s %c %d %u %x %X with the flags '-' and '0' and a width.
 */
#include "process_console.h"

#include <stdarg.h>
#include <string.h>

#define PROMPT "tock$ "
#define VALID_COMMANDS \
    "help status list stop start fault boot terminate process kernel reset panic console-start console-stop\r\n"
#define CH_BS 0x08
#define CH_ESC 0x1B
#define CH_DEL 0x7F

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* ---- formatting ------------------------------------------------------------------- */

struct fmt_out { char *buf; size_t cap, n; };

static void put_c(struct fmt_out *o, char c)
{
    if (o->n + 1 < o->cap)
        o->buf[o->n++] = c;
}

static void put_field(struct fmt_out *o, const char *s, size_t len, int width, bool left, char pad)
{
    int fill = width > (int)len ? width - (int)len : 0;
    if (!left && pad == '0' && len && (s[0] == '-')) {
        put_c(o, *s++);
        len--;
    }
    for (; !left && fill > 0; fill--)
        put_c(o, pad);
    for (size_t i = 0; i < len; i++)
        put_c(o, s[i]);
    for (; left && fill > 0; fill--)
        put_c(o, ' ');
}

static size_t num_text(char *tmp, uint32_t v, unsigned base, bool upper, bool neg)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[12];
    size_t n = 0, k = 0;
    do {
        rev[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg)
        tmp[k++] = '-';
    while (n)
        tmp[k++] = rev[--n];
    return k;
}

struct spec { bool left; char pad; int width, prec; };

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
    *s = (struct spec){ false, ' ', 0, -1 };
    for (; *f == '-' || *f == '0'; f++)
        *f == '-' ? (void)(s->left = true) : (void)(s->pad = '0');
    while (*f >= '0' && *f <= '9')
        s->width = s->width * 10 + (*f++ - '0');
    if (f[0] == '.' && f[1] == '*') {
        s->prec = va_arg(*ap, int);
        f += 2;
    }
    return f;
}

static const char *conv(struct fmt_out *o, const char *f, va_list *ap)
{
    struct spec s;
    char tmp[16];
    f = parse_spec(f, &s, ap);
    char pad = s.left ? ' ' : s.pad;
    switch (*f) {
    case 's': {
        const char *str = va_arg(*ap, const char *);
        size_t len = 0;
        str = str ? str : "";
        while ((s.prec < 0 || (int)len < s.prec) && str[len])
            len++;
        put_field(o, str, len, s.width, s.left, ' ');
        break;
    }
    case 'c': tmp[0] = (char)va_arg(*ap, int); put_field(o, tmp, 1, s.width, s.left, ' '); break;
    case 'd': {
        int v = va_arg(*ap, int);
        put_field(o, tmp, num_text(tmp, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, false, v < 0), s.width, s.left, pad);
        break;
    }
    case 'u': put_field(o, tmp, num_text(tmp, va_arg(*ap, uint32_t), 10, false, false), s.width, s.left, pad); break;
    case 'x': put_field(o, tmp, num_text(tmp, va_arg(*ap, uint32_t), 16, false, false), s.width, s.left, pad); break;
    case 'X': put_field(o, tmp, num_text(tmp, va_arg(*ap, uint32_t), 16, true, false), s.width, s.left, pad); break;
    case '\0': return f;
    default: put_c(o, *f); break;
    }
    return f + 1;
}

static size_t format_v(char *buf, size_t cap, const char *fmt, va_list ap)
{
    struct fmt_out o = { buf, cap, 0 };
    va_list aq;
    va_copy(aq, ap);
    while (*fmt)
        fmt = *fmt == '%' ? conv(&o, fmt + 1, &aq) : (put_c(&o, *fmt), fmt + 1);
    va_end(aq);
    buf[o.n] = '\0';
    return o.n;
}

/* ---- output ring ------------------------------------------------------------------ */

static void kick(struct process_console *pc)
{
    if (pc->tx_busy || pc->out_count == 0)
        return;
    uint16_t len = (uint16_t)(PC_OUT_LEN - pc->out_head);
    if (len > pc->out_count)
        len = pc->out_count;
    if (pc->uart->transmit(pc->uart, (const uint8_t *)&pc->out[pc->out_head], len) == ERR_NONE) {
        pc->tx_busy = true;
        pc->tx_len = len;
    }
}

static void emit(struct process_console *pc, const char *s, size_t n)
{
    for (size_t i = 0; i < n && pc->out_count < PC_OUT_LEN; i++)
        pc->out[(pc->out_head + pc->out_count++) % PC_OUT_LEN] = s[i];
    kick(pc);
}

static void say(struct process_console *pc, const char *s) { emit(pc, s, str_len(s)); }

static void sayf(struct process_console *pc, const char *fmt, ...)
{
    char line[PC_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    size_t n = format_v(line, sizeof line, fmt, ap);
    va_end(ap);
    emit(pc, line, n);
}

static bool room_for_step(const struct process_console *pc) { return PC_OUT_LEN - pc->out_count >= 2 * PC_LINE_MAX; }

/* ---- processes -------------------------------------------------------------------- */

static bool name_is(const struct process *p, const char *name, size_t len)
{
    return p != NULL && p->state != PROC_UNUSED && p->name && p->name_len == len && memcmp(p->name, name, len) == 0;
}

static const char *name_of(const struct process *p) { return p->name ? p->name : ""; }

static uint32_t active_count(const struct kernel *k)
{
    uint32_t n = 0;
    for (int i = 0; i < k->nprocs; i++)
        n += kernel_slot_state(k, i) == PROC_RUNNING || kernel_slot_state(k, i) == PROC_YIELDED ||
             kernel_slot_state(k, i) == PROC_YIELDED_FOR;
    return n;
}

static uint32_t loaded_count(const struct kernel *k)
{
    uint32_t n = 0;
    for (int i = 0; i < k->nprocs; i++)
        n += kernel_slot_state(k, i) != PROC_UNUSED;
    return n;
}

/* One `list` row: Tock's " {:<7?}{ShortID}{:<20}{:6}{:10}{:10}  {:2}/{:2}   {:?}\r\n". */
static void list_row(struct process_console *pc, const struct process *p)
{
    sayf(pc, " %-7u", (uint32_t)p->id.generation);
    if (p->short_id == 0)
        say(pc, "Unique     ");
    else
        sayf(pc, "0x%-8x ", p->short_id);
    sayf(pc, "%-20.*s%6u%10u%10u  %2d/%2d   %s\r\n", (int)p->name_len, name_of(p), p->timeslice_expirations,
         p->syscall_count, p->restart_count, grant_count_allocated(p), pc->kernel->ngrants,
         process_state_name(p->state));
}

/* ---- `process NAME`: overview and memory map, one step at a time ------------------- */

#define RULE "───────────────────────────────────────────"

static void process_step_stats(struct process_console *pc, const struct process *p)
{
    sayf(pc, "\r\nApp: %.*s   -   [%s]\r\n", (int)p->name_len, name_of(p), process_state_name(p->state));
    sayf(pc, " Events Queued: %u   Syscall Count: %u   Dropped Upcall Count: %u\r\n", (uint32_t)p->tasks.count,
         p->syscall_count, p->tasks.dropped);
    sayf(pc, " Restart Count: %u\r\n", p->restart_count);
    if (p->syscall_count)
        sayf(pc, " Last Syscall: class %u number %u\r\n", p->last_syscall & 0xFFu, p->last_syscall >> 8);
    else
        say(pc, " Last Syscall: None\r\n");
    if (p->has_completion_code)
        sayf(pc, " Completion Code: %u\r\n", p->completion_code);
    else
        say(pc, " Completion Code: None\r\n");
}

static void process_step_grants(struct process_console *pc, const struct process *p)
{
    uint32_t end = p->mem_start + p->mem_size;
    say(pc, "\r\n ╔═══════════╤══════════════════════════════════════════╗\r\n");
    say(pc, " ║  Address  │ Region Name    Used | Allocated (bytes)  ║\r\n");
    sayf(pc, " ╚0x%08X═╪══════════════════════════════════════════╝\r\n", end);
    sayf(pc, "             │ Grant Ptrs   %6u\r\n", end - p->initial_kernel_break);
    sayf(pc, "  0x%08X ┼" RULE "\r\n", p->initial_kernel_break);
    sayf(pc, "             │ ▼ Grant      %6u\r\n", p->initial_kernel_break - p->kernel_break);
}

static void process_step_ram(struct process_console *pc, const struct process *p)
{
    uint32_t stack_top = p->stack_hint ? p->stack_hint : p->mem_start;
    uint32_t heap_start = p->heap_hint ? p->heap_hint : stack_top;
    sayf(pc, "  0x%08X ┼" RULE "\r\n             │ Unused       %6u\r\n", p->kernel_break,
         p->kernel_break - p->app_break);
    sayf(pc, "  0x%08X ┼" RULE "\r\n             │ ▲ Heap       %6u               S\r\n", p->app_break,
         p->app_break - heap_start);
    sayf(pc, "  0x%08X ┼" RULE " R\r\n             │ Data         %6u               A\r\n", heap_start,
         heap_start - stack_top);
    sayf(pc, "  0x%08X ┼" RULE " M\r\n             │ ▼ Stack      %6u\r\n", stack_top, stack_top - p->mem_start);
    sayf(pc, "  0x%08X ┼" RULE "\r\n", p->mem_start);
}

static void process_step_flash(struct process_console *pc, const struct process *p)
{
    uint32_t end = p->flash_start + p->flash_size;
    sayf(pc, "             .....\r\n  0x%08X ┼" RULE " F\r\n", end);
    sayf(pc, "             │ App Flash    %6u               L\r\n", end - p->app_start);
    sayf(pc, "  0x%08X ┼" RULE " A\r\n", p->app_start);
    sayf(pc, "             │ Protected    %6u               S\r\n", p->app_start - p->flash_start);
    sayf(pc, "  0x%08X ┴" RULE " H\r\n", p->flash_start);
}

static void process_step_regs(struct process_console *pc, const struct process *p)
{
    const uint32_t *r = p->regs.r4_r11;
    sayf(pc, "\r\n R4 : 0x%08X    R5 : 0x%08X    R6 : 0x%08X    R7 : 0x%08X\r\n", r[0], r[1], r[2], r[3]);
    sayf(pc, " R8 : 0x%08X    R9 : 0x%08X    R10: 0x%08X    R11: 0x%08X\r\n", r[4], r[5], r[6], r[7]);
    sayf(pc, " SP : 0x%08X    YPC: 0x%08X    APSR/EPSR: 0x%08X\r\n", p->regs.psp, p->regs.yield_pc, p->regs.psr);
}

/* One step of the `process` output; false when it is complete. */
static bool process_step(struct process_console *pc)
{
    const struct process *p = pc->kernel->procs[pc->gen_index];
    switch (pc->gen_step++) {
    case 0: process_step_stats(pc, p); return true;
    case 1: process_step_grants(pc, p); return true;
    case 2: process_step_ram(pc, p); return true;
    case 3: process_step_flash(pc, p); return true;
    case 4: process_step_regs(pc, p); return true;
    default: return false;
    }
}

/* ---- `kernel`: the kernel's memory map ---------------------------------------------- */

#define KRULE "───────────────────────────────"

static bool kernel_step(struct process_console *pc)
{
    const struct pc_kernel_map *m = pc->map;
    switch (pc->gen_step++) {
    case 0:
        say(pc, "\r\n ╔═══════════╤══════════════════════════════╗\r\n");
        say(pc, " ║  Address  │ Region Name    Used (bytes)  ║\r\n");
        sayf(pc, " ╚0x%08X═╪══════════════════════════════╝\r\n", m->bss_end);
        sayf(pc, "             │   BSS        %6u\r\n", m->bss_end - m->bss_start);
        return true;
    case 1:
        sayf(pc, "  0x%08X ┼" KRULE " S\r\n             │   Relocate   %6u            R\r\n", m->data_end,
             m->data_end - m->data_start);
        sayf(pc, "  0x%08X ┼" KRULE " A\r\n             │ ▼ Stack      %6u            M\r\n", m->stack_end,
             m->stack_end - m->stack_start);
        sayf(pc, "  0x%08X ┼" KRULE "\r\n", m->stack_start);
        return true;
    case 2:
        sayf(pc, "             .....\r\n  0x%08X ┼" KRULE " F\r\n", m->text_end);
        sayf(pc, "             │   Code       %6u            L\r\n", m->text_end - m->text_start);
        sayf(pc, "  0x%08X ┼" KRULE " ASH\r\n", m->text_start);
        return true;
    default: return false;
    }
}

/* ---- generators: list rows, process and kernel maps ------------------------------------- */

static bool list_step(struct process_console *pc)
{
    const struct kernel *k = pc->kernel;
    while (pc->gen_index < k->nprocs && kernel_slot_state(k, pc->gen_index) == PROC_UNUSED)
        pc->gen_index++;
    if (pc->gen_index >= k->nprocs)
        return false;
    list_row(pc, k->procs[pc->gen_index++]);
    return true;
}

static void prompt(struct process_console *pc)
{
    if (!pc->hibernating)
        say(pc, PROMPT);
}

static void try_execute(struct process_console *pc);

/* Generates output while there is room; the prompt follows the last step. */
static void pump(struct process_console *pc)
{
    while (pc->gen != PC_GEN_NONE && room_for_step(pc)) {
        bool more = pc->gen == PC_GEN_LIST ? list_step(pc)
                    : pc->gen == PC_GEN_PROCESS ? process_step(pc) : kernel_step(pc);
        if (!more) {
            pc->gen = PC_GEN_NONE;
            prompt(pc);
        }
    }
    try_execute(pc);
}

static void start_gen(struct process_console *pc, enum pc_generator g, int index)
{
    pc->gen = g;
    pc->gen_index = index;
    pc->gen_step = 0;
}

/* ---- commands ------------------------------------------------------------------------ */

struct args { const char *word; size_t word_len; const char *name; size_t name_len; };

static const char *skip_spaces(const char *s) { while (*s == ' ' || *s == '\t') s++; return s; }
static size_t word_len(const char *s) { size_t n = 0; while (s[n] && s[n] != ' ' && s[n] != '\t') n++; return n; }

static void split(const char *line, struct args *a)
{
    a->word = skip_spaces(line);
    a->word_len = word_len(a->word);
    a->name = skip_spaces(a->word + a->word_len);
    a->name_len = word_len(a->name);
}

static bool starts(const struct args *a, const char *cmd)
{
    size_t n = str_len(cmd);
    return a->word_len >= n && memcmp(a->word, cmd, n) == 0;
}

static void do_status(struct process_console *pc)
{
    sayf(pc, "Total processes: %u\r\n", loaded_count(pc->kernel));
    sayf(pc, "Active processes: %u\r\n", active_count(pc->kernel));
    sayf(pc, "Timeslice expirations: %u\r\n", pc->kernel->timeslice_expirations);
}

static void do_list(struct process_console *pc)
{
    say(pc, " PID    ShortID    Name                Quanta  Syscalls  Restarts  Grants  State\r\n");
    start_gen(pc, PC_GEN_LIST, 0);
}

static void fault_one(struct kernel *k, struct process *p)
{
    struct fault_record f;
    memset(&f, 0, sizeof f);
    f.kind = FAULT_KILLED;
    f.pc = p->regs.yield_pc;
    f.sp = p->regs.psp;
    process_fault(k, p, &f);
}

enum pc_action { ACT_STOP, ACT_START, ACT_FAULT, ACT_TERMINATE, ACT_BOOT };

static void act_on(struct process_console *pc, struct process *p, enum pc_action act)
{
    struct kernel *k = pc->kernel;
    int n = (int)p->name_len;
    switch (act) {
    case ACT_STOP: process_stop(k, p); sayf(pc, "Process %.*s stopped\r\n", n, name_of(p)); break;
    case ACT_START: process_resume(k, p); sayf(pc, "Process %.*s resumed.\r\n", n, name_of(p)); break;
    case ACT_FAULT:
        fault_one(k, p);
        sayf(pc, "Process %.*s now faulted\r\n", n, name_of(p));
        break;
    case ACT_TERMINATE:
        process_terminate(k, p, false, 0);
        sayf(pc, "Process %.*s terminated\r\n", n, name_of(p));
        break;
    case ACT_BOOT:
        if (p->state == PROC_TERMINATED)
            process_reset(k, p);
        break;
    }
}

/* Applies act to every process called NAME. */
static void for_name(struct process_console *pc, const struct args *a, enum pc_action act)
{
    for (int i = 0; a->name_len && i < pc->kernel->nprocs; i++)
        if (name_is(pc->kernel->procs[i], a->name, a->name_len))
            act_on(pc, pc->kernel->procs[i], act);
}

static void do_process(struct process_console *pc, const struct args *a)
{
    for (int i = 0; a->name_len && i < pc->kernel->nprocs; i++) {
        if (name_is(pc->kernel->procs[i], a->name, a->name_len)) {
            start_gen(pc, PC_GEN_PROCESS, i);
            return;
        }
    }
}

static void do_kernel(struct process_console *pc)
{
    sayf(pc, "Kernel version: %u.%u (build hailsim)\r\n", (uint32_t)KERNEL_VERSION_MAJOR,
         (uint32_t)KERNEL_VERSION_MINOR);
    if (pc->map)
        start_gen(pc, PC_GEN_KERNEL, 0);
}

static void do_reset(struct process_console *pc)
{
    if (pc->reset)
        pc->reset();
    say(pc, "Reset function is not implemented\r\n");
}

static void do_help(struct process_console *pc)
{
    say(pc, "Welcome to the process console.\r\nValid commands are: " VALID_COMMANDS);
}

/* The process-management commands, in Tock's order of prefix tests. */
static bool run_process_command(struct process_console *pc, const struct args *a)
{
    static const struct { const char *name; enum pc_action act; } cmds[] = {
        { "start", ACT_START }, { "stop", ACT_STOP }, { "fault", ACT_FAULT },
        { "terminate", ACT_TERMINATE }, { "boot", ACT_BOOT },
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (starts(a, cmds[i].name)) {
            for_name(pc, a, cmds[i].act);
            return true;
        }
    }
    return false;
}

static void run_command(struct process_console *pc, const struct args *a)
{
    if (a->word_len == 0)
        return;
    if (starts(a, "console-stop")) {
        say(pc, "Process console stopped; type console-start to resume.\r\n");
        pc->hibernating = true;
    } else if (starts(a, "console-start")) {
        say(pc, "Process console is already running.\r\n");
    } else if (starts(a, "help")) {
        do_help(pc);
    } else if (run_process_command(pc, a)) {
    } else if (starts(a, "list")) {
        do_list(pc);
    } else if (starts(a, "status")) {
        do_status(pc);
    } else if (starts(a, "process")) {
        do_process(pc, a);
    } else if (starts(a, "kernel")) {
        do_kernel(pc);
    } else if (starts(a, "reset")) {
        do_reset(pc);
    } else if (starts(a, "panic")) {
        kernel_panic(pc->kernel, "Process Console forced a kernel panic.");
    } else {
        say(pc, "Valid commands are: " VALID_COMMANDS);
    }
}

/* Runs the typed line once the previous command's output has been generated. */
static void try_execute(struct process_console *pc)
{
    struct args a;
    if (!pc->execute || pc->gen != PC_GEN_NONE)
        return;
    pc->execute = false;
    pc->cmd[pc->cmd_len] = '\0';
    pc->cmd_len = 0;
    split(pc->cmd, &a);
    if (pc->hibernating) {
        if (starts(&a, "console-start")) {
            pc->hibernating = false;
            prompt(pc);
        }
        return;
    }
    run_command(pc, &a);
    if (pc->gen == PC_GEN_NONE)
        prompt(pc);
    else
        pump(pc);
}

/* ---- input: line editing and echo ------------------------------------------------------ */

static void echo(struct process_console *pc, const char *s, size_t n)
{
    if (!pc->hibernating)
        emit(pc, s, n);
}

/* Escape sequences (arrow keys...) are swallowed: ESC, then '[' and up to a letter or '~'. */
static bool in_escape(struct process_console *pc, uint8_t b)
{
    if (pc->esc == 0 && b != CH_ESC)
        return false;
    if (b == CH_ESC)
        pc->esc = 1;
    else if (pc->esc == 1)
        pc->esc = b == '[' ? 2 : 0;
    else if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '~')
        pc->esc = 0;
    return true;
}

static void input_byte(struct process_console *pc, uint8_t b)
{
    uint8_t prev = pc->prev_byte;
    pc->prev_byte = b;
    if (!pc->prompted && !pc->hibernating) {
        pc->prompted = true;
        prompt(pc);
    }
    if (in_escape(pc, b) || pc->execute)
        return;                     /* typing ahead of a running command is dropped */
    if (b == '\r' || b == '\n') {
        if (b == '\n' && prev == '\r')
            return;
        echo(pc, "\r\n", 2);
        pc->execute = true;
        try_execute(pc);
    } else if (b == CH_BS || b == CH_DEL) {
        if (pc->cmd_len > 0) {
            pc->cmd_len--;
            echo(pc, "\b \b", 3);
        }
    } else if (b >= 0x20 && b < 0x7F && pc->cmd_len < PC_CMD_LEN - 1) {
        pc->cmd[pc->cmd_len++] = (char)b;
        echo(pc, (const char *)&b, 1);
    }
}

/* ---- UART callbacks and set-up --------------------------------------------------------- */

static void pc_transmitted(void *ctx, const uint8_t *buf, size_t len, errorcode_t status)
{
    struct process_console *pc = ctx;
    (void)buf;
    (void)len;
    (void)status;
    pc->tx_busy = false;
    pc->out_head = (uint16_t)((pc->out_head + pc->tx_len) % PC_OUT_LEN);
    pc->out_count = (uint16_t)(pc->out_count - pc->tx_len);
    pump(pc);
    kick(pc);
}

static void pc_received(void *ctx, uint8_t *buf, size_t len, errorcode_t status)
{
    struct process_console *pc = ctx;
    uint8_t b = buf[0];
    if (pc->running)
        pc->uart->receive(pc->uart, &pc->rx_byte, 1);
    if (status == ERR_NONE && len == 1)
        input_byte(pc, b);
}

void process_console_init(struct process_console *pc, const struct hil_uart *uart, struct kernel *k,
                          const struct pc_kernel_map *map, void (*reset)(void))
{
    memset(pc, 0, sizeof *pc);
    pc->uart = uart;
    pc->kernel = k;
    pc->map = map;
    pc->reset = reset;
    uart->set_client(uart, (struct hil_uart_client){ pc_transmitted, pc_received, pc });
}

void process_console_start(struct process_console *pc)
{
    if (pc->running)
        return;
    pc->running = true;
    pc->uart->receive(pc->uart, &pc->rx_byte, 1);
}
