#!/usr/bin/env bash
# bench/token_ab.sh: interleaved A/B of token validation alone (issue 5). Two fhir-serve on one
# `--demo` data dir, one checking tokens and one with --no-auth, both sent the same access token
# (a backend-services client's, from `fhirctl token get`), so the only difference is validation.
# ROUNDS rounds of: wrk -t2 -c64 (req/s) and wrk -t1 -c1 (p50, avg) against each, alternating.
# A third side, "no-header", reads from the --no-auth instance without any Authorization header
# (validation plus the cost of receiving the header, i.e. "with and without a token").
# A benchmark, not a test. Environment: ROUNDS [4], DUR [5] seconds, FHIR_SERVE, FHIRCTL binaries.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
die() { echo "bench/token_ab.sh: $*" >&2; exit 1; }
FHIRCTL=${FHIRCTL:-$root/build/release/apps/fhirctl/fhirctl}
FHIR_SERVE=${FHIR_SERVE:-$root/build/release/apps/fhir-serve/fhir-serve}
ROUNDS=${ROUNDS:-4} DUR=${DUR:-5}
source "$here/lib/backend_client.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/token-ab.XXXXXX")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
D=$tmp/data
start() { # PORT ARGS...
  local port=$1
  shift
  "$FHIR_SERVE" --data-dir "$D" --insecure-http --listen "127.0.0.1:$port" "$@" >"$tmp/serve-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  die "fhir-serve on $port did not start: $(tail -n 3 "$tmp/serve-$port.log")"
}
CHECKED=28140 UNCHECKED=28141
start $CHECKED --demo
start $UNCHECKED --no-auth
backend_key "$tmp" k1
ID=$(backend_client "$D" "$tmp/k1.jwks" "token A/B" system/Patient.read)
T=$(access_token "http://127.0.0.1:$CHECKED" "$ID" "$tmp/k1.pem" system/Patient.read)
curl -s "http://127.0.0.1:$UNCHECKED/r4/Patient?_count=100&_elements=id" | grep -o '"id":"[^"]*"' |
  sed 's/"id":"//;s/"//' | grep -v -- '-.*-.*-.*-' >"$tmp/ids.txt"
[[ -s $tmp/ids.txt ]] || die "no Patient ids"
L=$here/wrk/random-read.lua
echo "uptime: $(uptime)"
printf '%-6s %-10s %10s %10s %10s %7s\n' round side "c64 req/s" "c1 p50" "c1 avg" non2xx
for r in $(seq "$ROUNDS"); do
  for side in no-header unchecked checked; do
    port=$UNCHECKED
    [[ $side == checked ]] && port=$CHECKED
    hdr=(-H "Authorization: Bearer $T")
    [[ $side == no-header ]] && hdr=()
    a=$(wrk -t2 -c64 -d"${DUR}s" "${hdr[@]}" --latency -s "$L" "http://127.0.0.1:$port" -- "$tmp/ids.txt" 2>&1)
    b=$(wrk -t1 -c1 -d"${DUR}s" "${hdr[@]}" --latency -s "$L" "http://127.0.0.1:$port" -- "$tmp/ids.txt" 2>&1)
    printf '%-6s %-10s %10s %10s %10s %7s\n' "$r" "$side" "$(awk '/Requests\/sec/ {print $2}' <<<"$a")" \
      "$(awk '$1 == "50%" {print $2}' <<<"$b")" "$(awk '$1 == "Latency" {print $2; exit}' <<<"$b")" \
      "$(($(grep -c Non-2xx <<<"$a") + $(grep -c Non-2xx <<<"$b")))"
  done
done
