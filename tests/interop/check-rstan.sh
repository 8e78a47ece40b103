#!/bin/sh
# check-rstan.sh -- the CmdStan CSV files that `bmc run --output-dir`
# writes, read by rstan's read_stan_csv: every chain and draw arrives, the
# sampler columns are where rstan looks for them, vector elements get
# rstan's names (theta.1 -> theta[1]), and rstan's means of every quantity
# equal the means bmc reports in its JSON summary.
#
# Usage: BMC=./bmc sh tests/interop/check-rstan.sh   (from anywhere)
# Needs Rscript with rstan (Debian: r-cran-rstan) and jsonlite; skips,
# saying so, when they are missing.  Prints "N passed, N failed" last and
# exits non-zero when anything failed.
BMC=${BMC:-./bmc}
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/../cli/lib.sh"

if ! Rscript -e 'quit(status = !(requireNamespace("rstan", quietly = TRUE) && requireNamespace("jsonlite", quietly = TRUE)))' \
        >/dev/null 2>&1; then
    echo "check-rstan: Rscript with rstan and jsonlite is not installed (apt-get install r-cran-rstan); skipped"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi

# check MODEL [ARGS...]: samples MODEL into $tmp/NAME/ and compares.
check() {
    model=$1
    shift
    name=$(basename "$model" .bm)
    if ! "$BMC" run "$model" "$@" --seed 1 --format json --output-dir "$tmp/$name" >"$tmp/$name.json" 2>"$tmp/$name.err"; then
        fail "$model: bmc run failed: $(head -3 "$tmp/$name.err")"
        return
    fi
    if msg=$(Rscript - "$tmp/$name" "$name" "$tmp/$name.json" 2>&1 <<'REOF'
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(rstan))
files <- Sys.glob(file.path(args[1], paste0(args[2], "_*.csv")))
fit <- rstan::read_stan_csv(files)
doc <- jsonlite::fromJSON(args[3], simplifyVector = FALSE)
problems <- character(0)
if (length(files) != doc$sampler$chains) problems <- c(problems, "file count")
draws <- as.array(fit)                    # iterations x chains x quantities
if (dim(draws)[1] != doc$sampler$draws || dim(draws)[2] != doc$sampler$chains)
    problems <- c(problems, sprintf("rstan read %d draws x %d chains", dim(draws)[1], dim(draws)[2]))
# every quantity bmc reports, under the same name, with the same mean
# (the CSV keeps 9 significant digits)
for (v in names(doc$variables)) {
    if (!(v %in% dimnames(draws)[[3]])) { problems <- c(problems, paste("rstan has no", v)); next }
    m <- mean(draws[, , v])
    want <- doc$variables[[v]]$mean
    if (abs(m - want) > 1e-6 * max(1, abs(want)))
        problems <- c(problems, sprintf("%s: rstan mean %.9g, bmc %.9g", v, m, want))
}
# the sampler's columns: divergences as bmc counted them, step sizes > 0
sp <- rstan::get_sampler_params(fit, inc_warmup = FALSE)
div <- sum(sapply(sp, function(x) sum(x[, "divergent__"])))
if (div != doc$sampler$divergences) problems <- c(problems, sprintf("divergent__ sums to %d", div))
if (!all(sapply(sp, function(x) all(x[, "stepsize__"] > 0)))) problems <- c(problems, "stepsize__")
cat(problems, sep = "\n")
REOF
    ) && [ -z "$msg" ]; then
        pass
    else
        fail "$model: $msg"
    fi
}

check models/ab.bm
check models/click_count.bm
check models/eight_schools.bm --data models/eight_schools.json

finish
