#!/bin/sh
# test_run.sh -- `bmc run` from the outside: the summary table and its
# JSON form against the exact A/B posterior, reproducibility across thread
# counts, CmdStan CSV files, --vars and --init, usage errors, every model
# in models/, sampling failures and Ctrl-C.
#
# Exact values (not from bmc): with Beta(1, 1) priors, 120 of 1000 and 150
# of 1000 give p_A ~ Beta(121, 881) and p_B ~ Beta(151, 851); their means
# and sds are the Beta formulas a/(a+b) and sqrt(ab/((a+b)^2(a+b+1))); diff
# has the difference of the means and the sum of the variances (the two
# are independent); P(p_B > p_A) is Miller's closed-form sum for integer
# Beta parameters (E. Miller, "Formulas for Bayesian A/B testing", 2015),
# computed here in Python with math.lgamma; the 94% HDI of diff, which is
# very nearly normal at these counts, is mean -/+ 1.881 sd.  Sampled means
# must lie within 4 Monte Carlo standard errors of the exact ones, sds
# within 5%.
#
# Needs BMC (the binary under test) and python3 (to read JSON).  Prints
# "N passed, N failed" last and exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# ---- the table

if runs "ab.bm table" 0 run models/ab.bm --seed 1; then
    # the header, whatever the spacing
    header=$(head -1 "$tmp/out" | tr -s ' ' | sed 's/^ //; s/ $//')
    if [ "$header" = "mean sd hdi_3% hdi_97% mcse_mean mcse_sd ess_bulk ess_tail r_hat" ]; then
        pass
    else
        fail "table header is '$header'"
    fi
    rows=$(awk 'NR > 1 && NR <= 5 { printf "%s ", $1 }' "$tmp/out")
    if [ "$rows" = "p_A p_B diff b_wins " ]; then pass; else fail "table rows are '$rows'"; fi
    # p_A's mean is 121/1002 = 0.1208; the table rounds to 3 digits
    pycheck "table numbers" "$tmp/out" <<'EOF'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1]).read().splitlines()[1:5]}
mean, sd, lo, hi = (float(x) for x in rows["p_A"][:4])
if abs(mean - 121 / 1002) > 0.003: print("p_A mean", mean)
if abs(sd - 0.0103) > 0.001: print("p_A sd", sd)
lo, hi = float(rows["diff"][2]), float(rows["diff"][3])
if abs(lo - 0.0017) > 0.004 or abs(hi - 0.0582) > 0.004: print("diff HDI", lo, hi)
EOF
fi

# ---- JSON against the exact posterior

cat >"$tmp/exact.py" <<'EOF'
import json, math, sys

def lbeta(a, b):
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)

def p_greater(a1, b1, a2, b2):
    """P(X2 > X1) for X1 ~ Beta(a1, b1), X2 ~ Beta(a2, b2), integer a2."""
    return sum(math.exp(lbeta(a1 + i, b1 + b2) - math.log(b2 + i) - lbeta(1 + i, b2) - lbeta(a1, b1))
               for i in range(int(a2)))

def beta_moments(a, b):
    return a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))

def check_ab(doc, a1, b1, a2, b2, normal_diff=False):
    """Prints what disagrees with the exact posterior of an A/B model;
    with normal_diff, also diff's HDI, where diff is nearly normal."""
    v = doc["variables"]
    ma, sa = beta_moments(a1, b1)
    mb, sb = beta_moments(a2, b2)
    p = p_greater(a1, b1, a2, b2)
    md, sdd = mb - ma, math.sqrt(sa ** 2 + sb ** 2)
    want = {"p_A": (ma, sa), "p_B": (mb, sb), "diff": (md, sdd),
            "b_wins": (p, math.sqrt(p * (1 - p)))}
    for name, (mean, sd) in want.items():
        x = v[name]
        if abs(x["mean"] - mean) > 4 * x["mcse_mean"]:
            print(name, "mean", x["mean"], "exact", mean, "mcse", x["mcse_mean"])
        # an indicator's sd, sqrt(p (1 - p)), follows from its mean
        if name != "b_wins" and abs(x["sd"] / sd - 1) > 0.05:
            print(name, "sd", x["sd"], "exact", sd)
        if not x["r_hat"] <= 1.01:
            print(name, "r_hat", x["r_hat"])
    lo, hi = md - 1.881 * sdd, md + 1.881 * sdd
    if normal_diff and (abs(v["diff"]["hdi_low"] - lo) > 0.004 or abs(v["diff"]["hdi_high"] - hi) > 0.004):
        print("diff HDI", v["diff"]["hdi_low"], v["diff"]["hdi_high"])
    if doc["sampler"]["divergences"] != 0:
        print("divergences", doc["sampler"]["divergences"])
EOF

if runs "ab.bm --format json" 0 run models/ab.bm --seed 1 --format json --sampler nuts; then
    cp "$tmp/out" "$tmp/ab.json"
    pycheck "JSON fields" "$tmp/ab.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
fields = ["mean", "sd", "hdi_low", "hdi_high", "mcse_mean", "mcse_sd", "ess_bulk", "ess_tail", "r_hat"]
if list(doc["variables"]) != ["p_A", "p_B", "diff", "b_wins"]: print("variables", list(doc["variables"]))
for name, x in doc["variables"].items():
    missing = [f for f in fields if f not in x]
    if missing: print(name, "lacks", missing)
