#!/bin/sh
# test_simulate.sh -- `bmc simulate`: one fake data set that fits back.
#
#   1. round trips: an A/B test (Binomial) and a Poisson model simulated at
#      given values, then fitted by `bmc run --data` the file (exit 0);
#   2. the file: the model's data names in order, their shapes, integers
#      for counts and reals otherwise, values at the ones given (vectors,
#      elements, element by element in loops, the others from the prior);
#   3. the errors: not a parameter (with the likely one), data or computed
#      names, a value outside its support, nothing to simulate, an improper
#      prior not given a value, missing data, values of the simulated data
#      used, elements left undrawn, and an --output that cannot be written;
#   4. reproducible: the same seed, the same file; another seed, another.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last and
# exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
bmc_timeout=20

ab=models/ab_simulate.bm
poisson=tests/simulate/poisson.bm

# ---- 1. round trips

# Rates at the ends of (0, 1) pin the counts: 1000 visitors buy at 0.999999
# (all of them but with odds of 1 in 1000) and none at 1e-6; drawn from
# the uniform prior instead, 1000 and 0 would each come once in 1001.
runs "simulate A/B" 0 simulate "$ab" -D trials=1000 p_A=0.999999 p_B=1e-6 --seed 3 --output "$tmp/ab.json"
expect_empty "$tmp/out" "simulate --output: nothing on stdout"
expect_err "bmc: simulated y_A, y_B with seed 3 from the values given" "simulate A/B: the line on stderr"
pycheck "simulate A/B: the data file" "$tmp/ab.json" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
d = json.loads(text)
if list(d) != ["trials", "y_A", "y_B"]: print("names", list(d)); sys.exit()
if d != {"trials": 1000, "y_A": 1000, "y_B": 0}: print("values", d); sys.exit()
if any(type(v) is not int for v in d.values()): print("not integers", text)
EOF
runs "A/B fitted back" 0 run "$ab" --data "$tmp/ab.json" --seed 1 --format json
pycheck "A/B fit: p_A near 1, p_B near 0" "$tmp/out" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))["variables"]
# Beta(1001, 1) and Beta(1, 1001): means 1001/1002 and 1/1002
if abs(v["p_A"]["mean"] - 1001 / 1002) > 0.001 or abs(v["p_B"]["mean"] - 1 / 1002) > 0.001: print(v)
EOF

# N = 400 counts at a rate of 3: their mean is within 0.35 of it (4 sd)
runs "simulate Poisson" 0 simulate "$poisson" -D N=400 lambda=3 --seed 5
cp "$tmp/out" "$tmp/poisson.json"
pycheck "simulate Poisson: the data file" "$tmp/poisson.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
if list(d) != ["N", "y"] or d["N"] != 400: print(list(d), d.get("N")); sys.exit()
y = d["y"]
if len(y) != 400 or any(type(v) is not int or v < 0 for v in y): print("y", y[:10]); sys.exit()
if abs(sum(y) / 400 - 3) > 0.35: print("mean", sum(y) / 400)
EOF
runs "Poisson fitted back" 0 run "$poisson" --data "$tmp/poisson.json" --seed 1

# lambda drawn from its prior Exponential(0.5), and said on stderr
runs "simulate Poisson from the prior" 0 simulate "$poisson" -D N=3 --seed 5
if grep -Eq '^bmc: simulated y with seed 5 from lambda = [0-9.e+-]+$' "$tmp/err"; then pass; else
    fail "simulate from the prior: the line on stderr"; show "$tmp/err"; fi

# ---- 2. shapes, vectors, elements, reals

