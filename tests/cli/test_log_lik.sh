#!/bin/sh
# test_log_lik.sh -- `bmc run --log-lik`: the pointwise log-likelihood.
# Each point's column in the CSV files must be the full normalised log
# density of its observed element at that draw, computed here again from
# the draw's parameters with Python's math (lgamma, log); the points are
# numbered and named in the order of the terms; lp__ of a model with a
# flat prior is their sum; JSON lists them, netCDF has ArviZ's
# log_likelihood group; the table, the warnings and the run line leave
# them out unless --vars names them; --prior and a model that observes
# nothing are refused.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# Debian's Python, where Debian's xarray is (test_netcdf.sh)
py=/usr/bin/python3

# ---- every family, scalars, vectors, loops and matrix rows

cat >"$tmp/all.bm" <<'EOF'
data N;
data y[N];
data cnt[N];
data X[2, 3];
mu ~ Normal(0, 5);
sigma ~ HalfNormal(2);
lam ~ Gamma(2, 1);
phi ~ Gamma(2, 0.5);
p ~ Beta(2, 2);
s ~ Binomial(20, p) observed 7;
y ~ Normal(mu, sigma);
k ~ Poisson(lam) observed [0, 3, 5];
for i in 1:N { cnt[i] ~ NegativeBinomial(lam * 2, phi); }
for r in 1:2 { X[r] ~ Normal(mu + r, sigma); }
EOF
cat >"$tmp/all.json" <<'EOF'
{"N": 4, "y": [0.3, -1.2, 2.5, 0.9], "cnt": [0, 4, 1, 9], "X": [[1.0, 2.0, 0.5], [3.0, 2.5, 1.5]]}
EOF

# csv_rows: the Python that reads DIR's chains into a list of dicts, one a draw
csv_rows='
import csv, glob, sys
def rows(d):
    out = []
    for path in sorted(glob.glob(d + "/*.csv")):
        lines = [l for l in open(path) if not l.startswith("#")]
        out += [{k: float(v) for k, v in r.items()} for r in csv.DictReader(lines)]
    return out
'

if runs "all families" 0 run "$tmp/all.bm" --data "$tmp/all.json" --log-lik --seed 11 --draws 25 --tune 200 \
        --chains 2 --output-dir "$tmp/all"; then
    pycheck "each point is its element's log density at the draw" "$tmp/all" "$tmp/all.json" <<EOF
$csv_rows
import json, math
draws = rows(sys.argv[1])
data = json.load(open(sys.argv[2]))
def normal(x, m, s): return -0.5 * ((x - m) / s) ** 2 - math.log(s) - 0.5 * math.log(2 * math.pi)
def binomial(x, n, p):
    return math.lgamma(n + 1) - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * math.log(p) + (n - x) * math.log1p(-p)
def poisson(x, m): return x * math.log(m) - m - math.lgamma(x + 1)
def negbin(x, m, a):   # PyMC's NegativeBinomial(mu, alpha)
    return (math.lgamma(x + a) - math.lgamma(a) - math.lgamma(x + 1) + a * math.log(a / (m + a))
            + x * math.log(m / (m + a)))
bad = 0
for d in draws:
    mu, sigma, lam, phi, p = d["mu"], d["sigma"], d["lam"], d["phi"], d["p"]
    want = [binomial(7, 20, p)]
    want += [normal(v, mu, sigma) for v in data["y"]]
    want += [poisson(v, lam) for v in [0, 3, 5]]
    want += [negbin(v, lam * 2, phi) for v in data["cnt"]]
    want += [normal(v, mu + r + 1, sigma) for r, row in enumerate(data["X"]) for v in row]
    got = [d["log_lik.%d" % (k + 1)] for k in range(len(want))]
    if "log_lik.%d" % (len(want) + 1) in d: print("more points than observed elements"); break
    for k, (g, w) in enumerate(zip(got, want)):
        # the CSV keeps 9 significant digits, of the parameters too
        if not abs(g - w) <= 1e-6 * max(1, abs(w)):
            bad += 1
            if bad <= 3: print("log_lik.%d is %.9g, expected %.9g" % (k + 1, g, w))
if not draws: print("no draws")
EOF
    head=$(grep -v '^#' "$tmp/all/all_1.csv" | head -n 1)
    want=lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,sigma,lam,phi,p
    for k in $(seq 1 18); do want="$want,log_lik.$k"; done
    if [ "$head" = "$want" ]; then pass; else fail "CSV header: $head"; fi
fi

