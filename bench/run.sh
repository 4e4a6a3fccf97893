#!/usr/bin/env bash
# bench/run.sh — runs the benchmark workloads on hailsim and on QEMU and
# writes bench/results.md and bench/results.json.  See bench/README.md.
#
# usage: bench/run.sh BUILD_DIR
#   BUILD_DIR/bench/NAME.elf   the workload images (make images)
#   BUILD_DIR/hailsim          the simulator (make sim)
#
# Environment:
#   BENCH_REPS=5          runs per engine and workload; the median is reported
#   HAILSIM=path|skip     the simulator binary (default BUILD_DIR/hailsim);
#                         "skip" runs the QEMU half only
#   HAILSIM_UC_SYSTEM=path|skip  hailsim linked with Debian 12's Unicorn 2.0.1
#                         (make bench builds it when BUILD_DIR/hailsim uses the
#                         fetched 2.1): a fourth engine, same images, its MIPS
#                         and the ratio to hailsim in a table of their own
#   QEMU=path|skip        qemu-system-arm binary (default: from PATH)
#   BENCH_BOARD=file      board description (default boards/hail.yaml)
#   BENCH_WORKLOADS="a b" workloads to run (default: every bench/workloads/*.c)
#   BENCH_TIMEOUT=300     seconds before one run is killed
#   BENCH_OUT=dir         where results.md/.json go (default: bench/)
#   BENCH_INSTRUCTIONS="crc32=499548562 alu=..."
#                         instruction counts to use when hailsim is skipped
#                         (normally they come from hailsim's --stats line)
#   BENCH_TARGET_WORKLOADS="crc32 alu"
#                         workloads the "hailsim >= 0.8 x QEMU-icount" target
#                         applies to (the others show their ratio, no verdict)
#   BENCH_SVC_TARGET_US=5 target for one SVC round trip (host microseconds)
#   BENCH_KERNEL_COSTS=0  skip bench/kernel_costs.sh (kernel costs in cycles)
#   BENCH_SYSTEM=0        skip bench/system.sh (real-time factor, idle warp,
#                         start-up, scaling, footprint; its own knobs:
#                         BENCH_SLOW_REPS and the others in its header)
#
# The svc_1k and svc_1m images (bench/workloads/svc_body.h) are not in the
# MIPS table: they measure one SVC round trip from unprivileged thread mode
# with the MPU on, as the difference between the two images divided by the
# difference of their SVC counts (each prints "NAME: N svc round trips").
#
# Exit status: 0 if every run succeeded and every engine printed the same
# CHECKSUM lines; 1 if a run failed or a checksum differs; 2 on a usage or
# set-up error (missing tool or image).
set -euo pipefail

PROG=bench/run.sh
die() {
    printf '%s: error: %s\n' "$PROG" "$*" >&2
    exit 2
}
note() { printf '%s\n' "$*" >&2; }

usage() {
    note "usage: $PROG BUILD_DIR   (environment: BENCH_REPS, HAILSIM, QEMU, BENCH_WORKLOADS, ...;"
    note "       see the header of $PROG or bench/README.md)"
    exit 2
}

[ $# -eq 1 ] || usage
case $1 in -h | --help) usage ;; esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$1
[ -d "$BUILD_DIR" ] || die "build directory '$BUILD_DIR' does not exist (run 'make' first)"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)

REPS=${BENCH_REPS:-5}
case $REPS in '' | *[!0-9]*) die "BENCH_REPS='$REPS': expected a positive integer" ;; esac
[ "$REPS" -ge 1 ] || die "BENCH_REPS='$REPS': expected a positive integer"
TIMEOUT=${BENCH_TIMEOUT:-300}
case $TIMEOUT in '' | *[!0-9]*) die "BENCH_TIMEOUT='$TIMEOUT': expected seconds" ;; esac
HAILSIM=${HAILSIM:-$BUILD_DIR/hailsim}
HAILSIM_UC_SYSTEM=${HAILSIM_UC_SYSTEM:-skip}
QEMU=${QEMU:-qemu-system-arm}
BOARD=${BENCH_BOARD:-$ROOT/boards/hail.yaml}
OUT_DIR=${BENCH_OUT:-$ROOT/bench}
TARGET_WORKLOADS=" ${BENCH_TARGET_WORKLOADS-crc32 alu} "
SVC_TARGET_US=${BENCH_SVC_TARGET_US:-5}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

# ---- tools --------------------------------------------------------------------
need() {
    command -v "$1" >/dev/null 2>&1 || die "'$1' not found: $2"
}
need awk "install gawk or mawk"
need sort "install coreutils"
need timeout "install coreutils"
need mktemp "install coreutils"
need date "install coreutils"
case $(date +%N) in
    '' | *[!0-9]*) die "'date +%N' does not print nanoseconds (GNU coreutils date needed)" ;;
