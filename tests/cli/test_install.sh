#!/bin/sh
# test_install.sh -- `make install` puts the binary, its two plugins and
# the manual page, and nothing else, under $(DESTDIR)$(PREFIX); the
# installed bmc finds its plugins there; the page renders and man finds
# it there; `make uninstall` removes exactly those files.
#
# Installs the build under test (BUILD, as make test-here sets it), so
# that no other build is made.  Needs BMC.  Prints "N passed, N failed".
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

case ${BUILD:-build} in
    build-san) sanitize=1 ;;
    build-tsan) sanitize=thread ;;
    *) sanitize= ;;
esac

# mk TARGET VAR=VALUE...: make in the repository, apart from any make that
# runs this script (its jobs and flags)
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory SANITIZE="$sanitize" "$@" \
        >"$tmp/make.out" 2>&1
    rc=$?
}

# files DIR: every file and link under DIR, relative, sorted
files() { (cd "$1" && find . ! -type d | sort); }

for prefix in "" /opt/bmc; do
    stage=$tmp/stage$(echo "$prefix" | tr / _)
    mkdir -p "$stage"
    top=${prefix:-/usr/local}
    if [ -n "$prefix" ]; then mk install DESTDIR="$stage" PREFIX="$prefix"; else mk install DESTDIR="$stage"; fi
    expect_rc 0 "make install PREFIX=${prefix:-default}" || show "$tmp/make.out"
    printf './%s\n' "${top#/}/bin/bmc" "${top#/}/lib/bmc/bmc-netcdf.so" "${top#/}/lib/bmc/bmc-cairo.so" \
        "${top#/}/share/man/man1/bmc.1" | sort >"$tmp/want"
    files "$stage" >"$tmp/got"
    if cmp -s "$tmp/want" "$tmp/got"; then pass; else
        fail "make install PREFIX=${prefix:-default} installs other files than the binary, the plugins and the page:"
        show "$tmp/got"
    fi
    bin=$stage$top/bin/bmc
    page=$stage$top/share/man/man1/bmc.1
    if [ -x "$bin" ] && "$bin" --version | grep -q '^bmc [0-9]'; then pass; else
        fail "the installed $bin does not run"; fi
    # the installed bmc loads the plugins installed beside it, in PREFIX/lib/bmc
    "$bin" run models/ab.bm --seed 1 --output-nc "$tmp/i.nc" --plot "$tmp/i.png" >/dev/null 2>"$tmp/run.err"
    if [ $? -eq 0 ] && [ -s "$tmp/i.nc" ] && [ -s "$tmp/i.png" ]; then pass; else
        fail "the installed bmc does not write --output-nc and --plot with its plugins:"; show "$tmp/run.err"; fi
    rm -f "$tmp/i.nc" "$tmp/i.png"
    if cmp -s "$page" docs/bmc.1; then pass; else fail "the installed page is not docs/bmc.1"; fi
    if [ -n "$(find "$page" -perm -0644 ! -perm /0133)" ]; then pass; else fail "the page's mode is not 644"; fi
    # the page renders, and man finds it under the prefix's share/man
    if command -v man >/dev/null 2>&1; then
        MANWIDTH=80 man -l "$page" >"$tmp/man" 2>"$tmp/man.err"
        if [ $? -eq 0 ] && grep -q "bmc run" "$tmp/man" && [ ! -s "$tmp/man.err" ]; then pass; else
            fail "man -l does not render the installed page:"; show "$tmp/man.err"; fi
        found=$(MANPATH="$stage$top/share/man" man -w bmc 2>/dev/null)
        if [ "$found" = "$page" ]; then pass; else fail "man -w bmc under the installed tree finds '$found'"; fi
    elif command -v groff >/dev/null 2>&1; then
        groff -man -Tutf8 "$page" >"$tmp/man" 2>&1
        has "$tmp/man" "bmc run" "groff renders the installed page"
    else
        echo "note: neither man nor groff is installed; the installed page is not rendered"
    fi
    if [ -n "$prefix" ]; then mk uninstall DESTDIR="$stage" PREFIX="$prefix"; else mk uninstall DESTDIR="$stage"; fi
    expect_rc 0 "make uninstall PREFIX=${prefix:-default}" || show "$tmp/make.out"
    files "$stage" >"$tmp/got"
    if [ ! -s "$tmp/got" ]; then pass; else fail "make uninstall leaves files:"; show "$tmp/got"; fi
    [ ! -d "$stage$top/lib/bmc" ] && pass || fail "make uninstall leaves the plugins' folder"
done

# uninstall leaves what it did not install
stage=$tmp/other
mkdir -p "$stage/usr/local/bin"
echo keep >"$stage/usr/local/bin/other"
mk uninstall DESTDIR="$stage"
expect_rc 0 "make uninstall with nothing installed"
if [ -f "$stage/usr/local/bin/other" ]; then pass; else fail "make uninstall removed another program"; fi

finish
