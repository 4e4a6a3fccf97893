#!/usr/bin/env bash
# run_fuzz.sh BUILD_DIR TARGET... — `make fuzz`: runs each libFuzzer target
# BUILD_DIR/fuzz/fuzz_TARGET for FUZZ_SECONDS (default 60) on its seed corpus
# tests/fuzz/corpus/TARGET (read only) plus a working corpus in
# BUILD_DIR/fuzz/work/TARGET (new inputs go there), from the repository root.
# A crash (or timeout / out-of-memory) stops that target; its input is
# copied to tests/fuzz/regress/TARGET/ so that tests/fuzz/run_regress.sh
# replays it from then on (commit it with the fix).  Prints one line per
# target with its executions, and ends with "fuzz: N passed, M failed".
# FUZZ_JOBS=N runs N targets at a time (default 1).
set -u
build=${1:?usage: run_fuzz.sh BUILD_DIR TARGET...}
shift
cd "$(dirname "$0")/../.." || exit 2
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
passed=0
failed=0

run_one() {
    local t=$1 bin="$build/fuzz/fuzz_$1" work="$build/fuzz/work/$1" art="$build/fuzz/artifacts/$1/"
    local log="$build/fuzz/$1.log"
    mkdir -p "$work" "$art"
    if [ ! -x "$bin" ]; then
        echo "FAIL $t: $bin missing (make fuzz-build)" >"$build/fuzz/$t.result"
        return
    fi
    # -rss_limit_mb: the gdb target's Unicorn engine maps large buffers
    "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=6144 -print_final_stats=1 \
        -artifact_prefix="$art" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
    local rc=$? runs cov
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
    local crashes
    crashes=$(find "$art" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) 2>/dev/null)
    if [ "$rc" -eq 0 ] && [ -z "$crashes" ]; then
        echo "ok   $t: ${runs:-?} executions in ${secs} s, ${cov:-cov: ?}" >"$build/fuzz/$t.result"
    else
        mkdir -p "tests/fuzz/regress/$t"
        for c in $crashes; do cp "$c" "tests/fuzz/regress/$t/"; done
        {
            echo "FAIL $t: exit $rc after ${runs:-?} executions; inputs copied to tests/fuzz/regress/$t/:"
            for c in $crashes; do echo "       $(basename "$c")"; done
            grep -m 3 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/       /'
            echo "       log: $log"
        } >"$build/fuzz/$t.result"
    fi
}

running=0
for t in "$@"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n 2>/dev/null || wait
        running=$((running - 1))
    fi
done
wait
for t in "$@"; do
    cat "$build/fuzz/$t.result"
    if grep -q '^ok' "$build/fuzz/$t.result"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
