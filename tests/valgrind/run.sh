#!/usr/bin/env bash
# run.sh BUILD_DIR — hailsim under valgrind's memcheck on representative runs
# (issue #8: "valgrind clean on a representative run"): the kernel with three
# apps and the isolation checker, a process faulting, restarted and finally
# panicking the kernel, the process console reading typed input, and a
# bare-metal MPU image.  Each must
# end as it does natively and report no memcheck error and no definite leak
# (tests/valgrind.supp: one known leak inside Unicorn 2.1.1).
# Ends with "valgrind: N passed, M failed"; exit status non-zero on failure.
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init valgrind "$@"
tl_require_hailsim
if ldd "$hailsim" 2>/dev/null | grep -q libasan; then   # make test-asan: memcheck cannot run ASan code
    echo "valgrind: $hailsim is an AddressSanitizer build; memcheck runs in make test"
    tl_finish
fi
if ! command -v valgrind >/dev/null 2>&1; then
    fail setup "valgrind not found (make deps installs it)"
    tl_finish
fi
kernel="$build_dir/hail/kernel.elf"
apps="$build_dir/apps"

# vg NAME WANT-EXIT HAILSIM-ARGS...: one run under memcheck
vg() {
    local name=$1 want=$2 summary
    shift 2
    timeout 300 valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --suppressions=tests/valgrind.supp "$hailsim" --headless --board boards/hail.yaml "$@" \
        >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    summary=$(grep -E "ERROR SUMMARY" "$tmp/$name.err" | tail -n 1 | sed 's/^==[0-9]*== //')
    if [ "$rc" -eq "$want" ] && [[ $summary == "ERROR SUMMARY: 0 errors"* ]]; then
        pass "$name: exit $rc, $summary"
    else
        fail "$name: exit $rc (want $want), ${summary:-no summary}" \
            "$(grep -E "Invalid|uninitialised|definitely lost|Conditional" "$tmp/$name.err" | head -n 5)"
    fi
}

vg kernel_apps_isocheck 0 --kernel "$kernel" --check-isolation --time-limit 3s \
    "$apps/hostile_victim.tbf" "$apps/blink.tbf" "$apps/hello.tbf"
if ! grep -q "Hello" "$tmp/kernel_apps_isocheck.out"; then
    fail "kernel_apps_isocheck: hello's text on the console" "$(head -n 3 "$tmp/kernel_apps_isocheck.out")"
fi
# the fault app is restarted 4 times, then the policy panics the kernel (at 75 ms)
vg fault_restart_panic 0 --kernel "$kernel" --time-limit 100ms "$apps/fault.tbf" "$apps/blink.tbf"
if ! grep -q "restarted (4)" "$tmp/fault_restart_panic.out" || ! grep -q "Kernel panic" "$tmp/fault_restart_panic.out"; then
    fail "fault_restart_panic: four restarts, then the panic report" "$(tail -n 3 "$tmp/fault_restart_panic.out")"
fi
vg process_console 0 --kernel "$kernel" --time-limit 1500ms --uart-input 'list\r@300ms' "$apps/blink.tbf"
if ! grep -q "blink" "$tmp/process_console.out"; then
    fail "process_console: 'list' names blink" "$(head -n 5 "$tmp/process_console.out")"
fi
vg mpu_image 0 --kernel "$build_dir/conformance/mpu_ap.elf"
tl_finish
