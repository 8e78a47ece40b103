#!/bin/sh
# test_compile.sh -- the compiler's command line: `bmc check`, `bmc ir` and
# `bmc logp`.
#
#   1. check accepts every models/*.bm (eight_schools with and without data);
#   2. exit codes 0/1/2 and the messages of usage errors;
#   3. several errors are reported in one run, and past the limit counted;
#   4. logp of the article's models against values derived by hand and computed
#      with R (each R expression is in a comment beside its numbers), to
#      1e-10 relative, in text and in --format json;
#   5. logp's own errors (missing, unknown, out-of-support and bad values);
#   6. `bmc ir` (and -O0) of tests/ir/*.bm against the expected dumps tests/ir/*.ir,
#      each written by hand from what the IR of its model must be;
#   7. a sum of 100,000 terms is no nesting: check, logp and graph walk it
#      (under the sanitizers too) without running out of stack.
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last and
# exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
bmc_timeout=20

# close GOT WANT: |GOT - WANT| <= 1e-10 |WANT| (exactly equal when WANT is 0).
close() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "" || a !~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) exit 1
        d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
        exit !(d <= 1e-10 * m)
    }'
}

# logp MODEL "ARGS" NAME=VALUE...: runs bmc logp (text, then --format json)
# and compares logp and each gradient element NAME with VALUE.
logp() {
    model=$1; args=$2; shift 2
    set -f   # theta[1]=... is no pattern
    # shellcheck disable=SC2086
    bmc logp "$model" $args
    # shellcheck disable=SC2086
    timeout "$bmc_timeout" "$BMC" logp "$model" $args --format json >"$tmp/json" 2>"$tmp/jerr"
    jrc=$?
    set +f
    if [ "$rc" -ne 0 ]; then fail "logp $model: exit $rc"; show "$tmp/err"; return; fi
    for pair in "$@"; do
        name=${pair%%=*}; want=${pair#*=}
        if [ "$name" = logp ]; then
            got=$(sed -n 's/^logp = //p' "$tmp/out")
        else
            got=$(awk -v n="$name" 'found && $1 == n { print $2 } /^gradient:/ { found = 1 }' "$tmp/out")
        fi
        if close "$got" "$want"; then pass; else fail "logp $model: $name = '$got', expected $want"; fi
        if [ "$jrc" -ne 0 ]; then fail "logp $model --format json: exit $jrc"; continue; fi
        if [ -n "$json_tool" ]; then
            if [ "$name" = logp ]; then got=$(json_get "$tmp/json" logp); else got=$(json_get "$tmp/json" gradient "$name"); fi
            if close "$got" "$want"; then pass; else fail "logp $model --format json: $name = '$got', expected $want"; fi
        fi
    done
}

# json_get FILE KEY [KEY2]: a number from the JSON object in FILE.
json_tool=
if command -v jq >/dev/null 2>&1; then json_tool=jq
elif command -v python3 >/dev/null 2>&1; then json_tool=python3
else echo "note: neither jq nor python3 is installed: the JSON output of logp is checked for its exit code only"; fi
json_get() {
    if [ "$json_tool" = jq ]; then
        if [ $# -eq 2 ]; then jq -r --arg k "$2" '.[$k]' "$1"; else jq -r --arg k "$2" --arg j "$3" '.[$k][$j]' "$1"; fi
    else
        python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]: v = v[k]
print(repr(float(v)))' "$@"
    fi
}

# ---- 1. check accepts every model

for m in models/*.bm; do
    bmc check "$m"
    expect_rc 0 "check $m"
    expect_empty "$tmp/out" "check $m"
    case $m in
        */eight_schools.bm) expect_err "checked without values for data 'J', 'y', 'sigma'" "check $m without data" ;;
        */regression.bm) expect_err "checked without values for data 'N', 'K', 'X', 'y'" "check $m without data" ;;
        */ab_simulate.bm) expect_err "checked without values for data 'trials', 'y_A', 'y_B'" "check $m without data" ;;
        */ab_visits.bm) expect_err "checked without values for data 'page', 'bought'" "check $m without data" ;;
        *) expect_empty "$tmp/err" "check $m" ;;
    esac
    # a model that ships its data beside it, or names them in its run line
    # ("#   bmc run models/ab_visits.bm --data models/visits.csv"), is
    # checked with them too
    data=${m%.bm}.json
    [ -f "$data" ] || data=$(sed -n 's/^#.* --data \(models\/[^ ]*\).*/\1/p' "$m" | head -n 1)
    if [ -n "$data" ] && [ -f "$data" ]; then
        bmc check "$m" --data "$data"
        expect_rc 0 "check $m --data"
        expect_empty "$tmp/err" "check $m --data"
    fi
done
bmc check models/eight_schools.bm --data models/eight_schools.json
expect_rc 0 "check eight_schools --data"
expect_empty "$tmp/err" "check eight_schools --data"
bmc check models/eight_schools.bm -D J=2 -D 'y=[1,2]' -D 'sigma=[1,1]'
expect_rc 0 "check eight_schools -D"
# data given in part: what is left out is an error, as for run
bmc check models/eight_schools.bm -D J=8
expect_rc 1 "check eight_schools with J only"
expect_err "models/eight_schools.bm:6:6: error: no value for data 'y'" "check eight_schools with J only"
# ir needs the data: nothing can be lowered without them
bmc ir models/eight_schools.bm
expect_rc 1 "ir eight_schools without data"
expect_err "models/eight_schools.bm:5:6: error: no value for data 'J'" "ir eight_schools without data"
bmc ir models/eight_schools.bm --data models/eight_schools.json
expect_rc 0 "ir eight_schools --data"