s = doc["sampler"]
for f in ["chains", "draws", "tune", "divergences", "seconds"]:
    if f not in s: print("sampler lacks", f)
if (s.get("chains"), s.get("draws"), s.get("tune")) != (4, 1000, 1000): print("sampler", s)
# quickly: about 0.03 s here, 0.3 s under the sanitizers
if not s.get("seconds", 99) < 5: print("sampling took", s.get("seconds"), "s")
EOF
    pycheck "JSON against the exact posterior" "$tmp/ab.json" <<EOF
import sys
sys.path.insert(0, "$tmp")
from exact import *
check_ab(json.load(open(sys.argv[1])), 121, 881, 151, 851, normal_diff=True)
EOF
fi

# the other A/B models of the article: their Beta-Binomial posteriors
for spec in "ab_informative 130 970 160 940" "ab_small 2 10 3 9" "ab_small_informative 11 99 12 98"; do
    set -- $spec
    model=$1
    if runs "$model.bm" 0 run "models/$model.bm" --seed 3 --format json; then
        pycheck "$model.bm against the exact posterior" "$tmp/out" <<EOF
import sys
sys.path.insert(0, "$tmp")
from exact import *
check_ab(json.load(open(sys.argv[1])), $2, $3, $4, $5)
EOF
    fi
done

# ---- the same seed, the same answer, whatever the thread count

runs "--cores 1" 0 run models/ab.bm --seed 7 --cores 1 --format json --output-dir "$tmp/c1" && cp "$tmp/out" "$tmp/c1.json"
runs "--cores 2" 0 run models/ab.bm --seed 7 --cores 2 --format json --output-dir "$tmp/c2" && cp "$tmp/out" "$tmp/c2.json"
# The JSON reports wall-clock times, which differ from run to run.
pycheck "--cores 1 and 2: the same JSON but for times" "$tmp/c1.json" "$tmp/c2.json" <<'EOF'
import json, sys
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if "seconds" not in k and "per_s" not in k}
    return x
a, b = (strip(json.load(open(f))) for f in sys.argv[1:3])
if a != b: print("the runs differ")
EOF
same=yes
for c in 1 2 3 4; do
    grep -v '^#' "$tmp/c1/ab_$c.csv" >"$tmp/c1.rows" 2>/dev/null
    grep -v '^#' "$tmp/c2/ab_$c.csv" >"$tmp/c2.rows" 2>/dev/null
    cmp -s "$tmp/c1.rows" "$tmp/c2.rows" && [ -s "$tmp/c1.rows" ] || same=no
done
if [ $same = yes ]; then pass; else fail "--cores 1 and 2 wrote different draws"; fi
# with timing fields removed the JSON is byte for byte the same
sed 's/"[a-z_]*seconds[a-z_]*": [^,}]*,\{0,1\}//' "$tmp/c1.json" >"$tmp/c1.stripped"
sed 's/"[a-z_]*seconds[a-z_]*": [^,}]*,\{0,1\}//' "$tmp/c2.json" >"$tmp/c2.stripped"
if cmp -s "$tmp/c1.stripped" "$tmp/c2.stripped"; then pass; else fail "--cores 1 and 2: JSON bytes differ"; fi
runs "--seed 8" 0 run models/ab.bm --seed 8 --format json
if cmp -s "$tmp/out" "$tmp/c1.json"; then fail "--seed 7 and --seed 8 gave the same output"; else pass; fi

# ---- CmdStan CSV files

if runs "--output-dir" 0 run models/ab.bm --seed 1 --format json --output-dir "$tmp/csv"; then
    cp "$tmp/out" "$tmp/csv.json"
    want="lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,p_A,p_B,diff,b_wins"
    for c in 1 2 3 4; do
        f="$tmp/csv/ab_$c.csv"
        if [ ! -f "$f" ]; then fail "no ab_$c.csv"; continue; fi
        header=$(grep -v '^#' "$f" | head -1)
        rows=$(grep -v '^#' "$f" | tail -n +2 | grep -c .)
        if [ "$header" = "$want" ] && [ "$rows" -eq 1000 ]; then
            pass
        else
            fail "ab_$c.csv: header '$header', $rows rows"
        fi
    done
    # the mean of p_A over the four files is the JSON's mean (the CSV keeps
    # 9 significant digits)
    pycheck "CSV means agree with the JSON" "$tmp/csv.json" "$tmp/csv" <<'EOF'
import csv, json, sys
doc = json.load(open(sys.argv[1]))
for name in ["p_A", "p_B", "diff", "b_wins"]:
    values = []
    for c in range(1, 5):
        rows = [l for l in open(f"{sys.argv[2]}/ab_{c}.csv") if not l.startswith("#")]
        values += [float(r[name]) for r in csv.DictReader(rows)]
    mean = sum(values) / len(values)
    if len(values) != 4000 or abs(mean - doc["variables"][name]["mean"]) > 1e-6 * max(1, abs(mean)):
        print(name, len(values), mean, doc["variables"][name]["mean"])
