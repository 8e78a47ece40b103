# report.R -- turns bench.sh's runs into bench/RESULTS.md.
#
#   Rscript bench/report.R write OUT RESULTS.md   the tables, the machine, the profiles
#   Rscript bench/report.R slower OUT             the benchmarks where bmc is slower
#   Rscript bench/report.R compare OUT1 OUT2      two runs' medians, the second over the first
#
# OUT is bench.sh's working folder: rows.tsv the benchmarks, runs.tsv the
# run folders, each with time.txt (wall seconds, peak RSS kB, user and
# system CPU seconds from /usr/bin/time), wall.txt (the command's start and
# end, in microseconds), rc, session_kb, the tool's own output and
# summary.json from summarise.R.
suppressPackageStartupMessages(library(jsonlite))

a <- commandArgs(trailingOnly = TRUE)
mode <- a[1]; out <- a[2]
tools <- c("bmc", "bmcauto", "jags", "jagscli", "stan")
label <- c(bmc = "bmc (NUTS)", bmcauto = "bmc (--sampler auto)", jags = "JAGS (rjags)", jagscli = "JAGS CLI", stan = "Stan")
`%||%` <- function(x, y) if (is.null(x)) y else x
# bmc's runs are named by the sampler their JSON says was used: "bmc (exact)"
# where --sampler auto drew the parameters exactly, "bmc (NUTS)" otherwise
# (with "--sampler auto" where auto chose NUTS, to tell the two rows apart).
tool_label <- function(cell, tool) {
  if (!tool %in% c("bmc", "bmcauto") || is.null(cell$method)) return(label[[tool]])
  if (cell$method != "nuts") "bmc (exact)" else if (tool == "bmcauto") "bmc (NUTS; --sampler auto)" else "bmc (NUTS)"
}

read_run <- function(name, tool, rep, dir) {
  r <- list(name = name, tool = tool, rep = as.integer(rep), ok = FALSE,
            timeout = file.exists(file.path(dir, "timeout")))
  if (r$timeout) r$stopped_after <- as.numeric(readLines(file.path(dir, "timeout")))
  rc <- if (file.exists(file.path(dir, "rc"))) as.integer(readLines(file.path(dir, "rc"))) else NA
  sfile <- file.path(dir, "summary.json")
  if (is.na(rc) || rc != 0 || !file.exists(sfile)) return(r)
  tl <- strsplit(tail(readLines(file.path(dir, "time.txt")), 1), " ")[[1]]
  tm <- as.numeric(tl)
  wall <- file.path(dir, "wall.txt")
  r$wall <- if (file.exists(wall)) diff(scan(wall, quiet = TRUE)) else tm[1]
  r$cpu <- tm[3] + tm[4]
  session <- as.numeric(readLines(file.path(dir, "session_kb")))
  r$mem_mb <- max(tm[2], session) / 1024
  r$grads <- NA
  if (tool %in% c("bmc", "bmcauto")) {
    j <- fromJSON(file.path(dir, "stdout"))
    r$sampling <- j$sampler$seconds
    r$divergences <- j$sampler$divergences
    r$method <- j$sampler$method
    if (r$method == "nuts") r$grads <- j$sampler$gradient_evals %||% NA
  } else if (tool == "jagscli") {
    # JAGS's command line does not time its phases: the whole run stands in.
    r$sampling <- r$wall
    r$divergences <- NA
  } else {
    j <- fromJSON(file.path(dir, "timing.json"))
    r$sampling <- j$sampling_seconds
    r$divergences <- if (is.null(j$divergences)) NA else j$divergences
    r$grads <- j$gradient_evals %||% NA
  }
  s <- fromJSON(file.path(dir, "summary.json"), simplifyVector = FALSE)
  r$ess <- s$min_ess_bulk
  r$ess_var <- s$min_ess_variable
  r$rhat <- s$max_rhat
  r$vars <- s$variables
  r$ok <- TRUE
  r
}

# The benchmarks bench.sh ran (OUT/rows.tsv): name, the model files, the
# compiled Stan model's name, the data, params and options.
read_rows <- function(out) {
  f <- file.path(out, "rows.tsv")
  cols <- c("name", "bm", "bug", "stan", "model", "data", "params", "options")
  if (!file.exists(f) || file.info(f)$size == 0)
    return(setNames(data.frame(matrix(character(), 0, length(cols))), cols))
  read.table(f, sep = "\t", col.names = cols, stringsAsFactors = FALSE, quote = "", comment.char = "")
}
# The value of KEY=VALUE in a benchmark's options (NA: none), or TRUE/FALSE
# for a plain word.
row_option <- function(rows, name, key) {
  o <- strsplit(rows$options[rows$name == name], ",")[[1]]
  kv <- grep(paste0("^", key, "="), o, value = TRUE)
  if (length(kv)) sub("^[^=]*=", "", kv[1]) else NA
}
has_flag <- function(rows, name, flag) flag %in% strsplit(rows$options[rows$name == name], ",")[[1]]

