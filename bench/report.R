# report.R -- turns bench.sh's runs into bench/RESULTS.md.
#
#   Rscript bench/report.R write OUT RESULTS.md   the tables, the machine, the profiles
#   Rscript bench/report.R slower OUT             the benchmarks where bmc is slower
#   Rscript bench/report.R compare OUT1 OUT2      two runs' medians, the second over the first
#
# OUT is bench.sh's working folder: runs.tsv lists the run folders, each
# with time.txt (wall seconds, peak RSS kB, user and system CPU seconds from
# /usr/bin/time), rc, session_kb, the tool's own output and summary.json
# from summarise.R.
suppressPackageStartupMessages(library(jsonlite))

a <- commandArgs(trailingOnly = TRUE)
mode <- a[1]; out <- a[2]
tools <- c("bmc", "jags", "stan")
label <- c(bmc = "bmc", jags = "JAGS", stan = "Stan")
`%||%` <- function(x, y) if (is.null(x)) y else x

read_run <- function(name, tool, rep, dir) {
  r <- list(name = name, tool = tool, rep = as.integer(rep), ok = FALSE,
            timeout = file.exists(file.path(dir, "timeout")))
  rc <- if (file.exists(file.path(dir, "rc"))) as.integer(readLines(file.path(dir, "rc"))) else NA
  sfile <- file.path(dir, "summary.json")
  if (is.na(rc) || rc != 0 || !file.exists(sfile)) return(r)
  tl <- strsplit(tail(readLines(file.path(dir, "time.txt")), 1), " ")[[1]]
  tm <- as.numeric(tl)
  r$wall <- tm[1]
  r$cpu <- tm[3] + tm[4]
  session <- as.numeric(readLines(file.path(dir, "session_kb")))
  r$mem_mb <- max(tm[2], session) / 1024
  if (tool == "bmc") {
    j <- fromJSON(file.path(dir, "stdout"))
    r$sampling <- j$sampler$seconds
    r$divergences <- j$sampler$divergences
  } else {
    j <- fromJSON(file.path(dir, "timing.json"))
    r$sampling <- j$sampling_seconds
    r$divergences <- if (is.null(j$divergences)) NA else j$divergences
  }
  s <- fromJSON(file.path(dir, "summary.json"), simplifyVector = FALSE)
  r$ess <- s$min_ess_bulk
  r$ess_var <- s$min_ess_variable
  r$rhat <- s$max_rhat
  r$vars <- s$variables
  r$ok <- TRUE
  r
}

model_of <- local({
  m <- read.table("bench/models.tsv", comment.char = "#", stringsAsFactors = FALSE,
                  col.names = c("name", "model", "data", "params"))
  setNames(m$model, m$name)
})

# Everything one bench.sh run left in OUT: the runs, and per model and tool
# the medians over the repetitions.
load_out <- function(out) {
  runs_tsv <- file.path(out, "runs.tsv")
  idx <- if (file.exists(runs_tsv) && file.info(runs_tsv)$size > 0) {
    read.table(runs_tsv, sep = "\t", col.names = c("name", "tool", "rep", "dir"), stringsAsFactors = FALSE)
  } else data.frame(name = character(), tool = character(), rep = integer(), dir = character())
  runs <- lapply(seq_len(nrow(idx)), function(i) read_run(idx$name[i], idx$tool[i], idx$rep[i], idx$dir[i]))
  models <- unique(idx$name)

  stan_compile <- function(name) {
    f <- file.path(out, "stan", paste0(model_of[[name]], ".json"))
    if (!file.exists(f)) return(c(seconds = NA, mem_mb = NA))
    tm <- as.numeric(strsplit(tail(readLines(file.path(out, "stan", paste0(model_of[[name]], ".time"))), 1), " ")[[1]])
    c(seconds = fromJSON(f)$compile_seconds, mem_mb = tm[2] / 1024)
  }

  cell <- function(name, tool) {
    rs <- Filter(function(r) r$name == name && r$tool == tool, runs)
    ok <- Filter(function(r) r$ok, rs)
    res <- list(n = length(rs), nok = length(ok), timeout = any(sapply(rs, function(r) r$timeout)))
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
    res$mem <- median(g(function(r) r$mem_mb))
    res$rhat <- max(g(function(r) r$rhat))
    res$divergences <- sum(g(function(r) r$divergences))
    res$runs <- ok
    res
  }
  cells <- lapply(models, function(m) setNames(lapply(tools, function(t) cell(m, t)), tools))
  names(cells) <- models
  list(idx = idx, runs = runs, models = models, cells = cells)
}

