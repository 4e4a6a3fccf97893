#!/usr/bin/env bash
# run.sh BUILD_DIR — the scenario suite (docs/scenarios.md):
#   every tests/scenarios/*.yaml in one `hailsim --scenario` call (in parallel):
#                 exit 0, one PASS line per file, valid JUnit XML, same report twice
#   bad/failing.yaml      exit 1 and a report naming FILE:LINE, expected and seen
#   bad/malformed.yaml    exit 2 with FILE:LINE and the field
#   bad/unknown_led.yaml  exit 2: a name the board does not have
#   record/replay         --record then --replay give byte-identical traces for
#                 scheduled inputs, an interactive terminal session driven through a
#                 pty (script(1): typed text, Ctrl-B, Ctrl-Q) and the window's RESET
# Scenario files use the default paths build/hail/kernel.elf and build/apps/*.tbf;
# they run in a scratch directory where build -> BUILD_DIR and boards -> the repo's.
# Ends with "scenarios: N passed, M failed".
set -u

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
tl_init scenarios "$@"
repo=$repo_root
mkdir -p "$tmp/root"
ln -s "$build_dir" "$tmp/root/build"
ln -s "$repo/boards" "$tmp/root/boards"
cd "$tmp/root" || exit 2
sdir="$repo/tests/scenarios"

if [ ! -x "$hailsim" ] || [ ! -f build/hail/kernel.elf ] || [ ! -f build/apps/blink.tbf ]; then
    fail setup "missing $hailsim, build/hail/kernel.elf or build/apps/*.tbf (make)"
    tl_finish
fi

# ---- every scenario ----------------------------------------------------------------

files=("$sdir"/*.yaml)
timeout 300 "$hailsim" --scenario "${files[@]}" --junit "$tmp/junit.xml" >"$tmp/all.out" 2>"$tmp/all.err"
rc=$?
for f in "${files[@]}"; do
    if grep -q "^PASS  $f " "$tmp/all.out"; then
        pass "$(basename "$f"): $(grep "^PASS  $f " "$tmp/all.out" | sed -E 's/^PASS  [^ ]+ \((.*)\): .*/\1/')"
    else
        fail "$(basename "$f")" "$(grep -A 12 -F "  $f " "$tmp/all.out" | grep -v '^  ok' | head -n 12)" \
            "$(head -n 3 "$tmp/all.err")"
    fi
done
if [ "$rc" = 0 ] && tail -n 1 "$tmp/all.out" | grep -qx "scenarios: ${#files[@]} passed, 0 failed"; then
    pass "all scenarios: exit 0 and the summary line"
else
    fail "all scenarios: exit status" "exit $rc; $(tail -n 1 "$tmp/all.out")"
fi
if python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); s = d.getElementsByTagName("testsuite"); sys.exit(0 if len(s) == int(sys.argv[2]) else 1)' \
    "$tmp/junit.xml" "${#files[@]}" 2>"$tmp/xml.err"; then
    pass "junit: well-formed XML, one testsuite per scenario file"
else
    fail "junit" "$(head -n 3 "$tmp/xml.err")"
fi
timeout 300 "$hailsim" --scenario "${files[@]}" >"$tmp/again.out" 2>&1
if diff <(grep -v '^PASS\|^FAIL' "$tmp/all.out") <(grep -v '^PASS\|^FAIL' "$tmp/again.out") >/dev/null &&
    [ "$(grep -c '^PASS' "$tmp/all.out")" = "$(grep -c '^PASS' "$tmp/again.out")" ]; then
    pass "parallel runs: the same report, in argument order, twice"
else
    fail "parallel runs: report differs" "$(diff "$tmp/all.out" "$tmp/again.out" | head -n 6)"
fi

# ---- failing, malformed ------------------------------------------------------------------

"$hailsim" --scenario "$sdir/bad/failing.yaml" --junit "$tmp/fail.xml" >"$tmp/fail.out" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -qF "FAIL  $sdir/bad/failing.yaml:8: console: a line \"Goodbye\" in 0 s..200 ms" "$tmp/fail.out" &&
    grep -qF "expected a matching line; seen no matching line in the window; the window has \"Hail: hailsim kernel booting\" at" "$tmp/fail.out" &&
    grep -qF "expected on at 0.100000 s; seen off (since 0.000000 s)" "$tmp/fail.out" &&
    grep -qF "expected a semihosting exit with status 0; seen time limit at 0.300000 s" "$tmp/fail.out" &&
    grep -qx "scenarios: 0 passed, 1 failed" "$tmp/fail.out" && [ "$(grep -c '<failure ' "$tmp/fail.xml")" = 3 ]; then
    pass "failing on purpose: exit 1, FILE:LINE, expected and seen with times, 3 JUnit failures"
else
    fail "failing on purpose" "exit $rc" "$(head -n 12 "$tmp/fail.out")"
