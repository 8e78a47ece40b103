#!/bin/sh
# test_plugins.sh -- netCDF and cairo are loaded only to write a .nc file
# or a picture: bmc is not linked against them, its build has the two
# plugins beside it that are, and a bmc without its plugins says which
# one it lacks, with the exit status of an output that cannot be written,
# and still runs a model.  The installed bmc finding its plugins is in
# test_install.sh.  Needs BMC.  Prints "N passed, N failed".
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# under make check-valgrind BMC is a wrapper; the binary is BMC_REAL
real=${BMC_REAL:-$BMC}
dir=$(dirname "$real")

# ---- what is linked where ----
ldd "$real" >"$tmp/ldd" 2>&1
lacks "$tmp/ldd" libnetcdf "ldd bmc"
lacks "$tmp/ldd" libcairo "ldd bmc"
ldd "$dir/bmc-netcdf.so" >"$tmp/ldd-nc" 2>&1
has "$tmp/ldd-nc" libnetcdf "ldd bmc-netcdf.so"
ldd "$dir/bmc-cairo.so" >"$tmp/ldd-cairo" 2>&1
has "$tmp/ldd-cairo" libcairo "ldd bmc-cairo.so"

# ---- a bmc with no plugins beside it or in ../lib/bmc ----
alone=$tmp/alone/bin
mkdir -p "$alone"
cp "$real" "$alone/bmc"
BMC=$alone/bmc

runs "run without plugins" 0 run models/ab.bm --seed 1
cp "$tmp/out" "$tmp/alone.out"
BMC=$real
runs "run with plugins" 0 run models/ab.bm --seed 1
if cmp -s "$tmp/out" "$tmp/alone.out"; then pass; else fail "the summary without plugins differs"; fi
BMC=$alone/bmc

runs "--output-nc without the netCDF plugin" 5 run models/ab.bm --seed 1 --output-nc "$tmp/ab.nc"
expect_err "bmc: error: cannot write '$tmp/ab.nc': bmc's netCDF writer (bmc-netcdf.so) was not found beside bmc or in $tmp/alone/lib/bmc: " \
    "--output-nc without the netCDF plugin"
expect_err "cannot open shared object file" "dlerror's text"
[ ! -e "$tmp/ab.nc" ] && pass || fail "--output-nc without the plugin left a file"
lacks "$tmp/out" "p_A" "a missing plugin stops the run before it samples"

runs "--plot without the cairo plugin" 5 run models/ab.bm --seed 1 --plot "$tmp/ab.png"
expect_err "bmc: error: cannot write '$tmp/ab.png': bmc's plotting code (bmc-cairo.so) was not found beside bmc or in $tmp/alone/lib/bmc: " \
    "--plot without the cairo plugin"
[ ! -e "$tmp/ab.png" ] && pass || fail "--plot without the plugin left a file"
lacks "$tmp/out" "p_A" "a missing plugin stops the run before it samples (--plot)"
runs "compare --plot without the cairo plugin" 5 compare models/ab.bm models/ab_informative.bm --seed 1 --plot "$tmp/c.png"
expect_err "bmc's plotting code (bmc-cairo.so) was not found" "compare --plot without the cairo plugin"
lacks "$tmp/out" "p_A" "compare stops before it samples"

runs "saved draws" 0 run models/ab.bm --sampler nuts --seed 1 --draws 50 --tune 50 --output-dir "$tmp/ab"
runs "bmc plot without the cairo plugin" 5 plot "$tmp/ab/ab_1.csv" --output "$tmp/t.png"
expect_err "bmc's plotting code (bmc-cairo.so) was not found" "bmc plot without the cairo plugin"

# the plugins installed under the prefix: ../lib/bmc from bmc's folder
mkdir -p "$tmp/alone/lib/bmc"
cp "$dir/bmc-netcdf.so" "$dir/bmc-cairo.so" "$tmp/alone/lib/bmc/"
runs "--output-nc with PREFIX/lib/bmc" 0 run models/ab.bm --seed 1 --output-nc "$tmp/ab.nc" --plot "$tmp/ab.png"
[ -s "$tmp/ab.nc" ] && [ -s "$tmp/ab.png" ] && pass || fail "no file from the plugins in PREFIX/lib/bmc"

# a plugin beside bmc that is there but does not load is named with why,
# not passed over for the installed one
echo "not a shared object" >"$alone/bmc-netcdf.so"
runs "a broken plugin" 5 run models/ab.bm --seed 1 --output-nc "$tmp/ab2.nc"
expect_err "bmc's netCDF writer ($alone/bmc-netcdf.so) cannot be loaded: " "a broken plugin"
[ ! -e "$tmp/ab2.nc" ] && pass || fail "a broken plugin left a file"

# a link to bmc finds the plugins beside the file it links to (./bmc)
ln -s "$real" "$tmp/bmc-link"
BMC=$tmp/bmc-link
runs "--output-nc through a link" 0 run models/ab.bm --seed 1 --output-nc "$tmp/ab3.nc"

finish
