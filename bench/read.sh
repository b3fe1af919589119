#!/usr/bin/env bash
# bench/read.sh: read throughput and latency of fhir-serve against nginx serving the same bytes.
#
# Starts fhir-serve (--no-auth: no token checks) over plain HTTP (--insecure-http) and over HTTPS (--dev) on one temporary data
# directory, loads N synthetic US Core Patients through transaction Bundles, copies one stored
# Patient's exact JSON to a file that nginx serves statically (HTTP and HTTPS, same certificate),
# then runs wrk against all four and prints one table. nginx runs twice: tuned (nginx.conf.tmpl:
# access log off, open file cache, unlimited keep-alive) and as Debian ships it
# (nginx-stock.conf.tmpl: Debian 12's nginx.conf http settings, access log on; plain HTTP). A bare
# cpp-httplib server (httplib_floor/httplib_floor.cpp, built here with g++) serves the same bytes
# from memory: the floor under any cpp-httplib server (plain HTTP). A third fhir-serve on the same data directory
# checks access tokens (plain HTTP, no --no-auth): a backend-services client registered with
# fhirctl gets a real token (`fhirctl token get`, system/Patient.read), and the "token" rows read
# with `Authorization: Bearer` through it; the report compares them with the no-token rows (issue 5:
# token validation adds <= 10 % to read latency); the "token unchecked" rows send the same header
# to the --no-auth instance, so that validation alone is compared on the same request bytes. A benchmark report, not a test: it exits 0
# unless something failed to run (a server did not start, a load failed, a run got non-2xx answers).
#
# Environment (defaults in brackets):
#   N [1000]             Patients to load; the fhir-serve runs read a random one per request
#   DURATION [10]        seconds per measured wrk run
#   CONNECTIONS [64]     connections of the throughput runs
#   WRK_THREADS [2]      wrk threads of the throughput runs (the latency runs use -t1 -c1)
#   WARMUP [2]           seconds of discarded wrk run before each measured run (0: none)
#   BATCH [200]          Patients per transaction Bundle while loading
#   SERVER_THREADS []    fhir-serve --threads (empty: the server's default)
#   FHIR_SERVE []        the fhir-serve binary; default build/release/..., else build/bench/...,
#                        built into build/bench only when neither exists
#   FHIRCTL []           the fhirctl binary (registers the client, gets the token); default
#                        build/release/..., else build/bench/..., built like fhir-serve
#   OUT []               directory to keep the raw wrk outputs, logs and the summary in
#   KEEP_TMP [0]         1: keep the temp dir (data dir, nginx config, logs) for inspection
#
# Needs wrk, nginx, curl and openssl: `scripts/deps.sh --bench` installs them (Debian: wrk nginx-light curl).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

N=${N:-1000}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
WARMUP=${WARMUP:-2}
BATCH=${BATCH:-200}
SERVER_THREADS=${SERVER_THREADS:-}
OUT=${OUT:-}
KEEP_TMP=${KEEP_TMP:-0}

die() {
  echo "bench/read.sh: $*" >&2
  exit 1
}
note() { echo "bench: $*" >&2; }

for v in N DURATION CONNECTIONS WRK_THREADS WARMUP BATCH; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, got \"${!v}\""
done
((N >= 1 && DURATION >= 1 && CONNECTIONS >= 1 && WRK_THREADS >= 1 && BATCH >= 1)) ||
  die "N, DURATION, CONNECTIONS, WRK_THREADS and BATCH must be at least 1"
((WRK_THREADS <= CONNECTIONS)) || die "WRK_THREADS ($WRK_THREADS) cannot exceed CONNECTIONS ($CONNECTIONS)"
[[ -z $SERVER_THREADS || $SERVER_THREADS =~ ^[0-9]+$ ]] || die "SERVER_THREADS must be a number"

