#!/usr/bin/env bash
# run.sh BUILD_DIR — end-to-end checks of hailsim's GDB stub (--gdb, docs/gdb.md)
# with gdb-multiarch in batch mode and a raw protocol client (bash /dev/tcp):
#   * a bare-metal image (tests/gdb/images/target.c, built here into
#     BUILD_DIR/gdb/): breakpoint in a function, `next`, reading a variable,
#     stepi through an IT block one instruction at a time, a watchpoint that
#     triggers, msp/psp/control/primask registers, a guest BKPT as SIGTRAP,
#     continue to the end (exit code passed to GDB);
#   * the kernel (BUILD_DIR/hail/kernel.elf + BUILD_DIR/apps/blink.tbf):
#     `info threads` lists the kernel and blink with its state;
#   * raw packets: qSupported, the target description, MMIO read refused
#     (E01), Ctrl-C (0x03) while running, k (kill: exit 0);
#   * --gdb without a client changes nothing (same output, same trace);
#     --gdb-wait without --gdb is a usage error.
# Every step has a 60 s timeout; hailsim is always killed at the end.
# Ends with "gdb: N passed, M failed"; non-zero exit status if any failed.
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init gdb "$@"

img_dir="$build_dir/gdb"
target="$img_dir/target.elf"
sim_pid=""
next_port=$((20000 + ($$ % 20000)))

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    if [ -n "$sim_pid" ]; then
        kill "$sim_pid" 2>/dev/null
        wait "$sim_pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# check NAME FILE TEXT...: FILE contains every TEXT (fixed strings)
check() {
    local name=$1 file=$2 text
    shift 2
    for text in "$@"; do
        if ! grep -qF -- "$text" "$file"; then
            fail "$name" "'$text' not found in:"
            head -n 40 "$file" | sed 's/^/       | /'
            return 1
        fi
    done
    pass "$name"
}

# start_sim NAME ARGS...: starts hailsim with --gdb on a free port (sets
# $port and $sim_pid); stdout/stderr in $tmp/NAME.out/.err.
start_sim() {
    local name=$1 i
    shift
    for _ in 1 2 3 4 5; do
        port=$next_port
        next_port=$((next_port + 1))
        timeout 60 "$hailsim" --view=plain --gdb "$port" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
        sim_pid=$!
        for ((i = 0; i < 100; i++)); do
            grep -q "listening on" "$tmp/$name.err" && return 0
            kill -0 "$sim_pid" 2>/dev/null || break
            sleep 0.05
        done
        kill "$sim_pid" 2>/dev/null
        wait "$sim_pid" 2>/dev/null
        sim_pid=""
        grep -q "cannot listen" "$tmp/$name.err" || break
    done
    return 1
}

# stop_sim: waits for hailsim (at most 60 s, then kills it); sets sim_rc
stop_sim() {
    local i
    sim_rc=124
    for ((i = 0; i < 600; i++)); do
        if ! kill -0 "$sim_pid" 2>/dev/null; then
            wait "$sim_pid"
            sim_rc=$?
            sim_pid=""
            return
        fi
        sleep 0.1
    done
    kill "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
    sim_pid=""
}

# run_gdb NAME ELF SCRIPT: gdb-multiarch in batch mode against $port
run_gdb() {
    local name=$1 elf=$2 script=$3
    { echo "set pagination off"; echo "set confirm off"; echo "target remote 127.0.0.1:$port"; cat "$script"; } \
        >"$tmp/$name.gdb"
    timeout 60 gdb-multiarch -q -nx -batch -x "$tmp/$name.gdb" "$elf" >"$tmp/$name.log" 2>&1
}

# ---- the guest image ------------------------------------------------------------------
build_target() {
    mkdir -p "$img_dir"
    tl_arm_flags
    tl_build_image tests/gdb/images/target.c "$target"
}

if ! command -v gdb-multiarch >/dev/null 2>&1; then
    fail "gdb-multiarch" "not installed (make deps)"
elif ! build_target; then
    fail "build target.elf" "$(head -n 5 "$tmp/build-target.err")"
else
    pass "build target.elf"
fi

