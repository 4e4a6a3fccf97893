# shellcheck shell=bash
# tests/lib.sh — helpers shared by the end-to-end suites (tests/NAME/run.sh),
# sourced by each: . "$(dirname "$0")/../lib.sh"
#
#   tl_init NAME "$@"      checks the one argument BUILD_DIR (usage: exit 2; no
#                          such directory: "NAME: 0 passed, 1 failed", exit 1),
#                          sets build_dir, repo_root, hailsim and tmp (removed at
#                          exit), cds to the repository and zeroes the counters
#   tl_require_hailsim     stops the suite if BUILD_DIR/hailsim is missing
#   tl_pass NAME           "ok   NAME", counted (also as pass)
#   tl_fail NAME [DETAIL...]  "FAIL NAME" and indented details (also as fail)
#   tl_show FILE           the first lines of FILE, indented, for failure details
#   tl_finish              "NAME: N passed, M failed"; exits non-zero on failure
#   tl_run SECONDS NAME ARGS...  hailsim with stdout/stderr in $tmp/NAME.out/.err;
#                          sets rc
#   tl_arm_flags           cflags and ldflags (arrays): the Makefile's ARM_CFLAGS
#                          and ARM_LDFLAGS (make --eval), so the two never drift
#   tl_build_image SRC OUT [CFLAGS...]  one bare-metal image with the runtime of
#                          tests/baremetal/; compiler messages in $tmp/build-NAME.err
#   tl_build_images DIR [CFLAGS...] -- SRC...  every SRC into DIR/NAME.elf, one
#                          "build NAME" check each

# shellcheck disable=SC2034  # build_dir, repo_root, rc, ...: for the suites
tl_suite=""
build_dir=""
repo_root=""
hailsim=""
tmp=""
passed=0
failed=0
rc=0
cflags=()
ldflags=()

tl_init() {
    tl_suite=$1
    shift
    if [ $# -ne 1 ]; then
        echo "usage: $0 BUILD_DIR" >&2
        exit 2
    fi
    if ! build_dir=$(cd "$1" 2>/dev/null && pwd); then
        echo "$tl_suite: no such build directory: $1" >&2
        echo "$tl_suite: 0 passed, 1 failed"
        exit 1
    fi
    repo_root=$(cd "$(dirname "$0")/../.." && pwd)
    cd "$repo_root" || exit 2
    hailsim="$build_dir/hailsim"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    passed=0
    failed=0
    rc=0
}

# tl_require_hailsim: stops the suite ("NAME: 0 passed, 1 failed") if there is
# no BUILD_DIR/hailsim
tl_require_hailsim() {
    if [ ! -x "$hailsim" ]; then
        echo "$tl_suite: $hailsim not found (run make first)" >&2
        echo "$tl_suite: 0 passed, 1 failed"
        exit 1
    fi
}

tl_pass() {
    echo "ok   $1"
    passed=$((passed + 1))
}

# tl_fail NAME [DETAIL...]
tl_fail() {
    local name=$1 line
    shift
    echo "FAIL $name"
    for line in "$@"; do
        echo "       $line"
    done
    failed=$((failed + 1))
}

# the short names the suites use
pass() { tl_pass "$@"; }
fail() { tl_fail "$@"; }

# tl_show FILE: the first lines of a captured stream, for failure details
tl_show() {
    head -n 8 "$1" | sed 's/^/       | /'
}

# tl_finish: the summary line, then exit (non-zero if any check failed)
tl_finish() {
    echo "$tl_suite: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

# tl_run SECONDS NAME ARGS...: runs hailsim (at most SECONDS of host time) with
# stdout in $tmp/NAME.out and stderr in $tmp/NAME.err; sets rc.
tl_run() {
    local secs=$1 name=$2
    shift 2
    timeout "$secs" "$hailsim" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
}

# tl_make_var VAR [MAKE-ARGS...]: the value of a Makefile variable
tl_make_var() {
    local var=$1
    shift
    # shellcheck disable=SC2016  # $($*) is for make, not for the shell
    make -s --no-print-directory "$@" --eval='print-%: ; @echo $($*)' "print-$var" 2>/dev/null
}

# tl_arm_flags: sets the arrays cflags and ldflags to the Makefile's flags for
# bare-metal images (the same flags written out if make cannot say)
tl_arm_flags() {
    local arm_cflags arm_ldflags
    arm_cflags=$(tl_make_var ARM_CFLAGS)
    arm_ldflags=$(tl_make_var ARM_LDFLAGS)
    if [ -z "$arm_cflags" ] || [ -z "$arm_ldflags" ]; then
        arm_cflags="-mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -g -std=c11 -ffreestanding -ffunction-sections -fdata-sections -Wall -Wextra -Werror -Itests/baremetal"
        arm_ldflags="-nostdlib -nostartfiles -Wl,--gc-sections -Ttests/baremetal/link.ld -lgcc"
    fi
    read -r -a cflags <<<"$arm_cflags"
    read -r -a ldflags <<<"$arm_ldflags"
}

# tl_build_image SRC OUT [CFLAGS...]: builds a bare-metal image (tl_arm_flags
# first) with the runtime of tests/baremetal/; compiler messages in
# $tmp/build-NAME.err (NAME: SRC without directory and .c)
tl_build_image() {
    local src=$1 out=$2 name bm_lib
    shift 2
    name=$(basename "$src" .c)
    bm_lib=(tests/baremetal/*.c)
    arm-none-eabi-gcc "${cflags[@]}" "$@" -o "$out" "$src" "${bm_lib[@]}" "${ldflags[@]}" \
        2>"$tmp/build-$name.err"
}

# tl_build_images DIR [CFLAGS...] -- SRC...: builds every SRC into DIR/NAME.elf,
# each a check "build NAME"
tl_build_images() {
    local dir=$1 src name elf extra=()
    shift
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        extra+=("$1")
        shift
    done
    shift
    tl_arm_flags
    mkdir -p "$dir"
    for src in "$@"; do
        name=$(basename "$src" .c)
        elf="$dir/$name.elf"
        if ! command -v arm-none-eabi-gcc >/dev/null 2>&1; then
            fail "build $name" "arm-none-eabi-gcc not found (make deps)"
            continue
        fi
        if tl_build_image "$src" "$elf" "${extra[@]}"; then
            pass "build $name"
        else
            rm -f "$elf"
            fail "build $name" "arm-none-eabi-gcc failed:"
            tl_show "$tmp/build-$name.err"
        fi
    done
}
