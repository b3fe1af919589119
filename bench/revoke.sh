#!/usr/bin/env bash
# bench/revoke.sh: how long `fhirctl token revoke` and `fhirctl client disable` take to reach a
# running fhir-serve under a 64-connection read load (issue 7: <= 1 s).
#
# 1. Starts fhir-serve --no-auth on a temporary data directory just to load N synthetic Patients
#    (transaction Bundles, bench/lib/patients.sh), stops it, then starts fhir-serve on the same
#    data directory WITH token checks (plain HTTP on 127.0.0.1, --insecure-http).
# 2. Registers and enables backend-services clients with fhirctl (bench/lib/backend_client.sh: EC
#    P-384 key, private_key_jwt, client_credentials, system/Patient.read) and gets real access
#    tokens with `fhirctl token get` from the server's token endpoint.
# 3. Starts wrk (-t2 -c64, random Patient reads, bench/wrk/random-read.lua) with the token of a
#    "load" client that is never revoked, so the load goes on for the whole run.
# 4. REPEATS times: gets a fresh token of a "victim" client, reads with it until it is answered 200
#    (its verdict is now in the server's token cache), starts a poller (curl every POLL_MS ms, its
#    own connection each time, recording the time each answer arrived), then at time T runs
#    `fhirctl --data-dir DIR token revoke JTI`, as an administrator would. The window is the arrival
#    time of the first 401 minus T; fhirctl's own run time (start to exit) is reported beside it.
#    The same again with `fhirctl --data-dir DIR client disable CLIENT` (a new victim client each
#    time). Between repetitions a random pause of 300-800 ms, so T falls anywhere in the server's
#    250 ms revocation poll cycle (lib/auth/verifier.hpp).
# 5. Stops wrk, checks the load client got no non-2xx answers, and prints a table per action, the
#    min / median / max window and PASS/MISS against GOAL_MS (the max must be within it).
# A benchmark report, not a test: it exits 0 unless something failed to run.
#
# Environment (defaults in brackets):
#   N [1000]             Patients to load; the load reads a random one per request
#   REPEATS [5]          measurements per action
#   CONNECTIONS [64]     connections of the read load
#   WRK_THREADS [2]      wrk threads of the read load
#   POLL_MS [10]         pause between two polls of the revoked token (each poll is a curl run)
#   TIMEOUT [10]         seconds to wait for the 401 before giving up on a repetition
#   GOAL_MS [1000]       the goal for the window
#   MAX_LOAD [2]         wait before measuring until the 1-minute load average is at most this ...
#   QUIET_WAIT [300]     ... for at most this many seconds (0: do not wait); then measure anyway
#   FHIR_SERVE, FHIRCTL  binaries; default build/release/apps/NAME/NAME, else build/bench/...,
#                        built into build/bench only when neither exists
#   OUT []               directory to keep the poll logs, wrk's output, server log and the summary in
#   KEEP_TMP [0]         1: keep the temp dir for inspection
#
# Needs wrk, curl and openssl: `scripts/deps.sh --bench` installs them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

N=${N:-1000}
REPEATS=${REPEATS:-5}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
POLL_MS=${POLL_MS:-10}
TIMEOUT=${TIMEOUT:-10}
GOAL_MS=${GOAL_MS:-1000}
MAX_LOAD=${MAX_LOAD:-2}
QUIET_WAIT=${QUIET_WAIT:-300}
OUT=${OUT:-}
KEEP_TMP=${KEEP_TMP:-0}
BATCH=200

die() {
  echo "bench/revoke.sh: $*" >&2
  exit 1
}
note() { echo "bench: $*" >&2; }

for v in N REPEATS CONNECTIONS WRK_THREADS POLL_MS TIMEOUT GOAL_MS QUIET_WAIT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, got \"${!v}\""
done
((N >= 1 && REPEATS >= 1 && CONNECTIONS >= 1 && WRK_THREADS >= 1 && TIMEOUT >= 1)) ||
  die "N, REPEATS, CONNECTIONS, WRK_THREADS and TIMEOUT must be at least 1"
