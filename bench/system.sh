#!/usr/bin/env bash
# system.sh BUILD_DIR OUT_MD OUT_JSON — whole-system figures of the Hail kernel
# on hailsim (issue #9): real-time factor of a CPU-bound process (alone and
# with two blinking apps), idle time warp of blink over one virtual hour,
# start-up time to blink's first pin toggle, scaling with the number of
# processes and of libtock timers, and the footprint (kernel flash/RAM,
# per-app blocks, simulator peak RSS).  Writes a markdown section to OUT_MD and
# a JSON object to OUT_JSON; bench/run.sh includes both in results.md /
# results.json.  Method: bench/README.md, "Whole-system figures".
#
# Environment: BENCH_REPS (default 5) for the fast figures (real-time factor,
# start-up); BENCH_IDLE_REPS (default 7) for the idle hour (under a second of
# host time each; the VM's speed drifts, so more runs steady the median);
# BENCH_SLOW_REPS (default 3) for the slow ones (process and timer scaling); HAILSIM (default BUILD_DIR/hailsim); BENCH_RTF_SECONDS
# (5), BENCH_IDLE_SECONDS (3600), BENCH_SCALE_SECONDS (60), BENCH_SCALE_MAX
# (16 copies offered to the kernel), BENCH_TIMER_COUNTS ("1 2 4 8 16 32").
# Exit status 1 if a run or a check failed, 2 on a set-up error.
set -u
[ $# -eq 3 ] || { echo "usage: $0 BUILD_DIR OUT_MD OUT_JSON" >&2; exit 2; }
build=$(cd "$1" && pwd) || exit 2
out_md=$2 out_json=$3
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2

REPS=${BENCH_REPS:-5}
SLOW_REPS=${BENCH_SLOW_REPS:-3}
IDLE_REPS=${BENCH_IDLE_REPS:-7}
RTF_S=${BENCH_RTF_SECONDS:-5}
IDLE_S=${BENCH_IDLE_SECONDS:-3600}
SCALE_S=${BENCH_SCALE_SECONDS:-60}
SCALE_MAX=${BENCH_SCALE_MAX:-16}
TIMER_COUNTS=${BENCH_TIMER_COUNTS:-1 2 4 8 16 32}
TIMER_WINDOW_MS=10000           # bench/apps/timers: REPORT_MS
RTF_TARGET=2 IDLE_TARGET=10000 STARTUP_TARGET_MS=100
hailsim_src=${HAILSIM:-$build/hailsim}
kernel_src=$build/hail/kernel.elf
work=$build/bench-system
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$work"
failed=0
note() { printf '%s\n' "$*" >&2; }
bad() { note "system: $*"; failed=1; }

mk() { make -s --no-print-directory BUILD="$build" --eval='print-%: ; @echo $($*)' "print-$1" 2>/dev/null; }
CC=$(mk ARM_CC) CFLAGS=$(mk USER_CFLAGS) LDFLAGS=$(mk USER_LDFLAGS)
CRT0=$(mk LIBTOCK_CRT0) LIBA=$(mk LIBTOCK_A) ELF2TBF=$(mk ELF2TBF)
for f in "$kernel_src" "$hailsim_src" "$CRT0" "$LIBA" "$ELF2TBF" "$build/apps/blink.elf" "$build/apps/blink.tbf" \
    "$build/apps/multi_red.tbf" "$build/apps/multi_green.tbf"; do
    [ -e "$f" ] || { note "system: missing $f (make all)"; exit 2; }
done
SIZE=$(command -v arm-none-eabi-size || true)

# Snapshot the simulator and the kernel: others may rebuild build/ while this
# runs, and every figure of one report must come from the same binaries.
cp "$hailsim_src" "$tmp/hailsim" && cp "$kernel_src" "$tmp/kernel.elf" || exit 2
hailsim=$tmp/hailsim kernel=$tmp/kernel.elf

# Peak RSS: GNU time (Debian package "time") reports the kernel's ru_maxrss of
# the child — exact, no sampling.  Without it, VmHWM of /proc/PID/status is
# polled every 20 ms (the high-water mark itself is exact, but growth in the
# last interval before exit can be missed).
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$tmp/t.rss" true 2>/dev/null; then
    RSS_METHOD="GNU time %M (ru_maxrss)"
else
    RSS_METHOD="VmHWM polled every 20 ms"
fi

# build APP N [PKG]: $work/APP_N.tbf, as bench/kernel_costs.sh builds its apps
build() {
    local app=$1 n=$2 pkg=${3:-$1}
    # shellcheck disable=SC2086
    $CC $CFLAGS -Ibench/apps -DBENCH_N="$n" -o "$work/${app}_$n.elf" "$CRT0" "bench/apps/$app/main.c" \
        -Wl,--start-group "$LIBA" -lgcc -Wl,--end-group $LDFLAGS || return 1
    "$ELF2TBF" -n "$pkg" -o "$work/${app}_$n.tbf" "$work/${app}_$n.elf" >/dev/null
}

# sim NAME LIMIT [opts/tbfs...]: stdout in $tmp/NAME.out, stderr (stats) in
# $tmp/NAME.err, peak RSS (KiB) in $tmp/NAME.rss.  Fails unless exit=0.
sim() {
    local name=$1 limit=$2 rc
    shift 2
    local cmd=(timeout 600 "$hailsim" --board boards/hail.yaml --kernel "$kernel" --headless --view=plain
        --stats --time-limit "$limit" "$@")
    if [ "$RSS_METHOD" != "VmHWM polled every 20 ms" ]; then
        /usr/bin/time -f %M -o "$tmp/$name.rss" "${cmd[@]}" >"$tmp/$name.out" 2>"$tmp/$name.err"
        rc=$?
        tail -n 1 "$tmp/$name.rss" >"$tmp/$name.rss1" && mv "$tmp/$name.rss1" "$tmp/$name.rss"
    else
        "${cmd[@]:2}" >"$tmp/$name.out" 2>"$tmp/$name.err" &
        local pid=$! hwm=0 v
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
            [ -z "$v" ] || [ "$v" -le "$hwm" ] || hwm=$v
            sleep 0.02
        done
        wait "$pid"
        rc=$?
        echo "$hwm" >"$tmp/$name.rss"
    fi
    [ "$rc" -eq 0 ] && grep -q 'hailsim-stats: exit=0 ' "$tmp/$name.err"
}
stat() { grep -o "$2=[0-9.]*" "$tmp/$1.err" | tail -n 1 | cut -d= -f2; }
loaded() { grep -c "^Hail: process [0-9]* '" "$tmp/$1.out"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "null"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { v = $1; if (v == int(v) && v < 1e15 && v > -1e15) printf \"%d\\n\", v; else printf \"%.${2:-3}f\\n\", v }"; }
met_ge() { awk -v a="$1" -v t="$2" 'BEGIN { if (a == "null" || a == "") print "null"; else if (a >= t) print "yes"; else print "no" }'; }
met_le() { awk -v a="$1" -v t="$2" 'BEGIN { if (a == "null" || a == "") print "null"; else if (a <= t) print "yes"; else print "no" }'; }
jb() { case $1 in yes) echo true ;; no) echo false ;; *) echo null ;; esac; }
fmt() { if [ "$1" = null ] || [ -z "$1" ]; then echo "n/a"; else echo "$1"; fi; }
declare -A R=()
RSS_ALL=""