# Everything one bench.sh run left in OUT: the runs, and per model and tool
# the medians over the repetitions.
load_out <- function(out) {
  bench_rows <- read_rows(out)
  model_of <- setNames(bench_rows$model, bench_rows$name)
  runs_tsv <- file.path(out, "runs.tsv")
  idx <- if (file.exists(runs_tsv) && file.info(runs_tsv)$size > 0) {
    read.table(runs_tsv, sep = "\t", col.names = c("name", "tool", "rep", "dir"), stringsAsFactors = FALSE)
  } else data.frame(name = character(), tool = character(), rep = integer(), dir = character())
  runs <- lapply(seq_len(nrow(idx)), function(i) read_run(idx$name[i], idx$tool[i], idx$rep[i], idx$dir[i]))
  models <- unique(idx$name)

  stan_compile <- function(name) {
    if (!name %in% names(model_of)) return(c(seconds = NA, mem_mb = NA))
    f <- file.path(out, "stan", paste0(model_of[[name]], ".json"))
    if (!file.exists(f)) return(c(seconds = NA, mem_mb = NA))
    tm <- as.numeric(strsplit(tail(readLines(file.path(out, "stan", paste0(model_of[[name]], ".time"))), 1), " ")[[1]])
    c(seconds = fromJSON(f)$compile_seconds, mem_mb = tm[2] / 1024)
  }

  cell <- function(name, tool) {
    rs <- Filter(function(r) r$name == name && r$tool == tool, runs)
    ok <- Filter(function(r) r$ok, rs)
    res <- list(n = length(rs), nok = length(ok), timeout = any(sapply(rs, function(r) r$timeout)))
    if (res$timeout) res$stopped_after <- max(unlist(lapply(rs, function(r) r$stopped_after)))
    res$compile <- if (tool == "stan") stan_compile(name)[["seconds"]] else NA
    res$compile_mem <- if (tool == "stan") stan_compile(name)[["mem_mb"]] else NA
    if (!length(ok)) return(res)
    g <- function(f) sapply(ok, f)
    e2e <- g(function(r) r$wall) + if (tool == "stan") res$compile else 0
    res$e2e <- median(e2e)
    res$run_wall <- median(g(function(r) r$wall))
    res$sampling <- median(g(function(r) r$sampling))
    res$sampling_spread <- if (length(ok) > 1) diff(range(g(function(r) r$sampling))) / res$sampling else NA
    res$e2e_spread <- if (length(ok) > 1) diff(range(e2e)) / res$e2e else NA
    res$cpu <- median(g(function(r) r$cpu))
    res$ess <- median(g(function(r) r$ess))
    res$ess_s <- median(g(function(r) r$ess / r$sampling))
    res$grads_per_ess <- median(g(function(r) r$grads / r$ess))
    res$method <- ok[[1]]$method
    res$mem <- median(g(function(r) r$mem_mb))
    res$rhat <- max(g(function(r) r$rhat))
    res$divergences <- sum(g(function(r) r$divergences))
    res$runs <- ok
    res
  }
  cells <- lapply(models, function(m) setNames(lapply(tools, function(t) cell(m, t)), tools))
  names(cells) <- models
  list(idx = idx, runs = runs, models = models, cells = cells, rows = bench_rows)
}

# Two runs of bench.sh side by side: per benchmark and tool, the second's
# medians over the first's (1.00: the same), as rows of text.
compare_rows <- function(A, B) {
  rows <- list()
  for (m in intersect(A$models, B$models)) for (t in tools) {
    x <- A$cells[[m]][[t]]; y <- B$cells[[m]][[t]]
    r <- function(k) if (is.null(x[[k]]) || is.null(y[[k]]) || is.na(x[[k]]) || is.na(y[[k]])) "–" else sprintf("%.2f", y[[k]] / x[[k]])
    if (x$n == 0 && y$n == 0) next
    rows[[length(rows) + 1]] <- c(m, tool_label(y, t), r("e2e"), r("sampling"), r("ess"), r("ess_s"), r("mem"))
  }
  rows
}

if (mode == "compare") {
  rows <- compare_rows(load_out(a[2]), load_out(a[3]))
  cat(sprintf("%-14s %-20s %9s %9s %9s %9s %9s\n", "benchmark", "tool", "e2e", "sampling", "minESS", "ESS/s", "memory"))
  for (r in rows) cat(do.call(sprintf, c(list("%-14s %-20s %9s %9s %9s %9s %9s\n"), as.list(r))))
  quit(status = 0)
}

L0 <- load_out(out)
idx <- L0$idx; runs <- L0$runs; models <- L0$models; cells <- L0$cells; bench_rows <- L0$rows

# bmc is slower on a model where another tool samples faster or gives more
# effective draws per second.
slower <- function(m) {
  b <- cells[[m]]$bmc
  if (is.null(b$sampling)) return(FALSE)
  any(sapply(c("jags", "jagscli", "stan"), function(t) {
    o <- cells[[m]][[t]]
    !is.null(o$sampling) && (o$sampling < b$sampling || o$ess_s > b$ess_s)
  }))
}

if (mode == "slower") {
  for (m in Filter(slower, models)) cat(m, cells[[m]]$bmc$sampling, "\n")
  quit(status = 0)
}

