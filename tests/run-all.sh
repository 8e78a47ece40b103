#!/bin/sh
# Runs every test of bmc: the CUnit programs given as arguments, the
# command-line scripts in tests/cli/, and the error corpus in tests/errors/.
# Needs BMC (the binary under test).  Prints "N passed, N failed" last.
set -u
: "${BMC:?set BMC to the bmc binary}"
export BMC
passed=0
failed=0
failures=""

record() {   # record NAME STATUS
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures="$failures $1"
    fi
}

for t in "$@"; do
    echo "== $t"
    "$t" >"${TMPDIR:-/tmp}/bmc-unit.$$" 2>&1
    rc=$?
    tail -n 12 "${TMPDIR:-/tmp}/bmc-unit.$$"
    [ $rc -ne 0 ] && cat "${TMPDIR:-/tmp}/bmc-unit.$$" | grep -v '^$' | head -60
    record "$t" $rc
done
rm -f "${TMPDIR:-/tmp}/bmc-unit.$$"

echo "== error corpus (tests/errors)"
sh tests/errors/check.sh
record "error-corpus" $?

for t in tests/cli/test_*.sh; do
    [ -f "$t" ] || continue
    echo "== $t"
    sh "$t"
    record "$t" $?
done

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