# Two runs of bench.sh side by side: per benchmark and tool, the second's
# medians over the first's (1.00: the same), as rows of text.
compare_rows <- function(A, B) {
  rows <- list()
  for (m in intersect(A$models, B$models)) for (t in tools) {
    x <- A$cells[[m]][[t]]; y <- B$cells[[m]][[t]]
    r <- function(k) if (is.null(x[[k]]) || is.null(y[[k]]) || is.na(x[[k]]) || is.na(y[[k]])) "–" else sprintf("%.2f", y[[k]] / x[[k]])
    rows[[length(rows) + 1]] <- c(m, label[[t]], r("e2e"), r("sampling"), r("ess"), r("ess_s"), r("mem"))
  }
  rows
}

if (mode == "compare") {
  rows <- compare_rows(load_out(a[2]), load_out(a[3]))
  cat(sprintf("%-14s %-5s %9s %9s %9s %9s %9s\n", "benchmark", "tool", "e2e", "sampling", "minESS", "ESS/s", "memory"))
  for (r in rows) cat(do.call(sprintf, c(list("%-14s %-5s %9s %9s %9s %9s %9s\n"), as.list(r))))
  quit(status = 0)
}

L0 <- load_out(out)
idx <- L0$idx; runs <- L0$runs; models <- L0$models; cells <- L0$cells