results <- a[3]
f3 <- function(x, d = 3) {
  if (is.null(x) || is.na(x)) return("–")
  if (x == 0) return("0")
  trimws(formatC(signif(x, d), format = "fg", digits = d, big.mark = ","))
}
pct <- function(x) if (is.null(x) || is.na(x)) "–" else sprintf("%.0f%%", 100 * x)
ratio <- function(x) {
  if (is.null(x) || length(x) == 0 || is.na(x)) "–" else if (x >= 10) sprintf("%.0f×", x) else
    paste0(formatC(x, digits = 2, format = "fg", flag = "#"), "×")
}
gmean <- function(x) { x <- x[is.finite(x) & x > 0]; if (length(x)) exp(mean(log(x))) else NA }

settings <- local({
  s <- read.table(file.path(out, "settings.tsv"), sep = "\t", stringsAsFactors = FALSE, quote = "")
  setNames(s$V2, s$V1)
})
timeout <- as.numeric(settings[["timeout"]])
sh <- function(cmd) tryCatch(paste(system(cmd, intern = TRUE, ignore.stderr = TRUE), collapse = " "),
                             error = function(e) "unknown", warning = function(w) "unknown")
cpu <- sub("^model name\\s*:\\s*", "", grep("^model name", readLines("/proc/cpuinfo"), value = TRUE)[1])
mem_kb <- as.numeric(sub("\\D*(\\d+).*", "\\1", grep("^MemTotal", readLines("/proc/meminfo"), value = TRUE)))
os <- sub('^PRETTY_NAME="?([^"]*)"?$', "\\1", grep("^PRETTY_NAME", readLines("/etc/os-release"), value = TRUE))

L <- character()
add <- function(...) L <<- c(L, paste0(...))

add("# Benchmarks: bmc, JAGS and Stan side by side")
add("")
add("Written by `make bench` (bench/bench.sh, bench/report.R); do not edit by hand.")
add("Models: `bench/models/` (each as `.bm`, JAGS `.bug` and `.stan`) and posteriordb's in `bench/posteriordb/` (`.bm` and `.stan`); data: `bench/gen_data.R`.")
add("")
add("## The run")
add("")
add("- Date: ", settings[["started"]], " to ", if ("finished" %in% names(settings)) settings[["finished"]] else "?")
add("- Machine: ", cpu, "; ", sh("nproc"), " cores (nproc); ", sprintf("%.1f", mem_kb / 1048576), " GiB memory; ", os,
    "; load average ", settings[["load_start"]], " at the start and ", if ("load_end" %in% names(settings)) settings[["load_end"]] else "?",
    " at the end (other work on the machine slows the wall-clock figures)")
add("- bmc: ", sh(paste(settings[["bmc"]], "--version")), " (source: ", settings[["source"]], "), built with `", settings[["cflags"]], "` (",
    sh("cc --version | head -1"), ")")
add("- JAGS ", sh("dpkg-query -W -f '${Version}' jags"), " through rjags ", as.character(packageVersion("rjags")),
    " and through its own command line (`jags FILE.cmd`, \"JAGS CLI\": the same model, the data in R's dump format, ",
    "the same seeds, `compile, nchains(4)`, draws read back from its coda files), glm module loaded in both; ",
    "Stan through rstan ", as.character(packageVersion("rstan")),
    " (StanHeaders ", as.character(packageVersion("StanHeaders")), "); ", R.version.string,
    "; ESS from posterior ", as.character(packageVersion("posterior")))
add("- Every tool: ", settings[["chains"]], " chains, ", settings[["warmup"]], " warm-up iterations (JAGS: 500 adaptation + 500 burn-in), ",
    settings[["draws"]], " draws per chain; ", settings[["reps"]], " repetition(s) of each model and tool (fewer where the table's ",
    "*n* says so: `reps=` in `bench/models.tsv` for the slow benchmarks, one for the posteriordb ones), run in alternation ",
    "(bmc, JAGS, Stan, bmc, ...) with seeds 1, 2, ...", if (settings[["quick"]] == "1") "; **quick mode: smaller data sets**" else "")
add("- bmc runs with `--sampler nuts` (\"bmc (NUTS)\"); on the conjugate A/B models also with `--sampler auto`, named by the ",
    "sampler its JSON output says it used: \"bmc (exact)\" for draws made exactly from the conjugate posterior, ",
    "\"bmc (NUTS)\" again if auto chose NUTS.")
add("- Parallelism: bmc `--cores ", settings[["cores"]], "` (threads) and rstan `cores = ", settings[["cores"]],
    "` (forked processes) run the 4 chains side by side on the machine's cores; rjags runs them one after another in one process.")
add("")
add("## What is measured")
add("")
add("- **end-to-end**: wall seconds of a fresh process that reads the model and data, compiles, samples and writes the draws ",
    "(bash's microsecond clock around the command; `/usr/bin/time` for memory and CPU). For Stan it is the compile time plus the wall time of a run that loads the compiled model: ",
    "rstan compiles each model once (`compile`, measured inside R around `stan_model()`), and the repetitions reuse it, ",
    "so end-to-end is what a fresh user waits for; *run* is Stan's wall time without compiling.")
add("- **sampling**: the sampling phase alone, warm-up included, in wall seconds: bmc's `sampler.seconds` (`--format json`); ",
    "JAGS's `adapt()`, burn-in `update()` and `coda.samples()` together; for Stan, rstan 2.21's `get_elapsed_time()` is each ",
    "chain's CPU seconds (Stan's `std::clock()`), and with ", settings[["chains"]], " chains in as many processes on ",
    sh("nproc"), " cores the phase's wall time is their sum / ", min(as.numeric(settings[["chains"]]), as.numeric(settings[["cores"]]), as.numeric(sh("nproc"))),
    ". That leaves out rstan's forking of the chains and collecting their draws, which *run* includes. ",
    "JAGS's command line does not time its phases, so its sampling time is its whole run's wall time (an upper bound).")
