#!/bin/sh
# Installs what building and testing bmc needs, when it is missing.
# Debian packages, installed with apt-get (as root, or through sudo).
set -e

need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# building: the compiler tools and libraries; testing: python3 and jq read
# JSON, groff renders the man page, graphviz checks `bmc graph`'s DOT.
for p in gcc make flex bison pkg-config libgsl-dev libcunit1-dev libjansson-dev \
         libreadline-dev libcairo2-dev python3 jq groff-base graphviz; do
    have_pkg "$p" || need="$need $p"
done
[ -z "$need" ] && exit 0

if ! have_cmd apt-get; then
    echo "bmc: missing packages:$need" >&2
    echo "bmc: install them with your system's package manager, then run make again" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "bmc: installing$need" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
