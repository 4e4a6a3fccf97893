#!/usr/bin/env bash
# run_conformance.sh BUILD_DIR — runs every BUILD_DIR/conformance/*.elf on
# hailsim and (unless its name starts with hail_) on QEMU (mps2-an386, the
# behavioural reference), requires "RESULT: PASS" and exit status 0 from
# each, and requires the two semihosting outputs to be byte-identical.
#
# Known gaps: an image named gap_* checks something hailsim does not
# implement yet.  It must pass on QEMU (the reference) and is expected to
# fail cleanly on hailsim ("RESULT: FAIL", printed as XFAIL and counted as
# passed); if it passes on hailsim that is an XPASS and counts as a failure,
# so that a fixed gap is taken off the list.  A timeout or an unexpected
# exception on hailsim is a real failure.  No output comparison for them.
#
# Environment:
#   CONFORMANCE_ENGINES  "hailsim qemu" (default), or just one of them
#   CONFORMANCE_FILTER   only run images whose name contains this string
#   QEMU                 the QEMU binary (default qemu-system-arm)
# See docs/conformance.md.
set -u

usage() {
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
}
[ $# -eq 1 ] || usage

build_arg=$1
if ! build_dir=$(cd "$build_arg" 2>/dev/null && pwd); then
    echo "run_conformance: no such build directory: $build_arg" >&2
    exit 2
fi
repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root" || exit 2

engines=${CONFORMANCE_ENGINES:-"hailsim qemu"}
filter=${CONFORMANCE_FILTER:-}
qemu_bin=${QEMU:-qemu-system-arm}
hailsim="$build_dir/hailsim"
board="boards/hail.yaml"

use_engine() {
    case " $engines " in
        *" $1 "*) return 0 ;;
        *) return 1 ;;
    esac
}

if use_engine qemu && ! command -v "$qemu_bin" >/dev/null 2>&1; then
    echo "run_conformance: $qemu_bin not found: the conformance images are checked against QEMU." >&2
    echo "run_conformance: install it with 'make deps' (Debian package qemu-system-arm)." >&2
    echo "conformance: 0 passed, 1 failed"
    exit 1
fi

shopt -s nullglob
elfs=("$build_dir"/conformance/*.elf)
if [ ${#elfs[@]} -eq 0 ]; then
    echo "run_conformance: no images in $build_dir/conformance (run make first)" >&2
    echo "conformance: 0 passed, 1 failed"
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

pass() {
    echo "PASS $1"
    passed=$((passed + 1))
}

fail() {
    echo "FAIL $1: $2"
    failed=$((failed + 1))
}

# check_gap NAME OUTFILE STATUS: the verdict for a gap_* image on hailsim,
# which is expected to fail with a RESULT: FAIL line
check_gap() {
    local name=$1 out=$2 status=$3
    if [ "$status" -eq 124 ]; then
        fail "$name (hailsim)" "timed out (a known gap must fail cleanly)"
    elif grep -qx 'RESULT: PASS' "$out" && [ "$status" -eq 0 ]; then
        echo "XPASS $name (hailsim): remove it from the gap list"
        failed=$((failed + 1))
    elif grep -q '^RESULT: FAIL' "$out" && [ "$status" -eq 1 ]; then
        echo "XFAIL $name (hailsim): known gap, see docs/conformance.md"
        passed=$((passed + 1))
    else
        local why
        why=$(grep -m1 -E '^(RESULT: |unexpected exception)' "$out")
        fail "$name (hailsim)" "not a clean failure: ${why:-no RESULT line} (exit status $status)"
        return 1
    fi
    return 0
}

# check NAME ENGINE OUTFILE STATUS: the verdict for one run
check() {
    local name=$1 engine=$2 out=$3 status=$4
    if [ "$status" -eq 124 ]; then
        fail "$name ($engine)" "timed out"
    elif ! grep -qx 'RESULT: PASS' "$out"; then
        local why
        why=$(grep -m1 -E '^(RESULT: |unexpected exception)' "$out")
        fail "$name ($engine)" "${why:-no RESULT line} (exit status $status)"
        grep -E '^not ok|^#   ' "$out" | head -n 20 | sed 's/^/    /'
    elif [ "$status" -ne 0 ]; then
        fail "$name ($engine)" "RESULT: PASS but exit status $status"
    else
        pass "$name ($engine)"
        return 0
    fi
    return 1
}

for elf in "${elfs[@]}"; do
    name=$(basename "$elf" .elf)
    case "$name" in
        *"$filter"*) ;;
        *) continue ;;
    esac
    hail_ok=0
    qemu_ok=0
    ran_hail=0
    ran_qemu=0

    if use_engine hailsim; then
        ran_hail=1
        if [ ! -x "$hailsim" ]; then
            fail "$name (hailsim)" "$hailsim not built"
        else
            # 0 at the time limit: only a RESULT: PASS line with status 0 passes
            timeout 60 "$hailsim" --headless --board "$board" --kernel "$elf" \
                --time-limit 10s >"$tmp/$name.hailsim" 2>"$tmp/$name.hailsim.err"
            status=$?
            if [[ $name == gap_* ]]; then
                check_gap "$name" "$tmp/$name.hailsim" "$status"
            else
                check "$name" hailsim "$tmp/$name.hailsim" "$status" && hail_ok=1
            fi || head -n 5 "$tmp/$name.hailsim.err" | sed 's/^/    stderr: /'
        fi
    fi

    case "$name" in
        hail_*) continue ;;
    esac

    if use_engine qemu; then
        ran_qemu=1
        # semihosting output goes to the chardev (stdout); QEMU's own
        # messages stay on stderr.  -icount: QEMU's timers (SysTick) follow
        # executed instructions instead of the host clock, so a loaded CI
        # machine cannot change the outcome.
        timeout 20 "$qemu_bin" -M mps2-an386 -cpu cortex-m4 -nographic -monitor none \
            -icount shift=0,align=off,sleep=off \
            -serial none -chardev stdio,id=semihost \
            -semihosting-config enable=on,target=native,chardev=semihost \
            -kernel "$elf" >"$tmp/$name.qemu" 2>"$tmp/$name.qemu.err" </dev/null
        status=$?
        if check "$name" qemu "$tmp/$name.qemu" "$status"; then
            qemu_ok=1
        else
            head -n 5 "$tmp/$name.qemu.err" | sed 's/^/    stderr: /'
        fi
    fi

    case "$name" in
        gap_*) continue ;;      # expected to differ: no output comparison
    esac

    if [ "$ran_hail" -eq 1 ] && [ "$ran_qemu" -eq 1 ] && [ -f "$tmp/$name.hailsim" ]; then
        if cmp -s "$tmp/$name.qemu" "$tmp/$name.hailsim"; then
            [ "$hail_ok" -eq 1 ] && [ "$qemu_ok" -eq 1 ] && pass "$name (qemu = hailsim output)"
        else
            fail "$name (qemu vs hailsim)" "outputs differ"
            diff -u --label "$name (qemu)" --label "$name (hailsim)" \
                "$tmp/$name.qemu" "$tmp/$name.hailsim" | head -n 40
        fi
    fi
done

echo "conformance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
