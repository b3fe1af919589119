#!/usr/bin/env bash
# bench/import.sh: synthetic data generation and bulk import throughput (issue 4).
#
# 1. Generates N patients of synthetic US Core data (`fhirctl data generate --patients N --seed SEED`,
#    ~250 resources per patient: N=10000 gives ~2.5 M resources, 1.9 GB of NDJSON) into
#    WORK/ndjson-sSEED, timed. The files are kept (bench/out is git-ignored) and reused by later
#    runs when their completion marker exists; REGENERATE=1 generates (and times) them again.
# 2. Imports them with `fhirctl import` straight into a fresh data directory (WORK/data, removed
#    first), timed from the command's start to its exit (which includes opening the database and
#    the final checkpoint that makes the import durable).
# 3. With SERVER=1: starts `fhir-serve --dev --no-auth` (HTTPS, development certificate, no token
#    checks: loopback only, as for the other benchmarks) on another fresh data
#    directory and imports SERVER_N patients (generated the same way, cached too) with
#    `fhirctl import --server https://127.0.0.1:PORT/r4 --insecure`, timed.
# Prints resources/s for each, the goals with PASS/MISS, the machine's load before and after, and
# keeps the report in WORK/summary-<time>.txt. A benchmark report, not a test: exits 0 unless
# something failed to run (a goal missed is not a failure).
#
# Environment (defaults in brackets):
#   N [10000]              patients to generate and import directly
#   SEED [1]               generator seed
#   WORK [bench/out/import-N]   cache and output directory
#   REGENERATE [0]         1: generate (and time) the data set again even when cached
#   BATCH []               fhirctl import --batch (default: fhirctl's, 5000 direct / 500 server)
#   WORKERS []             fhirctl import --workers (default: fhirctl's, one per CPU but one)
#   SERVER [0]             1: also time an import through fhir-serve over HTTPS
#   SERVER_N [1000]        patients for the server import
#   MAX_LOAD [1.0]         wait before each timed step until the 1-minute load average is at most this...
#   QUIET_WAIT [900]       ...for at most this many seconds (0: do not wait); then run anyway
#   KEEP_DATA [0]          1: keep the imported data directory (it is several GB)
#   FHIRCTL, FHIR_SERVE    binaries [build/release/apps/...]; built with cmake --build when missing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

N=${N:-10000}
SEED=${SEED:-1}
WORK=${WORK:-$here/out/import-$N}
REGENERATE=${REGENERATE:-0}
BATCH=${BATCH:-}
WORKERS=${WORKERS:-}
SERVER=${SERVER:-0}
SERVER_N=${SERVER_N:-1000}
MAX_LOAD=${MAX_LOAD:-1.0}
QUIET_WAIT=${QUIET_WAIT:-900}
KEEP_DATA=${KEEP_DATA:-0}

die() {
  echo "bench/import.sh: $*" >&2
  exit 1
}
note() { echo "bench: $*" >&2; }

for v in N SEED SERVER_N QUIET_WAIT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, got \"${!v}\""
done
((N >= 1 && SERVER_N >= 1)) || die "N and SERVER_N must be at least 1"
[[ -z $BATCH || $BATCH =~ ^[0-9]+$ ]] || die "BATCH must be a whole number"
[[ -z $WORKERS || $WORKERS =~ ^[0-9]+$ ]] || die "WORKERS must be a whole number"
[[ $MAX_LOAD =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_LOAD must be a number, got \"$MAX_LOAD\""

FHIRCTL=${FHIRCTL:-$root/build/release/apps/fhirctl/fhirctl}
FHIR_SERVE=${FHIR_SERVE:-$root/build/release/apps/fhir-serve/fhir-serve}
if [[ ! -x $FHIRCTL || ($SERVER == 1 && ! -x $FHIR_SERVE) ]]; then
  note "building the release binaries"
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release --target fhirctl fhir-serve -j2) ||
    die "build failed"
fi
command -v python3 >/dev/null || die "needs python3"

mkdir -p "$WORK"
stamp=$(date -u +%Y%m%d-%H%M%S)
report="$WORK/summary-$stamp.txt"
: >"$report"
say() { echo "$*" | tee -a "$report"; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
json_field() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read())[sys.argv[1]])' "$1"; }
rate() { python3 -c 'import sys; n=float(sys.argv[1]); s=float(sys.argv[2]); print(int(n / s) if s > 0 else 0)' "$1" "$2"; }
secs() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }

# Waits until the 1-minute load average is at most MAX_LOAD (at most QUIET_WAIT seconds).
wait_quiet() {
  local waited=0
  while ((waited < QUIET_WAIT)); do
    python3 -c 'import sys; sys.exit(0 if float(open("/proc/loadavg").read().split()[0]) <= float(sys.argv[1]) else 1)' \
      "$MAX_LOAD" && return 0
    ((waited % 60 == 0)) && note "waiting for load <= $MAX_LOAD (now $(loadavg)), ${waited}s so far"
    sleep 5
    waited=$((waited + 5))
  done
  ((QUIET_WAIT == 0)) || note "machine still busy after ${QUIET_WAIT}s (load $(loadavg)); measuring anyway"
}

