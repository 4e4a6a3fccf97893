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
#   QEMU=path|skip        qemu-system-arm binary (default: from PATH)
#   BENCH_BOARD=file      board description (default boards/hail.yaml)
#   BENCH_WORKLOADS="a b" workloads to run (default: every bench/workloads/*.c)
#   BENCH_TIMEOUT=300     seconds before one run is killed
#   BENCH_OUT=dir         where results.md/.json go (default: bench/)
#   BENCH_INSTRUCTIONS="crc32=499548549 alu=..."
#                         instruction counts to use when hailsim is skipped
#                         (normally they come from hailsim's --stats line)
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
QEMU=${QEMU:-qemu-system-arm}
BOARD=${BENCH_BOARD:-$ROOT/boards/hail.yaml}
OUT_DIR=${BENCH_OUT:-$ROOT/bench}

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
[ ${#WORKLOADS[@]} -gt 0 ] || die "no workloads (bench/workloads/*.c)"
for w in empty "${WORKLOADS[@]}"; do
    [ -f "$BUILD_DIR/bench/$w.elf" ] || die "image '$BUILD_DIR/bench/$w.elf' not found (run 'make images')"
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

# run_engine ENGINE WORKLOAD: REPS runs; sets R_NS (median wall ns), R_SUM
# (checksum lines), R_INSNS and R_MIPS (hailsim's --stats), R_OK (1/0)
run_engine() {
    local engine=$1 w=$2 elf="$BUILD_DIR/bench/$2.elf"
    local out="$TMP/$engine-$w.out" err="$TMP/$engine-$w.err"
    local -a times=() mipss=()
    local rep t0 t1 rc sum stats insns mips first_sum="" first_insns=""
    R_NS=null R_SUM="" R_INSNS=null R_MIPS=null R_OK=1
    engine_cmd "$engine" "$elf"
    for ((rep = 1; rep <= REPS; rep++)); do
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
            R_OK=0
            return 0
        fi
        sum=$(cat "$out" "$err" | tr -d '\r' | grep '^CHECKSUM ' | paste -sd ';' -) || sum=""
        if [ -z "$sum" ]; then
            fail "$engine $w: no CHECKSUM line in the output"
            R_OK=0
            return 0
        fi
        if [ "$rep" -eq 1 ]; then
            first_sum=$sum
        elif [ "$sum" != "$first_sum" ]; then
            fail "$engine $w: checksum changed between runs ('$first_sum' then '$sum')"
            R_OK=0
        fi
        times+=("$((t1 - t0))")
        if [ "$engine" = hailsim ]; then
            stats=$(grep '^hailsim-stats: ' "$err" | tail -n 1) || stats=""
            if [ -z "$stats" ]; then
                fail "hailsim $w: no 'hailsim-stats:' line on stderr (is --stats supported?)"
                R_OK=0
                return 0
            fi
            insns=$(printf '%s\n' "$stats" | sed -n 's/.* instructions=\([0-9][0-9]*\).*/\1/p')
            mips=$(printf '%s\n' "$stats" | sed -n 's/.* mips=\([0-9.][0-9.]*\).*/\1/p')
            local gexit
            gexit=$(printf '%s\n' "$stats" | sed -n 's/.* exit=\(-\{0,1\}[0-9][0-9]*\).*/\1/p')
            if [ -z "$insns" ] || [ -z "$mips" ]; then
                fail "hailsim $w: cannot parse '$stats'"
                R_OK=0
                return 0
            fi
            if [ "${gexit:-0}" != 0 ]; then
                fail "hailsim $w: guest exit status $gexit"
                R_OK=0
            fi
            if [ -z "$first_insns" ]; then
                first_insns=$insns
            elif [ "$insns" != "$first_insns" ]; then
                fail "hailsim $w: instruction count changed between runs ($first_insns, $insns)"
                R_OK=0
            fi
            mipss+=("$mips")
        fi
        printf '  %-12s %-14s run %d/%d  %9.1f ms\n' "$engine" "$w" "$rep" "$REPS" \
            "$(calc "$((t1 - t0)) / 1e6")" >&2
    done
    R_NS=$(median "${times[@]}")
    R_SUM=$first_sum
    if [ "$engine" = hailsim ]; then
        R_INSNS=$first_insns
        R_MIPS=$(median "${mipss[@]}")
    fi
}

ENGINES=()
[ "$HAILSIM" = skip ] || ENGINES+=(hailsim)
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
declare -A NS=() MIPS=() SUMS=() INSNS=() OK=()
for w in "${WORKLOADS[@]}"; do
    note "$w:"
    INSNS[$w]=${KNOWN_INSNS[$w]:-null}
    for e in "${ENGINES[@]}"; do
        run_engine "$e" "$w"
        NS[$e.$w]=$R_NS
        SUMS[$e.$w]=$R_SUM
        OK[$e.$w]=$R_OK
        if [ "$e" = hailsim ] && [ "$R_OK" -eq 1 ]; then
            INSNS[$w]=$R_INSNS
            MIPS[$e.$w]=$R_MIPS
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

# ---- results -----------------------------------------------------------------------------
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[ -n "$cpu" ] || cpu=$(uname -m)
cores=$(nproc 2>/dev/null || echo '?')
kernel=$(uname -sr)
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)

fmt() { # value -> markdown cell
    if [ "$1" = null ]; then echo "n/a"; else echo "$1"; fi
}
ratio_of() { # workload -> ratio or null
    local h=${MIPS[hailsim.$1]} q=${MIPS[qemu_icount.$1]}
    if [ "$h" = null ] || [ "$q" = null ]; then echo null; else calc "$h / $q"; fi
}
met_of() { # ratio -> yes/no/null
    if [ "$1" = null ]; then echo null
    elif awk "BEGIN { exit !($1 >= 0.8) }"; then echo yes
    else echo no; fi
}
ms_of() { # ns or null -> ms
    if [ "$1" = null ]; then echo null; else calc "$1 / 1e6"; fi
}

mkdir -p "$OUT_DIR"
MD="$OUT_DIR/results.md"
JSON="$OUT_DIR/results.json"
{
    echo "# hailsim benchmark results"
    echo
    echo "- Date: $now"
    echo "- CPU: $cpu ($cores cores); $kernel"
    echo "- QEMU: $QEMU_VERSION"
    echo "- hailsim: $(if [ "$HAILSIM" = skip ]; then echo skipped; else echo "$HAILSIM (git $rev)"; fi)"
    echo "- Runs: median of $REPS per engine and workload"
    echo
    echo "MIPS = million guest instructions per second of host time.  hailsim: the"
    echo "\`mips=\` figure of its \`--stats\` line.  QEMU: hailsim's instruction count"
    echo "for the same image divided by QEMU's median wall time, **minus QEMU's"
    echo "start-up time** (the median wall time of the \`empty\` image, which exits at"
    echo "once): $(ms_of "${STARTUP[qemu]:-null}") ms default, $(ms_of "${STARTUP[qemu_icount]:-null}") ms with \`-icount shift=0\`."
    echo
    echo "| workload | instructions | hailsim MIPS | QEMU MIPS | QEMU icount MIPS | hailsim / QEMU-icount | target ≥ 0.8 |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    for w in "${WORKLOADS[@]}"; do
        r=$(ratio_of "$w")
        echo "| $w | $(fmt "${INSNS[$w]}") | $(fmt "${MIPS[hailsim.$w]}") | $(fmt "${MIPS[qemu.$w]}") | $(fmt "${MIPS[qemu_icount.$w]}") | $(fmt "$r") | $(fmt "$(met_of "$r")") |"
    done
    echo
    echo "Median wall times (ms, including start-up) and checksums:"
    echo
    echo "| workload | hailsim | QEMU | QEMU icount | checksum | engines agree |"
    echo "|---|---:|---:|---:|---|---|"
    for w in empty "${WORKLOADS[@]}"; do
        if [ "$w" = empty ]; then
            hs=${STARTUP[hailsim]:-null} qs=${STARTUP[qemu]:-null} qi=${STARTUP[qemu_icount]:-null} agree="-" sum="-"
        else
            hs=${NS[hailsim.$w]:-null} qs=${NS[qemu.$w]:-null} qi=${NS[qemu_icount.$w]:-null}
            sum=${SUMS[$w]:-}
            agree=yes
            for e in "${ENGINES[@]}"; do [ "${OK[$e.$w]}" -eq 1 ] || agree=NO; done
        fi
        echo "| $w | $(fmt "$(ms_of "$hs")") | $(fmt "$(ms_of "$qs")") | $(fmt "$(ms_of "$qi")") | \`${sum:-none}\` | $agree |"
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
{
    echo "{"
    echo "  \"date\": $(jstr "$now"),"
    echo "  \"machine\": {\"cpu\": $(jstr "$cpu"), \"cores\": $(jstr "$cores"), \"kernel\": $(jstr "$kernel")},"
    echo "  \"qemu\": $(jstr "$QEMU_VERSION"),"
    echo "  \"hailsim\": $(if [ "$HAILSIM" = skip ]; then echo null; else jstr "$rev"; fi),"
    echo "  \"reps\": $REPS,"
    echo "  \"startup_ns\": {\"hailsim\": ${STARTUP[hailsim]:-null}, \"qemu\": ${STARTUP[qemu]:-null}, \"qemu_icount\": ${STARTUP[qemu_icount]:-null}},"
    echo "  \"workloads\": ["
    n=${#WORKLOADS[@]} i=0
    for w in "${WORKLOADS[@]}"; do
        i=$((i + 1))
        r=$(ratio_of "$w")
        sep=,
        [ "$i" -lt "$n" ] || sep=""
        agree=1
        for e in "${ENGINES[@]}"; do [ "${OK[$e.$w]}" -eq 1 ] || agree=0; done
        printf '    {"name": %s, "instructions": %s, "checksum": %s, "checksums_agree": %s,\n' \
            "$(jstr "$w")" "${INSNS[$w]}" "$(jstr "${SUMS[$w]:-}")" "$(jbool "$agree")"
        printf '     "hailsim": {"mips": %s, "median_wall_ns": %s},\n' "${MIPS[hailsim.$w]}" "${NS[hailsim.$w]:-null}"
        printf '     "qemu": {"mips": %s, "median_wall_ns": %s},\n' "${MIPS[qemu.$w]:-null}" "${NS[qemu.$w]:-null}"
        printf '     "qemu_icount": {"mips": %s, "median_wall_ns": %s},\n' "${MIPS[qemu_icount.$w]:-null}" "${NS[qemu_icount.$w]:-null}"
        printf '     "ratio_hailsim_qemu_icount": %s, "target_met": %s}%s\n' "$r" "$(jbool "$(met_of "$r")")" "$sep"
    done
    echo "  ],"
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