# ---- real-time factor of a CPU-bound process -----------------------------------------
# spin never makes a system call; the multi_* apps go first (flash blocks must
# stay aligned to their size: spin's 512-byte image before a 2 KiB one makes the
# kernel skip the latter with "invalid header values").
build spin 0 || bad "cannot build bench/apps/spin"
rtf_case() { # KEY NPROCS TBFS...
    local key=$1 np=$2 i
    shift 2
    : >"$tmp/$key.rtf"
    : >"$tmp/$key.busy"
    for i in $(seq "$REPS"); do
        if ! sim "$key" "${RTF_S}s" --trace "$tmp/$key.trace" "$@" || [ "$(loaded "$key")" -ne "$np" ]; then
            bad "real-time factor ($key): run failed or not all $np processes loaded"
            return
        fi
        calc "$(stat "$key" virtual_ns) / $(stat "$key" host_ns)" 3 >>"$tmp/$key.rtf"
        calc "$(stat "$key" instructions) / $(stat "$key" cycles)" 4 >>"$tmp/$key.busy"
        RSS_ALL="$RSS_ALL $key=$(cat "$tmp/$key.rss")"
    done
    R[$key.rtf]=$(median <"$tmp/$key.rtf")
    R[$key.min]=$(sort -g "$tmp/$key.rtf" | head -n 1)
    R[$key.max]=$(sort -g "$tmp/$key.rtf" | tail -n 1)
    R[$key.busy]=$(median <"$tmp/$key.busy")
    R[$key.mips]=$(calc "${R[$key.rtf]} * 48 * ${R[$key.busy]}" 1)
    R[$key.leds]=$(grep -c '"ev":"led"' "$tmp/$key.trace")
    R[$key.rss]=$(cat "$tmp/$key.rss")
    note "system: real-time factor $key: ${R[$key.rtf]}x (busy ${R[$key.busy]} instructions/cycle)"
}
if [ -e "$work/spin_0.tbf" ]; then
    rtf_case rtf_alone 1 "$work/spin_0.tbf"
    rtf_case rtf_blink 3 "$build/apps/multi_red.tbf" "$build/apps/multi_green.tbf" "$work/spin_0.tbf"
    # the two blinkers toggle every 250 / 500 ms: at least 2 LED events per second each
    if [ -n "${R[rtf_blink.leds]:-}" ] && [ "${R[rtf_blink.leds]}" -lt $((RTF_S * 3)) ]; then
        bad "real-time factor: the blinking apps made only ${R[rtf_blink.leds]} LED changes in ${RTF_S} s"
    fi
