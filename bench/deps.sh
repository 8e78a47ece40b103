#!/bin/sh
# deps.sh -- installs what `make bench` needs, when it is missing: JAGS and
# rjags, rstan and a C++ toolchain for it, posterior and jsonlite, GNU time
# and valgrind (Debian packages, with apt-get, as root or through sudo).
# Then points rstan at Boost: Debian's r-cran-bh is an empty shim over
# libboost-dev, and rstan looks for the headers under BH's include folder.
set -e

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

need=""
for p in jags r-cran-rjags r-cran-rstan r-cran-posterior r-cran-jsonlite r-base-dev \
         g++ make libboost-dev time valgrind; do
    have_pkg "$p" || need="$need $p"
done
if [ -n "$need" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "bench: missing packages:$need; install them, then run make bench again" >&2
        exit 1
    fi
    echo "bench: installing$need" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
fi

bh=$(Rscript -e 'cat(system.file(package = "BH"))')
[ -n "$bh" ] || { echo "bench: the R package BH is not installed" >&2; exit 1; }
if [ ! -e "$bh/include/boost" ]; then
    $sudo mkdir -p "$bh/include"
    $sudo ln -s /usr/include/boost "$bh/include/boost"
fi
