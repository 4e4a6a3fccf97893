#!/usr/bin/env bash
# run.sh BUILD_DIR — the kernel under random system calls (issue #8,
# docs/fuzzing.md).  Boots BUILD_DIR/hail/kernel.elf headless with three
# processes: apps/syscall_fuzz as the fuzzer (N random system calls of every
# class but exit), the same ELF as "fuzz_victim" (a RAM buffer with a known
# pattern, re-checked every 100 ms) and blink (D0 = PB14 every 500 ms).
# Reference: the same three with the fuzzer idle ("syscall_fuzz_idle").
# Per seed, checks that
#   * the run ends at the time limit: no kernel panic or kernel fault on the
#     console, no lockup ("halt"), no process fault at all;
#   * the fuzzer printed "syscall_fuzz: done N calls ... got intact" (its
#     own GOT unchanged: no kernel write into its RAM outside the arena);
#   * the victim never reports "CORRUPTED" and kept checking;
#   * blink's D0 edges: same number and levels as the reference; the
#     intervals between edges within 1 us of the reference's once the fuzzer
#     is done (identical but for the simulator's cycle-level jitter of a
#     shifted phase: 21 ns seen), or, where blink's alarm and the victim's
#     fall within the same few AST ticks (one interrupt serves both, so that
#     upcall comes up to ~80 us sooner; the reference has such intervals
#     too, at other times since the fuzzer shifts the phase), within 1 us of
#     the range the reference's intervals span, or, where blink's alarm
#     expires while the victim runs (the fuzzer has shifted their phases),
#     longer than that range by at most the victim's timeslice and a tick;
#     never shorter (an alarm never fires early);
#     while it runs, each interval within two round-robin timeslices (the
#     fuzzer's and the victim's, 10 ms each) and one alarm tick of the reference's (the CPU is shared, and a delay that starts a few us
#     late can end one 16 kHz alarm tick later; see docs/fuzzing.md).
# Env: FUZZ_CALLS (default 10000; `make bench` uses BENCH_FUZZ_CALLS, e.g.
# 1000000), FUZZ_SEEDS (default "0 1 2"; 0 = the seed compiled in).
# Ends with "fuzz_kernel: N passed, M failed"; exit status non-zero on failure.
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init fuzz_kernel "$@"

calls=${FUZZ_CALLS:-10000}
seeds=${FUZZ_SEEDS:-0 1 2}
kernel="$build_dir/hail/kernel.elf"
elf2tbf="$build_dir/elf2tbf"
elf="$build_dir/apps/syscall_fuzz.elf"
blink="$build_dir/apps/blink.tbf"
out="$build_dir/fuzz-kernel"

if [ ! -x "$hailsim" ] || [ ! -f "$kernel" ] || [ ! -x "$elf2tbf" ] || [ ! -f "$elf" ] || [ ! -f "$blink" ]; then
    fail setup "missing hailsim, hail/kernel.elf, elf2tbf, apps/syscall_fuzz.elf or apps/blink.tbf in $build_dir (make)"
    tl_finish
fi
mkdir -p "$out"
# virtual time: ~45 us per call (measured ~0.42 s for 10 000), the 100 ms drain, 3 s more
limit_ms=$((3000 + calls / 20))
mk() { "$elf2tbf" -n "$1" -o "$out/$1.tbf" "$elf" >"$tmp/elf2tbf.log" 2>&1 || { fail "setup: elf2tbf $1" "$(tail -n 3 "$tmp/elf2tbf.log")"; tl_finish; }; }
mk fuzz_victim
mk syscall_fuzz_idle
# while the fuzzer runs, blink's upcall may wait for the timeslices of the
# other two processes (round robin) plus one 16 kHz alarm tick; after it,
# only the victim competes: one timeslice plus one tick
timeslice_ns=10000000
tick_ns=62500
during_limit=$((2 * timeslice_ns + tick_ns))
slice_limit=$((timeslice_ns + tick_ns))

# sim NAME FUZZER.tbf (with --check-isolation: the simulator stops with exit 3
# if any process changes another's RAM): the fuzzer first (8 KiB images must be 8 KiB aligned), then the victim, then blink
sim() {
    tl_run 1800 "$1" --board boards/hail.yaml --kernel "$kernel" --headless --check-isolation \
        --time-limit "${limit_ms}ms" --trace "$tmp/$1.trace" "$2" "$out/fuzz_victim.tbf" "$blink"
    echo "$rc" >"$tmp/$1.rc"
}
# d0 NAME: "t_ns level" of every PB14 edge
d0() { grep -F '"ev":"pin","port":"B","pin":14,' "$tmp/$1.trace" | sed -E 's/^\{"t_ns":([0-9]+),.*"level":(-?[0-9]+).*/\1 \2/'; }
console() { grep -F '"ev":"uart"' "$tmp/$1.trace" | sed -E 's/.*"text":"(.*)"}$/\1/'; }

sim ref "$out/syscall_fuzz_idle.tbf"
if [ "$(cat "$tmp/ref.rc")" != 0 ] || [ "$(d0 ref | wc -l)" -lt 4 ]; then
    fail "reference run (idle fuzzer)" "exit $(cat "$tmp/ref.rc")" "$(tail -n 3 "$tmp/ref.err")"
    tl_finish
fi

# the span (min max) of the reference's blink periods: the intervals from
# its second edge on (the first is the pin's configuration as an output)
read -r rmin rmax < <(d0 ref | awk 'NR > 2 { i = $1 - p; if (NR == 3 || i < lo) lo = i; if (i > hi) hi = i } { p = $1 } END { print lo + 0, hi + 0 }')

