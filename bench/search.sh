#!/usr/bin/env bash
# bench/search.sh: search throughput and latency of fhir-serve on a large synthetic data set.
#
# 1. Generates N patients x ~200 resources (bench/gen_search_data.py, NDJSON per type) and imports
#    them with `fhirctl import` into a data directory. Both are cached in WORK, keyed by N and SEED:
#    a data set or data directory is reused only when its completion marker exists (written after a
#    successful generation / import), otherwise it is rebuilt from scratch.
# 2. Starts fhir-serve --insecure-http on 127.0.0.1 (plain HTTP: this measures search, not TLS) with
#    --threads SERVER_THREADS and waits for GET /healthz.
# 3. Checks once, with curl, that each kind of request answers 200 with a non-empty Bundle, then
#    measures with wrk (--latency), a random patient / name prefix of the data per request
#    (bench/search/random-query.lua), after a discarded warm-up run:
#      a. GET /r4/Observation?patient=X&category=vital-signs   -c CONNECTIONS and -c1
#      b. GET /r4/Patient?name=PREFIX (2-4 letter prefixes of family names in the data)   same
#    and c. a 3-page walk, GET /r4/Observation?patient=X&_count=C then the Bundle's "next" link
#    twice, each page timed on its own over one keep-alive connection (bench/search/page_walk.py,
#    WALKS walks), for C = 100 (150 Observations per patient: only two pages exist) and C = 50
#    (three full pages).
# 4. Prints a table with PASS/MISS against the goals; keeps it and the raw outputs in WORK/last-run.
# A benchmark report, not a test: exits 0 unless something failed to run (generation, import, a
# server that did not start, a check that found no results, non-2xx answers during a run).
#
# Environment (defaults in brackets):
#   N [10000]            patients (~200 resources each: 10000 ~ 2 M resources)
#   SEED [1]             generator seed
#   WORK [bench/out/search-N]   cache and output directory (bench/out is git-ignored)
#   DURATION [10]        seconds per measured wrk run
#   WARMUP [3]           seconds of discarded wrk run before each measured run (0: none)
#   CONNECTIONS [16]     connections of the throughput runs (the latency runs use -t1 -c1)
#   WRK_THREADS [2]      wrk threads of the throughput runs
#   SERVER_THREADS [64]  fhir-serve --threads
#   WALKS [200]          page walks per page size (after 20 discarded ones)
#   BATCH [1000]         fhirctl import --batch (resources per transaction)
#   MAX_LOAD [1.5]       wait before measuring until the 1-minute load average is at most this ...
#   QUIET_WAIT [600]     ... for at most this many seconds (0: do not wait); then measure anyway
#   QUIET_BUSY [30]      before each measured run, wait until the machine is at most this % (of one
#   RUN_QUIET_WAIT [120] core) busy over 2 s, for at most this many seconds; the figure is reported
#   FHIR_SERVE, FHIRCTL  binaries [build/release/apps/...]; built with cmake --build when missing
#   REIMPORT [0]         1: discard the cached data directory and import again
#   PRELOAD [1]          1: read the data directory once before the runs (into the page cache)
#   IMPORT_ONLY [0]      1: stop after generating and importing (with REIMPORT=1: time the import)
#
# Needs python3, wrk, curl.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

N=${N:-10000}
SEED=${SEED:-1}
WORK=${WORK:-$here/out/search-$N}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-64}
WALKS=${WALKS:-200}
BATCH=${BATCH:-1000}
MAX_LOAD=${MAX_LOAD:-1.5}
QUIET_WAIT=${QUIET_WAIT:-600}
QUIET_BUSY=${QUIET_BUSY:-30}
RUN_QUIET_WAIT=${RUN_QUIET_WAIT:-120}
REIMPORT=${REIMPORT:-0}
PRELOAD=${PRELOAD:-1}
IMPORT_ONLY=${IMPORT_ONLY:-0}

die() {
  echo "bench/search.sh: $*" >&2
  exit 1
}
note() { echo "bench: $*" >&2; }

