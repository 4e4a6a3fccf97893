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
#   console       the console driver, UART mux and process console with libtock
#                 apps (see the block "console capsules" below)
#   apps          the capsules with the libtock apps of build/apps (see the block
#                 "capsules and libtock apps" below: blink, led_blink, buttons,
#                 multi_*, cpu_bench beside blink, rng)
#
# The apps are TEST-ONLY raw programs (tests/hail/apps/*.S, no libtock) put
# into TBF objects by tests/hail/mktbf.c (a minimal stand-in for elf2tbf),
# built here into BUILD_DIR/hail-tests/.  Ends with "hail: N passed, M failed";
# the exit status is non-zero if any case failed.
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init hail "$@"

kernel="$build_dir/hail/kernel.elf"
out="$build_dir/hail-tests"

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
    tl_finish
fi
if ! build_apps >"$tmp/build.log" 2>&1; then
    fail build-apps "$(tail -n 5 "$tmp/build.log")"
    tl_finish
fi

# ---- helpers ----------------------------------------------------------------------

# sim NAME LIMIT [APPS...]: one headless run; trace in $tmp/NAME.trace,
# stdout/stderr in $tmp/NAME.out/.err, exit status in $tmp/NAME.rc
sim() {
    local name=$1 limit=$2
    shift 2
    tl_run 120 "$name" --board boards/hail.yaml --kernel "$kernel" --headless --stats \
        --time-limit "$limit" --trace "$tmp/$name.trace" "$@"
    echo "$rc" >"$tmp/$name.rc"
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
# 1 KiB minimum RAM + the grant pointer table (one entry per registered grant) -> a 2 KiB block
expect_line "load: one line per loaded process" exit \
    "Hail: process 0 'nodevice_exit' flash 0x00030000+0x200 ram 0x20003000+0x800"
expect_line "syscall: Failure(NODEVICE) seen, exit code 42 reported" exit \
    "Hail: process 'nodevice_exit' exited with completion code 42"

# ---- --mpu=pages: an MPU window that ends inside a page ---------------------------------
# nodevice_exit's 2 KiB block has 128-byte subregions, so its window ends inside one of
# the engine's 512-byte pages; the page-protection fallback rounds such a page (it used
# to stop the run: uc_mem_protect rejects a part of a page) and behaves as QEMU's MPU here.

sim exit_pages 200ms --mpu=pages "$out/nodevice_exit.tbf"
if [ "$(rc_of exit_pages)" = 0 ] && cmp -s "$tmp/exit.trace" "$tmp/exit_pages.trace"; then
    pass "mpu=pages: a window ending inside a page runs; the same trace as --mpu=qemu"
else
    fail "mpu=pages: sub-page window" "exit $(rc_of exit_pages)" "$(head -n 3 "$tmp/exit_pages.err")" \
        "$(diff "$tmp/exit.trace" "$tmp/exit_pages.trace" | head -n 6)"
fi

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

# ---- --registers=api: the fallback register path gives the same runs ---------------------
# (system calls, timeslice preemption, an exit; faults, restarts and a panic)

sim spin_api 300ms --registers=api "$out/spin.tbf" "$out/nodevice_exit.tbf"
sim fault_api 700ms --registers=api "$out/fault.tbf"
for r in spin fault; do
    if [ "$(rc_of ${r}_api)" = "$(rc_of $r)" ] && cmp -s "$tmp/$r.trace" "$tmp/${r}_api.trace" &&
        grep -q 'registers=api' "$tmp/${r}_api.err" && grep -q 'registers=live' "$tmp/$r.err"; then
        pass "registers=api: '$r' gives the live-state run's trace, byte for byte ($(wc -l <"$tmp/$r.trace") lines)"
    else
        fail "registers=api: $r" "exit $(rc_of ${r}_api) / $(rc_of $r)" "$(grep -o 'registers=[a-z]*' "$tmp/${r}_api.err" "$tmp/$r.err")" \
            "$(diff "$tmp/$r.trace" "$tmp/${r}_api.trace" | head -n 6)"
    fi
done

# ==== capsules and libtock apps (alarm, LED, button, GPIO, RNG drivers) ====================
# Real apps from build/apps (make userspace); timing is read from the trace:
#   blink         GPIO pin 0 (PB14) toggles every 500 ms +- 0.1 % for 10 s
#   led_blink     counts in binary: red/green/blue change every 250/500/1000 ms +- 0.1 %
#   buttons       each press of the user button toggles the red LED within 2 ms; releases don't
#   multi         multi_red/green/blue together keep 250/500/1000 ms (+- 0.2 %: the three
#                 processes wake together and each delay_ms counts from after its wake-up)
#   cpu_bench     beside blink: blink toggles while the benchmark still runs (round robin
#                 timeslices) with its period intact; the benchmark exits with 0
#   rng           apps/rng gets random bytes (two 32-byte draws differ, a short buffer
#                 is filled and reported as 16) and exits with 0
apps_dir="$build_dir/apps"

# times_us RUN PATTERN: t (in us, integer) of every trace event matching PATTERN
times_us() {
    grep -F -- "$2" "$tmp/$1.trace" | sed -E 's/^\{"t_ns":([0-9]+),.*/\1/' | awk '{ printf "%d\n", $1 / 1000 }'
}

# check_period CASE RUN PATTERN PERIOD_MS TOL_PPM MIN_INTERVALS [SKIP_EVENTS]:
# every interval between consecutive PATTERN events is PERIOD_MS within TOL_PPM
check_period() {
    local name=$1 run=$2 pat=$3 period=$4 tol=$5 min=$6 skip=${7:-0} res
    res=$(times_us "$run" "$pat" | tail -n +$((skip + 1)) | awk -v p="$period" -v tol="$tol" '
        NR > 1 { d = $1 - prev; n++; sum += d; dev = d - p * 1000; if (dev < 0) dev = -dev
                 if (dev * 1000000 > tol * p * 1000) bad++; if (d > max) max = d; if (!min || d < min) min = d }
        { prev = $1 }
        END { printf "%d %d %.3f %.3f %.3f\n", n, bad, n ? sum / n / 1000 : 0, min / 1000, max / 1000 }')
    # shellcheck disable=SC2086  # split into words on purpose
    set -- $res
    if [ "$1" -ge "$min" ] && [ "$2" = 0 ]; then
        pass "$name ($1 intervals, mean $3 ms, min $4, max $5)"
    else
        fail "$name" "intervals $1 (need $min), out of tolerance $2; mean $3 ms, min $4, max $5"
    fi
}

if [ ! -f "$apps_dir/blink.tbf" ] || [ ! -f "$apps_dir/rng.tbf" ]; then
    fail "apps: setup" "missing $apps_dir/*.tbf (make userspace)"
else
    sim blink 10100ms "$apps_dir/blink.tbf"
    check_period "blink: PB14 toggles every 500 ms +- 0.1 %" blink '"ev":"pin","port":"B","pin":14,' 500 1000 19 1

    sim led_blink 3100ms "$apps_dir/led_blink.tbf"
    check_period "led_blink: red every 250 ms" led_blink '"ev":"led","name":"red"' 250 1000 11
    check_period "led_blink: green every 500 ms" led_blink '"ev":"led","name":"green"' 500 1000 5
    check_period "led_blink: blue every 1000 ms" led_blink '"ev":"led","name":"blue"' 1000 1000 2

    sim buttons 5s --press user@1s:200ms --press user@2500ms:300ms --press user@4s:100ms "$apps_dir/buttons.tbf"
    reds=$(times_us buttons '"ev":"led","name":"red"' | tr '\n' ' ')
    states=$(grep -F '"ev":"led","name":"red"' "$tmp/buttons.trace" | grep -oE '"on":(true|false)' | tr '\n' ' ')
    # shellcheck disable=SC2086  # split into words on purpose
    set -- $reds
    if [ $# = 3 ] && [ "$1" -ge 1000000 ] && [ "$1" -le 1002000 ] && [ "$2" -ge 2500000 ] && [ "$2" -le 2502000 ] &&
        [ "$3" -ge 4000000 ] && [ "$3" -le 4002000 ] && [ "$states" = '"on":true "on":false "on":true ' ]; then
        pass "buttons: 3 presses toggle the red LED (at $reds us), releases do not"
    else
        fail "buttons: LED toggles" "red LED events at: $reds($states)"
    fi

    sim multi 10100ms "$apps_dir/multi_red.tbf" "$apps_dir/multi_green.tbf" "$apps_dir/multi_blue.tbf"
    check_period "multi: red every 250 ms beside green and blue" multi '"ev":"led","name":"red"' 250 2000 39
    check_period "multi: green every 500 ms beside red and blue" multi '"ev":"led","name":"green"' 500 2000 19
    check_period "multi: blue every 1000 ms beside red and green" multi '"ev":"led","name":"blue"' 1000 2000 9

    sim bench 5100ms "$apps_dir/cpu_bench.tbf" "$apps_dir/blink.tbf"
    exit_us=$(times_us bench "exited with completion code" | head -n 1)
    first_us=$(times_us bench '"ev":"pin","port":"B","pin":14,' | sed -n 2p)
    if console bench | grep -qxF "Hail: process 'cpu_bench' exited with completion code 0" &&
        [ -n "$first_us" ] && [ -n "$exit_us" ] && [ "$first_us" -lt "$exit_us" ]; then
        pass "cpu_bench: blink runs while the benchmark computes (toggle at $first_us us, bench done at $exit_us us)"
    else
        fail "cpu_bench: timeslicing" "first blink toggle '${first_us:-none}' us, bench exit '${exit_us:-none}' us" \
            "$(console bench | tail -n 3)"
    fi
    check_period "cpu_bench: blink keeps 500 ms +- 0.1 % beside it" bench '"ev":"pin","port":"B","pin":14,' 500 1000 9 1

    sim rng 1s "$apps_dir/rng.tbf"
    expect_line "rng: random bytes delivered, app exits with 0" rng "Hail: process 'rng' exited with completion code 0"

    # capacity: 8 copies of blink (package names blink1..blink8; 8 KiB RAM block each) in
    # the 52 KiB of app RAM: the first 6 load, the other 2 are reported and the kernel runs on
    cap_tbfs=()
    for i in 1 2 3 4 5 6 7 8; do
        "$build_dir/elf2tbf" -n "blink$i" -o "$out/blink$i.tbf" "$apps_dir/blink.elf" >/dev/null &&
            cap_tbfs+=("$out/blink$i.tbf")
    done
    sim capacity 1100ms "${cap_tbfs[@]}"
    loaded=$(console capacity | grep -cE "^Hail: process [0-9]+ 'blink[1-8]' flash ")
    skipped=$(console capacity | grep -cE "^Hail: skipped object at 0x[0-9a-f]+ \(blink[78]\): does not fit$")
    toggles=$(grep -cF '"ev":"pin","port":"B","pin":14,' "$tmp/capacity.trace")
    if [ "$(rc_of capacity)" = 0 ] && [ "$loaded" = 6 ] && [ "$skipped" = 2 ] &&
        console capacity | grep -q "entering the main loop" && ! console capacity | grep -v "fault policy" | grep -qiE "panic|fault"; then
        pass "capacity: 6 blink-sized apps load at once, 2 more are reported as not fitting (pin events: $toggles)"
    else
        fail "capacity: 8 blinks" "rc $(rc_of capacity), loaded $loaded, skipped $skipped" "$(console capacity | head -n 12)"
    fi
fi
# ==== end of the capsules block =============================================================

# ==== console capsules: console driver, UART mux, process console =============================
# Apps from build/apps (make userspace): hello, console_big, console_chat_a/b, console_read,
# console_ticker; the process console gets its input from --uart-input.
#   console/hello     hello's text, exactly, between the boot lines and its exit line
#   console/1KiB      one printf of 1024 bytes and one console write of 1024 bytes (chunked
#                     through the kernel's 64-byte buffer) arrive whole; write-done = (1024, 0, 0)
#   console/two       two processes printing at once: all 60 lines arrive whole
#   console/debug     kernel debug lines (exit reports) interleave with app text only at line ends
#   console/read      blocking read, async read + abort (CANCEL, bytes so far), INVAL above 64
#   pconsole          list (exact header, rows and states), stop/start (no ticks while stopped),
#                     fault (restart policy: restart count 1, new PID), status
con_apps="$build_dir/apps"

# app_lines RUN: the console lines that are not the kernel's ("Hail: ...")
app_lines() { console "$1" | grep -v '^Hail: '; }
# pconsole RUN: console lines with the process console's \r removed
pconsole() { console "$1" | sed -E 's/\\u000d$//'; }

# con_expect CASE RUN EXPECTED: the console of RUN has exactly these (newline-separated) lines, in order
con_expect_seq() {
    local got
    got=$(console "$2" | grep -xF -f <(printf '%s\n' "$3"))
    if [ "$got" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "expected, in order:" "$3" "got:" "$(console "$2" | head -n 12)"
    fi
}

if [ ! -f "$con_apps/console_big.tbf" ] || [ ! -f "$con_apps/console_ticker.tbf" ] || [ ! -f "$con_apps/hello.tbf" ]; then
    fail "console: setup" "missing $con_apps/console_*.tbf or hello.tbf (make userspace)"
else
    sim con_hello 300ms "$con_apps/hello.tbf"
    con_expect_seq "console/hello: its text exactly, after the boot lines, before its exit" con_hello \
"Hail: round_robin scheduler, fault policy restart_then_panic, entering the main loop
Hello, World!
Hail: process 'hello' exited with completion code 0"
    if [ "$(app_lines con_hello)" = "Hello, World!" ]; then
        pass "console/hello: nothing else from the app"
    else
        fail "console/hello: app output" "$(app_lines con_hello | head -n 5)"
    fi

    sim con_big 1s "$con_apps/console_big.tbf"
    big=$(for l in $(seq 0 15); do
        printf 'big %02d ' "$l"
        # shellcheck disable=SC2059  # the format is an octal escape on purpose
        for i in $(seq 0 55); do printf "\\$(printf '%03o' $((97 + (l + i) % 26)))"; done
        echo
    done)
    if [ "$(app_lines con_big)" = "$big
big done
$big
big written 1024 0 0" ]; then
        pass "console/1KiB: a 1 KiB printf and a 1 KiB write arrive whole; write-done (1024, 0, 0)"
    else
        fail "console/1KiB" "app output was:" "$(app_lines con_big | head -n 40)"
    fi

    sim con_two 2s "$con_apps/console_chat_a.tbf" "$con_apps/console_chat_b.tbf" "$out/nodevice_exit.tbf" \
        "$con_apps/hello.tbf"
    na=$(console con_two | grep -cE '^chat A [0-9]{2} the quick brown fox jumps over the lazy dog$')
    nb=$(console con_two | grep -cE '^chat B [0-9]{2} the quick brown fox jumps over the lazy dog$')
    seq_a=$(console con_two | grep -oE '^chat A [0-9]{2}' | tr '\n' ' ')
    want_a=$(for i in $(seq 0 29); do printf 'chat A %02d ' "$i"; done)
    if [ "$na" = 30 ] && [ "$nb" = 30 ] && [ "$seq_a" = "$want_a" ]; then
        pass "console/two: two processes printing at once, 30 whole lines each, in order"
    else
        fail "console/two" "A $na, B $nb whole lines" "$(console con_two | head -n 12)"
    fi
    stray=$(console con_two | grep -vE '^(chat [AB] [0-9]{2} the quick brown fox jumps over the lazy dog|Hello, World!|Hail: .*)$')
    if [ -z "$stray" ] && console con_two | grep -qxF "Hail: process 'nodevice_exit' exited with completion code 42" &&
        console con_two | grep -qxF "Hail: process 'console_chat_b' exited with completion code 0"; then
        pass "console/debug: kernel lines and app lines interleave only at line ends"
    else
        fail "console/debug" "stray or broken lines:" "$stray"
    fi

    sim con_read 1500ms "$con_apps/console_read.tbf" --uart-input 'hello@100ms' --uart-input 'abc@300ms'
    con_expect_seq "console/read: blocking read, aborted async read, INVAL above 64 bytes" con_read \
"read rc 0 n 5: hello
async read started rc 0
abort rc 0: status 8 n 3: abc
read of 70: variant 0 error 6"

    sim pcon 1500ms "$con_apps/console_ticker.tbf" "$con_apps/hello.tbf" \
        --uart-input 'list\n@300ms' --uart-input 'stop console_ticker\n@420ms' --uart-input 'list\n@500ms' \
        --uart-input 'start console_ticker\n@750ms' --uart-input 'list\n@850ms' \
        --uart-input 'fault console_ticker\n@1s' --uart-input 'list\n@1200ms' --uart-input 'status\n@1300ms'
    header=" PID    ShortID    Name                Quanta  Syscalls  Restarts  Grants  State"
    rows() { pconsole pcon | grep -E "^ [0-9]+ +Unique     $1 +[0-9]+ +[0-9]+ +[0-9]+   ?[0-9]+/ ?[0-9]+   " |
        sed -E 's/^ ([0-9]+) +Unique +[a-z_]+ +([0-9]+) +([0-9]+) +([0-9]+) +([ 0-9]+\/ ?[0-9]+)   (.*)$/\1 \4 \6/'; }
    ticker=$(rows console_ticker | tr '\n' ';')
    hello_rows=$(rows hello | tr '\n' ';')
    if [ "$(pconsole pcon | grep -cxF "$header")" = 4 ] && [ "$(pconsole pcon | grep -cE '^(tock\$ )?list$')" = 4 ] &&
        pconsole pcon | grep -qxF 'tock$ list'; then
        pass "pconsole: 'list' prints Tock's header (4 lists), prompt and echo"
    else
        fail "pconsole: list header" "$(pconsole pcon | grep -v '^tick' | head -n 8)"
    fi
    if [ "$ticker" = "0 0 Yielded;0 0 Stopped(Yielded);0 0 Yielded;2 1 Yielded;" ] &&
        [ "$hello_rows" = "1 0 Terminated;1 0 Terminated;1 0 Terminated;1 0 Terminated;" ]; then
        pass "pconsole: list rows: PID, restarts and states (Yielded, Stopped(Yielded), Terminated)"
    else
        fail "pconsole: list rows" "ticker (pid restarts state): $ticker" "hello: $hello_rows"
    fi
    if pconsole pcon | grep -qxF "Process console_ticker stopped" &&
        pconsole pcon | grep -qxF "Process console_ticker resumed."; then
        pass "pconsole: stop / start answer like Tock"
    else
        fail "pconsole: stop/start" "$(pconsole pcon | grep -v '^tick' | head -n 20)"
    fi
    stopped_ticks=$(grep '"ev":"uart"' "$tmp/pcon.trace" | sed -E 's/^\{"t_ns":([0-9]+),.*"text":"(.*)"}$/\1 \2/' |
        awk '$1 > 425000000 && $1 < 752000000 && / tick [0-9]/' | wc -l)
    ticks_after=$(grep '"ev":"uart"' "$tmp/pcon.trace" | sed -E 's/^\{"t_ns":([0-9]+),.*"text":"(.*)"}$/\1 \2/' |
        awk '$1 > 752000000 && $1 < 1000000000 && / tick [0-9]/' | wc -l)
    if [ "$stopped_ticks" = 0 ] && [ "$ticks_after" -ge 2 ]; then
        pass "pconsole: a stopped process prints nothing; it goes on after start ($ticks_after ticks)"
    else
        fail "pconsole: stopped" "ticks while stopped: $stopped_ticks, after start: $ticks_after"
    fi
    if pconsole pcon | grep -qxF "Process console_ticker now faulted" &&
        pconsole pcon | grep -qE "^(tock\\$ )?Hail: process 'console_ticker' restarted \(1\) after a fault at pc 0x[0-9a-f]{8}$"; then
        pass "pconsole: fault applies the fault policy (restart_then_panic: restarted)"
    else
        fail "pconsole: fault" "$(pconsole pcon | grep -v '^tick' | tail -n 12)"
    fi
    if [ "$(pconsole pcon | grep -E '^(Total|Active) processes|^Timeslice' | tr '\n' ';')" = \
        "Total processes: 2;Active processes: 1;Timeslice expirations: 0;" ]; then
        pass "pconsole: status"
    else
        fail "pconsole: status" "$(pconsole pcon | tail -n 6)"
    fi
    sim pcon_again 1500ms "$con_apps/console_ticker.tbf" "$con_apps/hello.tbf" \
        --uart-input 'list\n@300ms' --uart-input 'stop console_ticker\n@420ms' --uart-input 'list\n@500ms' \
        --uart-input 'start console_ticker\n@750ms' --uart-input 'list\n@850ms' \
        --uart-input 'fault console_ticker\n@1s' --uart-input 'list\n@1200ms' --uart-input 'status\n@1300ms'
    if cmp -s "$tmp/pcon.trace" "$tmp/pcon_again.trace"; then
        pass "pconsole: identical traces for identical runs with input"
    else
        fail "pconsole: determinism" "$(diff "$tmp/pcon.trace" "$tmp/pcon_again.trace" | head -n 4)"
    fi
fi
# ==== end of the console block ==============================================================

# ---- determinism ------------------------------------------------------------------------

sim exit_again 200ms "$out/nodevice_exit.tbf"
if cmp -s "$tmp/exit.trace" "$tmp/exit_again.trace"; then
    pass "determinism: identical traces for identical runs"
else
    fail "determinism" "$(diff "$tmp/exit.trace" "$tmp/exit_again.trace" | head -n 4)"
fi

tl_finish
