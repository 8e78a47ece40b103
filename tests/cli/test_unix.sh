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

finish