EOF
fi

# ---- --vars

if runs "--vars diff" 0 run models/ab.bm --seed 1 --vars diff; then
    rows=$(awk 'NR > 1 && /^[A-Za-z_]/ && NF == 10 { printf "%s ", $1 }' "$tmp/out")
    if [ "$rows" = "diff " ]; then pass; else fail "--vars diff shows '$rows'"; fi
fi
runs "--vars nope" 2 run models/ab.bm --seed 1 --vars nope
# a matrix's elements by the names the table prints, and its rows
printf 'X = [[1, 2], [3, 4]];\ns ~ Normal(0, 1);\nz = X * s;\n' >"$tmp/matrix.bm"
if runs "--vars of matrix elements" 0 run "$tmp/matrix.bm" --seed 1 --draws 50 --tune 50 --vars 'z[1,2], z[2]'; then
    rows=$(awk 'NR > 1 && NF == 10 { printf "%s ", $1 }' "$tmp/out")
    if [ "$rows" = "z[1,2] z[2,1] z[2,2] " ]; then pass; else fail "--vars 'z[1,2], z[2]' shows '$rows'"; fi
fi
runs "--vars of an element past the end" 2 run "$tmp/matrix.bm" --seed 1 --vars 'z[3,1]'

# ---- the metric a run reports is the one its chains used: --metric auto
# keeps a dense metric only where it whitens the posterior clearly better
# (the regression's raw predictors), not for the A/B test's independent
# rates

if runs "auto metric, A/B" 0 run models/ab.bm --seed 1 --format json; then
    has "$tmp/out" '"metric": "diag"' "auto metric, A/B"
fi
if runs "auto metric, regression" 0 run models/regression.bm --data models/regression.json --seed 1 --format json; then
    has "$tmp/out" '"metric": "dense"' "auto metric, regression"
fi
if runs "forced dense metric" 0 run models/ab.bm --seed 1 --metric dense --format json --sampler nuts; then
    has "$tmp/out" '"metric": "dense"' "forced dense metric"
fi

# --metric auto is not worse than diag: a funnel, whose covariance
# estimates are noise, beside a correlated pair (correlation 0.96, which
# a threshold on correlations took for a reason to go dense, and then
# diverged 40 times against diag's 2).  Over four seeds auto's
# divergences are within the noise of diag's: at most twice as many
# plus 10.
printf 'v ~ Normal(0, 1.5);\nx[8] ~ Normal(0, exp(v / 2));\na ~ Normal(0, 1);\nb ~ Normal(a, 0.3);\n' >"$tmp/funnel_pair.bm"
for metric in diag auto; do
    : >"$tmp/div_$metric"
    for seed in 1 2 3 4; do
        if runs "funnel and pair, --metric $metric, seed $seed" 0 run "$tmp/funnel_pair.bm" --sampler nuts --seed "$seed" --metric "$metric" --format json; then
            python3 -c 'import json, sys; print(json.load(sys.stdin)["sampler"]["divergences"])' <"$tmp/out" >>"$tmp/div_$metric"
        fi
    done
done
div_diag=$(awk '{ s += $1 } END { print s + 0 }' "$tmp/div_diag")
div_auto=$(awk '{ s += $1 } END { print s + 0 }' "$tmp/div_auto")
if [ "$div_auto" -le $((2 * div_diag + 10)) ]; then pass; else fail "funnel and pair: auto $div_auto divergences, diag $div_diag"; fi

# ---- short warm-ups give chains that move and find the posterior: the
# regression on correlated predictors (least squares: alpha 54.8, beta
# 2.35 and 1.71), the A/B test (Beta(121, 881) and Beta(151, 851): means
# 0.12076 and 0.15070) and a standard normal, for several seeds each; a
# mean is within 4 MCSE and a tenth of the posterior sd of the reference

# short_ok WHAT RHAT VAR=MEAN:SD...: the last run's JSON has R-hat below
# RHAT and each VAR's mean near MEAN
short_ok() {
    what=$1
    shift
    pycheck "$what" "$tmp/out" "$@" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))['variables']
rhat = float(sys.argv[2])
for spec in sys.argv[3:]:
    name, ref = spec.split('=')
    mean, sd = map(float, ref.split(':'))
    got = v[name]
    if not got['r_hat'] < rhat:
        print(name, 'r_hat', got['r_hat'])
    if not abs(got['mean'] - mean) <= 4 * got['mcse_mean'] + 0.1 * sd:
        print(name, 'mean', got['mean'], 'mcse', got['mcse_mean'], 'want', mean)
EOF
}
# (ten warm-up iterations leave the regression's chains still converging
# as they draw, with R-hat 1.01 to 1.4; they had 1.6 to 2.3, and a step
# size too small to move, when the step kept was the one found at the
# starting point)
for seed in 1 2 3 4 5; do
    if runs "regression --tune 10, seed $seed" 0 run models/regression.bm --data models/regression.json --tune 10 --seed "$seed" --format json; then
        short_ok "regression --tune 10, seed $seed" 1.5 alpha=54.8:3.3 'beta[1]=2.35:0.6' 'beta[2]=1.71:0.29'
    fi
