#!/bin/sh
# test_summary.sh -- `bmc summary` and `bmc plot` on saved draws: bmc's own
# CSV files give the run's own figures; rstan's files (tests/fixtures/
# summary, made by make.R there) give the figures of the R package
# posterior; --define, --quantiles and --strict against values computed
# here from the files by Python; and every error of a bad file, placed at
# its file, line and cell.
#
# Tolerances: bmc writes nine significant digits, so figures computed from
# its files agree with the run's to a relative 1e-6, R-hat and the ESS to
# 1e-4 (they rank the draws, or the folded draws |x - median|, and
# rounding can reorder two that lie within 1e-9 of each other); rstan's files hold six digits, which
# both posterior and bmc read, so the figures agree to a relative 1e-6.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

printf 'leak:libfontconfig.so\n' >"$tmp/lsan.supp"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$tmp/lsan.supp"
export LSAN_OPTIONS

fx=tests/fixtures/summary
rstan_files="$fx/ab_rstan_1.csv $fx/ab_rstan_2.csv $fx/ab_rstan_3.csv $fx/ab_rstan_4.csv"

# ---- bmc's own files: the run's figures ----
runs "run --output-dir" 0 run models/ab.bm --sampler nuts --seed 3 --output-dir "$tmp/ab" --format json --quantiles 0.05,0.5,0.95
cp "$tmp/out" "$tmp/run.json"
files="$tmp/ab/ab_1.csv $tmp/ab/ab_2.csv $tmp/ab/ab_3.csv $tmp/ab/ab_4.csv"
# shellcheck disable=SC2086
runs "summary of bmc's files" 0 summary $files --format json --quantiles 0.05,0.5,0.95
cp "$tmp/out" "$tmp/sum.json"
expect_err "4 chains x 1000 draws read back, 0 divergences, seed 3" "summary's run line"
pycheck "summary = run" "$tmp/run.json" "$tmp/sum.json" <<'EOF'
import json, sys
run, got = (json.load(open(f)) for f in sys.argv[1:3])
if set(run['variables']) != set(got['variables']):
    print('names', sorted(got['variables'])); sys.exit()
for v, want in run['variables'].items():
    for k, x in want.items():
        y = got['variables'][v][k]
        # the ranks (r_hat, ess_*) can change where nine digits round two apart draws alike
        tol = 1e-4 if k in ('r_hat', 'ess_bulk', 'ess_tail') else 1e-6
        if (x is None) != (y is None) or (x is not None and abs(x - y) > tol * max(1e-3, abs(x))):
            print(v, k, x, y)
s = got['sampler']
if (s['chains'], s['draws'], s['seed'], s['saved']) != (4, 1000, 3, True): print('sampler', s)
EOF
# shellcheck disable=SC2086
runs "summary table" 0 summary $files --vars p_A,diff --round 3 --hdi-prob 0.9
has "$tmp/out" "hdi_5%" "--hdi-prob"
lacks "$tmp/out" "p_B" "--vars"

# ---- quantiles, computed here (R's type 7) ----
pycheck "quantiles" "$tmp/sum.json" $files <<'EOF'
import csv, json, sys
got = json.load(open(sys.argv[1]))['variables']
cols = {}
for f in sys.argv[2:]:
    rows = [r for r in csv.reader(l for l in open(f) if not l.startswith('#'))]
    for j, name in enumerate(rows[0]):
        cols.setdefault(name, []).extend(float(r[j]) for r in rows[1:])
def q(x, p):
    x = sorted(x); h = (len(x) - 1) * p; lo = int(h)
    return x[lo] + (h - lo) * (x[min(lo + 1, len(x) - 1)] - x[lo])
for v in ('p_A', 'p_B', 'diff'):
    for key, p in (('q5', .05), ('q50', .5), ('q95', .95)):
        if abs(got[v][key] - q(cols[v], p)) > 1e-12: print(v, key, got[v][key], q(cols[v], p))
EOF
runs "run --quantiles table" 0 run models/ab.bm --seed 3 --quantiles 0.025,0.5 --draws 200
has "$tmp/out" "q2.5" "quantile column title"
runs "bad --quantiles" 2 summary "$tmp/ab/ab_1.csv" --quantiles 0.5,2
expect_err "--quantiles takes probabilities from 0 to 1" "bad --quantiles message"

