#!/usr/bin/env bash
# run.sh BUILD_DIR — end-to-end tests of the Hail kernel on hailsim: runs
# BUILD_DIR/hailsim headless with BUILD_DIR/hail/kernel.elf, --time-limit and
# --trace, and checks the JSON Lines trace (console lines are "uart" events,
# LEDs "led" events) and the exit status:
#   boot          the banner and the main-loop line, exactly, in order
#   idle          no apps: the kernel sleeps (WFI) and virtual time reaches the
#                 limit with few instructions executed
#   syscall/exit  a raw app: command on a missing driver gets Failure(NODEVICE),
#                 then exit with completion code 42, reported by the kernel
#   timeslice     a spinning app does not keep another app from finishing
#   fault         a faulting app is restarted 5 times (restart_then_panic, 4),
#                 then the kernel panics with a crash report and blinks red
#   determinism   two runs give byte-identical traces
#
# The apps are TEST-ONLY raw programs (tests/hail/apps/*.S, no libtock) put
# into TBF objects by tests/hail/mktbf.c (a minimal stand-in for elf2tbf),
# built here into BUILD_DIR/hail-tests/.  Ends with "hail: N passed, M failed";
# the exit status is non-zero if any case failed.
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
if ! build_dir=$(cd "$1" 2>/dev/null && pwd); then
    echo "hail: no such build directory: $1" >&2
    echo "hail: 0 passed, 1 failed"
    exit 1
fi
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo_root" || exit 2

hailsim="$build_dir/hailsim"
kernel="$build_dir/hail/kernel.elf"
out="$build_dir/hail-tests"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

pass() {
    echo "ok   $1"
    passed=$((passed + 1))
}

# fail NAME [DETAIL...]
fail() {
    local name=$1 line
    shift
    echo "FAIL $name"
    for line in "$@"; do
        echo "       $line"
    done
    failed=$((failed + 1))
}