add("- **min ESS**: the smallest bulk ESS over the model's parameters (`bench/models.tsv`), computed for every tool by ",
    "`posterior::ess_bulk` on its draws (bmc's from its `--output-dir` CSV files); **ESS/s** = min ESS / sampling seconds.")
add("- **CPU s**: user + system CPU seconds of the run (rstan's forked chains included).")
add("- **memory**: peak resident memory of the run in MB (`/usr/bin/time`'s max RSS; for Stan, whose chains are forked ",
    "processes, the larger of that and the polled peak of the summed PSS of all its processes). ",
    "Compiling a Stan model takes more: its peak is given below the table.")
add("- **gradients / ESS**: for bmc's NUTS and Stan, gradient evaluations of the log density over all chains, ",
    "**warm-up included**, per effective draw (min ESS): bmc's `sampler.gradient_evals`, Stan's `n_leapfrog__` ",
    "(`get_sampler_params`) summed over warm-up and draws. It measures the sampler apart from the cost of a gradient.")
add("- Medians over the repetitions (*n*); *±* is the spread (max − min) / median of the sampling time.")
add("")

add("## Results (medians)")
add("")
add("| benchmark | tool | n | end-to-end s | compile s | run s | sampling s | ± | min ESS | ESS/s | gradients / ESS | CPU s | memory MB |")
add("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for (m in models) for (t in tools) {
  c <- cells[[m]][[t]]
  if (c$n == 0) next
  lab <- tool_label(c, t)
  if (c$nok == 0 && c$timeout) {
    add("| ", m, " | ", lab, " | ", c$n, " | > ", c$stopped_after, " (stopped) | ", if (t == "stan") f3(c$compile) else "–",
        " | > ", c$stopped_after, " | | | | | | | |")
    next
  }
  if (c$nok == 0) { add("| ", m, " | ", lab, " | ", c$n, " | failed (", c$n, " of ", c$n, " runs) | | | | | | | | | |"); next }
  add("| ", m, " | ", lab, " | ", if (c$nok < c$n) sprintf("%d of %d ok", c$nok, c$n) else c$n,
      " | ", f3(c$e2e), " | ", if (t == "stan") f3(c$compile) else "–", " | ", f3(c$run_wall), " | ", f3(c$sampling),
      " | ", pct(c$sampling_spread), " | ", f3(c$ess, 4), " | ", f3(c$ess_s), " | ", f3(c$grads_per_ess),
      " | ", f3(c$cpu), " | ", f3(c$mem), " |")
}
stan_mem <- unlist(lapply(models, function(m) cells[[m]]$stan$compile_mem))
if (length(stan_mem) && any(!is.na(stan_mem)))
  add("\nCompiling a Stan model (rstan's `stan_model()` in a fresh R process) peaks at ",
      f3(min(stan_mem, na.rm = TRUE)), "–", f3(max(stan_mem, na.rm = TRUE)), " MB of memory.")
add("")

# A figure of one cell, NA where the tool did not run or failed.
fig <- function(m, t, k) { v <- cells[[m]][[t]][[k]]; if (is.null(v) || length(v) == 0) NA else v }
summary_line <- function(x) {
  x <- x[is.finite(x)]
  if (!length(x)) return("–")
  paste0(ratio(median(x)), " (geometric mean ", ratio(gmean(x)), ", range ", ratio(min(x)), "–", ratio(max(x)),
         ", ", length(x), " benchmark", if (length(x) > 1) "s" else "", ")")
}
is_pdb <- function(m) has_flag(bench_rows, m, "pdb")
suff <- Filter(function(m) has_flag(bench_rows, m, "suffstats"), models)
exact_rows <- Filter(function(m) has_flag(bench_rows, m, "exact") && !is.na(fig(m, "bmcauto", "ess_s")), models)
raw_rows <- Filter(function(m) !is.na(row_option(bench_rows, m, "rows")), models)

add("## The findings, one kind at a time")
add("")
add("Each comparison below is kept apart, so that a win from drawing exactly, from summing rows to sufficient ",
    "statistics or from not starting R is not folded into a claim about the sampler. Ratios are turned so that ",
    "**above 1 favours bmc**.")
add("")

add("### (a) Same algorithm, same work: bmc's NUTS against Stan's")
add("")
add("bmc with `--sampler nuts` against rstan on every benchmark both ran, ", if (length(suff)) paste0(
    "except those where bmc sums the likelihood's rows to sufficient statistics when it compiles (", paste(suff, collapse = ", "),
    "; see (c)), ") else "", "the posteriordb posteriors (*pdb*) included. ESS/s is bmc ÷ Stan; ",
    "gradients per ESS, warm-up included, is Stan ÷ bmc, the sampler's efficiency apart from a gradient's cost.")
