#!/bin/sh
# test_draw_files.sh -- the CSV files of --output-dir, written as the draws
# are made: the directory checked before sampling, every draw made on disk
# in valid CSV whatever ends the run (SIGTERM, Ctrl-C at random moments, a
# full disk or a file size limit), two runs beside each other, files of an
# earlier run, and the options that shape the files: --thin,
# --save-warmup, --chain-ids, --init FILE.json.
#
# Validity is checked by tests/cli/csv_check.py, which parses each file as
# CmdStan's readers do: the header, every row with its field count and
# numbers, num_samples against the rows.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

check="python3 tests/cli/csv_check.py"

# valid FILES... WHAT: every file parses and its rows are whole.
valid() {
    what=$1
    shift
    if $check "$@" >"$tmp/check" 2>&1; then pass; else fail "$what: $(cat "$tmp/check")"; fi
}

# A model with no shortcut, busy for minutes at 100,000 draws.
printf 'data N;\ndata x[N];\nmu ~ Normal(0, 10);\nx ~ StudentT(3, mu, 1);\n' >"$tmp/slow.bm"
awk 'BEGIN { printf "{\"N\": 200, \"x\": ["; for (i = 0; i < 200; i++) printf "%s%g", (i ? "," : ""), (i % 7) - 3; print "]}" }' >"$tmp/slow.json"
# 300 values a row, drawn exactly: long rows, made fast
printf 'x[300] ~ Normal(0, 1);\ns = sum(x);\n' >"$tmp/mid.bm"

# ---- the directory, before sampling

runs "--output-dir no/such/dir" 5 run "$tmp/slow.bm" --data "$tmp/slow.json" --draws 100000 --output-dir "$tmp/no/such/dir"
expect_err "its parent directory does not exist" "--output-dir no/such/dir: why"
lacks "$tmp/err" "chains x" "--output-dir no/such/dir: found before sampling"
: >"$tmp/plain"
runs "--output-dir a file" 5 run models/ab.bm --output-dir "$tmp/plain"
expect_err "is a file, not a directory" "--output-dir a file"

# ---- whatever ends the run, the draws made are on disk

# SIGTERM through timeout(1), which passes it on twice (to bmc and to its
# group): one request, the run stops and writes its results.  Sent once
# draws are on disk, however slow the build under test.
timeout 600 "$BMC" run "$tmp/mid.bm" --seed 1 --draws 1000000 --output-dir "$tmp/term" >"$tmp/out" 2>"$tmp/err" &
pid=$!
waited=0
while [ "$(cat "$tmp/term/mid_4.csv" 2>/dev/null | grep -vc '^#')" -lt 3 ] && [ $waited -lt 600 ]; do
    sleep 0.1; waited=$((waited + 1))
done
kill -TERM $pid
wait $pid
if grep -q "interrupted: summary of the" "$tmp/err"; then pass; else fail "SIGTERM: no summary: $(tail -3 "$tmp/err")"; fi
valid "SIGTERM mid-run" --stopped "$tmp"/term/mid_*.csv
# read back: each file's own count holds, none is cut short
if runs "bmc summary of a stopped run" 0 summary "$tmp"/term/mid_*.csv --vars s; then
    lacks "$tmp/err" "cut short" "bmc summary of a stopped run: no file cut short"
fi

# Ctrl-C at random moments of a NUTS run: in the warm-up, the sampling, or
# while the results are written.
for k in 1 2 3 4 5; do
    "$BMC" run "$tmp/slow.bm" --data "$tmp/slow.json" --seed $k --tune 300 --draws 2000 --output-dir "$tmp/int$k" \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v k=$k 'BEGIN { srand(k); printf "%.2f", 0.05 + 2 * rand() }')"
    kill -INT $pid 2>/dev/null
    wait $pid
    valid "Ctrl-C at a random moment ($k)" "$tmp"/int$k/slow_*.csv
done

