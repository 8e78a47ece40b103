#!/bin/sh
# test_conjugate.sh -- conjugate blocks drawn exactly from the closed-form
# posterior: the draws against the Beta CDF (computed here by quadrature,
# independently of bmc), NUTS and exact draws agreeing on the seed models,
# models that are not conjugate keeping NUTS, the run line, JSON and bmc ir.
. "$(dirname "$0")/lib.sh"

# ks NAME CSV_DIR COLUMN ALPHA BETA: the draws of COLUMN in the chains'
# CSV files are Beta(ALPHA, BETA) by the Kolmogorov-Smirnov statistic.
ks() {
    pycheck "$1" "$2" "$3" "$4" "$5" <<'EOF'
import csv, glob, math, sys
d, col, a, b = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
x = []
for f in sorted(glob.glob(d + "/*.csv")):
    rows = [r for r in open(f) if not r.startswith("#")]
    for r in csv.DictReader(rows):
        x.append(float(r[col]))
x.sort()
n = len(x)
# the Beta CDF by the midpoint rule on the log density
lb = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
m = 200000
h = 1.0 / m
cdf, grid, acc = [], [], 0.0
for i in range(m):
    t = (i + 0.5) * h
    acc += math.exp(lb + (a - 1) * math.log(t) + (b - 1) * math.log1p(-t)) * h
    grid.append((i + 1) * h)
    cdf.append(acc)
D, j = 0.0, 0
for i, v in enumerate(x):
    while j < m - 1 and grid[j] < v:
        j += 1
    F = cdf[j]
    D = max(D, abs(F - i / n), abs(F - (i + 1) / n))
# the 0.001 critical value of the one-sample KS statistic
if n != 4000 or D > 1.95 / math.sqrt(n):
    print("n = %d, D = %.4f against Beta(%g, %g)" % (n, D, a, b))
EOF
}

runs "ab.bm exact" 0 run models/ab.bm --seed 11 --output-dir "$tmp/ab"
expect_err "each drawn exactly from the conjugate posterior (p_A, p_B)" "the run line names the blocks"
lacks "$tmp/err" "gradient evaluations" "no NUTS in the run line"
# Beta(1, 1) with 120 of 1000 and 150 of 1000
ks "p_A is Beta(121, 881)" "$tmp/ab" p_A 121 881
ks "p_B is Beta(151, 851)" "$tmp/ab" p_B 151 851

# ab_informative.bm: Beta(12, 88) and Beta(15, 85) priors, by hand from the file
runs "ab_informative.bm exact" 0 run models/ab_informative.bm --seed 12 --output-dir "$tmp/abi"
a=$(sed -n 's/^p_A *~ *Beta(alpha *= *\([0-9]*\), *beta *= *\([0-9]*\)).*/\1 \2/p' models/ab_informative.bm)
b=$(sed -n 's/^p_B *~ *Beta(alpha *= *\([0-9]*\), *beta *= *\([0-9]*\)).*/\1 \2/p' models/ab_informative.bm)
set -- $a; ks "ab_informative.bm p_A" "$tmp/abi" p_A $(( $1 + 120 )) $(( $2 + 880 ))
set -- $b; ks "ab_informative.bm p_B" "$tmp/abi" p_B $(( $1 + 150 )) $(( $2 + 850 ))

# Bernoulli terms, a vector of them and one in a loop, with a Beta(2, 3) prior:
# 5 successes of 7 -> Beta(7, 5)
cat > "$tmp/bern.bm" <<'EOF'
theta ~ Beta(2, 3);
y ~ Bernoulli(p = theta) observed [1, 0, 1, 1];
data z[3];
for i in 1:3 {
  z[i] ~ Bernoulli(theta);
}
odds = theta / (1 - theta);
EOF
runs "Bernoulli exact" 0 run "$tmp/bern.bm" -D 'z=[1, 1, 0]' --seed 13 --output-dir "$tmp/bern"
expect_err "conjugate posterior (theta)" "Bernoulli terms make a block"
ks "Bernoulli: theta is Beta(7, 5)" "$tmp/bern" theta 7 5

# --sampler exact takes a conjugate model; --sampler nuts keeps NUTS
runs "--sampler exact" 0 run models/ab.bm --seed 1 --sampler exact
expect_err "conjugate posterior (p_A, p_B)" "--sampler exact draws the blocks"
runs "--sampler nuts" 0 run models/ab.bm --seed 1 --sampler nuts
expect_err "gradient evaluations" "--sampler nuts forces NUTS"
lacks "$tmp/err" "conjugate" "--sampler nuts draws no block"

# the JSON's method and bmc ir
runs "JSON" 0 run models/ab.bm --seed 1 --format json
pycheck "JSON: method exact_conjugate, the blocks named" "$tmp/out" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))["sampler"]
if s["method"] != "exact_conjugate" or s["conjugate"] != "p_A, p_B" or s["tune"] != 0:
    print(s)
EOF
runs "bmc ir" 0 ir models/ab.bm
has "$tmp/out" "# conjugate, drawn exactly from the closed-form posterior: p_A, p_B" "bmc ir names the blocks"
has "$tmp/out" "p_A : real = Beta_rng(121, 881)" "bmc ir: the posterior's draw"
has "$tmp/out" "# 0 unconstrained coordinates" "bmc ir: nothing for NUTS"

