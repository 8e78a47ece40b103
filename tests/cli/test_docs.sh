#!/bin/sh
# test_docs.sh -- keeps the documentation honest.
#
#   - every ```bm block in docs/*.md and README.md is a complete model that
#     `bmc check` accepts (a block whose first line is "# data: FILE" is
#     checked with --data FILE, relative to the repository root);
#   - every models/*.bm is named in the tutorial, in English and Korean;
#   - every distribution and every function (as `bmc help distributions`
#     and `bmc help functions` list them) has its entry in docs/language.md;
#   - docs/bmc.1 renders with groff without warnings (skipped, with a note,
#     when groff is not installed);
#   - every command that `bmc help` lists has its section in docs/bmc.1,
#     and every option that `bmc help COMMAND` lists appears there;
#   - the README's demo is what `make run` runs (its output is checked
#     with the tutorials', by test_tutorial.sh).
#
# Needs BMC (the binary under test).  Prints "N passed, N failed" last and
# exits non-zero when anything failed.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# ---- 1. every ```bm block is a model that bmc check accepts

# Writes each block to $tmp/N.bm and a line "N FILE LINE" to $tmp/index.
nblocks=0
for doc in docs/*.md README.md; do
    [ -f "$doc" ] || continue
    awk -v dir="$tmp" -v doc="$doc" -v start="$nblocks" '
        BEGIN { n = start; inside = 0 }
        inside && /^```[ \t]*$/ { inside = 0; close(out); next }
        inside { print > out; next }
        /^```bm[ \t]*$/ {
            n++; inside = 1; out = dir "/" n ".bm"
            printf "" > out
            print n, doc, NR >> (dir "/index")
        }
        END { if (inside) print "unterminated block at the end of " doc > "/dev/stderr" }
    ' "$doc"
    nblocks=$( [ -f "$tmp/index" ] && wc -l < "$tmp/index" || echo 0)
    nblocks=$((nblocks + 0))
done

# The extractor must find the reference's examples, or this check is empty.
if grep -q ' docs/language.md ' "$tmp/index" 2>/dev/null; then pass; else
    fail "no \`\`\`bm blocks found in docs/language.md"; fi

if [ -f "$tmp/index" ]; then
    while read -r n doc line; do
        data=$(sed -n '1s/^#[ \t]*data:[ \t]*//p' "$tmp/$n.bm")
        if [ -n "$data" ]; then
            "$BMC" check "$tmp/$n.bm" --data "$data" >"$tmp/out" 2>&1
        else
            "$BMC" check "$tmp/$n.bm" >"$tmp/out" 2>&1
        fi
        rc=$?
        if [ $rc -eq 0 ]; then pass; else
            fail "$doc:$line: the bm block is not a valid model (exit $rc):"
            sed 's/^/    /' "$tmp/out"
        fi
    done < "$tmp/index"
fi
echo "checked $nblocks bm blocks"

# ---- 2. every example model is in the tutorial

for tut in docs/tutorial.md docs/tutorial.ko.md; do
    if [ ! -f "$tut" ]; then fail "$tut is missing"; continue; fi
    for m in models/*.bm; do
        if grep -qF "$m" "$tut"; then pass; else fail "$tut does not mention $m"; fi
    done
done

# ---- 3. every distribution and function is documented

dists=$("$BMC" help distributions | sed -n 's/^  \([A-Za-z]*\)(.*/\1/p' | sort -u)
funcs=$("$BMC" help functions | sed -n 's/^  \([a-z_A-Z0-9]*\)(.*/\1/p')
if [ "$(echo "$dists" | wc -w)" -lt 20 ] || [ "$(echo "$funcs" | wc -w)" -lt 20 ]; then
    fail "bmc help distributions or functions lists fewer than 20 entries"
fi
for d in $dists; do
    if grep -q "^### $d(" docs/language.md || grep -q "^### .* and $d()" docs/language.md; then pass; else
        fail "docs/language.md has no section for the distribution $d"; fi
done
for f in $funcs; do
    if grep -q "^| \`$f(" docs/language.md || grep -q "^| .*, \`$f(" docs/language.md; then pass; else
        fail "docs/language.md does not list the function $f"; fi
done

# ---- 4. the man page renders without warnings

if command -v groff >/dev/null 2>&1; then
    groff -man -ww -z docs/bmc.1 >"$tmp/groff" 2>&1
    if [ $? -eq 0 ] && [ ! -s "$tmp/groff" ]; then pass; else
        fail "groff -man -ww -z docs/bmc.1 warns:"
        sed 's/^/    /' "$tmp/groff"
    fi
else
    echo "note: groff is not installed; the man page's rendering is not checked"
fi

# ---- 5. every command and option is in the man page

"$BMC" help >"$tmp/help" 2>&1
# The commands: the indented list after "usage:", up to the next blank line.
commands=$(awk '/^usage:/ { list = 1; next }
                list && /^$/ { if (seen) exit; next }
                list && /^  [a-z]/ { seen = 1; print $1 }' "$tmp/help")
if [ -z "$commands" ]; then fail "found no commands in 'bmc help'"; fi
for c in $commands; do
    if grep -Eq "^\.SS \"?(bmc )?$c( |\"|$)" docs/bmc.1; then pass; else
        fail "docs/bmc.1 has no section for 'bmc $c'"; fi
    "$BMC" help "$c" >"$tmp/chelp" 2>&1 || continue
    for opt in $(sed -n 's/^  \(-[-A-Za-z]*\).*/\1/p' "$tmp/chelp"); do
        roff=$(printf '%s' "$opt" | sed 's/-/\\-/g')
        if grep -qF -- "$roff" docs/bmc.1; then pass; else
            fail "docs/bmc.1 does not mention the option $opt of 'bmc $c'"; fi
    done
done

# ---- 6. the README's demo is `make run`

recipe=$(awk '/^run:/ { on = 1; next } on && /^\t/ { sub(/^\t/, ""); print; next } { on = 0 }' Makefile)
shown=$(sed -n 's/^\$ \(\.\/bmc run .*\)/\1/p' README.md | head -n 1)
if [ -n "$recipe" ] && [ "$recipe" = "$shown" ]; then pass; else
    fail "README.md shows '\$ $shown', but make run runs '$recipe'"; fi

finish