done
for seed in 1 2 3; do
    if runs "regression --tune 50, seed $seed" 0 run models/regression.bm --data models/regression.json --tune 50 --seed "$seed" --format json; then
        short_ok "regression --tune 50, seed $seed" 1.05 alpha=54.8:3.3 'beta[1]=2.35:0.6' 'beta[2]=1.71:0.29'
    fi
done
printf 'x ~ Normal(0, 1);\n' >"$tmp/std_normal.bm"
for tune in 10 20 50 100 150; do
    for seed in 1 2 3; do
        if runs "A/B --tune $tune, seed $seed" 0 run models/ab.bm --sampler nuts --tune "$tune" --seed "$seed" --format json; then
            short_ok "A/B --tune $tune, seed $seed" 1.1 p_A=0.12076:0.0103 p_B=0.15070:0.0113
        fi
        if runs "normal --tune $tune, seed $seed" 0 run "$tmp/std_normal.bm" --sampler nuts --tune "$tune" --seed "$seed" --format json; then
            short_ok "normal --tune $tune, seed $seed" 1.1 x=0:1
        fi
    done
done

# ---- usage errors

runs "--chains 0" 2 run models/ab.bm --chains 0
runs "--draws abc" 2 run models/ab.bm --draws abc
runs "--target-accept 1.5" 2 run models/ab.bm --target-accept 1.5
runs "--metric foo" 2 run models/ab.bm --metric foo
runs "unknown option" 2 run models/ab.bm --no-such-option
runs "no model" 2 run

# ---- every model in models/ samples cleanly
#
# With the default --target-accept 0.8, non-centred eight schools meets the
# edge of its funnel (tau near 0, under a heavy-tailed HalfCauchy prior) in
# a few trajectories: 0 to 3 divergent transitions in 4,000 draws, by seed,
# as Stan's sampler does too.  There it may have at most 0.1% divergences,
# and none at 0.9, the remedy the run's warning gives.

check_model() {   # check_model FILE MAX_DIVERGENCES ARGS...
    f=$1; maxdiv=$2; shift 2
    if runs "$f $*" 0 run "$f" "$@" --seed 1 --format json; then
        MAXDIV=$maxdiv pycheck "$f $*: r_hat <= 1.01 and at most $maxdiv divergences" "$tmp/out" <<'EOF'
import json, os, sys
doc = json.load(open(sys.argv[1]))
for name, x in doc["variables"].items():
    if x["r_hat"] is not None and not x["r_hat"] <= 1.01: print(name, "r_hat", x["r_hat"])
if doc["sampler"]["divergences"] > int(os.environ["MAXDIV"]): print("divergences", doc["sampler"]["divergences"])
EOF
    fi
}

for f in models/*.bm; do
    name=$(basename "$f" .bm)
    data=models/$name.json   # beside the model, or named in its run line
    [ -f "$data" ] || data=$(sed -n 's/^#.* --data \(models\/[^ ]*\).*/\1/p' "$f" | head -n 1)
    if [ -n "$data" ] && [ -f "$data" ]; then set -- --data "$data"; else set --; fi
    case $name in
        eight_schools)
            check_model "$f" 4 "$@"
            check_model "$f" 0 "$@" --target-accept 0.9 ;;
        *)  check_model "$f" 0 "$@" ;;
    esac
done

# ---- short warm-ups
#
# However short the warm-up, an easy posterior samples: every seed of 30,
# for the warm-ups that once left chains stuck (a first step size found
# with one momentum, and dual averaging's first iterates, which try ten
# times that, kept after a few iterations).
printf 'y ~ Normal(0, 1);\n' >"$tmp/normal.bm"
short_warmups() {   # short_warmups FILE ARGS...: fails naming the seeds that fail (NUTS even on a prior alone)
    f=$1; shift
    bad=
    for seed in $(seq 1 30); do
        "$BMC" run "$f" "$@" --sampler nuts --seed $seed >/dev/null 2>"$tmp/err" || bad="$bad $seed"
    done
    if [ -z "$bad" ]; then pass; else fail "$(basename "$f") $*: seeds$bad fail: $(head -1 "$tmp/err")"; fi
}
short_warmups "$tmp/normal.bm" --tune 0
short_warmups "$tmp/normal.bm" --tune 1
short_warmups "$tmp/normal.bm" --tune 20
short_warmups "$tmp/normal.bm" --tune 21
short_warmups "$tmp/normal.bm" --tune 20 --draws 20
short_warmups models/ab.bm --tune 25
short_warmups "$tmp/normal.bm" --chains 1000 --draws 5 --tune 5 --cores 2

# A chain that cannot move is a sampler problem, and the message says what
# to change: y = 0 lies in (x, x + 1e-300) only for x in (-1e-300, 0), far
# narrower than any step size warm-up can reach from 1.
printf 'x ~ Normal(0, 1);\ny ~ Uniform(x, x + 1e-300) observed 0;\n' >"$tmp/pinned.bm"
if runs "a pinned chain, short warm-up" 3 run "$tmp/pinned.bm" --init x=-1e-301 --tune 10 --seed 1; then
    expect_err "could not move after warm-up: it rejected every proposal" "a pinned chain"
    expect_err "raise --tune" "a pinned chain: advice"
    lacks "$tmp/err" "improper" "a pinned chain: no blame on the posterior"
