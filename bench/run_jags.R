# run_jags.R -- one JAGS run through rjags, as a JAGS user would make it:
# compile the model, adapt, burn in, then draw; chains run one after another
# in this process (rjags has no parallel chains).
#
#   Rscript bench/run_jags.R MODEL.bug DATA.json OUTDIR SEED CHAINS ADAPT BURNIN DRAWS VARS
#
# VARS is a comma-separated list of the nodes to monitor.  Writes
# OUTDIR/draws.rds (iterations x chains x variables) and OUTDIR/timing.json
# with the seconds spent compiling and sampling (adaptation, burn-in and
# draws together, as Stan's and bmc's sampling times include warm-up).
suppressPackageStartupMessages({ library(rjags); library(jsonlite) })

a <- commandArgs(trailingOnly = TRUE)
model <- a[1]; data <- a[2]; outdir <- a[3]; seed <- as.integer(a[4])
chains <- as.integer(a[5]); n_adapt <- as.integer(a[6]); burnin <- as.integer(a[7])
draws <- as.integer(a[8]); vars <- strsplit(a[9], ",")[[1]]

# The glm module gives JAGS block samplers for regression coefficients, as a
# JAGS user fitting a regression would load.
invisible(load.module("glm", quiet = TRUE))
d <- fromJSON(data)
inits <- lapply(seq_len(chains), function(i)
  list(.RNG.name = "base::Mersenne-Twister", .RNG.seed = seed * 100L + i))

t_compile <- system.time(
  m <- jags.model(model, data = d, inits = inits, n.chains = chains, n.adapt = 0, quiet = TRUE)
)[["elapsed"]]
t <- system.time({
  adapt(m, n.iter = n_adapt, end.adaptation = TRUE)
  if (burnin > 0) update(m, n.iter = burnin, progress.bar = "none")
  s <- coda.samples(m, vars, n.iter = draws, progress.bar = "none")
})

arr <- simplify2array(lapply(s, as.matrix))    # iterations x variables x chains
saveRDS(aperm(arr, c(1, 3, 2)), file.path(outdir, "draws.rds"), compress = FALSE)
writeLines(toJSON(list(compile_seconds = t_compile, sampling_seconds = t[["elapsed"]],
                       sampling_cpu_seconds = t[["user.self"]] + t[["sys.self"]]),
                  auto_unbox = TRUE, digits = NA), file.path(outdir, "timing.json"))
