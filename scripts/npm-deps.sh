#!/usr/bin/env bash
# Installs the npm packages the tests use (test tooling only, never shipped), each pinned by its
# package-lock.json and installed with `npm ci`:
#   tests/browser          playwright-core (drives Debian's /usr/bin/chromium; never downloads a browser)
#   tests/ccda_schematron  the HL7 C-CDA R2.1 schematron (Consolidation.sch)
# Idempotent: a directory whose node_modules matches its lock file is skipped. `make test` runs it;
# the browser and schematron CTest fixtures run it again (a no-op). Fails (exit 1) when node/npm are
# missing or an install fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "npm-deps: '$tool' not found; run scripts/deps.sh --browser first" >&2
    exit 1
  fi
done
# playwright-core needs Node.js 20 or later; Debian 12's own nodejs is 18.
major="$(node -p 'process.versions.node.split(".")[0]')"
if ((major < 20)); then
  echo "npm-deps: Node.js $(node --version) is too old for playwright-core (needs >= 20)" >&2
  exit 1
fi
for dir in "$root/tests/browser" "$root/tests/ccda_schematron"; do
  [[ -f "$dir/package-lock.json" ]] || continue
  stamp="$dir/node_modules/.lock-sha256"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    continue
  fi
  echo "npm-deps: npm ci in ${dir#"$root"/}" >&2
  # --ignore-scripts: no install scripts run; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: belt and braces.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
done
