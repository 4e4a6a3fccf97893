#!/usr/bin/env bash
# run.sh BUILD_DIR — hostile processes (issue #8): every test boots the Hail
# kernel on hailsim with the well-behaved witness apps/hostile_victim first
# (a secret in its RAM, the red LED toggled every 250 ms, "victim: tick N ok"
# every second) and one misbehaving process, and asserts on the JSON Lines
# trace: "fault" events (kind, cfsr, addr, pc), the console ("uart" events:
# the attacker's report of what it did, the kernel's fault/restart/exit lines)
# and the witness's red LED timing and console lines, which must match a run
# of the witness alone.  The attackers are one ELF, build/apps/hostile_app.elf
# (apps/hostile_app), converted once per behaviour with `elf2tbf -n
# hostile_MODE`; the app picks its behaviour from its package name.
#
#   fault/MODE   the attack faults at the printed pc/address; 5 restarts
#                (restart_then_panic, threshold 4) inside the 2 s window; no
#                panic, no leak, witness intact.  Modes: kread kwrite (kernel
#                RAM), vread vwrite (victim RAM), vgrant vgrantw (victim grant
#                area), owngrant (own grant area), flashw (own flash), execram,
#                kjump (kernel code), periph (GPIO register), scs nvic (SCS:
#                imprecise BusFault, a documented gap of the simulator)
#   policy       kread until the 6th fault: the kernel panics by its policy
#   stack        stack overflow below the process's memory
#   badsp        SP set below the process's memory, then a spin: the timeslice
#                interrupt cannot stack its frame (MSTKERR)
#   badsvc       exit with r0=5 → NOSUPPORT, memop 12 → NOSUPPORT, svc 9 → fault
#   brk          absurd brk/sbrk → NOMEM, break unchanged, no fault
#   pointers     allow/subscribe/yield pointers outside the process → INVAL
#   flood        IPC upcall flood: queue full → NOMEM, dropped count in `process`
#   spin         a loop that never yields: the witness keeps its timing
#   grant        exhausting its own grant memory: only its own request fails
#   restart      exit-restart ≥ 1000 times: the same memop 6/1 values every life
#   ipcdead      IPC to a terminated process / bad slots → INVAL; to a restarting one
#   cmdfuzz      every driver's commands with absurd arguments
#   ipcrevoke    a client shares a buffer with a service (ipcsvc/ipccli), the
#                service writes it; the client takes it back and notifies
#                again: the service's write to the old address faults
#   tbf          a corrupted TBF between valid ones is skipped, the rest load
#
# Ends with "hostile: N passed, M failed"; exit status non-zero on failure.
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init hostile "$@"

kernel="$build_dir/hail/kernel.elf"
elf2tbf="$build_dir/elf2tbf"
apps="$build_dir/apps"
out="$build_dir/hostile-tests"

# check NAME CONDITION-STATUS DETAIL...: pass if the status is 0
check() {
    local name=$1 st=$2
    shift 2
    if [ "$st" -eq 0 ]; then pass "$name"; else fail "$name" "$@"; fi
}

modes="kread kwrite vread vwrite vgrant vgrantw owngrant flashw execram kjump periph scs nvic stack badsp badsvc
brk pointers flood spin grant restart ipcdead cmdfuzz ipcsvc ipccli"

if [ ! -x "$hailsim" ] || [ ! -f "$kernel" ] || [ ! -x "$elf2tbf" ] || [ ! -f "$apps/hostile_app.elf" ] ||
    [ ! -f "$apps/hostile_victim.tbf" ] || [ ! -f "$apps/hello.tbf" ]; then
    fail setup "missing hailsim, hail/kernel.elf, elf2tbf or apps/hostile_*.{elf,tbf} in $build_dir (make)"
    tl_finish
fi
mkdir -p "$out"
for m in $modes; do
    if ! "$elf2tbf" -n "hostile_$m" -o "$out/$m.tbf" "$apps/hostile_app.elf" >"$tmp/elf2tbf.log" 2>&1; then
        fail "setup: elf2tbf hostile_$m" "$(tail -n 3 "$tmp/elf2tbf.log")"
        tl_finish
    fi
done
victim="$apps/hostile_victim.tbf"

# ---- helpers ----------------------------------------------------------------------