# ---- --strict: exit 4 when a convergence warning applies ----
runs "short run" 0 run models/ab.bm --sampler nuts --seed 1 --draws 30 --tune 30 --output-dir "$tmp/short"
expect_err "warning: ess_" "short run warns"
runs "run --strict" 4 run models/ab.bm --sampler nuts --seed 1 --draws 30 --tune 30 --strict
runs "summary --strict" 4 summary "$tmp/short/ab_1.csv" "$tmp/short/ab_2.csv" --strict
# shellcheck disable=SC2086
runs "summary --strict, no warning" 0 summary $files --strict

# the side-by-side table and the session's have no quantile columns and no exit status to choose
runs "compare --quantiles" 2 compare models/ab.bm models/ab_informative.bm --quantiles 0.5
expect_err "--quantiles is an option of 'bmc run'" "compare --quantiles message"
runs "compare --strict" 2 compare models/ab.bm models/ab_informative.bm --strict
printf 'p ~ Beta(1, 1);\n:sample 100 --quantiles 0.5\n' | bmc repl
expect_err ":sample: --quantiles and --strict are options of 'bmc run' and 'bmc summary'" ":sample --quantiles"

# ---- rstan's files: posterior's figures ----
# shellcheck disable=SC2086
runs "summary of rstan's files" 0 summary $rstan_files --format json
# 300 warm-up rows of each file skipped up to '# Adaptation terminated'
pycheck "rstan = posterior" "$tmp/out" "$fx/ab_rstan.reference.csv" 4 300 300 20240601 \
    <"$fx/compare.py"

# ---- --define, against Python on the same draws ----
# shellcheck disable=SC2086
runs "--define" 0 summary $rstan_files --format json --define 'lift = p_B / p_A - 1' \
    --define 'wins = p_B > p_A' --define 'zs = sum(z) + z[2]; e = exp(z[1])'
pycheck "--define values" "$tmp/out" $rstan_files <<'EOF'
import csv, json, math, sys
got = json.load(open(sys.argv[1]))['variables']
draws = []
for f in sys.argv[2:]:
    lines = [l for l in open(f) if not l.startswith('#')]
    rows = list(csv.DictReader(lines))[300:]          # after the warm-up
    draws += [{k: float(v) for k, v in r.items()} for r in rows]
def check(name, f):
    x = [f(r) for r in draws]
    m = sum(x) / len(x)
    sd = math.sqrt(sum((a - m) ** 2 for a in x) / (len(x) - 1))
    if abs(got[name]['mean'] - m) > 1e-9 * max(1, abs(m)) or abs(got[name]['sd'] - sd) > 1e-9 * max(1, sd):
        print(name, got[name]['mean'], m, got[name]['sd'], sd)
check('lift', lambda r: r['p_B'] / r['p_A'] - 1)
check('wins', lambda r: float(r['p_B'] > r['p_A']))
check('zs', lambda r: r['z.1'] + 2 * r['z.2'])
check('e', lambda r: math.exp(r['z.1']))
EOF
runs "--define unknown name" 1 summary "$fx/ab_rstan_1.csv" --define 'lift = p_C / p_A'
expect_err "--define:1:8: error: unknown name 'p_C'" "--define error place"
expect_err "did you mean 'p_A'" "--define suggestion"
expect_err "    lift = p_C / p_A" "--define source line"
runs "--define of a saved name" 1 summary "$fx/ab_rstan_1.csv" --define 'p_A = 1 - p_B'
expect_err "--define:1:1: error: 'p_A' is a saved quantity" "--define redefinition place"
runs "--define with ~" 1 summary "$fx/ab_rstan_1.csv" --define 'q ~ Normal(0, 1)'
expect_err "'q' is not a saved quantity" "--define of a parameter"
runs "--define empty" 2 summary "$fx/ab_rstan_1.csv" --define ''

