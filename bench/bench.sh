#!/bin/bash
# bench.sh -- runs every benchmark with bmc, JAGS and Stan in alternation and
# writes bench/RESULTS.md.  `make bench` calls it after building an optimised
# bmc and installing JAGS and rstan; run from the repository root.
#
# Environment (defaults in brackets):
#   BMC            the bmc to measure [build/bench/bmc]
#   BENCH_CFLAGS   how it was compiled, for the report
#   BENCH_REPS     repetitions of each model and tool [3; quick: 1]
#   BENCH_QUICK    1: smaller data sets, one repetition, Stan models reused
#   BENCH_MODELS   names from bench/models.tsv to run [all]
#   BENCH_TOOLS    tools to run [bmc jags stan]
#   BENCH_OUT      working folder for data, draws and logs [bench/out]
#   BENCH_RESULTS  the report to write [bench/RESULTS.md; quick: BENCH_OUT/RESULTS.md]
#   BENCH_PROFILE  1: profile bmc (perf, callgrind) where it is slower [1]
#   BENCH_COMPARE  an earlier run's BENCH_OUT: the report compares the two
#   BENCH_PROFILE_ITERS  warm-up and draws of a shortened profiled run [50]
#   BENCH_TIMEOUT  seconds after which a run is stopped, and its tool not run
#                  again on that model [400]
#
# Each run is a fresh process under /usr/bin/time (wall seconds, peak RSS,
# CPU seconds).  Stan's chains run in forked processes, so for Stan the peak
# is also polled as the summed proportional set size (PSS) of the whole
# process session, and the larger figure kept.
set -u

BMC=${BMC:-build/bench/bmc}
QUICK=${BENCH_QUICK:-0}
if [ "$QUICK" = 1 ]; then REPS=${BENCH_REPS:-1}; else REPS=${BENCH_REPS:-3}; fi
OUT=${BENCH_OUT:-bench/out}
if [ "$QUICK" = 1 ]; then RESULTS=${BENCH_RESULTS:-$OUT/RESULTS.md}; else RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}; fi
TOOLS=${BENCH_TOOLS:-bmc jags stan}
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

# The selected rows of models.tsv: name model data params.
rows() {
    grep -v '^#' bench/models.tsv | awk 'NF == 4' | while read -r name model data params; do
        if [ -z "${BENCH_MODELS:-}" ] || [[ " $BENCH_MODELS " == *" $name "* ]]; then
            echo "$name $model $data $params"
        fi
    done
}

echo "bench: data"
if [ "$QUICK" = 1 ]; then Rscript bench/gen_data.R "$OUT/data" quick; else Rscript bench/gen_data.R "$OUT/data"; fi \
    || die "gen_data.R failed"

# Stan compiles each program once; the timed runs load the saved model.
if [[ " $TOOLS " == *" stan "* ]]; then
    for model in $(rows | awk '{print $2}' | sort -u); do
        rds=$OUT/stan/$model.rds
        if [ "$QUICK" = 1 ] && [ -s "$rds" ] && [ "$rds" -nt "bench/models/$model.stan" ]; then continue; fi
        echo "bench: compiling bench/models/$model.stan with rstan"
        /usr/bin/time -f '%e %M %U %S' -o "$OUT/stan/$model.time" \
            Rscript bench/compile_stan.R "bench/models/$model.stan" "$rds" "$OUT/stan/$model.json" \
            > "$OUT/stan/$model.log" 2>&1 || die "rstan failed to compile $model.stan: see $OUT/stan/$model.log"
    done
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

# One timed run of one tool on one model: bench/out/runs/NAME/TOOL/REP/.
run_one() {
    local tool=$1 name=$2 model=$3 data=$4 params=$5 rep=$6
    local dir=$OUT/runs/$name/$tool/$rep seed=$rep
    rm -rf "$dir"; mkdir -p "$dir"
    local -a cmd
    case $tool in
    bmc)  mkdir -p "$dir/csv"
          cmd=("$BMC" run "bench/models/$model.bm" --data "$OUT/data/$data.json" --seed "$seed"
               --chains $CHAINS --tune $WARMUP --draws $DRAWS --cores $CORES
               --format json --output-dir "$dir/csv") ;;
    jags) cmd=(Rscript bench/run_jags.R "bench/models/$model.bug" "$OUT/data/$data.json" "$dir"
               "$seed" $CHAINS $ADAPT $BURNIN $DRAWS "$params") ;;
    stan) cmd=(Rscript bench/run_stan.R "$OUT/stan/$model.rds" "$OUT/data/$data.json" "$dir"
               "$seed" $CHAINS $CORES $WARMUP $DRAWS "$params") ;;
    esac
    printf 'bench: %-14s %-4s rep %s ... ' "$name" "$tool" "$rep"
    local start=$SECONDS
    setsid /usr/bin/time -f '%e %M %U %S' -o "$dir/time.txt" "${cmd[@]}" > "$dir/stdout" 2> "$dir/stderr" &
    local pid=$! peak=0 kb timed_out=0
    SID=$pid
    trap 'kill -- -$SID 2>/dev/null; exit 130' INT TERM
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$tool" = stan ]; then
            kb=$(session_kb); [ "$kb" -gt "$peak" ] && peak=$kb
        fi
        if [ $((SECONDS - start)) -ge "$TIMEOUT" ]; then
            timed_out=1
            kill -- -"$pid" 2>/dev/null; sleep 1; kill -9 -- -"$pid" 2>/dev/null
            break
        fi
        sleep 0.1
    done
    wait "$pid"; local rc=$?
    trap - INT TERM
    [ "$timed_out" = 1 ] && { rc=124; echo "$TIMEOUT" > "$dir/timeout"; }
    echo "$peak" > "$dir/session_kb"
    echo "$rc" > "$dir/rc"
    if [ "$rc" = 0 ] && Rscript bench/summarise.R "$tool" "$dir" "$params" 2> "$dir/summarise.err"; then
        echo "$(tail -1 "$dir/time.txt" | cut -d' ' -f1) s"
    elif [ "$timed_out" = 1 ]; then
        echo "stopped after $TIMEOUT s"
    else
        echo "FAILED (exit $rc): see $dir/stderr"
    fi
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$dir/csv" "$dir/draws.rds"
    printf '%s\t%s\t%s\t%s\n' "$name" "$tool" "$rep" "$dir" >> "$OUT/runs.tsv"
}

# For each model: bmc, JAGS, Stan, bmc, JAGS, Stan, ...  A tool that ran
# out of time on a model is not run on it again.
while read -r name model data params; do
    stopped=" "
    for rep in $(seq 1 "$REPS"); do
        for tool in $TOOLS; do
            [[ "$stopped" == *" $tool "* ]] && continue
            run_one "$tool" "$name" "$model" "$data" "$params" "$rep"
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
        read -r _ model data _ < <(rows | awk -v n="$name" '$1 == n')
        prof=$OUT/profile/$name
        if [ "$perf_ok" = 1 ]; then
            echo "bench: profiling bmc on $name with perf"
            perf record -q -F 10000 -o "$prof.perf" "$BMC" run "bench/models/$model.bm" --data "$OUT/data/$data.json" \
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
                "$BMC" run "bench/models/$model.bm" --data "$OUT/data/$data.json" --seed 1 \
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
