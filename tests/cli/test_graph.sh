#!/bin/sh
# test_graph.sh -- `bmc graph`: the model's DAG in Graphviz DOT.
#
# The expected nodes, edges and plates are read off the model files by
# hand: which names are parameters, observed, deterministic or data, which
# names each statement uses, and the lengths of the vectors (eight schools:
# J = 8 in models/eight_schools.json; click_count: 40 clicks a page).
# Where Graphviz's dot is installed, every graph must also be valid DOT.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last and
# exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
bmc_timeout=20

# edges FILE N WHAT: exactly N edges
edges() {
    n=$(grep -c -- ' -> ' "$1")
    if [ "$n" -eq "$2" ]; then pass; else fail "$3: $n edges, expected $2"; fi
}
# cluster FILE LABEL: the node lines of the plate labelled LABEL
cluster() {
    awk -v want="label=\"$2\"" '
        /subgraph cluster_/ { inside = 1; mine = 0; next }
        inside && index($0, want) { mine = 1; next }
        inside && /^\t}/ { inside = 0; next }
        inside && mine { print }
    ' "$1"
}
# in_cluster FILE LABEL NAME WHAT
in_cluster() {
    if cluster "$1" "$2" | grep -q "^[[:space:]]*$3 \["; then pass; else
        fail "$4: '$3' is not in the plate labelled '$2'"; show "$1"; fi
}
# outside FILE NAME WHAT: NAME's node is at the top level, in no plate
outside() {
    if grep -q "^	$2 \[" "$1"; then pass; else fail "$3: '$2' should be outside every plate"; fi
}
have_dot=0
command -v dot >/dev/null 2>&1 && have_dot=1
# valid FILE WHAT: dot accepts it (skipped without Graphviz)
valid() {
    [ $have_dot -eq 1 ] || return 0
    if dot -Tsvg "$1" -o "$tmp/check.svg" 2>"$tmp/dot.err" && grep -q '<svg' "$tmp/check.svg"; then pass; else
        fail "$2: dot rejects the graph:"; show "$tmp/dot.err"; fi
}

# ---- the A/B test: no vectors, every kind of node

runs "ab" 0 graph models/ab.bm
g=$tmp/ab.dot
cp "$tmp/out" "$g"
has "$g" 'digraph "ab" {' "ab"
has "$g" 'p_A [label="p_A\n~\nBeta" shape=ellipse]' "ab: parameter"
has "$g" 'p_B [label="p_B\n~\nBeta" shape=ellipse]' "ab: parameter"
has "$g" 'y_A [label="y_A\n~\nBinomial" shape=ellipse style=filled fillcolor=lightgrey]' "ab: observed"
has "$g" 'y_B [label="y_B\n~\nBinomial" shape=ellipse style=filled fillcolor=lightgrey]' "ab: observed"
has "$g" 'diff [label="diff\n~\nDeterministic" shape=box]' "ab: deterministic"
has "$g" 'b_wins [label="b_wins\n~\nDeterministic" shape=box]' "ab: deterministic"
has "$g" 'trials [label="trials\n~\nData" shape=box style=rounded]' "ab: a constant the likelihoods use"
for e in "trials -> y_A" "trials -> y_B" "p_A -> y_A" "p_B -> y_B" "p_A -> diff" "p_B -> diff" "diff -> b_wins"; do
    has "$g" "	$e" "ab: edge"
done
edges "$g" 7 "ab"
lacks "$g" "p_A -> y_B" "ab"
lacks "$g" "subgraph" "ab: scalars only"
valid "$g" "ab"

# ---- eight schools with its data: one plate of 8

runs "eight_schools --data" 0 graph models/eight_schools.bm --data models/eight_schools.json
g=$tmp/es.dot
cp "$tmp/out" "$g"
has "$g" 'label="J = 8"' "eight_schools: the plate names its size"
for v in theta_raw theta y sigma; do in_cluster "$g" "J = 8" "$v" "eight_schools"; done
for v in mu tau J; do outside "$g" "$v" "eight_schools"; done
has "$g" 'theta_raw [label="theta_raw\n~\nNormal" shape=ellipse]' "eight_schools"
has "$g" 'theta [label="theta\n~\nDeterministic" shape=box]' "eight_schools"
has "$g" 'y [label="y\n~\nNormal" shape=ellipse style=filled fillcolor=lightgrey]' "eight_schools: data on the left of '~'"
has "$g" 'sigma [label="sigma\n~\nData" shape=box style=rounded]' "eight_schools"
has "$g" 'tau [label="tau\n~\nHalfCauchy" shape=ellipse]' "eight_schools"
for e in "mu -> theta" "tau -> theta" "theta_raw -> theta" "theta -> y" "sigma -> y"; do
    has "$g" "	$e" "eight_schools: edge"
done
edges "$g" 5 "eight_schools"
valid "$g" "eight_schools"

# ---- without its data the model still has a graph, plates named as written

runs "eight_schools without data" 0 graph models/eight_schools.bm
g=$tmp/es_nodata.dot
cp "$tmp/out" "$g"
for v in theta_raw theta y sigma; do in_cluster "$g" "J" "$v" "eight_schools without data"; done
edges "$g" 5 "eight_schools without data"
valid "$g" "eight_schools without data"

# ---- literal vectors: the plate is their length

