#!/bin/sh
# test_compare.sh -- `bmc compare`: several models sampled alike, their
# summaries side by side.
#
# The A/B models are conjugate, so their posteriors are known exactly:
#   ab.bm              Beta(1, 1) prior:   p_A ~ Beta(121, 881),  p_B ~ Beta(151, 851)
#   ab_informative.bm  Beta(10, 90) prior: p_A ~ Beta(130, 970),  p_B ~ Beta(160, 940)
# (Beta(a + k, b + n - k) after k of n; here k = 120 and 150 of n = 1000).
# Means a / (a + b) and sds sqrt(ab / ((a + b)^2 (a + b + 1))) by hand:
#   p_A 0.12076 (sd 0.01029) and 0.11818 (sd 0.00973)
#   p_B 0.15070 (sd 0.01130) and 0.14545 (sd 0.01063)
#   diff = p_B - p_A: 0.02994 and 0.02727
# P(p_B > p_A), the mean of b_wins, by numerical integration in R:
#   integrate(function(x) dbeta(x, 151, 851) * pbeta(x, 121, 881), 0, 1) = 0.97507
#   integrate(function(x) dbeta(x, 160, 940) * pbeta(x, 130, 970), 0, 1) = 0.97093
# Tolerances are about ten Monte Carlo standard errors of 4 x 1000 draws.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last and
# exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# near WHAT GOT WANT TOL
near() {
    if awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN {
            if (g !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) exit 1
            d = g - w; if (d < 0) d = -d; exit !(d <= t) }'; then
        pass
    else
        fail "$1: got '$2', expected $3 +- $4"
    fi
}
# cell ROW COLUMN: a cell of the table in $tmp/out (column 1 is the name)
cell() { awk -v r="$1" -v c="$2" '$1 == r { print $c }' "$tmp/out"; }

# ---- the article's table: with and without prior knowledge

runs "ab vs ab_informative" 0 compare models/ab.bm models/ab_informative.bm --seed 1 --round 4
cp "$tmp/out" "$tmp/table"
head -n 1 "$tmp/out" | grep -q '^ *ab  *ab_informative *$' && pass || fail "header: model names, got '$(head -n 1 "$tmp/out")'"
sed -n 2p "$tmp/out" | grep -q '^ *mean  *sd  *hdi_3%  *hdi_97%  *mean  *sd  *hdi_3%  *hdi_97% *$' && pass ||
    fail "header: columns, got '$(sed -n 2p "$tmp/out")'"
rows=$(awk 'NR > 2 { printf "%s ", $1 }' "$tmp/out")
[ "$rows" = "p_A p_B diff b_wins " ] && pass || fail "rows: got '$rows', expected the shared 'p_A p_B diff b_wins'"
# columns: name, then mean sd hdi_low hdi_high for ab, then for ab_informative
near "ab p_A mean" "$(cell p_A 2)" 0.12076 0.002
near "ab p_A sd" "$(cell p_A 3)" 0.01029 0.001
near "informative p_A mean" "$(cell p_A 6)" 0.11818 0.002
near "informative p_A sd" "$(cell p_A 7)" 0.00973 0.001
near "ab p_B mean" "$(cell p_B 2)" 0.15070 0.002
near "informative p_B mean" "$(cell p_B 6)" 0.14545 0.002
near "ab diff mean" "$(cell diff 2)" 0.02994 0.003
near "informative diff mean" "$(cell diff 6)" 0.02727 0.003
near "ab b_wins mean" "$(cell b_wins 2)" 0.97507 0.015
near "informative b_wins mean" "$(cell b_wins 6)" 0.97093 0.015
# the prior pulls p_A towards 0.1: by 0.0026, over ten Monte Carlo errors
if awk -v a="$(cell p_A 2)" -v b="$(cell p_A 6)" 'BEGIN { exit !(b < a) }'; then pass; else
    fail "the informative prior should lower p_A's mean"; fi
# the HDI brackets the mean
if awk -v lo="$(cell p_A 4)" -v m="$(cell p_A 2)" -v hi="$(cell p_A 5)" 'BEGIN { exit !(lo < m && m < hi) }'; then
    pass; else fail "ab p_A: HDI does not bracket the mean"; fi
has "$tmp/err" "ab: 4 chains x 1000 draws, each drawn exactly from the conjugate posterior (p_A, p_B)" "run line of ab"
has "$tmp/err" "ab_informative: 4 chains x 1000 draws, each drawn exactly from the conjugate posterior (p_A, p_B)" "run line of ab_informative"
has "$tmp/err" "seed 1" "run line"

# the same seed gives the same table
runs "again" 0 compare models/ab.bm models/ab_informative.bm --seed 1 --round 4 --cores 1
cmp -s "$tmp/out" "$tmp/table" && pass || fail "the same seed on one core gave another table"

# ---- JSON

