#!/bin/sh
# test_conjugate.sh -- conjugate blocks drawn exactly from the closed-form
# posterior: the draws against the Beta CDF (computed here by quadrature,
# independently of bmc), NUTS and exact draws agreeing on the seed models,
# models that are not conjugate keeping NUTS, the run line, JSON and bmc ir.
. "$(dirname "$0")/lib.sh"

# ks NAME CSV_DIR COLUMN FAMILY A B: the draws of COLUMN in the chains' CSV
# files are Beta(A, B), Gamma(A, rate B) or Normal(A, B) by the
# Kolmogorov-Smirnov statistic; the Beta and Gamma CDFs by quadrature.
ks() {
    pycheck "$1" "$2" "$3" "$4" "$5" "$6" <<'EOF'
import csv, glob, math, sys
d, col, fam, a, b = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
x = []
for f in sorted(glob.glob(d + "/*.csv")):
    rows = [r for r in open(f) if not r.startswith("#")]
    for r in csv.DictReader(rows):
        x.append(float(r[col]))
x.sort()
n = len(x)
if fam == "normal":
    F = lambda v: 0.5 * math.erfc((a - v) / (b * math.sqrt(2)))
else:
    # the midpoint rule on the log density over (0, hi)
    if fam == "beta":
        hi = 1.0
        logf = lambda t: (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                          + (a - 1) * math.log(t) + (b - 1) * math.log1p(-t))
    else:
        hi = a / b + 20 * math.sqrt(a) / b
        logf = lambda t: a * math.log(b) - math.lgamma(a) + (a - 1) * math.log(t) - b * t
    m = 200000
    h = hi / m
    cdf, acc = [], 0.0
    for i in range(m):
        acc += math.exp(logf((i + 0.5) * h)) * h
        cdf.append(acc)
    F = lambda v: cdf[min(m - 1, max(0, int(v / h)))]
D = 0.0
for i, v in enumerate(x):
    Fv = F(v)
    D = max(D, abs(Fv - i / n), abs(Fv - (i + 1) / n))
# the 0.001 critical value of the one-sample KS statistic
if n != 4000 or D > 1.95 / math.sqrt(n):
    print("n = %d, D = %.4f against %s(%g, %g)" % (n, D, fam, a, b))
EOF
}

runs "ab.bm exact" 0 run models/ab.bm --seed 11 --output-dir "$tmp/ab"
expect_err "each drawn exactly from the conjugate posterior (p_A, p_B)" "the run line names the blocks"
lacks "$tmp/err" "gradient evaluations" "no NUTS in the run line"
# Beta(1, 1) with 120 of 1000 and 150 of 1000
ks "p_A is Beta(121, 881)" "$tmp/ab" p_A beta 121 881
ks "p_B is Beta(151, 851)" "$tmp/ab" p_B beta 151 851

# ab_informative.bm: Beta(12, 88) and Beta(15, 85) priors, by hand from the file
runs "ab_informative.bm exact" 0 run models/ab_informative.bm --seed 12 --output-dir "$tmp/abi"
a=$(sed -n 's/^p_A *~ *Beta(alpha *= *\([0-9]*\), *beta *= *\([0-9]*\)).*/\1 \2/p' models/ab_informative.bm)
b=$(sed -n 's/^p_B *~ *Beta(alpha *= *\([0-9]*\), *beta *= *\([0-9]*\)).*/\1 \2/p' models/ab_informative.bm)
set -- $a; ks "ab_informative.bm p_A" "$tmp/abi" p_A beta $(( $1 + 120 )) $(( $2 + 880 ))
set -- $b; ks "ab_informative.bm p_B" "$tmp/abi" p_B beta $(( $1 + 150 )) $(( $2 + 850 ))

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
ks "Bernoulli: theta is Beta(7, 5)" "$tmp/bern" theta beta 7 5

# Beta-Bernoulli gathered by a data index: ab_visits.bm on visits.csv, a row
# per visitor; each page's successes and failures counted here by awk
runs "ab_visits.bm exact" 0 run models/ab_visits.bm --data models/visits.csv --seed 14 --output-dir "$tmp/visits"
expect_err "each drawn exactly from the conjugate posterior (p)" "ab_visits.bm: p[page] is a block"
for page in A B; do
    set -- $(awk -F, -v g=$page 'NR > 1 && $1 == g { n++; s += $2 } END { print 1 + s, 1 + n - s }' models/visits.csv)
    ks "ab_visits.bm: p[$page] is Beta($1, $2)" "$tmp/visits" "p.$page" beta "$1" "$2"
done
# the same gathered in a loop, y[i] on p[g[i]]: group 1 has 1, 1, 0 and
# group 2 has 0, 1 -> Beta(3, 2) and Beta(2, 2) from Beta(1, 1)
cat > "$tmp/loop.bm" <<'EOF'
data N;
data g[N];
data y[N];
p[2] ~ Beta(1, 1);
for i in 1:N {
  y[i] ~ Bernoulli(p[g[i]]);
}
EOF
runs "a loop of gathered terms" 0 run "$tmp/loop.bm" -D N=5 -D 'g=[1, 2, 1, 2, 1]' -D 'y=[1, 0, 1, 1, 0]' \
    --seed 15 --output-dir "$tmp/loop"
