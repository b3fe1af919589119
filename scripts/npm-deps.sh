#!/usr/bin/env bash
# Installs the npm packages of the browser test (tests/browser: playwright-core, pinned by
# package-lock.json) with `npm ci`. Idempotent: does nothing when node_modules already matches the
# lock file. Never downloads a browser: the test drives Debian's /usr/bin/chromium
# (scripts/deps.sh --browser). Fails (exit 1) when node/npm are missing or the install fails.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../tests/browser" && pwd)"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "npm-deps: '$tool' not found; run scripts/deps.sh --browser first" >&2
    exit 1
  fi
done
# playwright-core (package.json) needs Node.js 20 or later; Debian 12's own nodejs is 18.
major="$(node -p 'process.versions.node.split(".")[0]')"
if ((major < 20)); then
  echo "npm-deps: Node.js $(node --version) is too old for playwright-core (needs >= 20)" >&2
  exit 1
fi
stamp="$dir/node_modules/.lock-sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$dir/node_modules/playwright-core/package.json" ]]; then
  exit 0
fi
echo "npm-deps: npm ci in tests/browser" >&2
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: belt and braces, playwright-core downloads nothing by itself.
(cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