# NUTS and the exact draws agree on every seed model, means within MCSE
for f in ab ab_informative ab_small ab_small_informative abc ab_pooled; do
    runs "$f.bm exact" 0 run "models/$f.bm" --seed 5 --format json && cp "$tmp/out" "$tmp/$f.exact.json"
    expect_err "conjugate posterior" "$f.bm is conjugate"
    runs "$f.bm nuts" 0 run "models/$f.bm" --seed 5 --format json --sampler nuts && cp "$tmp/out" "$tmp/$f.nuts.json"
    pycheck "$f.bm: NUTS and exact means agree" "$tmp/$f.exact.json" "$tmp/$f.nuts.json" <<'EOF'
import json, math, sys
e, n = (json.load(open(f))["variables"] for f in sys.argv[1:3])
for k in e:
    if k not in n:
        print("no", k, "in the NUTS run"); continue
    tol = 4 * math.hypot(e[k]["mcse_mean"], n[k]["mcse_mean"]) + 1e-9
    if abs(e[k]["mean"] - n[k]["mean"]) > tol:
        print(k, e[k]["mean"], n[k]["mean"], tol)
EOF
done

# not conjugate: a logit link, a parameter in two roles, a non-Beta prior,
# a deterministic of the parameter in a likelihood, an element: NUTS for all
cat > "$tmp/logit.bm" <<'EOF'
a ~ Normal(0, 1.5);
y ~ Binomial(n = 100, p = inv_logit(a)) observed 30;
EOF
cat > "$tmp/two_roles.bm" <<'EOF'
p ~ Beta(1, 1);
y ~ Binomial(n = 100, p = p) observed 30;
z ~ Normal(p, 1) observed 0.2;
EOF
cat > "$tmp/mixed.bm" <<'EOF'
p ~ Beta(1, 1);
y ~ Binomial(n = 100, p = p) observed 30;
mu ~ Normal(0, 1);
x ~ Normal(mu, 1) observed [0.1, 0.3];
EOF
cat > "$tmp/through.bm" <<'EOF'
p ~ Beta(1, 1);
q = p;
y ~ Binomial(n = 100, p = q) observed 30;
EOF
cat > "$tmp/prior_on_param.bm" <<'EOF'
a ~ Gamma(2, 1);
p ~ Beta(a, 1);
y ~ Binomial(n = 100, p = p) observed 30;
EOF
for f in logit two_roles mixed through prior_on_param; do
    runs "$f: not conjugate" 0 run "$tmp/$f.bm" --seed 2
    expect_err "gradient evaluations" "$f keeps NUTS"
    lacks "$tmp/err" "conjugate" "$f: no block"
    runs "$f: --sampler exact refused" 1 run "$tmp/$f.bm" --seed 2 --sampler exact
done

# --predict replicates and --log-lik points are per draw
runs "--predict" 0 run models/ab.bm --seed 3 --predict
expect_err "conjugate posterior (p_A, p_B)" "--predict keeps the blocks"
has "$tmp/out" "y_A_rep" "--predict draws the replicates"
runs "--log-lik" 0 run models/ab.bm --seed 3 --log-lik --vars log_lik --format json
pycheck "--log-lik: the points' mean near the Binomial log density at the posterior" "$tmp/out" <<'EOF'
import json, math, sys
v = json.load(open(sys.argv[1]))["log_lik"]["summary"]
def lbinom(y, n, p):
    return math.lgamma(n + 1) - math.lgamma(y + 1) - math.lgamma(n - y + 1) + y * math.log(p) + (n - y) * math.log1p(-p)
# E[log f] under Beta(121, 881) is close to log f at the mean, less about 0.5
want = lbinom(120, 1000, 121 / 1002) - 0.5
got = v["log_lik[1]"]["mean"]
if abs(got - want) > 0.1:
    print(got, want)
EOF
# --prior: drawn from the prior, not the posterior
runs "--prior" 0 run models/ab.bm --seed 3 --prior --format json
pycheck "--prior is unaffected" "$tmp/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
if abs(d["variables"]["p_A"]["mean"] - 0.5) > 0.05 or d["sampler"]["method"] != "exact":
    print(d["variables"]["p_A"], d["sampler"]["method"])
EOF

# the same draws by seed on any number of cores
runs "--cores 1" 0 run models/ab.bm --seed 7 --cores 1 --output-dir "$tmp/k1"
runs "--cores 2" 0 run models/ab.bm --seed 7 --cores 2 --output-dir "$tmp/k2"
same=yes
for c in 1 2 3 4; do
    grep -v '^#' "$tmp/k1/ab_$c.csv" > "$tmp/k1.$c"
    grep -v '^#' "$tmp/k2/ab_$c.csv" > "$tmp/k2.$c"
    cmp -s "$tmp/k1.$c" "$tmp/k2.$c" || same=no
done
if [ $same = yes ]; then pass; else fail "--cores 1 and 2 drew different conjugate draws"; fi

finish
