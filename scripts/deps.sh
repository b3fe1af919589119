#!/usr/bin/env bash
# Installs every Debian package the build, tests and benchmarks need. Idempotent: installs only
# what is missing. Run as root or with sudo available.
#   --bench    also the benchmark tools (wrk, nginx)
#   --browser  also the browser test's tools: Debian's chromium, and Node.js + npm when the machine
#              has no node/npm of its own (tests/browser, installed by scripts/npm-deps.sh, which
#              needs Node.js >= 20 for playwright-core and says so when Debian 12's 18 is all there is)
set -euo pipefail
packages=(
  cmake ninja-build g++ ccache pkg-config make
  libcli11-dev libcpp-httplib-dev nlohmann-json3-dev libssl-dev libsqlite3-dev
  libspdlog-dev libgtest-dev libgmock-dev libpq-dev
  openssl curl sqlite3
  libxslt1-dev xsltproc python3-lxml
  clang libclang-rt-14-dev
)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(wrk nginx-light time python3) ;;
    --browser)
      packages+=(chromium)
      # A Node.js from elsewhere (e.g. NodeSource, which bundles npm) is kept; Debian's otherwise.
      if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        packages+=(nodejs npm)
      fi
      ;;
    *) echo "usage: scripts/deps.sh [--bench] [--browser]" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm installs test tooling (tests/ccda_schematron, scripts/npm-deps.sh). A Node.js that came
# with npm from elsewhere (e.g. NodeSource) is kept: Debian's npm package would conflict with it.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