# bmc is slower on a model where another tool samples faster or gives more
# effective draws per second.
slower <- function(m) {
  b <- cells[[m]]$bmc
  if (is.null(b$sampling)) return(FALSE)
  any(sapply(c("jags", "stan"), function(t) {
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
add("Models: `bench/models/` (each as `.bm`, JAGS `.bug` and `.stan`); data: `bench/gen_data.R`.")
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
    " (glm module loaded); Stan through rstan ", as.character(packageVersion("rstan")),
    " (StanHeaders ", as.character(packageVersion("StanHeaders")), "); ", R.version.string,
    "; ESS from posterior ", as.character(packageVersion("posterior")))
add("- Every tool: ", settings[["chains"]], " chains, ", settings[["warmup"]], " warm-up iterations (JAGS: 500 adaptation + 500 burn-in), ",
    settings[["draws"]], " draws per chain; ", settings[["reps"]], " repetition(s) of each model and tool, run in alternation ",
    "(bmc, JAGS, Stan, bmc, ...) with seeds 1, 2, ...", if (settings[["quick"]] == "1") "; **quick mode: smaller data sets**" else "")
add("- Parallelism: bmc `--cores ", settings[["cores"]], "` (threads) and rstan `cores = ", settings[["cores"]],
    "` (forked processes) run the 4 chains side by side on the machine's cores; rjags runs them one after another in one process.")
add("")
add("## What is measured")
add("")
add("- **end-to-end**: wall seconds of a fresh process that reads the model and data, compiles, samples and writes the draws ",
    "(`/usr/bin/time`). For Stan it is the compile time plus the wall time of a run that loads the compiled model: ",
    "rstan compiles each model once (`compile`, measured inside R around `stan_model()`), and the repetitions reuse it, ",
    "so end-to-end is what a fresh user waits for; *run* is Stan's wall time without compiling.")
add("- **sampling**: the sampling phase alone, warm-up included, in wall seconds: bmc's `sampler.seconds` (`--format json`); ",
    "JAGS's `adapt()`, burn-in `update()` and `coda.samples()` together; for Stan, rstan 2.21's `get_elapsed_time()` is each ",
    "chain's CPU seconds (Stan's `std::clock()`), and with ", settings[["chains"]], " chains in as many processes on ",
    sh("nproc"), " cores the phase's wall time is their sum / ", min(as.numeric(settings[["chains"]]), as.numeric(settings[["cores"]]), as.numeric(sh("nproc"))),
    ". That leaves out rstan's forking of the chains and collecting their draws, which *run* includes.")
add("- **min ESS**: the smallest bulk ESS over the model's parameters (`bench/models.tsv`), computed for every tool by ",
    "`posterior::ess_bulk` on its draws (bmc's from its `--output-dir` CSV files); **ESS/s** = min ESS / sampling seconds.")
add("- **CPU s**: user + system CPU seconds of the run (rstan's forked chains included).")
add("- **memory**: peak resident memory of the run in MB (`/usr/bin/time`'s max RSS; for Stan, whose chains are forked ",
    "processes, the larger of that and the polled peak of the summed PSS of all its processes). ",
    "Compiling a Stan model takes more: its peak is given below the table.")
add("- Medians over the repetitions; *±* is the spread (max − min) / median of the sampling time.")
add("")

add("## Results (medians)")
add("")
add("| benchmark | tool | end-to-end s | compile s | run s | sampling s | ± | min ESS | ESS/s | CPU s | memory MB |")
add("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for (m in models) for (t in tools) {
  c <- cells[[m]][[t]]
  if (c$n == 0) next
  if (c$nok == 0 && c$timeout) {
    add("| ", m, " | ", label[[t]], " | > ", timeout, " (stopped) | ", if (t == "stan") f3(c$compile) else "–",
        " | > ", timeout, " | | | | | | |")
    next
  }
  if (c$nok == 0) { add("| ", m, " | ", label[[t]], " | failed (", c$n, " of ", c$n, " runs) | | | | | | | | |"); next }
  add("| ", m, " | ", label[[t]], if (c$nok < c$n) sprintf(" (%d of %d ok)", c$nok, c$n) else "",
      " | ", f3(c$e2e), " | ", if (t == "stan") f3(c$compile) else "–", " | ", f3(c$run_wall), " | ", f3(c$sampling),
      " | ", pct(c$sampling_spread), " | ", f3(c$ess, 4), " | ", f3(c$ess_s), " | ", f3(c$cpu), " | ", f3(c$mem), " |")
}
stan_mem <- unlist(lapply(models, function(m) cells[[m]]$stan$compile_mem))
if (length(stan_mem) && any(!is.na(stan_mem)))
  add("\nCompiling a Stan model (rstan's `stan_model()` in a fresh R process) peaks at ",
      f3(min(stan_mem, na.rm = TRUE)), "–", f3(max(stan_mem, na.rm = TRUE)), " MB of memory.")
add("")

add("## Ratios")
add("")
add("Each ratio is the other tool's figure over bmc's, turned so that **above 1 favours bmc**: ",
    "times and memory are tool ÷ bmc (how many times faster or smaller bmc is), ESS/s is bmc ÷ tool.")
add("")
add("| benchmark | end-to-end vs JAGS | vs Stan | sampling vs JAGS | vs Stan | ESS/s vs JAGS | vs Stan | memory vs JAGS | vs Stan |")
add("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
rat <- list()
bounds <- character()
for (m in models) {
  b <- cells[[m]]$bmc
  row <- c()
  for (k in c("e2e", "sampling", "ess_s", "mem")) for (t in c("jags", "stan")) {
    o <- cells[[m]][[t]]
    v <- if (is.null(b[[k]]) || is.null(o[[k]])) NA else if (k == "ess_s") b[[k]] / o[[k]] else o[[k]] / b[[k]]
    row[paste(k, t)] <- v
  }
  rat[[m]] <- row
  shown <- sapply(row, ratio)
  # A stopped run bounds the ratio of end-to-end times from below.
  for (t in c("jags", "stan")) {
    o <- cells[[m]][[t]]
    if (o$nok == 0 && o$timeout && !is.null(b$e2e)) {
      shown[[paste("e2e", t)]] <- paste0("> ", ratio(timeout / b$e2e))
      rat[[m]][[paste("e2e", t)]] <- timeout / b$e2e
      bounds <- c(bounds, paste("e2e", t))
    }
  }
  add("| ", m, " | ", paste(shown, collapse = " | "), " |")
}
if (length(rat)) {
  keys <- names(rat[[1]])
  gm <- sapply(keys, function(k) gmean(sapply(rat, function(r) r[[k]])))
  md <- sapply(keys, function(k) median(sapply(rat, function(r) r[[k]]), na.rm = TRUE))
  bold <- function(v) sapply(keys, function(k) paste0("**", if (k %in% bounds) "> " else "", ratio(v[[k]]), "**"))
  add("| **median** | ", paste(bold(md), collapse = " | "), " |")
  add("| **geometric mean** | ", paste(bold(gm), collapse = " | "), " |")
  if (length(bounds)) add("\n\"> N×\": a run was stopped after ", timeout, " s (BENCH_TIMEOUT), so the ratio is at least N×.")
  add("")
  lb <- function(k) paste0(if (k %in% bounds) "at least " else "", ratio(md[[k]]), " (", ratio(gm[[k]]), ")")
  add("Headline, as the median over the benchmarks (geometric mean in brackets): bmc's end-to-end time is ", lb("e2e jags"),
      " shorter than JAGS's and ", lb("e2e stan"), " shorter than Stan's (compile included); ",
      "its ESS per second of sampling is ", lb("ess_s jags"), " JAGS's and ", lb("ess_s stan"),
      " Stan's; its peak memory is ", lb("mem jags"), " smaller than JAGS's and ", lb("mem stan"), " smaller than Stan's.")
}
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
    "Then the means of the first parameters, and the divergent transitions over all runs (JAGS has none to report).")
add("")
add("| benchmark | max abs z bmc–Stan | bmc–JAGS | JAGS–Stan | means (bmc / JAGS / Stan) | divergences bmc / Stan | max R-hat bmc / JAGS / Stan |")
add("|---|--:|--:|--:|---|--:|--:|")
pooled <- function(c) {
  vs <- names(c$runs[[1]]$vars)
  m <- sapply(vs, function(v) mean(sapply(c$runs, function(r) r$vars[[v]]$mean)))
  se <- sapply(vs, function(v) sqrt(sum(sapply(c$runs, function(r) r$vars[[v]]$sd^2 / r$vars[[v]]$ess_bulk))) / length(c$runs))
  list(mean = m, se = se)
}
for (m in models) {
  p <- lapply(cells[[m]], function(c) if (c$nok > 0) pooled(c) else NULL)
  z <- function(x, y) {
    if (is.null(p[[x]]) || is.null(p[[y]])) return("–")
    v <- intersect(names(p[[x]]$mean), names(p[[y]]$mean))
    zz <- abs(p[[x]]$mean[v] - p[[y]]$mean[v]) / sqrt(p[[x]]$se[v]^2 + p[[y]]$se[v]^2)
    sprintf("%.1f (%s)", max(zz), names(zz)[which.max(zz)])
  }
  any_ok <- Filter(function(c) c$nok > 0, cells[[m]])
  first <- if (length(any_ok)) head(names(any_ok[[1]]$runs[[1]]$vars), 2) else character()
  means <- paste(sapply(first, function(v) paste0(v, " ", paste(sapply(tools, function(t)
    if (is.null(p[[t]])) "–" else f3(p[[t]]$mean[[v]])), collapse = " / "))), collapse = "; ")
  dv <- function(t) if (cells[[m]][[t]]$nok > 0) as.character(cells[[m]][[t]]$divergences) else "–"
  rh <- paste(sapply(tools, function(t) if (cells[[m]][[t]]$nok > 0) sprintf("%.3f", cells[[m]][[t]]$rhat) else "–"), collapse = " / ")
  add("| ", m, " | ", z("bmc", "stan"), " | ", z("bmc", "jags"), " | ", z("jags", "stan"), " | ", means,
      " | ", dv("bmc"), " / ", dv("stan"), " | ", rh, " |")
}
add("")

failed <- Filter(function(r) !r$ok, runs)
if (length(failed)) {
  add("## Failed or stopped runs")
  add("")
  for (r in failed) {
    dir <- idx$dir[idx$name == r$name & idx$tool == r$tool & idx$rep == r$rep]
    err <- if (file.exists(file.path(dir, "stderr"))) tail(readLines(file.path(dir, "stderr")), 5) else character()
    if (r$timeout) {
      add("- ", r$name, ", ", label[[r$tool]], ", repetition ", r$rep, ": stopped after ", timeout,
          " s (BENCH_TIMEOUT); no further repetitions were run.")
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