# The points' names and places, in the order of the terms (a term lowered
# before its line, since lam is needed first, keeps its place), the JSON
# list and no summaries of them unless --vars asks.
cat >"$tmp/names.bm" <<'EOF'
c ~ Poisson(lam) observed 4;
lam = exp(a);
a ~ Normal(0, 1);
z ~ Normal([1, 2, 3] * a, 1) observed 0.5;
w ~ Normal(a, 1) observed [0.1, 0.2];
EOF
if runs "names json" 0 run "$tmp/names.bm" --log-lik --seed 1 --draws 20 --tune 100 --chains 1 --format json; then
    pycheck "json points" "$tmp/out" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
want = [(1, "c", "c", 1), (2, "z", "z[1]", 4), (3, "z", "z[2]", 4), (4, "z", "z[3]", 4), (5, "w", "w[1]", 5),
        (6, "w", "w[2]", 5)]
got = [(p["index"], p["term"], p["element"], p["line"]) for p in o["log_lik"]["points"]]
if got != want: print("points", got)
if "summary" in o["log_lik"]: print("a summary of the points without --vars")
if any(k.startswith("log_lik") for k in o["variables"]): print("points among the variables")
EOF
fi
if runs "json --vars log_lik" 0 run "$tmp/names.bm" --log-lik --seed 1 --draws 20 --tune 100 --chains 1 \
        --format json --vars a,log_lik; then
    pycheck "json summary of the points with --vars" "$tmp/out" <<'EOF'
import json, sys
o = json.load(open(sys.argv[1]))
s = o["log_lik"].get("summary", {})
if sorted(s) != sorted("log_lik[%d]" % k for k in range(1, 7)): print("summary", sorted(s))
if "mean" not in s.get("log_lik[1]", {}): print("no mean")
if list(o["variables"]) != ["a"]: print("variables", list(o["variables"]))
EOF
fi

# ---- the table, the warnings and the run line leave the points out

if runs "table" 0 run "$tmp/all.bm" --data "$tmp/all.json" --log-lik --seed 2 --draws 30 --tune 60 --chains 2; then
    lacks "$tmp/out" "log_lik" "no rows of points in the table"
    lacks "$tmp/err" "log_lik" "no warning or run line names a point"
    has "$tmp/out" "sigma" "the parameters are in the table"
fi
if runs "table --vars log_lik" 0 run "$tmp/all.bm" --data "$tmp/all.json" --log-lik --seed 2 --draws 30 \
        --tune 60 --chains 2 --vars mu,log_lik; then
    has "$tmp/out" "log-likelihood" "the points under their heading"
    has "$tmp/out" "log_lik[18]" "every point asked for"
    has "$tmp/out" "mu " "with the parameter asked for"
fi
# a short run, whose warnings name many quantities: none of them a point
if runs "warnings json" 0 run "$tmp/all.bm" --data "$tmp/all.json" --log-lik --seed 2 --draws 30 --tune 60 \
        --chains 2 --format json; then
    pycheck "no warning names a point" "$tmp/out" <<'EOF'
import json, sys
w = json.load(open(sys.argv[1]))["warnings"]
if not any(e["kind"] in ("r_hat", "ess_bulk", "ess_tail") for e in w): print("no convergence warning to look at")
named = [n for e in w for n in e["names"] if n.startswith("log_lik")]
if named: print("warnings name", named[:3])
EOF
fi
# the picture of a run with the points is that of the same run without them
if runs "plot with points" 0 run "$tmp/all.bm" --data "$tmp/all.json" --log-lik --seed 2 --draws 30 \
        --tune 60 --chains 2 --plot "$tmp/p.svg" &&
   runs "plot without points" 0 run "$tmp/all.bm" --data "$tmp/all.json" --seed 2 --draws 30 \
        --tune 60 --chains 2 --plot "$tmp/p0.svg"; then
    if cmp -s "$tmp/p.svg" "$tmp/p0.svg"; then pass; else fail "the picture shows the points unless named"; fi
fi

# ---- sufficient statistics and the data part: the points stay whole

# A flat prior adds nothing to lp__, which is then the sum of the points:
# the density takes y and c through their sufficient statistics and b's
# binomial coefficient as a constant, the points element by element.
cat >"$tmp/flat.bm" <<'EOF'
mu ~ Flat();
y ~ Normal(mu, 2) observed [1.5, -0.3, 2.2, 0.8, 1.1];
c ~ Poisson(exp(mu)) observed [2, 0, 5, 1];
b ~ Binomial(12, inv_logit(mu)) observed 9;
EOF
if runs "flat ir" 0 ir "$tmp/flat.bm"; then
    has "$tmp/out" "Normal_lpdf_sufficient" "the density of y goes through its sufficient statistics"
    has "$tmp/out" "Poisson_lpdf_sufficient" "so does c's"
    has "$tmp/out" "Binomial_lpdf_rest(b | n = 12, logit_p = mu)" "b's binomial coefficient is a constant, its p a log-odds"
