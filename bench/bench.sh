#!/bin/bash
# bench.sh -- runs every benchmark with bmc, JAGS and Stan in alternation and
# writes bench/RESULTS.md.  `make bench` calls it after building an optimised
# bmc and installing JAGS and rstan; run from the repository root.
#
# The tools: bmc with --sampler nuts ("bmc"), and on the benchmarks marked
# "exact" in bench/models.tsv again with --sampler auto ("bmcauto"); JAGS
# through rjags ("jags") and through its own command line, `jags FILE.cmd`
# ("jagscli"); Stan through rstan ("stan").  The posteriordb posteriors in
# bench/posteriordb/ (where that folder is) run with bmc and Stan only.
#
# Environment (defaults in brackets):
#   BMC            the bmc to measure [build/bench/bmc]
#   BENCH_CFLAGS   how it was compiled, for the report
#   BENCH_REPS     repetitions of each model and tool [3; quick: 1]; a row's
#                  reps=N in bench/models.tsv takes fewer on a slow benchmark
#   BENCH_QUICK    1: smaller data sets, one repetition, Stan models reused
#   BENCH_MODELS   names from bench/models.tsv or bench/posteriordb/models.tsv
#                  to run [all]
#   BENCH_TOOLS    tools to run [bmc bmcauto jags jagscli stan]
#   BENCH_POSTERIORDB  0: leave out the posteriordb posteriors [1]
#   BENCH_PDB_REPS repetitions of each posteriordb posterior [1]
#   BENCH_PDB_TIMEOUT  seconds after which a posteriordb run is stopped [120]
#   BENCH_OUT      working folder for data, draws and logs [bench/out]
#   BENCH_RESULTS  the report to write [bench/RESULTS.md; quick: BENCH_OUT/RESULTS.md]
#   BENCH_PROFILE  1: profile bmc (perf, callgrind) where it is slower [1]
#   BENCH_COMPARE  an earlier run's BENCH_OUT: the report compares the two
#   BENCH_PROFILE_ITERS  warm-up and draws of a shortened profiled run [50]
#   BENCH_TIMEOUT  seconds after which a run is stopped, and its tool not run
#                  again on that model [400]; a row's timeout=S overrides it
#
# Each run is a fresh process under /usr/bin/time (peak RSS, CPU seconds),
# its wall seconds from bash's microsecond clock.  Stan's chains run in forked processes, so for Stan the peak
# is also polled as the summed proportional set size (PSS) of the whole
# process session, and the larger figure kept.
set -u

BMC=${BMC:-build/bench/bmc}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then REPS=${BENCH_REPS:-1}; else REPS=${BENCH_REPS:-3}; fi
OUT=${BENCH_OUT:-bench/out}
if [ "$QUICK" = 1 ]; then RESULTS=${BENCH_RESULTS:-$OUT/RESULTS.md}; else RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}; fi
TOOLS=${BENCH_TOOLS:-bmc bmcauto jags jagscli stan}
POSTERIORDB=${BENCH_POSTERIORDB:-1}
PDB_REPS=${BENCH_PDB_REPS:-1}
PDB_TIMEOUT=${BENCH_PDB_TIMEOUT:-120}
PROFILE=${BENCH_PROFILE:-1}
PROFILE_ITERS=${BENCH_PROFILE_ITERS:-50}
TIMEOUT=${BENCH_TIMEOUT:-400}
CHAINS=4 WARMUP=1000 DRAWS=1000 CORES=4
# JAGS's warm-up: adaptation then burn-in, 1000 iterations in all.
ADAPT=500 BURNIN=500

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$BMC" ] || die "no bmc at $BMC"
for t in Rscript /usr/bin/time jags; do command -v "$t" >/dev/null || die "$t is missing (make bench installs it)"; done

mkdir -p "$OUT/data" "$OUT/stan" "$OUT/runs"
rm -rf "$OUT/profile"; mkdir -p "$OUT/profile"
: > "$OUT/runs.tsv"
{
    printf 'source\t%s\ncflags\t%s\n' "$(git describe --always --dirty 2>/dev/null || echo unknown)" "${BENCH_CFLAGS:-unknown}"
    printf 'load_start\t%s\nreps\t%s\nquick\t%s\nchains\t%s\nwarmup\t%s\ndraws\t%s\ncores\t%s\ntimeout\t%s\nprofile_iters\t%s\nbmc\t%s\nstarted\t%s\n' \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$REPS" "$QUICK" "$CHAINS" "$WARMUP" "$DRAWS" "$CORES" "$TIMEOUT" "$PROFILE_ITERS" "$BMC" "$(date -u '+%Y-%m-%d %H:%M UTC')"
} > "$OUT/settings.tsv"