esac

if [ "$QEMU" != skip ]; then
    need "$QEMU" "install qemu-system-arm (Debian: apt-get install qemu-system-arm), or set QEMU=path"
    QEMU_VERSION=$("$QEMU" --version 2>/dev/null | head -n 1) || QEMU_VERSION=unknown
else
    QEMU_VERSION=skipped
fi
if [ "$HAILSIM" != skip ]; then
    [ -x "$HAILSIM" ] || die "simulator '$HAILSIM' not found or not executable (run 'make sim', or HAILSIM=skip for the QEMU half only)"
    [ -f "$BOARD" ] || die "board file '$BOARD' not found (set BENCH_BOARD)"
fi
[ "$HAILSIM" != skip ] || [ "$QEMU" != skip ] || die "HAILSIM=skip and QEMU=skip: nothing to run"
if [ "$HAILSIM_UC_SYSTEM" != skip ]; then
    [ -x "$HAILSIM_UC_SYSTEM" ] || die "HAILSIM_UC_SYSTEM='$HAILSIM_UC_SYSTEM' not found or not executable"
    [ "$HAILSIM" != skip ] || die "HAILSIM_UC_SYSTEM needs HAILSIM"
fi
# "hailsim 0.1.0 (Unicorn 2.1.1)" -> 2.1.1
unicorn_of() { "$1" --version 2>/dev/null | sed -n 's/.*(Unicorn \([0-9.]*\)).*/\1/p'; }

# ---- workloads ------------------------------------------------------------------
if [ -n "${BENCH_WORKLOADS:-}" ]; then
    read -r -a WORKLOADS <<<"$BENCH_WORKLOADS"
