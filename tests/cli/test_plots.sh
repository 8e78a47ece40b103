#!/bin/sh
# test_plots.sh -- the pictures of what a run predicts, end to end:
# `bmc run --plot FILE --plot-kind ppc` (posterior predictive checks) and
# `--plot-kind prior` (each prior against its posterior) write valid PNG
# and SVG files for the tutorial's models, and refuse what they cannot draw.
#
# A PNG is valid when Python reads its chunks with their CRCs (the header
# 1000 pixels wide, the image data inflating); an SVG when it parses as XML
# with an <svg> root.  What a picture shows is counted in its SVG: cairo
# writes each stroke as a path with its style, so a ppc's replicated data
# sets are its strokes at their opacity (0.3), and a prior plot's priors
# its strokes dashed 7,4.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# Fontconfig, under cairo, keeps its caches to the end of the process; with
# the sanitizers, LeakSanitizer must not count them against bmc.
printf 'leak:libfontconfig.so\n' >"$tmp/lsan.supp"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$tmp/lsan.supp"
export LSAN_OPTIONS

valid_png() {   # valid_png WHAT FILE
    pycheck "$1" "$2" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    print('no PNG signature'); sys.exit()
at, idat, chunks = 8, b'', []
while at < len(data):
    n, kind = struct.unpack('>I4s', data[at:at + 8])
    body = data[at + 8:at + 8 + n]
    crc, = struct.unpack('>I', data[at + 8 + n:at + 12 + n])
    if zlib.crc32(kind + body) != crc:
        print('bad CRC in', kind); sys.exit()
    chunks.append(kind)
    if kind == b'IDAT': idat += body
    at += 12 + n
if chunks[0] != b'IHDR' or chunks[-1] != b'IEND':
    print('chunks', chunks); sys.exit()
w, h = struct.unpack('>II', data[16:24])
if w != 1000 or h < 200:
    print('size', w, h); sys.exit()
zlib.decompress(idat)
EOF
}

valid_svg() {   # valid_svg WHAT FILE
    pycheck "$1" "$2" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
if not root.tag.endswith('svg'):
    print('root', root.tag)
EOF
}

# count_in FILE TEXT: how many times TEXT is in FILE
count_in() { grep -o -- "$2" "$1" | wc -l | tr -d ' '; }

# expect_count WHAT FILE TEXT N
expect_count() {
    got=$(count_in "$2" "$3")
    if [ "$got" -eq "$4" ]; then pass; else fail "$1: '$3' $got times in $(basename "$2"), expected $4"; fi
}

quick="--seed 1 --draws 200 --tune 300"

# ---- ppc: implied --predict, every format

for m in click_count ab; do
    runs "$m ppc png" 0 run models/$m.bm $quick --plot "$tmp/$m-ppc.png" --plot-kind ppc
    valid_png "$m ppc png" "$tmp/$m-ppc.png"
    # the replicates were drawn without --predict: the table has their check
    has "$tmp/out" "posterior predictive check" "$m ppc implies --predict"
    runs "$m ppc svg" 0 run models/$m.bm $quick --plot "$tmp/$m-ppc.svg" --plot-kind ppc --predict
    valid_svg "$m ppc svg" "$tmp/$m-ppc.svg"
done
# click_count's two vectors of 40 counts: 50 of the 800 replicated data
# sets each; ab's two scalars: a histogram each, no such lines
expect_count "click_count ppc sets" "$tmp/click_count-ppc.svg" "stroke-opacity:0.3;" 100
expect_count "ab ppc sets" "$tmp/ab-ppc.svg" "stroke-opacity:0.3;" 0
has "$tmp/click_count-ppc.svg" "<svg" "click_count ppc svg"
runs "ppc pdf" 0 run models/ab.bm $quick --plot "$tmp/ab-ppc.pdf" --plot-kind ppc
if head -c 4 "$tmp/ab-ppc.pdf" | grep -q '%PDF'; then pass; else fail "ppc pdf: not a PDF"; fi

# --vars naming one replicate picks its quantity; naming none, all of them
runs "ppc --vars y_B_rep" 0 run models/click_count.bm $quick --plot "$tmp/b.svg" --plot-kind ppc --vars y_B_rep
expect_count "ppc --vars y_B_rep" "$tmp/b.svg" "stroke-opacity:0.3;" 50
runs "ppc --vars lambda_A" 0 run models/click_count.bm $quick --plot "$tmp/l.svg" --plot-kind ppc --vars lambda_A
expect_count "ppc --vars lambda_A" "$tmp/l.svg" "stroke-opacity:0.3;" 100