# A UTF-8 byte order mark before the first line is no text: columns count
# from the character after it.
bmc check tests/repl/bom.bm
expect_rc 0 "check a model file with a byte order mark"
printf '\357\273\277x = $;\n' >"$tmp/bom.bm"
bmc check "$tmp/bom.bm"
expect_rc 1 "an error after a byte order mark"
expect_err "bom.bm:1:5: error: unexpected character '\$'" "an error after a byte order mark"

# ---- 2. exit codes and usage errors

bmc
expect_rc 2 "bmc without a command"
bmc frobnicate
expect_rc 2 "unknown command"
expect_err "unknown command 'frobnicate'" "unknown command"
bmc sample models/ab.bm
expect_rc 2 "PyMC's word for run"
expect_err "bmc has no command 'sample'; to sample a model: bmc run MODEL.bm" "PyMC's word for run"
bmc chekc models/ab.bm
expect_rc 2 "a misspelt command"
expect_err "note: did you mean 'check'?" "a misspelt command"
bmc help distribtions
expect_rc 2 "a misspelt help topic"
expect_err "note: did you mean 'distributions'?" "a misspelt help topic"
bmc run models/ab.bm --chain 2
expect_rc 2 "a misspelt option"
expect_err "unknown option '--chain'" "a misspelt option"
expect_err "note: did you mean '--chains'? see 'bmc help run'" "a misspelt option"
bmc run models/ab.bm --seeds=3
expect_rc 2 "a misspelt option with its value"
expect_err "note: did you mean '--seed'?" "a misspelt option with its value"
bmc run models/ab.bm --num_samples 100
expect_rc 2 "CmdStan's name of an option"
expect_err "note: did you mean '--draws'?" "CmdStan's name of an option"
bmc compare models/ab.bm models/abc.bm --random-seed 1
expect_rc 2 "PyMC's name of an option"
expect_err "note: did you mean '--seed'? see 'bmc help compare'" "PyMC's name of an option"
bmc check models/ab.bm --dta x.json
expect_rc 2 "a misspelt data option"
expect_err "note: did you mean '--data'? see 'bmc help check'" "a misspelt data option"
bmc graph models/ab.bm --rendr x.svg
expect_rc 2 "a misspelt graph option"
expect_err "note: did you mean '--render'?" "a misspelt graph option"
bmc models/ab.bm
expect_rc 2 "a model file as the command"
expect_err "bmc run models/ab.bm" "a model file as the command"
for cmd in check ir logp; do
    bmc "$cmd"
    expect_rc 2 "$cmd without a file"
    expect_err "no model file given" "$cmd without a file"
    bmc "$cmd" models/ab.bm --bogus
    expect_rc 2 "$cmd --bogus"
    expect_err "unknown option '--bogus'" "$cmd --bogus"
    bmc "$cmd" models/ab.bm --data
    expect_rc 2 "$cmd --data without a file"
    bmc "$cmd" does/not/exist.bm
    expect_rc 1 "$cmd on a missing file"
    expect_err "does/not/exist.bm" "$cmd on a missing file"
done
bmc check models/ab.bm models/abc.bm
expect_rc 2 "check with two models"
expect_err "one model at a time" "check with two models"
bmc logp models/ab.bm p_A=0.1 p_B=0.2 --format xml
expect_rc 2 "logp --format xml"
bmc check models/ab.bm --data does/not/exist.json
expect_rc 1 "check with a missing data file"
bmc check tests/errors/unknown_distribution.bm
expect_rc 1 "check a wrong model"
expect_empty "$tmp/out" "check a wrong model"

# -D names data the model declares: a misspelt name, or a constant's, is
# an error (it would change nothing); a data file's other names are not.
bmc check models/ab.bm -D trails=10
expect_rc 1 "-D with a misspelt name"
expect_err "-D 'trails=10': error: models/ab.bm declares no data 'trails'" "-D with a misspelt name"
expect_err "note: did you mean 'trials'?" "-D with a misspelt name"
expect_err "models/ab.bm:3:1: note: 'trials' is defined here" "-D with a misspelt name"
bmc run models/ab.bm -D trials=10 --draws 10 --tune 10
expect_rc 1 "run -D with a constant's name"
expect_err "-D 'trials=10': error: 'trials' is not data: it is defined in models/ab.bm" "run -D with a constant's name"
expect_err "write 'data trials;' in place of its definition" "run -D with a constant's name"
expect_empty "$tmp/out" "run -D with a constant's name"
bmc logp models/ab.bm p_A=0.1 p_B=0.2 -D p_A=0.3
expect_rc 1 "logp -D with a parameter's name"
expect_err "'p_A' is not data: it is declared as a parameter in models/ab.bm" "logp -D with a parameter's name"
bmc check models/eight_schools.bm --data models/eight_schools.json -D Jx=8
expect_rc 1 "-D with a misspelt data name"
expect_err "note: did you mean 'J'?" "-D with a misspelt data name"
bmc check models/eight_schools.bm --data models/eight_schools.json -D qqqq=8
expect_rc 1 "-D with a name like nothing"
expect_err "note: its data are J, y, sigma" "-D with a name like nothing"
bmc graph models/ab.bm -D N=3
expect_rc 1 "graph -D with an unknown name"
expect_err "note: it declares no data at all" "graph -D with an unknown name"
bmc check models/eight_schools.bm --data models/eight_schools.json -D J=1e400
expect_rc 1 "-D with a number beyond the doubles"
expect_err "-D 'J=1e400': error: number '1e400' overflows" "-D with a number beyond the doubles"
printf '{"J": 8, "y": [28, 8, -3, 7, -1, 1, 18, 12], "sigma": [15, 10, 16, 11, 9, 11, 10, 18], "notes": 1, "mu": 3}\n' >"$tmp/extra.json"
bmc check models/eight_schools.bm --data "$tmp/extra.json"
expect_rc 0 "a data file with names the model does not declare"
bmc check models/eight_schools.bm -D J=8 -D 'y=[28, 8, -3, 7, -1, 1, 18, 12]' -D 'sigma=[15, 10, 16, 11, 9, 11, 10, 18]'
expect_rc 0 "-D for each data name"