cat >"$tmp/groups.bm" <<'EOF'
data J;
data K;
data extra_unused;
data y[J];
mu ~ Normal(0, 5);
theta[J] ~ Normal(mu, 1);
y ~ Normal(theta, 0.001);
for k in 1:K {
  z[k] ~ Normal(phi[k], 0.001);
  phi[k] ~ Normal(0, 1);
}
data z[K];
EOF
set -f
# y is theta within 0.001: theta[2] set, theta[1] and [3] drawn; phi whole
# (the file's J = 8 and y of 8 elements give way: -D J=3 comes later, y is drawn)
runs "a vector's element" 0 simulate "$tmp/groups.bm" --data models/eight_schools.json -D J=3 -D K=2 -D extra_unused=7 \
    'theta[2]=10' 'phi=[-4, 4]' --seed 2 --output -
set +f
pycheck "elements set and drawn" "$tmp/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
if list(d) != ["J", "K", "extra_unused", "y", "z"]: print("names", list(d)); sys.exit()
y, z = d["y"], d["z"]
if len(y) != 3 or len(z) != 2 or any(type(v) is not float for v in y + z): print(y, z); sys.exit()
if abs(y[1] - 10) > 0.01 or abs(z[0] + 4) > 0.01 or abs(z[1] - 4) > 0.01: print(y, z); sys.exit()
# theta[1] and theta[3] come from Normal(mu, 1): not 10, nor equal
if abs(y[0] - 10) < 0.5 or abs(y[2] - 10) < 0.5 or abs(y[0] - y[2]) < 1e-6: print(y)
EOF
# the names in the file that the model does not declare are left out (eight_schools' sigma)
lacks "$tmp/out" sigma "names the model does not declare"
has "$tmp/err" "from mu = " "the values drawn on stderr"

set -f
runs "a vector whole" 0 simulate "$tmp/groups.bm" -D J=3 -D K=2 -D extra_unused=0 'theta=[1, 2, 3]' 'phi[1]=5' mu=0
set +f
pycheck "a vector whole" "$tmp/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
if any(abs(a - b) > 0.01 for a, b in zip(d["y"], [1, 2, 3])) or abs(d["z"][0] - 5) > 0.01: print(d)
EOF

# ---- 3. errors

runs "not a parameter" 1 simulate "$poisson" -D N=3 lamda=2
expect_err "bmc: error: 'lamda' is not a parameter of the model" "not a parameter"
expect_err "note: did you mean 'lambda'?" "not a parameter: the likely one"
runs "data" 1 simulate "$poisson" -D N=3 N=4
expect_err "'N' is data; give it with --data or -D" "data named"
runs "the simulated data" 1 simulate "$poisson" -D N=3 'y=[1, 2, 3]'
expect_err "'y' is the data bmc simulate draws: it cannot be given a value" "simulated data named"
runs "a computed quantity" 1 simulate "$ab" -D trials=10 diff=0.1
expect_err "'diff' is computed from the parameters; give the parameters" "computed quantity named"
runs "outside the support" 1 simulate "$poisson" -D N=3 lambda=-1
expect_err "bmc: error: lambda = -1 is outside the support of its prior Exponential: (0, inf)" "outside the support"
runs "outside the support, Beta" 1 simulate "$ab" -D trials=10 p_A=1.5
expect_err "p_A = 1.5 is outside the support of its prior Beta: (0, 1)" "outside the support, Beta"
set -f
runs "a vector too short" 1 simulate "$tmp/groups.bm" -D J=3 -D K=2 -D extra_unused=0 'theta=[1, 2]'
set +f
expect_err "'theta' has 3 elements, but 2 values are given" "a vector too short"

runs "nothing to simulate" 1 simulate models/ab.bm
expect_err "models/ab.bm: error: nothing to simulate: the model observes no data-declared names" "nothing to simulate"
expect_err "note: declare the observed data with 'data y[N];' and model them with '~'" "nothing to simulate: note"

cat >"$tmp/flat.bm" <<'EOF'
data N;
data y[N];
mu ~ Flat();
y ~ Normal(mu, 1);
EOF
runs "an improper prior" 1 simulate "$tmp/flat.bm" -D N=2
expect_err "flat.bm:3:1: error: 'mu' has an improper prior (Flat), which cannot be drawn from" "an improper prior"
expect_err "note: give it a value: bmc simulate $tmp/flat.bm mu=VALUE" "an improper prior: note"
runs "an improper prior given a value" 0 simulate "$tmp/flat.bm" -D N=2 mu=5

