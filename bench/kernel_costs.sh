#!/usr/bin/env bash
# kernel_costs.sh BUILD_DIR OUT_MD OUT_JSON — the Hail kernel's costs in emulated
# cycles (deterministic) and host time, measured on hailsim with the apps of
# bench/apps/ (see bench/README.md, "Kernel costs").  Writes a markdown section
# to OUT_MD and a JSON object to OUT_JSON; bench/run.sh includes both in
# results.md / results.json.  Exit status 1 if a run or a check failed.
#
# The apps are built here with the userspace rules of the Makefile (flags taken
# from make with --eval, libtock from BUILD_DIR/user), each twice with
# -DBENCH_N=small/large, and wrapped with elf2tbf.  Each figure is
#   (loop time of the large image − loop time of the small one) / (large − small)
# where the loop time is the virtual time between the two blue-LED events that
# bracket the loop in the trace (cycles = t_ns × 48 MHz: hailsim's cycle
# counter is its virtual time).  Host time per operation is the difference of
# the --stats host_ns of the two runs divided likewise (medians of BENCH_REPS).
set -u
[ $# -eq 3 ] || { echo "usage: $0 BUILD_DIR OUT_MD OUT_JSON" >&2; exit 2; }
build=$(cd "$1" && pwd) || exit 2
out_md=$2 out_json=$3
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

REPS=${BENCH_REPS:-5}
hailsim=${HAILSIM:-$build/hailsim}
kernel=$build/hail/kernel.elf
work=$build/bench-kernel
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$work"
failed=0
note() { printf '%s\n' "$*" >&2; }

mk() { make -s --no-print-directory BUILD="$build" --eval='print-%: ; @echo $($*)' "print-$1" 2>/dev/null; }
CC=$(mk ARM_CC) CFLAGS=$(mk USER_CFLAGS) LDFLAGS=$(mk USER_LDFLAGS)
CRT0=$(mk LIBTOCK_CRT0) LIBA=$(mk LIBTOCK_A) ELF2TBF=$(mk ELF2TBF)
for f in "$kernel" "$hailsim" "$CRT0" "$LIBA" "$ELF2TBF"; do
    [ -e "$f" ] || { note "kernel_costs: missing $f (make all)"; exit 2; }
done

# build APP N [PKG]: $work/APP_N.tbf with package name PKG (default APP)
build() {
    local app=$1 n=$2 pkg=${3:-$1}
    # shellcheck disable=SC2086
    $CC $CFLAGS -Ibench/apps -DBENCH_N="$n" -o "$work/${app}_$n.elf" "$CRT0" "bench/apps/$app/main.c" \
        -Wl,--start-group "$LIBA" -lgcc -Wl,--end-group $LDFLAGS || return 1
    "$ELF2TBF" -n "$pkg" -o "$work/${app}_$n.tbf" "$work/${app}_$n.elf" >/dev/null
}

# run NAME LIMIT [opts/tbfs...]: trace in $tmp/NAME.trace, stats line in $tmp/NAME.err
run() {
    local name=$1 limit=$2
    shift 2
    timeout 300 "$hailsim" --board boards/hail.yaml --kernel "$kernel" --headless --stats \
        --time-limit "$limit" --trace "$tmp/$name.trace" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
}
host_ns() { grep -o 'host_ns=[0-9]*' "$tmp/$1.err" | cut -d= -f2; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "null"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# loop_ns NAME: virtual ns between the blue LED going on and off
loop_ns() {
    grep '"ev":"led","name":"blue"' "$tmp/$1.trace" | grep -o '"t_ns":[0-9]*' | cut -d: -f2 |
        awk 'NR == 1 { a = $1 } NR == 2 { print $1 - a }'
}
exited_ok() { grep -q "exited with completion code 0" "$tmp/$1.trace"; }

declare -A R   # figure -> value
# measure KEY SMALL LARGE LIMIT APP [APP2]: per-iteration cycles and host µs
measure() {
    local key=$1 small=$2 large=$3 limit=$4 app=$5 app2=${6:-} n h l
    for n in "$small" "$large"; do
        build "$app" "$n" || { failed=1; return; }
    done
    [ -z "$app2" ] || build "$app2" 0 || { failed=1; return; }
    local extra=()
    [ -z "$app2" ] || extra=("$work/${app2}_0.tbf")
    for n in "$small" "$large"; do
        : >"$tmp/host.$n"
        for _ in $(seq "$REPS"); do
            run "$key.$n" "$limit" "$work/${app}_$n.tbf" "${extra[@]}"
            if ! exited_ok "$key.$n" || [ -z "$(loop_ns "$key.$n")" ]; then
                note "kernel_costs: $key N=$n: the app did not finish its loop within $limit"
                failed=1
                return
            fi
            host_ns "$key.$n" >>"$tmp/host.$n"
        done
        l=$(loop_ns "$key.$n")
        R[$key.loop_ns.$n]=$l
        R[$key.host_ns.$n]=$(median <"$tmp/host.$n")
    done
    R[$key.cycles]=$(awk -v a="${R[$key.loop_ns.$small]}" -v b="${R[$key.loop_ns.$large]}" -v n=$((large - small)) \
        'BEGIN { printf "%.1f", (b - a) * 0.048 / n }')
    R[$key.host_us]=$(awk -v a="${R[$key.host_ns.$small]}" -v b="${R[$key.host_ns.$large]}" -v n=$((large - small)) \
        'BEGIN { printf "%.3f", (b - a) / 1000 / n }')
    R[$key.n]="$small $large"
    note "kernel_costs: $key: ${R[$key.cycles]} cycles, ${R[$key.host_us]} µs host per iteration"
}

measure null_cmd 1000 101000 5s null_cmd
measure upcall 1000 11000 5s upcall
measure pingpong 1000 11000 5s pingpong_a pingpong_b

# alarm IRQ -> upcall: AST alarm exception entry to the next return to thread mode on PSP
AST_EXC=$((16 + $(awk '/define BOARD_AST_IRQ_ALARM /{ print $3 }' "$build/gen/hail_board.h")))
ALARMS=20
if build alarm_latency "$ALARMS"; then
    run alarm "$((50 + 2 * ALARMS + 100))ms" --trace-exceptions "$work/alarm_latency_$ALARMS.tbf"
    grep '"ev":"exception"' "$tmp/alarm.trace" |
        awk -v exc="$AST_EXC" -F'[:,}]' '{
            t = $2; what = $6; gsub(/"/, "", what); e = $8; pc = $10
            if (what == "entry" && e == exc) { start = t; armed = 1 }
            else if (armed && what == "return" && pc == 4294967293) { printf "%.0f\n", (t - start) * 0.048; armed = 0 }
        }' >"$tmp/alarm.lat"
    if exited_ok alarm && [ "$(wc -l <"$tmp/alarm.lat")" -ge "$ALARMS" ]; then
        R[alarm.cycles]=$(median <"$tmp/alarm.lat")
        R[alarm.min]=$(sort -n "$tmp/alarm.lat" | head -n 1)
        R[alarm.max]=$(sort -n "$tmp/alarm.lat" | tail -n 1)
        R[alarm.count]=$(wc -l <"$tmp/alarm.lat")
        note "kernel_costs: alarm IRQ -> upcall: ${R[alarm.cycles]} cycles (median of ${R[alarm.count]})"
    else
        note "kernel_costs: alarm_latency: no complete run"
        failed=1
    fi
else
    failed=1
fi

v() { echo "${R[$1]:-null}"; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "null" || b == "null") print "null"; else printf "%.1f", a - b }'; }
half() { awk -v a="$1" 'BEGIN { if (a == "null") print "null"; else printf "%.1f", a / 2 }'; }
half_us() { awk -v a="$1" 'BEGIN { if (a == "null") print "null"; else printf "%.3f", a / 2 }'; }
met() { awk -v a="$1" -v t="$2" 'BEGIN { if (a == "null") print "null"; else if (a <= t) print "yes"; else print "no" }'; }
switch_cycles=$(half "$(v pingpong.cycles)")
switch_us=$(half_us "$(v pingpong.host_us)")
switch_extra=$(sub "$switch_cycles" "$(v upcall.cycles)")
yield_only=$(sub "$(v upcall.cycles)" "$(v null_cmd.cycles)")
cfg=$(grep -E '^ +(scheduler|timeslice_us):' boards/hail.yaml | sed 's/#.*//' | tr -s ' ' | tr '\n' ' ')

{
    echo "## Kernel costs (issue #4)"
    echo
    echo "The Hail kernel (\`$kernel\`, board \`boards/hail.yaml\`: $cfg) with the apps"
    echo "of \`bench/apps/\`.  Cycles are emulated (hailsim's virtual time at 48 MHz:"
    echo "deterministic, identical in every run); host µs = difference of \`host_ns\`"
    echo "(medians of $REPS runs) — hailsim's cost of emulating it, not a property of the kernel."
    echo "Per iteration = (large − small image) / (N_large − N_small), from the blue-LED"
    echo "events bracketing each loop in the trace; bench/README.md has the method."
    echo
    echo "| figure | N small / large | cycles | host µs | target | met |"
    echo "|---|---|---:|---:|---:|---|"
    echo "| null command round trip (LED command 0, svc → return) | $(v null_cmd.n) | $(v null_cmd.cycles) | $(v null_cmd.host_us) | ≤ 340 | $(met "$(v null_cmd.cycles)" 340) |"
    echo "| notify self + yield → upcall → return (IPC, one round) | $(v upcall.n) | $(v upcall.cycles) | $(v upcall.host_us) | - | - |"
    echo "| … of which yield → upcall → return (round − null command) | | $yield_only | | - | - |"
    echo "| IPC ping-pong between two processes, half a round trip (notify + yield + switch + upcall) | $(v pingpong.n) | $switch_cycles | $switch_us | - | - |"
    echo "| … of which the switch between two processes (half round trip − self-notify round) | | $switch_extra | | ≤ 600 | $(met "$switch_extra" 600) |"
    echo "| alarm IRQ entry → upcall starts (median of $(v alarm.count), min $(v alarm.min), max $(v alarm.max)) | $ALARMS alarms | $(v alarm.cycles) | - | - | - |"
} >"$out_md"

{
    echo "{\"null_command\": {\"n\": [${R[null_cmd.n]// /, }], \"cycles\": $(v null_cmd.cycles), \"host_us\": $(v null_cmd.host_us), \"target_cycles\": 340, \"met\": $(met "$(v null_cmd.cycles)" 340 | sed 's/yes/true/;s/no/false/')},"
    echo "   \"notify_yield_upcall\": {\"n\": [${R[upcall.n]// /, }], \"cycles\": $(v upcall.cycles), \"host_us\": $(v upcall.host_us), \"yield_upcall_return_cycles\": $yield_only},"
    echo "   \"process_switch\": {\"n\": [${R[pingpong.n]// /, }], \"cycles\": $switch_cycles, \"host_us\": $switch_us, \"switch_only_cycles\": $switch_extra, \"target_cycles\": 600, \"target_applies_to\": \"switch_only_cycles\", \"met\": $(met "$switch_extra" 600 | sed 's/yes/true/;s/no/false/')},"
    echo "   \"alarm_irq_to_upcall\": {\"alarms\": $ALARMS, \"median_cycles\": $(v alarm.cycles), \"min_cycles\": $(v alarm.min), \"max_cycles\": $(v alarm.max)}}"
} >"$out_json"
exit "$failed"
