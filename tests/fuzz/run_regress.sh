#!/usr/bin/env bash
# run_regress.sh BUILD_DIR — replays, without libFuzzer, every input of
# tests/fuzz/regress/TARGET/ (crashes found by `make fuzz`, kept as
# regression tests) and of the seed corpora tests/fuzz/corpus/TARGET/
# through the same LLVMFuzzerTestOneInput, built with gcc against the
# normal objects (BUILD_DIR/fuzz-regress/TARGET, tests/fuzz/regress_main.c;
# under `make test-asan` with its sanitizers).  One process per input, so a
# crash counts as one failure.  Builds the replay binaries first
# (make fuzz-regress-build).  Ends with "fuzz-regress: N passed, M failed".
set -u
build=${1:?usage: run_regress.sh BUILD_DIR}
cd "$(dirname "$0")/../.." || exit 2
targets="tbf tbf_inspect elf board gdb"
[ -f sim/scenario.c ] && targets="$targets scenario"
passed=0
failed=0
# a sanitizer build (make test-asan) must stop on the first UBSan report too
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
if ! make --no-print-directory -s BUILD="$build" fuzz-regress-build >/tmp/fuzz-regress-build.$$ 2>&1; then
    echo "FAIL build: make fuzz-regress-build"
    tail -n 5 /tmp/fuzz-regress-build.$$ | sed 's/^/       /'
    rm -f /tmp/fuzz-regress-build.$$
    echo "fuzz-regress: 0 passed, 1 failed"
    exit 1
fi
rm -f /tmp/fuzz-regress-build.$$
for t in $targets; do
    bin="$build/fuzz-regress/$t"
    for f in tests/fuzz/regress/"$t"/* tests/fuzz/corpus/"$t"/*; do
        [ -f "$f" ] || continue
        if out=$(timeout 60 "$bin" "$f" 2>&1); then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $t: $f"
            printf '%s\n' "$out" | grep -m 3 -E 'ERROR|runtime error|Abort|SUMMARY|fuzz_' | sed 's/^/       /'
        fi
    done
    echo "==   $t: replayed $(ls tests/fuzz/regress/"$t" 2>/dev/null | wc -l) regression and $(ls tests/fuzz/corpus/"$t" 2>/dev/null | wc -l) seed inputs"
done
echo "fuzz-regress: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