expect_err "conjugate posterior (p)" "a loop of y[i] on p[g[i]] is a block"
ks "loop: p[1] is Beta(3, 2)" "$tmp/loop" p.1 beta 3 2
ks "loop: p[2] is Beta(2, 2)" "$tmp/loop" p.2 beta 2 2
runs "a gathered index out of range" 1 run "$tmp/loop.bm" -D N=2 -D 'g=[1, 3]' -D 'y=[1, 0]' --seed 15
expect_err "an index must be between 1 and 2, got 3" "an index out of range is an error still"

# Beta-Geometric: Geometric(p) counts the trials up to and including the
# first success, so each y adds one success and y - 1 failures:
# Beta(2, 2) with 1, 3, 2, 5 -> Beta(2 + 4, 2 + 11 - 4)
printf 'p ~ Beta(2, 2);\ny ~ Geometric(p) observed [1, 3, 2, 5];\n' >"$tmp/geometric.bm"
runs "Geometric exact" 0 run "$tmp/geometric.bm" --seed 16 --output-dir "$tmp/geometric"
expect_err "conjugate posterior (p)" "Geometric terms make a block"
ks "Geometric: p is Beta(6, 9)" "$tmp/geometric" p beta 6 9

# Gamma-Poisson with an Exponential(0.5) prior, Gamma(1, 0.5): click_count.bm,
# the sums of its counts read from the file here
runs "click_count.bm exact" 0 run models/click_count.bm --seed 17 --output-dir "$tmp/click"
expect_err "conjugate posterior (lambda_A, lambda_B)" "an Exponential prior with Poisson terms is a block"
for g in A B; do
    set -- $(python3 - models/click_count.bm $g <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
y = [int(v) for v in re.search(r"click_data_%s = \[([^]]*)\]" % sys.argv[2], text).group(1).split(",")]
print(1 + sum(y), 0.5 + len(y))
EOF
)
    ks "click_count.bm: lambda_$g is Gamma($1, $2)" "$tmp/click" "lambda_$g" gamma "$1" "$2"
done
# a Gamma prior with Poisson and Exponential terms on one rate:
# Gamma(2, 3), counts 4, 1 and waiting times 0.5, 1.5 -> Gamma(2 + 5 + 2, 3 + 2 + 2)
cat > "$tmp/gamma.bm" <<'EOF'
lam ~ Gamma(2, 3);
k ~ Poisson(lam) observed [4, 1];
t ~ Exponential(lam) observed [0.5, 1.5];
EOF
runs "Gamma exact" 0 run "$tmp/gamma.bm" --seed 18 --output-dir "$tmp/gamma"
expect_err "conjugate posterior (lam)" "a Gamma prior with Poisson and Exponential terms is a block"
ks "Gamma: lam is Gamma(9, 7)" "$tmp/gamma" lam gamma 9 7
# an Exponential prior with Exponential terms: Exponential(2) is Gamma(1, 2),
# with 0.5, 1, 2.5 -> Gamma(4, 6)
printf 'lam ~ Exponential(2);\nt ~ Exponential(lam) observed [0.5, 1, 2.5];\n' >"$tmp/waits.bm"
runs "Exponential exact" 0 run "$tmp/waits.bm" --seed 19 --output-dir "$tmp/waits"
ks "Exponential: lam is Gamma(4, 6)" "$tmp/waits" lam gamma 4 6

# Normal-Normal of known sigma, a vector of them: Normal(1, 2) prior, y = 0.3,
# 1.9, 1.1 with sigma 1, 2, 0.5.  Precision 1/4 + 1 + 1/4 + 4 = 5.5, weighted
# sum 1/4 + 0.3 + 1.9/4 + 1.1 * 4 = 5.425: Normal(5.425 / 5.5, 1 / sqrt(5.5))
cat > "$tmp/normal.bm" <<'EOF'
sigma = [1, 2, 0.5];
mu ~ Normal(1, 2);
y ~ Normal(mu, sigma) observed [0.3, 1.9, 1.1];
EOF
runs "Normal exact" 0 run "$tmp/normal.bm" --seed 20 --output-dir "$tmp/normal"
expect_err "conjugate posterior (mu)" "a Normal mean of known sigma is a block"
ks "Normal: mu is Normal(0.98636, 0.42640)" "$tmp/normal" mu normal 0.986363636363636 0.426401432711221

# --sampler exact takes a conjugate model; --sampler nuts keeps NUTS
runs "--sampler exact" 0 run models/ab.bm --seed 1 --sampler exact
expect_err "conjugate posterior (p_A, p_B)" "--sampler exact draws the blocks"
runs "--sampler nuts" 0 run models/ab.bm --seed 1 --sampler nuts
expect_err "gradient evaluations" "--sampler nuts forces NUTS"
lacks "$tmp/err" "conjugate" "--sampler nuts draws no block"