fi

# ---- idle: blink over one virtual hour ----------------------------------------------------
: >"$tmp/idle.warp"
: >"$tmp/idle.wall"
for i in $(seq "$IDLE_REPS"); do
    t0=$(date +%s%N)
    if ! sim idle "${IDLE_S}s" "$build/apps/blink.tbf"; then
        bad "idle: blink run failed"
        break
    fi
    t1=$(date +%s%N)
    calc "$(stat idle virtual_ns) / $(stat idle host_ns)" 1 >>"$tmp/idle.warp"
    calc "$IDLE_S * 1e9 / ($t1 - $t0)" 1 >>"$tmp/idle.wall"
    R[idle.insns]=$(stat idle instructions)
    R[idle.host_ns]=$(stat idle host_ns)
    RSS_ALL="$RSS_ALL idle=$(cat "$tmp/idle.rss")"
    R[idle.rss]=$(cat "$tmp/idle.rss")
done
R[idle.warp]=$(median <"$tmp/idle.warp")
R[idle.min]=$(sort -g "$tmp/idle.warp" | head -n 1)
R[idle.max]=$(sort -g "$tmp/idle.warp" | tail -n 1)
R[idle.wall_warp]=$(median <"$tmp/idle.wall")
if [ "${R[idle.warp]}" != null ]; then
    # blink toggles every 500 ms: 2 wake-ups per virtual second
    R[idle.insn_per_s]=$(calc "${R[idle.insns]} / $IDLE_S" 0)
    R[idle.us_per_toggle]=$(calc "1e6 / ${R[idle.warp]} / 2" 1)
    note "system: idle warp ${R[idle.warp]}x"
fi

# ---- start-up: host time to blink's first pin toggle ----------------------------------------
# first toggle = the first pin event that changes a pin already driven before
if sim startup_trace 1s --trace "$tmp/startup.trace" "$build/apps/blink.tbf"; then
    R[startup.toggle_ns]=$(grep '"ev":"pin"' "$tmp/startup.trace" | awk -F'[:,}]' '{
            t = $2; key = $6 "/" $8; lvl = $10; drv = $12
            if (drv != "true") next
            if ((key in last) && last[key] != lvl) { print t; exit }
            last[key] = lvl }')
fi
if [ -n "${R[startup.toggle_ns]:-}" ]; then
    limit_us=$(( (R[startup.toggle_ns] + 999) / 1000 + 1000 ))
    : >"$tmp/startup.ms"
    for i in $(seq "$REPS"); do
        t0=$(date +%s%N)
        timeout 60 "$hailsim" --board boards/hail.yaml --kernel "$kernel" --headless --view=plain \
            --time-limit "${limit_us}us" --trace "$tmp/startup.check" "$build/apps/blink.tbf" >/dev/null 2>&1
        rc=$?
        t1=$(date +%s%N)
        [ "$rc" -eq 0 ] || { bad "start-up: run failed ($rc)"; break; }
        calc "($t1 - $t0) / 1e6" 2 >>"$tmp/startup.ms"
    done
    # the timed run must contain the toggle
    grep -q "\"t_ns\":${R[startup.toggle_ns]}," "$tmp/startup.check" || bad "start-up: the timed run did not reach the first toggle"
    R[startup.ms]=$(median <"$tmp/startup.ms")
    R[startup.limit_us]=$limit_us
    note "system: start-up to first toggle: ${R[startup.ms]} ms host"
