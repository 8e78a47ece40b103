# gen_data.R -- writes the benchmark data sets as CmdStan-style JSON, read by
# bmc (--data), rstan and rjags alike, so every tool sees the same values,
# and each also in R's dump format (NAME.R) for JAGS's command line.  The
# per-visitor A/B rows are also a CSV file, as bmc reads them (NAME.csv).
#
#   Rscript bench/gen_data.R OUTDIR [quick]
#
# Simulated data come from a fixed seed per data set; "quick" shrinks the
# large data sets for a trial run.
suppressPackageStartupMessages(library(jsonlite))

args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "bench/data"
quick <- length(args) >= 2 && args[2] == "quick"
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

# Integers are written as integers, reals with 15 significant digits, and a
# length-one vector stays a scalar (auto_unbox) as CmdStan expects.
# The dump keeps R's column-major matrices, which JAGS reads as R does, but
# JAGS's reader knows a matrix's dimensions only as ".Dim" (R 4 writes
# "dim") and has no 1L suffix for integers.
put <- function(name, x) {
  path <- file.path(outdir, paste0(name, ".json"))
  writeLines(toJSON(x, auto_unbox = TRUE, digits = I(15), matrix = "rowmajor"), path)
  e <- list2env(lapply(x, function(v) { storage.mode(v) <- "double"; v }))
  con <- textConnection("dumped", "w", local = TRUE)
  dump(names(x), con, envir = e, control = c("keepNA", "showAttributes"))
  close(con)
  writeLines(sub("), dim = c(", "), .Dim = c(", dumped, fixed = TRUE), file.path(outdir, paste0(name, ".R")))
}

# The seed article's A/B test: 1000 visitors a page, 120 and 150 bought; and
# its small-data version, 10 visitors, 1 and 2 bought.
put("ab", list(trials = 1000L, y_A = 120L, y_B = 150L))
put("ab_small", list(trials = 10L, y_A = 1L, y_B = 2L))

# The A/B test as a log of 200,000 visitors (20,000 in quick mode), half on
# each page, at the rates of "ab": 12% bought on A and 15% on B, exactly, in
# shuffled order.  bmc reads the CSV (a page column of A and B, a bought
# column of 0 and 1); JAGS and Stan the same rows with page as 1 and 2.
# visits_counts is the same data as counts.
set.seed(20250605)
n_page <- if (quick) 10000L else 100000L
page <- rep(c("A", "B"), each = n_page)
bought <- c(rep(1:0, c(0.12 * n_page, 0.88 * n_page)), rep(1:0, c(0.15 * n_page, 0.85 * n_page)))
o <- sample.int(2L * n_page)
page <- page[o]; bought <- as.integer(bought[o])
write.csv(data.frame(page = page, bought = bought), file.path(outdir, "visits.csv"), row.names = FALSE, quote = FALSE)
put("visits", list(N = 2L * n_page, page = match(page, c("A", "B")), bought = bought))
put("visits_counts", list(trials = n_page, y_A = sum(bought[page == "A"]), y_B = sum(bought[page == "B"])))

# Rubin (1981): the eight schools' estimated effects and standard errors.
put("eight_schools", list(J = 8L, y = c(28, 8, -3, 7, -1, 1, 18, 12),
                          sigma = c(15, 10, 16, 11, 9, 11, 10, 18)))

# The BUGS examples' "surgical": deaths r in n operations at 12 hospitals.
put("surgical", list(G = 12L,
                     n = c(47L, 148L, 119L, 810L, 211L, 196L, 148L, 215L, 207L, 97L, 256L, 360L),
                     r = c(0L, 18L, 8L, 46L, 8L, 13L, 9L, 31L, 14L, 8L, 29L, 24L)))

# 500 variants of a page: visitors log-uniform in 20..2000, conversion
# log-odds normal around logit(0.1) with sd 0.3.
set.seed(20250601)
G <- 500L
n <- as.integer(round(exp(runif(G, log(20), log(2000)))))
b <- rnorm(G, qlogis(0.1), 0.3)
put("pages", list(G = G, n = n, r = rbinom(G, n, plogis(b))))

# Linear regression: N = 10000 rows, K = 5 standard-normal predictors.
set.seed(20250602)
N <- if (quick) 1000L else 10000L
K <- 5L
X <- matrix(round(rnorm(N * K), 6), N, K)
y <- round(1.5 + X %*% c(1, -0.5, 0.25, 2, 0) + rnorm(N, 0, 2), 6)
put("linreg", list(N = N, K = K, X = X, y = as.vector(y)))

# Logistic regression: N = 10000 rows, K = 10 standard-normal predictors.
set.seed(20250603)
N <- if (quick) 1000L else 10000L
K <- 10L
X <- matrix(round(rnorm(N * K), 6), N, K)
beta <- c(0.8, -0.6, 0.4, -0.2, 0, 0.1, -1, 0.5, 0.3, -0.4)
y <- rbinom(N, 1L, plogis(-0.5 + X %*% beta))
put("logreg", list(N = N, K = K, X = X, y = as.integer(y)))

# A normal mean and scale: N = 1,000,000 draws from Normal(3, 2).
set.seed(20250604)
N <- if (quick) 10000L else 1000000L
put("normal", list(N = N, y = round(rnorm(N, 3, 2), 6)))