for v in N SEED DURATION WARMUP CONNECTIONS WRK_THREADS SERVER_THREADS WALKS BATCH QUIET_WAIT QUIET_BUSY RUN_QUIET_WAIT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, got \"${!v}\""
done
((N >= 1 && DURATION >= 1 && CONNECTIONS >= 1 && WRK_THREADS >= 1 && SERVER_THREADS >= 1 && WALKS >= 1 && BATCH >= 1)) ||
  die "N, DURATION, CONNECTIONS, WRK_THREADS, SERVER_THREADS, WALKS and BATCH must be at least 1"
((WRK_THREADS <= CONNECTIONS)) || die "WRK_THREADS ($WRK_THREADS) cannot exceed CONNECTIONS ($CONNECTIONS)"
[[ $MAX_LOAD =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_LOAD must be a number, got \"$MAX_LOAD\""

missing=()
for t in python3 wrk curl; do command -v "$t" >/dev/null || missing+=("$t"); done
((${#missing[@]} == 0)) || die "missing ${missing[*]} (scripts/deps.sh --bench installs wrk and curl)"

# --- binaries ----------------------------------------------------------------------------------
binary() { # binary VAR TARGET PATH: $VAR if set, else PATH, built with cmake --build when missing
  local var=$1 target=$2 path=$3
  if [[ -n ${!var:-} ]]; then
    [[ -x ${!var} ]] || die "$var=${!var} is not an executable file"
    REPLY=${!var}
    return
  fi
  if [[ ! -x $path ]]; then
    [[ -d $root/build/release ]] || die "no $path and no build/release to build it in (cmake --preset release)"
    note "building $target"
    cmake --build "$root/build/release" --target "$target" >&2
  fi
  REPLY=$path
}
binary FHIR_SERVE fhir-serve "$root/build/release/apps/fhir-serve/fhir-serve"
SERVE_BIN=$REPLY
binary FHIRCTL fhirctl "$root/build/release/apps/fhirctl/fhirctl"
CTL_BIN=$REPLY

# fhir-serve and fhirctl read settings from the environment; keep a caller's out of the measurement.
strip_env=(-u FHIR_DATA_DIR -u FHIRCTL_DATA_DIR)
while IFS= read -r v; do strip_env+=(-u "$v"); done < <(compgen -e | grep -E '^FHIR_SERVE_|^FHIRCTL_' || true)

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
NDJSON=$WORK/ndjson-s$SEED
DATA=$WORK/data-s$SEED
GEN_MARK=$NDJSON/.complete
IMPORT_MARK=$WORK/data-s$SEED.imported
RUN=$WORK/last-run

# --- processes and cleanup ---------------------------------------------------------------------
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
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
CLK_TCK=$(getconf CLK_TCK)
proc_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # user+system ticks of all its threads
busy_ticks() {                                               # non-idle ticks of all CPUs, /proc/stat
  local user nice system irq softirq steal
  read -r _ user nice system _ _ irq softirq steal _ </proc/stat
  echo $((user + nice + system + irq + softirq + steal))
}

steal_ticks() {                                              # ticks the hypervisor ran others, /proc/stat
  local steal
  read -r _ _ _ _ _ _ _ _ steal _ </proc/stat
  echo "$steal"
}

# --- 1. data set -------------------------------------------------------------------------------
if [[ -f $GEN_MARK ]]; then
  note "reusing the data set in $NDJSON"
else
  note "generating $N patients (seed $SEED) into $NDJSON"
  rm -rf "$NDJSON" "$NDJSON.tmp" "$DATA" "$IMPORT_MARK"
  t0=$(now)
  python3 "$here/gen_search_data.py" --patients "$N" --seed "$SEED" --out "$NDJSON.tmp" >"$NDJSON.tmp.counts" ||
    die "gen_search_data.py failed"
  mv "$NDJSON.tmp" "$NDJSON"
  mv "$NDJSON.tmp.counts" "$GEN_MARK"
  note "generated in $(elapsed "$t0") s: $(cat "$GEN_MARK")"
fi
RESOURCES=$(python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1])).values()))' "$GEN_MARK")
NDJSON_BYTES=$(du -sb "$NDJSON/" | awk '{ print $1 }')

# --- 2. import ---------------------------------------------------------------------------------
if [[ $REIMPORT == 1 ]]; then rm -rf "$DATA" "$IMPORT_MARK"; fi
if [[ -f $IMPORT_MARK && -d $DATA ]]; then
  read -r IMPORTED IMPORT_SECONDS IMPORT_DATE IMPORT_CPU IMPORT_OTHER <"$IMPORT_MARK"
  IMPORT_CACHED=" (cached: imported $IMPORT_DATE)"
  note "reusing the data directory $DATA ($IMPORTED resources imported in $IMPORT_SECONDS s on $IMPORT_DATE)"
else
  rm -rf "$DATA" "$IMPORT_MARK"
  mkdir -p "$DATA"
  note "importing $RESOURCES resources with fhirctl import --batch $BATCH (several minutes for N=10000)"
  t0=$(now) b0=$(busy_ticks)
  TIMEFORMAT='%U %S'
  { time env "${strip_env[@]}" "$CTL_BIN" --json --data-dir "$DATA" import --batch "$BATCH" "$NDJSON" \
    >"$WORK/import.json" 2>"$WORK/import.log"; } 2>"$WORK/import.time" ||
    die "fhirctl import failed: $(tail -n 5 "$WORK/import.log")"
  unset TIMEFORMAT
  IMPORT_SECONDS=$(elapsed "$t0")
  # CPU of fhirctl and of everything else on the machine meanwhile, percent of one core.
  read -r IMPORT_CPU IMPORT_OTHER < <(awk -v b="$(($(busy_ticks) - b0))" -v hz="$CLK_TCK" -v d="$IMPORT_SECONDS" \
    -v t="$(cat "$WORK/import.time")" 'BEGIN { split(t, u, " "); c = 100 * (u[1] + u[2]) / d; o = 100 * b / hz / d - c
      printf "%.0f %.0f\n", c, (o < 0 ? 0 : o) }')
  IMPORTED=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["created"] + d["updated"])' "$WORK/import.json")
  ((IMPORTED == RESOURCES)) || die "fhirctl imported $IMPORTED of $RESOURCES resources: $(cat "$WORK/import.json")"
  IMPORT_DATE=$(date -u +%Y-%m-%dT%H:%MZ)
  echo "$IMPORTED $IMPORT_SECONDS $IMPORT_DATE $IMPORT_CPU $IMPORT_OTHER" >"$IMPORT_MARK"
  IMPORT_CACHED=""
  note "imported $IMPORTED resources in $IMPORT_SECONDS s"