add("")
add("| benchmark | ESS/s bmc | ESS/s Stan | ratio | gradients / ESS bmc | Stan | ratio | divergences bmc / Stan |")
add("|---|--:|--:|--:|--:|--:|--:|--:|")
same <- Filter(function(m) !(m %in% suff) && !is.na(fig(m, "bmc", "ess_s")) && !is.na(fig(m, "stan", "ess_s")), models)
ess_r <- grad_r <- c()
for (m in same) {
  ess_r[m] <- fig(m, "bmc", "ess_s") / fig(m, "stan", "ess_s")
  grad_r[m] <- fig(m, "stan", "grads_per_ess") / fig(m, "bmc", "grads_per_ess")
  add("| ", m, if (is_pdb(m)) " (pdb)" else "", " | ", f3(fig(m, "bmc", "ess_s")), " | ", f3(fig(m, "stan", "ess_s")), " | ", ratio(ess_r[[m]]),
      " | ", f3(fig(m, "bmc", "grads_per_ess")), " | ", f3(fig(m, "stan", "grads_per_ess")), " | ", ratio(grad_r[[m]]),
      " | ", fig(m, "bmc", "divergences"), " / ", fig(m, "stan", "divergences"), " |")
}
add("")
add("- ESS per second of sampling, bmc ÷ Stan: median ", summary_line(ess_r), ".")
add("- Gradient evaluations per effective draw, Stan ÷ bmc: median ", summary_line(grad_r),
    " (1× is as efficient a sampler; the ESS/s ratio's rest is the cost of a gradient and of the run around it).")
add("")

add("### (b) Exact draws against MCMC")
add("")
if (length(exact_rows)) {
  add("The conjugate A/B models: bmc with `--sampler auto` (named by the sampler it used) against bmc's NUTS, JAGS ",
      "(which updates each rate by its conjugate Beta distribution, a Gibbs step) and Stan. ESS/s of sampling; the last column is ",
      "`--sampler auto` ÷ `--sampler nuts`.")
  add("")
  add("| benchmark | --sampler auto used | its min ESS | ESS/s | bmc (NUTS) | JAGS (rjags) | JAGS CLI | Stan | auto ÷ NUTS |")
  add("|---|---|--:|--:|--:|--:|--:|--:|--:|")
  xr <- c()
  for (m in exact_rows) {
    xr[m] <- fig(m, "bmcauto", "ess_s") / fig(m, "bmc", "ess_s")
    add("| ", m, " | ", tool_label(cells[[m]]$bmcauto, "bmcauto"), " | ", f3(fig(m, "bmcauto", "ess"), 4), " | ",
        f3(fig(m, "bmcauto", "ess_s")), " | ", f3(fig(m, "bmc", "ess_s")), " | ", f3(fig(m, "jags", "ess_s")), " | ",
        f3(fig(m, "jagscli", "ess_s")), " | ", f3(fig(m, "stan", "ess_s")), " | ", ratio(xr[[m]]), " |")
  }
  add("")
  methods <- unique(unlist(lapply(exact_rows, function(m) cells[[m]]$bmcauto$method)))
  if (all(methods == "nuts")) {
    add("- This bmc's `--sampler auto` used NUTS on every one of these models: there are no exact draws to compare, ",
        "and the two bmc rows differ only by chance and the clock.")
  } else {
    add("- Drawing exactly, bmc's ESS per second is ", summary_line(xr), " its NUTS's: ",
        "a gain of the model's conjugacy, not of the sampler, so it is not in (a).")
  }
} else add("No benchmark marked `exact` ran with `--sampler auto`.")
add("")

add("### (c) Sufficient statistics: per-row data against its counts")
add("")
if (length(raw_rows)) {
  add("The same A/B data as one row per visitor (bmc reads a CSV file of a page factor and a bought 0/1 column; ",
      "JAGS and Stan a Bernoulli per row with the page as an index) and as two counts. Each tool's time on the rows ",
      "over its time on the counts: below 2× means the rows cost little more than their counts.")
  add("")
  add("| rows | counts | tool | end-to-end rows s | counts s | ratio | sampling rows s | counts s | ratio |")
  add("|---|---|---|--:|--:|--:|--:|--:|--:|")
  for (m in raw_rows) {
    cm <- row_option(bench_rows, m, "rows")
    if (!cm %in% models) next
    for (t in tools) {
      if (is.na(fig(m, t, "e2e")) && is.na(fig(cm, t, "e2e"))) next
      add("| ", m, " | ", cm, " | ", tool_label(cells[[m]][[t]], t), " | ", f3(fig(m, t, "e2e")), " | ", f3(fig(cm, t, "e2e")), " | ",
          ratio(fig(m, t, "e2e") / fig(cm, t, "e2e")), " | ", f3(fig(m, t, "sampling")), " | ", f3(fig(cm, t, "sampling")), " | ",
          ratio(fig(m, t, "sampling") / fig(cm, t, "sampling")), " |")
    }
    r <- fig(m, "bmc", "e2e") / fig(cm, "bmc", "e2e")
    if (is.finite(r))
      add("\n- bmc (NUTS) on the ", m, " rows takes ", ratio(r), " its end-to-end time on the counts (",
          ratio(fig(m, "bmc", "sampling") / fig(cm, "bmc", "sampling")), " the sampling time): ",
          if (r <= 2) "within" else "**outside**", " the target of 2×.\n")
  }
}
other_suff <- setdiff(suff, raw_rows)
for (m in other_suff) {
  add("- ", m, ": bmc sums the rows to sufficient statistics when it compiles; its ESS/s is ",
      ratio(fig(m, "bmc", "ess_s") / fig(m, "stan", "ess_s")), " Stan's, which evaluates every row at every gradient; ",
      "gradients per ESS, Stan ÷ bmc: ", ratio(fig(m, "stan", "grads_per_ess") / fig(m, "bmc", "grads_per_ess")),
      " (the sampler's part of that).")
}
add("")

