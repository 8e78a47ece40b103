#!/bin/sh
# test_netcdf.sh -- `bmc run --output-nc FILE.nc`: ArviZ's InferenceData in
# netCDF-4, read back group by group with xarray (Debian's python3-xarray
# and python3-netcdf4, which `make test` installs) as az.from_netcdf reads
# it, and with ncdump -h (netcdf-bin).  The values must be the run's own
# CmdStan CSV files (--output-dir), draw for draw; the observed data the
# model's and the data file's numbers, read here from those files.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# Debian's Python, where Debian's xarray is (a python3 earlier on PATH may
# be another one).
py=/usr/bin/python3
have_xarray=false
$py -c 'import xarray, netCDF4' 2>/dev/null && have_xarray=true

# ncdump_has FILE TEXT WHAT: ncdump -h FILE shows TEXT.
ncdump_has() {
    ncdump -h "$1" >"$tmp/header" 2>&1 || { fail "$3: ncdump -h failed"; show "$tmp/header"; return; }
    has "$tmp/header" "$2" "$3"
}

# idata NAME NC CSVDIR SPEC: reads NC group by group and checks it against
# SPEC (a Python dict literal: group -> {variable: dims after chain and draw})
# and the CSV files of CSVDIR (their columns: NAME.1 ..., replicates NAME_rep.1).
idata() {
    if ! $have_xarray; then fail "$1: no xarray for $py"; return; fi
    if msg=$($py - "$2" "$3" "$4" 2>&1 <<'EOF'
import csv, glob, math, re, sys
import numpy as np
import xarray as xr
import netCDF4

nc, csvdir, spec = sys.argv[1], sys.argv[2], eval(sys.argv[3])
problems = []
def check(ok, what):
    if not ok: problems.append(what)

# the chains' CSV files: the comment lines off, one row a draw
chains = []
for path in sorted(glob.glob(csvdir + "/*.csv"), key=lambda p: int(re.findall(r"_(\d+)\.csv$", p)[0])):
    rows = [r for r in csv.reader(l for l in open(path) if not l.startswith("#"))]
    chains.append((rows[0], np.array(rows[1:], dtype=float)))
header = chains[0][0]
C, D = len(chains), chains[0][1].shape[0]
def column(name):
    k = header.index(name)
    return np.array([data[:, k] for _, data in chains])   # chain x draw

groups = set(netCDF4.Dataset(nc).groups)
check(groups == set(spec), f"groups {sorted(groups)}, expected {sorted(spec)}")
for group, variables in spec.items():
    if group not in groups: continue
    ds = xr.open_dataset(nc, group=group)
    check(ds.attrs.get("inference_library") == "bmc", f"{group}: inference_library {ds.attrs.get('inference_library')}")
    check(re.fullmatch(r"\d+\.\d+\.\d+", ds.attrs.get("inference_library_version", "")),
          f"{group}: inference_library_version")
    check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", ds.attrs.get("created_at", "")),
          f"{group}: created_at {ds.attrs.get('created_at')}")
    check("arviz_version" not in ds.attrs, f"{group}: claims an arviz_version")
    check(set(ds.data_vars) == set(variables), f"{group}: variables {sorted(ds.data_vars)}, expected {sorted(variables)}")
    drawn = group != "observed_data"
    if drawn:
        check(list(ds["chain"].values) == list(range(C)), f"{group}: chain coordinates {ds['chain'].values}")
        check(list(ds["draw"].values) == list(range(D)), f"{group}: draw coordinates")
    for name, shape in variables.items():
        if name not in ds: continue
        v = ds[name]
        dims = tuple(f"{name}_dim_{k}" for k in range(len(shape)))
        want = (("chain", "draw") if drawn else ()) + dims
        check(v.dims == want, f"{group}.{name}: dims {v.dims}, expected {want}")
        check(v.shape == ((C, D) if drawn else ()) + tuple(shape), f"{group}.{name}: shape {v.shape}")
        for k, n in enumerate(shape):
            check(list(ds[dims[k]].values) == list(range(n)), f"{group}.{name}: coordinates of {dims[k]}")
        if group == "sample_stats":
            stat = {"lp": "lp__", "acceptance_rate": "accept_stat__", "step_size": "stepsize__",
                    "tree_depth": "treedepth__", "n_steps": "n_leapfrog__", "diverging": "divergent__",
                    "energy": "energy__"}[name]
            want_type = {"diverging": np.bool_, "tree_depth": np.int64, "n_steps": np.int64}.get(name, np.float64)
            check(v.dtype == want_type, f"{group}.{name}: dtype {v.dtype}")
            check(np.allclose(v.values.astype(float), column(stat), rtol=1e-8, atol=1e-8), f"{group}.{name}: values")
            continue
        check(v.dtype == np.float64, f"{group}.{name}: dtype {v.dtype}")
        if not drawn: continue
        # the CSV columns of the quantity: a replicate is NAME_rep in a posterior run
        col = name + "_rep" if group == "posterior_predictive" else name
        if not shape:
            x = column(col)[:, :, None]
            got = v.values[:, :, None]
        else:
            n = int(np.prod(shape))
            idx = [".".join(str(i + 1) for i in np.unravel_index(e, shape)) for e in range(n)]
            x = np.stack([column(f"{col}.{i}") for i in idx], axis=2)
            got = v.values.reshape(C, D, n)
        # CmdStan's CSV keeps 9 significant digits
        check(np.allclose(got, x, rtol=1e-8, atol=1e-12, equal_nan=True), f"{group}.{name}: values differ from the CSV")
for p in problems: print(p)
EOF
) && [ -z "$msg" ]; then pass; else fail "$1: $msg"; fi
}

