#!/usr/bin/env bash
# bench/binary_ab.sh: interleaved A/B of two fhir-serve binaries on one data directory, for a
# change whose effect is smaller than the run-to-run noise of this VM (10-15 %). ROUNDS rounds of:
# start A, a WARMUP-second wrk run (discarded), a DUR-second measured wrk run, stop A; the same
# with B. One server runs at a time, on the same data, so both see the same page cache.
# A benchmark, not a test.
#
# Usage: bench/binary_ab.sh BIN_A BIN_B DATA_DIR VALUES_FILE TEMPLATE
#   VALUES_FILE: one value per line; TEMPLATE: a path with "{}" replaced by a random value per
#   request (bench/search/random-query.lua), e.g.
#   bench/binary_ab.sh /tmp/fhir-serve-before build/release/apps/fhir-serve/fhir-serve \
#     bench/out/search-10000/data-s1 bench/out/search-10000/ids-s1.txt \
#     '/r4/Observation?patient={}&category=vital-signs'
# Environment: ROUNDS [4], DUR [6] s, WARMUP [2] s, CONNECTIONS [16], WRK_THREADS [2],
#   SERVER_THREADS [64], PORT [28150].
# Prints per round and side: requests/s and p50 (ms), then the medians per side.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "bench/binary_ab.sh: $*" >&2; exit 1; }
(($# == 5)) || die "usage: bench/binary_ab.sh BIN_A BIN_B DATA_DIR VALUES_FILE TEMPLATE"
A=$1 B=$2 DATA=$3 VALUES=$4 TEMPLATE=$5
ROUNDS=${ROUNDS:-4} DUR=${DUR:-6} WARMUP=${WARMUP:-2} CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-2} SERVER_THREADS=${SERVER_THREADS:-64} PORT=${PORT:-28150}
for f in "$A" "$B"; do [[ -x $f ]] || die "not an executable: $f"; done
[[ -d $DATA ]] || die "no data directory $DATA"
[[ -s $VALUES ]] || die "no values file $VALUES"
command -v wrk >/dev/null || die "wrk is missing (scripts/deps.sh --bench)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/binary-ab.XXXXXX")
pid=''
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
LUA=$here/search/random-query.lua
URL=http://127.0.0.1:$PORT

echo "uptime: $(uptime)"
echo "A: $A"
echo "B: $B"
echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d${DUR}s $TEMPLATE, $ROUNDS rounds, A then B"
printf '%-6s %-5s %10s %9s\n' round side "req/s" "p50 ms"
for ((r = 1; r <= ROUNDS; r++)); do
  for side in A B; do
    bin=${!side}
    env -u FHIR_SERVE_LOG_LEVEL "$bin" --data-dir "$DATA" --listen "127.0.0.1:$PORT" --insecure-http --no-auth \
      --threads "$SERVER_THREADS" >"$tmp/$side.log" 2>&1 &
    pid=$!
    for _ in $(seq 600); do curl -sf -o /dev/null "$URL/healthz" && break; sleep 0.1; done
    curl -sf -o /dev/null "$URL/healthz" || die "$side did not start: $(tail -n 3 "$tmp/$side.log")"
    args=(-t"$WRK_THREADS" -c"$CONNECTIONS" --latency -s "$LUA" "$URL")
    ((WARMUP > 0)) && wrk "${args[@]}" -d"${WARMUP}s" -- "$VALUES" "$TEMPLATE" >/dev/null 2>&1
    wrk "${args[@]}" -d"${DUR}s" -- "$VALUES" "$TEMPLATE" >"$tmp/out" 2>&1 || die "wrk failed: $(cat "$tmp/out")"
    grep -q 'Non-2xx' "$tmp/out" && die "$side answered non-2xx: $(grep Non-2xx "$tmp/out")"
    rps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/out")
    p50=$(awk '$1 == "50%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) sub(/ms$/, "", v);
                               else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.3f", v }' "$tmp/out")
    printf '%-6s %-5s %10s %9s\n' "$r" "$side" "$rps" "$p50" | tee -a "$tmp/rows"
    kill "$pid"
    wait "$pid" 2>/dev/null
    pid=''
  done
done
for side in A B; do
  awk -v s="$side" 'BEGIN { n = 0 } $2 == s { r[n] = $3 + 0; p[n] = $4 + 0; n++ }
    function median(a, n,   i, j, t) { for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                    return n % 2 ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }
    END { printf "median %-5s %10.0f %9.3f\n", s, median(r, n), median(p, n) }' "$tmp/rows"
done