finish() {
    echo "hail: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# ---- build the test apps ----------------------------------------------------------

build_apps() {
    local app
    mkdir -p "$out" || return 1
    "${HOST_CC:-gcc}" -O2 -Wall -Wextra -Werror -o "$out/mktbf" tests/hail/mktbf.c || return 1
    for app in tests/hail/apps/*.S; do
        app=$(basename "$app" .S)
        arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -nostdlib -nostartfiles -Wl,-e,_start \
            -Wl,-Ttext=0 -o "$out/$app.elf" "tests/hail/apps/$app.S" || return 1
        arm-none-eabi-objcopy -O binary "$out/$app.elf" "$out/$app.bin" || return 1
        "$out/mktbf" "$app" "$out/$app.bin" "$out/$app.tbf" || return 1
    done
}

if [ ! -x "$hailsim" ] || [ ! -f "$kernel" ]; then
    fail setup "missing $hailsim or $kernel (make build/hailsim build/hail/kernel.elf)"
    finish
fi
if ! build_apps >"$tmp/build.log" 2>&1; then
    fail build-apps "$(tail -n 5 "$tmp/build.log")"
    finish
fi

# ---- helpers ----------------------------------------------------------------------

# sim NAME LIMIT [APPS...]: one headless run; trace in $tmp/NAME.trace,
# stdout/stderr in $tmp/NAME.out/.err, exit status in $tmp/NAME.rc
sim() {
    local name=$1 limit=$2
    shift 2
    timeout 120 "$hailsim" --board boards/hail.yaml --kernel "$kernel" --headless --stats \
        --time-limit "$limit" --trace "$tmp/$name.trace" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
}

# console NAME: the console lines of a run, one per line, without the newline
console() {
    grep '"ev":"uart"' "$tmp/$1.trace" | sed -E 's/.*"text":"(.*)"}$/\1/; s/\\n$//'
}

rc_of() { cat "$tmp/$1.rc"; }

# expect_line CASE RUN TEXT: the console of RUN has exactly the line TEXT
expect_line() {
    if console "$2" | grep -qxF -- "$3"; then
        pass "$1"
    else
        fail "$1" "no console line '$3'; console was:" "$(console "$2" | head -n 12)"
    fi
}

# ---- boot and idle ----------------------------------------------------------------

sim idle 2s
boot_expected="Hail: hailsim kernel booting
Hail: round_robin scheduler, fault policy restart_then_panic, entering the main loop"
if [ "$(console idle)" = "$boot_expected" ]; then
    pass "boot: banner and main-loop line, exactly"
else
    fail "boot: banner" "expected:" "$boot_expected" "got:" "$(console idle)"
fi
if [ "$(rc_of idle)" = 0 ] && grep -q 'time limit reached at 2.000000 s' "$tmp/idle.err"; then
    pass "idle: virtual time reaches the 2 s limit (exit 0)"
else
    fail "idle: time limit" "exit $(rc_of idle)" "$(tail -n 3 "$tmp/idle.err")"
fi
insns=$(grep -oE 'instructions[=: ]+[0-9]+|[0-9]+ instructions' "$tmp/idle.err" | grep -oE '[0-9]+' | head -n 1)
if [ -n "$insns" ] && [ "$insns" -lt 2000000 ]; then
    pass "idle: the kernel sleeps in WFI ($insns instructions in 2 s)"
else
    fail "idle: sleeping" "instructions: '${insns:-?}' (a busy loop would run ~96 000 000)"
fi
if grep -q '"ev":"halt"\|"ev":"fault"' "$tmp/idle.trace"; then
    fail "idle: no fault or halt" "$(grep '"ev":"halt"\|"ev":"fault"' "$tmp/idle.trace" | head -n 3)"
else
    pass "idle: no fault or halt in the trace"
fi
if grep -q '"ev":"led","name":"[a-z]*","on":true' "$tmp/idle.trace"; then
    fail "idle: LEDs stay off" "$(grep '"ev":"led"' "$tmp/idle.trace" | head -n 3)"
else
    pass "idle: LEDs stay off"
fi

# ---- a raw app: command on a missing driver, exit ------------------------------------

sim exit 200ms "$out/nodevice_exit.tbf"
expect_line "load: one line per loaded process" exit \
    "Hail: process 0 'nodevice_exit' flash 0x00030000+0x200 ram 0x20008000+0x400"
expect_line "syscall: Failure(NODEVICE) seen, exit code 42 reported" exit \
    "Hail: process 'nodevice_exit' exited with completion code 42"

# ---- round robin: a spinning app is preempted -------------------------------------------

sim spin 300ms "$out/spin.tbf" "$out/nodevice_exit.tbf"
expect_line "timeslice: the app after a spinning one still runs and exits" spin \
    "Hail: process 'nodevice_exit' exited with completion code 42"
if [ "$(rc_of spin)" = 0 ] && ! grep -q '"ev":"halt"' "$tmp/spin.trace"; then
    pass "timeslice: the run reaches its time limit"
else
    fail "timeslice: time limit" "exit $(rc_of spin)" "$(tail -n 3 "$tmp/spin.err")"
fi

# ---- faults: restart up to 4 times, then panic ----------------------------------------

sim fault 700ms "$out/fault.tbf"
restarts=$(console fault | grep -c "^Hail: process 'fault' restarted ([0-9]) after a fault")
if [ "$restarts" = 5 ]; then
    pass "fault: restarted 5 times (restart_then_panic, threshold 4)"
else
    fail "fault: restarts" "expected 5 restart lines, got $restarts" "$(console fault | head -n 14)"
fi
expect_line "fault: kernel panic line" fault "Kernel panic: process faulted (fault policy: panic)"
if console fault | grep -q '^    CFSR 0x00000082 HFSR 0x00000000 MMFAR 0x00000000 BFAR 0x00000000$' &&
    console fault | grep -q "^Process 0 'fault': "; then
    pass "fault: crash report with the process and CFSR (MMARVALID|DACCVIOL)"
else
    fail "fault: crash report" "$(console fault | tail -n 10)"
fi
blinks=$(grep -c '"ev":"led","name":"red"' "$tmp/fault.trace")
if [ "$blinks" -ge 2 ]; then
    pass "fault: the red LED blinks after the panic ($blinks changes)"
else
    fail "fault: blinking" "red LED changes: $blinks"
fi

# ---- determinism ------------------------------------------------------------------------

sim exit_again 200ms "$out/nodevice_exit.tbf"
if cmp -s "$tmp/exit.trace" "$tmp/exit_again.trace"; then
    pass "determinism: identical traces for identical runs"
else
    fail "determinism" "$(diff "$tmp/exit.trace" "$tmp/exit_again.trace" | head -n 4)"
fi

finish