else
    bad "start-up: no pin toggle of blink in its first virtual second"
fi

# ---- scale: number of processes -------------------------------------------------------------
for i in $(seq "$SCALE_MAX"); do
    "$ELF2TBF" -n "blink$i" -o "$work/blink$i.tbf" "$build/apps/blink.elf" >/dev/null || bad "elf2tbf blink$i"
done
offer=()
for i in $(seq "$SCALE_MAX"); do offer+=("$work/blink$i.tbf"); done
R[scale.max]=null
if sim scale_probe 100ms "${offer[@]}"; then
    R[scale.max]=$(loaded scale_probe)
    R[scale.refused]=$(grep -c 'does not fit\|no free process slot' "$tmp/scale_probe.out")
    R[scale.why]=$(grep -o 'does not fit\|no free process slot' "$tmp/scale_probe.out" | sort -u | tr '\n' ' ' | sed 's/ $//')
    note "system: $((R[scale.max])) of $SCALE_MAX blink copies loaded (${R[scale.why]:-all fit})"
else
    bad "scale: probe run failed"
fi
SCALE_NS=()
if [ "${R[scale.max]}" != null ] && [ "${R[scale.max]}" -ge 1 ]; then
    for n in $(seq "${R[scale.max]}"); do
        : >"$tmp/scale.$n"
        for i in $(seq "$SLOW_REPS"); do
            if ! sim "scale$n" "${SCALE_S}s" "${offer[@]:0:n}" || [ "$(loaded "scale$n")" -ne "$n" ]; then
                bad "scale: run with $n processes failed"
                break
            fi
            stat "scale$n" host_ns >>"$tmp/scale.$n"
        done
        R[scale.$n]=$(median <"$tmp/scale.$n")
        R[scale.$n.insns]=$(stat "scale$n" instructions)
        RSS_ALL="$RSS_ALL scale$n=$(cat "$tmp/scale$n.rss")"
        R[scale.rss]=$(cat "$tmp/scale$n.rss")
        SCALE_NS+=("${R[scale.$n]}")
    done
    note "system: host ns for ${SCALE_S} s with 1..${R[scale.max]} blinks: ${SCALE_NS[*]}"
fi

# ---- scale: number of libtock timers ------------------------------------------------------------
TIMER_KS=()
for k in $TIMER_COUNTS; do
    build timers "$k" || { bad "cannot build bench/apps/timers with $k"; continue; }
    : >"$tmp/timers.$k"
    for i in $(seq "$SLOW_REPS"); do
        if ! sim "timers$k" "$((TIMER_WINDOW_MS + 200))ms" "$work/timers_$k.tbf" ||
            ! grep -q "exited with completion code 0" "$tmp/timers$k.out"; then
            bad "timers: run with $k timers failed"
            break
        fi
        stat "timers$k" host_ns >>"$tmp/timers.$k"
    done
    R[timers.$k]=$(median <"$tmp/timers.$k")
    R[timers.$k.fires]=$(sed -n 's/^timers: [0-9]* timers, \([0-9]*\) fires.*/\1/p' "$tmp/timers$k.out")
    [ -n "${R[timers.$k.fires]}" ] || { bad "timers: no report with $k timers"; R[timers.$k.fires]=null; }
    TIMER_KS+=("$k")
done
note "system: timers done"

# ---- footprint -------------------------------------------------------------------------------------------
if [ -n "$SIZE" ]; then
    read -r k_text k_data k_bss _ < <("$SIZE" "$kernel" | awk 'NR == 2')
    R[fp.flash]=$((k_text + k_data))
    R[fp.ram]=$((k_data + k_bss))
    R[fp.text]=$k_text R[fp.data]=$k_data R[fp.bss]=$k_bss
    R[fp.stack]=$("$SIZE" -A "$kernel" | awk '$1 == ".stack" { print $2 }')
else
    bad "footprint: arm-none-eabi-size not found"