# ---- 3. several errors in one run

bmc check tests/errors/syntax_several_errors.bm
expect_rc 1 "several syntax errors"
n=$(grep -c ': error: ' "$tmp/err")
if [ "$n" -eq 4 ]; then pass; else fail "syntax_several_errors.bm: $n errors reported, expected 4"; fi
# at the places of the four mistakes, in order
places=$(sed -n 's/^tests\/errors\/syntax_several_errors\.bm:\([0-9]*:[0-9]*\): error:.*/\1/p' "$tmp/err" | tr '\n' ' ')
if [ "$places" = "6:12 7:15 9:7 10:7 " ]; then pass; else fail "several errors at '$places', expected 6:12 7:15 9:7 10:7"; fi

# A forgotten ';' does not hide a mistake in the statement after it.
printf 'a ~ Normal(0, 1)\nb = a +;\nc ~ Beta(1, 1)\nd ~ Normal(0, 1) observed 2\ne = (1 + ;\n' >"$tmp/semis.bm"
bmc check "$tmp/semis.bm"
expect_rc 1 "missing ';' then an error"
places=$(sed -n 's/^.*semis\.bm:\([0-9]*:[0-9]*\): error:.*/\1/p' "$tmp/err" | tr '\n' ' ')
if [ "$places" = "1:17 2:8 3:15 4:28 5:10 " ]; then pass; else fail "missing ';' then an error: at '$places', expected 1:17 2:8 3:15 4:28 5:10"; cat "$tmp/err"; fi

# 25 unknown names: 20 are shown, the rest counted
i=1; : >"$tmp/many.bm"
while [ $i -le 25 ]; do echo "x$i = nowhere$i;" >>"$tmp/many.bm"; i=$((i + 1)); done
bmc check "$tmp/many.bm"
expect_rc 1 "25 errors"
n=$(grep -c ': error: ' "$tmp/err")
if [ "$n" -eq 20 ]; then pass; else fail "25 errors: $n shown, expected 20"; fi
expect_err "5 more errors not shown" "25 errors"

# ---- 4. logp against hand-derived values (R, printed with digits = 17)
#
# logp is the joint log density at constrained values, normalising
# constants included and no Jacobian; its gradient is by the constrained
# values.  Derivatives used: Beta(a, b): (a-1)/p - (b-1)/(1-p);
# Binomial(n, p) at y: y/p - (n-y)/(1-p); Normal(m, s) at x: by x -(x-m)/s^2,
# by m (x-m)/s^2, by s -1/s + (x-m)^2/s^3; HalfNormal(s) at x: -x/s^2;
# Exponential(l) at x: -l; Poisson(l) at y: y/l - 1; HalfCauchy(b) at x:
# -2x/(b^2+x^2).

# ab.bm at p_A = 0.1, p_B = 0.2:
#   dbeta(.1,1,1,log=TRUE) + dbeta(.2,1,1,log=TRUE) + dbinom(120,1000,.1,log=TRUE) + dbinom(150,1000,.2,log=TRUE)
#   p_A: 0/.1 - 0/.9 + 120/.1 - 880/.9        p_B: 150/.2 - 850/.8
logp models/ab.bm "p_A=0.1 p_B=0.2" \
    logp=-17.074131843095294 p_A=222.22222222222229 p_B=-312.5

# ab_informative.bm (Beta(10, 90) priors) at p_A = 0.11, p_B = 0.13:
#   dbeta(.11,10,90,log=TRUE) + dbeta(.13,10,90,log=TRUE) + dbinom(120,1000,.11,log=TRUE) + dbinom(150,1000,.13,log=TRUE)
#   p_A: 9/.11 - 89/.89 + 120/.11 - 880/.89   p_B: 9/.13 - 89/.87 + 150/.13 - 850/.87
logp models/ab_informative.bm "p_A=0.11 p_B=0.13" \
    logp=-4.4217902588764719 p_A=83.963227783452567 p_B=143.7665782493367

# ab_small.bm (10 trials, 1 and 2 successes) at p_A = 0.3, p_B = 0.25:
#   dbeta(.3,1,1,log=TRUE) + dbeta(.25,1,1,log=TRUE) + dbinom(1,10,.3,log=TRUE) + dbinom(2,10,.25,log=TRUE)
#   p_A: 1/.3 - 9/.7                          p_B: 2/.25 - 8/.75
logp models/ab_small.bm "p_A=0.3 p_B=0.25" \
    logp=-3.3788450188641912 p_A=-9.5238095238095237 p_B=-2.6666666666666661

