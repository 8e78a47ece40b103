#!/bin/sh
# Installs what building and testing bmc needs, when it is missing:
# Debian packages, with apt-get (as root, or through sudo).
#   sh tools/deps.sh              the build and test packages
#   sh tools/deps.sh PKG...       those packages instead (make fuzz, bench, ...)
set -e

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# building: the compiler tools and libraries; testing: python3 and jq read
# JSON, groff renders the man page, graphviz checks `bmc graph`'s DOT,
# netcdf-bin's ncdump reads --output-nc's files back; libopenblas0 takes the products
# of large matrices (runtime/ir/matvec.c).
wanted="gcc make flex bison pkg-config libgsl-dev libcunit1-dev libjansson-dev
        libreadline-dev libcairo2-dev libnetcdf-dev libcsv-dev libopenblas0 python3 jq groff-base graphviz netcdf-bin"
[ $# -gt 0 ] && wanted="$*"

need=""
for p in $wanted; do
    have_pkg "$p" || need="$need $p"
done
[ -z "$need" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "bmc: missing packages:$need" >&2
    echo "bmc: install them with your system's package manager, then run make again" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "bmc: installing$need" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
