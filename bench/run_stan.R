# run_stan.R -- one Stan run through rstan, with the model compiled by
# compile_stan.R: chains in parallel (forked processes), warm-up then draws.
#
#   Rscript bench/run_stan.R MODEL.rds DATA.json OUTDIR SEED CHAINS CORES WARMUP DRAWS VARS
#
# Writes OUTDIR/draws.rds (iterations x chains x variables) and
# OUTDIR/timing.json.  The sampling time is the longest chain's warm-up plus
# sampling, from get_elapsed_time: the chains run side by side, so that is
# the wall time of the sampling phase, without the cost of forking.
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })

a <- commandArgs(trailingOnly = TRUE)
model <- a[1]; data <- a[2]; outdir <- a[3]; seed <- as.integer(a[4])
chains <- as.integer(a[5]); cores <- as.integer(a[6]); warmup <- as.integer(a[7])
draws <- as.integer(a[8]); vars <- strsplit(a[9], ",")[[1]]

m <- readRDS(model)
d <- fromJSON(data)
fit <- sampling(m, data = d, chains = chains, cores = cores, warmup = warmup,
                iter = warmup + draws, seed = seed, refresh = 0, pars = vars)
t <- get_elapsed_time(fit)
arr <- as.array(fit)                        # iterations x chains x variables
arr <- arr[, , dimnames(arr)[[3]] != "lp__", drop = FALSE]
saveRDS(arr, file.path(outdir, "draws.rds"), compress = FALSE)
div <- sum(sapply(get_sampler_params(fit, inc_warmup = FALSE), function(x) sum(x[, "divergent__"])))
writeLines(toJSON(list(sampling_seconds = max(rowSums(t)), divergences = div,
                       chain_seconds = unname(rowSums(t))),
                  auto_unbox = TRUE, digits = NA), file.path(outdir, "timing.json"))