add("### (d) End-to-end start-up")
add("")
add("Wall seconds of a whole run on the small models, where starting the tool is most of it. ",
    "rjags pays for starting R and loading rjags; `jags FILE.cmd` does not. Ratios are the tool's wall time ÷ bmc (NUTS)'s; ",
    "*bmc (auto)* is what `bmc run` does by default (`--sampler auto`: exact draws on these conjugate models), with JAGS CLI's time ÷ its own.")
add("")
add("| benchmark | bmc (NUTS) s | bmc (auto) s | JAGS CLI s | ratio | ÷ auto | JAGS (rjags) s | ratio | Stan run s | ratio | Stan compile + run s | ratio |")
add("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
startup <- Filter(function(m) !is.na(fig(m, "bmc", "e2e")) && (has_flag(bench_rows, m, "exact") || m == "eight_schools") &&
                    is.na(row_option(bench_rows, m, "rows")), models)
for (m in startup) {
  b <- fig(m, "bmc", "e2e")
  a <- fig(m, "bmcauto", "e2e")
  add("| ", m, " | ", f3(b), " | ", if (is.na(a)) "–" else f3(a), " | ", f3(fig(m, "jagscli", "e2e")), " | ",
      ratio(fig(m, "jagscli", "e2e") / b), " | ", if (is.na(a)) "–" else ratio(fig(m, "jagscli", "e2e") / a),
      " | ", f3(fig(m, "jags", "e2e")), " | ", ratio(fig(m, "jags", "e2e") / b),
      " | ", f3(fig(m, "stan", "run_wall")), " | ", ratio(fig(m, "stan", "run_wall") / b),
      " | ", f3(fig(m, "stan", "e2e")), " | ", ratio(fig(m, "stan", "e2e") / b), " |")
}
if ("ab" %in% startup && !is.na(fig("ab", "jagscli", "e2e")))
  add("\n- The A/B model: `jags ab.cmd` takes ", f3(fig("ab", "jagscli", "e2e")), " s, rjags ", f3(fig("ab", "jags", "e2e")),
      " s, bmc ", f3(fig("ab", "bmc", "e2e")), " s with NUTS and ", f3(fig("ab", "bmcauto", "e2e")),
      " s by default (exact draws): JAGS's own command line ÷ bmc = ", ratio(fig("ab", "jagscli", "e2e") / fig("ab", "bmc", "e2e")),
      " and ", ratio(fig("ab", "jagscli", "e2e") / fig("ab", "bmcauto", "e2e")), "; most of rjags's time is R's.")
add("")

# Posterior means: each tool's mean over its repetitions, compared as
# z = difference / combined Monte Carlo standard error (sd / sqrt(ESS) per
# run, pooled over the runs).
# make bench BENCH_COMPARE=DIR: this run against an earlier one kept in DIR.
earlier <- Sys.getenv("BENCH_COMPARE")
if (nzchar(earlier) && file.exists(file.path(earlier, "runs.tsv"))) {
  E <- load_out(earlier)
  es <- tryCatch(read.table(file.path(earlier, "settings.tsv"), sep = "\t", stringsAsFactors = FALSE, quote = ""),
                 error = function(e) NULL)
  setting <- function(k) if (!is.null(es) && k %in% es$V1) es$V2[es$V1 == k] else "?"
  when <- setting("started")
  add("## Repeatability: this run against an earlier one")
  add("")
  add("The same benchmarks run again (", earlier, ": bmc source ", setting("source"), ", started ", when,
      "): this run's medians over that run's, ",
      "so 1.00 is the same figure and 1.10 is 10% more. With the same seeds every tool draws the same samples, ",
      "so the ESS columns repeat exactly unless the tool or the data changed; the clocks vary with what else ",
      "the machine is doing.")
  add("")
  add("| benchmark | tool | end-to-end | sampling | min ESS | ESS/s | memory |")
  add("|---|---|--:|--:|--:|--:|--:|")
  for (r in compare_rows(E, L0)) add("| ", paste(r, collapse = " | "), " |")
  add("")
}

add("## Do the tools agree? Posterior means")
add("")
add("For each pair of tools, the largest |z| over the model's parameters, where z is the difference of the posterior means ",
    "(averaged over the repetitions) divided by its Monte Carlo standard error (sd / √ESS per run, pooled). ",
    "With many parameters a few |z| near 3 are expected by chance; |z| > 5 would be a real disagreement. ",
    "Then the means of the first parameters, and the divergent transitions over all runs (JAGS has none to report). ",
    "(On the visits rows bmc names the rates by the page factor's levels, p[A] and p[B], the others by index, p[1] and p[2], ",
    "so those pairs show –.)")
add("")
add("| benchmark | max abs z bmc–Stan | bmc–JAGS | bmc–JAGS CLI | bmc auto–bmc | JAGS–JAGS CLI | JAGS–Stan | means (",
    paste(label[tools], collapse = " / "), ") | divergences bmc / Stan | max R-hat (same order) |")
add("|---|--:|--:|--:|--:|--:|--:|---|--:|--:|")
pooled <- function(c) {
  vs <- names(c$runs[[1]]$vars)
  m <- sapply(vs, function(v) mean(sapply(c$runs, function(r) r$vars[[v]]$mean)))
  se <- sapply(vs, function(v) sqrt(sum(sapply(c$runs, function(r) r$vars[[v]]$sd^2 / r$vars[[v]]$ess_bulk))) / length(c$runs))
  list(mean = m, se = se)
}
pooled_cells <- lapply(setNames(models, models), function(m) lapply(cells[[m]], function(c) if (c$nok > 0) pooled(c) else NULL))
for (m in models) {
  p <- pooled_cells[[m]]
  z <- function(x, y) {
    if (is.null(p[[x]]) || is.null(p[[y]])) return("–")
    v <- intersect(names(p[[x]]$mean), names(p[[y]]$mean))
    if (!length(v)) return("–")
    zz <- abs(p[[x]]$mean[v] - p[[y]]$mean[v]) / sqrt(p[[x]]$se[v]^2 + p[[y]]$se[v]^2)
    sprintf("%.1f (%s)", max(zz), names(zz)[which.max(zz)])
  }
  any_ok <- Filter(function(c) c$nok > 0, cells[[m]])
  first <- if (length(any_ok)) head(names(any_ok[[1]]$runs[[1]]$vars), 2) else character()
  means <- paste(sapply(first, function(v) paste0(v, " ", paste(sapply(tools, function(t)
    if (is.null(p[[t]]) || !v %in% names(p[[t]]$mean)) "–" else f3(p[[t]]$mean[[v]])), collapse = " / "))), collapse = "; ")
  dv <- function(t) if (cells[[m]][[t]]$nok > 0) as.character(cells[[m]][[t]]$divergences) else "–"
  rh <- paste(sapply(tools, function(t) if (cells[[m]][[t]]$nok > 0) sprintf("%.3f", cells[[m]][[t]]$rhat) else "–"), collapse = " / ")
  add("| ", m, " | ", z("bmc", "stan"), " | ", z("bmc", "jags"), " | ", z("bmc", "jagscli"), " | ", z("bmcauto", "bmc"),
      " | ", z("jags", "jagscli"), " | ", z("jags", "stan"), " | ", means, " | ", dv("bmc"), " / ", dv("stan"), " | ", rh, " |")
}
add("")

# posteriordb's reference posteriors: bench/posteriordb/NAME/reference.json
# gives each quantity's mean and sd, in bmc's names, either as an object of
# name -> {mean, sd} or as an array of {variable, mean, sd}.  The reference
# draws are about 10,000 independent draws, so the reference mean's own
# error is taken as sd / 100 where the file gives no "mcse".
read_reference <- function(name) {
  f <- file.path("bench/posteriordb", name, "reference.json")
  if (!file.exists(f)) return(NULL)
  j <- fromJSON(f, simplifyVector = FALSE)
  if (is.null(names(j))) names(j) <- sapply(j, function(e) e$variable %||% e$name)
  vs <- names(j)
  # bmc's CSV-style names (theta.1, a.1.2) as in summarise.R: theta[1], a[1,2].
  dotted <- !grepl("[", vs, fixed = TRUE) & grepl(".", vs, fixed = TRUE)
  vs[dotted] <- gsub("\\.", ",", sub("^([^.]+)\\.(.*)$", "\\1[\\2]", vs[dotted]))
  data.frame(variable = vs, mean = sapply(j, function(e) as.numeric(e$mean)), sd = sapply(j, function(e) as.numeric(e$sd)),
             mcse = sapply(j, function(e) if (is.null(e$mcse)) as.numeric(e$sd) / 100 else as.numeric(e$mcse)),
             stringsAsFactors = FALSE)
}
pdb_models <- Filter(is_pdb, models)
if (length(pdb_models)) {
  add("## posteriordb: do the means match the reference posterior?")
  add("")
  add("For each tool, the largest |z| over the quantities that both it and `reference.json` give, where z is the ",
      "difference of the tool's mean from posteriordb's reference mean over sqrt(tool's MCSE² + reference's MCSE²) ",
      "(the reference's: its `mcse`, else sd / 100 for about 10,000 independent reference draws). ",
      "**agrees**: every |z| below 5.")
  add("")
  add("| posterior | quantities checked | bmc (NUTS) max abs z | bmc | Stan max abs z | Stan |")
  add("|---|--:|--:|---|--:|---|")
  for (m in pdb_models) {
    ref <- read_reference(m)
    if (is.null(ref)) { add("| ", m, " | no reference.json | | | | |"); next }
    check <- function(t) {
      p <- pooled_cells[[m]][[t]]
      if (is.null(p)) return(c(n = NA, z = "–", verdict = "did not run"))
      v <- intersect(ref$variable, names(p$mean))
      if (!length(v)) return(c(n = 0, z = "–", verdict = "no quantity in common"))
      r <- ref[match(v, ref$variable), ]
      zz <- abs(p$mean[v] - r$mean) / sqrt(p$se[v]^2 + r$mcse^2)
      c(n = length(v), z = sprintf("%.1f (%s)", max(zz), v[which.max(zz)]),
        verdict = if (max(zz) < 5) "agrees" else "**disagrees**")
    }
    b <- check("bmc"); st <- check("stan")
    add("| ", m, " | ", max(as.numeric(c(b[["n"]], st[["n"]])), na.rm = TRUE), " of ", nrow(ref), " | ", b[["z"]], " | ", b[["verdict"]],
        " | ", st[["z"]], " | ", st[["verdict"]], " |")
  }
  add("")
}

failed <- Filter(function(r) !r$ok, runs)
if (length(failed)) {
  add("## Failed or stopped runs")
  add("")
  for (r in failed) {
    dir <- idx$dir[idx$name == r$name & idx$tool == r$tool & idx$rep == r$rep]
    err <- if (file.exists(file.path(dir, "stderr"))) tail(readLines(file.path(dir, "stderr")), 5) else character()
    if (r$timeout) {
      add("- ", r$name, ", ", label[[r$tool]], ", repetition ", r$rep, ": stopped after ", r$stopped_after,
          " s (BENCH_TIMEOUT, or the benchmark's own in bench/models.tsv); no further repetitions were run.")
      next
    }
    add("- ", r$name, ", ", label[[r$tool]], ", repetition ", r$rep, ":")
    add("")
    add("  ```")
    add(paste0("  ", err))
    add("  ```")
  }
  add("")
}

prof_file <- function(m, ext) file.path(out, "profile", paste0(m, ext))
profiled <- Filter(function(m) file.exists(prof_file(m, ".txt")) || file.exists(prof_file(m, ".perf.txt")), models)
# "N (p%)  path/file.c:function [object]" as "N (p%)  function  file.c or object".
callgrind_lines <- function(lines) sapply(lines, function(l) {
  mm <- regmatches(l, regexec("^\\s*([0-9,]+ \\([^)]*\\))\\s+(.*?):([^: ]+)(?: \\[(.*)\\])?$", l, perl = TRUE))[[1]]
  if (length(mm) < 4) return(l)
  where <- if (mm[3] == "???") basename(mm[5]) else basename(mm[3])
  sprintf("%22s  %-32s %s", mm[2], mm[4], where)
}, USE.NAMES = FALSE)
if (length(profiled)) {
  add("## Where bmc is slower: profiles")
  add("")
  add("For each benchmark where another tool samples faster or gives more ESS per second. ",
      "**perf** (where it works) samples the benchmark's own command, 4 chains at full length, and gives the share of ",
      "time spent in each function, exclusive of its callees. **callgrind** (`valgrind --tool=callgrind`, then ",
      "`callgrind_annotate`) counts instructions on one chain with the full data: the full 1000 + 1000 iterations where ",
      "bmc samples the model in under 2 s, ", settings[["profile_iters"]], " + ", settings[["profile_iters"]],
      " otherwise (so warm-up's long early trajectories weigh more, and the summary less, than in the real run). ",
      "Instruction counts are not time (a cache miss or a division costs more than an add), but they show where the work is, ",
      "and the inclusive counts show it by stage.")
  for (m in profiled) {
    add("")
    add("### ", m)
    pf <- prof_file(m, ".perf.txt")
    if (file.exists(pf)) {
      ptxt <- readLines(pf)
      nsamples <- sub("^# Samples: (\\S+).*$", "\\1", grep("^# Samples:", ptxt, value = TRUE)[1])
      pl <- grep("^\\s+[0-9.]+%", ptxt, value = TRUE)
      pl <- sapply(strsplit(trimws(pl), "\\s+"), function(f)
        sprintf("%7s  %-36s %s", f[1], paste(setdiff(f[-(1:3)], "-"), collapse = " "), f[2]))
      add("")
      add("Time per function (perf, the benchmark's command, ", nsamples, " samples):")
      add("")
      add("```")
      add(head(pl, 15))
      add("```")
    }
    if (file.exists(prof_file(m, ".txt"))) {
      txt <- readLines(prof_file(m, ".txt"))
      body <- txt[grepl("^\\s*[0-9,]+ \\(", txt) & !grepl("PROGRAM TOTALS", txt)]
      total <- grep("PROGRAM TOTALS", txt, value = TRUE)
      iters <- if (file.exists(prof_file(m, ".iters"))) readLines(prof_file(m, ".iters")) else "?"
      add("")
      add("Instructions per function (callgrind, one chain, ", iters, " + ", iters, " iterations):")
      add("")
      add("```")
      add(trimws(total))
      add(head(sub("\\s+$", "", callgrind_lines(body)), 15))
      add("```")
    }
    if (file.exists(prof_file(m, ".incl.txt"))) {
      incl <- readLines(prof_file(m, ".incl.txt"))
      incl <- incl[grepl("^\\s*[0-9,]+ \\(", incl) & grepl("/(runtime|src)/[^/:]+\\.c:", incl)]
      add("")
      add("The same, inclusive of callees, bmc's own functions:")
      add("")
      add("```")
      add(head(unique(sub("\\s+$", "", callgrind_lines(incl))), 10))
      add("```")
    }
  }
  add("")
}

if (file.exists("bench/analysis.md")) {
  add(readLines("bench/analysis.md"))
  add("")
}

writeLines(L, results)
