#!/usr/bin/env bash
# Installs every Debian package the build, tests and benchmarks need. Idempotent: installs only
# what is missing. Run as root or with sudo available.
set -euo pipefail
packages=(
  cmake ninja-build g++ ccache pkg-config make
  libcli11-dev libcpp-httplib-dev nlohmann-json3-dev libssl-dev libsqlite3-dev
  libspdlog-dev libgtest-dev libgmock-dev libpq-dev libmimalloc-dev
  openssl curl sqlite3
  clang libclang-rt-14-dev
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk nginx-light time python3)
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
