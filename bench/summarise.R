# summarise.R -- the same posterior summary for every tool's draws: the
# mean, sd, bulk ESS and R-hat of each monitored variable, from the R
# package posterior (Vehtari et al. 2021), so no tool grades itself.
#
#   Rscript bench/summarise.R TOOL RUNDIR PARAMS
#
# bmc's draws are its CmdStan-format CSV files in RUNDIR/csv (columns
# theta.1 become theta[1]); JAGS's command line's are coda files
# (RUNDIR/CODAchainN.txt, RUNDIR/CODAindex.txt); rjags's and Stan's are
# RUNDIR/draws.rds, an iterations x chains x variables array.  PARAMS is a comma-separated list
# of names; a vector's name stands for all its elements.  Writes
# RUNDIR/summary.json.
suppressPackageStartupMessages({ library(posterior); library(jsonlite) })

a <- commandArgs(trailingOnly = TRUE)
tool <- a[1]; dir <- a[2]; params <- strsplit(a[3], ",")[[1]]

if (tool %in% c("bmc", "bmcauto")) {
  files <- sort(list.files(file.path(dir, "csv"), pattern = "\\.csv$", full.names = TRUE))
  chains <- lapply(files, function(f) {
    x <- as.matrix(read.csv(f, comment.char = "#", check.names = FALSE))
    colnames(x) <- sub("^([^.]+)\\.(.*)$", "\\1[\\2]", colnames(x))
    colnames(x) <- gsub("\\.", ",", colnames(x))
    x
  })
  arr <- simplify2array(chains)               # iterations x variables x chains
  arr <- aperm(arr, c(1, 3, 2))
} else if (tool == "jagscli") {
  chains <- lapply(sort(list.files(dir, pattern = "^CODAchain[0-9]+\\.txt$", full.names = TRUE)), function(f)
    as.matrix(coda::read.coda(f, file.path(dir, "CODAindex.txt"), quiet = TRUE)))
  arr <- aperm(simplify2array(chains), c(1, 3, 2))
} else {
  arr <- readRDS(file.path(dir, "draws.rds"))
}

base <- sub("\\[.*$", "", dimnames(arr)[[3]])
keep <- base %in% params
missing <- setdiff(params, base)
if (length(missing)) stop("no draws for ", paste(missing, collapse = ", "))
d <- as_draws_array(arr[, , keep, drop = FALSE])
s <- summarise_draws(d, mean, sd, ess_bulk, rhat)

writeLines(toJSON(list(
  min_ess_bulk = min(s$ess_bulk),
  min_ess_variable = s$variable[which.min(s$ess_bulk)],
  max_rhat = max(s$rhat),
  draws = ndraws(d),
  variables = setNames(lapply(seq_len(nrow(s)), function(i)
    list(mean = s$mean[i], sd = s$sd[i], ess_bulk = s$ess_bulk[i], rhat = s$rhat[i])), s$variable)
), auto_unbox = TRUE, digits = NA), file.path(dir, "summary.json"))