# The selected benchmarks, one line each: name, the .bm, .bug and .stan files
# ("-": none), the name of the compiled Stan model, the data's path without
# its extension (DATA.json, DATA.R, DATA.csv), params and options (see
# bench/models.tsv; "pdb" marks a posteriordb posterior, whose reference is
# bench/posteriordb/NAME/reference.json).  Written to OUT/rows.tsv for
# report.R.
selected() { [ -z "${BENCH_MODELS:-}" ] || [[ " $BENCH_MODELS " == *" $1 "* ]]; }
list_rows() {
    grep -v '^#' bench/models.tsv | awk 'NF == 5' | while read -r name model data params options; do
        selected "$name" || continue
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "bench/models/$model.bm" "bench/models/$model.bug" \
            "bench/models/$model.stan" "$model" "$OUT/data/$data" "$params" "$options"
    done
    local pdb=bench/posteriordb
    [ "$POSTERIORDB" = 1 ] && [ -f "$pdb/models.tsv" ] || return 0
    grep -v '^#' "$pdb/models.tsv" | awk 'NF >= 2' | while read -r name params _; do
        selected "$name" || continue
        [ -f "$pdb/$name/model.bm" ] && [ -f "$pdb/$name/model.stan" ] && [ -f "$pdb/$name/data.json" ] || {
            echo "bench: $pdb/$name lacks model.bm, model.stan or data.json; left out" >&2; continue; }
        printf '%s\t%s\t-\t%s\t%s\t%s\t%s\t%s\n' "$name" "$pdb/$name/model.bm" "$pdb/$name/model.stan" \
            "pdb-$name" "$pdb/$name/data" "$params" "pdb,reps=$PDB_REPS,timeout=$PDB_TIMEOUT"
    done
}
rows() { cat "$OUT/rows.tsv"; }
# The value of KEY=VALUE in a row's options, or $3.
option() { local o; for o in ${1//,/ }; do [ "${o%%=*}" = "$2" ] && [ "$o" != "$2" ] && { echo "${o#*=}"; return; }; done; echo "$3"; }
has_option() { [[ ",$1," == *",$2,"* ]]; }
# bmc reads a benchmark's CSV file where gen_data.R wrote one (rows as a
# user has them), else its JSON file.
bmc_data() { if [ -f "$1.csv" ]; then echo "$1.csv"; else echo "$1.json"; fi; }
# The tools that run on one benchmark, in the order they alternate.
row_tools() {
    local bug=$1 options=$2 t
    for t in $TOOLS; do
        case $t in
        bmcauto)      has_option "$options" exact || continue ;;
        jags|jagscli) [ "$bug" != - ] || continue ;;
        esac
        echo "$t"
    done
}

echo "bench: data"
if [ "$QUICK" = 1 ]; then Rscript bench/gen_data.R "$OUT/data" quick; else Rscript bench/gen_data.R "$OUT/data"; fi \
    || die "gen_data.R failed"
list_rows > "$OUT/rows.tsv"

# Stan compiles each program once; the timed runs load the saved model.
if [[ " $TOOLS " == *" stan "* ]]; then
    while read -r stan model; do
        rds=$OUT/stan/$model.rds
        if [ "$QUICK" = 1 ] && [ -s "$rds" ] && [ "$rds" -nt "$stan" ]; then continue; fi
        echo "bench: compiling $stan with rstan"
        # rstan 2.21 (Debian's) parses only the array declarations of Stan
        # before 2.26: posteriordb's `array[N] real y;` is `real y[N];` to it.
        src=$stan
        if grep -q 'array\[' "$stan"; then
            src=$OUT/stan/$model.stan
            sed -E 's/array\[([^]]*)\][[:space:]]+([a-z_]+(<[^>]*>)?(\[[^]]*\])?)[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)/\2 \5[\1]/g' \
                "$stan" > "$src"
        fi
        # A program rstan cannot compile leaves its Stan runs failed (the
        # report says so), not the whole benchmark.
        /usr/bin/time -f '%e %M %U %S' -o "$OUT/stan/$model.time" \
            Rscript bench/compile_stan.R "$src" "$rds" "$OUT/stan/$model.json" \
            > "$OUT/stan/$model.log" 2>&1 || echo "bench: rstan failed to compile $stan: see $OUT/stan/$model.log" >&2
    done < <(rows | cut -f4,5 | sort -u)
