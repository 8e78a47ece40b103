#!/bin/sh
# test_repl.sh -- `bmc repl` driven by scripted sessions: each
# tests/repl/NAME.txt is fed to `bmc repl` on stdin (not a terminal: no
# prompts, no history), and tests/repl/NAME.expect says what must come out:
#
#   out: TEXT            TEXT appears in stdout
#   err: TEXT            TEXT appears in stderr
#   not: TEXT            TEXT does not appear in stdout
#   not-err: TEXT        TEXT does not appear in stderr
#   re: REGEX            a line of stdout matches the extended regex
#   count: TEXT N        TEXT appears on exactly N lines of stdout
#   next: TEXT           TEXT appears in stdout on a line after the one the
#                        previous next: found (the first: anywhere)
#   row: NAME K LO HI    every summary-table row of NAME has field K in [LO, HI]
#   code: N              the exit status
#   # ...                a comment: where the expected values come from
#
# @TMP@ in a session or its expectations is a scratch directory, @DIR@ is
# tests/repl.  Every session also runs with HOME unset (the REPL must not
# need it).  Each check counts as one test; prints "N passed, N failed"
# last and exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

subst() { sed -e "s|@TMP@|$tmp|g" -e "s|@DIR@|tests/repl|g"; }

for session in tests/repl/*.txt; do
    name=$(basename "$session" .txt)
    expect=tests/repl/$name.expect
    [ -f "$expect" ] || { fail "$name: no $expect"; continue; }
    subst <"$session" >"$tmp/in"
    # HOME unset: the session must run without a history file
    env -u HOME timeout $((60 * slowdown)) "$BMC" repl <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
    code=$?
    subst <"$expect" >"$tmp/expect"
    at=0   # the stdout line the last next: found
    while IFS= read -r line; do
        kind=${line%%: *}
        text=${line#*: }
        case $kind in
        out)
            if grep -qF -- "$text" "$tmp/out"; then pass; else fail "$name: stdout lacks '$text'"; fi ;;
        err)
            if grep -qF -- "$text" "$tmp/err"; then pass; else fail "$name: stderr lacks '$text'"; fi ;;
        not)
            if grep -qF -- "$text" "$tmp/out"; then fail "$name: stdout has '$text'"; else pass; fi ;;
        not-err)
            if grep -qF -- "$text" "$tmp/err"; then fail "$name: stderr has '$text'"; else pass; fi ;;
        re)
            if grep -qE -- "$text" "$tmp/out"; then pass; else fail "$name: no stdout line matches /$text/"; fi ;;
        count)
            want=${text##* }
            what=${text% *}
            got=$(grep -cF -- "$what" "$tmp/out")
            if [ "$got" -eq "$want" ]; then pass; else fail "$name: '$what' on $got lines of stdout, expected $want"; fi ;;
        next)
            found=$(awk -v t="$text" -v at="$at" 'NR > at && index($0, t) { print NR; exit }' "$tmp/out")
            if [ -n "$found" ]; then pass; at=$found; else fail "$name: no stdout line after line $at has '$text'"; fi ;;
        row)
            set -- $text
            rows=$(awk -v n="$1" -v k="$2" -v lo="$3" -v hi="$4" '
                $1 == n && NF >= 9 { rows++; if (!($k + 0 >= lo + 0 && $k + 0 <= hi + 0)) bad++ }
                END { print (bad ? -1 : rows + 0) }' "$tmp/out")
            if [ "$rows" -gt 0 ]; then pass; else fail "$name: summary row $1, field $2 not in [$3, $4] (or no such row)"; fi ;;
        code)
            if [ "$code" -eq "$text" ]; then pass; else fail "$name: exit status $code, expected $text"; fi ;;
        '#'*|'') ;;
        *)
            fail "$name: bad expectation line '$line'" ;;
        esac
    done <"$tmp/expect"
    if [ "$failed" -gt 0 ] && [ "${VERBOSE:-0}" = 1 ]; then
        echo "--- $name stdout"; cat "$tmp/out"; echo "--- $name stderr"; cat "$tmp/err"
    fi
    # sanitizer reports (in build-san) would land in stderr
    if grep -q 'Sanitizer\|runtime error:' "$tmp/err"; then fail "$name: sanitizer report"; show "$tmp/err"; else pass; fi
done

# A HOME without a history file: the session works, and no history is written
# when stdin is not a terminal.
mkdir -p "$tmp/home"
printf 'p ~ Beta(1, 1);\n:model\n' | HOME=$tmp/home timeout $((10 * slowdown)) "$BMC" repl >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -qF 'p ~ Beta(1, 1);' "$tmp/out" && [ ! -e "$tmp/home/.bmc_history" ]; then pass
else fail "scripted session with HOME set: exit, output or history file wrong"; fi

# Ctrl-C (SIGINT) during :sample stops it and keeps the draws made: the
# summary says so and :plot still has draws to show.
printf 'mu ~ Normal(0, 1);\nx ~ Normal(mu, 1) observed 0.5;\n:sample 5000000 --chains 1 --tune 100 --seed 1 --sampler nuts\n:plot mu\n' >"$tmp/in"
"$BMC" repl <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep $((slowdown > 1 ? 15 : 1))     # long enough that draws have been made
kill -INT $pid 2>/dev/null
wait $pid
code=$?
if [ $code -eq 0 ] && grep -qF "interrupted: summary of the" "$tmp/err" && grep -qF "mu: mean" "$tmp/out"; then pass
else fail "Ctrl-C during :sample: exit $code, expected 0 with an interrupted summary and a plot"; sed 's/^/    /' "$tmp/err" | head; fi

# :save writes the model and the values set with :data beside it, and
# `bmc run` of the two gives the sample that :sample gave: the same
# summary, to six decimals, with the same seed (data written to fewer
# digits than a double has would move it).
cat >"$tmp/in" <<EOF
data N;
data y[N];
mu ~ Normal(0, 10);
sigma ~ HalfNormal(5);
y ~ Normal(mu, sigma);
:data N=5 y=[1.5, 2.25, 0.1, 3.3333333333333335, -1e-7]
:sample --seed 7 --round 6
:save $tmp/saved.bm
EOF
table() { awk '/hdi_3%/ { on = 1; print; next } on && NF == 10 { print; next } { on = 0 }' "$1"; }
env -u HOME timeout $((60 * slowdown)) "$BMC" repl <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
table "$tmp/out" >"$tmp/repl-table"
timeout $((60 * slowdown)) "$BMC" run "$tmp/saved.bm" --data "$tmp/saved.json" --seed 7 --round 6 >"$tmp/run-out" 2>"$tmp/run-err"
code=$?
table "$tmp/run-out" >"$tmp/run-table"
if [ $code -eq 0 ] && [ "$(wc -l <"$tmp/repl-table")" -eq 3 ] && cmp -s "$tmp/repl-table" "$tmp/run-table" &&
   grep -qF "note: run it with: bmc run $tmp/saved.bm --data $tmp/saved.json" "$tmp/err"; then pass
else fail ":save then bmc run: exit $code, the summaries differ or the note is missing"
    sed 's/^/    repl: /' "$tmp/repl-table"; sed 's/^/    run:  /' "$tmp/run-table" "$tmp/run-err" | head -20; fi

# bmc repl takes no arguments
timeout $((10 * slowdown)) "$BMC" repl extra </dev/null >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 2 ] && grep -qF "takes no arguments" "$tmp/err"; then pass; else fail "bmc repl extra: expected a usage error"; fi

# empty input: nothing to do, exit 0
timeout $((10 * slowdown)) "$BMC" repl </dev/null >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && [ ! -s "$tmp/err" ]; then pass; else fail "empty session: expected exit 0 and no messages"; fi

finish repl