else
    WORKLOADS=()
    for src in "$ROOT"/bench/workloads/*.c; do
        [ -e "$src" ] || continue
        name=$(basename "$src" .c)
        [ "$name" = empty ] || WORKLOADS+=("$name")
    done
fi
# the SVC pair gets its own section, not a row in the MIPS table
SVC_SMALL=svc_1k SVC_LARGE=svc_1m
SVC_RUN=0
MAIN_WORKLOADS=()
for w in "${WORKLOADS[@]}"; do
    case $w in
        "$SVC_SMALL" | "$SVC_LARGE") SVC_RUN=$((SVC_RUN + 1)) ;;
        *) MAIN_WORKLOADS+=("$w") ;;
    esac
done
[ "$SVC_RUN" -ne 1 ] || die "the SVC round trip needs both $SVC_SMALL and $SVC_LARGE in BENCH_WORKLOADS"
[ ${#WORKLOADS[@]} -gt 0 ] || die "no workloads (bench/workloads/*.c)"
for w in empty "${WORKLOADS[@]}"; do
    [ -f "$BUILD_DIR/bench/$w.elf" ] || die "image '$BUILD_DIR/bench/$w.elf' not found (run 'make images')"
    # the Makefile does not know that the images depend on bench/workloads/*.h
    for h in "$ROOT"/bench/workloads/*.h; do
        [ -e "$h" ] || continue
        if grep -q "#include \"$(basename "$h")\"" "$ROOT/bench/workloads/$w.c" 2>/dev/null &&
            [ "$h" -nt "$BUILD_DIR/bench/$w.elf" ]; then
            note "$PROG: warning: $BUILD_DIR/bench/$w.elf is older than $h (touch bench/workloads/$w.c and run make)"
        fi
    done
done

declare -A KNOWN_INSNS=()
for kv in ${BENCH_INSTRUCTIONS:-}; do
    case $kv in
        *=*) KNOWN_INSNS[${kv%%=*}]=${kv#*=} ;;
        *) die "BENCH_INSTRUCTIONS: '$kv' is not NAME=COUNT" ;;
    esac
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hailsim-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ---- helpers --------------------------------------------------------------------

# median of the arguments (numbers); integers stay integers
median() {
    printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
        END {
            if (NR == 0) { print "null"; exit }
            if (NR % 2) { print a[(NR + 1) / 2]; exit }
            m = (a[NR / 2] + a[NR / 2 + 1]) / 2
            if (m == int(m)) printf "%d\n", m; else printf "%.3f\n", m
        }'
}

# calc EXPR: evaluates an awk expression, prints with 3 decimals
calc() { awk "BEGIN { printf \"%.3f\\n\", $1 }"; }

# the engine command lines
QEMU_SEMIHOSTING=enable=on,target=native
engine_cmd() { # ENGINE ELF -> sets CMD
    case $1 in
        hailsim) CMD=("$HAILSIM" --headless --board "$BOARD" --kernel "$2" --stats) ;;
        hailsim_ucsys) CMD=("$HAILSIM_UC_SYSTEM" --headless --board "$BOARD" --kernel "$2" --stats) ;;
        qemu) CMD=("$QEMU" -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none
            -semihosting-config "$QEMU_SEMIHOSTING" -kernel "$2") ;;
        qemu_icount) CMD=("$QEMU" -M mps2-an386 -cpu cortex-m4 -nographic -monitor none -serial none
            -semihosting-config "$QEMU_SEMIHOSTING" -icount shift=0 -kernel "$2") ;;
        *) die "internal: unknown engine $1" ;;
    esac
}

FAILED=0
fail() {
    printf '%s: FAIL: %s\n' "$PROG" "$*" >&2
    FAILED=1
}

# Runs are interleaved: repetition r of every engine runs before repetition
# r + 1 of any, so a slow phase of the (shared, virtual) machine hits every
# engine alike and the ratios stay fair.  run_once ENGINE WORKLOAD REP does
# one run and records it in the RUN_* arrays (keyed ENGINE.WORKLOAD);
# run_engine ENGINE WORKLOAD runs REPS of one engine alone (the start-up
# image); finish_engine ENGINE WORKLOAD then sets R_NS (median wall ns), R_SUM
# (checksum lines), R_INSNS, R_CYCLES, R_HOSTNS (median) and R_MIPS (median)
# from hailsim's --stats, R_PROT (prot_calls), R_OK (1/0).  The output of the
# last run stays in $TMP/ENGINE-WORKLOAD.out/.err.
declare -A RUN_TIMES=() RUN_MIPS=() RUN_HOSTS=() RUN_SUM=() RUN_INSNS=() RUN_CYCLES=() RUN_PROT=() RUN_OK=()

# same_each_run ARRAY KEY VALUE WHAT: the first run's VALUE is kept in
# ARRAY[KEY]; a later run with another value fails that engine and workload
same_each_run() {
    local -n first=$1
    if [ -z "${first[$2]}" ]; then
        first[$2]=$3
    elif [ "$3" != "${first[$2]}" ]; then
        fail "$4 changed between runs ('${first[$2]}' then '$3')"
        RUN_OK[$2]=0
    fi
}
run_once() {
    local engine=$1 w=$2 rep=$3 elf="$BUILD_DIR/bench/$2.elf" k="$1.$2"
    local out="$TMP/$engine-$w.out" err="$TMP/$engine-$w.err"
    local t0 t1 rc sum stats insns mips cycles hostns prot gexit
    if [ "$rep" -eq 1 ]; then
        RUN_TIMES[$k]="" RUN_MIPS[$k]="" RUN_HOSTS[$k]="" RUN_SUM[$k]="" RUN_INSNS[$k]=""
        RUN_CYCLES[$k]="" RUN_PROT[$k]=null RUN_OK[$k]=1
    fi
    [ "${RUN_OK[$k]}" -eq 1 ] || return 0
    engine_cmd "$engine" "$elf"
    rc=0
    t0=$(date +%s%N)
    timeout "$TIMEOUT" "${CMD[@]}" >"$out" 2>"$err" </dev/null || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" -ne 0 ]; then
        if [ "$rc" -eq 124 ]; then
            fail "$engine $w: timed out after ${TIMEOUT}s"
        else
            fail "$engine $w: exit status $rc"
        fi
        note "  command: ${CMD[*]}"
        note "  last lines of its output:"
        tail -n 5 "$out" "$err" | sed 's/^/    /' >&2
        RUN_OK[$k]=0
        return 0
    fi
    sum=$(cat "$out" "$err" | tr -d '\r' | grep '^CHECKSUM ' | paste -sd ';' -) || sum=""
    if [ -z "$sum" ]; then
        fail "$engine $w: no CHECKSUM line in the output"
        RUN_OK[$k]=0
        return 0
    fi
    same_each_run RUN_SUM "$k" "$sum" "$engine $w: checksum"
    RUN_TIMES[$k]="${RUN_TIMES[$k]} $((t1 - t0))"
    if [ "${engine%%_*}" = hailsim ]; then
        stats=$(grep '^hailsim-stats: ' "$err" | tail -n 1) || stats=""
        if [ -z "$stats" ]; then
            fail "hailsim $w: no 'hailsim-stats:' line on stderr (is --stats supported?)"
            RUN_OK[$k]=0
            return 0
        fi
        insns=$(printf '%s\n' "$stats" | sed -n 's/.* instructions=\([0-9][0-9]*\).*/\1/p')
        mips=$(printf '%s\n' "$stats" | sed -n 's/.* mips=\([0-9.][0-9.]*\).*/\1/p')
        cycles=$(printf '%s\n' "$stats" | sed -n 's/.* cycles=\([0-9][0-9]*\).*/\1/p')
        hostns=$(printf '%s\n' "$stats" | sed -n 's/.* host_ns=\([0-9][0-9]*\).*/\1/p')
        prot=$(printf '%s\n' "$stats" | sed -n 's/.* prot_calls=\([0-9][0-9]*\).*/\1/p')
        RUN_PROT[$k]=${prot:-null}
        gexit=$(printf '%s\n' "$stats" | sed -n 's/.* exit=\(-\{0,1\}[0-9][0-9]*\).*/\1/p')
        if [ -z "$insns" ] || [ -z "$mips" ] || [ -z "$cycles" ] || [ -z "$hostns" ]; then
            fail "hailsim $w: cannot parse '$stats'"
            RUN_OK[$k]=0
            return 0
        fi
        if [ "${gexit:-0}" != 0 ]; then
            fail "hailsim $w: guest exit status $gexit"
            RUN_OK[$k]=0
        fi
        same_each_run RUN_INSNS "$k" "$insns" "hailsim $w: instruction count"
        same_each_run RUN_CYCLES "$k" "$cycles" "hailsim $w: cycle count"
        RUN_MIPS[$k]="${RUN_MIPS[$k]} $mips"
        RUN_HOSTS[$k]="${RUN_HOSTS[$k]} $hostns"
    fi
    printf '  %-12s %-14s run %d/%d  %9.1f ms\n' "$engine" "$w" "$rep" "$REPS" \
        "$(calc "$((t1 - t0)) / 1e6")" >&2
}

