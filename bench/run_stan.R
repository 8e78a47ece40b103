# run_stan.R -- one Stan run through rstan, with the model compiled by
# compile_stan.R: chains in parallel (forked processes), warm-up then draws.
#
#   Rscript bench/run_stan.R MODEL.rds DATA.json OUTDIR SEED CHAINS CORES WARMUP DRAWS VARS
#
# Writes OUTDIR/draws.rds (iterations x chains x variables) and
# OUTDIR/timing.json (with the gradient evaluations, warm-up included).  rstan 2.21 times each chain's warm-up and sampling
# with std::clock(), the CPU seconds of that chain's process
# (get_elapsed_time).  The chains run side by side on min(chains, cores,
# the machine's cores) cores, so the sampling phase's wall time is their sum
# over that; it leaves out forking the chains and collecting their draws,
# which the wall time of the sampling() call (also written) includes.
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })

a <- commandArgs(trailingOnly = TRUE)
model <- a[1]; data <- a[2]; outdir <- a[3]; seed <- as.integer(a[4])
chains <- as.integer(a[5]); cores <- as.integer(a[6]); warmup <- as.integer(a[7])
draws <- as.integer(a[8]); vars <- strsplit(a[9], ",")[[1]]

m <- readRDS(model)
d <- fromJSON(data)
call_wall <- system.time(
  fit <- sampling(m, data = d, chains = chains, cores = cores, warmup = warmup,
                  iter = warmup + draws, seed = seed, refresh = 0, pars = vars)
)[["elapsed"]]
chain_cpu <- unname(rowSums(get_elapsed_time(fit)))
side_by_side <- min(chains, cores, parallel::detectCores())
arr <- as.array(fit)                        # iterations x chains x variables
arr <- arr[, , dimnames(arr)[[3]] != "lp__", drop = FALSE]
saveRDS(arr, file.path(outdir, "draws.rds"), compress = FALSE)
div <- sum(sapply(get_sampler_params(fit, inc_warmup = FALSE), function(x) sum(x[, "divergent__"])))
# Each iteration's leapfrog steps are its gradient evaluations: summed over
# warm-up and draws of every chain, as bmc's sampler.gradient_evals counts.
grads <- sum(sapply(get_sampler_params(fit, inc_warmup = TRUE), function(x) sum(x[, "n_leapfrog__"])))
writeLines(toJSON(list(sampling_seconds = sum(chain_cpu) / side_by_side, divergences = div, gradient_evals = grads,
                       chain_cpu_seconds = chain_cpu, sampling_call_seconds = call_wall),
                  auto_unbox = TRUE, digits = NA), file.path(outdir, "timing.json"))
