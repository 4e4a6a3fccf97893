#!/usr/bin/env bash
# run.sh BUILD_DIR — mutation tests of `--check-isolation` (issue #8): the
# checker is only worth something if it catches a kernel that breaks
# isolation.  Each mutant is the Hail kernel rebuilt with one deliberate bug
# (one source file copied, one edit applied with perl, the other objects of
# the normal build linked unchanged); it runs an attack under
# --check-isolation, and the simulator must stop it with exit status 3 and
# an `isolation` event of the expected kind.  The same run on the real
# kernel must end without one (the control).  An edit that no longer applies
# is a failure, so the suite cannot pass by testing nothing.
#
#   allow-unchecked      allow never checks the buffer → kind "allow"
#   console-overrun      console read copies one byte past the allowed buffer → "kernel-write"
#   return-past-frame    a system call's r1 written above the stacked frame → "kernel-write"
#   mpu-flash-writable   the process's flash region read-write → "invariant"
#   mpu-window-grants    a grant may be carved under the MPU window → "invariant"
#   ipc-stale-share      an IPC buffer the client took back stays in the
#                        service's MPU (as in Tock) → "invariant"
#
# Ends with "mutants: N passed, M failed"; exit status non-zero on failure.
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init mutants "$@"
tl_require_hailsim

kernel="$build_dir/hail/kernel.elf"
apps="$build_dir/apps"
out="$build_dir/mutants"
if [ ! -f "$kernel" ] || [ ! -f "$apps/hostile_app.elf" ] || [ ! -f "$apps/console_read.tbf" ]; then
    fail setup "missing hail/kernel.elf, apps/hostile_app.elf or apps/console_read.tbf in $build_dir (make)"
    tl_finish