runs "json" 0 compare models/ab.bm models/ab_informative.bm --seed 1 --format json
has "$tmp/out" '"models": {' "json"
has "$tmp/out" '"ab": {' "json"
has "$tmp/out" '"ab_informative": {' "json"
has "$tmp/out" '"shared": [' "json"
if command -v jq >/dev/null 2>&1; then
    j=$tmp/out
    [ "$(jq -c '.models | keys_unsorted' "$j")" = '["ab","ab_informative"]' ] && pass || fail "json: model keys"
    [ "$(jq -c '.shared' "$j")" = '["p_A","p_B","diff","b_wins"]' ] && pass || fail "json: shared"
    [ "$(jq -c '.models.ab.variables | keys_unsorted' "$j")" = '["p_A","p_B","diff","b_wins"]' ] && pass ||
        fail "json: ab's variables"
    [ "$(jq -c '.models.ab_informative.variables.p_A | keys_unsorted' "$j")" = \
      '["mean","sd","hdi_low","hdi_high","mcse_mean","mcse_sd","ess_bulk","ess_tail","r_hat"]' ] && pass ||
        fail "json: a variable's fields"
    [ "$(jq '.models.ab.sampler.seed' "$j")" = 1 ] && pass || fail "json: sampler seed"
    near "json ab p_A mean" "$(jq '.models.ab.variables.p_A.mean' "$j")" 0.12076 0.002
    near "json informative p_A mean" "$(jq '.models.ab_informative.variables.p_A.mean' "$j")" 0.11818 0.002
else
    echo "note: jq is not installed; JSON checked by its text only"
fi

# ---- models with the same name, and quantities not every model has

runs "same model twice" 0 compare models/ab.bm models/ab.bm --seed 7 --draws 200 --tune 200 --format json
has "$tmp/out" '"ab_2": {' "same model twice: the second gets a suffix"
if command -v jq >/dev/null 2>&1; then
    [ "$(jq -c '.models.ab.variables' "$tmp/out")" = "$(jq -c '.models.ab_2.variables' "$tmp/out")" ] && pass ||
        fail "same model twice, same seed: different summaries"
fi
runs "ab vs abc" 0 compare models/ab.bm models/abc.bm --seed 2 --draws 200 --tune 200
rows=$(awk 'NR > 2 { printf "%s ", $1 }' "$tmp/out")
[ "$rows" = "p_A p_B " ] && pass || fail "ab vs abc: got rows '$rows', expected 'p_A p_B '"
runs "--vars" 0 compare models/ab.bm models/ab_informative.bm --seed 2 --draws 200 --tune 200 --vars diff,p_A
rows=$(awk 'NR > 2 { printf "%s ", $1 }' "$tmp/out")
[ "$rows" = "diff p_A " ] && pass || fail "--vars: got rows '$rows', expected 'diff p_A '"

# ---- the forest plot

# Fontconfig, under cairo, keeps its caches to the end of the process; with
# the sanitizers, LeakSanitizer must not count them against bmc.
printf 'leak:libfontconfig.so\n' >"$tmp/lsan.supp"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$tmp/lsan.supp"
export LSAN_OPTIONS

runs "--plot png" 0 compare models/ab.bm models/ab_informative.bm --seed 1 --draws 200 --tune 200 --plot "$tmp/f.png"
if [ -s "$tmp/f.png" ] && head -c 8 "$tmp/f.png" | od -An -c | grep -q 'P   N   G'; then pass; else
    fail "--plot: $tmp/f.png is not a PNG"; fi
runs "--plot svg" 0 compare models/ab.bm models/ab_informative.bm --seed 1 --draws 200 --tune 200 --plot "$tmp/f.svg"
if grep -q '<svg' "$tmp/f.svg" 2>/dev/null; then pass; else fail "--plot: $tmp/f.svg is not an SVG"; fi

# ---- bad input: nothing is sampled

printf 'p_A ~ Betta(1, 1);\n' >"$tmp/bad.bm"
runs "a bad model" 1 compare models/ab.bm "$tmp/bad.bm" models/ab_informative.bm
has "$tmp/err" "bad.bm:1:7: error: unknown distribution 'Betta'" "a bad model"
if grep -q 'chains x' "$tmp/err" || [ -s "$tmp/out" ]; then fail "a bad model: something was sampled"; else pass; fi
runs "one model" 2 compare models/ab.bm
runs "nothing shared" 1 compare models/ab.bm models/click_count.bm
has "$tmp/err" "share no reported quantity" "nothing shared"
runs "--vars not shared" 2 compare models/ab.bm models/abc.bm --vars diff
has "$tmp/err" "'diff' is not a reported quantity of 'abc'" "--vars not shared"
runs "--init" 2 compare models/ab.bm models/ab_informative.bm --init p_A=0.1
runs "--output-dir" 2 compare models/ab.bm models/ab_informative.bm --output-dir "$tmp/csv"
runs "bad --plot name" 2 compare models/ab.bm models/ab_informative.bm --plot "$tmp/f.gif"

finish