runs "missing data for a size" 1 simulate "$poisson" lambda=1
expect_err "poisson.bm:3:6: error: no value for data 'N'" "missing data"

cat >"$tmp/uses.bm" <<'EOF'
data N;
data y[N];
mu ~ Normal(mean(y), 1);
y ~ Normal(mu, 1);
EOF
runs "the simulated data used" 1 simulate "$tmp/uses.bm" -D N=2 -D 'y=[1, 2]'
expect_err "uses.bm:3:18: error: 'y' is simulated, so its values cannot be read here" "the simulated data used"

cat >"$tmp/gap.bm" <<'EOF'
data N;
data y[N];
mu ~ Normal(0, 1);
for i in 1:N - 1 { y[i] ~ Normal(mu, 1); }
EOF
runs "an element left undrawn" 1 simulate "$tmp/gap.bm" -D N=3 --output "$tmp/gap.json"
expect_err "gap.bm: error: no value was drawn for 'y[3]'" "an element left undrawn"
if [ -e "$tmp/gap.json" ]; then fail "a failed simulation wrote its --output file"; else pass; fi

cat >"$tmp/bounds.bm" <<'EOF'
data N;
data y[N];
a ~ Exponential(1);
x ~ Uniform(0, a);
y ~ Normal(x, 1);
EOF
runs "bounds drawn" 1 simulate "$tmp/bounds.bm" -D N=2 x=0.5
expect_err "'x': the bounds of its prior depend on values drawn from their priors" "bounds drawn"
runs "bounds given" 0 simulate "$tmp/bounds.bm" -D N=2 x=0.5 a=1
runs "outside bounds given" 1 simulate "$tmp/bounds.bm" -D N=2 x=2 a=1
expect_err "x = 2 is outside the support of its prior Uniform: (lower, upper)" "outside bounds given"
expect_err "note: here lower = 0 and upper = 1" "outside bounds given: the bounds"

cat >"$tmp/scalar.bm" <<'EOF'
data y;
mu ~ Normal(0, 1);
y ~ Normal([mu, mu, 0], 1);
EOF
printf 'data y;\nmu ~ Normal(0, 1);\nnu ~ Normal(10, 1);\ny ~ Normal(mu, 1);\ny ~ Normal(nu, 1);\n' >"$tmp/twice.bm"
runs "two terms on one value" 1 simulate "$tmp/twice.bm"
expect_err "error: a second '~' on values of 'y'" "two terms on one value"
runs "a shape to declare" 1 simulate "$tmp/scalar.bm"
expect_err "error: the values drawn are a scalar, but Normal's arguments have 3 elements" "a shape to declare"

