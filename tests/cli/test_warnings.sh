#!/bin/sh
# test_warnings.sh -- a run's warnings as data: every warning line on
# stderr is an entry of the JSON object's "warnings", with its kind and
# every quantity it names, and JSON mode keeps the run line and the
# warning lines on stderr (`bmc run` and `bmc compare`); and a quantity
# that is not a number in some draws is warned about and has no summary.
#
# Expected values come from outside bmc: which warnings a funnel sampled
# with a tree depth of 2 trips is read from the JSON's own figures (R-hat
# above 1.01, ESS below 100 per chain, the sampler's counts); how many
# draws of q = log(p - 0.5) are not a number is the count of draws with
# p < 0.5 in the CmdStan CSV files.
#
# Needs BMC (the binary under test) and python3 (to read JSON and CSV).
# Prints "N passed, N failed" last and exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# ---- a run that trips warnings: the same list on stderr and in JSON

cat >"$tmp/funnel.bm" <<'EOF'
tau ~ HalfCauchy(5);
theta ~ Normal(0, tau);
EOF
# priors alone: --sampler nuts samples them rather than drawing them exactly
set -- run "$tmp/funnel.bm" --sampler nuts --seed 1 --draws 100 --tune 100 --max-treedepth 2
runs "funnel, table" 0 "$@" && grep '^warning: ' "$tmp/err" >"$tmp/table.warnings"
if runs "funnel, JSON" 0 "$@" --format json; then
    cp "$tmp/out" "$tmp/funnel.json"
    cp "$tmp/err" "$tmp/funnel.err"
    expect_err "4 chains x 100 draws (100 tune)" "JSON mode keeps the run line"
    grep '^warning: ' "$tmp/err" >"$tmp/json.warnings"
    if cmp -s "$tmp/table.warnings" "$tmp/json.warnings"; then pass
    else fail "JSON mode: the warning lines differ from the table's"; show "$tmp/json.warnings"; fi
    pycheck "every warning line is a JSON entry with its kind and names" "$tmp/funnel.json" "$tmp/funnel.err" <<'EOF'
import json, re, sys
doc = json.load(open(sys.argv[1]))
lines = [l[len("warning: "):].rstrip("\n") for l in open(sys.argv[2]) if l.startswith("warning: ")]
entries = doc["warnings"]
texts = [e["message"] + (": " + e["advice"] if e["advice"] else "") for e in entries]
if lines != texts:
    print("stderr", lines, "JSON", texts)
# the kind each line names, and the quantities it lists
rules = [(r"r_hat above 1\.01 for ", "r_hat", r"([^ ,]+) \(\d+\.\d+\)"),
         (r"ess_bulk of ", "ess_bulk", r"([^ ,]+) is \d+"),
         (r"ess_tail of ", "ess_tail", r"([^ ,]+) is \d+"),
         (r"\d+ divergent transitions? after warm-up", "divergences", None),
         (r"\d+ draws? hit the maximum tree depth", "treedepth", None),
         (r"chain \d+ has E-BFMI", "ebfmi", None)]
for line, e in zip(lines, entries):
    rule = [r for r in rules if re.match(r[0], line)]
    if len(rule) != 1 or rule[0][1] != e["kind"]:
        print("kind", e["kind"], "for", line)
        continue
    named = re.findall(rule[0][2], line.split(": ")[0]) if rule[0][2] else []
    if "more" not in line and named != e["names"]:
        print("names", e["names"], "for", line)
v, s = doc["variables"], doc["sampler"]
want = set()
if any(x["r_hat"] is not None and x["r_hat"] > 1.01 for x in v.values()): want.add("r_hat")
if any(x["ess_bulk"] is not None and x["ess_bulk"] < 400 for x in v.values()): want.add("ess_bulk")
if s["divergences"] > 0: want.add("divergences")
if s["treedepth_hits"] > 0: want.add("treedepth")
if not {"r_hat", "ess_bulk", "treedepth"} <= want:
    print("the run trips too little to test:", want)
