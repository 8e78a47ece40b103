#!/bin/sh
# test_loo.sh -- PSIS-LOO from the command line: `bmc loo FILE.csv...` on
# draw files with log_lik columns (tests/fixtures/loo, written by R) gives
# the R package loo's numbers; `bmc run --loo` prints the block and the
# JSON, and agrees with `bmc loo` and with R's loo on the files the run
# wrote; `bmc compare --loo` ranks models; a point above the Pareto k
# threshold warns; files without log_lik columns, models of different
# data and bad command lines are errors.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

fx=tests/fixtures/loo

# ---- bmc loo against R's loo 2.5.1

for set in cmp_normal cmp_student outlier; do
    if runs "loo $set" 0 loo $fx/${set}_*.csv --format json; then
        pycheck "loo $set: R's estimates, every k and elpd_loo_i" "$tmp/out" $fx/$set.ref <<'PY'
import json, math, sys
loo = json.load(open(sys.argv[1]))["loo"]
ref = dict(l.split() for l in open(sys.argv[2]))
def close(got, key):
    want = ref[key]
    if want == "Inf": return got is None
    if want == "NA": return got is None
    return abs(got - float(want)) <= 1e-8 * abs(float(want))
keys = ["elpd_loo", "se_elpd_loo", "p_loo", "se_p_loo", "looic", "se_looic", "mcse_elpd_loo",
        "elpd_waic", "se_elpd_waic", "p_waic", "se_p_waic", "waic", "se_waic"]
for k in keys:
    if not close(loo[k], k): print(k, loo[k], ref[k])
for i, p in enumerate(loo["pointwise"]):
    for field, key in (("pareto_k", "k"), ("r_eff", "r_eff"), ("elpd_loo", "elpd_loo")):
        if not close(p[field], "%s.%d" % (key, i + 1)): print(key, i + 1, p[field], ref["%s.%d" % (key, i + 1)])
    if p["point"] != "log_lik[%d]" % (i + 1): print("point", p["point"])
PY
    fi
done

runs "loo table" 0 loo $fx/cmp_student_*.csv
has "$tmp/out" "PSIS-LOO of 30 points, 1,000 draws:" "loo table: its title"
has "$tmp/out" "elpd_loo       -58.48     4.83" "loo table: elpd_loo and its se"
has "$tmp/out" "All Pareto k estimates are good (k < 0.67)." "loo table: k, with 1 - 1/log10(1000)"
expect_empty "$tmp/err" "loo table: no warning"

# one outlier: the table of k ranges and a warning naming the point
runs "loo outlier" 0 loo $fx/outlier_*.csv
has "$tmp/out" "   (1, inf)  very bad       1    3.3%" "outlier: the k ranges"
has "$tmp/out" "1 point above the threshold k = 0.67 for 1,000 draws." "outlier: how many above"
expect_err "warning: Pareto k above 0.67 for 1 of 30 points, so elpd_loo is unreliable: log_lik[30] (k = 9.68)" \
    "outlier: the warning names the point"
expect_err "K-fold cross-validation or moment matching" "outlier: what to do"
runs "loo outlier json" 0 loo $fx/outlier_*.csv --format json
pycheck "outlier: infinite k is none, counts, k_high" "$tmp/out" <<'PY'
import json, sys
loo = json.load(open(sys.argv[1]))["loo"]
if loo["k_counts"] != {"good": 29, "ok": 0, "bad": 0, "very_bad": 1}: print(loo["k_counts"])
if loo["k_high"] != 1: print("k_high", loo["k_high"])
if loo["mcse_elpd_loo"] is not None: print("mcse", loo["mcse_elpd_loo"])
PY

# ---- errors

runs "loo without log_lik" 1 loo tests/fixtures/summary/ab_rstan_1.csv
expect_err "tests/fixtures/summary/ab_rstan_1.csv: no log_lik columns: run with --log-lik" "no log_lik: the error"
runs "loo without files" 2 loo
expect_err "no CSV files given" "loo without files: why"
runs "loo --format" 2 loo $fx/cmp_student_1.csv --format yaml
expect_err "--format is table or json, not 'yaml'" "loo --format: why"
runs "loo unknown option" 2 loo $fx/cmp_student_1.csv --lol
runs "loo missing file" 1 loo "$tmp/nothing.csv"
sed 's/^\(-[0-9.e+-]*\),/\1,/; 10s/,[^,]*$/,nan/' $fx/cmp_student_1.csv >"$tmp/nan_1.csv"
runs "loo of a nan" 1 loo "$tmp/nan_1.csv"
expect_err "is not a finite number in some draws" "loo of a nan: why"

# ---- bmc run --loo

if runs "run --loo" 0 run models/click_negbin.bm --loo --seed 3 --format json; then
    pycheck "run --loo: the JSON's loo, every point named" "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
loo = d["loo"]
pts = loo["pointwise"]
if len(pts) != 60 or loo["points"] != 60: print("points", len(pts))
if [p["point"] for p in pts[:2]] != ["y[1]", "y[2]"]: print([p["point"] for p in pts[:2]])
if abs(loo["looic"] + 2 * loo["elpd_loo"]) > 1e-9: print("looic")
if abs(sum(p["elpd_loo"] for p in pts) - loo["elpd_loo"]) > 1e-9: print("elpd sum")
if loo["draws"] != 4000 or loo["k_threshold"] != 0.7: print(loo["draws"], loo["k_threshold"])
PY
fi
runs "run --loo table" 0 run models/click_negbin.bm --loo --seed 3
has "$tmp/out" "PSIS-LOO of 60 points, 4,000 draws:" "run --loo: the block after the table"
has "$tmp/out" "All Pareto k estimates are good (k < 0.7)." "run --loo: the k line"
lacks "$tmp/out" "log_lik[1]" "run --loo: the points stay out of the table"