fi
hexsz() { printf '%d' "$1"; }
region() { # NAME -> "base size" from boards/hail.yaml
    sed -n "s/^ *$1: *{ *base: *\(0x[0-9A-Fa-f]*\), *size: *\(0x[0-9A-Fa-f]*\).*/\1 \2/p" boards/hail.yaml | head -n 1
}
read -r _ kf_size < <(region kernel_flash)
read -r _ kr_size < <(region kernel_ram)
read -r _ ar_size < <(region app_ram)
R[fp.kflash_region]=$(hexsz "${kf_size:-0}") R[fp.kram_region]=$(hexsz "${kr_size:-0}") R[fp.aram_region]=$(hexsz "${ar_size:-0}")
# per app: the block sizes the kernel reports at boot ("flash ADDR+SIZE ram ADDR+SIZE")
APP_FP=()
for tbf in "$build"/apps/*.tbf "$work/spin_0.tbf" "$work/timers_32.tbf"; do
    [ -e "$tbf" ] || continue
    name=$(basename "$tbf" .tbf)
    if sim "fp_$name" 30ms "$tbf"; then
        line=$(grep -o "flash 0x[0-9a-f]*+0x[0-9a-f]* ram 0x[0-9a-f]*+0x[0-9a-f]*" "$tmp/fp_$name.out" | head -n 1)
        if [ -n "$line" ]; then
            f=$(echo "$line" | sed 's/flash 0x[0-9a-f]*+\(0x[0-9a-f]*\) .*/\1/')
            r=$(echo "$line" | sed 's/.* ram 0x[0-9a-f]*+\(0x[0-9a-f]*\)/\1/')
            APP_FP+=("$name $(hexsz "$f") $(hexsz "$r") $(wc -c <"$tbf")")
        fi
    fi
done
R[fp.blink]=$(printf '%s\n' "${APP_FP[@]}" | awk '$1 == "blink" { print $2, $3 }')
RSS_MAX=$(printf '%s\n' $RSS_ALL | cut -d= -f2 | sort -n | tail -n 1)
R[rss.max]=${RSS_MAX:-null}