got = {e["kind"] for e in entries}
if not want <= got:
    print("missing kinds", want - got)
for e in entries:
    if e["kind"] == "r_hat" and any(v[n]["r_hat"] <= 1.01 for n in e["names"]):
        print("r_hat names a quantity below 1.01", e["names"])
    if e["kind"] == "divergences" and not e["message"].startswith("%d " % s["divergences"]):
        print("divergences", e["message"], s["divergences"])
    if e["kind"] == "treedepth" and not e["message"].startswith("%d " % s["treedepth_hits"]):
        print("treedepth", e["message"], s["treedepth_hits"])
EOF
fi

# bmc compare: each model's warnings in its JSON object, its run line and
# warnings on stderr in JSON mode too
cp "$tmp/funnel.bm" "$tmp/funnel2.bm"
if runs "compare, JSON" 0 compare "$tmp/funnel.bm" "$tmp/funnel2.bm" --sampler nuts --seed 1 --draws 100 --tune 100 \
        --max-treedepth 2 --format json; then
    expect_err "funnel: 4 chains x 100 draws" "compare in JSON mode keeps the run lines"
    expect_err "funnel2: 4 chains x 100 draws" "compare in JSON mode keeps the run lines"
    pycheck "compare: each model's warnings are its stderr lines" "$tmp/out" "$tmp/err" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
lines = [l[len("warning: "):].rstrip("\n") for l in open(sys.argv[2]) if l.startswith("warning: ")]
texts = [e["message"] + (": " + e["advice"] if e["advice"] else "")
         for m in ("funnel", "funnel2") for e in doc["models"][m]["warnings"]]
if lines != texts or not texts:
    print("stderr", lines, "JSON", texts)
EOF
fi

# ---- a quantity that is not a number in some draws

cat >"$tmp/nan.bm" <<'EOF'
p ~ Beta(2, 2);
q = log(p - 0.5);
EOF
if runs "NaN quantity, table" 0 run "$tmp/nan.bm" --seed 1 --output-dir "$tmp/csv" --plot "$tmp/nan.png"; then
    row=$(grep '^q ' "$tmp/out" | tr -s ' ')
    if [ "$row" = "q nan nan nan nan nan nan nan nan nan" ]; then pass; else fail "q's row: '$row'"; fi
    [ -s "$tmp/nan.png" ] && pass || fail "no plot of a model with a NaN quantity"
    grep '^warning: q is not a number in ' "$tmp/err" >"$tmp/nan.warning"
    pycheck "the warning counts the draws with p < 0.5" "$tmp/nan.warning" "$tmp/csv" <<'EOF'
import csv, glob, os, re, sys
line = open(sys.argv[1]).read()
m = re.match(r"warning: q is not a number in ([\d,]+) of ([\d,]+) draws: ", line)
below = total = 0
for path in glob.glob(os.path.join(sys.argv[2], "*.csv")):
    rows = [r for r in csv.reader(l for l in open(path) if not l.startswith("#"))]
    col = rows[0].index("p")
    for r in rows[1:]:
        total += 1
        below += float(r[col]) < 0.5
if not m:
    print("no warning:", line)
elif (int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))) != (below, total):
    print("warning", m.group(1), "of", m.group(2), "but p < 0.5 in", below, "of", total)
elif not 1000 < below < 3000:
    print("p < 0.5 in", below, "of", total)
EOF
fi
if runs "NaN quantity, JSON" 0 run "$tmp/nan.bm" --seed 1 --format json; then
    expect_err "warning: q is not a number in" "JSON mode keeps the warning"
    pycheck "JSON: q has no summary and a nonfinite warning" "$tmp/out" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
if any(x is not None for x in doc["variables"]["q"].values()):
    print("q", doc["variables"]["q"])
if doc["variables"]["p"]["mean"] is None:
    print("p has no mean")
if [(e["kind"], e["names"]) for e in doc["warnings"]] != [("nonfinite", ["q"])]:
    print(doc["warnings"])
EOF
fi

finish warnings
