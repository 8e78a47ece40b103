#!/bin/sh
# check-summary.sh -- `bmc summary` of files rstan writes now: make.R
# (tests/fixtures/summary) samples with rstan into a scratch directory and
# summarises the same draws with posterior; bmc summary of those files
# must give posterior's figures (compare.py).  The fixtures kept beside
# make.R are the same check, frozen, for machines without R.
#
# Usage: BMC=./bmc sh tests/interop/check-summary.sh   (from anywhere)
# Needs Rscript with rstan and posterior; skips, saying so, without them.
BMC=${BMC:-./bmc}
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"

if ! Rscript -e 'quit(status = !(requireNamespace("rstan", quietly = TRUE) && requireNamespace("posterior", quietly = TRUE)))' \
        >/dev/null 2>&1; then
    echo "check-summary: Rscript with rstan and posterior is not installed (apt-get install r-cran-rstan r-cran-posterior); skipped"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
fx=tests/fixtures/summary
if Rscript "$fx/make.R" "$tmp" >"$tmp/R.log" 2>&1; then pass; else fail "make.R"; show "$tmp/R.log"; fi
runs "bmc summary of rstan's files" 0 summary "$tmp/ab_rstan_1.csv" "$tmp/ab_rstan_2.csv" "$tmp/ab_rstan_3.csv" \
    "$tmp/ab_rstan_4.csv" --format json
pycheck "bmc summary = posterior" "$tmp/out" "$tmp/ab_rstan.reference.csv" 4 300 300 20240601 <"$fx/compare.py"
finish check-summary