fi

# Sums the PSS (RSS where smaps_rollup is missing) of the processes in
# session $SID, in kB.
session_kb() {
    local total=0 st line rest kb
    for st in /proc/[0-9]*/stat; do
        { read -r line < "$st"; } 2>/dev/null || continue
        rest=${line##*) }
        set -- $rest                  # state ppid pgrp session ...
        [ "${4:-}" = "$SID" ] || continue
        kb=$(awk '/^Pss:/ {print $2; exit}' "${st%/stat}/smaps_rollup" 2>/dev/null)
        [ -n "$kb" ] || kb=$(awk '/^VmRSS:/ {print $2; exit}' "${st%/stat}/status" 2>/dev/null)
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

# JAGS's command line reads a script: the model, the data in R's dump
# format, the chains' random number generators and seeds as rjags sets them
# (run_jags.R), adaptation, burn-in, the monitors, the draws, and the draws
# written in coda's format as DIR/CODAchainN.txt and DIR/CODAindex.txt.
jags_script() {
    local dir=$1 bug=$2 data=$3 seed=$4 params=$5 i v
    echo "load glm"
    echo "model in \"$bug\""
    echo "data in \"$data.R\""
    echo "compile, nchains($CHAINS)"
    for i in $(seq 1 $CHAINS); do
        printf '.RNG.name <- "base::Mersenne-Twister"\n.RNG.seed <- %d\n' $((seed * 100 + i)) > "$dir/inits$i.R"
        echo "parameters in \"$dir/inits$i.R\", chain($i)"
    done
    echo "initialize"
    echo "adapt $ADAPT"
    [ "$BURNIN" -gt 0 ] && echo "update $BURNIN"
    for v in ${params//,/ }; do echo "monitor $v"; done
    echo "update $DRAWS"
    echo "coda *, stem(\"$dir/CODA\")"
    echo "exit"
}

# One timed run of one tool on one benchmark: OUT/runs/NAME/TOOL/REP/.
run_one() {
    local tool=$1 name=$2 bm=$3 bug=$4 model=$5 data=$6 params=$7 rep=$8 timeout=$9
    local dir=$OUT/runs/$name/$tool/$rep seed=$rep
    rm -rf "$dir"; mkdir -p "$dir"
    local -a cmd
    case $tool in
    bmc|bmcauto)
          mkdir -p "$dir/csv"
          local sampler=nuts; [ "$tool" = bmcauto ] && sampler=auto
          cmd=("$BMC" run "$bm" --data "$(bmc_data "$data")" --sampler $sampler --seed "$seed"
               --chains $CHAINS --tune $WARMUP --draws $DRAWS --cores $CORES
               --format json --output-dir "$dir/csv") ;;
    jags) cmd=(Rscript bench/run_jags.R "$bug" "$data.json" "$dir"
               "$seed" $CHAINS $ADAPT $BURNIN $DRAWS "$params") ;;
    jagscli)
          jags_script "$dir" "$bug" "$data" "$seed" "$params" > "$dir/run.cmd"
          cmd=(jags "$dir/run.cmd") ;;
    stan) cmd=(Rscript bench/run_stan.R "$OUT/stan/$model.rds" "$data.json" "$dir"
               "$seed" $CHAINS $CORES $WARMUP $DRAWS "$params") ;;
    esac
    printf 'bench: %-14s %-7s rep %s ... ' "$name" "$tool" "$rep"
    local start=$SECONDS
    # /usr/bin/time gives the peak memory and CPU seconds, but wall seconds
    # to 0.01 s only; bash's microsecond clock around the command times runs
    # of a few hundredths of a second (DIR/wall.txt: start and end).
    setsid /usr/bin/time -f '%e %M %U %S' -o "$dir/time.txt" \
        bash -c 's=$EPOCHREALTIME; "$@"; rc=$?; echo "$s $EPOCHREALTIME" > "$0"; exit $rc' "$dir/wall.txt" "${cmd[@]}" \
        > "$dir/stdout" 2> "$dir/stderr" &
    local pid=$! peak=0 kb timed_out=0
    SID=$pid
    trap 'kill -- -$SID 2>/dev/null; exit 130' INT TERM
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$tool" = stan ]; then
            kb=$(session_kb); [ "$kb" -gt "$peak" ] && peak=$kb
        fi
        if [ $((SECONDS - start)) -ge "$timeout" ]; then
            timed_out=1
            kill -- -"$pid" 2>/dev/null; sleep 1; kill -9 -- -"$pid" 2>/dev/null
            break
        fi
        sleep 0.1
    done
    wait "$pid"; local rc=$?
    trap - INT TERM
    [ "$timed_out" = 1 ] && { rc=124; echo "$timeout" > "$dir/timeout"; }
    echo "$peak" > "$dir/session_kb"
    echo "$rc" > "$dir/rc"
    if [ "$rc" = 0 ] && Rscript bench/summarise.R "$tool" "$dir" "$params" 2> "$dir/summarise.err"; then
        awk '{ printf "%.3f s\n", $2 - $1 }' "$dir/wall.txt"
    elif [ "$timed_out" = 1 ]; then
        echo "stopped after $timeout s"
    else
        echo "FAILED (exit $rc): see $dir/stderr"
    fi
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$dir/csv" "$dir/draws.rds" "$dir"/CODA*.txt
    printf '%s\t%s\t%s\t%s\n' "$name" "$tool" "$rep" "$dir" >> "$OUT/runs.tsv"
}