fi
IMPORT_RATE=$(awk -v n="$IMPORTED" -v s="$IMPORT_SECONDS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
DB_BYTES=$(du -sb "$DATA" | awk '{ print $1 }')
IMPORT_LINE="$IMPORTED resources in $IMPORT_SECONDS s = $IMPORT_RATE resources/s (fhirctl import --batch $BATCH"
if [[ -n ${IMPORT_CPU:-} ]] && ((IMPORT_CPU > 0)); then
  # Per CPU-second of fhirctl (single-threaded): about what it reaches with a core to itself, unless
  # the disk holds it back.
  IMPORT_LINE+="; fhirctl ${IMPORT_CPU}% of one core = $(awk -v r="$IMPORT_RATE" -v c="$IMPORT_CPU" 'BEGIN { printf "%.0f", r * 100 / c }')"
  IMPORT_LINE+=" resources per CPU-second; the rest of the machine ${IMPORT_OTHER}% busy"
fi
IMPORT_LINE+=")$IMPORT_CACHED"
if [[ $IMPORT_ONLY == 1 ]]; then
  echo "import:   $IMPORT_LINE; data dir $((DB_BYTES / 1048576)) MiB"
  exit 0
fi

# Values the wrk scripts pick from: patient ids, and 2-4 letter prefixes of the family names.
IDS=$WORK/ids-s$SEED.txt
PREFIXES=$WORK/name-prefixes-s$SEED.txt
python3 - "$NDJSON/Patient.ndjson" "$IDS" "$PREFIXES" <<'EOF'
import json, sys
ids, families = [], set()
for line in open(sys.argv[1]):
    p = json.loads(line)
    ids.append(p["id"])
    for n in p.get("name", []):
        if n.get("family"):
            families.add(n["family"])
prefixes = sorted({f[:k] for f in families for k in (2, 3, 4) if len(f) >= k})
open(sys.argv[2], "w").write("\n".join(ids) + "\n")
open(sys.argv[3], "w").write("\n".join(prefixes) + "\n")
EOF
N_PREFIXES=$(wc -l <"$PREFIXES")

# --- 3. a quiet machine ------------------------------------------------------------------------
load1() { awk '{ print $1 }' /proc/loadavg; }
waited=0
while awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }' && ((waited < QUIET_WAIT)); do
  note "1-minute load average $(load1) > $MAX_LOAD (others busy?); waiting 30 s ($waited of $QUIET_WAIT s waited)"
  sleep 30
  waited=$((waited + 30))
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }'; then
  note "warning: load average still $LOAD_BEFORE after waiting ${waited}s; figures will be low and noisy"