runs "click_count" 0 graph models/click_count.bm
g=$tmp/cc.dot
cp "$tmp/out" "$g"
for v in click_data_A click_data_B y_A y_B; do in_cluster "$g" "40" "$v" "click_count"; done
has "$g" 'y_A [label="y_A\n~\nPoisson" shape=ellipse style=filled fillcolor=lightgrey]' "click_count"
has "$g" "	click_data_A -> y_A" "click_count: the observed values feed the likelihood"
edges "$g" 6 "click_count"
valid "$g" "click_count"

# ---- loops, matrices, gathers, and a name DOT reserves

cat >"$tmp/loops.bm" <<'EOF'
data N;
data K;
data X[N, K];
data y[N];
data group[N];
G = 3;
beta[K] ~ Normal(0, 1);
alpha[G] ~ Normal(0, 1);
sigma ~ HalfNormal(1);
mu = X @ beta + alpha[group];
y ~ Normal(mu, sigma);
for t in 1:1 { x[t] ~ Normal(0, 1); }
for t in 2:N { x[t] ~ Normal(x[t-1], sigma); }
z[1] = 0;
for t in 2:N { z[t] = z[t-1] + x[t]; }
total = sum(z);
node ~ Normal(0, 1);
unused = 5;
EOF
cat >"$tmp/loops.json" <<'EOF'
{"N": 4, "K": 2, "X": [[1, 2], [3, 4], [5, 6], [7, 8]], "y": [1, 2, 3, 4], "group": [1, 2, 3, 1]}
EOF
runs "loops" 0 graph "$tmp/loops.bm" --data "$tmp/loops.json"
g=$tmp/loops.dot
cp "$tmp/out" "$g"
for v in y group mu x z; do in_cluster "$g" "N = 4" "$v" "loops"; done
in_cluster "$g" "N x K = 4 x 2" X "loops: a matrix"
in_cluster "$g" "K = 2" beta "loops"
in_cluster "$g" "G = 3" alpha "loops: a constant size"
# x and node: nothing in the density needs them, so they are generated
# quantities, drawn per draw (dashed, as PyMC draws its predictive nodes)
has "$g" 'x [label="x\n~\nNormal" shape=ellipse style=dashed]' "loops: a generated quantity element by element"
has "$g" 'beta [label="beta\n~\nNormal" shape=ellipse]' "loops: a parameter"
has "$g" 'z [label="z\n~\nDeterministic" shape=box]' "loops: a value element by element"
has "$g" '"node" [label="node\n~\nNormal" shape=ellipse style=dashed]' "loops: a DOT keyword is quoted"
lacks "$g" "unused" "loops: a constant nothing uses"
lacks "$g" "x -> x" "loops: no edge from a vector to itself"
for e in "X -> mu" "group -> mu" "beta -> mu" "alpha -> mu" "mu -> y" "sigma -> y" "sigma -> x" "x -> z" "z -> total"; do
    has "$g" "	$e" "loops: edge"
done
edges "$g" 9 "loops"
valid "$g" "loops"
runs "loops without data" 0 graph "$tmp/loops.bm"
g=$tmp/loops_nodata.dot
cp "$tmp/out" "$g"
for v in y group mu x z; do in_cluster "$g" "N" "$v" "loops without data"; done
in_cluster "$g" "N x K" X "loops without data"
valid "$g" "loops without data"

# ---- rendering with Graphviz

PATH=/nonexistent "$BMC" graph models/ab.bm --render "$tmp/nodot.png" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ]; then pass; else fail "render with no dot on PATH: exit $rc, expected 1"; fi
has "$tmp/err" "bmc: error: Graphviz's 'dot' is not installed; install it with: apt-get install graphviz" "render with no dot on PATH"
has "$tmp/err" "| dot -Tpng -o" "render with no dot on PATH: how to pipe instead"
if [ -e "$tmp/nodot.png" ]; then fail "render with no dot on PATH: wrote a file"; else pass; fi

if [ $have_dot -eq 1 ]; then
    runs "render svg" 0 graph models/eight_schools.bm --data models/eight_schools.json --render "$tmp/es.svg"
    if grep -q '<svg' "$tmp/es.svg" 2>/dev/null && grep -q 'theta_raw' "$tmp/es.svg"; then pass; else
        fail "render svg: no SVG with the graph in $tmp/es.svg"; fi
    runs "render png" 0 graph models/ab.bm --render "$tmp/ab.png"
    if [ -f "$tmp/ab.png" ] && head -c 8 "$tmp/ab.png" | od -An -c | grep -q 'P   N   G'; then pass; else
        fail "render png: $tmp/ab.png is not a PNG"; fi
    runs "render to a missing directory" 1 graph models/ab.bm --render "$tmp/no/such/dir/ab.svg"
    has "$tmp/err" "failed to write" "render to a missing directory"
else
    echo "note: Graphviz's dot is not installed; rendering and DOT validity not checked"
fi

# ---- bad input

runs "render: unknown format" 2 graph models/ab.bm --render "$tmp/ab.gif"
runs "no model" 2 graph
runs "two models" 2 graph models/ab.bm models/abc.bm
runs "unknown option" 2 graph models/ab.bm --frobnicate
printf 'p ~ Betta(1, 1);\n' >"$tmp/bad.bm"
runs "bad model" 1 graph "$tmp/bad.bm"
has "$tmp/err" "bad.bm:1:5: error: unknown distribution 'Betta'" "bad model"
if [ -s "$tmp/out" ]; then fail "bad model: printed a graph"; else pass; fi
runs "missing file" 1 graph "$tmp/none.bm"

finish