finish_engine() {
    local k="$1.$2"
    R_NS=null R_SUM="" R_INSNS=null R_CYCLES=null R_HOSTNS=null R_MIPS=null R_PROT=${RUN_PROT[$k]:-null}
    R_OK=${RUN_OK[$k]:-0}
    [ "$R_OK" -eq 1 ] || return 0
    # shellcheck disable=SC2086  # word splitting of the recorded lists is intended
    R_NS=$(median ${RUN_TIMES[$k]})
    R_SUM=${RUN_SUM[$k]}
    if [ "${1%%_*}" = hailsim ]; then
        R_INSNS=${RUN_INSNS[$k]}
        R_CYCLES=${RUN_CYCLES[$k]}
        # shellcheck disable=SC2086
        R_MIPS=$(median ${RUN_MIPS[$k]})
        # shellcheck disable=SC2086
        R_HOSTNS=$(median ${RUN_HOSTS[$k]})
    fi
}

run_engine() {
    local rep
    for ((rep = 1; rep <= REPS; rep++)); do
        run_once "$1" "$2" "$rep"
    done
    finish_engine "$1" "$2"
}

ENGINES=()
[ "$HAILSIM" = skip ] || ENGINES+=(hailsim)
[ "$HAILSIM_UC_SYSTEM" = skip ] || ENGINES+=(hailsim_ucsys)
[ "$QEMU" = skip ] || ENGINES+=(qemu qemu_icount)

# ---- start-up cost: the empty image ----------------------------------------------
declare -A STARTUP=()
note "start-up cost (empty image), $REPS runs per engine:"
for e in "${ENGINES[@]}"; do
    run_engine "$e" empty
    STARTUP[$e]=$R_NS
    [ "$R_OK" -eq 1 ] || STARTUP[$e]=null
done