# ---- bare metal: break, next, print, stepi in an IT block, watch, registers, BKPT ----------
baremetal_session() {
    local ite
    ite=$(arm-none-eabi-objdump -d "$target" | sed -n '/<it_select>:/,/^$/p' | awk '/\tite\t/ { print $1; exit }')
    ite=${ite%:}
    cat >"$tmp/bm.cmds" <<'EOF'
break bump
continue
print counter
next
print counter
delete
break it_select
continue
stepi
printf "pc=%#x\n", $pc
stepi
printf "pc=%#x\n", $pc
stepi
printf "pc=%#x\n", $pc
stepi
printf "pc=%#x\n", $pc
delete
watch watched
continue
print watched
delete
info registers msp psp control primask xpsr
set var debug_flag = 1
continue
printf "bkpt pc=%#x\n", $pc
set var debug_flag = 0
set $pc = $pc + 2
continue
EOF
    if ! start_sim bm --gdb-wait --kernel "$target"; then
        fail "bare metal: hailsim --gdb-wait starts" "$(head -n 3 "$tmp/bm.err")"
        return
    fi
    run_gdb bm "$target" "$tmp/bm.cmds"
    stop_sim
    local log="$tmp/bm.log"
    check "break in a function (Z0)" "$log" "Breakpoint 1, bump (n=1)"
    check "read a variable (m)" "$log" "\$1 = 0"
    check "next (steps over the call)" "$log" "\$2 = 1"
    check "stepi stops inside the IT block" "$log" \
        "pc=$(printf '%#x' $((0x$ite)))" "pc=$(printf '%#x' $((0x$ite + 2)))" "pc=$(printf '%#x' $((0x$ite + 4)))"
    check "watchpoint triggers (Z2)" "$log" "Hardware watchpoint 3: watched" "Old value = 0" "New value = 100"
    if grep -qE '^msp +0x2000' "$log" && grep -qE '^psp +0x' "$log" && grep -qE '^control +0x0' "$log" &&
        grep -qE '^primask +0x0' "$log" && grep -qE '^xpsr +0x' "$log"; then
        pass "registers msp, psp, control, primask, xpsr (target description)"
    else
        fail "registers msp, psp, control, primask, xpsr (target description)" "$(grep -E '^(msp|psp|control)' "$log")"
    fi
    check "guest BKPT halts with SIGTRAP" "$log" "Program received signal SIGTRAP" "bkpt pc=0x"
    check "continue to the end: exit status to GDB (W)" "$log" "exited normally"
    if [ "$sim_rc" -eq 0 ] && grep -q "^counter " "$tmp/bm.out"; then
        pass "hailsim ends with the guest's status"
    else
        fail "hailsim ends with the guest's status" "exit $sim_rc" "$(tail -n 3 "$tmp/bm.err")"
    fi
}

# ---- the kernel: processes as threads ------------------------------------------------------
kernel_session() {
    local kernel="$build_dir/hail/kernel.elf" blink="$build_dir/apps/blink.tbf"
    if [ ! -f "$kernel" ] || [ ! -f "$blink" ]; then
        fail "kernel threads" "$kernel or $blink missing (make)"
        return
    fi
    printf '%s\n' "break syscall_handle" "continue" "continue" "info threads" "thread 2" \
        "info registers pc psp" "thread 1" "kill" >"$tmp/k.cmds"
    if ! start_sim k --gdb-wait --time-limit 30s --kernel "$kernel" "$blink"; then
        fail "kernel: hailsim --gdb-wait starts" "$(head -n 3 "$tmp/k.err")"
        return
    fi
    run_gdb k "$kernel" "$tmp/k.cmds"
    stop_sim
    check "breakpoint in the kernel" "$tmp/k.log" "hit Breakpoint 1, syscall_handle"
    check "info threads: the kernel and blink with its state" "$tmp/k.log" "Thread 1 (kernel)" "Thread 2 (blink ("
    if grep -qE '^pc +0x3' "$tmp/k.log" && grep -qE '^psp +0x2' "$tmp/k.log"; then
        pass "a process thread's registers from its stacked frame"
    else
        fail "a process thread's registers from its stacked frame" "$(grep -E '^(pc|psp)' "$tmp/k.log")"
    fi
    if [ "$sim_rc" -eq 0 ]; then
        pass "kill (k) ends the run with exit status 0"
    else
        fail "kill (k) ends the run with exit status 0" "exit $sim_rc"
    fi
}

