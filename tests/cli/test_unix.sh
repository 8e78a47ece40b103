#!/bin/sh
# test_unix.sh -- bmc behaves as a Unix command-line user expects:
#   1. `bmc COMMAND --help` (and -h) for every command `bmc help` lists;
#   2. "did you mean" for mistyped commands, other tools' words for them,
#      and abbreviated options;
#   3. '-' for standard input where a model or a data file is expected;
#   4. --progress SECONDS: report lines on stderr while sampling.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# ---- 1. --help for every command

"$BMC" help >"$tmp/help" 2>&1
# The commands: the indented list after "usage:", up to the next blank line.
commands=$(awk '/^usage:/ { list = 1; next }
                list && /^$/ { if (seen) exit; next }
                list && /^  [a-z]/ { seen = 1; print $1 }' "$tmp/help")
if [ "$(echo "$commands" | wc -w)" -ge 8 ]; then pass; else fail "found few commands in 'bmc help': $commands"; fi
for c in $commands; do
    "$BMC" help "$c" >"$tmp/want" 2>&1
    for args in "--help" "-h" "models/ab.bm --help" "--chains 2 -h models/ab.bm" "--no-such-option --help"; do
        # shellcheck disable=SC2086   # the words of args are separate arguments
        bmc "$c" $args
        if [ "$rc" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want" && [ ! -s "$tmp/err" ]; then pass; else
            fail "bmc $c $args: exit $rc, not what 'bmc help $c' prints on stdout"
            show "$tmp/out"
            show "$tmp/err"
        fi
    done
done
runs "bmc --help run" 0 --help run
has "$tmp/out" "usage: bmc run MODEL.bm" "bmc --help run"
runs "bmc help --help" 0 help --help
has "$tmp/out" "usage: bmc COMMAND" "bmc help --help"
# an unknown command is an error, --help or not
runs "bmc rum --help" 2 rum --help
expect_err "note: did you mean 'run'?" "bmc rum --help"

# ---- 2. did you mean

bmc help rum
expect_rc 2 "help for a misspelt command"
expect_err "no help for 'rum'" "help for a misspelt command"
expect_err "note: did you mean 'run'? see 'bmc help'" "help for a misspelt command"
bmc sim models/ab.bm
expect_rc 2 "an abbreviated command"
expect_err "note: did you mean 'simulate'?" "an abbreviated command"
for word in sample fit mcmc; do
    bmc "$word" models/ab.bm
    expect_rc 2 "'bmc $word'"
    expect_err "bmc has no command '$word'; to sample a model: bmc run MODEL.bm" "'bmc $word'"
done
bmc stansummary out/ab_1.csv
expect_rc 2 "'bmc stansummary'"
expect_err "bmc has no command 'stansummary'; to " "'bmc stansummary'"
bmc help sample
expect_rc 2 "'bmc help sample'"
expect_err "bmc has no command 'sample'; to sample a model: bmc run MODEL.bm" "'bmc help sample'"
bmc stanc models/ab.bm
expect_err "to check a model: bmc check MODEL.bm" "'bmc stanc'"

# An option's start names it when only one option starts so; every
# command's unknown options go through the same suggestion.
for c in run compare check ir logp simulate graph; do
    bmc "$c" --dat x.json models/ab.bm
    expect_rc 2 "bmc $c --dat"
    expect_err "note: did you mean '--data'? see 'bmc help $c'" "bmc $c --dat"
done
bmc run models/ab.bm --dr 10
expect_err "note: did you mean '--draws'?" "an abbreviated option"
bmc run models/ab.bm --plot-k trace
expect_err "note: did you mean '--plot-kind'?" "an abbreviated option, not the nearest word"
bmc run models/ab.bm --max-tree 5
expect_err "note: did you mean '--max-treedepth'?" "an abbreviated option"
bmc simulate models/ab.bm --out x.json
expect_err "note: did you mean '--output'? see 'bmc help simulate'" "an abbreviated option of simulate"
# two options start so: no guess
bmc run models/ab.bm --pl x.png
expect_rc 2 "an ambiguous abbreviation"
lacks "$tmp/err" "did you mean" "an ambiguous abbreviation"
# the REPL's :sample options too
printf 'p ~ Beta(1, 1);\n:sample --chain 2\n' >"$tmp/session"
timeout 60 "$BMC" repl <"$tmp/session" >"$tmp/out" 2>"$tmp/err"
expect_err "did you mean '--chains'?" "an abbreviated option of :sample"

# ---- 3. '-' is standard input where a model or a data file is expected

# fed ARGS...: bmc ARGS with standard input from the file $stdin
fed() {
    timeout $((bmc_timeout * slowdown)) "$BMC" "$@" <"$stdin" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

stdin=models/ab.bm
fed run - --seed 1 --draws 200
expect_rc 0 "bmc run - < ab.bm"
mv "$tmp/out" "$tmp/piped"
bmc run models/ab.bm --seed 1 --draws 200
if cmp -s "$tmp/out" "$tmp/piped"; then pass; else fail "bmc run - < ab.bm differs from bmc run ab.bm"; fi
cat models/ab.bm | "$BMC" check - >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 0 "cat ab.bm | bmc check -"
expect_empty "$tmp/err" "cat ab.bm | bmc check -"
for c in ir graph; do
    fed "$c" -
    expect_rc 0 "bmc $c - < ab.bm"
done
fed logp - p_A=0.1 p_B=0.2
expect_rc 0 "bmc logp - < ab.bm"
# two Beta(1, 1) priors and two binomials, by hand:
# log C(1000,120) + 120 log .1 + 880 log .9 + log C(1000,150) + 150 log .2 + 850 log .8
pycheck "bmc logp - < ab.bm" "$tmp/out" <<'EOF'
import sys
from math import lgamma, log
def lbinom(n, k, p): return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * log(p) + (n - k) * log(1 - p)
want = lbinom(1000, 120, 0.1) + lbinom(1000, 150, 0.2)
got = [float(l.split()[2]) for l in open(sys.argv[1]) if l.startswith("logp = ")]
if not got or abs(got[0] - want) > 1e-6: print("logp from stdin is", got, "not", want)
EOF
# the model's name is stdin: its CSV files are stdin_CHAIN.csv
fed run - --seed 1 --draws 20 --tune 20 --chains 2 --output-dir "$tmp/draws"
expect_rc 0 "bmc run - --output-dir"
if [ -f "$tmp/draws/stdin_1.csv" ] && [ -f "$tmp/draws/stdin_2.csv" ]; then pass; else
    fail "bmc run - --output-dir DIR: no DIR/stdin_1.csv, stdin_2.csv: $(ls "$tmp/draws" 2>&1)"; fi
stdin=models/abc.bm
fed compare - models/ab.bm --seed 1 --draws 100
expect_rc 0 "bmc compare - ab.bm"
has "$tmp/out" "stdin" "bmc compare - ab.bm names the model from stdin"
# simulate compiles the model twice: standard input is read once
stdin=models/ab.bm
fed simulate - p_A=0.1 p_B=0.2 --seed 1
expect_rc 1 "bmc simulate - < ab.bm (observes no data names)"
expect_err "<stdin>: error: nothing to simulate" "bmc simulate - names the model <stdin>"
stdin=models/eight_schools.bm
fed simulate - mu=1 tau=2 --data models/eight_schools.json --seed 1
expect_rc 0 "bmc simulate - < eight_schools.bm"

# messages name it <stdin>
printf 'p ~ Beta(1, 1);\ny ~ Binomal(10, p) observed 3;\n' >"$tmp/bad.bm"
stdin=$tmp/bad.bm
fed check -
expect_rc 1 "an error in a model from stdin"
expect_err "<stdin>:2:5: error: unknown distribution 'Binomal'" "an error in a model from stdin"
expect_err "    y ~ Binomal(10, p) observed 3;" "an error in a model from stdin shows its line"
printf 'x = 1;\0' >"$tmp/nul.bm"
stdin=$tmp/nul.bm
fed check -
expect_rc 1 "a model with a NUL byte from stdin"
expect_err "<stdin>: error: not a text file" "a model with a NUL byte from stdin"
# the size limit of model files holds for stdin, a file or a pipe
head -c 9000000 /dev/zero | tr '\0' ' ' >"$tmp/big.bm"
stdin=$tmp/big.bm
fed check -
expect_rc 1 "a model larger than 8 MiB from stdin"
expect_err "<stdin>: error: is larger than 8 MiB" "a model larger than 8 MiB from stdin"
cat "$tmp/big.bm" | "$BMC" check - >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 1 "a model larger than 8 MiB through a pipe"
expect_err "<stdin>: error: is larger than 8 MiB" "a model larger than 8 MiB through a pipe"

# data from stdin
stdin=models/eight_schools.json
fed run models/eight_schools.bm --data - --seed 1 --draws 100
expect_rc 0 "bmc run M --data - < d.json"
mv "$tmp/out" "$tmp/piped"
bmc run models/eight_schools.bm --data models/eight_schools.json --seed 1 --draws 100
if cmp -s "$tmp/out" "$tmp/piped"; then pass; else fail "--data - < d.json differs from --data d.json"; fi
fed check models/eight_schools.bm --data=-
expect_rc 0 "bmc check M --data=- < d.json"
printf '{"J": 8,\n "y": [1, 2,, 3]}\n' >"$tmp/bad.json"
stdin=$tmp/bad.json
fed check models/eight_schools.bm --data -
expect_rc 1 "bad JSON data from stdin"
expect_err "<stdin>:2:" "bad JSON data from stdin"
# not the model and the data both, nor two data files
stdin=models/eight_schools.json
fed run - --data -
expect_rc 2 "the model and the data both from stdin"
expect_err "standard input ('-') was read already" "the model and the data both from stdin"
fed check models/eight_schools.bm --data - --data -
expect_rc 2 "two data files from stdin"
printf '{}' >"$tmp/empty.json"
stdin=$tmp/empty.json
fed check - --data -
expect_rc 2 "the model and empty data both from stdin"
stdin=models/ab.bm
fed compare - -
expect_rc 2 "two models from stdin"

# where a file is written, '-' is standard output only where it can be
bmc run models/ab.bm --plot -
expect_rc 2 "--plot -"
expect_err "the picture needs a file name" "--plot -"
bmc run models/ab.bm --output-dir -
expect_rc 2 "--output-dir -"
bmc graph models/ab.bm --render -
expect_rc 2 "--render -"
expect_err "the DOT text goes to standard output without --render" "--render -"

# ---- 4. --progress SECONDS: report lines on stderr while sampling

# A run of a second or so (longer under the sanitizers): at least one line,
# whatever the machine's load; nothing asks how many.
slow="models/eight_schools.bm --data models/eight_schools.json --draws 20000 --seed 1 --vars mu"
# shellcheck disable=SC2086   # $slow is several arguments
bmc run $slow --progress 0.1
expect_rc 0 "run --progress 0.1"
n=$(grep -c '^after [0-9.]* s: chain 1 iteration [0-9]*/21000 (\(warm-up\|sampling\|done\)' "$tmp/err")
if [ "$n" -ge 1 ]; then pass; else fail "run --progress 0.1: no report line on stderr"; show "$tmp/err"; fi
has "$tmp/err" ", chain 4 iteration " "a report line names every chain"
if tr -d '\n' <"$tmp/err" | grep -q "$(printf '[\r\033]')"; then
    fail "report lines hold a carriage return or an escape sequence"; else pass; fi
# shellcheck disable=SC2086
bmc run $slow
lacks "$tmp/err" "iteration" "no report lines by default when stderr is not a terminal"
bmc run $slow --progress 0
lacks "$tmp/err" "iteration" "--progress 0"
for bad in -1 x nan; do
    bmc run models/ab.bm --progress "$bad"
    expect_rc 2 "--progress $bad"
    expect_err "--progress takes seconds" "--progress $bad"
done
bmc compare models/ab.bm models/abc.bm --progress 0.5 --draws 100
expect_rc 0 "compare --progress"
# On a terminal (script(1) gives one): bars redrawn in place by default,
# none with --progress 0.
if command -v script >/dev/null 2>&1; then
    script -qec "$BMC run $slow" /dev/null >"$tmp/tty" 2>&1
    if grep -q "$(printf '\033')\[2Kchain 1 \[" "$tmp/tty"; then pass; else
        fail "no progress bars on a terminal"; fi
    script -qec "$BMC run $slow --progress 0" /dev/null >"$tmp/tty" 2>&1
    if grep -q "$(printf '\033')\[2K" "$tmp/tty"; then fail "progress bars on a terminal with --progress 0"; else pass; fi
    has "$tmp/tty" "4 chains x 20000 draws" "a run on a terminal with --progress 0"
else
    echo "note: script(1) is not installed; progress on a terminal is not checked"
fi

finish