for s in $seeds; do
    if [ "$s" = 0 ]; then fname="syscall_fuzz_$calls"; else fname="syscall_fuzz_${calls}_$s"; fi
    run="seed$s"
    mk "$fname"
    start=$(date +%s.%N)
    sim "$run" "$out/$fname.tbf"
    host=$(echo "$(date +%s.%N) - $start" | bc)
    cp "$tmp/$run.trace" "$out/$run.trace" 2>/dev/null
    name="$fname"
    rc=$(cat "$tmp/$run.rc")
    bad=$(console "$run" | grep -E 'Kernel panic|Kernel fault' | head -n 2)
    faults=$(grep -cF '"ev":"fault"' "$tmp/$run.trace")
    if [ "$rc" = 0 ] && grep -q 'time limit reached' "$tmp/$run.err" && [ -z "$bad" ] &&
        ! grep -qF '"ev":"halt"' "$tmp/$run.trace" && [ "$faults" = 0 ]; then
        pass "$name: no kernel panic, no lockup, no process fault, ends at the time limit (${limit_ms} ms virtual, ${host%???????} s host)"
    else
        fail "$name: kernel survived" "exit $rc, process faults $faults, console: $bad" "$(tail -n 2 "$tmp/$run.err")"
    fi
    # the time of the uart event that completes the summary: the console may
    # split one printf over several events (where depends on the timing)
    done_ns=$(grep -F '"ev":"uart"' "$tmp/$run.trace" | sed -E 's/^\{"t_ns":([0-9]+),.*"text":"(.*)"}$/\1 \2/' |
        awk -v pat="syscall_fuzz: done $calls calls seed" '{ t = $1; sub(/^[0-9]+ /, ""); acc = acc $0
            p = index(acc, pat); if (p && index(substr(acc, p), " got ")) { print t; exit }
            if (length(acc) > 8192) acc = substr(acc, length(acc) - 4095) }')
    summary=$(console "$run" | tr -d '\n' | sed 's/\\n/\n/g' | grep -oE "syscall_fuzz: done $calls calls seed [^\\]*" | head -n 1)
    if [ -n "$done_ns" ] && [ -n "$summary" ] && [ "${summary% got intact}" != "$summary" ]; then
        pass "$name: the fuzzer finished at $((done_ns / 1000000)) ms: ${summary#syscall_fuzz: }"
    else
        fail "$name: fuzzer did not finish its $calls calls with its GOT intact" "$(console "$run" | grep -F syscall_fuzz | tail -n 2)"
        done_ns=$((limit_ms * 1000000))
    fi
    corrupt=$(console "$run" | tr -d '\n' | sed 's/\\n/\n/g' | grep -oE 'fuzz_victim: CORRUPTED[^\\]*' | head -n 2)
    checks=$(console "$run" | tr -d '\n' | sed 's/\\n/\n/g' | grep -oE 'fuzz_victim: check [0-9]+ ok' | wc -l)
    want=$((limit_ms / 1000 - 1))
    if [ -z "$corrupt" ] && [ "$checks" -ge "$want" ]; then
        pass "$name: the victim's 256-byte pattern is intact ($checks once-a-second reports of 10 checks each)"
    else
        fail "$name: victim memory" "corruption: ${corrupt:-none}" "reports $checks, expected at least $want"
    fi
    # intervals between consecutive edges: while the fuzzer runs each within
    # $during_limit ns of the reference's; after it, as in the file comment
    res=$(paste -d' ' <(d0 "$run") <(d0 ref) | awk -v done="$done_ns" -v rmin="$rmin" -v rmax="$rmax" -v slice="$slice_limit" '
        NF != 4 { miss++; next }
        $2 != $4 { lev++ }
        NR > 1 {
            i = $1 - p1; r = $3 - p3; d = i - r; if (d < 0) d = -d
            if (p1 > done + 0 && p3 > done + 0) {
                after++
                if (d <= 1000) { if (d > amax) amax = d }
                else if (i >= rmin - 1000 && i <= rmax + 1000) coinc++
                else if (i > rmax && i <= rmax + slice) waited++
                else diff++
            }
            else { during++; if (d > max) max = d }
        }
        { p1 = $1; p3 = $3 }
        END { printf "%d %d %d %d %d %d %d %d %d %d\n", NR, miss + 0, lev + 0, after + 0, diff + 0, during + 0, max + 0, amax + 0, coinc + 0, waited + 0 }')
    read -r n miss lev after diff during max amax coinc waited <<<"$res"
    if [ "$miss" = 0 ] && [ "$lev" = 0 ] && [ "$diff" = 0 ] && [ "$after" -ge 2 ] && [ "$max" -le "$during_limit" ]; then
        pass "$name: blink's D0: $n edges with the reference's levels; $after intervals after the fuzzer: $((after - coinc - waited)) within ${amax} ns of the reference's (limit 1 us), $coinc where the alarms coincide within the reference's span $rmin-$rmax ns, $waited longer by at most the victim's timeslice and an alarm tick; $during during it within $((max / 1000)) us (limit $((during_limit / 1000)) us)"
    else
        fail "$name: blink's D0 timing" "edges $n, unmatched $miss, level mismatches $lev, intervals after the fuzzer $after (more than 1 us off the reference's and outside its span $rmin-$rmax ns: $diff; within 1 us: max $amax ns), during $during (max deviation $max ns, limit $during_limit ns)"
    fi
done
tl_finish