# pyrun NAME PROGRAM ARGS...: a Python check with xarray, silent when it passes.
pyrun() {
    name=$1 prog=$2
    shift 2
    if ! $have_xarray; then fail "$name: no xarray for $py"; return; fi
    if msg=$($py -c "$prog" "$@" 2>&1) && [ -z "$msg" ]; then pass; else fail "$name: $msg"; fi
}

# ---- scalars: the A/B test

if runs "ab.bm" 0 run models/ab.bm --sampler nuts --seed 1 --draws 50 --tune 100 --chains 3 --output-nc "$tmp/ab.nc" \
        --output-dir "$tmp/ab"; then
    idata "ab.bm" "$tmp/ab.nc" "$tmp/ab" "{
        'posterior': {'p_A': (), 'p_B': (), 'diff': (), 'b_wins': ()},
        'sample_stats': {s: () for s in ['lp', 'acceptance_rate', 'step_size', 'tree_depth', 'n_steps',
                                         'diverging', 'energy']},
        'observed_data': {'y_A': (), 'y_B': ()}}"
    # the observed counts as the model states them, and the run's settings
    pyrun "ab.bm observed, settings" '
import sys, xarray as xr
o = xr.open_dataset(sys.argv[1], group="observed_data")
if (float(o.y_A), float(o.y_B)) != (120.0, 150.0): print("observed", float(o.y_A), float(o.y_B))
a = xr.open_dataset(sys.argv[1], group="posterior").attrs
want = {"num_samples": 50, "num_warmup": 100, "seed": 1, "max_depth": 10, "delta": 0.8, "metric": "diag"}
for k, v in want.items():
    if a.get(k) != v: print(k, a.get(k), "expected", v)
if not a.get("sampling_time", -1) >= 0: print("sampling_time", a.get("sampling_time"))
' "$tmp/ab.nc"
    ncdump_has "$tmp/ab.nc" 'group: sample_stats' "ncdump sees the groups"
    ncdump_has "$tmp/ab.nc" 'diverging:dtype = "bool"' "ncdump: diverging is xarray's bool"
    ncdump_has "$tmp/ab.nc" ':inference_library = "bmc"' "ncdump: the library"
    # nothing left beside the file
    left=$(find "$tmp" -maxdepth 1 -name 'ab.nc.*')
    if [ -z "$left" ]; then pass; else fail "temporary files left: $left"; fi
fi

# ---- vectors: eight schools

if runs "eight_schools.bm" 0 run models/eight_schools.bm --data models/eight_schools.json --seed 2 --draws 40 \
        --tune 100 --chains 2 --output-nc "$tmp/es.nc" --output-dir "$tmp/es"; then
    idata "eight_schools.bm" "$tmp/es.nc" "$tmp/es" "{
        'posterior': {'mu': (), 'tau': (), 'theta_raw': (8,), 'theta': (8,)},
        'sample_stats': {s: () for s in ['lp', 'acceptance_rate', 'step_size', 'tree_depth', 'n_steps',
                                         'diverging', 'energy']},
        'observed_data': {'y': (8,)}}"
    pyrun "eight_schools observed y is the data file's" '
import json, sys, xarray as xr
y = json.load(open(sys.argv[2]))["y"]
o = xr.open_dataset(sys.argv[1], group="observed_data")
if list(o.y.values) != [float(v) for v in y]: print(list(o.y.values), "expected", y)
' "$tmp/es.nc" models/eight_schools.json
    ncdump_has "$tmp/es.nc" 'double theta(chain, draw, theta_dim_0)' "ncdump: theta is one variable"
fi

# ---- replicates: --predict

if runs "click_count.bm --predict" 0 run models/click_count.bm --sampler nuts --predict --seed 3 --draws 30 --tune 100 \
        --chains 2 --output-nc "$tmp/cc.nc" --output-dir "$tmp/cc"; then
    idata "click_count.bm --predict" "$tmp/cc.nc" "$tmp/cc" "{
        'posterior': {'lambda_A': (), 'lambda_B': (), 'diff_rate': ()},
        'sample_stats': {s: () for s in ['lp', 'acceptance_rate', 'step_size', 'tree_depth', 'n_steps',
                                         'diverging', 'energy']},
        'posterior_predictive': {'y_A': (40,), 'y_B': (40,)},
        'observed_data': {'y_A': (40,), 'y_B': (40,)}}"
    # the model's own numbers, read from its text
    pyrun "click_count observed data are the model's" '