# ab_small_informative.bm at p_A = 0.3, p_B = 0.25:
#   dbeta(.3,10,90,log=TRUE) + dbeta(.25,10,90,log=TRUE) + dbinom(1,10,.3,log=TRUE) + dbinom(2,10,.25,log=TRUE)
#   p_A: 9/.3 - 89/.7 + 1/.3 - 9/.7           p_B: 9/.25 - 89/.75 + 2/.25 - 8/.75
logp models/ab_small_informative.bm "p_A=0.3 p_B=0.25" \
    logp=-18.679928087402576 p_A=-106.66666666666669 p_B=-85.333333333333343

# abc.bm at p_A = 0.1, p_B = 0.2, p_C = 0.15 (Beta(1, 1) priors add 0):
#   dbinom(120,1000,.1,log=TRUE) + dbinom(150,1000,.2,log=TRUE) + dbinom(110,800,.15,log=TRUE)
#   p_A: 120/.1 - 880/.9   p_B: 150/.2 - 850/.8   p_C: 110/.15 - 690/.85
logp models/abc.bm "p_A=0.1 p_B=0.2 p_C=0.15" \
    logp=-20.772044805841745 p_A=222.22222222222229 p_B=-312.5 p_C=-78.431372549019557

# purchase_amount.bm at mu_A = 14500, sigma_A = 2500, mu_B = 15800, sigma_B = 2600,
# with a and b the 30 + 30 purchases of the model; HalfNormal(s) at x > 0 is 2 dnorm(x, 0, s):
#   dnorm(14500,15000,5000,log=TRUE) + log(2) + dnorm(2500,0,2000,log=TRUE) +
#   dnorm(15800,15000,5000,log=TRUE) + log(2) + dnorm(2600,0,2000,log=TRUE) +
#   sum(dnorm(a,14500,2500,log=TRUE)) + sum(dnorm(b,15800,2600,log=TRUE))
#   mu_A: -(14500-15000)/5000^2 + sum(a-14500)/2500^2
#   sigma_A: -2500/2000^2 + sum(-1/2500 + (a-14500)^2/2500^3)
#   mu_B: -(15800-15000)/5000^2 + sum(b-15800)/2600^2
#   sigma_B: -2600/2000^2 + sum(-1/2600 + (b-15800)^2/2600^3)
logp models/purchase_amount.bm "mu_A=14500 sigma_A=2500 mu_B=15800 sigma_B=2600" \
    logp=-589.07252292252269 mu_A=0.0024680000000000001 sigma_A=-0.00099428000000000103 \
    mu_B=0.00066326627218934911 sigma_B=-0.002489440145653163

# click_count.bm at lambda_A = 1.8, lambda_B = 2.3, with ca and cb the 40 + 40 counts:
#   dexp(1.8,0.5,log=TRUE) + dexp(2.3,0.5,log=TRUE) + sum(dpois(ca,1.8,log=TRUE)) + sum(dpois(cb,2.3,log=TRUE))
#   lambda_A: -0.5 + sum(ca)/1.8 - 40        lambda_B: -0.5 + sum(cb)/2.3 - 40
logp models/click_count.bm "lambda_A=1.8 lambda_B=2.3" \
    logp=-137.47960357480338 lambda_A=1.7222222222222214 lambda_B=-1.8043478260869534

# eight_schools.bm with models/eight_schools.json (y, s) at mu = 1, tau = 2,
# tr = theta_raw = c(0.5, -0.25, 1, 0, -1, 0.75, 1.5, -0.5), th = mu + tau * tr;
# HalfCauchy(5) at x > 0 is 2 dcauchy(x, 0, 5):
#   dnorm(1,0,5,log=TRUE) + log(2) + dcauchy(2,0,5,log=TRUE) + sum(dnorm(tr,0,1,log=TRUE)) + sum(dnorm(y,th,s,log=TRUE))
#   mu: -1/25 + sum((y-th)/s^2)     tau: -2*2/(25+2^2) + sum((y-th)/s^2*tr)
#   theta_raw[j]: -tr[j] + 2*(y[j]-th[j])/s[j]^2
logp models/eight_schools.bm "--data models/eight_schools.json mu=1 tau=2 theta_raw=[0.5,-0.25,1,0,-1,0.75,1.5,-0.5]" \
    logp=-45.331594385598692 mu=0.34134517523722069 tau=0.059843204115343634 \
    'theta_raw[1]=-0.2688888888888889' 'theta_raw[2]=0.40000000000000002' 'theta_raw[3]=-1.046875' \
    'theta_raw[4]=0.099173553719008267' 'theta_raw[5]=1' 'theta_raw[6]=-0.77479338842975209' \
    'theta_raw[7]=-1.22' 'theta_raw[8]=0.57407407407407407'
# the same point given element by element
logp models/eight_schools.bm "--data models/eight_schools.json mu=1 tau=2 theta_raw[1]=0.5 theta_raw[2]=-0.25 theta_raw[3]=1 theta_raw[4]=0 theta_raw[5]=-1 theta_raw[6]=0.75 theta_raw[7]=1.5 theta_raw[8]=-0.5" \
    logp=-45.331594385598692 'theta_raw[3]=-1.046875'