# ---- report --------------------------------------------------------------------------------------------
v() { echo "${R[$1]:-null}"; }
rtf_met_a=$(met_ge "$(v rtf_alone.rtf)" "$RTF_TARGET")
rtf_met_b=$(met_ge "$(v rtf_blink.rtf)" "$RTF_TARGET")
idle_met=$(met_ge "$(v idle.warp)" "$IDLE_TARGET")
start_met=$(met_le "$(v startup.ms)" "$STARTUP_TARGET_MS")
ms() { awk -v a="$1" 'BEGIN { if (a == "null" || a == "") print "null"; else printf "%.1f", a / 1e6 }'; }
s1=$(v scale.1)
{
    echo "## Whole-system figures (issue #9)"
    echo
    echo "The Hail kernel on hailsim (\`--headless --view=plain --stats\`, board \`boards/hail.yaml\`)."
    echo "Virtual time runs at the SAM4L's 48 MHz (hailsim's cycle counter), so a real-time"
    echo "factor of 1 is the speed of a real Hail.  Medians of $REPS runs (real-time factor,"
    echo "start-up), $IDLE_REPS runs (idle hour: \`BENCH_IDLE_REPS\`) or $SLOW_REPS runs (scaling: \`BENCH_SLOW_REPS\`).  Host time is the"
    echo "\`host_ns\` of \`--stats\` (the run loop) unless marked wall.  Method: bench/README.md."
    echo
    echo "| figure | value | target | met |"
    echo "|---|---:|---:|---|"
    echo "| real-time factor, CPU-bound process alone (\`spin\`, ${RTF_S} s virtual; min–max $(fmt "$(v rtf_alone.min)")–$(fmt "$(v rtf_alone.max)")) | $(fmt "$(v rtf_alone.rtf)") × | ≥ ${RTF_TARGET} × | $(fmt "$rtf_met_a") |"
    echo "| real-time factor, the same with multi_red + multi_green blinking (min–max $(fmt "$(v rtf_blink.min)")–$(fmt "$(v rtf_blink.max)")) | $(fmt "$(v rtf_blink.rtf)") × | ≥ ${RTF_TARGET} × | $(fmt "$rtf_met_b") |"
    echo "| idle time warp, blink over $IDLE_S s virtual (min–max $(fmt "$(v idle.min)")–$(fmt "$(v idle.max)"); wall clock: $(fmt "$(v idle.wall_warp)") ×) | $(fmt "$(v idle.warp)") × | ≥ $IDLE_TARGET × | $(fmt "$idle_met") |"
    echo "| start-up: process start → blink's first pin toggle (wall; toggle at $(fmt "$(v startup.toggle_ns)") ns virtual, run to $(fmt "$(v startup.limit_us)") µs) | $(fmt "$(v startup.ms)") ms | ≤ $STARTUP_TARGET_MS ms | $(fmt "$start_met") |"
    echo "| most processes loaded at once (blink copies; $(fmt "$(v scale.refused)") of $SCALE_MAX refused: $(fmt "$(v scale.why)")) | $(fmt "$(v scale.max)") | - | - |"
    echo "| kernel flash (text + data) / region | $(fmt "$(v fp.flash)") B / $(fmt "$(v fp.kflash_region)") B | - | - |"
    echo "| kernel RAM (data + bss, incl. $(fmt "$(v fp.stack)") B stack) / region | $(fmt "$(v fp.ram)") B / $(fmt "$(v fp.kram_region)") B | - | - |"
    echo "| per app (blink): flash / RAM block the kernel reports at boot | $(fmt "$(echo "$(v fp.blink)" | awk '{ print $1 }')") B / $(fmt "$(echo "$(v fp.blink)" | awk '{ print $2 }')") B | - | - |"
    echo "| simulator peak RSS, largest of the runs above ($RSS_METHOD) | $(fmt "$(v rss.max)") KiB | - | - |"
    echo
    echo "Real-time factor details: guest instructions per cycle $(fmt "$(v rtf_alone.busy)") alone /"
    echo "$(fmt "$(v rtf_blink.busy)") with the blinkers (≈ 1 = the CPU never sleeps), i.e. $(fmt "$(v rtf_alone.mips)") /"
    echo "$(fmt "$(v rtf_blink.mips)") guest MIPS; $(fmt "$(v rtf_blink.leds)") LED changes of the blinkers in the last run."
    echo "Idle: $(fmt "$(v idle.insn_per_s)") guest instructions per virtual second, $(fmt "$(v idle.us_per_toggle)") µs of host"
    echo "time per blink period half (one toggle: alarm IRQ, upcall, toggle, re-arm)."
    echo "Peak RSS (KiB) per run: $(echo $RSS_ALL | tr ' ' '\n' | awk -F= '{ if (!($1 in m) || $2 > m[$1]) m[$1] = $2; if (!($1 in o)) { o[$1] = ++n; k[n] = $1 } } END { for (i = 1; i <= n; i++) printf "%s%s %s", (i > 1 ? ", " : ""), k[i], m[k[i]] }')."
    echo
    echo "### Scaling with the number of processes (blink copies, ${SCALE_S} s virtual)"
    echo
    echo "| processes | host ms | host ms per virtual s | × one process | guest instructions |"
    echo "|---:|---:|---:|---:|---:|"
    if [ "$(v scale.max)" != null ]; then
        for n in $(seq "${R[scale.max]}"); do
            h=$(v "scale.$n")
            echo "| $n | $(fmt "$(ms "$h")") | $(fmt "$(awk -v a="$h" -v s="$SCALE_S" 'BEGIN { if (a == "null") print "null"; else printf "%.2f", a / 1e6 / s }')") | $(fmt "$(awk -v a="$h" -v b="$s1" 'BEGIN { if (a == "null" || b == "null") print "null"; else printf "%.2f", a / b }')") | $(fmt "$(v "scale.$n.insns")") |"
        done
    fi
    echo
    echo "### Scaling with the number of libtock timers (one process, timer_every 100 ms, ${TIMER_WINDOW_MS} ms virtual)"
    echo
    echo "| timers | fires | host ms | host µs per fire | marginal host µs per fire (vs. ${TIMER_KS[0]:-?} timer) |"
    echo "|---:|---:|---:|---:|---:|"
    h0=$(v "timers.${TIMER_KS[0]:-x}") f0=$(v "timers.${TIMER_KS[0]:-x}.fires")
    for k in "${TIMER_KS[@]}"; do
        h=$(v "timers.$k") f=$(v "timers.$k.fires")
        echo "| $k | $(fmt "$f") | $(fmt "$(ms "$h")") | $(fmt "$(awk -v a="$h" -v f="$f" 'BEGIN { if (a == "null" || f == "null" || f == 0) print "null"; else printf "%.1f", a / 1e3 / f }')") | $(fmt "$(awk -v a="$h" -v f="$f" -v a0="$h0" -v f0="$f0" 'BEGIN { if (a == "null" || f == "null" || a0 == "null" || f0 == "null" || f <= f0) print "-"; else printf "%.1f", (a - a0) / 1e3 / (f - f0) }')") |"
    done
    echo
    echo "### Per-app blocks (as the kernel reports them at boot)"
    echo
    echo "| app | flash B | RAM block B | TBF file B |"
    echo "|---|---:|---:|---:|"
    for a in "${APP_FP[@]}"; do
        set -- $a
        echo "| $1 | $2 | $3 | $4 |"
    done
} >"$out_md"