# ---- reading: warm-up, nan and inf, files cut short ----
cat >"$tmp/w.csv" <<'EOF'
# model = hand
# num_samples = 3
# num_warmup = 2
# save_warmup = 1
lp__,accept_stat__,theta.1,theta.2
-1,0.9,100,100
-1,0.9,100,100
# Adaptation terminated
-1,0.9,1,nan
-2,0.8,2,inf
-3,0.7,3,-inf
EOF
runs "save_warmup" 0 summary "$tmp/w.csv" --format json
# no divergent__ or treedepth__ column: nothing counted
has "$tmp/err" "1 chain x 3 draws read back, 0 divergences" "no sampler columns"
lacks "$tmp/err" "seed" "no seed in the file"
pycheck "warm-up skipped, nan kept" "$tmp/out" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))['variables']
if v['theta[1]']['mean'] != 2: print('theta[1]', v['theta[1]'])
if v['theta[2]']['mean'] is not None: print('theta[2]', v['theta[2]'])
EOF
# CmdStan 2.33's header, and its sampler's record: divergences, draws at max_depth
cmdstan() {   # cmdstan FILE SEED: a file as CmdStan writes one, 100 draws of mu
    {
        printf '# stan_version_major = 2\n# stan_version_minor = 33\n# model = normal_model\n'
        printf '# method = sample (Default)\n#   sample\n#     num_samples = 100\n#     num_warmup = 50\n'
        printf '#     save_warmup = 0 (Default)\n#     thin = 1 (Default)\n#     adapt\n#       engaged = 1 (Default)\n'
        printf '#       delta = 0.9\n#     algorithm = hmc (Default)\n#       hmc\n#         engine = nuts (Default)\n'
        printf '#           nuts\n#             max_depth = 3\n#         metric = diag_e (Default)\n# id = 1 (Default)\n'
        printf '# data\n#   file = normal.json\n# random\n#   seed = 77\n# output\n#   file = output.csv (Default)\n'
        printf '#   diagnostic_file =  (Default)\n# stanc_version = stanc3 v2.33.0\n# stancflags = \n'
        printf 'lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,mu_rep\n'
        printf '# Adaptation terminated\n# Step size = 0.9\n# Diagonal elements of inverse mass matrix:\n# 1.1\n'
        awk -v seed="$2" 'BEGIN { srand(seed); for (i = 1; i <= 100; i++) {
            u = rand(); printf "-%.6g,0.9,0.9,%d,%d,%d,%.6g,%.6g,%.6g\n", u, (i % 10 == 0) ? 3 : 2,
                (i % 10 == 0) ? 7 : 3, (i == 50), 1 + u, rand() - 0.5, rand() } }'
        printf '# \n#  Elapsed Time: 0.01 seconds (Warm-up)\n#                0.01 seconds (Sampling)\n'
    } >"$1"
}
cmdstan "$tmp/cs_1.csv" 1
cmdstan "$tmp/cs_2.csv" 2
runs "CmdStan's files" 0 summary "$tmp/cs_1.csv" "$tmp/cs_2.csv" --format json
expect_err "2 chains x 100 draws read back, 2 divergences, seed 77" "CmdStan's run line"
expect_err "warning: 2 divergent transitions after warm-up: raise --target-accept (e.g. 0.95)" "divergences from the files"
expect_err "warning: 20 draws hit the maximum tree depth 3" "tree depth from the files"
pycheck "CmdStan's sampler facts" "$tmp/out" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))['sampler']
want = {'chains': 2, 'draws': 100, 'tune': 50, 'divergences': 2, 'treedepth_hits': 20, 'max_treedepth': 3,
        'target_accept': 0.9, 'gradient_evals': 2 * (90 * 3 + 10 * 7), 'seed': 77}
for k, v in want.items():
    if s[k] != v: print(k, s[k], v)
EOF
runs "CmdStan's files --strict" 4 summary "$tmp/cs_1.csv" "$tmp/cs_2.csv" --strict --vars mu

head -c -3 "$tmp/ab/ab_2.csv" | grep -v '^#' | head -n 501 >"$tmp/cut.body"
{ grep '^#' "$tmp/ab/ab_2.csv" | head -n 25; cat "$tmp/cut.body"; printf '%s' '-7.1,0.9'; } >"$tmp/ab_cut.csv"
runs "cut short" 0 summary "$tmp/ab/ab_1.csv" "$tmp/ab_cut.csv"
expect_err "ab_cut.csv is cut short: read up to its last whole row, 500 draws after warm-up of 1000" "cut-short warning"
expect_err "the chains have 1000, 500 draws: the summary uses the first 500 of each" "unequal chains warning"
expect_err "2 chains x 500 draws read back" "cut-short run line"

