#!/usr/bin/env bash
# run.sh BUILD_DIR — end-to-end checks of --snapshot-at / --restore
# (docs/snapshots.md).  For each workload:
#   (1) a full run with a trace,
#   (2) the same run with --snapshot-at T FILE: its trace must be (1) plus one
#       `snapshot` event (taking a snapshot does not disturb the run),
#   (3) --restore FILE with the same time limit: its trace must equal, byte for
#       byte, the lines of (2) after the `snapshot` event — which is also the
#       part of (1) after the snapshot point (every event with t_ns greater
#       than the snapshot's, and those at exactly its t_ns that were emitted
#       after the snapshot was written, see docs/snapshots.md).
# Workloads: blink on the kernel (3 s, snapshot at 1 s); the bare-metal
# usart_echo (USART0 interrupt) with --uart-input after the snapshot; the
# SysTick example; multi_red/green/blue + hello on the kernel.  Then refusals
# (exit 2): a corrupted file, a truncated one, a changed kernel, not a snapshot.
# Ends with "snapshot: N passed, M failed".
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
if ! build=$(cd "$1" 2>/dev/null && pwd); then
    echo "snapshot: no such build directory: $1" >&2
    echo "snapshot: 0 passed, 1 failed"
    exit 1
fi
cd "$(dirname "$0")/../.." || exit 2
hailsim=${HAILSIM:-$build/hailsim}     # HAILSIM=build-asan/hailsim: the same checks under ASan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npass=0
nfail=0
pass() { echo "PASS $1"; npass=$((npass + 1)); }
fail() { echo "FAIL $1"; nfail=$((nfail + 1)); [ $# -gt 1 ] && sed -n 1,15p "$2" | sed 's/^/    /'; }

# check NAME TIME_LIMIT SNAP_AT [INPUT_OPTS...] -- HAILSIM_ARGS...
#   INPUT_OPTS (--uart-input/--press) are given to all three runs.
check() {
    local name=$1 limit=$2 at=$3
    shift 3
    local inputs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do inputs+=("$1"); shift; done
    shift
    local d=$tmp/$name
    mkdir -p "$d"
    timeout 120 "$hailsim" --headless --view=plain --time-limit "$limit" --trace "$d/full.jsonl" \
        "${inputs[@]}" "$@" >"$d/full.out" 2>"$d/full.err"
    local rc1=$?
    timeout 120 "$hailsim" --headless --view=plain --time-limit "$limit" --trace "$d/snap.jsonl" \
        --snapshot-at "$at" "$d/snap.bin" "${inputs[@]}" "$@" >"$d/snap.out" 2>"$d/snap.err"
    local rc2=$?
    timeout 120 "$hailsim" --headless --view=plain --restore "$d/snap.bin" --time-limit "$limit" \
        --trace "$d/rest.jsonl" "${inputs[@]}" >"$d/rest.out" 2>"$d/rest.err"
    local rc3=$?
    if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ] || [ $rc3 -ne 0 ] || [ ! -s "$d/snap.bin" ]; then
        fail "$name: the three runs exit 0 (got $rc1 $rc2 $rc3)" "$d/rest.err"
        return
    fi
    pass "$name: full, snapshotting and restored runs exit 0"
    if grep -v '"ev":"snapshot"' "$d/snap.jsonl" | cmp -s - "$d/full.jsonl" &&
       [ "$(grep -c '"ev":"snapshot"' "$d/snap.jsonl")" -eq 1 ]; then
        pass "$name: the snapshotting run's trace is the full trace plus one snapshot event"
    else
        fail "$name: the snapshotting run's trace is the full trace plus one snapshot event"
    fi
    sed -n '/"ev":"snapshot"/,$p' "$d/snap.jsonl" | tail -n +2 >"$d/after.jsonl"
    if [ -s "$d/rest.jsonl" ] && cmp -s "$d/after.jsonl" "$d/rest.jsonl"; then
        pass "$name: the restored trace equals the full trace after the snapshot ($(wc -l <"$d/rest.jsonl") lines)"
    else
        diff "$d/after.jsonl" "$d/rest.jsonl" >"$d/diff" 2>&1
        fail "$name: the restored trace equals the full trace after the snapshot" "$d/diff"
    fi
    # by time: every event of the full run later than the snapshot is in the restored trace
    local snap_ns
    snap_ns=$(sed -n 's/.*"t_ns":\([0-9]*\),"ev":"snapshot".*/\1/p' "$d/snap.jsonl")
    awk -v t="$snap_ns" -F'[:,]' '$2 + 0 > t + 0' "$d/full.jsonl" >"$d/later.jsonl"
    if [ -n "$snap_ns" ] && awk -v t="$snap_ns" -F'[:,]' '$2 + 0 > t + 0' "$d/rest.jsonl" | cmp -s - "$d/later.jsonl"; then
        pass "$name: events with t_ns > $snap_ns are identical in the full and the restored run"
    else
        fail "$name: events with t_ns > $snap_ns are identical in the full and the restored run"
    fi
}

apps=$build/apps
kernel=$build/hail/kernel.elf

# 1. blink on the kernel
if [ -f "$kernel" ] && [ -f "$apps/blink.tbf" ]; then
    check blink 3s 1s -- --kernel "$kernel" "$apps/blink.tbf"
    if [ "$(grep -c '"ev":"pin","port":"[A-C]","pin":[0-9]*,"level":[01],"driven":true' "$tmp/blink/rest.jsonl" 2>/dev/null)" -ge 3 ]; then
        pass "blink: the restored run keeps blinking"
    else
        fail "blink: the restored run keeps blinking"
    fi
else
    fail "blink: $kernel and $apps/blink.tbf exist"
fi

# 2. bare-metal usart_echo: USART0 interrupt, input after the snapshot
if [ -f "$build/sam4l/usart_echo.elf" ]; then
    check usart_echo 40ms 10ms --uart-input 'hello\n@20ms' -- --kernel "$build/sam4l/usart_echo.elf"
    if grep -q '"text":"HELLO\\n"' "$tmp/usart_echo/rest.jsonl" 2>/dev/null &&
       [ "$(cat "$tmp/usart_echo/rest.out")" = "HELLO" ]; then
        pass "usart_echo: the restored run echoes HELLO (stdout and trace)"
    else
        fail "usart_echo: the restored run echoes HELLO (stdout and trace)" "$tmp/usart_echo/rest.out"
    fi
    # a snapshot taken while the echo is being transmitted (bytes in flight);
    # the input had arrived before the snapshot: the restored run ignores it
    check usart_midline 40ms 20200us --uart-input 'hello world\n@20ms' -- \
        --kernel "$build/sam4l/usart_echo.elf"
else
    fail "usart_echo: $build/sam4l/usart_echo.elf exists"
fi

# 3. SysTick example (bare metal)
if [ -f "$build/examples/systick_clock.elf" ]; then
    check systick 2s 567891us -- --kernel "$build/examples/systick_clock.elf"
else
    fail "systick: $build/examples/systick_clock.elf exists"
fi

# 4. several apps on the kernel
if [ -f "$apps/multi_red.tbf" ] && [ -f "$apps/hello.tbf" ]; then
    check multi 3s 1500ms -- --kernel "$kernel" "$apps/multi_red.tbf" "$apps/multi_green.tbf" \
        "$apps/multi_blue.tbf" "$apps/hello.tbf"
else
    fail "multi: multi_red/green/blue and hello exist"
fi

# 5. refusals (exit 2 with a clear message)
snap=$tmp/blink/snap.bin
refuse() {
    local label=$1 file=$2 want=$3
    shift 3
    timeout 60 "$hailsim" --headless --view=plain --restore "$file" --time-limit 2s "$@" \
        >"$tmp/refuse.out" 2>"$tmp/refuse.err"
    local rc=$?
    if [ $rc -eq 2 ] && grep -q "$want" "$tmp/refuse.err"; then
        pass "refused with exit 2: $label"
    else
        echo "exit $rc" >>"$tmp/refuse.err"
        fail "refused with exit 2: $label (message '$want')" "$tmp/refuse.err"
    fi
}
if [ -s "$snap" ]; then
    size=$(stat -c %s "$snap")
    cp "$snap" "$tmp/corrupt.bin"
    printf '\x5a' | dd of="$tmp/corrupt.bin" bs=1 seek=$((size / 2)) conv=notrunc status=none
    refuse "a flipped byte" "$tmp/corrupt.bin" "corrupted"
    head -c $((size - 100)) "$snap" >"$tmp/trunc.bin"
    refuse "a truncated file" "$tmp/trunc.bin" "corrupted or truncated"
    printf 'hello' >"$tmp/junk.bin"
    refuse "not a snapshot" "$tmp/junk.bin" "not a hailsim snapshot"
    refuse "a missing file" "$tmp/none.bin" "cannot open"
    refuse "app images given with --restore" "$snap" "give no app images" "$apps/blink.tbf"
    # the snapshot names its kernel by path: a changed kernel is refused
    cp "$kernel" "$tmp/kernel.elf"
    timeout 60 "$hailsim" --headless --view=plain --kernel "$tmp/kernel.elf" --time-limit 1s \
        --snapshot-at 500ms "$tmp/k.bin" "$apps/blink.tbf" >/dev/null 2>&1
    printf 'x' >>"$tmp/kernel.elf"
    refuse "a kernel changed since the snapshot" "$tmp/k.bin" "the kernel .* differs"
    cp "$kernel" "$tmp/kernel.elf"
    timeout 60 "$hailsim" --headless --view=plain --restore "$tmp/k.bin" --time-limit 1s >/dev/null 2>&1
    # shellcheck disable=SC2181  # the command above is long
    if [ $? -eq 0 ]; then
        pass "the same kernel again is accepted"
    else
        fail "the same kernel again is accepted"
    fi
else
    fail "refusals: the blink snapshot exists"
fi

echo "snapshot: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