# --- tools -----------------------------------------------------------------------------------
NGINX=$(command -v nginx || true)
[[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -n $NGINX ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
if ((${#missing[@]})); then
  die "missing ${missing[*]}; install with: scripts/deps.sh --bench  (Debian packages wrk nginx-light curl)"
fi

# --- the binaries ----------------------------------------------------------------------------
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$here/lib/common.sh"
BIN=$(find_binary FHIR_SERVE fhir-serve)
FHIRCTL=$(find_binary FHIRCTL fhirctl)

# shellcheck source-path=SCRIPTDIR source=lib/patients.sh
source "$here/lib/patients.sh"
# shellcheck source-path=SCRIPTDIR source=lib/backend_client.sh
source "$here/lib/backend_client.sh"

# --- temp dir, process tracking, cleanup -----------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fhir-bench.XXXXXX")
pids=()

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$? pid i
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
      note "process $pid did not stop on SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n $OUT && -d $tmp ]]; then
    mkdir -p "$OUT"
    cp "$tmp"/*.log "$tmp"/*.wrk "$tmp"/summary.txt "$OUT"/ 2>/dev/null || true
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
www=$tmp/www
ngx=$tmp/nginx
mkdir -p "$www" "$ngx"

# fhir-serve reads FHIR_SERVE_<FLAG> and FHIR_SERVE_CONFIG from the environment; keep a caller's
# settings (log level, threads, ...) out of the measurement.
strip_env=()
while IFS= read -r v; do strip_env+=(-u "$v"); done < <(compgen -e | grep '^FHIR_SERVE_' || true)


# pick_port: a port on 127.0.0.1 nothing listens on now (in REPLY).
pick_port() {
  local p try
  for ((try = 0; try < 200; try++)); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      REPLY=$p
      return 0
    fi
  done
  die "cannot find a free port on 127.0.0.1"
}

# cpu_ticks PID: user+system clock ticks of PID (all its threads) and of its direct children
# (nginx's workers). Pure bash: processes may come and go while /proc is read.
cpu_ticks() {
  local pid=$1 total=0 f line
  local -a fld
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    read -ra fld <<<"${line##*) }" # after "pid (comm) ": state ppid ... utime(12) stime(13)
    if [[ $f == "/proc/$pid/stat" || ${fld[1]} == "$pid" ]]; then
      total=$((total + fld[11] + fld[12]))
    fi
  done
  echo "$total"
}
CLK_TCK=$(getconf CLK_TCK)


# How busy the machine is before anything starts (other builds skew every figure).
b0=$(busy_ticks)
sleep 1
PRE_BUSY=$(( (($(busy_ticks) - b0) * 100 + CLK_TCK / 2) / CLK_TCK ))
read -r LOADAVG _ </proc/loadavg
if ((PRE_BUSY > 20)); then
  note "warning: the machine is already ${PRE_BUSY}% busy (of one core) before the benchmark starts; figures will be low and noisy"
fi

# --- 1. fhir-serve, HTTP and HTTPS, one data dir -----------------------------------------------
# --no-auth: this measures serving bytes, not token checks (loopback only, as here).
start_fhir http --insecure-http --no-auth
FHIR_HTTP_PORT=$FHIR_PORT FHIR_HTTP_PID=$FHIR_PID
start_fhir https --dev --no-auth
FHIR_HTTPS_PORT=$FHIR_PORT FHIR_HTTPS_PID=$FHIR_PID
CERT=$data/tls/cert.pem KEY=$data/tls/key.pem
[[ -r $CERT && -r $KEY ]] || die "fhir-serve --dev did not write $CERT and $KEY"
# The same over plain HTTP with token checks on (the "token" rows).
start_fhir http-auth --insecure-http
FHIR_AUTH_PORT=$FHIR_PORT FHIR_AUTH_PID=$FHIR_PID
HTTP_BASE=http://127.0.0.1:$FHIR_HTTP_PORT
HTTPS_BASE=https://127.0.0.1:$FHIR_HTTPS_PORT
AUTH_BASE=http://127.0.0.1:$FHIR_AUTH_PORT

# --- 2. load N Patients ------------------------------------------------------------------------
note "loading $N Patients in transaction Bundles of $BATCH"
RANDOM=42 # deterministic synthetic data
load_started=$(date +%s.%N)
for ((first = 1; first <= N; first += BATCH)); do
  last=$((first + BATCH - 1))
  ((last > N)) && last=$N
  transaction_bundle "$first" "$last" >"$tmp/bundle.json"
  code=$(curl -sS -o "$tmp/bundle-response.json" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/fhir+json' -H 'Accept: application/fhir+json' \
    --data-binary "@$tmp/bundle.json" "$HTTP_BASE/r4") || die "POST /r4 failed (curl)"
  [[ $code == 200 ]] || die "POST /r4 (Patients $first-$last) answered $code: $(head -c 600 "$tmp/bundle-response.json")"
  ok=$(grep -o '"status":"20[01][^"]*"' "$tmp/bundle-response.json" | wc -l)
  ((ok == last - first + 1)) || die "POST /r4 (Patients $first-$last): $ok of $((last - first + 1)) entries succeeded"
done
load_seconds=$(awk -v a="$load_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
rm -f "$tmp/bundle.json" "$tmp/bundle-response.json"
for ((i = 1; i <= N; i++)); do printf 'bench-pt-%06d\n' "$i"; done >"$tmp/ids.txt"

# --- 3. one stored Patient, exact bytes, for nginx -------------------------------------------------
SAMPLE_ID=bench-pt-000001
code=$(curl -sS -o "$www/patient.json" -w '%{http_code}' -H 'Accept: application/fhir+json' \
  "$HTTP_BASE/r4/Patient/$SAMPLE_ID") || die "GET Patient/$SAMPLE_ID failed (curl)"
[[ $code == 200 ]] || die "GET Patient/$SAMPLE_ID answered $code"
code=$(curl -sS -k -o "$tmp/patient-https.json" -w '%{http_code}' -H 'Accept: application/fhir+json' \
  "$HTTPS_BASE/r4/Patient/$SAMPLE_ID") || die "GET Patient/$SAMPLE_ID over HTTPS failed (curl)"
if [[ $code != 200 ]] || ! cmp -s "$www/patient.json" "$tmp/patient-https.json"; then
  die "the HTTPS instance does not return the same Patient/$SAMPLE_ID bytes (status $code)"
fi
BODY_BYTES=$(wc -c <"$www/patient.json")
code=$(curl -sS -o /dev/null -w '%{http_code}' "$HTTP_BASE/r4/Patient/bench-pt-$(printf '%06d' "$N")")
[[ $code == 200 ]] || die "GET Patient/bench-pt-$(printf '%06d' "$N") answered $code; the load is incomplete"

# --- 3b. a backend-services client and its access token, for the "token" rows ------------------
note "registering a backend-services client and getting an access token from $AUTH_BASE"
backend_key "$tmp" bench-reader
READER_ID=$(backend_client "$data" "$tmp/bench-reader.jwks" "bench reader" system/Patient.read)
TOKEN=$(access_token "$AUTH_BASE" "$READER_ID" "$tmp/bench-reader.pem" system/Patient.read)
code=$(curl -sS -o /dev/null -w '%{http_code}' "$AUTH_BASE/r4/Patient/$SAMPLE_ID") || die "GET without a token failed (curl)"
[[ $code == 401 ]] || die "the token-checking instance answered $code without a token (expected 401)"
code=$(curl -sS -o "$tmp/patient-auth.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  -H 'Accept: application/fhir+json' "$AUTH_BASE/r4/Patient/$SAMPLE_ID") || die "GET with a token failed (curl)"
[[ $code == 200 ]] || die "the token-checking instance answered $code with the token (expected 200)"
cmp -s "$www/patient.json" "$tmp/patient-auth.json" || die "the token-checking instance returns other bytes"

# --- 4. nginx, HTTP and HTTPS ------------------------------------------------------------------
RANDOM=$$
pick_port
NGINX_HTTP_PORT=$REPLY
pick_port
NGINX_HTTPS_PORT=$REPLY
[[ $NGINX_HTTPS_PORT != "$NGINX_HTTP_PORT" ]] || die "picked the same port twice; run again"
user_line='# (not root: workers run as the invoking user)'
if [[ $(id -u) -eq 0 ]]; then
  # As root nginx would switch workers to "nobody", which may not read the temp dir.
  user_line="user $(id -un) $(id -gn);"
fi
sed -e "s|@USER_LINE@|$user_line|" -e "s|@NGINX_DIR@|$ngx|g" -e "s|@WWW_DIR@|$www|g" \
  -e "s|@HTTP_PORT@|$NGINX_HTTP_PORT|g" -e "s|@HTTPS_PORT@|$NGINX_HTTPS_PORT|g" \
  -e "s|@CERT@|$CERT|g" -e "s|@KEY@|$KEY|g" "$here/nginx.conf.tmpl" >"$ngx/nginx.conf"
"$NGINX" -e "$ngx/error.log" -p "$ngx" -c "$ngx/nginx.conf" >"$tmp/nginx.log" 2>&1 &
NGINX_PID=$!
pids+=("$NGINX_PID")
NGINX_HTTP=http://127.0.0.1:$NGINX_HTTP_PORT
NGINX_HTTPS=https://127.0.0.1:$NGINX_HTTPS_PORT
for ((i = 0; ; i++)); do
  kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(tail -n 5 "$tmp/nginx.log" "$ngx/error.log" 2>/dev/null)"
  c1=$(curl -s -o "$tmp/nginx-http.json" -w '%{http_code}' "$NGINX_HTTP/r4/Patient/$SAMPLE_ID" || true)
  c2=$(curl -s -k -o "$tmp/nginx-https.json" -w '%{http_code}' "$NGINX_HTTPS/r4/Patient/$SAMPLE_ID" || true)
  [[ $c1 == 200 && $c2 == 200 ]] && break
  ((i < 200)) || die "nginx did not answer on $NGINX_HTTP and $NGINX_HTTPS: $(tail -n 5 "$ngx/error.log" 2>/dev/null)"
  sleep 0.05
done
if ! cmp -s "$www/patient.json" "$tmp/nginx-http.json" || ! cmp -s "$www/patient.json" "$tmp/nginx-https.json"; then
  die "nginx does not serve the stored bytes"
fi
ctype=$(curl -s -o /dev/null -w '%{content_type}' "$NGINX_HTTP/r4/Patient/$SAMPLE_ID")
[[ $ctype == application/fhir+json* ]] || die "nginx answers Content-Type $ctype"

# nginx with Debian's stock http settings (access log on): plain HTTP only.
pick_port
NGINX_STOCK_PORT=$REPLY
[[ $NGINX_STOCK_PORT != "$NGINX_HTTP_PORT" && $NGINX_STOCK_PORT != "$NGINX_HTTPS_PORT" ]] ||
  die "picked the same port twice; run again"
sed -e "s|@USER_LINE@|$user_line|" -e "s|@NGINX_DIR@|$ngx|g" -e "s|@WWW_DIR@|$www|g" \
  -e "s|@HTTP_PORT@|$NGINX_STOCK_PORT|g" "$here/nginx-stock.conf.tmpl" >"$ngx/nginx-stock.conf"
"$NGINX" -e "$ngx/error-stock.log" -p "$ngx" -c "$ngx/nginx-stock.conf" >"$tmp/nginx-stock.log" 2>&1 &
NGINX_STOCK_PID=$!
pids+=("$NGINX_STOCK_PID")
NGINX_STOCK=http://127.0.0.1:$NGINX_STOCK_PORT
# serves_stored_bytes NAME PID URL LOG: waits (10 s at most) until URL answers 200 with exactly the
# stored Patient's bytes, or dies naming NAME (and the tail of LOG when PID has exited).
serves_stored_bytes() {
  local name=$1 pid=$2 url=$3 log=$4 code i
  for ((i = 0; ; i++)); do
    kill -0 "$pid" 2>/dev/null || die "$name exited: $(tail -n 5 "$log" 2>/dev/null)"
    code=$(curl -s -o "$tmp/$name.json" -w '%{http_code}' "$url" || true)
    [[ $code == 200 ]] && break
    ((i < 200)) || die "$name did not answer on $url (port taken? run again)"
    sleep 0.05
  done
  cmp -s "$www/patient.json" "$tmp/$name.json" || die "$name does not serve the stored bytes"
}
serves_stored_bytes nginx-stock "$NGINX_STOCK_PID" "$NGINX_STOCK/r4/Patient/$SAMPLE_ID" "$tmp/nginx-stock.log"

# The floor: a bare cpp-httplib server (bench/httplib_floor/httplib_floor.cpp, set up as fhir-serve
# sets up its server, no routing, database or logging) serving the same bytes from memory.
FLOOR_BIN=$tmp/httplib_floor
g++ -O2 -std=c++20 -o "$FLOOR_BIN" "$here/httplib_floor/httplib_floor.cpp" $(pkg-config --cflags --libs cpp-httplib) \
  -lpthread 2>"$tmp/httplib_floor.build" || die "cannot build bench/httplib_floor: $(tail -n 5 "$tmp/httplib_floor.build")"
pick_port
FLOOR_PORT=$REPLY
"$FLOOR_BIN" "$www/patient.json" "$FLOOR_PORT" >"$tmp/httplib_floor.log" 2>&1 &
FLOOR_PID=$!
pids+=("$FLOOR_PID")
FLOOR=http://127.0.0.1:$FLOOR_PORT
serves_stored_bytes httplib_floor "$FLOOR_PID" "$FLOOR/r4/Patient/$SAMPLE_ID" "$tmp/httplib_floor.log"

# Response sizes as the clients see them (headers + body), for the report.
resp_size() { curl -s "${@:2}" -o /dev/null -w '%{size_header}+%{size_download}' "$1"; }
SIZE_FHIR=$(resp_size "$HTTP_BASE/r4/Patient/$SAMPLE_ID" -H 'Accept: application/fhir+json')
SIZE_NGINX=$(resp_size "$NGINX_HTTP/r4/Patient/$SAMPLE_ID" -H 'Accept: application/fhir+json')
tls_of() { curl -sv -k -o /dev/null "$1" 2>&1 | sed -n 's/^\* SSL connection using //p' | head -n 1 || true; }
TLS_FHIR=$(tls_of "$HTTPS_BASE/healthz")
TLS_NGINX=$(tls_of "$NGINX_HTTPS/r4/Patient/$SAMPLE_ID")

# --- 5. wrk ------------------------------------------------------------------------------------
LUA=$here/wrk/random-read.lua
# run NAME SERVER_PID THREADS CONNECTIONS URL [lua [HEADER]]: one warm-up and one measured wrk run
# (HEADER: a request header for wrk -H).
# Writes $tmp/NAME.wrk (wrk's output), $tmp/NAME.cpu ("server_ticks machine_busy_ticks wrk_user wrk_sys").
run() {
  local name=$1 spid=$2 t=$3 c=$4 url=$5 lua=${6:-} header=${7:-} args before after busy_before busy_after
  args=(-t"$t" -c"$c" --timeout 5s --latency)
  [[ -n $header ]] && args+=(-H "$header")
  local script=()
  if [[ -n $lua ]]; then script=(-s "$LUA" "$url" -- "$tmp/ids.txt"); else script=("$url"); fi
  note "wrk $name: -t$t -c$c -d${DURATION}s $url${lua:+ (random id of $N)}${header:+ (${header%%:*} header)}"
  if ((WARMUP > 0)); then
    wrk "${args[@]}" -d"${WARMUP}s" "${script[@]}" >/dev/null 2>&1 || die "wrk warm-up for $name failed"
  fi
  before=$(cpu_ticks "$spid")
  busy_before=$(busy_ticks)
  local TIMEFORMAT='%U %S'
  { time wrk "${args[@]}" -d"${DURATION}s" "${script[@]}" >"$tmp/$name.wrk" 2>&1; } 2>"$tmp/$name.time" ||
    die "wrk $name failed: $(cat "$tmp/$name.wrk")"
  busy_after=$(busy_ticks)
  after=$(cpu_ticks "$spid")
  echo "$((after - before)) $((busy_after - busy_before)) $(cat "$tmp/$name.time")" >"$tmp/$name.cpu"
}

run fhir-http "$FHIR_HTTP_PID" "$WRK_THREADS" "$CONNECTIONS" "$HTTP_BASE/r4/Patient/$SAMPLE_ID" lua
run fhir-http-token "$FHIR_AUTH_PID" "$WRK_THREADS" "$CONNECTIONS" "$AUTH_BASE/r4/Patient/$SAMPLE_ID" lua \
  "Authorization: Bearer $TOKEN"
run nginx-http "$NGINX_PID" "$WRK_THREADS" "$CONNECTIONS" "$NGINX_HTTP/r4/Patient/$SAMPLE_ID"
run nginx-stock-http "$NGINX_STOCK_PID" "$WRK_THREADS" "$CONNECTIONS" "$NGINX_STOCK/r4/Patient/$SAMPLE_ID"
run floor-http "$FLOOR_PID" "$WRK_THREADS" "$CONNECTIONS" "$FLOOR/r4/Patient/$SAMPLE_ID"
# The same Authorization header sent to the --no-auth instance, which does not check it: the
# difference to the token rows is the validation alone, the bytes on the wire being the same.
run fhir-http-sent "$FHIR_HTTP_PID" "$WRK_THREADS" "$CONNECTIONS" "$HTTP_BASE/r4/Patient/$SAMPLE_ID" lua \
  "Authorization: Bearer $TOKEN"
run fhir-https "$FHIR_HTTPS_PID" "$WRK_THREADS" "$CONNECTIONS" "$HTTPS_BASE/r4/Patient/$SAMPLE_ID" lua
run nginx-https "$NGINX_PID" "$WRK_THREADS" "$CONNECTIONS" "$NGINX_HTTPS/r4/Patient/$SAMPLE_ID"
run fhir-http-c1 "$FHIR_HTTP_PID" 1 1 "$HTTP_BASE/r4/Patient/$SAMPLE_ID" lua
run fhir-http-token-c1 "$FHIR_AUTH_PID" 1 1 "$AUTH_BASE/r4/Patient/$SAMPLE_ID" lua "Authorization: Bearer $TOKEN"
run fhir-http-sent-c1 "$FHIR_HTTP_PID" 1 1 "$HTTP_BASE/r4/Patient/$SAMPLE_ID" lua "Authorization: Bearer $TOKEN"
run nginx-http-c1 "$NGINX_PID" 1 1 "$NGINX_HTTP/r4/Patient/$SAMPLE_ID"
run nginx-stock-http-c1 "$NGINX_STOCK_PID" 1 1 "$NGINX_STOCK/r4/Patient/$SAMPLE_ID"

# --- 6. report ---------------------------------------------------------------------------------
# wrk_field FILE rps|p50|p99|avg|errors|non2xx|requests: one figure from a wrk output (times in ms).
wrk_field() {
  awk -v want="$2" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    /^ +Latency / && avg == "" { avg = ms($2) }
    /^ +50% / { p50 = ms($2) }
    /^ +99% / { p99 = ms($2) }
    /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    / requests in / { requests = $1 }
    END {
      if (want == "rps") print rps + 0
      else if (want == "p50") print p50 + 0
      else if (want == "p99") print p99 + 0
      else if (want == "avg") print avg + 0
      else if (want == "errors") print errors + 0
      else if (want == "non2xx") print non2xx + 0
      else if (want == "requests") print requests + 0
    }' "$1"
}

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
os=$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -s)
debian=$(cat /etc/debian_version 2>/dev/null || true)
nginx_version=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
wrk_version=$( (wrk -v 2>&1 || true) | awk 'NR == 1 { print $2 }')
threads_shown=${SERVER_THREADS:-default}

{
  echo "fhir-serve read benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine:    $(nproc) CPUs ($cpu_model), $os${debian:+ ($debian)}, Linux $(uname -r)"
  echo "idle check: ${PRE_BUSY}% of one core busy in the second before start (load average $LOADAVG)"
  echo "fhir-serve: $BIN (--threads $threads_shown)"
  echo "token rows: a third fhir-serve with token checks on (no --no-auth, --insecure-http), same data dir;" \
    "Authorization: Bearer <RS256 access token of a backend-services client, system/Patient.read, ${#TOKEN} bytes>" \
    "from fhirctl token get ($FHIRCTL)"
  echo "clients:    wrk $wrk_version, $nginx_version; wrk shares the machine with the server"
  echo "data:       $N Patients (loaded in ${load_seconds}s), stored Patient $BODY_BYTES bytes;" \
    "response headers+body: fhir-serve $SIZE_FHIR, nginx $SIZE_NGINX bytes"
  echo "TLS:        fhir-serve ${TLS_FHIR:-?}; nginx ${TLS_NGINX:-?}"
  echo "runs:       ${DURATION}s each after a ${WARMUP}s warm-up; fhir-serve reads a random Patient of $N per request," \
    "nginx one static file"
  echo
  printf '%-47s %9s %8s %8s %8s %7s %7s %6s %6s\n' "" "req/s" "avg ms" "p50 ms" "p99 ms" "errors" "server" "wrk" "other"
  for row in "fhir-http|fhir-serve HTTP" "fhir-http-sent|fhir-serve HTTP token unchecked" \
    "fhir-http-token|fhir-serve HTTP token" "nginx-http|nginx HTTP" "nginx-stock-http|nginx stock HTTP" \
    "floor-http|bare cpp-httplib HTTP" "fhir-https|fhir-serve HTTPS" "nginx-https|nginx HTTPS" "fhir-http-c1|fhir-serve HTTP" \
    "fhir-http-sent-c1|fhir-serve HTTP token unchecked" "fhir-http-token-c1|fhir-serve HTTP token" \
    "nginx-http-c1|nginx HTTP" "nginx-stock-http-c1|nginx stock HTTP"; do
    name=${row%%|*} label=${row#*|}
    f=$tmp/$name.wrk
    if [[ $name == *-c1 ]]; then label="$label (-t1 -c1)"; else label="$label (-t$WRK_THREADS -c$CONNECTIONS)"; fi
    read -r sticks busy wuser wsys <"$tmp/$name.cpu"
    errs=$(($(wrk_field "$f" errors) + $(wrk_field "$f" non2xx)))
    awk -v l="$label" -v rps="$(wrk_field "$f" rps)" -v avg="$(wrk_field "$f" avg)" -v p50="$(wrk_field "$f" p50)" \
      -v p99="$(wrk_field "$f" p99)" -v e="$errs" -v st="$sticks" -v busy="$busy" -v hz="$CLK_TCK" -v wu="$wuser" -v ws="$wsys" \
      -v d="$DURATION" 'BEGIN {
        server = 100 * st / hz / d; wrk = 100 * (wu + ws) / d; other = 100 * busy / hz / d - server - wrk
        if (other < 0) other = 0
        printf "%-47s %9.0f %8.3f %8.3f %8.3f %7d %6.0f%% %5.0f%% %5.0f%%\n", l, rps, avg, p50, p99, e, server, wrk, other }'
  done
  echo "server, wrk, other: CPU used during the measured run, in percent of one core ($(nproc) cores = $(($(nproc) * 100))%);"
  echo "other = everything else busy on the machine (kernel softirq, other processes). errors: socket errors + non-2xx."
  echo
  awk -v fh="$(wrk_field "$tmp/fhir-http.wrk" rps)" -v nh="$(wrk_field "$tmp/nginx-http.wrk" rps)" \
    -v sh="$(wrk_field "$tmp/nginx-stock-http.wrk" rps)" -v bh="$(wrk_field "$tmp/floor-http.wrk" rps)" \
    -v fs="$(wrk_field "$tmp/fhir-https.wrk" rps)" -v ns="$(wrk_field "$tmp/nginx-https.wrk" rps)" \
    -v p50="$(wrk_field "$tmp/fhir-http-c1.wrk" p50)" -v np50="$(wrk_field "$tmp/nginx-http-c1.wrk" p50)" 'BEGIN {
      rh = nh > 0 ? fh / nh : 0
      rs = ns > 0 ? fs / ns : 0
      rk = sh > 0 ? fh / sh : 0
      printf "fhir-serve / nginx, plain HTTP: %5.1f%%\n", 100 * rh
      printf "fhir-serve / nginx stock, HTTP: %5.1f%%\n", 100 * rk
      printf "bare cpp-httplib / nginx, HTTP: %5.1f%% (stock: %.1f%%); fhir-serve / bare cpp-httplib: %.1f%%\n", (nh > 0 ? 100 * bh / nh : 0), (sh > 0 ? 100 * bh / sh : 0), (bh > 0 ? 100 * fh / bh : 0)
      printf "fhir-serve / nginx, HTTPS:      %5.1f%%\n", 100 * rs
      printf "p50, one connection, HTTP:      fhir-serve %.3f ms, nginx %.3f ms\n", p50, np50
      print ""
      printf "goal: fhir-serve >= 50%% of nginx over plain HTTP   %5.1f%%     %s (tuned nginx)\n", 100 * rh, (rh >= 0.5 ? "PASS" : "MISS")
      printf "goal: fhir-serve >= 50%% of nginx over plain HTTP   %5.1f%%     %s (nginx as Debian ships it)\n", 100 * rk, (rk >= 0.5 ? "PASS" : "MISS")
      printf "goal: p50 <= 0.15 ms, one connection (HTTP)        %.3f ms  %s\n", p50, (p50 <= 0.15 ? "PASS" : "MISS")
    }'
  echo
  # Issue 5: what checking the token adds. Latency at one connection directly; at 64 connections
  # the time per request is 1/throughput, so added = (base req/s) / (token req/s) - 1. Two bases:
  # the same request with the token sent to the --no-auth instance (validation alone: the same
  # bytes on the wire), and the request without any Authorization header (validation plus
  # receiving and parsing a ~780-byte header).
  token_cost() { # BASE_NAME LABEL
    awk -v p50="$(wrk_field "$tmp/$1-c1.wrk" p50)" -v tp50="$(wrk_field "$tmp/fhir-http-token-c1.wrk" p50)" \
      -v avg="$(wrk_field "$tmp/$1-c1.wrk" avg)" -v tavg="$(wrk_field "$tmp/fhir-http-token-c1.wrk" avg)" \
      -v rps="$(wrk_field "$tmp/$1.wrk" rps)" -v trps="$(wrk_field "$tmp/fhir-http-token.wrk" rps)" \
      -v c="$CONNECTIONS" -v l="$2" 'BEGIN {
        ap50 = p50 > 0 ? 100 * (tp50 / p50 - 1) : 0
        aavg = avg > 0 ? 100 * (tavg / avg - 1) : 0
        arps = trps > 0 ? 100 * (rps / trps - 1) : 0
        printf "token checked / %s:\n", l
        printf "  p50, one connection:    %.3f / %.3f ms   added %+6.1f%%  %s\n", tp50, p50, ap50, (ap50 <= 10 ? "PASS" : "MISS")
        printf "  avg, one connection:    %.3f / %.3f ms   added %+6.1f%%  %s\n", tavg, avg, aavg, (aavg <= 10 ? "PASS" : "MISS")
        printf "  req/s, %d connections:  %.0f / %.0f     added %+6.1f%%  %s (time per request)\n", c, trps, rps, arps, (arps <= 10 ? "PASS" : "MISS")
      }'
  }
  echo "goal: token validation adds <= 10% to read latency"
  token_cost fhir-http-sent "token sent but not checked (--no-auth), same request bytes"
  token_cost fhir-http "no Authorization header"
} | tee "$tmp/summary.txt"

failed=0
for f in "$tmp"/*.wrk; do
  (($(wrk_field "$f" non2xx) == 0)) || failed=1
done
if ((failed)); then
  echo "bench/read.sh: some runs got non-2xx answers; the figures above are not valid (see OUT=dir for wrk's output)" >&2
  exit 1
fi
exit 0