fi
if runs "a pinned chain, full warm-up" 3 run "$tmp/pinned.bm" --init x=-1e-301 --tune 200 --seed 1; then
    expect_err "too narrow to sample" "a pinned chain, full warm-up"
fi

# ---- both tails of a (0, 1) prior
#
# Beta(0.02, 0.02) puts almost all its mass within 1e-20 of 0 or of 1,
# symmetrically: P(p > 0.5) = 0.5 exactly.  The upper tail lies where p
# rounds to 1, reachable only through the log-odds.  NUTS samples it
# (--sampler nuts), though alone it could be drawn exactly.
printf 'p ~ Beta(0.02, 0.02);\nhi = p > 0.5;\n' >"$tmp/tails.bm"
for seed in 1 2; do
    if runs "Beta(0.02, 0.02) --seed $seed" 0 run "$tmp/tails.bm" --sampler nuts --seed $seed --format json; then
        pycheck "Beta(0.02, 0.02): P(p > 0.5) = 0.5 (seed $seed)" "$tmp/out" <<'EOF'
import json, sys
x = json.load(open(sys.argv[1]))["variables"]["hi"]
if abs(x["mean"] - 0.5) > 4 * x["mcse_mean"]: print("P(p > 0.5)", x["mean"], "mcse", x["mcse_mean"])
EOF
    fi
done

# --vars of a replicate: without --predict, a hint; with it, the group alone
# (no blank line before it); --predict of a model observing nothing: refused.
runs "--vars y_A_rep, no --predict" 2 run models/ab.bm --vars y_A_rep --seed 1
expect_err "replicates of the observed data (NAME_rep) are made by --predict" "--vars y_A_rep: the hint"
if runs "--vars y_A_rep --predict" 0 run models/ab.bm --vars y_A_rep --predict --seed 1; then
    if head -n 1 "$tmp/out" | grep -q '^posterior predictive  *mean'; then pass
    else fail "--vars y_A_rep --predict: the table starts with its group"; show "$tmp/out"; fi
fi
printf 'p ~ Beta(1, 1);\n' >"$tmp/nothing_observed.bm"
runs "--predict, nothing observed" 1 run "$tmp/nothing_observed.bm" --predict --seed 1
expect_err "--predict: the model observes no data, so there is nothing to replicate" "--predict, nothing observed"

# --prior draws the data a '~' models: with no values, a name takes its
# declared shape; a use of its values elsewhere asks for them.
printf 'data n;\ndata y[3];\nmu ~ Normal(0, 1);\ny ~ Normal(mu, 1);\nk ~ Binomial(n, 0.5);\n' >"$tmp/novalues.bm"
if runs "--prior without the modelled data" 0 run "$tmp/novalues.bm" --prior -D n=10 --seed 1 --format json; then
    pycheck "--prior without the modelled data: y[1..3] and k drawn" "$tmp/out" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))["variables"]
for k in ("y[1]", "y[2]", "y[3]"):
    if abs(v[k]["mean"]) > 0.15 or abs(v[k]["sd"] - 2 ** 0.5) > 0.1: print(k, v[k]["mean"], v[k]["sd"])
if abs(v["k"]["mean"] - 5) > 0.2: print("k", v["k"]["mean"])
EOF
fi
runs "--prior without the size" 1 run "$tmp/novalues.bm" --prior --seed 1
expect_err "error: no value for data 'n'" "--prior: data a '~' does not model still need values"
printf 'data y;\nmu ~ Normal(0, 1);\ny ~ Normal(mu, 1);\nm = mean(y);\n' >"$tmp/readsy.bm"
runs "--prior, values read elsewhere" 1 run "$tmp/readsy.bm" --prior --seed 1
expect_err "4:10: error: no value for data 'y', which is read here" "--prior: a read of data without values"

# --sampler exact: a model of priors alone, and --prior, are drawn exactly;
# one with a posterior for NUTS is refused, naming a parameter.
printf 'p ~ Beta(2, 3);\nq = 1 - p;\n' >"$tmp/exact.bm"
if runs "--sampler exact, priors alone" 0 run "$tmp/exact.bm" --sampler exact --seed 1; then
    expect_err "each drawn exactly" "--sampler exact: the run line"
fi
runs "--sampler exact --prior" 0 run models/ab.bm --sampler exact --prior --seed 1
runs "--sampler exact, a posterior" 1 run models/purchase_amount.bm --sampler exact --seed 1
expect_err "--sampler exact: the posterior of 'mu_A' has no exact draws here" "--sampler exact: refused"
runs "--sampler bad" 2 run models/ab.bm --sampler gibbs
expect_err "is auto, nuts or exact, not 'gibbs'" "--sampler gibbs: the choices"

# ---- predictive runs
#
# --prior draws parameters from their priors and the data from the model,
# exactly; --predict adds a replicate of each observed term to a posterior
# run, with posterior predictive checks (tests/unit/test_predictive.c checks
# their distributions against closed forms).
if runs "--prior" 0 run models/ab.bm --prior --seed 1 --format json; then
    expect_err "prior predictive: 4 chains x 1000 draws, each drawn exactly" "--prior: the run line"
    pycheck "--prior: a prior predictive run of parameters and data" "$tmp/out" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