fi
if runs "flat" 0 run "$tmp/flat.bm" --log-lik --seed 5 --draws 40 --tune 200 --chains 2 --output-dir "$tmp/flat"; then
    pycheck "lp__ is the sum of the points" "$tmp/flat" <<EOF
$csv_rows
draws = rows(sys.argv[1])
for d in draws:
    total = sum(v for k, v in d.items() if k.startswith("log_lik."))
    if not abs(total - d["lp__"]) <= 1e-6 * max(1, abs(total)):
        print("sum of the points %.9g, lp__ %.9g" % (total, d["lp__"])); break
if not draws or "log_lik.10" not in draws[0] or "log_lik.11" in draws[0]: print("not 10 points")
EOF
fi

# ---- netCDF: ArviZ's log_likelihood group, each term its own variable

if runs "netcdf" 0 run "$tmp/all.bm" --data "$tmp/all.json" --log-lik --seed 7 --draws 15 --tune 100 --chains 2 \
        --output-nc "$tmp/all.nc" --output-dir "$tmp/nc"; then
    if $py -c 'import xarray, netCDF4' 2>/dev/null; then
        if msg=$($py - "$tmp/all.nc" "$tmp/nc" 2>&1 <<EOF
$csv_rows
import netCDF4, numpy as np, xarray as xr
nc, d = sys.argv[1], rows(sys.argv[2])
if "log_likelihood" not in netCDF4.Dataset(nc).groups: print("no log_likelihood group")
ll = xr.open_dataset(nc, group="log_likelihood")
post = xr.open_dataset(nc, group="posterior")
want = {"s": ((), 1), "y": ((4,), 2), "k": ((3,), 6), "cnt": ((4,), 9), "X": ((2, 3), 13)}
if set(ll.data_vars) != set(want): print("variables", sorted(ll.data_vars))
if "log_lik" in post.data_vars: print("the points in the posterior group")
C, D = ll.sizes["chain"], ll.sizes["draw"]
for name, (shape, first) in want.items():
    if name not in ll: continue
    v = ll[name]
    dims = ("chain", "draw") + tuple("%s_dim_%d" % (name, k) for k in range(len(shape)))
    if v.dims != dims: print(name, "dims", v.dims)
    n = int(np.prod(shape)) if shape else 1
    got = v.values.reshape(C, D, n)
    x = np.array([[d[c * D + i]["log_lik.%d" % (first + e)] for e in range(n)] for c in range(C) for i in range(D)])
    if not np.allclose(got.reshape(C * D, n), x, rtol=1e-8, atol=1e-12): print(name, "values differ from the CSV")
EOF
) && [ -z "$msg" ]; then pass; else fail "netcdf log_likelihood: $msg"; fi
    else
        fail "netcdf: no xarray for $py"
    fi
fi

# ---- refused

runs "--prior --log-lik" 2 run "$tmp/all.bm" --data "$tmp/all.json" --prior --log-lik
expect_err "--log-lik is of how the posterior fits the observed data" "--prior --log-lik says why"
runs "--prior --loo" 2 run "$tmp/all.bm" --data "$tmp/all.json" --loo --prior
expect_err "--loo is of how the posterior fits" "--prior --loo says why"
printf 'mu ~ Normal(0, 1);\nx = mu * 2;\n' >"$tmp/none.bm"
runs "nothing observed" 1 run "$tmp/none.bm" --log-lik
expect_err "--log-lik: the model observes no data" "nothing observed says why"
runs "nothing observed without --log-lik" 0 run "$tmp/none.bm" --draws 10 --tune 50 --chains 1
printf 'mu ~ Normal(0, 1);\nlog_lik = mu + 1;\ny ~ Normal(mu, 1) observed 0.4;\n' >"$tmp/taken.bm"
runs "a name log_lik" 1 run "$tmp/taken.bm" --log-lik
expect_err "taken.bm:2:1: error: 'log_lik' is the name --log-lik reports" "a name log_lik is named"
runs "a name log_lik without --log-lik" 0 run "$tmp/taken.bm" --draws 10 --tune 50 --chains 1

finish
