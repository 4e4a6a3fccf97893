#!/usr/bin/env bash
# run.sh BUILD_DIR — end-to-end checks of the SAM4L peripheral models with
# bare-metal images (no kernel) that drive the real registers
# (tests/sam4l/*.c, described in docs/sam4l-tests.md):
#   blink_ast      AST alarm every 500 ms toggles the red LED: 20 transitions
#                  in 10 s, each at start + k x 8192 ticks (exact rational
#                  clock) within one AST tick; prints the measured periods
#   usart_echo     USART0 RXRDY interrupt echoes 'hello\n' upper-cased: stdout
#                  and the `uart` trace event are "HELLO\n" at the expected time
#   button_irq     PA16 pin-change interrupt mirrors the button on the green LED
#   trng_seed      8 TRNG words: same --seed, same words; another seed differs
#   clock_warning  USART0 with its clock off: warning; --strict stops (exit 3)
#
# The images are built here with the bare-metal runtime of tests/baremetal/
# and the Makefile's ARM_CFLAGS/ARM_LDFLAGS into BUILD_DIR/sam4l/, run
# headless on BUILD_DIR/hailsim with --time-limit, and checked with grep/awk
# on the JSON Lines trace (no Python).  Prints one line per check and ends
# with "sam4l: N passed, M failed"; the exit status is non-zero if any
# check failed.
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init sam4l "$@"

board="boards/hail.yaml"
img_dir="$build_dir/sam4l"

# Hail: 48 MHz core clock; the AST at 32768 Hz / 2^(PSEL+1), PSEL 0 = 16384 Hz
cpu_hz=48000000
ast_src_hz=32768

# note TEXT: an indented detail line under the last check
note() {
    echo "       $1"
}

show() { tl_show "$@"; }

# run NAME IMAGE ARGS...: runs hailsim headless on BUILD_DIR/sam4l/IMAGE.elf
# (at most 30 s of host time), stdout in $tmp/NAME.out, stderr in
# $tmp/NAME.err, the trace in $tmp/NAME.jsonl; sets rc.
run() {
    local name=$1 image=$2
    shift 2
    tl_run 30 "$name" --board "$board" --headless --kernel "$img_dir/$image.elf" \
        --trace "$tmp/$name.jsonl" "$@"
}

# clean_run NAME WANT_RC [LABEL]: the last run (NAME) exited with WANT_RC and printed no
# warning (every clock enabled, every protected write unlocked, no
# unmodelled register).  Returns non-zero (after reporting) otherwise.
clean_run() {
    local name=$1 want=$2 label=${3:-$1}
    if [ "$rc" -ne "$want" ]; then
        fail "$label: exit status $want" "exit status $rc; stderr:"
        show "$tmp/$name.err"
        return 1
    fi
    if grep -q 'warning' "$tmp/$name.err"; then
        fail "$label: exit status $want, no warnings" "stderr has warnings:"
        grep 'warning' "$tmp/$name.err" | head -n 5 | sed 's/^/       | /'
        return 1
    fi
    pass "$label: exit status $want, no warnings"
}

# events FILE EV [FIELD VALUE]: prints "t_ns on|pressed|text..." for the trace
# events of kind EV (optionally only those whose string FIELD is VALUE), one a
# line: the time, then the value of the `on`/`pressed` boolean if any.
events() {
    local file=$1 ev=$2 field=${3:-} value=${4:-}
    awk -v ev="$ev" -v field="$field" -v value="$value" '
        index($0, "\"ev\":\"" ev "\"") == 0 { next }
        field != "" && index($0, "\"" field "\":\"" value "\"") == 0 { next }
        {
            if (!match($0, /"t_ns":[0-9]+/)) next
            t = substr($0, RSTART + 7, RLENGTH - 7)
            b = ""
            if (match($0, /"(on|pressed)":(true|false)/)) {
                b = substr($0, RSTART, RLENGTH)
                sub(/^"[a-z]+":/, "", b)
            }
            print t, b
        }' "$file"
}

