#!/bin/sh
# test_garbage.sh -- bmc check never crashes or hangs, whatever it reads:
# random bytes, every model cut short, random token soup and models with
# random edits.  Each run must exit 0 or 1 within 10 s and print no
# sanitizer report.  The inputs are pseudo-random from fixed seeds, so a
# failure reproduces; the failing input is kept in the message.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
bmc_timeout=10
LC_ALL=C
export LC_ALL
mkdir "$tmp/in"

# ---- the inputs

# random bytes, 40 files of up to 300 bytes
awk -v dir="$tmp/in" 'BEGIN {
    srand(7)
    for (f = 0; f < 40; f++) {
        out = dir "/bytes" f ".bm"; n = int(rand() * 300)
        for (i = 0; i < n; i++) printf "%c", 1 + int(rand() * 255) > out
        close(out)
    }
}'

# token soup, 60 files of up to 80 tokens
awk -v dir="$tmp/in" 'BEGIN {
    srand(11)
    n = split("p q x y N theta i ~ = ; ( ) [ ] { } , : + - * / ^ @ < > <= >= == != && || ! data observed for in " \
              "1 0 -1 2.5 1e308 1e999 3 1000000000 Beta Normal Binomial Poisson Uniform Flat HalfFlat StudentT " \
              "Gamma Bernoulli exp log sum mean sd dot length min alpha beta mu sigma n # \" . $ pm.Beta", tok, " ")
    for (f = 0; f < 60; f++) {
        out = dir "/soup" f ".bm"; m = int(rand() * 80)
        for (i = 0; i < m; i++) printf "%s%s", tok[1 + int(rand() * n)], rand() < 0.1 ? "\n" : " " > out
        close(out)
    }
}'

# every model cut short at 8 places, and with 8 random edits each
k=0
for m in models/*.bm; do
    size=$(wc -c < "$m")
    for cut in 1 2 3 4 5 6 7 8; do
        head -c $((size * cut / 9)) "$m" >"$tmp/in/cut$k-$cut.bm"
    done
    awk -v dir="$tmp/in" -v k="$k" -v seed="$k" '
        { text = text $0 "\n" }
        END {
            srand(100 + seed)
            n = split("( ) [ ] { } ; ~ = , 0 -1 1e9 [1,2] [[1,2],[3,4]] observed for data p N", ins, " ")
            for (e = 0; e < 8; e++) {
                t = text
                for (r = 0; r < 1 + int(rand() * 4); r++) {
                    at = 1 + int(rand() * length(t))
                    if (rand() < 0.5) t = substr(t, 1, at - 1) substr(t, at + 1 + int(rand() * 8))
                    else t = substr(t, 1, at - 1) " " ins[1 + int(rand() * n)] " " substr(t, at)
                }
                out = dir "/edit" k "-" e ".bm"
                printf "%s", t > out
                close(out)
            }
        }' "$m"
    k=$((k + 1))
done

# ---- the runs

for f in "$tmp"/in/*.bm; do
    bmc check "$f"
    if [ $rc -gt 1 ] || grep -q 'Sanitizer\|runtime error' "$tmp/err"; then
        fail "bmc check $(basename "$f"): exit $rc"
        head -n 5 "$tmp/err" | sed 's/^/    /'
        echo "    input (od -c):"; od -c "$f" | head -n 10 | sed 's/^/    /'
    else
        pass
    fi
done

finish garbage