# ---- the workloads -------------------------------------------------------------------
declare -A NS=() MIPS=() SUMS=() INSNS=() OK=() CYCLES=() HOSTNS=() PROT=() SVCN=()
for w in "${WORKLOADS[@]}"; do
    note "$w:"
    INSNS[$w]=${KNOWN_INSNS[$w]:-null}
    for ((rep = 1; rep <= REPS; rep++)); do
        for e in "${ENGINES[@]}"; do
            run_once "$e" "$w" "$rep"
        done
    done
    for e in "${ENGINES[@]}"; do
        finish_engine "$e" "$w"
        NS[$e.$w]=$R_NS
        SUMS[$e.$w]=$R_SUM
        OK[$e.$w]=$R_OK
        if [ "$e" = hailsim ] && [ "$R_OK" -eq 1 ]; then
            INSNS[$w]=$R_INSNS
            MIPS[$e.$w]=$R_MIPS
            CYCLES[$w]=$R_CYCLES
            HOSTNS[$w]=$R_HOSTNS
            PROT[$w]=$R_PROT
        fi
        if [ "$e" = hailsim_ucsys ] && [ "$R_OK" -eq 1 ]; then
            MIPS[$e.$w]=$R_MIPS
            # the same guest, instruction for instruction, on either Unicorn
            if [ "${INSNS[$w]}" != null ] && [ "$R_INSNS" != "${INSNS[$w]}" ]; then
                fail "$w: $R_INSNS instructions with the system's Unicorn, ${INSNS[$w]} with hailsim's"
                OK[$e.$w]=0
            fi
        fi
        # the SVC images say how many round trips they made
        if [ "$R_OK" -eq 1 ] && [ -z "${SVCN[$w]:-}" ]; then
            n=$(cat "$TMP/$e-$w.out" "$TMP/$e-$w.err" | tr -d '\r' |
                sed -n "s/^$w: \([0-9][0-9]*\) svc round trips.*/\1/p" | head -n 1)
            [ -z "$n" ] || SVCN[$w]=$n
        fi
    done
    # QEMU MIPS: hailsim's instruction count for the same image over QEMU's
    # median wall time minus its start-up time
    for e in qemu qemu_icount; do
        MIPS[$e.$w]=null
        [ "${OK[$e.$w]:-0}" -eq 1 ] || continue
        [ "${INSNS[$w]}" != null ] || continue
        [ "${STARTUP[$e]}" != null ] || continue
        net=$(calc "${NS[$e.$w]} - ${STARTUP[$e]}")
        if awk "BEGIN { exit !($net > 0) }"; then
            MIPS[$e.$w]=$(calc "${INSNS[$w]} / ($net / 1000)")
        else
            note "  $e $w: run time not above the start-up time; no MIPS figure"
        fi
    done
    [ -n "${MIPS[hailsim.$w]:-}" ] || MIPS[hailsim.$w]=null
    # every engine must print the same checksum lines
    ref="" ref_engine=""
    for e in "${ENGINES[@]}"; do
        [ "${OK[$e.$w]}" -eq 1 ] || continue
        if [ -z "$ref_engine" ]; then
            ref=${SUMS[$e.$w]} ref_engine=$e
        elif [ "${SUMS[$e.$w]}" != "$ref" ]; then
            fail "$w: checksum differs: $ref_engine '$ref', $e '${SUMS[$e.$w]}'"
            OK[$e.$w]=0
        fi
    done
    SUMS[$w]=$ref
done

# ---- the SVC round trip ----------------------------------------------------------------
# per round trip = (large - small) / (N large - N small), for every engine
declare -A SVC=()
for k in hailsim_host_us hailsim_wall_us hailsim_cycles hailsim_insns qemu_us qemu_icount_us n_small n_large met; do
    SVC[$k]=null
done
if [ "$SVC_RUN" -eq 2 ]; then
    ns=${SVCN[$SVC_SMALL]:-} nl=${SVCN[$SVC_LARGE]:-}
    if [ -z "$ns" ] || [ -z "$nl" ] || [ "$nl" -le "$ns" ]; then
        fail "svc round trip: cannot read the SVC counts ('$SVC_SMALL: N svc round trips' lines)"
    else
        SVC[n_small]=$ns SVC[n_large]=$nl
        dn=$((nl - ns))
        both_ok() { [ "${OK[$1.$SVC_SMALL]:-0}" -eq 1 ] && [ "${OK[$1.$SVC_LARGE]:-0}" -eq 1 ]; }
        if [ "$HAILSIM" != skip ] && both_ok hailsim; then
            SVC[hailsim_host_us]=$(calc "(${HOSTNS[$SVC_LARGE]} - ${HOSTNS[$SVC_SMALL]}) / $dn / 1000")
            SVC[hailsim_wall_us]=$(calc "(${NS[hailsim.$SVC_LARGE]} - ${NS[hailsim.$SVC_SMALL]}) / $dn / 1000")
            SVC[hailsim_cycles]=$(calc "(${CYCLES[$SVC_LARGE]} - ${CYCLES[$SVC_SMALL]}) / $dn")
            SVC[hailsim_insns]=$(calc "(${INSNS[$SVC_LARGE]} - ${INSNS[$SVC_SMALL]}) / $dn")
            if awk "BEGIN { exit !(${SVC[hailsim_host_us]} <= $SVC_TARGET_US) }"; then SVC[met]=yes; else SVC[met]=no; fi
        fi
        for e in qemu qemu_icount; do
            if [ "$QEMU" = skip ] || ! both_ok "$e"; then continue; fi
            SVC[${e}_us]=$(calc "(${NS[$e.$SVC_LARGE]} - ${NS[$e.$SVC_SMALL]}) / $dn / 1000")
        done
    fi
fi

# ---- results -----------------------------------------------------------------------------
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[ -n "$cpu" ] || cpu=$(uname -m)
cores=$(nproc 2>/dev/null || echo '?')
kernel=$(uname -sr)
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)
[ "$rev" = none ] || [ -z "$(git -C "$ROOT" status --porcelain -- sim 2>/dev/null)" ] || rev="$rev+local-changes-in-sim"
unicorn=unknown
[ "$HAILSIM" = skip ] || unicorn=$(unicorn_of "$HAILSIM")
unicorn_sys=null
[ "$HAILSIM_UC_SYSTEM" = skip ] || unicorn_sys=$(unicorn_of "$HAILSIM_UC_SYSTEM")
mem_gib=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo '?')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