((WRK_THREADS <= CONNECTIONS)) || die "WRK_THREADS ($WRK_THREADS) cannot exceed CONNECTIONS ($CONNECTIONS)"
[[ $MAX_LOAD =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_LOAD must be a number, got \"$MAX_LOAD\""
((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 (EPOCHREALTIME)"

missing=()
for t in wrk curl openssl basenc; do command -v "$t" >/dev/null || missing+=("$t"); done
if ((${#missing[@]})); then
  die "missing ${missing[*]}; install with: scripts/deps.sh --bench"
fi

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"
BIN=$(find_binary FHIR_SERVE fhir-serve)
FHIRCTL=$(find_binary FHIRCTL fhirctl)

# shellcheck source-path=SCRIPTDIR source=lib/patients.sh
source "$here/lib/patients.sh"
# shellcheck source-path=SCRIPTDIR source=lib/backend_client.sh
source "$here/lib/backend_client.sh"

# --- temp dir, process tracking, cleanup -----------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fhir-bench-revoke.XXXXXX")
pids=()

# stop PID: SIGTERM, then SIGKILL after 5 s.
stop() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    note "process $pid did not stop on SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do stop "$pid"; done
  if [[ -n $OUT && -d $tmp ]]; then
    mkdir -p "$OUT"
    cp "$tmp"/*.log "$tmp"/*.wrk "$tmp"/*.polls "$tmp"/summary.txt "$OUT"/ 2>/dev/null || true
  fi
  if [[ $KEEP_TMP == 1 ]]; then
    note "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

data=$tmp/data
strip_env=()
while IFS= read -r v; do strip_env+=(-u "$v"); done < <(compgen -e | grep '^FHIR_SERVE_' || true)


# now_us: wall clock in microseconds, without a fork.
now_us() {
  local t=${EPOCHREALTIME/[.,]/}
  echo "$t"
}

# --- 1. data, then the token-checking server ---------------------------------------------------
start_fhir load --insecure-http --no-auth
LOAD_PID=$FHIR_PID
note "loading $N Patients"
RANDOM=42
for ((first = 1; first <= N; first += BATCH)); do
  last=$((first + BATCH - 1))
  ((last > N)) && last=$N
  transaction_bundle "$first" "$last" >"$tmp/bundle.json"
  code=$(curl -sS -o "$tmp/bundle-response.json" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/fhir+json' -H 'Accept: application/fhir+json' \
    --data-binary "@$tmp/bundle.json" "http://127.0.0.1:$FHIR_PORT/r4") || die "POST /r4 failed (curl)"
  [[ $code == 200 ]] || die "POST /r4 (Patients $first-$last) answered $code: $(head -c 600 "$tmp/bundle-response.json")"
done
rm -f "$tmp/bundle.json" "$tmp/bundle-response.json"
for ((i = 1; i <= N; i++)); do printf 'bench-pt-%06d\n' "$i"; done >"$tmp/ids.txt"
stop "$LOAD_PID"
pids=()

start_fhir auth --insecure-http
SERVER_PID=$FHIR_PID
BASE=http://127.0.0.1:$FHIR_PORT
SAMPLE=$BASE/r4/Patient/bench-pt-000001
code=$(curl -s -o /dev/null -w '%{http_code}' "$SAMPLE" || true)
[[ $code == 401 ]] || die "fhir-serve with token checks answered $code without a token (expected 401)"

# --- 2. clients and tokens ---------------------------------------------------------------------
SCOPE=system/Patient.read
backend_key "$tmp" bench-load
backend_key "$tmp" bench-victim
LOAD_ID=$(backend_client "$data" "$tmp/bench-load.jwks" "bench load" "$SCOPE")
LOAD_TOKEN=$(access_token "$BASE" "$LOAD_ID" "$tmp/bench-load.pem" "$SCOPE")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LOAD_TOKEN" "$SAMPLE" || true)
[[ $code == 200 ]] || die "the load client's token was answered $code (expected 200)"
VICTIM_ID=$(backend_client "$data" "$tmp/bench-victim.jwks" "bench victim" "$SCOPE")

# --- 3. quiet machine, then the read load ------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
waited=0
while awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }' && ((waited < QUIET_WAIT)); do
  note "1-minute load average $(load1) > $MAX_LOAD (others busy?); waiting 15 s ($waited of $QUIET_WAIT s waited)"
  sleep 15
  waited=$((waited + 15))
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
UPTIME_BEFORE=$(uptime)
b0=$(busy_ticks)
sleep 1
PRE_BUSY=$(( ($(busy_ticks) - b0) * 100 / $(getconf CLK_TCK) ))

# Long enough for every repetition; stopped with SIGINT (wrk then prints its figures) when done.
WRK_SECONDS=$((30 + REPEATS * 2 * (TIMEOUT + 4)))
note "wrk read load: -t$WRK_THREADS -c$CONNECTIONS (load client's token), up to ${WRK_SECONDS}s"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WRK_SECONDS}s" --timeout 5s --latency \
  -H "Authorization: Bearer $LOAD_TOKEN" -s "$here/wrk/random-read.lua" "$SAMPLE" -- "$tmp/ids.txt" \
  >"$tmp/load.wrk" 2>&1 &
WRK_PID=$!
pids+=("$WRK_PID")
WRK_STARTED=$(now_us)
sleep 3
kill -0 "$WRK_PID" 2>/dev/null || die "wrk exited early: $(cat "$tmp/load.wrk")"

# poll TOKEN FILE DEADLINE_US: GET with TOKEN every POLL_MS ms, one line "arrival_us status" per
# answer into FILE, until a 401 or DEADLINE_US.
poll() {
  local token=$1 file=$2 deadline=$3 code pause
  pause=$(awk -v m="$POLL_MS" 'BEGIN { printf "%.3f", m / 1000 }')
  : >"$file"
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H "Authorization: Bearer $token" "$SAMPLE" || true)
    echo "$(now_us) $code" >>"$file"
    [[ $code == 401 ]] && return 0
    (($(now_us) < deadline)) || return 0
    ((POLL_MS > 0)) && sleep "$pause"
  done
}

# measure ACTION REP TOKEN CMD...: warms TOKEN, starts the poller, runs CMD at T; appends
# "action rep fhirctl_ms window_ms after_exit_ms last200_ms polls load1" to $tmp/windows.txt.
measure() {
  local action=$1 rep=$2 token=$3
  shift 3
  local i code t0 t1 first401 last200 polls file=$tmp/$action-$rep.polls poller out
  for ((i = 0; i < 50; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$SAMPLE" || true)
    [[ $code == 200 ]] && break
    sleep 0.02
  done
  [[ $code == 200 ]] || die "$action $rep: the victim token was answered $code before the change (expected 200)"
  sleep "0.$((300 + RANDOM % 500))" # T anywhere in the server's 250 ms poll cycle
  local l1
  l1=$(load1)
  poll "$token" "$file" $(($(now_us) + TIMEOUT * 1000000)) &
  poller=$!
  sleep 0.05
  t0=$(now_us)
  out=$("$@" 2>&1) || die "$action $rep: $* failed: $out"
  t1=$(now_us)
  wait "$poller"
  first401=$(awk '$2 == 401 { print $1; exit }' "$file")
  [[ -n $first401 ]] || die "$action $rep: no 401 within ${TIMEOUT}s (polls: $(tail -n 3 "$file" | tr '\n' ' '))"
  last200=$(awk -v t="$t0" '$2 == 200 && $1 >= t { l = $1 } END { print (l == "" ? 0 : l) }' "$file")
  polls=$(awk -v t="$t0" '$1 >= t { n++ } END { print n + 0 }' "$file")
  awk -v first="$first401" -v t="$t0" 'BEGIN { exit !(first < t) }' &&
    die "$action $rep: the token was refused before the change"
  awk -v a="$action" -v r="$rep" -v t0="$t0" -v t1="$t1" -v f="$first401" -v l="$last200" -v p="$polls" -v l1="$l1" \
    'BEGIN { printf "%s %d %.1f %.1f %.1f %.1f %d %s\n", a, r, (t1 - t0) / 1000, (f - t0) / 1000, (f - t1) / 1000,
      (l > 0 ? (l - t0) / 1000 : -1), p, l1 }' >>"$tmp/windows.txt"
  note "$action $rep: fhirctl $(((t1 - t0) / 1000)) ms, first 401 after $(((first401 - t0) / 1000)) ms"
}

: >"$tmp/windows.txt"
for ((rep = 1; rep <= REPEATS; rep++)); do
  kill -0 "$WRK_PID" 2>/dev/null || die "the wrk load stopped early: $(cat "$tmp/load.wrk")"
  token=$(access_token "$BASE" "$VICTIM_ID" "$tmp/bench-victim.pem" "$SCOPE")
  jti=$(token_id "$data" "$token")
  measure token-revoke "$rep" "$token" "$FHIRCTL" --data-dir "$data" token revoke "$jti"
done
for ((rep = 1; rep <= REPEATS; rep++)); do
  kill -0 "$WRK_PID" 2>/dev/null || die "the wrk load stopped early: $(cat "$tmp/load.wrk")"
  id=$(backend_client "$data" "$tmp/bench-victim.jwks" "bench victim $rep" "$SCOPE")
  token=$(access_token "$BASE" "$id" "$tmp/bench-victim.pem" "$SCOPE")
  measure client-disable "$rep" "$token" "$FHIRCTL" --data-dir "$data" client disable "$id"
done

kill -0 "$WRK_PID" 2>/dev/null || die "the wrk load stopped early: $(cat "$tmp/load.wrk")"
kill -INT "$WRK_PID"
wait "$WRK_PID" || true
pids=("$SERVER_PID")
WRK_SECONDS_RUN=$(awk -v a="$WRK_STARTED" -v b="$(now_us)" 'BEGIN { printf "%.0f", (b - a) / 1000000 }')
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
LOAD_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/load.wrk")
LOAD_P50=$(awk '/^ +50% / { print $2 }' "$tmp/load.wrk")
LOAD_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$tmp/load.wrk")
LOAD_REQUESTS=$(awk '/ requests in / { print $1 }' "$tmp/load.wrk")
[[ -n $LOAD_RPS ]] || die "wrk printed no figures: $(cat "$tmp/load.wrk")"

# --- 4. report ---------------------------------------------------------------------------------
{
  echo "fhir-serve revocation benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine:  $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), Linux $(uname -r)"
  echo "load:     before $LOAD_BEFORE, after $LOAD_AFTER (1/5/15-minute load averages; the run's own 64 server" \
    "threads and wrk count in it); ${PRE_BUSY}% of one core busy in the second before the load started"
  echo "uptime:   $UPTIME_BEFORE"
  echo "binaries: $BIN, $FHIRCTL"
  echo "server:   fhir-serve --insecure-http (token checks on), $N Patients"
  echo "read load: wrk -t$WRK_THREADS -c$CONNECTIONS, random Patient reads with another client's token: ${LOAD_REQUESTS:-?} requests" \
    "in ${WRK_SECONDS_RUN}s, $LOAD_RPS req/s, p50 $LOAD_P50, non-2xx ${LOAD_NON2XX:-0}"
  echo "poll:     curl GET Patient with the victim token every ${POLL_MS} ms (plus curl's own run time)"
  echo "window:   first 401 minus T (T: fhirctl started); fhirctl: its run time; after exit: first 401 minus fhirctl's exit"
  echo
  printf '%-15s %4s %12s %11s %14s %13s %6s %11s\n' action rep "fhirctl ms" "window ms" "after exit ms" "last 200 ms" polls "load1 (run)"
  awk '{ printf "%-15s %4d %12.1f %11.1f %14.1f %13s %6d %11s\n", $1, $2, $3, $4, $5, ($6 < 0 ? "-" : sprintf("%.1f", $6)), $7, $8 }' \
    "$tmp/windows.txt"
  echo
  for action in token-revoke client-disable; do
    awk -v a="$action" -v goal="$GOAL_MS" '$1 == a { w[++n] = $4; f[n] = $3 }
      function sort(v, n,   i, j, x) { for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x } }
      function median(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
      END {
        sort(w, n); sort(f, n)
        printf "%-15s window min / median / max %7.1f / %7.1f / %7.1f ms; fhirctl %5.1f / %5.1f / %5.1f ms\n",
          a, w[1], median(w, n), w[n], f[1], median(f, n), f[n]
        printf "goal: %-15s takes effect in <= %d ms under the load (max of %d)  %7.1f ms  %s\n",
          a, goal, n, w[n], (w[n] <= goal ? "PASS" : "MISS")
      }' "$tmp/windows.txt"
  done
} | tee "$tmp/summary.txt"

((${LOAD_NON2XX:-0} == 0)) || die "the load client got $LOAD_NON2XX non-2xx answers; the load did not keep going"
exit 0