# ---- errors ----
err_case() {   # err_case WHAT WANT-STDERR FILE...
    what=$1 want=$2
    shift 2
    runs "$what" 1 summary "$@"
    expect_err "$want" "$what message"
}
err_case "missing file" "$tmp/none.csv: error: cannot open the file: No such file or directory" "$tmp/none.csv"
: >"$tmp/empty.csv"
err_case "empty file" "empty.csv: error: the file is empty" "$tmp/empty.csv"
printf '# model = x\n# seed = 1\n' >"$tmp/nohead.csv"
err_case "no header" "nohead.csv:2: error: no header" "$tmp/nohead.csv"
printf 'a,b\n1,2\n' >"$tmp/plain.csv"
err_case "not CmdStan's" "plain.csv:1:1: error: not a CmdStan CSV file: its header has no 'lp__' column" "$tmp/plain.csv"
printf '# c\nlp__,p_A\n-1,0.5\n-1,abc\n' >"$tmp/bad.csv"
err_case "not a number" "bad.csv:4:4: error: 'abc' is not a number in column 'p_A'" "$tmp/bad.csv"
expect_err "    -1,abc" "not a number: the line"
printf 'lp__,p_A\n-1,0.5\n-1\n' >"$tmp/ragged.csv"
err_case "ragged row" "ragged.csv:3:3: error: this row has 1 cell where the header (line 1) has 2 columns" "$tmp/ragged.csv"
printf 'lp__,p_A\n-1,0.5,7\n' >"$tmp/long.csv"
err_case "long row" "long.csv:2:8: error: this row has more cells than the header's 2 columns" "$tmp/long.csv"
printf 'lp__,p_A\n-1,\n' >"$tmp/hole.csv"
err_case "empty cell" "hole.csv:2:4: error: an empty cell in column 'p_A'" "$tmp/hole.csv"
printf 'lp__,p_B\n-1,0.5\n' >"$tmp/other.csv"
printf 'lp__,p_A\n-1,0.5\n' >"$tmp/one.csv"
err_case "columns differ" "other.csv:1:6: error: column 2 is 'p_B' where $tmp/one.csv has 'p_A'" "$tmp/one.csv" "$tmp/other.csv"
printf 'lp__,p_A,q\n-1,0.5,1\n' >"$tmp/more.csv"
err_case "a column more" "more.csv:1:10: error: column 'q' is not in $tmp/one.csv" "$tmp/one.csv" "$tmp/more.csv"
printf '# save_warmup = 1\n# num_warmup = 5\nlp__,p_A\n-1,0.5\n' >"$tmp/warm.csv"
err_case "only warm-up" "warm.csv: error: no draws after warm-up" "$tmp/warm.csv"
printf '# num_samples = 10\nlp__,p_A' >"$tmp/headonly.csv"
err_case "only a header, cut short" "headonly.csv: error: no draws after warm-up" "$tmp/headonly.csv"
printf 'lp__,"p_A\n-1,2\n' >"$tmp/quote.csv"
err_case "a quote left open" "quote.csv:1:" "$tmp/quote.csv"
bmc summary - <"$tmp/ab/ab_1.csv"
expect_rc 0 "summary of standard input"
expect_err "1 chain x 1000 draws read back" "standard input's run line"
bmc summary - - <"$tmp/ab/ab_1.csv"
expect_rc 1 "standard input twice"
runs "no files" 2 summary
runs "--vars unknown" 2 summary "$tmp/ab/ab_1.csv" --vars p_C
expect_err "did you mean 'p_A'" "--vars suggestion"
runs "sampling option" 2 summary "$tmp/ab/ab_1.csv" --draws 10

# ---- bmc plot ----
# shellcheck disable=SC2086
runs "plot trace" 0 plot $files --kind trace --output "$tmp/t.png"
[ -s "$tmp/t.png" ] && pass || fail "plot trace: no file"
# shellcheck disable=SC2086
runs "plot posterior with --define" 0 plot $rstan_files --kind posterior --define 'lift = p_B / p_A - 1' \
    --vars lift --ref-val 0 --output "$tmp/p.svg"
has "$tmp/p.svg" "<svg" "plot posterior svg"
runs "plot forest" 0 plot "$tmp/ab/ab_1.csv" --kind forest --output "$tmp/f.pdf"
[ -s "$tmp/f.pdf" ] && pass || fail "plot forest: no file"
(cd "$tmp" && "$BMC" plot ab/ab_1.csv ab/ab_2.csv --kind posterior >/dev/null 2>"$tmp/err")
expect_err "bmc: wrote ab_posterior.png" "plot's default file"
[ -s "$tmp/ab_posterior.png" ] && pass || fail "plot's default file: not written"
runs "plot ppc refused" 2 plot "$tmp/ab/ab_1.csv" --kind ppc
expect_err "needs the model" "plot ppc message"
runs "plot bad output" 2 plot "$tmp/ab/ab_1.csv" --output x.gif
runs "plot --quantiles refused" 2 plot "$tmp/ab/ab_1.csv" --quantiles 0.5

finish
