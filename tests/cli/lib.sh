# lib.sh -- what every command-line test script shares, sourced first:
#
#   . "$(dirname "$0")/lib.sh"
#
# It checks that BMC names the binary under test (made absolute), moves to
# the repository root, makes the scratch directory $tmp (removed on exit)
# and counts checks.  A script then runs bmc with `bmc ARGS...` (stdout in
# $tmp/out, stderr in $tmp/err, exit status in $rc), checks with the
# helpers below or its own, each check calling pass or fail once, and ends
# with `finish`, which prints "N passed, N failed" and gives the exit
# status.
set -u
: "${BMC:?set BMC to the bmc binary}"
case $BMC in
    */*) BMC=$(cd "$(dirname "$BMC")" && pwd)/$(basename "$BMC") ;;
esac
# every script lives two levels down: tests/cli, tests/interop
cd "$(dirname "$0")/../.." || exit 1

passed=0
failed=0
# bmc-compare for test_compare.sh, bmc-rstan for check-rstan.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bmc-$(basename "$0" .sh | sed 's/^test_//; s/^check-//').XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 1' HUP INT PIPE TERM

# How long one run of bmc may take, in seconds; a script may change it.
bmc_timeout=60
# Under valgrind (make check-valgrind) bmc runs some twenty times slower.
slowdown=1
[ -n "${BMC_VALGRIND:-}" ] && slowdown=20

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# show FILE: FILE indented under a failure, cut at 40 lines.
show() { sed 's/^/    /' "$1" | head -n 40; }

# bmc ARGS...: runs the binary under test, leaving stdout in $tmp/out,
# stderr in $tmp/err and the exit status in $rc.
bmc() {
    timeout $((bmc_timeout * slowdown)) "$BMC" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# expect_rc WANT WHAT: the last run exited WANT; returns 0 when it did.
expect_rc() {
    if [ "$rc" -eq "$1" ]; then pass; return 0; fi
    fail "$2: exit $rc, expected $1"
    show "$tmp/err"
    return 1
}

# runs WHAT WANT ARGS...: bmc ARGS, then expect_rc WANT WHAT.
runs() {
    runs_what=$1 runs_want=$2
    shift 2
    bmc "$@"
    expect_rc "$runs_want" "$runs_what"
}

# has FILE TEXT WHAT: FILE holds TEXT (a fixed string).
has() {
    if grep -qF -- "$2" "$1"; then pass; else fail "$3: no '$2' in $(basename "$1"):"; show "$1"; fi
}

# lacks FILE TEXT WHAT: FILE does not hold TEXT.
lacks() {
    if grep -qF -- "$2" "$1"; then fail "$3: unexpected '$2' in $(basename "$1")"; else pass; fi
}

# expect_err TEXT WHAT: the last run's stderr holds TEXT.
expect_err() { has "$tmp/err" "$1" "$2"; }

# expect_empty FILE WHAT: FILE is empty.
expect_empty() {
    if [ ! -s "$1" ]; then pass; else fail "$2: $(basename "$1") not empty"; show "$1"; fi
}

# pycheck NAME FILE...: runs the Python program on stdin with the FILEs
# as its arguments; it prints why it fails, or nothing.
pycheck() {
    name=$1
    shift
    if msg=$(python3 - "$@" 2>&1) && [ -z "$msg" ]; then
        pass
    else
        fail "$name: $msg"
    fi
}

# finish [LABEL]: the last line, "LABEL: N passed, N failed"; succeeds
# when nothing failed.
# shellcheck disable=SC2120   # LABEL is optional
finish() {
    echo "${1:+$1: }$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