# the files the run writes give bmc loo the same numbers, and R's loo too
if runs "run --log-lik files" 0 run models/click_overdispersed.bm --log-lik --seed 3 --draws 300 \
        --output-dir "$tmp/click"; then
    runs "loo of the run's files" 0 loo "$tmp"/click/*.csv --format json
    cp "$tmp/out" "$tmp/bmc.json"
    if command -v Rscript >/dev/null && Rscript -e 'library(loo)' >/dev/null 2>&1; then
        Rscript -e '
            suppressMessages(library(loo))
            f <- sort(Sys.glob(file.path(commandArgs(TRUE)[1], "*.csv")))
            b <- lapply(f, read.csv, comment.char = "#")
            ll <- do.call(rbind, lapply(b, function(x) as.matrix(x[, grep("^log_lik", names(x))])))
            cid <- rep(seq_along(b), sapply(b, nrow))
            l <- suppressWarnings(loo(ll, r_eff = relative_eff(exp(ll), cid)))
            cat(sprintf("%.17g %.17g %.17g\n", l$estimates["elpd_loo", 1], l$estimates["p_loo", 1],
                        max(pareto_k_values(l))))' "$tmp/click" >"$tmp/r.txt" 2>"$tmp/r.err"
        pycheck "loo of the run's files: R's loo" "$tmp/bmc.json" "$tmp/r.txt" <<'PY'
import json, sys
loo = json.load(open(sys.argv[1]))["loo"]
elpd, p, kmax = map(float, open(sys.argv[2]).read().split())
got = (loo["elpd_loo"], loo["p_loo"], max(q["pareto_k"] for q in loo["pointwise"]))
for g, w, name in zip(got, (elpd, p, kmax), ("elpd_loo", "p_loo", "max k")):
    if abs(g - w) > 1e-8 * abs(w): print(name, g, w)
PY
    fi
fi

printf 'p ~ Beta(1, 1);\n' >"$tmp/nothing.bm"
runs "run --loo of no data" 1 run "$tmp/nothing.bm" --loo
expect_err "the model observes no data" "run --loo of no data: why"

# ---- bmc compare --loo

runs "compare --loo" 0 compare --loo models/click_overdispersed.bm models/click_negbin.bm --seed 3
has "$tmp/out" "Models compared by PSIS-LOO (60 points):" "compare --loo: the table's title"
if grep -q "^click_negbin  *0 .*0\.00  *0\.00  *1\.00 False" "$tmp/out" &&
   grep -q "^click_overdispersed  *1 .*-[0-9.]*  *[0-9.]*  *0\.00 False" "$tmp/out"; then pass; else
    fail "compare --loo: NegativeBinomial first, with all the weight"; show "$tmp/out"; fi
lacks "$tmp/out" "log_lik[" "compare --loo: no point rows in the side-by-side table"
runs "compare --loo json" 0 compare --loo models/click_overdispersed.bm models/click_negbin.bm --seed 3 --format json
pycheck "compare --loo: loo_compare in the JSON, as the runs' own loo" "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ranked = d["loo_compare"]
if [r["model"] for r in ranked] != ["click_negbin", "click_overdispersed"]: print([r["model"] for r in ranked])
best, other = ranked
for r in ranked:
    if abs(r["elpd_loo"] - d["models"][r["model"]]["loo"]["elpd_loo"]) > 1e-12: print("elpd of", r["model"])
if abs(other["elpd_diff"] - (other["elpd_loo"] - best["elpd_loo"])) > 1e-9: print("elpd_diff")
if best["elpd_diff"] != 0 or best["se_diff"] != 0: print("best's diff")
a = [p["elpd_loo"] for p in d["models"]["click_overdispersed"]["loo"]["pointwise"]]
b = [p["elpd_loo"] for p in d["models"]["click_negbin"]["loo"]["pointwise"]]
diff = [x - y for x, y in zip(a, b)]
m = sum(diff) / len(diff)
se = (len(diff) * sum((x - m) ** 2 for x in diff) / (len(diff) - 1)) ** 0.5
if abs(other["se_diff"] - se) > 1e-9 * se: print("se_diff", other["se_diff"], se)
if abs(sum(r["weight"] for r in ranked) - 1) > 1e-12: print("weights")
PY

runs "compare --loo, no shared quantity" 0 compare --loo models/ab.bm models/ab_pooled.bm --seed 3
has "$tmp/out" "Models compared by PSIS-LOO (2 points):" "ab against pooled: the LOO table alone"
runs "compare --loo of different data" 1 compare --loo models/ab.bm models/click_negbin.bm --seed 3
expect_err "compare --loo: 'ab' observes 2 points and 'click_negbin' 60: PSIS-LOO compares models of the same data" \
    "different data: the error"


# bmc summary of files with log_lik columns: the points stay out of the
# table, as in the run that wrote them, unless --vars names them
if runs "--log-lik files" 0 run models/ab.bm --log-lik --seed 1 --output-dir "$tmp/points"; then
    runs "summary of --log-lik files" 0 summary "$tmp"/points/ab_*.csv
    lacks "$tmp/out" "log_lik[" "summary of --log-lik files: no points in the table"
    runs "summary --vars log_lik" 0 summary "$tmp"/points/ab_*.csv --vars log_lik
    has "$tmp/out" "log_lik[2]" "summary --vars log_lik: the points"
fi

finish