# generate PATIENTS DIR: generates into DIR unless its marker exists; prints the generator's JSON.
generate() {
  local patients=$1 dir=$2
  if [[ -f $dir/.complete && $REGENERATE != 1 ]]; then
    cat "$dir/.complete"
    return 0
  fi
  rm -rf "$dir"
  wait_quiet
  local before t0 t1 out
  before=$(loadavg)
  t0=$(now)
  out=$("$FHIRCTL" --json data generate --patients "$patients" --seed "$SEED" --out "$dir") || die "generation failed"
  t1=$(now)
  python3 - "$out" "$t0" "$t1" "$before" "$(loadavg)" >"$dir/.complete" <<'EOF'
import json, sys, time
g = json.loads(sys.argv[1])
g["wall_seconds"] = float(sys.argv[3]) - float(sys.argv[2])
g["load_before"] = sys.argv[4]
g["load_after"] = sys.argv[5]
g["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
print(json.dumps(g))
EOF
  cat "$dir/.complete"
}

machine() {
  say "machine:    $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  say "fhirctl:    $FHIRCTL ($(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo '?'))"
}

say "fhirctl import benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
machine

# 1. Generation.
data="$WORK/ndjson-s$SEED"
gen=$(generate "$N" "$data")
total=$(echo "$gen" | json_field total)
gen_wall=$(echo "$gen" | json_field wall_seconds)
gen_rate=$(rate "$total" "$gen_wall")
say "data:       $N patients, seed $SEED: $total resources, $(du -sh "$data" | cut -f1) of NDJSON in $data"
say "generate:   $(printf '%.1f' "$gen_wall") s wall, $gen_rate resources/s (measured $(echo "$gen" | json_field when), load before $(echo "$gen" | json_field load_before), after $(echo "$gen" | json_field load_after))"

# 2. Direct import into a fresh data directory.
flags=()
[[ -n $BATCH ]] && flags+=(--batch "$BATCH")
[[ -n $WORKERS ]] && flags+=(--workers "$WORKERS")
dd="$WORK/data"
rm -rf "$dd"
sync
wait_quiet
load_before=$(loadavg)
t0=$(now)
/usr/bin/env time -f '%U %S %M' -o "$WORK/import.time" \
  "$FHIRCTL" --json --data-dir "$dd" import "${flags[@]}" "$data" >"$WORK/import.json" 2>"$WORK/import.err" ||
  { cat "$WORK/import.err" >&2; die "import failed"; }
t1=$(now)
load_after=$(loadavg)
created=$(json_field created <"$WORK/import.json")
rejected=$(json_field rejected <"$WORK/import.json")
((rejected == 0)) || die "the import rejected $rejected resources (see $WORK/import.err)"
wall=$(secs "$t0" "$t1")
read -r cpu_user cpu_sys max_rss <"$WORK/import.time"
import_rate=$(rate "$created" "$wall")
say "import:     $created resources in $wall s wall (CPU: ${cpu_user} s user + ${cpu_sys} s system, max RSS $((max_rss / 1024)) MiB): $import_rate resources/s"
say "            fhirctl's own figure: $(json_field resources_per_second <"$WORK/import.json") resources/s; data dir $(du -sh "$dd" | cut -f1)"
say "            CPU of the writer thread $(printf '%.1f' "$(json_field writer_cpu_seconds <"$WORK/import.json")") s, of the worker threads $(printf '%.1f' "$(json_field worker_cpu_seconds <"$WORK/import.json")") s, of the WAL checkpoint thread $(printf '%.1f' "$(json_field checkpoint_cpu_seconds <"$WORK/import.json")") s"
say "            load average before $load_before, after $load_after"
say "command:    fhirctl --json --data-dir $dd import ${flags[*]:+${flags[*]} }$data"
[[ $KEEP_DATA == 1 ]] || rm -rf "$dd"

# 3. Through the server.
server_rate=""
if [[ $SERVER == 1 ]]; then
  sdata="$here/out/import-$SERVER_N/ndjson-s$SEED"
  mkdir -p "$(dirname "$sdata")"
  sgen=$(generate "$SERVER_N" "$sdata")
  stotal=$(echo "$sgen" | json_field total)
  sdir="$WORK/server-data"
  rm -rf "$sdir"
  mkdir -p "$sdir"
  log="$WORK/server.log"
  env -u FHIR_SERVE_CONFIG "$FHIR_SERVE" --dev --no-auth --data-dir "$sdir/data" --listen 127.0.0.1:0 >"$log" 2>&1 &
  spid=$!
  trap 'kill "$spid" 2>/dev/null || true' EXIT
  port=""
  for _ in $(seq 1 100); do
    port=$(grep -oE 'listening on https://[^ ]+:[0-9]+' "$log" | grep -oE '[0-9]+$' | head -1 || true)
    [[ -n $port ]] && break
    sleep 0.2
  done
  [[ -n $port ]] || die "fhir-serve did not start (see $log)"
  wait_quiet
  sload_before=$(loadavg)
  t0=$(now)
  "$FHIRCTL" --json import --server "https://127.0.0.1:$port/r4" --insecure ${BATCH:+--batch "$BATCH"} "$sdata" \
    >"$WORK/server-import.json" 2>"$WORK/server-import.err" || { cat "$WORK/server-import.err" >&2; die "server import failed"; }
  t1=$(now)
  kill "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  trap - EXIT
  screated=$(json_field created <"$WORK/server-import.json")
  swall=$(secs "$t0" "$t1")
  server_rate=$(rate "$screated" "$swall")
  say "server:     $screated of $stotal resources ($SERVER_N patients) through fhir-serve --dev --no-auth over HTTPS in $swall s: $server_rate resources/s (load before $sload_before, after $(loadavg))"
  say "command:    fhirctl --json import --server https://127.0.0.1:PORT/r4 --insecure ${BATCH:+--batch $BATCH }$sdata"
  rm -rf "$sdir"
fi

say ""
verdict() { if (($1 >= $2)); then echo PASS; else echo MISS; fi; }
say "goal  generation >= 100000 resources/s    measured $gen_rate    $(verdict "$gen_rate" 100000)"
say "goal  direct import >= 30000 resources/s  measured $import_rate    $(verdict "$import_rate" 30000)"
[[ -n $server_rate ]] && say "      import over HTTPS (no goal)         measured $server_rate"
note "report kept in $report"