import re, sys, xarray as xr
text = open(sys.argv[2]).read()
o = xr.open_dataset(sys.argv[1], group="observed_data")
for name, var in (("click_data_A", "y_A"), ("click_data_B", "y_B")):
    nums = [float(x) for x in re.search(name + r" = \[([^\]]*)\]", text).group(1).replace(",", " ").split()]
    if list(o[var].values) != nums: print(var, list(o[var].values), "expected", nums)
' "$tmp/cc.nc" models/click_count.bm
fi

# the replicates of some elements only: y[1] of an autoregression is data
cat >"$tmp/ar.bm" <<'EOF'
y = [1.0, 2.0, 1.5, 0.5, 1.0];
rho ~ Normal(0, 1);
for t in 2:5 { y[t] ~ Normal(rho * y[t - 1], 1); }
EOF
if runs "some elements replicated" 0 run "$tmp/ar.bm" --predict --seed 4 --draws 10 --tune 50 --chains 1 \
        --output-nc "$tmp/ar.nc"; then
    pyrun "coordinates of the elements replicated" '
import sys, xarray as xr
p = xr.open_dataset(sys.argv[1], group="posterior_predictive")
o = xr.open_dataset(sys.argv[1], group="observed_data")
if list(p.y_dim_0.values) != [1, 2, 3, 4]: print("posterior_predictive coords", list(p.y_dim_0.values))
if list(o.y_dim_0.values) != [1, 2, 3, 4]: print("observed_data coords", list(o.y_dim_0.values))
if list(o.y.values) != [2.0, 1.5, 0.5, 1.0]: print("observed", list(o.y.values))
if p.y.shape != (1, 10, 4): print("shape", p.y.shape)
' "$tmp/ar.nc"
fi

# ---- a prior predictive run

if runs "click_count.bm --prior" 0 run models/click_count.bm --prior --seed 5 --draws 20 --chains 2 \
        --output-nc "$tmp/pr.nc" --output-dir "$tmp/pr"; then
    idata "click_count.bm --prior" "$tmp/pr.nc" "$tmp/pr" "{
        'prior': {'lambda_A': (), 'lambda_B': (), 'diff_rate': ()},
        'prior_predictive': {'y_A': (40,), 'y_B': (40,)},
        'observed_data': {'y_A': (40,), 'y_B': (40,)}}"
fi

# a vector sized by a factor has the factor's levels as its coordinates
printf 'page,bought\nA,0\n모바일,1\nA,1\n' >"$tmp/levels.csv"
printf 'data page;\ndata bought;\np[nlevels(page)] ~ Beta(1, 1);\nbought ~ Bernoulli(p[page]);\n' >"$tmp/levels.bm"
if runs "factor levels" 0 run "$tmp/levels.bm" --data "$tmp/levels.csv" --seed 1 --draws 20 --tune 50 \
        --output-nc "$tmp/levels.nc"; then
    if "$py" - "$tmp/levels.nc" >"$tmp/check" 2>&1 <<'EOF'
import sys, xarray as xr
p = xr.open_dataset(sys.argv[1], group="posterior")
got = [str(x) for x in p["p"].coords["p_dim_0"].values]
if got != ["A", "모바일"]: print("coordinates", got)
EOF
    then [ -s "$tmp/check" ] && fail "factor levels: $(cat "$tmp/check")" || pass
    else fail "factor levels: $(cat "$tmp/check")"; fi
fi

# ---- errors: checked before sampling, nothing half written

runs "directory missing" 5 run models/ab.bm --seed 1 --output-nc "$tmp/no/such/dir/x.nc"
expect_err "bmc: error: cannot write '$tmp/no/such/dir/x.nc': No such file or directory" "directory missing: message"
expect_empty "$tmp/out" "directory missing: no table, nothing sampled"
runs "--output-nc empty" 2 run models/ab.bm --output-nc ""
expect_err "--output-nc needs a file name" "--output-nc empty: message"
runs "--output-nc with compare" 2 compare models/ab.bm models/ab_informative.bm --output-nc "$tmp/c.nc"
expect_err "--output-nc is an option of 'bmc run'" "--output-nc with compare: message"
if [ "$(id -u)" -ne 0 ]; then   # root writes anywhere
    mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
    runs "directory read-only" 5 run models/ab.bm --seed 1 --output-nc "$tmp/ro/x.nc"
    expect_err "Permission denied" "directory read-only: message"
fi
# a file there already is replaced whole
echo "old" >"$tmp/old.nc"
if runs "file replaced" 0 run models/ab.bm --seed 1 --draws 10 --tune 50 --output-nc "$tmp/old.nc"; then
    ncdump_has "$tmp/old.nc" 'group: posterior' "file replaced: a netCDF file now"
fi

finish