# A file size limit (as a full disk, but in any container): exit 5, the
# file cut back to its last whole row, its header counting the rows.
(trap '' XFSZ; ulimit -f 64; exec "$BMC" run "$tmp/mid.bm" --seed 1 --draws 5000 --output-dir "$tmp/limit") \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc 5 "a file size limit"
expect_err "File too large; the file holds its first" "a file size limit: the message"
valid "a file size limit" --stopped "$tmp"/limit/mid_*.csv
# a real full disk where a tmpfs can be mounted (root, and allowed)
mkdir "$tmp/small"
if mount -t tmpfs -o size=256k tmpfs "$tmp/small" 2>/dev/null; then
    runs "a full disk" 5 run "$tmp/mid.bm" --seed 1 --draws 5000 --output-dir "$tmp/small/out"
    expect_err "No space left on device; the file holds its first" "a full disk: the message"
    valid "a full disk" --stopped "$tmp"/small/out/mid_*.csv
    umount "$tmp/small"
fi

# ---- two runs beside each other

"$BMC" run "$tmp/slow.bm" --data "$tmp/slow.json" --seed 1 --tune 200 --draws 3000 --output-dir "$tmp/two" \
    >/dev/null 2>"$tmp/first.err" &
pid=$!
waited=0
while [ ! -s "$tmp/two/slow_4.csv" ] && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
runs "a second run into the same files" 5 run "$tmp/slow.bm" --data "$tmp/slow.json" --seed 2 --draws 10 \
    --output-dir "$tmp/two"
expect_err "is being written by another run" "a second run: refused"
wait $pid
if [ $? -eq 0 ]; then pass; else fail "the first run: $(tail -3 "$tmp/first.err")"; fi
valid "the first run's files, whole" --rows 3000 "$tmp"/two/slow_*.csv

# Files of an earlier run with more chains stay, and are named.
runs "four chains" 0 run models/ab.bm --seed 1 --output-dir "$tmp/stale"
runs "then two" 0 run models/ab.bm --seed 1 --chains 2 --output-dir "$tmp/stale"
expect_err "warning: $tmp/stale/ab_3.csv, $tmp/stale/ab_4.csv are from an earlier run" "files of an earlier run"

# ---- the options of the files