s, v = doc["sampler"], doc["variables"]
if (s["run"], s["method"], s["tune"]) != ("prior_predictive", "exact", 0): print("sampler", s["run"], s["method"], s["tune"])
if set(v) != {"p_A", "p_B", "y_A", "y_B", "diff", "b_wins"}: print("variables", list(v))
# Beta(1, 1) and 1000 trials: uniform on 0 .. 1000, mean 500, sd 289
if abs(v["y_A"]["mean"] - 500) > 4 * v["y_A"]["mcse_mean"] or abs(v["y_A"]["sd"] / 289 - 1) > 0.05: print("y_A", v["y_A"])
if "posterior_predictive" in doc: print("a prior run has no replicates")
EOF
fi
if runs "--prior, CSV files" 0 run models/ab.bm --prior --seed 1 --output-dir "$tmp/prior_csv"; then
    has "$tmp/prior_csv/ab_1.csv" "# run = prior_predictive" "--prior: the CSV says what its draws are of"
    has "$tmp/prior_csv/ab_1.csv" "#     algorithm = fixed_param" "--prior: no sampler made them"
    if grep -v '^#' "$tmp/prior_csv/ab_1.csv" | head -1 | grep -q ',p_A,p_B,y_A,y_B,diff,b_wins$'; then pass
    else fail "--prior: CSV columns $(grep -v '^#' "$tmp/prior_csv/ab_1.csv" | head -1)"; fi
fi
for cores in 1 2; do
    if runs "--predict --cores $cores" 0 run models/ab.bm --predict --seed 3 --cores $cores --format json \
            --output-dir "$tmp/pp$cores"; then
        cp "$tmp/out" "$tmp/pp$cores.json"
    fi
done
pycheck "--predict: replicates grouped apart, with their checks" "$tmp/pp1.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
if "y_A_rep" in doc["variables"]: print("a replicate among the variables")
pp = doc.get("posterior_predictive", {})
if list(pp) != ["y_A", "y_B"]: print("posterior_predictive", list(pp))
a = pp["y_A"]
if a["replicate"] != "y_A_rep" or list(a["summary"]) != ["y_A_rep"]: print(a["replicate"], list(a["summary"]))
c = a["checks"][0]
if (c["statistic"], c["observed"]) != ("value", 120) or not 0.2 < c["p_value"] < 0.8: print("check", c)
# Beta-Binomial(1000, 121, 881): mean 120.76, sd 14.58
m = a["summary"]["y_A_rep"]
if abs(m["mean"] - 120.76) > 4 * m["mcse_mean"] or abs(m["sd"] / 14.58 - 1) > 0.05: print("y_A_rep", m)
EOF
pycheck "--predict: the same draws on 1 thread or 2" "$tmp/pp1.json" "$tmp/pp2.json" <<'EOF'
import json, sys
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if "seconds" not in k and "per_s" not in k}
    return x
a, b = (strip(json.load(open(f))) for f in sys.argv[1:3])
if a != b: print("the runs differ")
EOF
if grep -v '^#' "$tmp/pp1/ab_1.csv" | head -1 | grep -q ',y_A_rep,y_B_rep'; then pass
else fail "--predict: no replicate columns in the CSV: $(grep -v '^#' "$tmp/pp1/ab_1.csv" | head -1)"; fi
runs "--prior and --predict together" 2 run models/ab.bm --prior --predict
expect_err "--prior and --predict are two runs: choose one" "--prior and --predict together"
printf 'mu ~ Flat();\ny ~ Normal(mu, 1) observed 1;\n' >"$tmp/flat.bm"
runs "--prior with a Flat prior" 1 run "$tmp/flat.bm" --prior
expect_err "'mu' has an improper prior (Flat): a prior predictive run cannot draw it" "--prior with a Flat prior"
# a check far out: a Poisson cannot spread counts this much (sd 9.5, the
# replicates' about 2.7), and says so
printf 'lam ~ Gamma(2, 1);\ny ~ Poisson(lam) observed [0, 0, 0, 0, 0, 0, 0, 0, 20, 20];\n' >"$tmp/overdispersed.bm"
if runs "--predict, overdispersed counts" 0 run "$tmp/overdispersed.bm" --predict --seed 1 --format json; then
    expect_err "warning: the sd of y (8.43) is higher than in" "--predict: an extreme check warns"
    has "$tmp/out" '"kind": "ppc"' "--predict: the warning in JSON"
fi
# 50 replicates are too few to place the data in a 5% tail: no warning
runs "--predict, 50 replicates" 0 run "$tmp/overdispersed.bm" --predict --seed 1 --chains 1 --draws 50
lacks "$tmp/err" "posterior predictive replicates" "--predict, 50 replicates: no warning"
runs "--predict --vars, a check not shown" 0 run "$tmp/overdispersed.bm" --predict --seed 1 --vars lam
lacks "$tmp/err" "posterior predictive replicates" "--predict --vars: no warning of a check not shown"
# two terms on one value multiply their densities: neither alone draws it
printf 'data y;\nmu ~ Normal(0, 1);\nnu ~ Normal(10, 1);\ny ~ Normal(mu, 1);\ny ~ Normal(nu, 1);\n' >"$tmp/twice.bm"
runs "two terms on one value: sampled" 0 run "$tmp/twice.bm" -D y=5 --seed 1
for run in --predict --prior; do
    runs "$run, two terms on one value" 1 run "$tmp/twice.bm" -D y=5 --seed 1 $run
    expect_err "twice.bm:5:1: error: a second '~' on values of 'y'" "$run, two terms on one value"