# ---- the simulator and the images -------------------------------------------------

tl_require_hailsim

shopt -s nullglob
tl_build_images "$img_dir" -Itests/sam4l -- tests/sam4l/*.c

# have IMAGE CHECK: the image was built (a check that needs a missing one fails)
have() {
    if [ -f "$img_dir/$1.elf" ]; then
        return 0
    fi
    fail "$2" "image $1.elf was not built"
    return 1
}

# ---- blink_ast: AST alarm -> red LED every 500 ms -----------------------------------

if have blink_ast blink_ast; then
    # 10 s of blinking after the AST starts (~1 ms after reset): transitions
    # at start + 0.5 s ... start + 10 s; the 21st would be at start + 10.5 s
    run blink blink_ast --time-limit 10200ms
    if clean_run blink 0 blink_ast; then
        events "$tmp/blink.jsonl" led name red >"$tmp/blink.red"
        n=$(wc -l <"$tmp/blink.red")
        if [ "$n" -eq 20 ] && awk '$2 != ((NR % 2) ? "true" : "false") { exit 1 }' "$tmp/blink.red"; then
            pass "blink_ast: exactly 20 red LED transitions, alternating on/off"
        else
            fail "blink_ast: exactly 20 red LED transitions, alternating on/off" "$n transitions:"
            show "$tmp/blink.red"
        fi
        others=$(events "$tmp/blink.jsonl" led | wc -l)
        if [ "$others" -eq "$n" ]; then
            pass "blink_ast: no other LED changes"
        else
            fail "blink_ast: no other LED changes" "$((others - n)) led events for other LEDs"
        fi

        # start of the counter: the semihosting line printed right after CR.EN
        start=$(grep -F '"text":"blink_ast: AST started' "$tmp/blink.jsonl" | grep -oE '"t_ns":[0-9]+' | grep -oE '[0-9]+')
        if [ -z "$start" ]; then
            fail "blink_ast: transitions at start + k x 8192 ticks (+- 1 tick)" "no 'AST started' line in the trace"
        else
            # tick n of the 16384 Hz counter at ceil(n x 48e6 x 2 / 32768) cycles
            # (2929.6875 cycles a tick); tolerance one tick either way
            blink_ok=1
            awk -v start="$start" -v hz="$cpu_hz" -v src="$ast_src_hz" '
                function ceil_div(a, b,   q) { q = int(a / b); if (q * b < a) q++; return q }
                BEGIN { tick_ns = 2 * 1e9 / src; bad = 0; periods = ""; maxdev = 0 }
                {
                    k = NR
                    cyc = ceil_div(8192 * k * hz * 2, src)
                    want = start + cyc * 1e9 / hz
                    dev = $1 - want
                    if (dev < 0) dev = -dev
                    if (dev > maxdev) maxdev = dev
                    if (dev > tick_ns) {
                        printf "transition %d at %d ns, expected %.0f ns (+- %.0f)\n", k, $1, want, tick_ns
                        bad++
                    }
                    if (NR > 1) {
                        p = $1 - prev
                        d = p - 500000000; if (d < 0) d = -d
                        if (d > tick_ns) {
                            printf "period %d = %d ns, expected 500000000 +- %.0f\n", k - 1, p, tick_ns
                            bad++
                        }
                        periods = periods " " p
                    }
                    prev = $1
                }
                END {
                    printf "max deviation from start + k x 8192 ticks: %.0f ns (start %d ns)\n", maxdev, start
                    printf "measured periods (ns):%s\n", periods
                    exit bad != 0
                }' "$tmp/blink.red" >"$tmp/blink.check" || blink_ok=0
            if [ "$blink_ok" -eq 1 ] && [ "$n" -eq 20 ]; then
                pass "blink_ast: every transition at start + k x 8192 ticks, periods 500 ms (+- 1 tick = 61035 ns)"
                while IFS= read -r line; do note "$line"; done <"$tmp/blink.check"
            else
                fail "blink_ast: every transition at start + k x 8192 ticks, periods 500 ms (+- 1 tick = 61035 ns)"
                while IFS= read -r line; do note "$line"; done <"$tmp/blink.check"
            fi
        fi
    fi
fi

# ---- usart_echo: console USART0 echoes upper-cased ------------------------------------

if have usart_echo usart_echo; then
    run echo usart_echo --time-limit 20ms --uart-input 'hello\n@10ms'
    if clean_run echo 0 usart_echo; then
        if printf 'HELLO\n' | cmp -s - "$tmp/echo.out"; then
            pass "usart_echo: console output is exactly \"HELLO\\n\""
        else
            fail "usart_echo: console output is exactly \"HELLO\\n\"" "stdout:"
            od -c "$tmp/echo.out" | head -n 4 | sed 's/^/       | /'
        fi
        grep -F '"ev":"uart"' "$tmp/echo.jsonl" >"$tmp/echo.uart"
        if [ "$(wc -l <"$tmp/echo.uart")" -eq 1 ] &&
            grep -qF '"device":"usart0","text":"HELLO\n"}' "$tmp/echo.uart"; then
            pass "usart_echo: one uart event, usart0 \"HELLO\\n\""
        else
            fail "usart_echo: one uart event, usart0 \"HELLO\\n\"" "uart events:"
            show "$tmp/echo.uart"
        fi
        # 115200 8N1, OVER=1, BRGR 0x00010034: 10 bits x 8 x 52.125 = 4170
        # cycles a character.  The 6th byte ('\n') is received 6 characters
        # after 10 ms; its echo is on the line one character later.
        t=$(events "$tmp/echo.jsonl" uart | awk 'NR == 1 { print $1 }')
        char_ns=$((4170 * 1000000000 / cpu_hz))
        want=$((10000000 + 7 * 4170 * 1000000000 / cpu_hz))
        if [ -n "$t" ] && [ "$t" -ge $((want - char_ns)) ] && [ "$t" -le $((want + char_ns)) ]; then
            pass "usart_echo: line complete at 10 ms + 7 x 4170 cycles (+- 1 character)"
        else
            fail "usart_echo: line complete at 10 ms + 7 x 4170 cycles (+- 1 character)"
        fi
        note "measured ${t:-none} ns, expected $want ns +- $char_ns ns"
    fi
fi

# ---- button_irq: PA16 edges -> green LED ------------------------------------------------

if have button_irq button_irq; then
    run button button_irq --time-limit 3s --press user@1s:200ms --press user@2s:50ms
    if clean_run button 0 button_irq; then
        events "$tmp/button.jsonl" led name green >"$tmp/button.green"
        # expected: on 1 s, off 1.2 s, on 2 s, off 2.05 s, each within 5 us
        printf '%s\n' "1000000000 true" "1200000000 false" "2000000000 true" "2050000000 false" >"$tmp/button.want"
        if [ "$(wc -l <"$tmp/button.green")" -eq 4 ] &&
            paste -d' ' "$tmp/button.green" "$tmp/button.want" |
            awk '{ d = $1 - $3 } $2 != $4 || d < 0 || d > 5000 { exit 1 }'; then
            pass "button_irq: green LED on/off at 1 s, 1.2 s, 2 s, 2.05 s (+ 0..5 us)"
        else
            fail "button_irq: green LED on/off at 1 s, 1.2 s, 2 s, 2.05 s (+ 0..5 us)" "green led events (t_ns on):"
            show "$tmp/button.green"
        fi
        note "measured (ns): $(paste -d' ' "$tmp/button.green" "$tmp/button.want" |
            awk '{ printf "%s%s@%d (+%d)", (NR > 1 ? ", " : ""), ($2 == "true" ? "on" : "off"), $1, $1 - $3 }')"
        all=$(events "$tmp/button.jsonl" led | wc -l)
        presses=$(events "$tmp/button.jsonl" button name user | wc -l)
        if [ "$all" -eq 4 ] && [ "$presses" -eq 4 ]; then
            pass "button_irq: 4 button events, no other LED changes"
        else
            fail "button_irq: 4 button events, no other LED changes" "$presses button events, $all led events"
        fi
    fi
fi

# ---- trng_seed: the TRNG stream follows --seed -------------------------------------------

if have trng_seed trng_seed; then
    run trng1 trng_seed --time-limit 1s --seed 1
    if clean_run trng1 0 "trng_seed --seed 1"; then
        words=$(grep -cE '^trng_seed: word [0-7] = 0x[0-9a-f]{8}$' "$tmp/trng1.out")
        if [ "$words" -eq 8 ]; then
            pass "trng_seed: 8 words, none repeated"
        else
            fail "trng_seed: 8 words, none repeated" "stdout:"
            show "$tmp/trng1.out"
        fi
        run trng1b trng_seed --time-limit 1s --seed 1
        if [ "$rc" -eq 0 ] && cmp -s "$tmp/trng1.out" "$tmp/trng1b.out" &&
            cmp -s "$tmp/trng1.jsonl" "$tmp/trng1b.jsonl"; then
            pass "trng_seed: two runs with --seed 1 are identical (output and trace)"
        else
            fail "trng_seed: two runs with --seed 1 are identical (output and trace)" "exit $rc; diff:"
            diff "$tmp/trng1.out" "$tmp/trng1b.out" | head -n 5 | sed 's/^/       | /'
        fi
        run trng2 trng_seed --time-limit 1s --seed 2
        same=$(grep -F -x -c -f "$tmp/trng1.out" "$tmp/trng2.out" | head -n 1)
        if [ "$rc" -eq 0 ] && [ "$(grep -c ' word ' "$tmp/trng2.out")" -eq 8 ] &&
            ! cmp -s "$tmp/trng1.out" "$tmp/trng2.out"; then
            pass "trng_seed: --seed 2 gives other words ($same of 9 lines equal to --seed 1)"
        else
            fail "trng_seed: --seed 2 gives other words" "exit $rc; stdout:"
            show "$tmp/trng2.out"
        fi
    fi
fi

# ---- clock_warning: USART0 with its clock off ----------------------------------------------

if have clock_warning clock_warning; then
    want_warning="hailsim: warning: usart0 accessed with its clock off (PBA bit 8); enable it in PM.PBAMASK"
    run clock clock_warning --time-limit 1s
    nwarn=$(grep -cF "$want_warning" "$tmp/clock.err")
    if [ "$rc" -eq 0 ] && [ "$nwarn" -eq 1 ] && grep -qF 'still running' "$tmp/clock.out"; then
        pass "clock_warning: one warning naming usart0 and PM.PBAMASK, the run goes on"
    else
        fail "clock_warning: one warning naming usart0 and PM.PBAMASK, the run goes on" \
            "exit $rc, $nwarn matching warnings; stderr:"
        show "$tmp/clock.err"
    fi

    run clock_strict clock_warning --time-limit 1s --strict
    if [ "$rc" -eq 3 ] && grep -qF 'usart0 accessed with its clock off (PBA bit 8); enable it in PM.PBAMASK' "$tmp/clock_strict.err" &&
        grep -qF 'strict' "$tmp/clock_strict.err" && ! grep -qF 'still running' "$tmp/clock_strict.out"; then
        pass "clock_warning: --strict stops at the first access, exit 3, naming usart0 and PM.PBAMASK"
    else
        fail "clock_warning: --strict stops at the first access, exit 3, naming usart0 and PM.PBAMASK" \
            "exit $rc; stderr:"
        show "$tmp/clock_strict.err"
    fi
    if grep -F '"ev":"halt"' "$tmp/clock_strict.jsonl" | grep -qF 'PM.PBAMASK'; then
        pass "clock_warning: --strict: halt event in the trace"
    else
        fail "clock_warning: --strict: halt event in the trace" "no halt event naming PM.PBAMASK"
    fi
fi

tl_finish