jn() { if [ -z "$1" ] || [ "$1" = null ]; then echo null; else echo "$1"; fi; }
{
    echo "{\"real_time_factor\": {\"virtual_seconds\": $RTF_S, \"reps\": $REPS, \"target\": $RTF_TARGET,"
    echo "    \"alone\": {\"median\": $(jn "$(v rtf_alone.rtf)"), \"min\": $(jn "$(v rtf_alone.min)"), \"max\": $(jn "$(v rtf_alone.max)"), \"instructions_per_cycle\": $(jn "$(v rtf_alone.busy)"), \"met\": $(jb "$rtf_met_a")},"
    echo "    \"with_two_blinkers\": {\"median\": $(jn "$(v rtf_blink.rtf)"), \"min\": $(jn "$(v rtf_blink.min)"), \"max\": $(jn "$(v rtf_blink.max)"), \"instructions_per_cycle\": $(jn "$(v rtf_blink.busy)"), \"met\": $(jb "$rtf_met_b")}},"
    echo "   \"idle_warp\": {\"virtual_seconds\": $IDLE_S, \"reps\": $IDLE_REPS, \"median\": $(jn "$(v idle.warp)"), \"min\": $(jn "$(v idle.min)"), \"max\": $(jn "$(v idle.max)"), \"wall_median\": $(jn "$(v idle.wall_warp)"),"
    echo "    \"instructions_per_virtual_second\": $(jn "$(v idle.insn_per_s)"), \"target\": $IDLE_TARGET, \"met\": $(jb "$idle_met")},"
    echo "   \"startup\": {\"first_toggle_virtual_ns\": $(jn "$(v startup.toggle_ns)"), \"time_limit_us\": $(jn "$(v startup.limit_us)"), \"reps\": $REPS,"
    echo "    \"median_wall_ms\": $(jn "$(v startup.ms)"), \"target_ms\": $STARTUP_TARGET_MS, \"met\": $(jb "$start_met")},"
    printf '   "scale_processes": {"virtual_seconds": %s, "reps": %s, "offered": %s, "max_loaded": %s, "host_ns": [%s]},\n' \
        "$SCALE_S" "$SLOW_REPS" "$SCALE_MAX" "$(jn "$(v scale.max)")" "$(IFS=,; echo "${SCALE_NS[*]}" | sed 's/,/, /g')"
    printf '   "scale_timers": {"virtual_ms": %s, "reps": %s, "timers": [' "$TIMER_WINDOW_MS" "$SLOW_REPS"
    sep=""
    for k in "${TIMER_KS[@]}"; do
        printf '%s{"n": %s, "fires": %s, "host_ns": %s}' "$sep" "$k" "$(jn "$(v "timers.$k.fires")")" "$(jn "$(v "timers.$k")")"
        sep=", "
    done
    echo "]},"
    echo "   \"footprint\": {\"kernel_text\": $(jn "$(v fp.text)"), \"kernel_data\": $(jn "$(v fp.data)"), \"kernel_bss\": $(jn "$(v fp.bss)"),"
    echo "    \"kernel_flash\": $(jn "$(v fp.flash)"), \"kernel_ram\": $(jn "$(v fp.ram)"), \"kernel_stack\": $(jn "$(v fp.stack)"),"
    echo "    \"kernel_flash_region\": $(jn "$(v fp.kflash_region)"), \"kernel_ram_region\": $(jn "$(v fp.kram_region)"), \"app_ram_region\": $(jn "$(v fp.aram_region)"),"
    printf '    "apps": ['
    sep=""
    for a in "${APP_FP[@]}"; do
        set -- $a
        printf '%s{"name": "%s", "flash": %s, "ram_block": %s, "tbf_bytes": %s}' "$sep" "$1" "$2" "$3" "$4"
        sep=", "
    done
    echo "],"
    echo "    \"peak_rss_kib\": $(jn "$(v rss.max)"), \"rss_method\": \"$RSS_METHOD\"}}"
} >"$out_json"
exit "$failed"