done
# Elements that no '~' draws stay data: no replicates of them, and the
# checks are of the drawn ones (1, 3, 5: mean 3, sd 2, min 1, max 5).
printf 'data y[5];\nmu ~ Normal(0, 10);\nfor i in 1:3 {\n    y[2 * i - 1] ~ Normal(mu, 1);\n}\n' >"$tmp/odd.bm"
if runs "--predict, some elements modelled" 0 run "$tmp/odd.bm" -D 'y=[1,2,3,4,5]' --predict --seed 1 --format json; then
    pycheck "--predict, some elements modelled: replicates and checks of those" "$tmp/out" <<'EOF'
import json, sys
pp = json.load(open(sys.argv[1]))["posterior_predictive"]["y"]
if list(pp["summary"]) != ["y_rep[1]", "y_rep[3]", "y_rep[5]"]: print("replicates", list(pp["summary"]))
observed = {c["statistic"]: c["observed"] for c in pp["checks"]}
if observed != {"mean": 3, "sd": 2, "min": 1, "max": 5}: print("observed", observed)
EOF
fi
# drawn exactly: P(y_rep >= 2.6) = 0.0047, some 19 of 4000 replicates
printf 'y ~ Normal(0, 1) observed 2.6;\n' >"$tmp/far.bm"
runs "--predict, a value far out" 0 run "$tmp/far.bm" --predict --seed 1
expect_err "warning: y (2.6) is higher than in 99." "--predict: the share of replicates below, not rounded up"
# a generated quantity has no value to give
printf 'p ~ Beta(1, 1);\ny ~ Binomial(10, p) observed 3;\ny_rep ~ Binomial(10, p);\n' >"$tmp/gq.bm"
runs "--init a generated quantity" 1 run "$tmp/gq.bm" --init y_rep=3
expect_err "it is drawn at each draw (a generated quantity)" "--init a generated quantity"
# nothing for NUTS to start: --init is read all the same, and refused
printf 'x ~ Normal(0, 1);\nk ~ Poisson(3);\n' >"$tmp/exact.bm"
runs "--init, every draw exact" 1 run "$tmp/exact.bm" --init x=0.5 --draws 10
expect_err "it is drawn at each draw (a generated quantity)" "--init, every draw exact"
runs "--init of no name, every draw exact" 1 run "$tmp/exact.bm" --init zz=1 --draws 10
expect_err "'zz' is not a parameter of the model" "--init of no name, every draw exact"
runs "--init with --prior" 2 run "$tmp/gq.bm" --prior --init p=0.5
expect_err "--init sets where NUTS starts, and --prior draws everything exactly" "--init with --prior"

# ---- sampling failures

# y = 0 lies in (x + 10, x + 11) only for x in (-11, -10); initial points
# are uniform in (-2, 2).
printf 'x ~ Normal(0, 1);\ny ~ Uniform(x + 10, x + 11) observed 0;\n' >"$tmp/noinit.bm"
if runs "no valid initial point" 3 run "$tmp/noinit.bm" --seed 1; then
    expect_err "no valid initial point after 100 tries" "no initial point"
    expect_err "(the Uniform term of line 2)" "no initial point: where"
fi
# all values given by --init: they are tried, once, and blamed
if runs "--init where the density is 0" 3 run "$tmp/noinit.bm" --seed 1 --init x=0; then
    expect_err "at the --init values the log density is -inf (the Uniform term of line 2)" "--init where the density is 0"
    lacks "$tmp/err" "tries" "--init where the density is 0: no search"
fi
# Bounds whose width overflows a double still give finite values: x is
# uniform on (-1e308, 1e308), sd 2e308 / sqrt(12) = 5.77e307.
printf 'x ~ Uniform(-1e308, 1e308);\n' >"$tmp/wide.bm"
for init in "" "--init x=0"; do
    # shellcheck disable=SC2086
    if runs "Uniform(-1e308, 1e308) $init" 0 run "$tmp/wide.bm" --sampler nuts --seed 1 --format json $init; then
        pycheck "Uniform(-1e308, 1e308) $init: sd 5.77e307" "$tmp/out" <<'EOF'
import json, sys
x = json.load(open(sys.argv[1]))["variables"]["x"]
if not abs(x["sd"] / 5.7735e307 - 1) < 0.06: print("sd", x["sd"])
if not abs(x["mean"]) < 4 * x["mcse_mean"]: print("mean", x["mean"], "mcse", x["mcse_mean"])
EOF
    fi
done

# ---- --init