# --chain-ids: chains 1-2 and 3-4 of two runs are those of one run of 1-4.
runs "--chain-ids: one run" 0 run models/ab.bm --seed 5 --output-dir "$tmp/ids4"
runs "--chain-ids 1" 0 run models/ab.bm --seed 5 --chains 2 --output-dir "$tmp/ids2"
runs "--chain-ids 3" 0 run models/ab.bm --seed 5 --chains 2 --chain-ids 3 --output-dir "$tmp/ids2"
for c in 1 2 3 4; do
    grep -v '^#' "$tmp/ids4/ab_$c.csv" >"$tmp/a" 2>/dev/null
    grep -v '^#' "$tmp/ids2/ab_$c.csv" >"$tmp/b" 2>/dev/null
    if [ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"; then pass; else fail "--chain-ids: chain $c differs"; fi
done
has "$tmp/ids2/ab_3.csv" "# id = 3" "--chain-ids: the id in the file"

# --thin 10 keeps every 10th draw of the same chains; --save-warmup adds
# the warm-up's (thinned alike) before the adaptation, and leaves the kept
# draws, generated quantities too, as they were.
printf 'p ~ Beta(1, 1);\ny ~ Binomial(100, p) observed 30;\ny_new ~ Binomial(100, p);\n' >"$tmp/gq.bm"
runs "all draws" 0 run "$tmp/gq.bm" --sampler nuts --seed 3 --output-dir "$tmp/all"
if runs "--thin 10 --save-warmup" 0 run "$tmp/gq.bm" --sampler nuts --seed 3 --thin 10 --save-warmup --output-dir "$tmp/thin"; then
    expect_err "1000 tune, 1 in 10 kept" "--thin: the run line"
    pycheck "--thin 10 --save-warmup: the rows" "$tmp/all/gq_1.csv" "$tmp/thin/gq_1.csv" <<'EOF'
import sys
def parts(path):
    lines = open(path).read().splitlines()
    rows = [l for l in lines if not l.startswith("#")][1:]
    adapt = next(i for i, l in enumerate(lines) if l.startswith("# Adaptation terminated"))
    header = next(i for i, l in enumerate(lines) if not l.startswith("#"))
    return lines, rows, adapt - header - 1
_, every, _ = parts(sys.argv[1])
lines, thinned, warm = parts(sys.argv[2])
if warm != 100: print(warm, "warm-up rows before the adaptation, not 100")
if thinned[warm:] != every[::10]: print("the kept rows are not every 10th of the run's")
for key in ("#     thin = 10", "#     save_warmup = 1", "#     num_samples = 1000", "#     num_warmup = 1000"):
    if key not in lines: print("no", key)
EOF
    # read back, the warm-up skipped: the run's own summary
    cp "$tmp/out" "$tmp/thin.table"
    if runs "bmc summary of --thin --save-warmup files" 0 summary "$tmp"/thin/gq_*.csv; then
        if [ "$(sed -n 2p "$tmp/out")" = "$(sed -n 2p "$tmp/thin.table")" ]; then pass
        else fail "bmc summary of thinned files: '$(sed -n 2p "$tmp/out")' against '$(sed -n 2p "$tmp/thin.table")'"; fi
    fi
fi

# --init FILE.json: one object for every chain, or a list of one each:
# the same chains as the values given on the command line.
rows_of() { grep -v '^#' "$1"; }
printf '{"p_A": 0.9, "p_B": 0.01}\n' >"$tmp/init1.json"
printf '[{"p_A": 0.9}, {"p_A": 0.01, "p_B": 0.99}]\n' >"$tmp/init2.json"
short="--seed 1 --chains 2 --tune 0 --draws 5"
runs "--init FILE, one object" 0 run models/ab.bm --sampler nuts $short --init "$tmp/init1.json" --output-dir "$tmp/init1"
runs "--init a=v, the same values" 0 run models/ab.bm --sampler nuts $short --init p_A=0.9,p_B=0.01 --output-dir "$tmp/init1v"
runs "--init FILE, a list" 0 run models/ab.bm --sampler nuts $short --init "$tmp/init2.json" --output-dir "$tmp/init2"
runs "--init a=v, the list's first" 0 run models/ab.bm --sampler nuts $short --init p_A=0.9 --output-dir "$tmp/init2a"
runs "--init a=v, the list's second" 0 run models/ab.bm --sampler nuts $short --init p_A=0.01,p_B=0.99 --output-dir "$tmp/init2b"
for pair in "init1/ab_1 init1v/ab_1" "init1/ab_2 init1v/ab_2" "init2/ab_1 init2a/ab_1" "init2/ab_2 init2b/ab_2"; do
    set -- $pair
    if [ -f "$tmp/$1.csv" ] && [ "$(rows_of "$tmp/$1.csv")" = "$(rows_of "$tmp/$2.csv")" ]; then pass
    else fail "--init FILE: $1 is not $2"; fi
done
# and the values matter: the list's chain 2 is not the object's
if [ "$(rows_of "$tmp/init2/ab_2.csv")" != "$(rows_of "$tmp/init1/ab_2.csv")" ]; then pass
else fail "--init FILE: chain 2 of a list started where the object put it"; fi
runs "--init FILE, a list too short" 1 run models/ab.bm --sampler nuts --seed 1 --init "$tmp/init2.json"
expect_err "a list of 2 sets of initial values for 4 chains" "--init FILE, a list too short"
printf '{"p_A": 1.5}\n' >"$tmp/init3.json"
runs "--init FILE outside the support" 1 run models/ab.bm --sampler nuts --init "$tmp/init3.json"
expect_err "init3.json: error: p_A = 1.5 is outside the support of its prior Beta: (0, 1)" "--init FILE, support"
printf '{"p_A": 0.3,\n' >"$tmp/init4.json"
runs "--init FILE, bad JSON" 1 run models/ab.bm --sampler nuts --init "$tmp/init4.json"
expect_err "init4.json:2: error: invalid JSON" "--init FILE, bad JSON"
runs "--init, no such file" 1 run models/ab.bm --sampler nuts --init "$tmp/nosuch.json"
expect_err "nosuch.json: error: cannot open" "--init, no such file"
runs "--save-warmup without files" 2 run models/ab.bm --save-warmup
expect_err "give --output-dir" "--save-warmup without --output-dir"

finish
