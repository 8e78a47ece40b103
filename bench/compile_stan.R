# compile_stan.R -- compiles a Stan program once and saves the stanmodel, so
# that each timed run loads it instead of compiling again.
#
#   Rscript bench/compile_stan.R MODEL.stan OUT.rds TIMING.json
#
# TIMING.json gets the seconds stan_model() took: translating to C++ and
# compiling it, what a fresh user waits for once per model.
suppressPackageStartupMessages({ library(rstan); library(jsonlite) })

a <- commandArgs(trailingOnly = TRUE)
name <- sub("\\.stan$", "", basename(a[1]))
t <- system.time(m <- stan_model(a[1], model_name = name, auto_write = FALSE))[["elapsed"]]
saveRDS(m, a[2])
writeLines(toJSON(list(compile_seconds = t), auto_unbox = TRUE, digits = NA), a[3])