# Near the upper end of (0, 1) the gradient with respect to p keeps its
# digits (1 - p from the log-odds, not from p): Beta(2, 2) and one
# Normal(p, 1) observation of 1, at p = 1 - 2^-53 and 1 - 1e-15; log 6 +
# log p + log(1 - p) - log(2 pi) / 2 - (1 - p)^2 / 2 and 1/p - 1/(1 - p)
# + (1 - p), with mpmath at 40 digits.
printf 'p ~ Beta(2, 2);\ny ~ Normal(p, 1) observed 1;\n' >"$tmp/upper.bm"
logp "$tmp/upper.bm" "p=0.9999999999999999" logp=-35.863979633653719251 p=-9007199254740991.0
logp "$tmp/upper.bm" "p=0.999999999999999" logp=-33.666755056317500756 p=-1000799917193442.5556

# A model with no parameters: only the data-only term, dnorm(0.5, log=TRUE).
printf 'x = 1;\ny ~ Normal(0, x) observed 0.5;\n' >"$tmp/noparams.bm"
logp "$tmp/noparams.bm" "" logp=-1.0439385332046727

# Definitions in any order, element by element too: each model's value by
# hand.  Normal(x | m, 1) = -0.5 log(2 pi) - (x - m)^2 / 2, and
# -0.5 log(2 pi) = -0.91893853320467274.  An observation o of mu at the
# point itself makes mu a parameter (else it would be drawn: generated.c)
# and adds -0.91893853320467274, with no gradient.
ordered() {   # ordered NAME TEXT ARGS CHECKS...: TEXT (printf format) as a model
    name=$1; printf "$2" >"$tmp/$name.bm"; args=$3; shift 3
    logp "$tmp/$name.bm" "$args" "$@"
}
# a[3] = 4 whichever way the file runs
ordered forward 'a[1] = 1; a[2] = a[1] * 2; a[3] = a[2] * 2; mu ~ Normal(a[3], 1);\no ~ Normal(mu, 1) observed 4.5;\n' mu=4.5 \
    logp=-1.9628770664093454 mu=-0.5
ordered backward 'o ~ Normal(mu, 1) observed 4.5;\nmu ~ Normal(a[3], 1); a[3] = a[2] * 2; a[2] = a[1] * 2; a[1] = 1;\n' mu=4.5 \
    logp=-1.9628770664093454 mu=-0.5
# two sequences defined from each other: x = 1, 3, 7 and y = 2, 6, 14
ordered sequences 'a = 1;\nx[1] = a; y[1] = 2 * x[1]; for t in 2:3 { x[t] = y[t-1] + 1; y[t] = x[t] * 2; }\nmu ~ Normal(y[3], 1);\no ~ Normal(mu, 1) observed 13;\n' \
    mu=13 logp=-2.3378770664093454 mu=1
# a chain defined from its far end: a[1] = 8 / 2^3 = 1
ordered far_end 'mu ~ Normal(a[1], 1);\nfor t in 1:3 { a[t] = a[t + 1] * 0.5; }\na[4] = 8;\no ~ Normal(mu, 1) observed 1;\n' mu=1 \
    logp=-1.8378770664093455 mu=0
# across two vectors from their far ends: x[1] = 5, y[1] = 6
ordered crossed 'for i in 1:3 { x[i] = y[i + 1] + 1; y[i] = x[i + 1] * 2; }\nx[4] = 1; y[4] = 1;\nmu ~ Normal(x[1] + y[1], 1);\no ~ Normal(mu, 1) observed 11;\n' \
    mu=11 logp=-1.8378770664093455 mu=0
# a whole vector used inside the loop that defines it: y[1] = 3 mu + 6, so
# Normal(0.5 | 0, 1) + Normal(0 | 7.5, 1), gradient -0.5 - 7.5 * 3
ordered whole_inside 'mu ~ Normal(0, 1);\nfor i in 1:3 { x[i] = mu + i; y[i] = sum(x); }\no ~ Normal(y[1], 1) observed 0;\n' \
    mu=0.5 logp=-30.087877066409345 mu=-23
# part parameter, part computed: th[1] ~ Beta(4, 2), th[2] = 1 - th[1];
# log(20 0.6^3 0.4) = 0.54696467038186372 and its derivative 3/0.6 - 1/0.4
ordered mixed 'for k in 1:1 { th[k] ~ Beta(4, 2); } th[2] = 1 - th[1];\no ~ Normal(th[2], 1) observed 0.4;\n' \
    "th[1]=0.6" logp=-0.37197386282281 "th[1]=2.5"
# the same outside a loop: a '~' on an element of a vector that an
# assignment computes elsewhere declares that element (a vector [3] ~ ...
# without one declares three); N(0.5 | 0, 1) + N(1 | 2 th1, 1), gradient
# -0.5 + 2 (1 - 1)
ordered toplevel_element 'theta[2] = theta[1] * 2;\ntheta[1] ~ Normal(0, 1);\ny ~ Normal(theta[2], 1) observed 1;\n' \
    "theta[1]=0.5" logp=-1.9628770664093453 "theta[1]=-0.5"
# a gather and a row of a name still being defined read only their own
# elements: x[3] = sum(x[[1, 2]]) = 3 mu, gradient -0.5 + (1 - 1.5) 3;
# X[2, 2] = 2 (X[1, 1] + X[1, 2]) = 2 (2 mu + 3), gradient -0.5 - 7 * 4
ordered gather_partial 'mu ~ Normal(0, 1);\nidx = [1, 2];\nx[1] = mu; x[2] = mu * 2;\nx[3] = sum(x[idx]);\ny ~ Normal(x[3], 1) observed 1;\n' \
    mu=0.5 logp=-2.0878770664093453 mu=-2
