#!/usr/bin/env bash
# run.sh BUILD_DIR — the fallback library stays good: when BUILD_DIR/hailsim
# links the Unicorn 2.1 that make fetched (tools/unicorn21.sh), the same
# sources are built against the system's Unicorn (Debian 12: 2.0.1) into
# BUILD_DIR/uc-system (`make UNICORN=system`, the machine's fallback when the
# fetch fails), and both must behave identically: the start-up MPU self-test
# passes on both (no page-protection fallback warning), every conformance
# image gives byte-identical output and exit status, and a kernel run with
# three apps gives a byte-identical trace.  Skipped (0 checks) when
# BUILD_DIR/hailsim already uses the system's Unicorn.
# Ends with "unicorn_system: N passed, M failed".
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init unicorn_system "$@"
tl_require_hailsim

ver() { "$1" --version 2>/dev/null | sed -n 's/.*(Unicorn \([0-9.]*\)).*/\1/p'; }
main_ver=$(ver "$hailsim")
sys_ver=$(pkg-config --modversion unicorn 2>/dev/null | sed 's/\.post.*//')
if [ -z "$main_ver" ]; then
    fail "version" "$hailsim --version names no Unicorn"
    tl_finish
fi
if [ -z "$sys_ver" ]; then
    fail "system Unicorn" "pkg-config knows no 'unicorn' (make deps installs libunicorn-dev): the fallback cannot build"
    tl_finish
fi
if [ "$main_ver" = "$sys_ver" ]; then
    echo "unicorn_system: $hailsim uses the system's Unicorn ($sys_ver): nothing to compare"
    tl_finish
fi
if ldd "$hailsim" 2>/dev/null | grep -q libasan; then
    echo "unicorn_system: AddressSanitizer build: compared in make test"
    tl_finish
fi
alt="$build_dir/uc-system/hailsim"
if ! make -s --no-print-directory BUILD="$build_dir/uc-system" UNICORN=system sim >"$tmp/build.log" 2>&1; then
    fail "build with the system's Unicorn" "$(tail -n 5 "$tmp/build.log")"
    tl_finish
fi
alt_ver=$(ver "$alt")
pass "built $alt (Unicorn $alt_ver; the main build has $main_ver)"

# one run on each simulator: NAME ARGS...; compares exit status, stdout and the trace
both() {
    local name=$1 st_a st_b
    shift
    "$hailsim" --headless --board boards/hail.yaml --trace "$tmp/$name.a.trace" "$@" >"$tmp/$name.a.out" 2>"$tmp/$name.a.err"
    st_a=$?
    "$alt" --headless --board boards/hail.yaml --trace "$tmp/$name.b.trace" "$@" >"$tmp/$name.b.out" 2>"$tmp/$name.b.err"
    st_b=$?
    if grep -q "self-test failed\|not found in the Unicorn context" "$tmp/$name.a.err" "$tmp/$name.b.err"; then
        fail "$name: the QEMU MPU is not in use" "$(grep -h "warning" "$tmp/$name.a.err" "$tmp/$name.b.err" | head -n 2)"
    elif [ "$st_a" != "$st_b" ] || ! cmp -s "$tmp/$name.a.out" "$tmp/$name.b.out" ||
        ! cmp -s "$tmp/$name.a.trace" "$tmp/$name.b.trace"; then
        fail "$name: Unicorn $main_ver and $alt_ver differ" "exit $st_a / $st_b" \
            "$(diff "$tmp/$name.a.trace" "$tmp/$name.b.trace" | head -n 4)"
    elif [ ! -s "$tmp/$name.a.trace" ] || [ "$st_a" -gt 1 ]; then
        fail "$name: did not run" "exit $st_a" "$(tail -n 3 "$tmp/$name.a.err")"
    else
        pass "$name: identical on Unicorn $main_ver and $alt_ver (exit $st_a, $(wc -l <"$tmp/$name.a.trace") trace lines)"
    fi
}

shopt -s nullglob
images=("$build_dir"/conformance/*.elf)
if [ ${#images[@]} -lt 10 ]; then
    fail "conformance images" "only ${#images[@]} in $build_dir/conformance (make images)"
fi
for elf in "${images[@]}"; do
    both "conformance_$(basename "$elf" .elf)" --kernel "$elf" --time-limit 2s
done
apps="$build_dir/apps"
both kernel_three_apps --kernel "$build_dir/hail/kernel.elf" --time-limit 3s --check-isolation \
    "$apps/hostile_victim.tbf" "$apps/blink.tbf" "$apps/hello.tbf"
# identical must also mean working: the kernel run ends at its time limit with hello's text
if [ "$(wc -l <"$tmp/kernel_three_apps.a.trace")" -lt 20 ] || ! grep -q "Hello" "$tmp/kernel_three_apps.a.out"; then
    fail "kernel_three_apps: a real run" "$(wc -l <"$tmp/kernel_three_apps.a.trace") trace lines" \
        "$(tail -n 3 "$tmp/kernel_three_apps.a.err")"
fi
tl_finish