runs "an output that cannot be written" 5 simulate "$poisson" -D N=3 --output "$tmp/no/such/dir.json"
expect_err "bmc: error: cannot write '$tmp/no/such/dir.json'" "an output that cannot be written"
# A file too large to write (a full disk, as a file size limit makes it:
# the write fails with EFBIG once past 1 block, SIGXFSZ ignored) leaves an
# earlier file of that name as it was, and no temporary file beside it.
runs "a first data set" 0 simulate "$poisson" -D N=3 --seed 1 --output "$tmp/keep.json"
cp "$tmp/keep.json" "$tmp/keep.before"
(trap '' XFSZ; ulimit -f 1; exec "$BMC" simulate "$poisson" -D N=20000 --seed 2 --output "$tmp/keep.json") \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 5 "an output too large for the disk"
expect_err "bmc: error: cannot write '$tmp/keep.json': File too large" "an output too large for the disk: why"
if cmp -s "$tmp/keep.json" "$tmp/keep.before"; then pass; else fail "a failed write changed the file before it"; fi
left=$(find "$tmp" -name 'keep.json?*' | head -n 1)
if [ -z "$left" ]; then pass; else fail "a failed write left $left"; fi
# A FIFO (as a device, /dev/stdout) is written in place: a file renamed
# over it would take its name.  A symbolic link keeps pointing at the file
# it names, which is the one replaced.
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" >"$tmp/fifo.out" &
reader=$!
runs "an output to a FIFO" 0 simulate "$poisson" -D N=3 --seed 1 --output "$tmp/fifo"
wait $reader
if [ -p "$tmp/fifo" ]; then pass; else fail "an output to a FIFO: a file took its place"; fi
has "$tmp/fifo.out" '"N": 3' "an output to a FIFO: the data through it"
printf '{}\n' >"$tmp/target.json"
ln -s target.json "$tmp/link.json"
runs "an output through a symbolic link" 0 simulate "$poisson" -D N=3 --seed 1 --output "$tmp/link.json"
if [ -L "$tmp/link.json" ]; then pass; else fail "an output through a symbolic link: a file took its place"; fi
has "$tmp/target.json" '"N": 3' "an output through a symbolic link: the file it names"
# Ctrl-C while the file is written (its temporary file is there) lets it be
# written whole, then exits 130, with nothing left beside it.
pycheck "Ctrl-C while the file is written" "$BMC" "$poisson" "$tmp/late.json" <<'EOF'
import glob, json, signal, subprocess, sys, time
bmc, model, out = sys.argv[1:4]
p = subprocess.Popen([bmc, "simulate", model, "-D", "N=1000000", "--seed", "1", "--output", out],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
t0 = time.time()
while not glob.glob(out + ".*.tmp") and p.poll() is None and time.time() - t0 < 60:
    time.sleep(0.001)
p.send_signal(signal.SIGINT)
err = p.communicate()[1].decode()
if p.returncode != 130: print("exit", p.returncode, err[-300:])
if "they are complete" not in err: print("stderr:", err[-300:])
left = glob.glob(out + ".*")
if left: print("left behind:", left)
try:
    if len(json.load(open(out))["y"]) != 1000000: print("not the whole data set")
except (OSError, ValueError) as e:
    print("no data file:", e)
EOF
if [ -w /dev/full ]; then   # standard output on a full disk
    "$BMC" simulate "$poisson" -D N=3 >/dev/full 2>"$tmp/err"
    rc=$?
    expect_rc 5 "standard output on a full disk"
    expect_err "bmc: error: cannot write standard output: No space left on device" "standard output on a full disk: why"
fi
runs "--output without a file" 2 simulate "$poisson" -D N=3 --output=
runs "no model" 2 simulate
runs "an unknown option" 2 simulate "$poisson" --seeds 3
expect_err "did you mean '--seed'?" "an unknown option: the likely one"
runs "a bad seed" 2 simulate "$poisson" -D N=3 --seed -1

# ---- 4. reproducible

bmc simulate "$poisson" -D N=50 --seed 11; cp "$tmp/out" "$tmp/s11a"
bmc simulate "$poisson" -D N=50 --seed 11; cp "$tmp/out" "$tmp/s11b"
bmc simulate "$poisson" -D N=50 --seed 12; cp "$tmp/out" "$tmp/s12"
if [ -s "$tmp/s11a" ] && cmp -s "$tmp/s11a" "$tmp/s11b"; then pass; else fail "the same seed gave different files"; fi
if cmp -s "$tmp/s11a" "$tmp/s12"; then fail "seeds 11 and 12 gave the same file"; else pass; fi

# values may come before the model as well as after it: the same file
bmc simulate "$poisson" -D N=50 lambda=2 --seed 11; cp "$tmp/out" "$tmp/after"
bmc simulate lambda=2 "$poisson" -D N=50 --seed 11; cp "$tmp/out" "$tmp/before"
if [ "$rc" -eq 0 ] && [ -s "$tmp/after" ] && cmp -s "$tmp/after" "$tmp/before"; then pass
else fail "a value before the model: exit $rc, or a different file"; show "$tmp/err"; fi

finish
