#!/usr/bin/env bash
# unicorn21.sh DIR — puts Unicorn ≥ 2.1 into DIR for hailsim to link with.
#
# Why: Debian 12 ships Unicorn 2.0.1, whose every guest store takes QEMU's
# "not dirty" slow path (../shared/reference/unicorn-2.0.1-notes.md);
# Unicorn 2.1 fixed it (docs/performance.md: store-heavy code 18x faster,
# idle blink 1.9x).  Debian's next release (trixie) packages 2.1, built
# against a libc (>= 2.34) that Debian 12 has, so its two packages
# (libunicorn2t64, libunicorn-dev) are fetched from the Debian archive with
# `apt-get download` and unpacked into DIR — through a private apt
# configuration in DIR, the system's sources and installed packages are left
# alone, and no root is needed.
#
# Only upstream 2.1.1 (any Debian revision of it) is taken: sim/qmpu.c reads
# QEMU state inside Unicorn, which another version may lay out differently.
# Leaves DIR/root/usr/{include,lib/<multiarch>}, DIR/version and
# DIR/libdir (the library's directory under DIR/root); prints what it did.
# On any failure (offline, package gone) it says so, leaves the reason in
# DIR/failed (retried after an hour, or at once after `make clean-deps`) and
# exits 0: the Makefile then links the system's Unicorn.
set -u

dir=${1:?usage: unicorn21.sh DIR}
suite=trixie
tested=2.1.1
mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || exit 0     # apt wants absolute paths
say() { echo "hailsim: $*" >&2; }
libdir_of() {   # the library's directory under DIR/root, e.g. usr/lib/x86_64-linux-gnu
    local lib
    lib=$(find "$dir/root/usr/lib" -name libunicorn.so.2 2>/dev/null | head -n 1)
    [ -n "$lib" ] || return 1
    lib=$(dirname "$lib")
    echo "${lib#"$dir/root/"}"
}
if [ -f "$dir/version" ]; then
    # unpacked by an older version of this script, which did not write libdir
    [ -f "$dir/libdir" ] || libdir_of >"$dir/libdir" || rm -f "$dir/libdir" "$dir/version"
    [ -f "$dir/version" ] && exit 0
fi
# one fetch at a time (two makes started together): the second waits, then finds it done
if command -v flock >/dev/null 2>&1; then
    exec 9>"$dir/.lock"
    flock 9
    [ -f "$dir/version" ] && exit 0
fi
# tried and failed within the hour: say it once per make, do not hit the network again
if [ -f "$dir/failed" ] && [ -z "$(find "$dir/failed" -mmin +60 2>/dev/null)" ]; then
    say "using the system's Unicorn: $(cat "$dir/failed") (retried after an hour, or now after make clean-deps)"
    exit 0
fi
rm -f "$dir/failed"
give_up() {
    say "could not fetch Unicorn 2.1 from Debian $suite ($1); using the system's Unicorn (slower guest stores)"
    rm -rf "$dir/root"
    mkdir -p "$dir"
    echo "no Unicorn 2.1 ($1)" >"$dir/failed"
    exit 0
}
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
    give_up "no apt-get/dpkg-deb"
fi
arch=$(dpkg --print-architecture)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || give_up "no $keyring"

rm -rf "$dir/apt" "$dir/debs"
mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/apt/sources" "$dir/debs"
: >"$dir/apt/none.list"
: >"$dir/apt/status"                # no installed packages: the candidates are trixie's
cat >"$dir/apt/sources/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: $keyring
EOF
apt_opts=(-o "Dir::Etc::sourcelist=$dir/apt/none.list" -o "Dir::Etc::sourceparts=$dir/apt/sources"
          -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache"
          -o "Dir::State::status=$dir/apt/status" -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
say "fetching Unicorn 2.1 (libunicorn2t64, libunicorn-dev) from Debian $suite into $dir"
apt-get "${apt_opts[@]}" -qq update >"$dir/apt.log" 2>&1 || give_up "apt-get update failed: $(tail -n 1 "$dir/apt.log")"
(cd "$dir/debs" && apt-get "${apt_opts[@]}" -qq download "libunicorn2t64:$arch" "libunicorn-dev:$arch") \
    >>"$dir/apt.log" 2>&1 || give_up "apt-get download failed: $(tail -n 1 "$dir/apt.log")"
rm -rf "$dir/root"
for deb in "$dir"/debs/*.deb; do
    dpkg-deb -x "$deb" "$dir/root" || give_up "cannot unpack $deb"
done
header="$dir/root/usr/include/unicorn/unicorn.h"
if [ ! -f "$header" ] || ! libdir=$(libdir_of); then
    give_up "the packages hold no unicorn.h or libunicorn.so.2"
fi
major=$(sed -nE 's/^#define UC_API_MAJOR[[:space:]]+([0-9]+).*/\1/p' "$header")
minor=$(sed -nE 's/^#define UC_API_MINOR[[:space:]]+([0-9]+).*/\1/p' "$header")
patch=$(sed -nE 's/^#define UC_API_PATCH[[:space:]]+([0-9]+).*/\1/p' "$header")
# hailsim reaches into QEMU's state inside Unicorn (sim/qmpu.c) and was
# tested with 2.1.1: a Debian rebuild of 2.1.1 is fine, another upstream
# version is left for a person to try (UNICORN_ANY=1) rather than risk CI
if [ "$major.$minor.$patch" != "$tested" ] && [ "${UNICORN_ANY:-0}" != 1 ]; then
    give_up "Debian $suite has Unicorn ${major:-?}.${minor:-?}.${patch:-?}; hailsim is tested with $tested (UNICORN_ANY=1 to try it)"
fi
echo "$major.$minor.$patch" >"$dir/version"
echo "$libdir" >"$dir/libdir"
debs=$(cd "$dir/debs" && echo *.deb)
echo "$debs" >"$dir/packages"
rm -rf "$dir/apt/lists" "$dir/apt/cache" "$dir/debs"
say "Unicorn $major.$minor.$patch ready in $dir/root (from $debs)"