# sim NAME LIMIT [ARGS...]: one headless run; trace in $tmp/NAME.trace
sim() {
    local name=$1 limit=$2
    shift 2
    tl_run 300 "$name" --board boards/hail.yaml --kernel "$kernel" --headless --check-isolation \
        --time-limit "$limit" --trace "$tmp/$name.trace" "$@"
    echo "$rc" >"$tmp/$name.rc"
}

# console NAME: the console lines of a run (the process console's prompt and \r removed)
console() {
    grep '"ev":"uart"' "$tmp/$1.trace" | sed -E 's/.*"text":"(.*)"}$/\1/; s/\\n$//; s/\\u000d$//; s/^tock\$ //'
}

# console_before NAME T_US: the console lines written before T_US
console_before() {
    grep '"ev":"uart"' "$tmp/$1.trace" | sed -E 's/^\{"t_ns":([0-9]+),.*"text":"(.*)"}$/\1 \2/; s/\\n$//' |
        awk -v t="$2" '$1 / 1000 < t { sub(/^[0-9]+ /, ""); sub(/^tock\$ /, ""); print }'
}

# first_us NAME FIXED-STRING: time (us) of the first trace line containing it, or a large number
first_us() {
    local t
    t=$(grep -F -- "$2" "$tmp/$1.trace" | head -n 1 | sed -E 's/^\{"t_ns":([0-9]+),.*/\1/')
    if [ -n "$t" ]; then echo $((t / 1000)); else echo 999999999; fi
}

# last_us NAME FIXED-STRING: time (us) of the last trace line containing it, or a large number
last_us() {
    local t
    t=$(grep -F -- "$2" "$tmp/$1.trace" | tail -n 1 | sed -E 's/^\{"t_ns":([0-9]+),.*/\1/')
    if [ -n "$t" ]; then echo $((t / 1000)); else echo 999999999; fi
}

# red_times NAME T_US: the witness's red LED toggle times (us) before T_US
red_times() {
    grep -F '"ev":"led","name":"red"' "$tmp/$1.trace" | sed -E 's/^\{"t_ns":([0-9]+),.*/\1/' |
        awk -v t="$2" '$1 / 1000 < t { printf "%d\n", $1 / 1000 }'
}