# NUTS's options on a model drawn exactly: --init names nothing NUTS
# starts, --tune and --metric have no effect; under --sampler nuts they do
runs "--init" 1 run models/ab.bm --seed 1 --init p_A=0.3
expect_err "'p_A' is drawn exactly from its conjugate posterior, so NUTS has nothing to start" "--init: why"
expect_err "add --sampler nuts to start NUTS there" "--init: what to do"
runs "--init of an element" 1 run models/ab_visits.bm --data models/visits.csv --seed 1 --init 'p[1]=0.3'
expect_err "'p' is drawn exactly from its conjugate posterior" "--init p[1]: why"
for opt in "--tune 50" "--metric dense"; do
    # shellcheck disable=SC2086   # the option and its value
    runs "$opt" 0 run models/ab.bm --seed 1 $opt
    expect_err "warning: ${opt%% *} has no effect: nothing is left to NUTS, every parameter is drawn exactly from its conjugate posterior" "$opt: a warning"
    # shellcheck disable=SC2086
    runs "$opt --sampler nuts" 0 run models/ab.bm --seed 1 --sampler nuts $opt
    lacks "$tmp/err" "has no effect" "$opt --sampler nuts: no warning"
done
runs "--init --sampler nuts" 0 run models/ab.bm --seed 1 --sampler nuts --init p_A=0.3
runs "--tune --prior" 0 run models/ab.bm --seed 1 --prior --tune 50
expect_err "warning: --tune has no effect: nothing is left to NUTS, --prior draws everything exactly: leave it out" "--tune --prior: a warning"

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
for f in ab ab_informative ab_small ab_small_informative abc ab_pooled click_count ab_visits; do
    data=; [ $f = ab_visits ] && data="--data models/visits.csv"
    # shellcheck disable=SC2086   # $data is two words or none
    runs "$f.bm exact" 0 run "models/$f.bm" $data --seed 5 --format json && cp "$tmp/out" "$tmp/$f.exact.json"
    expect_err "conjugate posterior" "$f.bm is conjugate"
    # shellcheck disable=SC2086
    runs "$f.bm nuts" 0 run "models/$f.bm" $data --seed 5 --format json --sampler nuts && cp "$tmp/out" "$tmp/$f.nuts.json"
    expect_err "gradient evaluations" "$f.bm: --sampler nuts samples it by NUTS"
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

# not conjugate: a logit link, a Normal prior on a Binomial p, a parameter
# in two roles, a block beside a parameter of no pair (a Cauchy prior), a
# deterministic of the parameter in a likelihood (q = p; 2 * lam), a prior
# on a parameter, a Normal of unknown sigma: NUTS for all
cat > "$tmp/logit.bm" <<'EOF'
a ~ Normal(0, 1.5);
y ~ Binomial(n = 100, p = inv_logit(a)) observed 30;
EOF
cat > "$tmp/two_roles.bm" <<'EOF'
p ~ Beta(1, 1);
y ~ Binomial(n = 100, p = p) observed 30;
z ~ Normal(p, 1) observed 0.2;
EOF
cat > "$tmp/normal_p.bm" <<'EOF'
p ~ Normal(0.5, 0.1);
y ~ Binomial(n = 100, p = p) observed 30;
EOF
cat > "$tmp/mixed.bm" <<'EOF'
p ~ Beta(1, 1);
y ~ Binomial(n = 100, p = p) observed 30;
mu ~ Cauchy(0, 1);
x ~ Normal(mu, 1) observed [0.1, 0.3];
EOF
cat > "$tmp/twice.bm" <<'EOF'
lam ~ Exponential(1);
y ~ Poisson(2 * lam) observed [1, 2];
EOF
cat > "$tmp/sigma.bm" <<'EOF'
mu ~ Normal(0, 1);
s ~ HalfNormal(1);
y ~ Normal(mu, s) observed [0.1, 0.3, -0.2];
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
for f in logit normal_p two_roles mixed through twice prior_on_param sigma; do
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
for f in ab click_count ab_visits; do
    data=; [ $f = ab_visits ] && data="--data models/visits.csv"
    # shellcheck disable=SC2086   # $data is two words or none
    runs "$f.bm --cores 1" 0 run "models/$f.bm" $data --seed 7 --cores 1 --output-dir "$tmp/k1"
    # shellcheck disable=SC2086
    runs "$f.bm --cores 2" 0 run "models/$f.bm" $data --seed 7 --cores 2 --output-dir "$tmp/k2"
    same=yes
    for c in 1 2 3 4; do
        grep -v '^#' "$tmp/k1/${f}_$c.csv" > "$tmp/k1.$c"
        grep -v '^#' "$tmp/k2/${f}_$c.csv" > "$tmp/k2.$c"
        cmp -s "$tmp/k1.$c" "$tmp/k2.$c" || same=no
    done
    if [ $same = yes ]; then pass; else fail "$f.bm: --cores 1 and 2 drew different conjugate draws"; fi
done

finish