fi
"$hailsim" --scenario "$sdir/bad/malformed.yaml" >"$tmp/bad.out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -qF "$sdir/bad/malformed.yaml:8: expect[0].on: 'maybe' is not a boolean; expected true or false" "$tmp/bad.out"; then
    pass "malformed: exit 2 with FILE:LINE: FIELD"
else
    fail "malformed" "exit $rc" "$(head -n 3 "$tmp/bad.out")"
fi
"$hailsim" --scenario "$sdir/hello.yaml" "$sdir/bad/unknown_led.yaml" >"$tmp/led.out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -qF "unknown_led.yaml:6: led: the board has no LED 'purple'; expected one of: red, green, blue" "$tmp/led.out" &&
    ! grep -q '^PASS' "$tmp/led.out"; then
    pass "unknown LED: exit 2 before anything runs"
else
    fail "unknown LED" "exit $rc" "$(head -n 3 "$tmp/led.out")"
fi

# ---- record and replay -----------------------------------------------------------------------

# replay_check NAME RECORD TRACE: replays RECORD headless and compares its trace with TRACE
replay_check() {
    "$hailsim" --replay "$2" --trace "$tmp/$1.replay.trace" >"$tmp/$1.replay.out" 2>&1
    local rc=$?
    if [ "$rc" = 0 ] && [ -s "$3" ] && cmp -s "$3" "$tmp/$1.replay.trace"; then
        pass "replay $1: byte-identical trace ($(wc -l <"$3") lines, $(grep -cE '^(button|uart|reset) ' "$2") inputs)"
    else
        fail "replay $1" "exit $rc" "$(cmp "$3" "$tmp/$1.replay.trace" 2>&1 | head -n 2)" "$(head -n 3 "$tmp/$1.replay.out")"
    fi
}

"$hailsim" --headless --time-limit 2s --trace "$tmp/sched.trace" --record "$tmp/sched.rec" \
    build/apps/buttons.tbf build/apps/console_ticker.tbf --press user@500ms --uart-input 'list\n@700ms' >/dev/null 2>&1
if grep -q '^button 24000000 user 1$' "$tmp/sched.rec" && grep -q '^uart 33600000 usart0 6c$' "$tmp/sched.rec" &&
    grep -q '^end 96000000 time-limit$' "$tmp/sched.rec"; then
    pass "record: scheduled inputs with their cycles and the end"
else
    fail "record: scheduled inputs" "$(head -n 12 "$tmp/sched.rec")"
fi
replay_check scheduled "$tmp/sched.rec" "$tmp/sched.trace"

if command -v script >/dev/null; then
    (sleep 1; printf 'list\r'; sleep 0.5; printf '\002'; sleep 0.4; printf '\002'; sleep 0.4; printf '\021'; sleep 1) |
        env -u DISPLAY -u WAYLAND_DISPLAY timeout 60 script -qfec "'$hailsim' --view=terminal --speed 2 --record '$tmp/tty.rec' --trace '$tmp/tty.trace' build/apps/buttons.tbf build/apps/console_ticker.tbf" /dev/null >"$tmp/tty.out" 2>&1
    if grep -q '^uart [0-9]* usart0 0d$' "$tmp/tty.rec" && [ "$(grep -c '^button ' "$tmp/tty.rec")" = 2 ] &&
        grep -q '^end [0-9]* time-limit$' "$tmp/tty.rec"; then
        pass "record: an interactive terminal session (typed 'list', Ctrl-B twice, Ctrl-Q) through a pty"
    else
        # shellcheck disable=SC2002  # cat: no file is no error
        fail "record: interactive session" "$(cat "$tmp/tty.rec" 2>/dev/null | head -n 12)"
    fi
    replay_check interactive "$tmp/tty.rec" "$tmp/tty.trace"
else
    fail "record: interactive session" "script(1) (util-linux) is missing"
fi

env -u DISPLAY "$hailsim" --headless --time-limit 1500ms --ui-event key:F5@1s --ui-event key:Ctrl-B@1200ms \
    --record "$tmp/win.rec" --trace "$tmp/win.trace" build/apps/buttons.tbf build/apps/hello.tbf >/dev/null 2>&1
if grep -q '^reset 48000000$' "$tmp/win.rec" && grep -q '^button 57600000 user 1$' "$tmp/win.rec"; then
    pass "record: the window's RESET (F5) and Ctrl-B"
else
    fail "record: window" "$(tail -n 4 "$tmp/win.rec")"
fi
replay_check window "$tmp/win.rec" "$tmp/win.trace"

printf 'hailsim-record 1\nboard boards/hail.yaml\nkernel build/hail/kernel.elf\nbutton x user 1\n' >"$tmp/bad.rec"
"$hailsim" --replay "$tmp/bad.rec" >"$tmp/badrec.out" 2>&1
rc=$?
if [ "$rc" = 2 ] && grep -qF "bad.rec:4: bad line" "$tmp/badrec.out"; then
    pass "replay: a bad record gives exit 2 with FILE:LINE"
else
    fail "replay: bad record" "exit $rc" "$(head -n 2 "$tmp/badrec.out")"
fi

tl_finish