# ---- raw packets over bash's /dev/tcp ---------------------------------------------------------
rsp_send() {
    local data=$1 sum=0 i c
    for ((i = 0; i < ${#data}; i++)); do
        printf -v c '%d' "'${data:i:1}"
        sum=$(((sum + c) % 256))
    done
    printf '$%s#%02x' "$data" "$sum" >&3
}

# rsp_recv: the next packet's payload in $reply
rsp_recv() {
    local buf="" c
    reply=""
    while IFS= read -r -t 20 -n 1 -d '' c <&3; do
        buf+=$c
        if [[ $buf =~ \$([^#]*)#[0-9a-f][0-9a-f]$ ]]; then
            reply=${BASH_REMATCH[1]}
            return 0
        fi
    done
    return 1
}

# rsp NAME PACKET EXPECTED-PREFIX
rsp() {
    rsp_send "$2"
    if rsp_recv && [[ $reply == "$3"* ]]; then
        pass "$1"
    else
        fail "$1" "sent '$2', got '${reply:0:80}', expected '$3...'"
    fi
}

raw_session() {
    local guest=("$build_dir/hail/kernel.elf" "$build_dir/apps/blink.tbf")
    if [ ! -f "${guest[0]}" ] || [ ! -f "${guest[1]}" ]; then
        guest=("$target")                       # no kernel: the bare-metal image (it ends by itself)
    fi
    if ! start_sim raw --kernel "${guest[@]}"; then
        fail "raw: hailsim --gdb starts" "$(head -n 3 "$tmp/raw.err")"
        return
    fi
    if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
        fail "raw: connect"
        return
    fi
    rsp "connecting halts the CPU (?)" "?" "T05thread:"
    rsp "qSupported" "qSupported:multiprocess+;xmlRegisters=arm" "PacketSize="
    rsp "target description (qXfer:features:read)" "qXfer:features:read:target.xml:0,fff" "l<?xml"
    rsp "MMIO read refused (E01)" "m400e0000,4" "E01"
    rsp "vCont? lists c and s" "vCont?" "vCont;c;C;s;S"
    rsp "thread list (qfThreadInfo)" "qfThreadInfo" "m1"
    rsp_send "c"
    sleep 0.5
    printf '\003' >&3
    if rsp_recv && [[ $reply == T02* ]]; then
        pass "Ctrl-C (0x03) while running stops with SIGINT"
    else
        fail "Ctrl-C (0x03) while running stops with SIGINT" "got '$reply'"
    fi
    rsp_send "k"
    exec 3>&-
    stop_sim
    if [ "$sim_rc" -eq 0 ]; then
        pass "raw: k ends hailsim with 0"
    else
        fail "raw: k ends hailsim with 0" "exit $sim_rc"
    fi
}

# ---- without a client nothing changes -------------------------------------------------------
no_client() {
    timeout 60 "$hailsim" --view=plain --trace "$tmp/plain.trace" --kernel "$target" >"$tmp/plain.out" 2>/dev/null
    local rc_plain=$?
    if ! start_sim nc --trace "$tmp/nc.trace" --kernel "$target"; then
        fail "--gdb without a client" "$(head -n 3 "$tmp/nc.err")"
        return
    fi
    stop_sim
    if [ "$sim_rc" -eq "$rc_plain" ] && cmp -s "$tmp/plain.out" "$tmp/nc.out" &&
        cmp -s "$tmp/plain.trace" "$tmp/nc.trace"; then
        pass "--gdb without a client: same output, exit status and trace"
    else
        fail "--gdb without a client: same output, exit status and trace" "exit $sim_rc vs $rc_plain"
    fi
    timeout 60 "$hailsim" --gdb-wait --kernel "$target" >/dev/null 2>"$tmp/usage.err"
    if [ $? -eq 2 ] && grep -qF -- "--gdb-wait needs --gdb" "$tmp/usage.err"; then
        pass "--gdb-wait without --gdb is a usage error"
    else
        fail "--gdb-wait without --gdb is a usage error" "$(cat "$tmp/usage.err")"
    fi
}

if [ -f "$target" ]; then
    baremetal_session
    kernel_session
    raw_session
    no_client
fi

tl_finish