fmt() { # value -> markdown cell
    if [ "$1" = null ]; then echo "n/a"; else echo "$1"; fi
}
ratio_of() { # workload -> ratio or null
    local h=${MIPS[hailsim.$1]} q=${MIPS[qemu_icount.$1]}
    if [ "$h" = null ] || [ "$q" = null ]; then echo null; else calc "$h / $q"; fi
}
has_target() { case $TARGET_WORKLOADS in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
met_of() { # workload ratio -> yes/no/null ("-" when no target applies)
    if ! has_target "$1"; then echo "-"
    elif [ "$2" = null ]; then echo null
    elif awk "BEGIN { exit !($2 >= 0.8) }"; then echo yes
    else echo no; fi
}
ms_of() { # ns or null -> ms
    if [ "$1" = null ]; then echo null; else calc "$1 / 1e6"; fi
}
agree_of() { # workload -> 1/0
    local e
    for e in "${ENGINES[@]}"; do [ "${OK[$e.$1]:-0}" -eq 1 ] || { echo 0; return; }; done
    echo 1
}

# Kernel costs (bench/kernel_costs.sh): the Hail kernel with the apps of bench/apps/.
KC_MD=$(mktemp) KC_JSON=$(mktemp)
if [ "$HAILSIM" != skip ] && [ "${BENCH_KERNEL_COSTS:-1}" != 0 ]; then
    if ! HAILSIM="$HAILSIM" BENCH_REPS="$REPS" bash "$(dirname "$0")/kernel_costs.sh" "$BUILD_DIR" "$KC_MD" "$KC_JSON"; then
        note "$PROG: kernel costs: a run failed"
        FAILED=1
    fi
fi

# Whole-system figures (bench/system.sh): real-time factor, idle warp, start-up,
# scaling, footprint of the Hail kernel on hailsim.
SYS_MD=$TMP/system.md SYS_JSON=$TMP/system.json
if [ "$HAILSIM" != skip ] && [ "${BENCH_SYSTEM:-1}" != 0 ]; then
    if ! HAILSIM="$HAILSIM" BENCH_REPS="$REPS" bash "$(dirname "$0")/system.sh" "$BUILD_DIR" "$SYS_MD" "$SYS_JSON"; then
        note "$PROG: whole-system figures: a run or a check failed"
        FAILED=1
    fi
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

mkdir -p "$OUT_DIR"
MD="$OUT_DIR/results.md"
JSON="$OUT_DIR/results.json"
{
    echo "# hailsim benchmark results"
    echo
    echo "- Date: $now"
    echo "- Machine: $cpu, $cores cores, $mem_gib GiB RAM; $kernel"
    echo "- Load average (1/5/15 min) before / after: $LOAD_BEFORE / $LOAD_AFTER"
    echo "- QEMU: $QEMU_VERSION"
    echo "- hailsim: $(if [ "$HAILSIM" = skip ]; then echo skipped; else echo "$HAILSIM (git $rev), Unicorn $unicorn"; fi)"
    echo "- Runs: median of $REPS per engine and workload (\`BENCH_REPS\`), one at a time"
    echo
    echo "MIPS = million guest instructions per second of host time.  hailsim: the"
    echo "\`mips=\` figure of its \`--stats\` line (instructions / host time of the run"
    echo "loop, i.e. without process start and ELF loading).  QEMU: hailsim's"
    echo "instruction count for the same image divided by QEMU's median wall time"
    echo "**minus QEMU's start-up time** (the median wall time of the \`empty\` image,"
    echo "which exits at once): $(ms_of "${STARTUP[qemu]:-null}") ms default, $(ms_of "${STARTUP[qemu_icount]:-null}") ms with \`-icount shift=0\`."
    echo "The target (hailsim ≥ 0.8 × QEMU-icount) applies to:${TARGET_WORKLOADS% }."
    echo
    echo "| workload | instructions | hailsim MIPS | QEMU MIPS | QEMU icount MIPS | hailsim / QEMU-icount | target ≥ 0.8 met |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    for w in "${MAIN_WORKLOADS[@]}"; do
        r=$(ratio_of "$w")
        echo "| $w | $(fmt "${INSNS[$w]}") | $(fmt "${MIPS[hailsim.$w]}") | $(fmt "${MIPS[qemu.$w]}") | $(fmt "${MIPS[qemu_icount.$w]}") | $(fmt "$r") | $(fmt "$(met_of "$w" "$r")") |"
    done
    if [ -n "${MIPS[hailsim.store]:-}" ] && [ "${MIPS[hailsim.store]}" != null ]; then
        echo
        echo "**store** (no target, reported as measured: ratio $(fmt "$(ratio_of store)")): Debian 12's"
        echo "Unicorn 2.0.1 sends every guest store to RAM through QEMU's slow \"notdirty\""
        echo "path; Unicorn 2.1 (fetched from Debian trixie by \`make\`, tools/unicorn21.sh)"
        echo "does not.  This run's hailsim uses Unicorn $unicorn; docs/performance.md has the profile."
    fi
    if [ "$HAILSIM_UC_SYSTEM" != skip ]; then
        echo
        echo "## hailsim on Unicorn $unicorn against Debian 12's Unicorn $unicorn_sys"
        echo
        echo "The same images, the same instruction counts (checked), the same run loop;"
        echo "only the library differs (\`make UNICORN=system\` builds the second binary)."
        echo
        echo "| workload | MIPS, Unicorn $unicorn | MIPS, Unicorn $unicorn_sys | ratio |"
        echo "|---|---:|---:|---:|"
        for w in "${MAIN_WORKLOADS[@]}"; do
            a=${MIPS[hailsim.$w]:-null} b=${MIPS[hailsim_ucsys.$w]:-null} r=null
            if [ "$a" != null ] && [ "$b" != null ]; then r=$(calc "$a / $b"); fi
            echo "| $w | $(fmt "$a") | $(fmt "$b") | $(fmt "$r") |"
        done
    fi
    if [ "$SVC_RUN" -eq 2 ]; then
        echo
        echo "## SVC round trip (unprivileged thread mode on PSP, MPU on)"
        echo
        echo "\`svc #1\` from unprivileged code into a 16-instruction handler and back"
        echo "(bench/workloads/svc_body.h).  Per round trip = ($SVC_LARGE − $SVC_SMALL) /"
        echo "($(fmt "${SVC[n_large]}") − $(fmt "${SVC[n_small]}")) SVCs, medians of $REPS runs; start-up and set-up cancel out."
        echo
        echo "| figure | per round trip |"
        echo "|---|---:|"
        echo "| hailsim host time (\`host_ns\` of --stats) | $(fmt "${SVC[hailsim_host_us]}") µs |"
        echo "| hailsim wall time | $(fmt "${SVC[hailsim_wall_us]}") µs |"
        echo "| hailsim emulated cycles (deterministic) | $(fmt "${SVC[hailsim_cycles]}") |"
        echo "| hailsim guest instructions | $(fmt "${SVC[hailsim_insns]}") |"
        echo "| QEMU wall time | $(fmt "${SVC[qemu_us]}") µs |"
        echo "| QEMU -icount shift=0 wall time | $(fmt "${SVC[qemu_icount_us]}") µs |"
        echo "| target: hailsim host ≤ $SVC_TARGET_US µs | $(fmt "${SVC[met]}") |"
    fi
    if [ -s "$KC_MD" ]; then
        echo
        cat "$KC_MD"
    fi
    if [ -s "$SYS_MD" ]; then
        echo
        cat "$SYS_MD"
    fi
    echo
    echo "## Raw figures"
    echo
    echo "Median wall times (ms, including start-up), hailsim's own host time of the"
    echo "run loop, and checksums:"
    echo
    echo "| workload | hailsim wall | hailsim host_ns | QEMU | QEMU icount | checksum | engines agree |"
    echo "|---|---:|---:|---:|---:|---|---|"
    for w in empty "${WORKLOADS[@]}"; do
        if [ "$w" = empty ]; then
            hs=${STARTUP[hailsim]:-null} qs=${STARTUP[qemu]:-null} qi=${STARTUP[qemu_icount]:-null} agree="-" sum="-" hh=null
        else
            hs=${NS[hailsim.$w]:-null} qs=${NS[qemu.$w]:-null} qi=${NS[qemu_icount.$w]:-null}
            hh=${HOSTNS[$w]:-null}
            sum=${SUMS[$w]:-}
            if [ "$(agree_of "$w")" -eq 1 ]; then agree=yes; else agree=NO; fi
        fi
        echo "| $w | $(fmt "$(ms_of "$hs")") | $(fmt "$(ms_of "$hh")") | $(fmt "$(ms_of "$qs")") | $(fmt "$(ms_of "$qi")") | \`${sum:-none}\` | $agree |"
    done
    if [ "$FAILED" -ne 0 ]; then
        echo
        echo "**Some runs failed or their checksums differ; see the output of bench/run.sh.**"
    fi
} >"$MD"

jstr() { # JSON string
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}
jbool() {
    case $1 in yes | 1) echo true ;; no | 0) echo false ;; *) echo null ;; esac
}
jnum() { # number or null; strips nothing else
    if [ -z "$1" ]; then echo null; else echo "$1"; fi
}
{
    echo "{"
    echo "  \"date\": $(jstr "$now"),"
    echo "  \"machine\": {\"cpu\": $(jstr "$cpu"), \"cores\": $(jstr "$cores"), \"mem_gib\": $(jstr "$mem_gib"), \"kernel\": $(jstr "$kernel"),"
    echo "              \"loadavg_before\": $(jstr "$LOAD_BEFORE"), \"loadavg_after\": $(jstr "$LOAD_AFTER")},"
    echo "  \"qemu\": $(jstr "$QEMU_VERSION"),"
    echo "  \"hailsim\": $(if [ "$HAILSIM" = skip ]; then echo null; else jstr "$rev"; fi),"
    echo "  \"unicorn\": $(jstr "$unicorn"),"
    if [ "$HAILSIM_UC_SYSTEM" != skip ]; then
        printf '  "unicorn_system": {"version": %s, "mips": {' "$(jstr "$unicorn_sys")"
        sep=""
        for w in "${MAIN_WORKLOADS[@]}"; do
            printf '%s%s: %s' "$sep" "$(jstr "$w")" "${MIPS[hailsim_ucsys.$w]:-null}"
            sep=", "
        done
        echo "}},"
    fi
    echo "  \"reps\": $REPS,"
    echo "  \"startup_ns\": {\"hailsim\": ${STARTUP[hailsim]:-null}, \"qemu\": ${STARTUP[qemu]:-null}, \"qemu_icount\": ${STARTUP[qemu_icount]:-null}},"
    echo "  \"workloads\": ["
    n=${#WORKLOADS[@]} i=0
    for w in "${WORKLOADS[@]}"; do
        i=$((i + 1))
        r=$(ratio_of "$w")
        sep=,
        [ "$i" -lt "$n" ] || sep=""
        if has_target "$w"; then tm=$(jbool "$(met_of "$w" "$r")"); else tm=null; fi
        printf '    {"name": %s, "instructions": %s, "cycles": %s, "checksum": %s, "checksums_agree": %s,\n' \
            "$(jstr "$w")" "${INSNS[$w]}" "$(jnum "${CYCLES[$w]:-null}")" "$(jstr "${SUMS[$w]:-}")" "$(jbool "$(agree_of "$w")")"
        printf '     "hailsim": {"mips": %s, "median_wall_ns": %s, "median_host_ns": %s, "prot_calls": %s},\n' \
            "${MIPS[hailsim.$w]}" "${NS[hailsim.$w]:-null}" "${HOSTNS[$w]:-null}" "${PROT[$w]:-null}"
        printf '     "qemu": {"mips": %s, "median_wall_ns": %s},\n' "${MIPS[qemu.$w]:-null}" "${NS[qemu.$w]:-null}"
        printf '     "qemu_icount": {"mips": %s, "median_wall_ns": %s},\n' "${MIPS[qemu_icount.$w]:-null}" "${NS[qemu_icount.$w]:-null}"
        printf '     "ratio_hailsim_qemu_icount": %s, "target_applies": %s, "target_met": %s}%s\n' \
            "$r" "$(if has_target "$w"; then echo true; else echo false; fi)" "$tm" "$sep"
    done
    echo "  ],"
    if [ "$SVC_RUN" -eq 2 ]; then
        echo "  \"svc_roundtrip\": {\"images\": [$(jstr "$SVC_SMALL"), $(jstr "$SVC_LARGE")], \"svc_counts\": [${SVC[n_small]}, ${SVC[n_large]}],"
        echo "    \"hailsim_host_us\": ${SVC[hailsim_host_us]}, \"hailsim_wall_us\": ${SVC[hailsim_wall_us]},"
        echo "    \"hailsim_cycles\": ${SVC[hailsim_cycles]}, \"hailsim_instructions\": ${SVC[hailsim_insns]},"
        echo "    \"qemu_us\": ${SVC[qemu_us]}, \"qemu_icount_us\": ${SVC[qemu_icount_us]},"
        echo "    \"target_us\": $SVC_TARGET_US, \"target_met\": $(jbool "${SVC[met]}")},"
    else
        echo "  \"svc_roundtrip\": null,"
    fi
    echo "  \"kernel_costs\": $(if [ -s "$KC_JSON" ]; then cat "$KC_JSON"; else echo null; fi),"
    echo "  \"system\": $(if [ -s "$SYS_JSON" ]; then cat "$SYS_JSON"; else echo null; fi),"
    echo "  \"ok\": $(if [ "$FAILED" -eq 0 ]; then echo true; else echo false; fi)"
    echo "}"
} >"$JSON"

note ""
cat "$MD" >&2
note ""
note "wrote $MD and $JSON"
if [ "$FAILED" -ne 0 ]; then
    note "$PROG: some runs failed or checksums differ (see above)"
    exit 1
fi