# For each benchmark: bmc, JAGS, Stan, bmc, JAGS, Stan, ...  A tool that
# ran out of time on a benchmark is not run on it again.
while IFS=$'\t' read -r name bm bug stan model data params options; do
    stopped=" "
    reps=$(option "$options" reps "$REPS"); [ "$reps" -gt "$REPS" ] && reps=$REPS
    timeout=$(option "$options" timeout "$TIMEOUT")
    jags_timeout=$(option "$options" jagstimeout "$timeout")
    for rep in $(seq 1 "$reps"); do
        for tool in $(row_tools "$bug" "$options"); do
            [[ "$stopped" == *" $tool "* ]] && continue
            t=$timeout; [[ $tool == jags* ]] && t=$jags_timeout
            run_one "$tool" "$name" "$bm" "$bug" "$model" "$data" "$params" "$rep" "$t"
            [ -e "$OUT/runs/$name/$tool/$rep/timeout" ] && stopped="$stopped$tool "
        done
    done
done < <(rows)

# Where bmc is slower than another tool, profiles show where its time goes:
# perf, where it works, samples the benchmark's own command for time spent
# per function; callgrind counts instructions per function, exclusive and
# inclusive of callees, on a single chain: the full length when bmc samples
# the model in under 2 s, else PROFILE_ITERS warm-up iterations and draws.
if [ "$PROFILE" = 1 ]; then
    perf_ok=0
    command -v perf >/dev/null && perf record -q -o /dev/null true >/dev/null 2>&1 && perf_ok=1
    Rscript bench/report.R slower "$OUT" | while read -r name seconds; do
        IFS=$'\t' read -r _ bm _ _ _ data _ < <(rows | awk -F'\t' -v n="$name" '$1 == n')
        data=$(bmc_data "$data")
        prof=$OUT/profile/$name
        if [ "$perf_ok" = 1 ]; then
            echo "bench: profiling bmc on $name with perf"
            perf record -q -F 10000 -o "$prof.perf" "$BMC" run "$bm" --data "$data" --sampler nuts \
                --seed 1 --chains $CHAINS --tune $WARMUP --draws $DRAWS --cores $CORES --format json \
                < /dev/null > "$prof.perf.log" 2>&1 &&
            perf report -i "$prof.perf" --no-children --sort dso,symbol --stdio 2>/dev/null > "$prof.perf.txt"
            rm -f "$prof.perf"
        fi
        if command -v valgrind >/dev/null; then
            iters=$PROFILE_ITERS
            awk -v s="$seconds" 'BEGIN { exit !(s < 2) }' && iters=$WARMUP
            echo "bench: profiling bmc on $name with callgrind ($iters + $iters iterations, 1 chain)"
            valgrind --tool=callgrind --callgrind-out-file="$prof.callgrind" \
                "$BMC" run "$bm" --data "$data" --sampler nuts --seed 1 \
                --chains 1 --cores 1 --tune "$iters" --draws "$iters" < /dev/null > "$prof.log" 2>&1
            echo "$iters" > "$prof.iters"
            callgrind_annotate --inclusive=no "$prof.callgrind" > "$prof.txt" 2>/dev/null
            callgrind_annotate --inclusive=yes "$prof.callgrind" > "$prof.incl.txt" 2>/dev/null
            rm -f "$prof.callgrind"
        fi
    done
fi

printf 'finished\t%s\nload_end\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    >> "$OUT/settings.tsv"
Rscript bench/report.R write "$OUT" "$RESULTS" || die "report.R failed"
echo "bench: wrote $RESULTS"