ordered row_partial 'mu ~ Normal(0, 1);\nfor j in 1:2 { X[1, j] = mu + j; }\nfor j in 1:2 { X[2, j] = sum(X[1]) * j; }\ny ~ Normal(X[2, 2], 1) observed 1;\n' \
    mu=0.5 logp=-26.462877066409348 mu=-28.5
# a group index read from data orders a chain: a[g[t]], g[t] = t + 1
ordered grouped 'g = [2, 3, 4];\nfor t in 1:3 { a[t] = a[g[t]] * 0.5; }\na[4] = 8;\nmu ~ Normal(a[1], 1);\no ~ Normal(mu, 1) observed 1;\n' mu=1 \
    logp=-1.8378770664093455 mu=0
# Long chains cost no stack: 100,000 elements, and 20,000 names, defined
# from the far end.
awk 'BEGIN { print "mu ~ Normal(a[1], 1);\nfor t in 1:99999 { a[t] = a[t + 1] * 0.5; }\na[100000] = 1;" }' >"$tmp/long.bm"
runs "a 100,000-element chain from its far end" 0 check "$tmp/long.bm"
awk 'BEGIN { print "mu ~ Normal(a20000, 1);"; for (i = 20000; i > 0; i--) printf "a%d = a%d + 1;\n", i, i - 1; print "a0 = 0;" }' >"$tmp/names.bm"
runs "a 20,000-name chain from its far end" 0 check "$tmp/names.bm"

# A loop defining 10,000 vectors, 1,000,000 statements: each name is
# scanned through its own statement only (minutes when every name walked
# the whole loop).
awk 'BEGIN { print "for t in 1:100 {"; for (k = 0; k < 10000; k++) printf "  v%d[t] = t * %d;\n", k, k; print "}\nmu ~ Normal(v5[3], 1);" }' >"$tmp/vectors.bm"
runs "check: 10,000 vectors in one loop" 0 check "$tmp/vectors.bm"
# An error elsewhere does not turn a long chain into nested definitions:
# the chain still compiles in order, and only the real error is said.
printf 'bad ~ Beta(-1, 1);\ny = x[1];\nfor t in 1:5000 { x[t] = x[t + 1] * 0.5; }\nx[5001] = 1;\n' >"$tmp/chain_err.bm"
if runs "a chain after an error" 1 check "$tmp/chain_err.bm"; then
    n=$(grep -c "error:" "$tmp/err")
    if [ "$n" -eq 1 ]; then pass; else fail "a chain after an error: $n errors, not 1"; show "$tmp/err"; fi
fi
# Nested definitions are bounded by the stack they take, not only by their
# number: deep expressions in each make them dearer.  An error, never a crash.
awk 'BEGIN { e = "x[min(t + 1, 1000)]"; for (i = 0; i < 150; i++) e = "abs(" e ")"; printf "for t in 1:999 { x[t] = %s; }\nx[1000] = 0;\nmu ~ Normal(x[1], 1);\n", e }' >"$tmp/deep_nest.bm"
if runs "definitions nested deep in deep expressions" 1 check "$tmp/deep_nest.bm"; then
    expect_err "waits on definitions nested too deeply" "definitions nested deep in deep expressions"
fi

# Names are found by hashing: 100,000 parameters and 80,000 constants
# compile in a fraction of a second (they took minutes when every name was
# compared with every other); the time limit only catches the quadratic.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "p%d ~ Normal(0, 1);\n", i }' >"$tmp/many.bm"
runs "check: 100,000 parameters" 0 check "$tmp/many.bm"
runs "ir: 100,000 parameters" 0 ir "$tmp/many.bm"
awk 'BEGIN { for (i = 0; i < 80000; i++) printf "c%d = %d;\n", i, i; print "mu ~ Normal(c79999, 1);" }' >"$tmp/consts.bm"
runs "check: 80,000 constants" 0 check "$tmp/consts.bm"

# A prior whose tail NUTS cannot follow compiles with a warning: Gamma and
# InverseGamma of a shape below 0.2 (a gentle exponential tail on the log
# scale, a wall on the other side), a Beta whose two log-odds tails differ
# more than a hundredfold with the gentler below 0.05.  Symmetric small
# shapes, Beta(0.001, 0.001), sample well and get none.
lopsided() {   # lopsided PRIOR WANT: check 'x ~ PRIOR;' with data on x, WANT "warn" or "quiet"
    printf 'x ~ %s;\ny ~ Normal(x, 1) observed 0.5;\n' "$1" >"$tmp/prior.bm"
    if runs "check x ~ $1" 0 check "$tmp/prior.bm"; then
        if [ "$2" = warn ]; then
            expect_err "warning: the prior $1 of 'x' has a tail" "x ~ $1 warns"
        else
            lacks "$tmp/err" "warning" "x ~ $1 has no warning"
        fi
    fi
}
lopsided "Gamma(0.001, 1)" warn
lopsided "Gamma(0.1, 2)" warn
lopsided "InverseGamma(0.01, 1)" warn
lopsided "Beta(0.001, 5)" warn
lopsided "Beta(5, 0.01)" warn
lopsided "Gamma(0.5, 1)" quiet
lopsided "Gamma(2, 0.1)" quiet
lopsided "Beta(0.001, 0.001)" quiet
lopsided "Beta(0.1, 5)" quiet
lopsided "LogNormal(0, 10)" quiet
# drawn exactly (nothing needs it), a lopsided prior is no trouble
printf 'x ~ Gamma(0.001, 1);\n' >"$tmp/prior.bm"
if runs "check a lopsided prior drawn exactly" 0 check "$tmp/prior.bm"; then
    lacks "$tmp/err" "warning" "a lopsided prior drawn exactly has no warning"
