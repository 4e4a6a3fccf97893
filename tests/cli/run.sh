#!/usr/bin/env bash
# run.sh BUILD_DIR — end-to-end checks of the hailsim command line
# (BUILD_DIR/hailsim): --help, bad usage and bad input files (exit 2 with a
# message naming the problem), the ways a run ends (time limit: exit 0 and a
# summary; semihosting exit status; lockup and sleeping forever: exit 3 with
# the reason and a register dump), --trace (JSON Lines, byte-identical across
# runs) and --stats.
#
# The guest images are tests/cli/images/*.c, built here with the bare-metal
# runtime of tests/baremetal/ and the Makefile's ARM_CFLAGS/ARM_LDFLAGS into
# BUILD_DIR/cli/.  Prints one line per case and ends with
# "cli: N passed, M failed"; the exit status is non-zero if any case failed.
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init cli "$@"

board="boards/hail.yaml"
img_dir="$build_dir/cli"

show() { tl_show "$@"; }

# run NAME ARGS...: runs hailsim (at most 60 s of host time) with stdout in
# $tmp/NAME.out and stderr in $tmp/NAME.err; sets rc.
run() { tl_run 60 "$@"; }

# expect NAME WANT_RC STREAM TEXT...: the last run exited with WANT_RC and
# its STREAM (out or err) contains every TEXT (fixed strings).
expect() {
    local name=$1 want=$2 stream=$3 text
    shift 3
    local file="$tmp/$name.$stream"
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want; stderr:"
        show "$tmp/$name.err"
        return 1
    fi
    for text in "$@"; do
        if ! grep -qF -- "$text" "$file"; then
            fail "$name" "std$stream does not contain '$text'; it has:"
            show "$file"
            return 1
        fi
    done
    pass "$name"
}

# ---- the simulator and the guest images ------------------------------------

tl_require_hailsim

shopt -s nullglob
tl_build_images "$img_dir" -- tests/cli/images/*.c

# have IMAGE: the image was built (a case that needs a missing one fails)
have() {
    if [ -f "$img_dir/$1.elf" ]; then
        return 0
    fi
    fail "$2" "image $1.elf was not built"
    return 1
}

# ---- usage ------------------------------------------------------------------

run help --help
if expect help 0 out "usage: hailsim"; then
    # every long option of the parser's table in sim/cli.c, plus the documented ones
    mapfile -t table < <(grep -oE '^[[:space:]]*\{"[a-z0-9-]+", *(no|required|optional)_argument' sim/cli.c |
        sed -E 's/^[[:space:]]*\{"([a-z0-9-]+)".*/--\1/')
    missing=()
    for opt in --board --kernel --headless --time-limit --trace --trace-exceptions --seed --stats \
        --strict-mmio --mpu --help --version "${table[@]}"; do
        grep -qF -- "$opt" "$tmp/help.out" || missing+=("$opt")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        pass "help mentions every option"
    else
        fail "help mentions every option" "missing: ${missing[*]}"
    fi
fi

run version --version
expect version 0 out "hailsim "

run unknown_option --bogus-option
expect unknown_option 2 err "unknown option" "--bogus-option"

run missing_value --board
expect missing_value 2 err "--board" "needs a value"

run bad_time_limit --time-limit 10parsecs
expect bad_time_limit 2 err "--time-limit" "10parsecs"

run bad_mpu --mpu=sometimes
expect bad_mpu 2 err "--mpu" "sometimes"

run isolation_restore --check-isolation --restore "$tmp/any.snap"
expect isolation_restore 2 err "--check-isolation cannot be combined with --restore"

# ---- bad input files ----------------------------------------------------------

run missing_kernel --board "$board" --kernel "$tmp/no-such-kernel.elf"
expect missing_kernel 2 err "$tmp/no-such-kernel.elf"

