#!/usr/bin/env bash
# Installs Convergent's build and test dependencies from Debian/Ubuntu packages.
#   scripts/setup.sh            install what is missing (uses sudo when not root)
#   scripts/setup.sh --check    only report missing packages (exit 1 if any)
#   scripts/setup.sh --bench    also the peer tools the benchmarks compare against
set -euo pipefail

PKGS=(build-essential cmake pkg-config
      libgmp-dev libmpfr-dev libboost-dev libtbb-dev libsqlite3-dev sqlite3
      catch2 libflint-dev libflint-arb-dev libfplll-dev libcli11-dev nlohmann-json3-dev libnanoflann-dev
      libopenmpi-dev openmpi-bin
      chromium)  # the report test renders the HTML report in a real headless browser
BENCH_PKGS=(pari-gp python3-gmpy2 python3-mpmath python3-numpy time hyperfine)

check_only=0
while (($#)); do
  case "$1" in
    --check) check_only=1 ;;
    --bench) PKGS+=("${BENCH_PKGS[@]}") ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
if ((check_only)); then echo "missing packages: ${missing[*]}" >&2; exit 1; fi

echo "setup.sh: installing ${missing[*]}" >&2
SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to run apt-get" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