# hexdec 0xHEX: decimal
hexdec() { echo $((16#${1#0x})); }

# The witness alone: its LED intervals and console lines are the reference.
sim base 17s "$victim"
base_victim=$(console base | grep '^victim: ')

# witness CASE RUN UNTIL_US TOL_US PRINT_TOL_US [SLACK]: the victim's red LED intervals
# before UNTIL_US each differ from the reference by at most TOL_US (PRINT_TOL_US for
# every 4th interval, in which the victim prints a line: the console UART is shared,
# and the kernel's and the other process's lines go out first), with at most SLACK
# fewer toggles; its console lines are exactly the reference's first lines
witness() {
    local name=$1 run=$2 until=$3 tol=$4 ptol=$5 slack=${6:-0} res got want n
    res=$(paste <(red_times "$run" "$until") <(red_times base "$until") | awk -v tol="$tol" -v ptol="$ptol" '
        $1 == "" || $2 == "" { if ($2 != "") missing++; next }
        NR > 1 { d = ($1 - p1) - ($2 - p2); if (d < 0) d = -d; i = NR - 1
                 if (i % 4 == 0) { if (d > pmax) pmax = d; if (d > ptol) bad++ }
                 else { if (d > max) max = d; if (d > tol) bad++ }
                 n++ }
        { p1 = $1; p2 = $2 }
        END { printf "%d %d %d %d %d\n", n, bad, max, pmax, missing }')
    read -r -a res <<<"$res"
    set -- "${res[@]}"
    got=$(console_before "$run" "$until" | grep '^victim: ')
    n=$(printf '%s\n' "$got" | grep -c .)
    want=$(printf '%s\n' "$base_victim" | head -n "$n")
    if [ "$1" -ge 4 ] && [ "$2" = 0 ] && [ "$5" -le "$slack" ] && [ "$got" = "$want" ] && [ "$n" -ge 2 ]; then
        pass "$name: witness keeps its LED timing ($1 intervals, max deviation $3 us, $4 us while printing) and its $n console lines"
    else
        fail "$name: witness disturbed" \
            "intervals $1, out of tolerance ($tol/$ptol us) $2, max deviation $3 us, $4 us while printing, missing toggles $5" \
            "victim lines: $(printf '%s' "$got" | tr '\n' '|')"
    fi
}

# clean CASE RUN [UNTIL_US]: no leak, no secret, no corruption, no kernel panic (before UNTIL_US)
clean() {
    local name=$1 run=$2 until=${3:-999999999} bad
    bad=$(console_before "$run" "$until" | grep -E 'LEAK|SURVIVED|SECRET CORRUPTED|Kernel panic|Kernel fault')
    if [ -z "$bad" ] && ! grep -q '"ev":"halt"' "$tmp/$run.trace" &&
        ! awk -v t="$until" '{ match($0, /"t_ns":[0-9]+/); if (substr($0, RSTART + 7, RLENGTH - 7) / 1000 < t) print }' \
            "$tmp/$run.trace" | grep -qiE '5ec7e7|1590159(10[4-9]|11[01])'; then
        pass "$name: no leak, no secret in the trace, no corruption, no kernel panic"
    else
        fail "$name: leak or panic" "$bad" "$(grep -iE '5ec7e7|1590159(10[4-9]|11[01])' "$tmp/$run.trace" | head -n 2)"
    fi
}

# faults RUN: "kind cfsr addr pc" of every fault event (decimal)
faults() {
    grep -F '"ev":"fault","kind"' "$tmp/$1.trace" |
        sed -E 's/.*"kind":"([a-z]+)","cfsr":([0-9]+),"addr":([0-9]+),"pc":([0-9]+).*/\1 \2 \3 \4/'
}

# load_line RUN NAME: "flash_start flash_size ram_start ram_size" (hex) from the kernel's load line
load_line() {
    console "$1" | sed -nE "s/^Hail: process [0-9]+ '$2' flash (0x[0-9a-f]+)\+(0x[0-9a-f]+) ram (0x[0-9a-f]+)\+(0x[0-9a-f]+)$/\1 \2 \3 \4/p"
}

# ---- memory attacks that fault ------------------------------------------------------
# fault_case MODE KIND CFSR ADDR-RULE PC-RULE
#   ADDR-RULE: "printed" (MMFAR = the printed address) or "zero"
#   PC-RULE:   "printed" (the exact faulting instruction) or "flash" (imprecise: inside own flash)
fault_case() {
    local m=$1 kind=$2 cfsr=$3 arule=$4 prule=$5 run="f_$1" line pc addr n bad=0 lines restarts ff fs
    sim "$run" 2s "$victim" "$out/$m.tbf"
    line=$(console "$run" | grep -m1 "^hostile: hostile_$m attack pc ")
    pc=$(sed -E 's/.* pc (0x[0-9a-f]+) addr (0x[0-9a-f]+)$/\1/' <<<"$line")
    addr=$(sed -E 's/.* pc (0x[0-9a-f]+) addr (0x[0-9a-f]+)$/\2/' <<<"$line")
    if [ -z "$line" ]; then
        fail "fault/$m: attack line" "$(console "$run" | tail -n 5)"
        return
    fi
    read -r ff fs _ _ <<<"$(load_line "$run" "hostile_$m")"
    n=$(faults "$run" | wc -l)
    while read -r k c a p; do
        [ "$k" = "$kind" ] && [ "$c" = "$cfsr" ] || bad=1
        if [ "$arule" = printed ]; then [ "$a" = "$(hexdec "$addr")" ] || bad=1; else [ "$a" = 0 ] || bad=1; fi
        if [ "$prule" = printed ]; then
            [ "$p" = "$(hexdec "$pc")" ] || bad=1
        else
            [ "$p" -ge "$(hexdec "$ff")" ] && [ "$p" -lt $(($(hexdec "$ff") + $(hexdec "$fs"))) ] || bad=1
        fi
    done < <(faults "$run")
    if [ "$n" = 5 ] && [ "$bad" = 0 ]; then
        pass "fault/$m: 5 faults, each $kind cfsr $cfsr addr $([ "$arule" = printed ] && echo "$addr" || echo 0) pc $([ "$prule" = printed ] && echo "$pc" || echo "in its flash (imprecise)")"
    else
        fail "fault/$m: fault events" "expected 5 x $kind cfsr $cfsr addr $addr pc $pc ($arule/$prule), got $n:" \
            "$(faults "$run" | tr '\n' ';')"
    fi
    restarts=$(console "$run" | grep -cE "^Hail: process 'hostile_$m' restarted \([1-5]\) after a fault at pc 0x[0-9a-f]{8}$")
    lines=$(console "$run" | grep -E "^Hail: process 'hostile_$m' restarted" | grep -vc "at pc $pc\$")
    if [ "$prule" = flash ]; then lines=0; fi
    if [ "$restarts" = 5 ] && [ "$lines" = 0 ]; then
        pass "fault/$m: the kernel restarts it 5 times (reports at pc $([ "$prule" = printed ] && echo "$pc" || echo "its flash"))"
    else
        fail "fault/$m: restarts" "restart lines $restarts (want 5), with another pc: $lines" \
            "$(console "$run" | grep "^Hail: process 'hostile_$m'" | head -n 6)"
    fi
    clean "fault/$m" "$run"
    witness "fault/$m" "$run" 2000000 1000 10000
}

fault_case kread memmanage 130 printed printed
fault_case kwrite memmanage 130 printed printed
fault_case vread memmanage 130 printed printed
fault_case vwrite memmanage 130 printed printed
fault_case vgrant memmanage 130 printed printed
fault_case vgrantw memmanage 130 printed printed
fault_case owngrant memmanage 130 printed printed
fault_case flashw memmanage 130 printed printed
fault_case execram memmanage 1 zero printed
fault_case kjump memmanage 1 zero printed
fault_case periph memmanage 130 printed printed
fault_case scs busfault 1024 zero flash
fault_case nvic busfault 1024 zero flash

# the addresses are where they should be: inside the victim's block, its top (grant area), our top
read -r _ _ vstart vsize <<<"$(load_line f_vread hostile_victim)"
vs=$(hexdec "${vstart:-0}")
ve=$((vs + $(hexdec "${vsize:-0}")))
a=$(console f_vread | sed -nE 's/^hostile: hostile_vread attack pc 0x[0-9a-f]+ addr (0x[0-9a-f]+)$/\1/p' | head -n 1)
g=$(console f_vgrant | sed -nE 's/^hostile: hostile_vgrant attack pc 0x[0-9a-f]+ addr (0x[0-9a-f]+)$/\1/p' | head -n 1)
read -r _ _ ostart osize <<<"$(load_line f_owngrant hostile_owngrant)"
o=$(console f_owngrant | sed -nE 's/^hostile: hostile_owngrant attack pc 0x[0-9a-f]+ addr (0x[0-9a-f]+)$/\1/p' | head -n 1)
if [ -n "$a" ] && [ -n "$g" ] && [ -n "$o" ] && [ "$(hexdec "$a")" -ge "$vs" ] && [ "$(hexdec "$a")" -lt "$ve" ] &&
    [ "$(hexdec "$g")" = $((ve - 8)) ] && [ "$(hexdec "$o")" = $(($(hexdec "$ostart") + $(hexdec "$osize") - 8)) ]; then
    pass "fault: targets: victim RAM $a and victim grant table $g inside the victim's block, own grant table $o"
else
    fail "fault: targets" "victim block $vstart+$vsize, read $a, grant $g; own block $ostart+$osize, grant $o"
fi
# flashw: the word in flash is still erased in every life (the store did not land)
n=$(console f_flashw | grep -cE '^hostile: hostile_flashw word at 0x[0-9a-f]+ is 0x00000000$')
check "fault/flashw: the faulting store did not change flash ($n lives saw the word unchanged)" \
    "$([ "$n" = 6 ] && echo 0 || echo 1)" "lives that saw 0: $n (want 6)"

# ---- the fault policy: the 6th fault panics the kernel ---------------------------------
sim policy 2500ms "$victim" "$out/kread.tbf"
panic_us=$(first_us policy 'Kernel panic')
n=$(faults policy | wc -l)
if [ "$n" = 6 ] && console policy | grep -qxF 'Kernel panic: process faulted (fault policy: panic)' &&
    console policy | grep -qxF "Hail: process 'hostile_kread' restarted (5) after a fault at pc $(console policy |
        sed -nE 's/^hostile: hostile_kread attack pc (0x[0-9a-f]+) .*/\1/p' | head -n 1)"; then
    pass "policy: 6 faults: 5 restarts, then the kernel panics by its policy (restart_then_panic, 4)"
else
    fail "policy: panic" "faults $n (want 6)" "$(console policy | grep -E 'restarted|panic' | tail -n 3)"
fi
clean policy policy "$panic_us"
witness policy policy "$(last_us policy '"ev":"fault"')" 1000 10000
if grep -qiE '5ec7e7|1590159(10[4-9]|11[01])' "$tmp/policy.trace"; then
    fail "policy: the crash report does not print the victim's secret" \
        "$(console policy | grep -iE -m1 '5ec7e7')"
else
    pass "policy: the crash report does not print the victim's secret"
fi

# ---- stack overflow ------------------------------------------------------------------------
sim stack 2s "$victim" "$out/stack.tbf"
ms=$(console stack | sed -nE 's/^hostile: hostile_stack attack pc 0x[0-9a-f]+ addr (0x[0-9a-f]+)$/\1/p' | head -n 1)
read -r k c a _ <<<"$(faults stack | head -n 1)"
if [ -n "$ms" ] && [ "${k:-}" = memmanage ] && [ "${c:-}" = 130 ] && [ "${a:-0}" -lt "$(hexdec "$ms")" ] &&
    [ "${a:-0}" -ge $(($(hexdec "$ms") - 256)) ]; then
    pass "stack: the overflow faults (memmanage DACCVIOL) just below the process's memory ($ms)"
else
    fail "stack: first fault" "mem_start $ms, first fault: $(faults stack | head -n 1)"
fi
restarts=$(console stack | grep -cE "^Hail: process 'hostile_stack' restarted \([1-5]\) after a fault")
if [ "$restarts" = 5 ] && ! console stack | grep -q 'Kernel'; then
    pass "stack: the offender is restarted 5 times, the kernel does not panic"
else
    fail "stack: the kernel must survive a process stack overflow" "restarts $restarts (want 5)" \
        "$(grep -F '"during":"stacking"' "$tmp/stack.trace" | head -n 1)" \
        "$(console stack | grep -E -A3 '^Kernel (panic|fault)' | head -n 4)"
fi
witness stack stack 2000000 1000 10000

sim badsp 2s "$victim" "$out/badsp.tbf"
restarts=$(console badsp | grep -cE "^Hail: process 'hostile_badsp' restarted \([1-5]\) after a fault")
if [ "$restarts" = 5 ] && ! console badsp | grep -q 'Kernel' &&
    [ "$(grep -cF '"ev":"fault","exc":4,"cfsr":16,' "$tmp/badsp.trace")" = 5 ]; then
    pass "badsp: each stacking fault (MemManage MSTKERR) faults the process: 5 restarts, no kernel panic"
else
    fail "badsp: the kernel must survive a process whose SP is outside its memory" "restarts $restarts (want 5)" \
        "$(grep -F '"during":"stacking"' "$tmp/badsp.trace" | head -n 1)" \
        "$(console badsp | grep -E -A6 '^Kernel (panic|fault)' | grep -E 'Kernel|CFSR|sp ' | head -n 4)"
fi
clean badsp badsp "$(first_us badsp 'Kernel')"
witness badsp badsp 2000000 1000 10000

# ---- invalid system calls -----------------------------------------------------------------
sim badsvc 2s "$victim" "$out/badsvc.tbf"
pc=$(console badsvc | sed -nE 's/^hostile: hostile_badsvc attack pc (0x[0-9a-f]+) .*/\1/p' | head -n 1)
n=$(console badsvc | grep -cxF "Hail: process 'hostile_badsvc' restarted (1) after a fault at pc $pc")
restarts=$(console badsvc | grep -cE "^Hail: process 'hostile_badsvc' restarted \([1-5]\) after a fault at pc $pc$")
if [ -n "$pc" ] && [ "$n" = 1 ] && [ "$restarts" = 5 ] && [ "$(faults badsvc | wc -l)" = 0 ]; then
    pass "badsvc: svc 9 faults the process (kernel fault record, pc $pc after the svc, no CPU fault), 5 restarts"
else
    fail "badsvc: svc 9" "pc '$pc' restarts $restarts, CPU faults $(faults badsvc | wc -l)" \
        "$(console badsvc | grep hostile_badsvc | head -n 4)"
fi
if [ "$(console badsvc | grep -cxF 'hostile: exit with r0=5 returned variant 0 error 10')" = 6 ] &&
    [ "$(console badsvc | grep -cxF 'hostile: memop 12 status 10')" = 6 ]; then
    pass "badsvc: exit with r0=5 and memop 12 return Failure(NOSUPPORT) (every life)"
else
    fail "badsvc: NOSUPPORT" "$(console badsvc | grep -E 'r0=5|memop 12' | head -n 2)"
fi
clean badsvc badsvc
witness badsvc badsvc 2000000 1000 10000

# ---- system calls that must fail cleanly (no fault) ---------------------------------------
# expect_app CASE RUN EXPECTED: the attacker's "hostile: " lines are exactly EXPECTED
expect_app() {
    local got
    got=$(console "$2" | grep '^hostile: ')
    if [ "$got" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "got:" "$got" "diff:" "$(diff <(printf '%s\n' "$3") <(printf '%s\n' "$got") | head -n 8)"
    fi
}

sim brk 2s "$victim" "$out/brk.tbf"
expect_app "brk: absurd brk/sbrk → NOMEM (9), break unchanged" brk "hostile: sbrk(+0x7fffffff) status 9
hostile: sbrk(-0x80000000) status 9
hostile: sbrk(+1 MiB) status 9
hostile: sbrk(below mem_start) status 9
hostile: brk(0) status 9
hostile: brk(0xfffffffc) status 9
hostile: brk(kernel ram) status 9
hostile: brk(victim ram) status 9
hostile: brk(end of block) status 9
hostile: brk(kernel break + 8) status 9
hostile: brk(below an allowed buffer) status 9
hostile: brk(below it after un-allow) status 9
hostile: brk break unchanged"
check "brk: no fault, exits with 0" "$([ "$(faults brk | wc -l)" = 0 ] &&
    console brk | grep -qxF "Hail: process 'hostile_brk' exited with completion code 0" && echo 0 || echo 1)" \
    "$(console brk | grep "hostile_brk'" | head -n 3)"
clean brk brk
witness brk brk 2000000 1000 10000

sim pointers 2s "$victim" "$out/pointers.tbf"
expect_app "pointers: allow/subscribe outside own memory → INVAL (6); zero length and own memory succeed" pointers \
"hostile: allow rw kernel ram status 6
hostile: allow rw victim ram status 6
hostile: allow rw wraps around status 6
hostile: allow rw huge length status 6
hostile: allow rw peripheral status 6
hostile: allow rw scs status 6
hostile: allow rw own grant area status 6
hostile: allow rw across the break status 6
hostile: allow rw below mem_start status 6
hostile: allow rw own flash status 6
hostile: allow ro kernel code status 6
hostile: allow ro own tbf header status 6
hostile: allow ro victim ram status 6
hostile: allow ipc share victim ram status 6
hostile: allow userspace-readable kernel ram status 6
hostile: allow rw zero length at kernel ram success
hostile: allow rw own buffer success
hostile: subscribe kernel code status 6
hostile: subscribe kernel ram status 6
hostile: subscribe victim ram status 6
hostile: subscribe victim flash status 6
hostile: subscribe all ones status 6
hostile: subscribe own grant area status 6
hostile: subscribe own tbf header status 6
hostile: subscribe own function success
hostile: yield-no-wait flag aimed at all other RAM: done
hostile: pointers done"
check "pointers: no fault, exits with 0" "$([ "$(faults pointers | wc -l)" = 0 ] &&
    console pointers | grep -qxF "Hail: process 'hostile_pointers' exited with completion code 0" && echo 0 || echo 1)" \
    "$(console pointers | grep "hostile_pointers'" | head -n 3)"
clean pointers pointers
witness pointers pointers 2000000 1000 10000

# ---- a flood of upcalls ---------------------------------------------------------------------
sim flood 2500ms "$victim" "$out/flood.tbf" --uart-input 'process hostile_flood\n@1300ms' \
    --uart-input 'process hostile_victim\n@1800ms'
flood_self=$(console flood | grep -c '^hostile: flood self ok 10 refused 10 other 0 handled 10$')
flood_victim=$(console flood | sed -nE 's/^hostile: flood victim ok ([0-9]+) refused ([0-9]+) other ([0-9]+)$/\1 \2 \3/p')
read -r fok fref foth <<<"${flood_victim:-0 0 1}"
check "flood: on itself 10 queued, 10 refused (NOMEM), 10 handled; 2000 notifications to the victim accepted or refused" \
    "$([ "$flood_self" = 1 ] && [ "$((fok + fref))" = 2000 ] && [ "$foth" = 0 ] && echo 0 || echo 1)" \
    "$(console flood | grep '^hostile: ')"
drops=$(console flood | grep -oE 'Dropped Upcall Count: [0-9]+' | tr '\n' ';')
check "flood: 'process NAME' shows its own dropped upcalls (10) and none for the victim" \
    "$([ "$drops" = "Dropped Upcall Count: 10;Dropped Upcall Count: 0;" ] && echo 0 || echo 1)" \
    "got: $drops (the victim's count includes its own alarm upcall if it is above the refused notifications: $fref)"
clean flood flood
witness flood flood 2500000 1000 10000

# ---- a loop that never yields -----------------------------------------------------------------
# Round robin, 10 ms timeslice: each wake-up of the victim may wait out the rest of
# the spinner's slice (at most 1 slice + 1 ms; 2 slices + 2 ms when it also waits
# for its console write-done).
sim spin 3s "$victim" "$out/spin.tbf"
witness spin spin 3000000 11000 22000 1
clean spin spin
exp=$(grep -c '"ev":"led","name":"red"' "$tmp/spin.trace")
check "spin: the spinner is preempted: the witness toggles $exp times in 3 s" "$([ "$exp" -ge 11 ] && echo 0 || echo 1)" \
    "red toggles: $exp"

# ---- exhausting its own grant memory ---------------------------------------------------------
sim grant 2s "$victim" "$out/grant.tbf"
expect_app "grant: with its memory full only its own grant request fails (ipc NOMEM), then succeeds" grant \
"hostile: grant start
hostile: grant break raised to the MPU limit
hostile: grant exhausted: ipc 9 alarm 0 button 0 gpio 0 rng 0
hostile: grant kernel break stayed above the app break: yes
hostile: grant after release: ipc 0 alarm 0 button 0 gpio 0 rng 0
hostile: grant done"
clean grant grant
witness grant grant 2000000 1000 10000

# ---- exit-restart 1000 times -----------------------------------------------------------------
sim restart 17s "$victim" "$out/restart.tbf"
lives=$(console restart | grep -cE '^life [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8} ok$')
distinct=$(console restart | grep -E '^life ' | sort -u | tr '\n' ';')
if [ "$lives" -ge 1000 ] && [ "$(console restart | grep -E '^life ' | sort -u | wc -l)" = 1 ] &&
    console restart | grep -qxF "Hail: process 'hostile_restart' restarted (1000) after exit at pc 0x00000000"; then
    pass "restart: $lives lives, the same memop 6 / memop 1 values in each (no grant or RAM leak): $distinct"
else
    fail "restart: accounting" "lives $lives (want >= 1000), distinct lines: $distinct"
fi
clean restart restart
witness restart restart 17000000 1000 15000

# ---- IPC to dead and restarting processes ------------------------------------------------------
sim ipcdead 2s "$out/restart.tbf" "$out/ipcdead.tbf" "$victim" "$apps/hello.tbf"
expect_app "ipcdead: notify a terminated process or a bad slot → INVAL; a restarting one never errs" ipcdead \
"hostile: ipcdead discover hello rc 0
hostile: ipcdead share with hello rc 0
hostile: ipcdead notify service hello rc -6
hostile: ipcdead notify client hello rc -6
hostile: ipcdead notify slot 19 rc -6
hostile: ipcdead notify slot 20 rc -6
hostile: ipcdead notify slot 0xffffffff rc -6
hostile: ipcdead discover nobody rc -11
hostile: ipcdead discover hostile_restart rc 0
hostile: ipcdead notify restarting: 200 sent, other errors 0
hostile: ipcdead done"
clean ipcdead ipcdead

# ---- an IPC buffer taken back leaves the service's reach --------------------------------------------
sim ipcrevoke 2s "$victim" "$out/ipcsvc.tbf" "$out/ipccli.tbf"
line=$(console ipcrevoke | grep -m1 "^hostile: hostile_ipcsvc attack pc ")
pc=$(sed -nE 's/.* pc (0x[0-9a-f]+) addr (0x[0-9a-f]+)$/\1/p' <<<"$line")
addr=$(sed -nE 's/.* pc (0x[0-9a-f]+) addr (0x[0-9a-f]+)$/\2/p' <<<"$line")
read -r _ _ cstart csize <<<"$(load_line ipcrevoke hostile_ipccli)"
first=$(faults ipcrevoke | head -n 1)
if console ipcrevoke | grep -qxF "hostile: ipccli the service wrote 0xc0ffee01" &&
    console ipcrevoke | grep -qxF "hostile: ipccli buffer intact after taking it back" &&
    [ -n "$addr" ] && [ "$(hexdec "$addr")" -ge "$(hexdec "${cstart:-0}")" ] &&
    [ "$(hexdec "$addr")" -lt $(($(hexdec "${cstart:-0}") + $(hexdec "${csize:-0}"))) ] &&
    [ "$first" = "memmanage 130 $(hexdec "$addr") $(hexdec "$pc")" ]; then
    pass "ipcrevoke: the service wrote the shared buffer; once taken back, its write to $addr faults at pc $pc and the client's buffer is intact"
else
    fail "ipcrevoke: revoked IPC buffer" "attack line: ${line:-none}; first fault: ${first:-none}" \
        "$(console ipcrevoke | grep '^hostile: ' | head -n 6)"
fi
clean ipcrevoke ipcrevoke
witness ipcrevoke ipcrevoke 2000000 1000 10000

# ---- commands with absurd arguments -------------------------------------------------------------
sim cmdfuzz 2s "$victim" "$out/cmdfuzz.tbf"
expect_app "cmdfuzz: 1900 commands with absurd arguments on every driver" cmdfuzz \
    "hostile: cmdfuzz 1900 commands, still running"
check "cmdfuzz: no fault, exits with 0" "$([ "$(faults cmdfuzz | wc -l)" = 0 ] &&
    console cmdfuzz | grep -qxF "Hail: process 'hostile_cmdfuzz' exited with completion code 0" && echo 0 || echo 1)" \
    "$(console cmdfuzz | grep "hostile_cmdfuzz'" | head -n 3)"
clean cmdfuzz cmdfuzz
witness cmdfuzz cmdfuzz 2000000 1000 10000

# ---- a malformed TBF among valid ones ------------------------------------------------------------
# a copy of hello with one byte of its header checksum flipped, between the victim and hello
cp "$apps/hello.tbf" "$out/bad_hello.tbf"
b=$(od -An -tu1 -j12 -N1 "$out/bad_hello.tbf" | tr -d ' ')
printf '%b' "\\$(printf '%03o' $((b ^ 0x5a)))" | dd of="$out/bad_hello.tbf" bs=1 seek=12 conv=notrunc status=none
sim tbf 2s "$victim" "$out/bad_hello.tbf" "$apps/hello.tbf"
bad_at=$(printf '0x%08x' $((0x30000 + $(stat -c %s "$victim"))))
hello_at=$(printf '0x%08x' $((bad_at + $(stat -c %s "$out/bad_hello.tbf"))))
if console tbf | grep -qE "^Hail: skipped object at $bad_at \(.*\): bad checksum$" &&
    console tbf | grep -qE "^Hail: process 0 'hostile_victim' flash 0x00030000" &&
    console tbf | grep -qE "^Hail: process 1 'hello' flash $hello_at" &&
    [ "$(console tbf | grep -cxF 'Hello, World!')" = 1 ] &&
    console tbf | grep -qxF "Hail: process 'hello' exited with completion code 0"; then
    pass "tbf: the corrupted object is skipped with a message ($(console tbf | grep -m1 '^Hail: skipped' | sed 's/.*: //')), the others load and run"
else
    fail "tbf: malformed TBF" "$(console tbf | head -n 8)"
fi
clean tbf tbf
witness tbf tbf 2000000 1000 10000

tl_finish