fi
read -r -a kcflags <<<"$(tl_make_var KERNEL_CFLAGS)"
read -r -a kldflags <<<"$(tl_make_var KERNEL_LDFLAGS)"
read -r -a kobjs <<<"$(tl_make_var KERNEL_OBJS BUILD="$build_dir")"
if [ ${#kcflags[@]} -eq 0 ] || [ ${#kobjs[@]} -eq 0 ]; then
    fail setup "make did not say KERNEL_CFLAGS / KERNEL_OBJS"
    tl_finish
fi
mkdir -p "$out"
for m in pointers grant ipcsvc ipccli; do
    "$build_dir/elf2tbf" -n "hostile_$m" -o "$out/$m.tbf" "$apps/hostile_app.elf" >/dev/null ||
        { fail "setup: elf2tbf hostile_$m"; tl_finish; }
done
victim="$apps/hostile_victim.tbf"

# build NAME SOURCE PERL-EDIT: $out/NAME.elf, the kernel with SOURCE edited
build() {
    local name=$1 src=$2 edit=$3 obj="" o copy
    copy="$out/$name-$(basename "$src")"
    perl -0pe "$edit" "$src" >"$copy"
    if cmp -s "$src" "$copy"; then
        fail "$name: build" "the edit no longer applies to $src"
        return 1
    fi
    if ! arm-none-eabi-gcc "${kcflags[@]}" -I"$(dirname "$src")" -c -o "$out/$name.o" "$copy" \
        2>"$tmp/$name.cc"; then
        fail "$name: build" "$(head -n 5 "$tmp/$name.cc")"
        return 1
    fi
    local objs=()
    for o in "${kobjs[@]}"; do
        o=$(realpath -m "$o")            # make names objects relative to the checkout
        if [ "$o" = "$build_dir/target/$src.o" ]; then obj=$o; objs+=("$out/$name.o"); else objs+=("$o"); fi
    done
    if [ -z "$obj" ] || ! arm-none-eabi-gcc "${kcflags[@]}" -o "$out/$name.elf" "${objs[@]}" "${kldflags[@]}" \
        -Wl,-Map,"$out/$name.map" 2>"$tmp/$name.ld"; then
        fail "$name: build" "no object for $src in KERNEL_OBJS, or the link failed" "$(head -n 5 "$tmp/$name.ld")"
        return 1
    fi
}

# attack NAME KERNEL LIMIT ARGS...: one run under --check-isolation; sets rc
attack() {
    local name=$1 k=$2 limit=$3
    shift 3
    tl_run 120 "$name" --board boards/hail.yaml --kernel "$k" --headless --check-isolation \
        --time-limit "$limit" --trace "$tmp/$name.trace" "$@"
}

# mutant NAME SOURCE EDIT KIND MESSAGE LIMIT APP-ARGS...
mutant() {
    local name=$1 src=$2 edit=$3 kind=$4 msg=$5 limit=$6 ev
    shift 6
    build "$name" "$src" "$edit" || return
    attack "$name" "$out/$name.elf" "$limit" "$@"
    ev=$(grep -F '"ev":"isolation"' "$tmp/$name.trace" | head -n 1)
    if [ "$rc" -eq 3 ] && [[ $ev == *"\"kind\":\"$kind\""* ]] && grep -qE -- "$msg" "$tmp/$name.err"; then
        pass "$name: caught ($(grep -oE 'isolation violated: .{0,150}' "$tmp/$name.err" | head -n 1)...)"
    else
        fail "$name: not caught as $kind" "exit $rc, event: ${ev:-none}" "$(tail -n 3 "$tmp/$name.err")"
    fi
    attack "$name-control" "$kernel" "$limit" "$@"
    if [ "$rc" -eq 0 ] && ! grep -qF '"ev":"isolation"' "$tmp/$name-control.trace"; then
        pass "$name: the real kernel passes the same run"
    else
        fail "$name: control run on the real kernel" "exit $rc" "$(tail -n 3 "$tmp/$name-control.err")"
    fi
}

mutant allow-unchecked kernel/syscall.c \
    's/return in_app_ram\(p, addr, len\) \|\|/return true || in_app_ram(p, addr, len) ||/' \
    allow "the kernel accepted allow\(class 3, driver 0x40001" 2s "$victim" "$out/pointers.tbf"

mutant console-overrun capsules/console.c \
    's/memcpy\(dst, buf, min_u32\(\(uint32_t\)len, room\)\);/memcpy(dst, buf, min_u32((uint32_t)len, room) + 1);/' \
    kernel-write "wrote 1 bytes at 0x[0-9a-f]+ in the RAM of 'console_read'" 1s \
    "$apps/console_read.tbf" --uart-input 'hello@100ms'

# shellcheck disable=SC2016  # ${1} is perl's
mutant return-past-frame kernel/arch/cortex-m/process_frame.c \
    's/(case SYSRET_FAILURE: case SYSRET_SUCCESS_U32:\n\s+)f\[F_R1\]/${1}f[FRAME_WORDS + 1]/' \
    kernel-write "wrote 4 bytes at 0x[0-9a-f]+ in the RAM of 'hostile_victim'" 1s "$victim"

mutant mpu-flash-writable kernel/arch/cortex-m/mpu.c \
    's/rasr\(flg, fsrd, AP_RW_RO, false\)/rasr(flg, fsrd, AP_RW_RW, false)/' \
    invariant "the MPU lets process 'hostile_victim' write \[0x00030000" 1s "$victim"

mutant mpu-window-grants kernel/arch/cortex-m/mpu.c \
    's/if \(\(uint64_t\)mem_start \+ \(uint64_t\)n \* sub > kernel_break\)/if (0)/' \
    invariant "the MPU lets process 'hostile_grant' (read|write)" 2s "$victim" "$out/grant.tbf"

# shellcheck disable=SC2016  # ${1} is perl's
mutant ipc-stale-share kernel/ipc.c \
    's/if \(rw\)\n(\s+)ipc_unmap_stale\(the_kernel\);/if (rw \&\& 0)\n${1}ipc_unmap_stale(the_kernel);/' \
    invariant "the MPU lets process 'hostile_ipcsvc' (read|write) \[0x2000" 1s \
    "$victim" "$out/ipcsvc.tbf" "$out/ipccli.tbf"

tl_finish