runs "--init p_A=0.5" 0 run models/ab.bm --sampler nuts --seed 1 --init p_A=0.5
runs "--init p_A=2" 1 run models/ab.bm --sampler nuts --seed 1 --init p_A=2
expect_err "--init: error: p_A = 2 is outside the support of its prior Beta: (0, 1)" "--init p_A=2"
# a vector's values hold commas, as logp takes them
runs "--init a vector" 0 run models/eight_schools.bm --data models/eight_schools.json --seed 1 --draws 100 \
    --init 'theta_raw=[1, 2, 3, 4, 5, 6, 7, 8],tau=1'
runs "--init a vector's elements at once" 0 run models/eight_schools.bm --data models/eight_schools.json --seed 1 \
    --draws 100 --init theta_raw=0
# a bad value: the words and exit status of bmc logp's
runs "--init with a value that is not a number" 1 run models/ab.bm --sampler nuts --seed 1 --init p_A=bad
expect_err "--init: error: 'p_A=bad': 'bad' is not a finite number" "--init with a value that is not a number"
runs "logp with the same value" 1 logp models/ab.bm p_A=bad p_B=0.2
expect_err "bmc: error: 'p_A=bad': 'bad' is not a finite number" "logp with the same value"
runs "--init of a misspelt parameter" 1 run models/ab.bm --sampler nuts --seed 1 --init p_a=0.1
expect_err "note: did you mean 'p_A'?" "--init of a misspelt parameter"

# ---- Ctrl-C

# A likelihood of 500 terms with no shortcut keeps the run busy for
# minutes, however fast the machine.
printf 'data N;\ndata x[N];\nmu ~ Normal(0, 10);\nx ~ StudentT(3, mu, 1);\n' >"$tmp/slow.bm"
awk 'BEGIN { printf "{\"N\": 500, \"x\": ["; for (i = 0; i < 500; i++) printf "%s%g", (i ? "," : ""), (i % 7) - 3; print "]}" }' >"$tmp/slow.json"
"$BMC" run "$tmp/slow.bm" --data "$tmp/slow.json" --seed 1 --tune 100 --draws 100000 >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep $((slowdown > 1 ? 15 : 1))     # long enough that draws have been made
kill -INT $pid
wait $pid
status=$?
if [ $status -eq 130 ]; then pass; else fail "SIGINT: exit status $status, expected 130"; fi
if grep -q '^mu ' "$tmp/out"; then pass; else fail "SIGINT: no summary: $(cat "$tmp/out")"; fi
if grep -q interrupted "$tmp/err"; then pass; else fail "SIGINT: stderr says '$(cat "$tmp/err")'"; fi

# Inside one trajectory: a prior of sd 1e300 never turns back, so every
# iteration runs all 2^28 leapfrog steps (some 25 s here).  Ctrl-C is seen
# within a step: the run ends at once, with no draw made.
printf 'mu ~ Normal(0, 1e300);\n' >"$tmp/long_tree.bm"
"$BMC" run "$tmp/long_tree.bm" --sampler nuts --tune 0 --max-treedepth 28 --chains 1 --seed 1 >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT $pid
waited=0
while kill -0 $pid 2>/dev/null && [ $waited -lt $((50 * slowdown)) ]; do sleep 0.1; waited=$((waited + 1)); done
if kill -0 $pid 2>/dev/null; then
    fail "SIGINT inside a trajectory: still running 5 s later"
    kill -KILL $pid
fi
wait $pid
status=$?
if [ $status -eq 130 ]; then pass; else fail "SIGINT inside a trajectory: exit status $status, expected 130"; fi
expect_err "interrupted before any draw was made" "SIGINT inside a trajectory"

# After the last draw, while the results are written: they are written
# whole.  The table of 20,001 quantities fills the pipe, which is read only
# after the interrupt; its first bytes mean sampling and the summary are
# done.  A second Ctrl-C then ends the process at once.
printf 'mu ~ Normal(0, 1);\nfor i in 1:20000 { z[i] = mu + i; }\n' >"$tmp/wide_table.bm"
pycheck "SIGINT while the results are written" "$BMC" "$tmp/wide_table.bm" "$tmp/late" <<'EOF'
import os, signal, subprocess, sys, time
bmc, model, out = sys.argv[1:4]
cmd = [bmc, "run", model, "--seed", "1", "--draws", "50", "--tune", "50", "--output-dir", out]
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
first = p.stdout.read(4096)
p.send_signal(signal.SIGINT)
rest, err = p.communicate()
lines = (first + rest).decode().splitlines()
if p.returncode != 130: print("exit", p.returncode, err.decode()[-300:])
if len(lines) != 20002: print("table of", len(lines), "lines, not 20002")
if b"interrupted while the results were written; they are complete" not in err: print("stderr:", err.decode()[-300:])
for c in range(1, 5):
    path = os.path.join(out, "wide_table_%d.csv" % c)
    rows = [l for l in open(path) if not l.startswith("#")] if os.path.exists(path) else []
    if len(rows) != 51: print(path, "has", len(rows), "lines, not 51")
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdout.read(4096)
p.send_signal(signal.SIGINT)
time.sleep(0.2)        # two signals at once may arrive as one
p.send_signal(signal.SIGINT)
p.communicate()
if p.returncode != -signal.SIGINT: print("a second Ctrl-C: exit", p.returncode)
EOF

finish