# a board file with a bad value: the message is FILE:LINE: FIELD: ...
bad_board="$tmp/bad-board.yaml"
sed 's/^\(  clock_hz:\) 48000000/\1 fast/' "$board" >"$bad_board"
bad_line=$(grep -n '^  clock_hz: fast' "$bad_board" | cut -d: -f1)
if [ -z "$bad_line" ]; then
    fail bad_board_yaml "could not make a bad board from $board (no 'clock_hz: 48000000' line)"
else
    run bad_board_yaml --board "$bad_board" --kernel /bin/true
    expect bad_board_yaml 2 err "$bad_board:$bad_line:" "clock_hz"
fi

printf 'name: [unclosed\ncpu:\n' >"$tmp/broken.yaml"
run broken_board_yaml --board "$tmp/broken.yaml"
expect broken_board_yaml 2 err "$tmp/broken.yaml:"

run missing_board --board "$tmp/no-such-board.yaml"
expect missing_board 2 err "$tmp/no-such-board.yaml"

# a host executable is an ELF, but not a 32-bit ARM one
host_elf=/bin/true
run host_elf --board "$board" --kernel "$host_elf"
expect host_elf 2 err "$host_elf"

# a 32-bit little-endian ELF for the wrong machine (EM_386): names the machine
x86_elf="$tmp/x86.elf"
{
    printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000'   # e_ident
    printf '\002\000\003\000\001\000\000\000'                          # ET_EXEC, EM_386, version
    printf '\000\000\000\000\064\000\000\000\000\000\000\000'          # entry, phoff, shoff
    printf '\000\000\000\000\064\000\040\000\001\000\050\000'          # flags, sizes, phnum 1
    printf '\000\000\000\000'                                          # shnum, shstrndx
    printf '\001\000\000\000\124\000\000\000\000\000\000\000\000\000\000\000'  # PT_LOAD
    printf '\004\000\000\000\004\000\000\000\005\000\000\000\004\000\000\000'
    printf '\000\000\000\000'
} >"$x86_elf"
run x86_elf --board "$board" --kernel "$x86_elf"
expect x86_elf 2 err "$x86_elf" "machine"

run bad_app --board "$board" --kernel "$img_dir/exit7.elf" "$x86_elf"
expect bad_app 2 err "$x86_elf" "TBF"

# ---- how runs end --------------------------------------------------------------

if have loop time_limit; then
    run time_limit --board "$board" --kernel "$img_dir/loop.elf" --time-limit 250ms
    if expect time_limit 0 err "time limit reached at 0.250000 s virtual"; then
        lines=$(wc -l <"$tmp/time_limit.err")
        if [ "$lines" -eq 1 ]; then
            pass "time limit: one-line summary"
        else
            fail "time limit: one-line summary" "stderr has $lines lines:"
            show "$tmp/time_limit.err"
        fi
    fi
    run time_limit_pages --board "$board" --kernel "$img_dir/loop.elf" --time-limit 5ms --mpu=pages
    expect time_limit_pages 0 err "time limit reached at 0.005000 s virtual"
fi

if have exit7 guest_exit_status; then
    run guest_exit_status --board "$board" --kernel "$img_dir/exit7.elf"
    expect guest_exit_status 7 out "exit7: leaving with status 7"

    run stats --board "$board" --kernel "$img_dir/exit7.elf" --stats
    expect stats 7 err "hailsim-stats: exit=7 instructions=" "cycles=" "virtual_ns=" "mips="
fi

if have lockup lockup; then
    run lockup --board "$board" --kernel "$img_dir/lockup.elf" --time-limit 1s
    expect lockup 3 err "lockup" "pc" "r0" "xpsr" "cfsr" "hfsr"
fi

if have sleep sleep_forever; then
    run sleep_forever --board "$board" --kernel "$img_dir/sleep.elf"
    expect sleep_forever 3 err "sleeps (WFI)" "no interrupt pending" "no timer armed" "pc"
    # with a time limit, sleeping until it is fine
    run sleep_until_limit --board "$board" --kernel "$img_dir/sleep.elf" --time-limit 2s
    expect sleep_until_limit 0 err "time limit reached at 2.000000 s virtual"