# ---- prior: a second run for the priors

for m in click_count ab; do
    runs "$m prior png" 0 run models/$m.bm $quick --plot "$tmp/$m-prior.png" --plot-kind prior
    valid_png "$m prior png" "$tmp/$m-prior.png"
    runs "$m prior svg" 0 run models/$m.bm $quick --plot "$tmp/$m-prior.svg" --plot-kind prior
    valid_svg "$m prior svg" "$tmp/$m-prior.svg"
    # the prior run prints nothing of its own: one table, one run line
    expect_count "$m prior: one run line" "$tmp/err" "chains x" 1
done
# click_count: lambda_A, lambda_B, diff_rate, each over its dashed prior;
# ab: p_A, p_B, diff dashed, b_wins (0/1) as bars
expect_count "click_count priors" "$tmp/click_count-prior.svg" "stroke-dasharray:7,4;" 3
expect_count "ab priors" "$tmp/ab-prior.svg" "stroke-dasharray:7,4;" 3
runs "prior with --predict" 0 run models/click_count.bm $quick --predict --plot "$tmp/p.svg" --plot-kind prior
expect_count "prior with --predict: no replicate panels" "$tmp/p.svg" "stroke-dasharray:7,4;" 3

# the same seed gives the same picture
runs "prior again" 0 run models/ab.bm $quick --plot "$tmp/again.svg" --plot-kind prior
if cmp -s "$tmp/ab-prior.svg" "$tmp/again.svg"; then pass; else fail "prior: two runs with seed 1 differ"; fi

# an improper prior: no prior run, the posteriors alone, said
printf 'mu ~ Flat();\ns ~ HalfNormal(1);\ny ~ Normal(mu, s) observed [1.0, 2.0, 3.5];\n' >"$tmp/flat.bm"
runs "Flat prior" 0 run "$tmp/flat.bm" $quick --plot "$tmp/flat.svg" --plot-kind prior
expect_err "warning: --plot-kind prior draws no prior curves: a prior run cannot draw the improper prior of mu (Flat)" \
    "Flat prior"
valid_svg "Flat prior svg" "$tmp/flat.svg"
expect_count "Flat prior: no prior curve" "$tmp/flat.svg" "stroke-dasharray:7,4;" 0
runs "Flat prior png" 0 run "$tmp/flat.bm" $quick --plot "$tmp/flat.png" --plot-kind prior
valid_png "Flat prior png" "$tmp/flat.png"

# ---- what cannot be drawn: refused before sampling, no file

printf 'mu ~ Normal(0, 1);\n' >"$tmp/nodata.bm"
runs "ppc without data" 2 run "$tmp/nodata.bm" $quick --plot "$tmp/n.png" --plot-kind ppc
expect_err "--plot-kind ppc checks the model's observed data, and $tmp/nodata.bm observes none" "ppc without data"
[ -e "$tmp/n.png" ] && fail "ppc without data: a file was written" || pass
if grep -q 'chains x' "$tmp/err"; then fail "ppc without data: it was sampled"; else pass; fi
runs "ppc with --prior" 2 run models/ab.bm --prior --plot "$tmp/n.png" --plot-kind ppc
expect_err "--plot-kind ppc checks the posterior's replicates: it does not go with --prior" "ppc with --prior"
runs "prior with --prior" 2 run models/ab.bm --prior --plot "$tmp/n.png" --plot-kind prior
expect_err "--plot-kind prior sets the priors against the posterior: leave out --prior" "prior with --prior"
runs "unknown kind" 2 run models/ab.bm --plot "$tmp/n.png" --plot-kind pcc
expect_err "--plot-kind is trace, posterior, forest, ppc or prior, not 'pcc'" "unknown kind"
runs "compare --plot-kind" 2 compare models/ab.bm models/ab_informative.bm --plot "$tmp/n.png" --plot-kind ppc
[ -e "$tmp/n.png" ] && fail "refused plots: a file was written" || pass

# a file that cannot be written: the run's results stand, exit 1
runs "ppc to a missing directory" 5 run models/ab.bm $quick --plot "$tmp/none/x.png" --plot-kind ppc
expect_err "cannot write '$tmp/none/x.png'" "ppc to a missing directory"
runs "prior to a missing directory" 5 run models/ab.bm $quick --plot "$tmp/none/x.png" --plot-kind prior
expect_err "cannot write '$tmp/none/x.png'" "prior to a missing directory"

finish
