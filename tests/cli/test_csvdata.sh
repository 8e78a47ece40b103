#!/bin/sh
# test_csvdata.sh -- CSV data files on the command line: the per-visitor
# log of the A/B test gives the posterior of its counts (also from
# 200,000 rows, grouped by page when compiled), factors label
# what they size (in the table, JSON, CSV draws and --vars), and
# --csv-sep is checked.
. "$(dirname "$0")/lib.sh"

# models/visits.csv: 1000 visitors a page, 120 bought on A and 150 on B,
# so with Beta(1, 1) priors p[A] ~ Beta(121, 881) and p[B] ~ Beta(151, 851)
# exactly (conjugacy); the means and sds below are those Betas'.
pycheck "visits.csv holds the article's counts" models/visits.csv <<'PY'
import csv, sys
from collections import Counter
rows = list(csv.DictReader(open(sys.argv[1])))
c = Counter((r["page"], r["bought"]) for r in rows)
want = {("A", "1"): 120, ("A", "0"): 880, ("B", "1"): 150, ("B", "0"): 850}
if len(rows) != 2000 or dict(c) != want: print("counts", len(rows), dict(c))
PY

runs "ab_visits run" 0 run models/ab_visits.bm --data models/visits.csv --seed 7 --format json
cp "$tmp/out" "$tmp/visits.json"
pycheck "ab_visits matches Beta(121, 881) and Beta(151, 851)" "$tmp/visits.json" <<'PY'
import json, math, sys
v = json.load(open(sys.argv[1]))["variables"]
def beta(a, b):
    return a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
for name, (a, b) in {"p[A]": (121, 881), "p[B]": (151, 851)}.items():
    mean, sd = beta(a, b)
    got = v[name]
    # Monte Carlo error of the mean: sd / sqrt(ESS); five of them
    tol = 5 * sd / math.sqrt(got["ess_bulk"])
    if abs(got["mean"] - mean) > tol: print(name, "mean", got["mean"], "exact", mean, "tol", tol)
    if abs(got["sd"] / sd - 1) > 0.1: print(name, "sd", got["sd"], "exact", sd)
if set(v) != {"p[A]", "p[B]", "diff", "b_wins"}: print("names", sorted(v))
PY

# the same run from the counts, the article's own model
runs "ab run" 0 run models/ab.bm --seed 7 --format json
pycheck "log and counts agree" "$tmp/visits.json" "$tmp/out" <<'PY'
import json, math, sys
a = json.load(open(sys.argv[1]))["variables"]
b = json.load(open(sys.argv[2]))["variables"]
for x, y in (("p[A]", "p_A"), ("p[B]", "p_B"), ("diff", "diff")):
    tol = 5 * math.hypot(a[x]["mcse_mean"], b[y]["mcse_mean"])
    if abs(a[x]["mean"] - b[y]["mean"]) > tol: print(x, a[x]["mean"], y, b[y]["mean"])
PY

# 200,000 visitors, 100,000 a page, 4000 bought on A and 4600 on B, one
# row each and the pages interleaved: the rows are grouped by page when
# compiled for NUTS (bmc ir --sampler nuts shows two groups), and the
# posterior, drawn exactly, is p[A] ~ Beta(4001, 96001), p[B] ~ Beta(4601, 95401).
awk 'BEGIN { print "page,bought"
             for (i = 0; i < 100000; i++) { print "A," (i < 4000); print "B," (i < 4600) } }' >"$tmp/visits200k.csv"
runs "ir of 200,000 rows" 0 ir --sampler nuts models/ab_visits.bm --data "$tmp/visits200k.csv"
has "$tmp/out" "Bernoulli_lpdf_grouped(" "200,000 rows grouped"
has "$tmp/out" " | p[page])  2 groups" "200,000 rows in two groups"
lacks "$tmp/out" "gather(" "200,000 rows gather nothing at each gradient"
runs "run of 200,000 rows" 0 run models/ab_visits.bm --data "$tmp/visits200k.csv" --seed 3 --format json
pycheck "200,000 rows match Beta(4001, 96001) and Beta(4601, 95401)" "$tmp/out" <<'PY'
import json, math, sys
v = json.load(open(sys.argv[1]))["variables"]
for name, (a, b) in {"p[A]": (4001, 96001), "p[B]": (4601, 95401)}.items():
    mean = a / (a + b)
    sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    got = v[name]
    tol = 5 * sd / math.sqrt(got["ess_bulk"])
    if abs(got["mean"] - mean) > tol: print(name, "mean", got["mean"], "exact", mean, "tol", tol)
    if abs(got["sd"] / sd - 1) > 0.1: print(name, "sd", got["sd"], "exact", sd)
PY