fi
# once per name, however many elements; in the run's warnings, JSON too
printf 'y = [1, 0, 2, 1, 3];\nfor j in 1:5 { tau[j] ~ Gamma(0.001, 0.001); y[j] ~ Poisson(tau[j]); }\n' >"$tmp/prior.bm"
if runs "check a lopsided prior in a loop" 0 check "$tmp/prior.bm"; then
    n=$(grep -c "warning:" "$tmp/err")
    if [ "$n" -eq 1 ]; then pass; else fail "a lopsided prior in a loop: $n warnings, not 1"; show "$tmp/err"; fi
fi
# an element of a matrix by its row and column
printf 'Y = [[1, 2], [3, 4]];\nfor i in 1:2 { for j in 1:2 { G[i, j] ~ Gamma(0.1, 1); Y[i, j] ~ Poisson(G[i, j]); } }\n' >"$tmp/gmatrix.bm"
if runs "check a lopsided prior on matrix elements" 0 check "$tmp/gmatrix.bm"; then
    expect_err "of 'G[1,1]' has a tail near 0" "a lopsided prior on matrix elements: named by row and column"
fi
# once per name past the twenty warnings kept: 25 names and a loop of 1000
awk 'BEGIN { for (k = 1; k <= 25; k++) printf "a%d ~ Gamma(0.1, 1);\ny%d ~ Poisson(a%d) observed 1;\n", k, k, k;
             print "for j in 1:1000 { c[j] = 1; b[j] ~ Gamma(0.1, 1); c[j] ~ Poisson(b[j]); }" }' >"$tmp/many_priors.bm"
if runs "check 26 names with lopsided priors" 0 check "$tmp/many_priors.bm"; then
    expect_err "6 more warnings not shown" "26 names with lopsided priors: one warning each"
fi
if runs "run a lopsided prior" 0 run "$tmp/prior.bm" --seed 1 --draws 100 --tune 100 --format json; then
    has "$tmp/out" '"kind": "prior"' "run: the prior warning in JSON"
    expect_err "warning: the prior Gamma(0.001, 0.001) of 'tau[1]'" "run: the prior warning on stderr"
fi

# ---- 5. logp's errors

bmc logp models/ab.bm p_A=0.1
expect_rc 1 "logp with a parameter missing"
expect_err "no value for parameter 'p_B'" "logp with a parameter missing"
bmc logp models/ab.bm p_A=0.1 p_B=0.2 p_C=0.3
expect_rc 1 "logp with an unknown parameter"
expect_err "'p_C' is not a parameter of the model" "logp with an unknown parameter"
expect_err "note: did you mean 'p_A'?" "logp with an unknown parameter"
# a misspelt vector, whole or by element
bmc logp models/eight_schools.bm --data models/eight_schools.json mu=1 tau=1 'theta_rw=[0,0,0,0,0,0,0,0]'
expect_rc 1 "logp with a misspelt vector"
expect_err "note: did you mean 'theta_raw'?" "logp with a misspelt vector"
bmc logp models/eight_schools.bm --data models/eight_schools.json mu=1 tau=1 'theta_rw[1]=0'
expect_rc 1 "logp with a misspelt vector element"
expect_err "note: did you mean 'theta_raw[1]'?" "logp with a misspelt vector element"
bmc logp models/ab.bm p_A=0.1 p_B=0.2 diff=0.1
expect_rc 1 "logp given a deterministic"
expect_err "'diff' is computed from the parameters" "logp given a deterministic"
bmc logp models/ab.bm p_A=0.1 p_B=1.5
expect_rc 1 "logp out of the support"
expect_err "p_B = 1.5 is outside the support of its prior Beta: (0, 1)" "logp out of the support"
bmc logp models/ab.bm p_A=0.1 p_B=abc
expect_rc 1 "logp with a value that is not a number"
expect_err "'abc' is not a finite number" "logp with a value that is not a number"
bmc logp models/ab.bm p_A=0.1 p_B=nan
expect_rc 1 "logp with NaN"
bmc logp models/ab.bm p_A=0.1 p_B=0.2 p_A=0.3
expect_rc 1 "logp with a parameter given twice"
expect_err "'p_A' is given twice" "logp with a parameter given twice"
bmc logp models/eight_schools.bm --data models/eight_schools.json mu=1 tau=2 'theta_raw=[1,2,3]'
expect_rc 1 "logp with a short vector"
expect_err "'theta_raw' has 8 elements, but 3 values are given" "logp with a short vector"
bmc logp models/eight_schools.bm --data models/eight_schools.json mu=1 tau=-2 'theta_raw=[1,2,3,4,5,6,7,8]'
expect_rc 1 "logp with a negative scale"
expect_err "tau = -2 is outside the support of its prior HalfCauchy" "logp with a negative scale"
bmc logp models/eight_schools.bm mu=1
expect_rc 1 "logp without the model's data"
expect_err "no value for data 'J'" "logp without the model's data"

# ---- 6. the IR of small models

