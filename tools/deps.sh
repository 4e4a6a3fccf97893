#!/usr/bin/env bash
# deps.sh — checks that every tool and library hailsim needs is present and,
# when run as root, installs the missing Debian packages with apt-get
# (otherwise it prints the exact apt-get command and stops).
# Used by `make deps`, which `make`, `make run` and `make test` run first;
# `deps.sh fuzz` adds clang/libFuzzer for `make fuzz`.
set -eu

# command-or-pkg-config-name:Debian package
need=(
    "cmd:gcc:gcc"
    "cmd:make:make"
    "cmd:pkg-config:pkg-config"
    "cmd:arm-none-eabi-gcc:gcc-arm-none-eabi"
    "cmd:arm-none-eabi-objdump:binutils-arm-none-eabi"
    "pc:unicorn:libunicorn-dev"
    "pc:yaml-0.1:libyaml-dev"
    "pc:check:check"
    "pc:sdl2:libsdl2-dev"
    "cmd:qemu-system-arm:qemu-system-arm"
    "cmd:gdb-multiarch:gdb-multiarch"
    "cmd:xvfb-run:xvfb"
    "cmd:valgrind:valgrind"
    "file:/usr/bin/time:time"
    "file:/usr/lib/arm-none-eabi/newlib/thumb/v7e-m/nofp/libc.a:libnewlib-arm-none-eabi"
)

# `deps.sh fuzz`: also what `make fuzz` needs (clang with libFuzzer)
if [ "${1:-}" = fuzz ]; then
    need+=(
        "cmd:clang:clang"
        "file:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev"
    )
fi

missing=()
for entry in "${need[@]}"; do
    kind=${entry%%:*}
    rest=${entry#*:}
    what=${rest%:*}
    pkg=${rest##*:}
    case $kind in
        cmd) command -v "$what" >/dev/null 2>&1 || missing+=("$pkg") ;;
        pc) command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$what" || missing+=("$pkg") ;;
        file) [ -e "$what" ] || missing+=("$pkg") ;;
    esac
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

# de-duplicate, keep order
pkgs=$(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++' | tr '\n' ' ')
cmd="apt-get install -y --no-install-recommends $pkgs"
if [ "$(id -u)" -ne 0 ]; then
    echo "hailsim: missing Debian packages: $pkgs" >&2
    echo "hailsim: install them with:  sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
echo "hailsim: installing missing Debian packages: $pkgs"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs
