#!/bin/sh
# Every input the fuzzers once crashed on (tests/fuzz/regressions/) must now
# compile to a clear answer: exit 0, or 1 with a message in the design's
# format, and nothing from a sanitizer (the suite runs again built with
# them).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
bmc_timeout=20

for f in tests/fuzz/regressions/*; do
    [ -f "$f" ] || continue
    for cmd in check ir; do
        bmc "$cmd" "$f" --data tests/fuzz/regressions.json
        case $rc in
            0) pass ;;
            1) if grep -q "error: " "$tmp/err"; then pass; else fail "$cmd $f: exit 1 without a message"; show "$tmp/err"; fi ;;
            *) fail "$cmd $f: exit $rc"; show "$tmp/err" ;;
        esac
        if grep -q "Sanitizer\|runtime error" "$tmp/err"; then fail "$cmd $f: sanitizer report"; show "$tmp/err"; fi
    done
done
finish "fuzz regressions"
