#!/usr/bin/env bash
# run.sh BUILD_DIR — tests of the SDL2 window (sim/ui_sdl.c, docs/ui.md),
# almost all offscreen (no display needed): screenshots with the red LED on
# and off differ at the LED in the expected way (tests/ui/png_pixel.c reads
# our PNGs), the process panel shows a sleeping blink process as yielded
# (--dump-ui-state), a click on the USER button (an injected window event)
# reaches the buttons app, RESET (click or F5) resets the board, bad options
# and a missing SDL video driver give exit 2 with a clear message, and, when
# xvfb-run is installed, the same through a real window, with the host CPU
# mostly idle while the guest sleeps at real-time speed.
#
# Images: tests/ui/led_toggle.c (bare metal, toggles the red LED every
# 250 ms), built here into BUILD_DIR/ui/; the kernel cases use
# BUILD_DIR/hail/kernel.elf and BUILD_DIR/apps/*.tbf and are skipped (and
# counted as failures) when those are missing.
# Prints one line per case and ends with "ui: N passed, M failed".
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init ui "$@"

kernel="$build_dir/hail/kernel.elf"
apps="$build_dir/apps"
out_dir="$build_dir/ui"
led_elf="$out_dir/led_toggle.elf"
pngpx="$out_dir/png_pixel"
# offscreen runs must not find a display
unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER

show() { tl_show "$@"; }

# run NAME ARGS...: hailsim with stdout/stderr in $tmp/NAME.out/.err; sets rc.
run() { tl_run 60 "$@"; }

# ok_rc NAME WANT: the last run exited with WANT (else a failure with its stderr).
ok_rc() {
    if [ "$rc" -ne "$2" ]; then
        fail "$1" "exit status $rc, expected $2; stderr:"
        show "$tmp/$1.err"
        return 1
    fi
}

# has NAME FILE TEXT: FILE contains the fixed string TEXT.
has() {
    if ! grep -qF -- "$3" "$2"; then
        fail "$1" "$(basename "$2") does not contain '$3'; it has:"
        show "$2"
        return 1
    fi
}

# led_center DUMP NAME: "X,Y" of the LED part NAME's centre in output pixels.
led_center() {
    awk -v n="$2" '$1 == "part" && $3 == "led" && $4 == n { print int($11 + $13 / 2) "," int($12 + $14 / 2); exit }' "$1"
}

# part_window_center DUMP NAME: "X,Y" of a part's centre in window coordinates.
part_window_center() {
    awk -v n="$2" '$1 == "part" && $4 == n { print int($6 + $8 / 2) "," int($7 + $9 / 2); exit }' "$1"
}

# pixel PNG X,Y: "R G B"
pixel() {
    "$pngpx" "$1" "$2" | tail -n 1
}

build_tools() {
    mkdir -p "$out_dir"
    gcc -std=c11 -O2 -Wall -Wextra -Werror -o "$pngpx" tests/ui/png_pixel.c || return
    tl_arm_flags
    if ! tl_build_image tests/ui/led_toggle.c "$led_elf"; then
        cat "$tmp/build-led_toggle.err" >&2
        return 1
    fi
}

have_kernel() {
    local app
    for app in "$@"; do
        [ -f "$apps/$app.tbf" ] || return 1
    done
    [ -f "$kernel" ]
}

# ---- the cases ---------------------------------------------------------------------------

# shot NAME AT [ARGS...]: offscreen screenshot + state dump of the LED image at AT.
shot() {
    local name=$1 at=$2
    shift 2
    run "$name" --kernel "$led_elf" --screenshot "$tmp/$name.png" --at "$at" --dump-ui-state "$tmp/$name.txt" "$@"
}

test_png_valid() {
    shot png 100ms
    ok_rc png 0 || return
    local size
    size=$("$pngpx" "$tmp/png.png" | head -n 1)
    if [ "$size" != "960 640" ]; then
        fail png "png_pixel says '$size', expected '960 640'"
        return
    fi
    has png "$tmp/png.err" "time limit reached at 0.100000 s" && pass "offscreen screenshot: a 960x640 PNG, no display"
}