# --vars by label
runs "--vars p[B]" 0 run models/ab_visits.bm --data models/visits.csv --seed 7 --vars 'p[B]'
has "$tmp/out" "p[B]" "--vars p[B] shows it"
lacks "$tmp/out" "p[A]" "--vars p[B] shows only it"

# Korean levels: sorted by their bytes, aligned by display width, and the
# same names in JSON and in the CSV draws' header
printf 'device,bought\n모바일,1\n데스크톱,0\n모바일,0\n태블릿,1\n데스크톱,1\n' > "$tmp/devices.csv"
cat > "$tmp/devices.bm" <<'BM'
data device;
data bought;
p[nlevels(device)] ~ Beta(1, 1);
bought ~ Bernoulli(p[device]);
BM
runs "Korean levels" 0 run "$tmp/devices.bm" --data "$tmp/devices.csv" --seed 3 --output-dir "$tmp/draws"
pycheck "Korean levels line up" "$tmp/out" <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")][:4]
names = [l.split()[0] for l in lines[1:]]
if names != ["p[데스크톱]", "p[모바일]", "p[태블릿]"]: print("names", names)
# every row as wide as the titles, and its mean ends under "mean"
if len({width(l) for l in lines}) != 1: print("widths", [width(l) for l in lines])
end = width(lines[0][:lines[0].index("mean") + 4])
for l in lines[1:]:
    cells = l.split()
    if width(l[:l.index(cells[1]) + len(cells[1])]) != end: print("mean not under its title:", l)
PY
has "$tmp/draws/devices_1.csv" "p.데스크톱,p.모바일,p.태블릿" "Korean levels in the CSV draws' header"
runs "Korean levels, JSON" 0 run "$tmp/devices.bm" --data "$tmp/devices.csv" --seed 3 --format json --vars 'p[모바일]'
pycheck "Korean levels in JSON and --vars" "$tmp/out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))["variables"]
if list(v) != ["p[모바일]"]: print(list(v))
PY

# a level that would not read back as one name keeps the numbers
printf 'g,y\nGroup 1,1\nGroup 2,0\n' > "$tmp/spaced.csv"
printf 'data g;\ndata y;\np[nlevels(g)] ~ Beta(1, 1);\ny ~ Bernoulli(p[g]);\n' > "$tmp/spaced.bm"
runs "levels with blanks" 0 run "$tmp/spaced.bm" --data "$tmp/spaced.csv" --seed 3
has "$tmp/out" "p[1]" "levels with blanks leave elements numbered"

# the separator: found, given before or after --data, and checked
tr ',' ';' < models/visits.csv > "$tmp/visits-semicolon.txt"
runs "';' found" 0 check models/ab_visits.bm --data "$tmp/visits-semicolon.txt"
runs "--csv-sep after --data" 0 check models/ab_visits.bm --data "$tmp/visits-semicolon.txt" --csv-sep ';'
runs "--csv-sep before --data" 0 check models/ab_visits.bm --csv-sep=';' --data "$tmp/visits-semicolon.txt"
runs "--csv-sep ',' on a ';' file" 1 check models/ab_visits.bm --csv-sep , --data "$tmp/visits-semicolon.txt"
expect_err "no value for data 'page'" "a wrong --csv-sep leaves one column"
runs "--csv-sep '|'" 2 check models/ab_visits.bm --csv-sep '|' --data models/visits.csv
expect_err "the separator is ',', ';' or tab" "--csv-sep '|' is refused"
runs "--csv-sep without a value" 2 check models/ab_visits.bm --data models/visits.csv --csv-sep
for cmd in ir graph; do
    runs "$cmd --data FILE.csv" 0 $cmd models/ab_visits.bm --data models/visits.csv --csv-sep ,
done
runs "logp by label" 0 logp models/ab_visits.bm --data models/visits.csv 'p[A]=0.12' 'p[B]=0.15'

# JSON and CSV mixed: the later value replaces the earlier (a JSON page
# has no levels)
printf '{"page": [1, 2], "bought": [0, 1]}\n' > "$tmp/two.json"
runs "CSV then JSON" 1 check models/ab_visits.bm --data models/visits.csv --data "$tmp/two.json"
expect_err "'page' is not a factor" "the JSON page replaces the CSV one"
runs "JSON then CSV" 0 check models/ab_visits.bm --data "$tmp/two.json" --data models/visits.csv

# a bad cell: its place, its line and a caret
printf 'page,bought\nA,1\nB,abc\n' > "$tmp/bad.csv"
runs "bad cell" 1 check models/ab_visits.bm --data "$tmp/bad.csv"
expect_err "bad.csv:3:3: error: 'abc' is not a number in column 'bought'" "bad cell's place"
expect_err "    B,abc" "bad cell's line"

finish csvdata
