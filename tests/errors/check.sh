#!/bin/sh
# The error corpus: every tests/errors/*.bm is a model with one kind of
# mistake.  Its first lines say what bmc must answer:
#   # expect: LINE:COL: MESSAGE        the error, with its place
#   # note: TEXT                       (optional) a note that must follow
#   # related: LINE:COL: TEXT          (optional) a second place, shown as a note
#   # data: FILE.json                  (optional) data passed with --data
#   # args: -D N=3                     (optional) more arguments
# bmc check must print "FILE:LINE:COL: error: MESSAGE", the note if given,
# and exit 1.  Prints one line per failure and a count.
set -u
: "${BMC:?set BMC to the bmc binary}"
pass=0
fail=0
slowdown=1                                   # valgrind: some twenty times slower
[ -n "${BMC_VALGRIND:-}" ] && slowdown=20
out="${TMPDIR:-/tmp}/bmc-errors.$$"
for f in tests/errors/*.bm; do
    expect=$(sed -n 's/^# expect: //p' "$f" | head -n 1)
    note=$(sed -n 's/^# note: //p' "$f" | head -n 1)
    related=$(sed -n 's/^# related: //p' "$f" | head -n 1)
    data=$(sed -n 's/^# data: //p' "$f" | head -n 1)
    args=$(sed -n 's/^# args: //p' "$f" | head -n 1)
    if [ -z "$expect" ]; then
        echo "FAIL $f: no '# expect:' line"; fail=$((fail + 1)); continue
    fi
    set -- check "$f"
    [ -n "$data" ] && set -- "$@" --data "$data"
    # shellcheck disable=SC2086
    timeout $((10 * slowdown)) "$BMC" "$@" $args >"$out.stdout" 2>"$out"
    rc=$?
    loc=${expect%%: *}
    msg=${expect#*: }
    want="$f:$loc: error: $msg"
    ok=1
    [ $rc -eq 1 ] || { echo "FAIL $f: exit $rc, expected 1"; ok=0; }
    grep -qF -- "$want" "$out" || { echo "FAIL $f: expected '$want', got:"; sed 's/^/    /' "$out"; ok=0; }
    if [ -n "$note" ] && ! grep -qF -- "note: $note" "$out"; then
        echo "FAIL $f: expected note '$note', got:"; sed 's/^/    /' "$out"; ok=0
    fi
    if [ -n "$related" ] && ! grep -qF -- "$f:${related%%: *}: note: ${related#*: }" "$out"; then
        echo "FAIL $f: expected the related place '$related', got:"; sed 's/^/    /' "$out"; ok=0
    fi
    # the source line and a caret must follow the message
    if [ $ok -eq 1 ] && ! grep -q '^ *\^' "$out"; then
        echo "FAIL $f: no caret line"; ok=0
    fi
    [ -s "$out.stdout" ] && { echo "FAIL $f: wrote to stdout"; ok=0; }
    if [ $ok -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
rm -f "$out" "$out.stdout"
echo "error corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