fi

# Read the data directory once so that the runs measure search, not the disk (the database of
# N=10000 is ~5 GB; on a machine with less free memory the figures include disk reads).
if [[ $PRELOAD == 1 ]]; then
  t0=$(now)
  cat "$DATA"/* >/dev/null
  note "read the data directory ($((DB_BYTES / 1048576)) MiB) into the page cache in $(elapsed "$t0") s"
fi

# --- 4. fhir-serve -----------------------------------------------------------------------------
rm -rf "$RUN"
mkdir -p "$RUN"
log=$RUN/fhir-serve.log
env "${strip_env[@]}" "$SERVE_BIN" --data-dir "$DATA" --listen 127.0.0.1:0 --insecure-http --no-auth \
  --threads "$SERVER_THREADS" >"$log" 2>&1 &
SERVE_PID=$!
pids+=("$SERVE_PID")
port=''
for ((i = 0; ; i++)); do
  kill -0 "$SERVE_PID" 2>/dev/null || die "fhir-serve exited during start-up: $(tail -n 5 "$log")"
  [[ -z $port ]] && port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -n 1 || true)
  if [[ -n $port ]] &&
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true) == 200 ]]; then
    break
  fi
  ((i < 1200)) || die "fhir-serve did not answer GET /healthz with 200 within 60 s: $(tail -n 5 "$log")"
  sleep 0.05
done
BASE=http://127.0.0.1:$port
note "fhir-serve pid $SERVE_PID on $BASE (--threads $SERVER_THREADS)"

# --- 5. one request of each kind answers 200 with results ----------------------------------------
# check NAME PATH: GET once; 200 and at least one match, else die. Prints "matches total bytes".
check() {
  local name=$1 path=$2 code
  code=$(curl -sS -o "$RUN/check-$name.json" -w '%{http_code}' -H 'Accept: application/fhir+json' "$BASE$path") ||
    die "GET $path failed (curl)"
  [[ $code == 200 ]] || die "GET $path answered $code: $(head -c 400 "$RUN/check-$name.json")"
  python3 - "$RUN/check-$name.json" "$path" <<'EOF' || die "GET $path: no results, the figures would mean nothing"
import json, os, sys
b = json.load(open(sys.argv[1]))
m = [e for e in b.get("entry", []) if e.get("search", {}).get("mode", "match") == "match"]
nxt = any(l.get("relation") == "next" for l in b.get("link", []))
print("%d %s %d %s" % (len(m), b.get("total", "-"), os.path.getsize(sys.argv[1]), "next" if nxt else "-"))
sys.exit(0 if b.get("resourceType") == "Bundle" and m else 1)
EOF
}
SAMPLE_ID=$(sed -n "$(((N + 1) / 2))p" "$IDS")
SAMPLE_PREFIX=$(sed -n "$(((N_PREFIXES + 1) / 2))p" "$PREFIXES")
out=$(check obs "/r4/Observation?patient=$SAMPLE_ID&category=vital-signs")
read -r CHK_OBS_N CHK_OBS_TOTAL CHK_OBS_BYTES _ <<<"$out"
out=$(check name "/r4/Patient?name=$SAMPLE_PREFIX")
read -r CHK_NAME_N CHK_NAME_TOTAL CHK_NAME_BYTES _ <<<"$out"
out=$(check walk "/r4/Observation?patient=$SAMPLE_ID&_count=100")
read -r CHK_WALK_N _ _ CHK_WALK_NEXT <<<"$out"
[[ $CHK_WALK_NEXT == next ]] || die "GET /r4/Observation?patient=$SAMPLE_ID&_count=100 has no next link"
note "checks: Observation?patient&category $CHK_OBS_N matches ($CHK_OBS_BYTES bytes);" \
  "Patient?name=$SAMPLE_PREFIX $CHK_NAME_N matches ($CHK_NAME_BYTES bytes); page 1 of _count=100 $CHK_WALK_N matches"

# --- 6. wrk ------------------------------------------------------------------------------------
LUA=$here/search/random-query.lua
# quiet: waits (up to RUN_QUIET_WAIT s) until the machine, with nothing of ours running, is less than
# QUIET_BUSY % of one core busy over 2 s; sets PRE_BUSY to the last such figure.
quiet() {
  local b0 waited=0
  while true; do
    b0=$(busy_ticks)
    sleep 2
    PRE_BUSY=$(((($(busy_ticks) - b0) * 100 / CLK_TCK + 1) / 2))
    ((PRE_BUSY <= QUIET_BUSY || waited >= RUN_QUIET_WAIT)) && break
    note "machine ${PRE_BUSY}% busy (of one core) before the run; waiting 10 s"
    sleep 10
    waited=$((waited + 12))
  done
}
# measure NAME OUT CMD...: runs CMD (a measured run), its output to OUT and its stderr to
# $RUN/NAME.err, and writes $RUN/NAME.cpu: "pre server client other steal", each in percent of one
# core: the machine busy before the run; during it fhir-serve, CMD itself, everything else, and of
# that the time the hypervisor gave this VM's vCPUs to others (steal, /proc/stat).
measure() {
  local name=$1 out=$2 b0 s0 t0 b1 s1 t1 st0 st1 cu cs rc=0
  shift 2
  quiet
  b0=$(busy_ticks) s0=$(proc_ticks "$SERVE_PID") st0=$(steal_ticks) t0=$(now)
  local TIMEFORMAT='%U %S'
  { time "$@" >"$out" 2>"$RUN/$name.err"; } 2>"$RUN/$name.time" || rc=$?
  b1=$(busy_ticks) s1=$(proc_ticks "$SERVE_PID") st1=$(steal_ticks) t1=$(now)
  read -r cu cs <"$RUN/$name.time"
  awk -v pre="$PRE_BUSY" -v b="$((b1 - b0))" -v s="$((s1 - s0))" -v st="$((st1 - st0))" -v cu="$cu" -v cs="$cs" \
    -v hz="$CLK_TCK" -v t0="$t0" -v t1="$t1" 'BEGIN {
      d = t1 - t0; server = 100 * s / hz / d; client = 100 * (cu + cs) / d; other = 100 * b / hz / d - server - client
      printf "%d %.0f %.0f %.0f %.0f\n", pre, server, client, (other < 0 ? 0 : other), 100 * st / hz / d }' >"$RUN/$name.cpu"
  return "$rc"
}
# run NAME THREADS CONNECTIONS VALUES TEMPLATE: a warm-up and a measured wrk run -> $RUN/NAME.wrk
run() {
  local name=$1 t=$2 c=$3 values=$4 template=$5
  local args=(-t"$t" -c"$c" --timeout 5s --latency -s "$LUA" "$BASE")
  note "wrk $name: -t$t -c$c -d${DURATION}s $template"
  if ((WARMUP > 0)); then
    wrk "${args[@]}" -d"${WARMUP}s" -- "$values" "$template" >/dev/null 2>&1 || die "wrk warm-up of $name failed"
  fi
  measure "$name" "$RUN/$name.wrk" wrk "${args[@]}" -d"${DURATION}s" -- "$values" "$template" ||
    die "wrk $name failed: $(cat "$RUN/$name.wrk" "$RUN/$name.err")"
}
OBS_Q='/r4/Observation?patient={}&category=vital-signs'
NAME_Q='/r4/Patient?name={}'
run obs "$WRK_THREADS" "$CONNECTIONS" "$IDS" "$OBS_Q"
run obs-c1 1 1 "$IDS" "$OBS_Q"
run name "$WRK_THREADS" "$CONNECTIONS" "$PREFIXES" "$NAME_Q"
run name-c1 1 1 "$PREFIXES" "$NAME_Q"

# --- 7. page walks -----------------------------------------------------------------------------
for c in 100 50; do
  note "page walk: $WALKS x Observation?patient=X&_count=$c and up to two next links"
  measure "walk-$c" "$RUN/walk-$c.json" python3 "$here/search/page_walk.py" "$BASE" "$IDS" \
    "/r4/Observation?patient={}&_count=$c" --walks "$WALKS" --pages 3 --seed "$SEED" ||
    die "page walk (_count=$c) failed: $(head -c 600 "$RUN/walk-$c.json") $(tail -n 5 "$RUN/walk-$c.err")"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 8. report ---------------------------------------------------------------------------------
# wrk_field FILE rps|p50|p99|avg|errors|non2xx: one figure from a wrk output (times in ms).
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
    END {
      if (want == "rps") print rps + 0
      else if (want == "p50") print p50 + 0
      else if (want == "p99") print p99 + 0
      else if (want == "avg") print avg + 0
      else if (want == "errors") print errors + 0
      else if (want == "non2xx") print non2xx + 0
    }' "$1"
}
walk_field() { # walk_field COUNT PAGE FIELD
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["pages"][int(sys.argv[2])-1]; v=p[sys.argv[3]]; print("-" if v is None else v)' \
    "$RUN/walk-$1.json" "$2" "$3"
}

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
noisy=0
wrk_version=$( (wrk -v 2>&1 || true) | awk 'NR == 1 { print $2 }')
{
  echo "fhir-serve search benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine:  $(nproc) CPUs ($cpu_model), Linux $(uname -r); wrk $wrk_version and python3 share the machine with the server"
  echo "load:     $LOAD_BEFORE before the runs (waited ${waited}s for <= $MAX_LOAD), $LOAD_AFTER after"
  echo "data:     $N patients (seed $SEED), $RESOURCES resources, NDJSON $((NDJSON_BYTES / 1048576)) MiB, data dir $((DB_BYTES / 1048576)) MiB" \
    "($( ((PRELOAD == 1)) && echo "read into the page cache first" || echo "not preloaded"); $(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB RAM)"
  echo "import:   $IMPORT_LINE"
  echo "server:   $SERVE_BIN --insecure-http --threads $SERVER_THREADS"
  echo "runs:     wrk ${DURATION}s after a ${WARMUP}s warm-up, random patient of $N / name prefix of $N_PREFIXES per request;" \
    "page walks: $WALKS per page size, one keep-alive connection"
  echo "sizes:    a. Observation?patient=$SAMPLE_ID&category=vital-signs: $CHK_OBS_N entries (default _count) of total $CHK_OBS_TOTAL, $CHK_OBS_BYTES bytes;"
  echo "          b. Patient?name=$SAMPLE_PREFIX: $CHK_NAME_N entries of total $CHK_NAME_TOTAL, $CHK_NAME_BYTES bytes (no _total: Bundle.total is given only when every match fits on the first page)"
  echo
  printf '%-55s %7s %7s %8s %6s %5s %6s %5s %5s %5s\n' "" "req/s" "p50 ms" "p99 ms" "errors" "pre" "server" "wrk" "other" "steal"
  for row in "obs|a. Observation?patient=X&category=vital-signs" "obs-c1|a. Observation?patient=X&category=vital-signs" \
    "name|b. Patient?name=<2-4 letters>" "name-c1|b. Patient?name=<2-4 letters>"; do
    name=${row%%|*} label=${row#*|}
    f=$RUN/$name.wrk
    if [[ $name == *-c1 ]]; then label="$label -t1 -c1"; else label="$label -t$WRK_THREADS -c$CONNECTIONS"; fi
    errs=$(($(wrk_field "$f" errors) + $(wrk_field "$f" non2xx)))
    read -r pre server client other steal <"$RUN/$name.cpu"
    mark=''
    if ((pre > QUIET_BUSY || other > 25)); then mark=' *' noisy=1; fi
    awk -v l="$label" -v rps="$(wrk_field "$f" rps)" -v p50="$(wrk_field "$f" p50)" -v p99="$(wrk_field "$f" p99)" \
      -v e="$errs" -v pre="$pre" -v sv="$server" -v cl="$client" -v ot="$other" -v stl="$steal" -v m="$mark" \
      'BEGIN { printf "%-55s %7.0f %7.3f %8.3f %6d %4d%% %5d%% %4d%% %4d%% %4d%%%s\n", l, rps, p50, p99, e, pre, sv, cl, ot, stl, m }'
  done
  echo
  printf '%-55s %7s %7s %8s %8s %8s\n' "c. page walk, Observation?patient=X&_count=C" "walks" "entries" "p50 ms" "p90 ms" "p99 ms"
  for c in 100 50; do
    for page in 1 2 3; do
      n=$(walk_field "$c" "$page" n)
      if ((n == 0)); then
        printf '%-55s %7s %7s   %s\n' "   _count=$c page $page" 0 "-" "(no such page)"
      else
        awk -v l="   _count=$c page $page" -v n="$n" -v e="$(walk_field "$c" "$page" entries_mean)" \
          -v p50="$(walk_field "$c" "$page" p50_ms)" -v p90="$(walk_field "$c" "$page" p90_ms)" \
          -v p99="$(walk_field "$c" "$page" p99_ms)" \
          'BEGIN { printf "%-55s %7d %7.0f %8.3f %8.3f %8.3f\n", l, n, e, p50, p90, p99 }'
      fi
    done
    read -r pre server client other steal <"$RUN/walk-$c.cpu"
    mark=''
    if ((pre > QUIET_BUSY || other > 25)); then mark=' *' noisy=1; fi
    echo "   (_count=$c walks: machine ${pre}% busy before; during: server ${server}%, python ${client}%, other ${other}% (steal ${steal}%))$mark"
  done
  echo "pre: machine busy (percent of one core) in the 2 s before the run; server, wrk, other: CPU during the run,"
  echo "percent of one core ($(nproc) cores = $(($(nproc) * 100))%): fhir-serve, the client, everything else;"
  echo "steal (part of other): time the hypervisor gave this VM's vCPUs to other guests."
  if ((noisy)); then
    echo "*: the machine was busy with other work before or during this run (pre > ${QUIET_BUSY}% or other > 25%):"
    echo "   the figure is not reliable; run again on a quiet machine."
  fi
  echo
  obs_p50=$(wrk_field "$RUN/obs.wrk" p50) obs_rps=$(wrk_field "$RUN/obs.wrk" rps)
  name_p50=$(wrk_field "$RUN/name.wrk" p50)
  worst_page=$(python3 - "$RUN/walk-100.json" "$RUN/walk-50.json" <<'EOF'
import json, sys
print(max(p["p50_ms"] for f in sys.argv[1:] for p in json.load(open(f))["pages"] if p["n"]))
EOF
)
  goal() { # goal TEXT VALUE OP LIMIT UNIT
    awk -v t="$1" -v v="$2" -v op="$3" -v lim="$4" -v u="$5" 'BEGIN {
      ok = (op == "<=") ? (v <= lim) : (v >= lim)
      printf "goal  %-52s %-13s measured %9s %-5s  %s\n", t, op " " lim " " u, sprintf(u == "ms" ? "%.3f" : "%.0f", v), u,
        ok ? "PASS" : "MISS" }'
  }
  goal "a. Observation?patient=X&category p50, -c$CONNECTIONS" "$obs_p50" "<=" 2 ms
  goal "a. Observation?patient=X&category, -c$CONNECTIONS" "$obs_rps" ">=" 5000 "req/s"
  goal "b. Patient?name=<prefix> p50, -c$CONNECTIONS" "$name_p50" "<=" 5 ms
  goal "c. page walk, p50 of the slowest page" "$worst_page" "<=" 10 ms
} | tee "$RUN/summary.txt"
cp "$RUN/summary.txt" "$WORK/summary-$(date -u +%Y%m%dT%H%M%SZ).txt"

failed=0
for f in "$RUN"/*.wrk; do
  (($(wrk_field "$f" non2xx) == 0 && $(wrk_field "$f" errors) == 0)) || failed=1
done
for c in 100 50; do
  [[ $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["non200"])' "$RUN/walk-$c.json") == 0 ]] || failed=1
done
if ((failed)); then
  echo "bench/search.sh: some requests failed (non-2xx answers or socket errors); the figures above are not valid (see $RUN)" >&2
  exit 1
fi
exit 0