fi

# ---- trace and determinism --------------------------------------------------------

if have ticks trace; then
    run trace1 --board "$board" --kernel "$img_dir/ticks.elf" --trace "$tmp/t1.jsonl" --trace-exceptions
    if expect trace1 0 out "ticks: 8 ticks, 1 pendsv"; then
        n=$(wc -l <"$tmp/t1.jsonl")
        bad=$(grep -cvE '^\{"t_ns":[0-9]+,"ev":"[a-z_]+"[,}]' "$tmp/t1.jsonl")
        if [ "$n" -lt 10 ]; then
            fail "trace: JSON Lines with t_ns and ev" "only $n lines"
        elif [ "$bad" -ne 0 ]; then
            fail "trace: JSON Lines with t_ns and ev" "$bad lines without leading t_ns and ev:"
            grep -vE '^\{"t_ns":[0-9]+,"ev":"[a-z_]+"[,}]' "$tmp/t1.jsonl" | head -n 3 | sed 's/^/       | /'
        elif command -v python3 >/dev/null 2>&1 &&
            ! python3 -c 'import json, sys
for line in sys.stdin:
    o = json.loads(line)
    assert isinstance(o["t_ns"], int) and isinstance(o["ev"], str)' <"$tmp/t1.jsonl" 2>"$tmp/json.err"; then
            fail "trace: JSON Lines with t_ns and ev" "not valid JSON:"
            show "$tmp/json.err"
        else
            pass "trace: JSON Lines with t_ns and ev ($n lines)"
        fi
        if grep -qF '"ev":"exception"' "$tmp/t1.jsonl" && grep -qF '"ev":"exit"' "$tmp/t1.jsonl"; then
            pass "trace: exception and exit events"
        else
            fail "trace: exception and exit events" "no exception or exit event in the trace"
        fi
        run trace2 --board "$board" --kernel "$img_dir/ticks.elf" --trace "$tmp/t2.jsonl" --trace-exceptions
        if [ "$rc" -eq 0 ] && cmp -s "$tmp/t1.jsonl" "$tmp/t2.jsonl"; then
            pass "trace: two runs are byte-identical"
        else
            fail "trace: two runs are byte-identical" "exit $rc; diff:"
            diff "$tmp/t1.jsonl" "$tmp/t2.jsonl" | head -n 5 | sed 's/^/       | /'
        fi
    fi
    run trace_stdout --board "$board" --kernel "$img_dir/ticks.elf" --trace -
    expect trace_stdout 0 out '{"t_ns":' '"ev":"exit"'
fi

if have sleep trace_halt; then
    run trace_halt --board "$board" --kernel "$img_dir/sleep.elf" --trace "$tmp/halt.jsonl"
    if [ "$rc" -eq 3 ] && grep -qF '"ev":"halt"' "$tmp/halt.jsonl"; then
        pass trace_halt
    else
        fail trace_halt "exit $rc; no halt event in the trace"
    fi
fi

# proc events: the kernel's process state changes, from its awareness table
if [ -f "$build_dir/hail/kernel.elf" ] && [ -f "$build_dir/apps/hello.tbf" ]; then
    run proc_events --board "$board" --kernel "$build_dir/hail/kernel.elf" --view=plain --time-limit 1s \
        --trace "$tmp/proc.jsonl" "$build_dir/apps/hello.tbf"
    want='"ev":"proc","name":"hello","pid":0,"state":"terminated"'
    if [ "$rc" -eq 0 ] && grep -qF '"ev":"proc","name":"hello","pid":0,"state":"running"' "$tmp/proc.jsonl" &&
        grep -qF "$want" "$tmp/proc.jsonl"; then
        pass "proc events: hello runs, then terminates"
    else
        fail "proc events: hello runs, then terminates" "exit $rc; $(grep -c '"proc"' "$tmp/proc.jsonl" 2>/dev/null) proc events"
    fi
fi

tl_finish