test_led_on_off() {
    shot led_on 300ms && shot led_off 600ms
    ok_rc led_on 0 && ok_rc led_off 0 || return
    has led_on "$tmp/led_on.txt" "led red on" && has led_off "$tmp/led_off.txt" "led red off" || return
    local c on off
    c=$(led_center "$tmp/led_on.txt" red)
    on=$(pixel "$tmp/led_on.png" "$c")
    off=$(pixel "$tmp/led_off.png" "$c")
    # on: saturated red; off: the grey of an unlit LED
    if echo "$on $off" | awk '{ exit !($1 >= 200 && $2 <= 80 && $3 <= 80 && $4 < 220 && ($4 - $5) < 40 && ($4 - $5) > -40) }'; then
        pass "LED: red at its centre when on ($on), grey when off ($off)"
    else
        fail led_on_off "pixel at $c: on '$on', off '$off'"
    fi
}

test_led_glow() {
    local c x y on off
    c=$(led_center "$tmp/led_on.txt" red)
    x=${c%,*}
    y=${c#*,}
    on=$(pixel "$tmp/led_on.png" "$((x - 30)),$y")
    off=$(pixel "$tmp/led_off.png" "$((x - 30)),$y")
    if echo "$on $off" | awk '{ exit !($1 > $4 + 30) }'; then
        pass "LED glow: redder beside the lit LED ($on) than beside the dark one ($off)"
    else
        fail led_glow "pixel 30 px left of $c: on '$on', off '$off'"
    fi
}

test_pin_indicator() {
    # the LED image drives no header pin: every pin indicator says so
    has pins "$tmp/led_on.txt" "pin D0 float" && pass "header pins: undriven D0 reported as float"
}

test_every() {
    run every --kernel "$led_elf" --screenshot "$tmp/ev.png" --screenshot-every 100ms --at 350ms
    ok_rc every 0 || return
    local f
    for f in ev-0001.png ev-0002.png ev-0003.png ev.png; do
        if [ ! -s "$tmp/$f" ]; then
            fail every "$f was not written"
            return
        fi
    done
    [ ! -e "$tmp/ev-0004.png" ] && pass "--screenshot-every 100ms --at 350ms: three numbered shots and the final one"
}

test_reset_click() {
    shot noreset 400ms
    local c
    c=$(part_window_center "$tmp/noreset.txt" reset)
    shot reset 400ms --ui-event "down:$c@300ms" --ui-event "up:$c@320ms"
    ok_rc reset 0 || return
    # without reset the LED is on from 250 to 500 ms; a reset at 300 ms restarts the count
    has noreset "$tmp/noreset.txt" "led red on" && has reset "$tmp/reset.txt" "led red off" &&
        pass "RESET clicked at 300 ms (window $c): the board restarts, LED off at 400 ms"
}

test_blink_yielded() {
    if ! have_kernel blink; then
        fail blink_yielded "no $kernel or $apps/blink.tbf"
        return
    fi
    run blink --kernel "$kernel" "$apps/blink.tbf" --screenshot "$tmp/blink.png" --at 700ms --dump-ui-state "$tmp/blink.txt"
    ok_rc blink 0 || return
    has blink "$tmp/blink.txt" "awareness valid" && has blink "$tmp/blink.txt" "state=yielded" || return
    if grep -qE '^proc 0 blink state=yielded syscalls=[1-9]' "$tmp/blink.txt"; then
        pass "process panel: blink is yielded while it sleeps, with its system calls counted"
    else
        fail blink_yielded "no 'proc 0 blink state=yielded syscalls=N' line:"
        show "$tmp/blink.txt"
    fi
}

test_blink_pin() {
    # blink toggles GPIO pin 0 = PB14 = header D0 every 500 ms, high first at boot
    run blinkpin --kernel "$kernel" "$apps/blink.tbf" --at 700ms --dump-ui-state "$tmp/blinkpin.txt" &&
        true
    ok_rc blinkpin 0 || return
    local a b
    a=$(grep '^pin D0 ' "$tmp/blinkpin.txt")
    run blinkpin2 --kernel "$kernel" "$apps/blink.tbf" --at 1200ms --dump-ui-state "$tmp/blinkpin2.txt"
    b=$(grep '^pin D0 ' "$tmp/blinkpin2.txt")
    if [ "$a" != "$b" ] && [ -n "$a" ] && [ -n "$b" ]; then
        pass "header D0 follows the blink app: '$a' at 0.7 s, '$b' at 1.2 s"
    else
        fail blink_pin "D0 at 0.7 s '$a', at 1.2 s '$b'"
    fi
}

test_button_click() {
    if ! have_kernel buttons; then
        fail button_click "no $kernel or $apps/buttons.tbf"
        return
    fi
    run nobutton --kernel "$kernel" "$apps/buttons.tbf" --at 1500ms --dump-ui-state "$tmp/nobutton.txt"
    local c
    c=$(part_window_center "$tmp/nobutton.txt" user)
    run button --kernel "$kernel" "$apps/buttons.tbf" --at 1500ms --dump-ui-state "$tmp/button.txt" \
        --ui-event "down:$c@1s" --ui-event "up:$c@1200ms"
    ok_rc button 0 || return
    has nobutton "$tmp/nobutton.txt" "led red off" && has button "$tmp/button.out" "button 0 pressed" &&
        has button "$tmp/button.out" "button 0 released" && has button "$tmp/button.txt" "led red on" &&
        has button "$tmp/button.txt" "console button 0 released" &&
        pass "USER clicked (window $c, 1.0-1.2 s): the buttons app sees press and release, toggles the LED"
}

test_key_reset() {
    if ! have_kernel blink; then
        fail key_reset "no $kernel or $apps/blink.tbf"
        return
    fi
    run keyreset --kernel "$kernel" "$apps/blink.tbf" --at 600ms --dump-ui-state "$tmp/keyreset.txt" --ui-event key:F5@300ms
    ok_rc keyreset 0 || return
    local n
    n=$(grep -c "kernel booting" "$tmp/keyreset.out")
    if [ "$n" -eq 2 ]; then
        pass "F5 at 300 ms: the kernel boots again (console shows two boots)"
    else
        fail key_reset "'kernel booting' $n times on the console, expected 2"
        show "$tmp/keyreset.out"
    fi
}

test_typing() {
    if ! have_kernel console_read; then
        fail typing "no $kernel or $apps/console_read.tbf"
        return
    fi
    # console_read reads 5 bytes from the console and prints them back
    run typing --kernel "$kernel" "$apps/console_read.tbf" --at 400ms --dump-ui-state "$tmp/typing.txt" \
        --ui-event "text:hello@200ms"
    ok_rc typing 0 || return
    has typing "$tmp/typing.txt" "console_rx taken=5 lost=0" && has typing "$tmp/typing.out" "n 5: hello" &&
        pass "typed text (injected TEXTINPUT) reaches the console UART's receiver and the app"
}

test_bad_options() {
    run badsize --kernel "$led_elf" --window-size 10x10 --time-limit 10ms
    ok_rc badsize 2 && has badsize "$tmp/badsize.err" "--window-size" || return
    run badevent --kernel "$led_elf" --ui-event "wiggle@1s" --time-limit 10ms
    ok_rc badevent 2 && has badevent "$tmp/badevent.err" "--ui-event" || return
    run badat --kernel "$led_elf" --screenshot "$tmp/x.png" --at soon
    ok_rc badat 2 && has badat "$tmp/badat.err" "--at" && pass "bad --window-size, --ui-event, --at: exit 2 naming the option"
}

test_no_video() {
    SDL_VIDEODRIVER=nosuchdriver timeout 60 "$hailsim" --window --kernel "$led_elf" --time-limit 10ms \
        >"$tmp/novideo.out" 2>"$tmp/novideo.err"
    rc=$?
    ok_rc novideo 2 && has novideo "$tmp/novideo.err" "no usable SDL video driver" &&
        has novideo "$tmp/novideo.err" "--headless" && pass "--window without a video driver: exit 2 with a clear message"
}

test_auto_fallback() {
    if ! command -v script >/dev/null 2>&1; then
        fail auto_fallback "script(1) is not installed (Debian package bsdutils)"
        return
    fi
    # a terminal, a "display", but no usable video driver: the terminal view, with a message
    SDL_VIDEODRIVER=nosuchdriver timeout 60 script -qec "$hailsim --kernel $led_elf --time-limit 100ms" /dev/null \
        >"$tmp/fallback.out" 2>&1
    rc=$?
    ok_rc fallback 0 && has fallback "$tmp/fallback.out" "using the terminal view" &&
        has fallback "$tmp/fallback.out" "Ctrl-Q quit" && pass "auto view without a usable video driver: the terminal view"
}

test_headless_plain() {
    run headless --headless --kernel "$led_elf" --time-limit 300ms
    ok_rc headless 0 && has headless "$tmp/headless.err" "time limit reached" &&
        pass "--headless: no window, the run works as before"
}

test_xvfb_window() {
    if ! command -v xvfb-run >/dev/null 2>&1; then
        fail xvfb "xvfb-run is not installed (Debian package xvfb)"
        return
    fi
    # under ASan (make test-asan) the X server's GL driver, loaded and unloaded by
    # SDL, leaks at exit from a module LSan can no longer name: leaks are checked
    # in every offscreen case instead
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    timeout 60 xvfb-run -a "$hailsim" --window --kernel "$led_elf" --screenshot "$tmp/xwin.png" --at 300ms \
        --dump-ui-state "$tmp/xwin.txt" >"$tmp/xwin.out" 2>"$tmp/xwin.err"
    rc=$?
    ok_rc xwin 0 || return
    local c px
    c=$(led_center "$tmp/xwin.txt" red)
    px=$(pixel "$tmp/xwin.png" "$c")
    if echo "$px" | awk '{ exit !($1 >= 200 && $2 <= 80 && $3 <= 80) }'; then
        pass "real window (Xvfb), real time: read back, red LED on at 300 ms ($px)"
    else
        fail xwin "LED pixel at $c is '$px'"
    fi
}

test_xvfb_idle() {
    command -v xvfb-run >/dev/null 2>&1 || return
    # 2 s of a guest asleep in WFI at real-time speed: hailsim's own CPU time stays small
    TIMEFORMAT='%U %S %R'
    local t
    t=$( { time timeout 60 xvfb-run -a "$hailsim" --window --kernel "$led_elf" --time-limit 2s \
        >/dev/null 2>&1; } 2>&1 | tail -n 1)
    if echo "$t" | awk '{ exit !($3 >= 1.9 && ($1 + $2) < 0.6 * $3) }'; then
        pass "real window at real time: host CPU mostly idle while the guest sleeps (user sys wall: $t)"
    else
        fail xvfb_idle "user sys wall: '$t' (expected >= 1.9 s wall and CPU < 60% of it, Xvfb included)"
    fi
}

if ! build_tools; then
    fail build "cannot build tests/ui/png_pixel.c or tests/ui/led_toggle.c"
    tl_finish
fi
test_png_valid
test_led_on_off
test_led_glow
test_pin_indicator
test_every
test_reset_click
test_blink_yielded
test_blink_pin
test_button_click
test_key_reset
test_typing
test_bad_options
test_no_video
test_auto_fallback
test_headless_plain
test_xvfb_window
test_xvfb_idle

tl_finish
