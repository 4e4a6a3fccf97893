#!/usr/bin/env bash
# run_all.sh BUILD_DIR — runs every test suite of `make test` and ends with
# one summary line "N passed, M failed".  Suites:
#   unit         host unit tests (Check), BUILD_DIR/unit_tests
#   conformance  bare-metal images on hailsim and QEMU (tests/run_conformance.sh)
#   cli, sam4l, hail, hostile, mutants, scenarios, fuzz_kernel, snapshot, ui, gdb, valgrind,
#                unicorn_system
#                end-to-end suites (tests/NAME/run.sh)
# Each suite prints its own "<suite>: N passed, M failed" line.
set -u
build=${1:?usage: run_all.sh BUILD_DIR}
cd "$(dirname "$0")/.." || exit 2

total_pass=0
total_fail=0
failed_suites=()

# add_counts SUITE LOGFILE STATUS: reads "N passed, M failed" from the log
add_counts() {
    local suite=$1 log=$2 status=$3 line p f
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        p=0
        f=1
    else
        p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
        f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
    fi
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    [ "$f" -eq 0 ] || failed_suites+=("$suite")
}

run_unit() {
    run_check "$build/unit_tests" "$1" unit
}

# run_check BINARY LOG NAME: a Check runner, summarised as "NAME: N passed, M failed"
run_check() {
    local bin=$1 log=$2 name=$3 status
    CK_FORK=yes "$bin" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    # Check prints "NN%: Checks: X, Failures: F, Errors: E"
    local line x f e
    line=$(grep -E 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n 1)
    x=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
    e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
    echo "$name: $((x - f - e)) passed, $((f + e)) failed" | tee -a "$log"
    return "$status"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== unit tests"
run_unit "$tmp/unit.log"
add_counts unit "$tmp/unit.log" $?

if [ -x "$build/kernel_tests" ]; then
    echo "== kernel unit tests (host-compiled)"
    run_check "$build/kernel_tests" "$tmp/kernel.log" kernel
    add_counts kernel "$tmp/kernel.log" $?
fi

echo "== conformance (hailsim against QEMU)"
bash tests/run_conformance.sh "$build" 2>&1 | tee "$tmp/conf.log"
add_counts conformance "$tmp/conf.log" "${PIPESTATUS[0]}"

# end-to-end suites: tests/NAME/run.sh BUILD_DIR, each ending "NAME: N passed, M failed"
for suite in cli sam4l hail hostile mutants scenarios fuzz_kernel snapshot ui gdb valgrind unicorn_system; do
    [ -f "tests/$suite/run.sh" ] || continue
    echo "== $suite (end to end)"
    bash "tests/$suite/run.sh" "$build" 2>&1 | tee "$tmp/$suite.log"
    add_counts "$suite" "$tmp/$suite.log" "${PIPESTATUS[0]}"
done


echo "== fuzz-regress (inputs that once crashed the parsers, replayed without libFuzzer)"
bash tests/fuzz/run_regress.sh "$build" 2>&1 | tee "$tmp/fuzzreg.log"
add_counts fuzz-regress "$tmp/fuzzreg.log" "${PIPESTATUS[0]}"

echo
if [ ${#failed_suites[@]} -gt 0 ]; then
    echo "failing suites: ${failed_suites[*]}"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