# X.ir is `bmc ir X.bm`; X.O0.ir, where there is one, `bmc ir -O0 X.bm`,
# the model as lowered before the passes (runtime/ir/passes.h) rewrite it;
# both as NUTS samples it (--sampler nuts): the passes rewrite the density,
# which a conjugate model drawn exactly has none of (test_conjugate.sh).
for m in tests/ir/*.bm; do
    [ -f "$m" ] || continue
    data=$(sed -n 's/^# data: //p' "$m" | head -n 1)
    for level in "" -O0; do
        want=${m%.bm}${level:+.$(echo "$level" | tr -d -)}.ir
        [ -n "$level" ] && [ ! -f "$want" ] && continue
        if [ -n "$data" ]; then bmc ir --sampler nuts $level "$m" --data "$data"; else bmc ir --sampler nuts $level "$m"; fi
        if [ "$rc" -ne 0 ]; then fail "ir $level $m: exit $rc"; show "$tmp/err"; continue; fi
        if diff -u "$want" "$tmp/out" >"$tmp/diff"; then pass; else fail "ir $level $m differs from $want:"; sed 's/^/    /' "$tmp/diff"; fi
    done
done

# Each pass fires where its golden file says, and only there: with -O0
# none of its marks is left.
bmc ir --sampler nuts tests/ir/pass_logit.bm
has "$tmp/out" "Bernoulli_lpdf(y | logit_p = " "the logit_p pass"
lacks "$tmp/out" "inv_logit" "the logit_p pass drops inv_logit"
bmc ir --sampler nuts tests/ir/pass_sufficient.bm
has "$tmp/out" "Poisson_lpdf_sufficient(" "the sufficient-statistics pass"
bmc ir --sampler nuts tests/ir/pass_grouped.bm
has "$tmp/out" " | p[g])  3 groups" "the grouped pass"
has "$tmp/out" "Bernoulli_lpdf_grouped(" "the grouped pass"
has "$tmp/out" " | logit_p = a[g])  3 groups" "the grouped pass after logit_p"
lacks "$tmp/out" "gather(" "the grouped pass leaves no gather"
bmc ir --sampler nuts tests/ir/pass_data_part.bm
has "$tmp/out" "Binomial_lpdf_rest(" "the data-part pass"
bmc ir --sampler nuts tests/ir/pass_deterministic.bm
has "$tmp/out" "7 instructions (3 for the density)" "the deterministic pass"
for m in tests/ir/pass_*.bm; do
    bmc ir -O0 "$m"
    has "$tmp/out" "# passes: none" "ir -O0 $m names no pass"
    for mark in logit_p _sufficient _grouped _rest; do lacks "$tmp/out" "$mark" "ir -O0 $m has no $mark"; done
done

# ---- 7. a chain of 100,000 operators

# s = a + a + ... (100,000 terms) and y ~ Normal(s, 1) observed 1.  At
# a = 0: logp = log N(0 | 0, 1) + log N(1 | 0, 1) = -log(2 pi) - 1/2, by
# Python's math.log; the gradient of -a^2/2 - (1 - 100000 a)^2/2 at 0 is
# 100000.
awk 'BEGIN { printf "a ~ Normal(0, 1);\ns = a"; for (i = 1; i < 100000; i++) printf " + a"
             print ";\ny ~ Normal(s, 1) observed 1;" }' >"$tmp/sum.bm"
bmc check "$tmp/sum.bm"
expect_rc 0 "check a sum of 100,000 terms"
logp "$tmp/sum.bm" "a=0" logp=-2.3378770664093453 a=100000
bmc graph "$tmp/sum.bm"
expect_rc 0 "graph of a sum of 100,000 terms"
has "$tmp/out" "a -> s" "graph of a sum of 100,000 terms"


# ---- what sets the cost of a gradient

# 20,000 rows whose argument is computed per row from the parameters: bmc
# check names the term and why it cannot be summed; the same rows with a
# gathered rate are grouped, and nothing is said.
awk 'BEGIN { srand(3); print "g,x,y"; for (i = 0; i < 20000; i++) printf "%d,%.3f,%d\n", 1 + int(3 * rand()), rand(), rand() < 0.3 }' \
    >"$tmp/rows.csv"
printf 'data g;\ndata x;\ndata y;\na[3] ~ Normal(0, 1);\nb ~ Normal(0, 1);\ny ~ Bernoulli(inv_logit(a[g] + b * x));\n' \
    >"$tmp/per_row.bm"
if runs "check of a costly likelihood" 0 check "$tmp/per_row.bm" --data "$tmp/rows.csv"; then
    expect_err "per_row.bm:6: warning: this Bernoulli term is evaluated 20000 times at every gradient" \
        "check of a costly likelihood: the term"
    expect_err "its arguments are computed row by row from the parameters" "check of a costly likelihood: why"
fi
printf 'data g;\ndata x;\ndata y;\np[3] ~ Beta(1, 1);\ny ~ Bernoulli(p[g]);\n' >"$tmp/grouped.bm"
runs "check of a grouped likelihood" 0 check "$tmp/grouped.bm" --data "$tmp/rows.csv"
lacks "$tmp/err" "at every gradient" "check of a grouped likelihood: nothing said"
runs "check -O0 of a grouped likelihood" 0 check "$tmp/grouped.bm" --data "$tmp/rows.csv" -O0 --sampler nuts
expect_err "this Bernoulli term is evaluated 20000 times at every gradient" "check -O0: the rows are not grouped"
expect_err "the passes that sum rows once (sufficient statistics, grouping) are off: -O0" "check -O0: why"

finish compile
