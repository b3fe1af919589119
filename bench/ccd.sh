#!/usr/bin/env bash
# bench/ccd.sh: CCD generation throughput and memory of `ccd-gen --all` (issue 6).
#
# 1. Generates N synthetic patients (`fhirctl data generate`, the data the CCD sections are built
#    from) and imports them (`fhirctl import`) into a data directory. Both are cached in WORK,
#    keyed by N and SEED, and reused only when their completion marker exists.
# 2. Reads the database once (into the page cache), waits for a quiet machine (MAX_LOAD), then
#    runs `ccd-gen --data-dir DIR --all -o OUT -j J --json` under /usr/bin/time -v for each J in
#    JOBS, sampling the process's resident memory (VmRSS) twice a second.
# 3. Checks that every patient got a well-formed document (count of files; xmllint on a sample
#    when installed) and prints, per run: documents, seconds, CCDs/s, max RSS (/usr/bin/time),
#    the process's own memory (RssAnon: heap and stacks) at 10/50/90 % of the run and its mapped
#    database pages (RssFile, page cache shared with every reader) at 90 %; flat memory: the three
#    RssAnon figures stay close. Then CPU seconds, load average before and after, and PASS/MISS
#    against the goal (GOAL CCDs/s with -j 2).
# A benchmark report, not a test: exits 0 unless something failed to run.
#
# Environment (defaults in brackets):
#   N [10000]          patients (~250 resources each)
#   SEED [1]           generator seed
#   WORK [bench/out/ccd-N]  cache and output directory (bench/out is git-ignored)
#   JOBS ["2 1"]       ccd-gen -j values, one run each
#   GOAL [500]         CCDs/s goal of the -j 2 run
#   MAX_LOAD [1.5]     wait before measuring until the 1-minute load average is at most this ...
#   QUIET_WAIT [600]   ... for at most this many seconds (0: do not wait); then measure anyway
#   REIMPORT [0]       1: discard the cached data directory and import again
#   CCD_GEN, FHIRCTL   binaries [build/release/apps/...]; built with cmake --build when missing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

N=${N:-10000}
SEED=${SEED:-1}
WORK=${WORK:-$here/out/ccd-$N}
JOBS=${JOBS:-"2 1"}
GOAL=${GOAL:-500}
MAX_LOAD=${MAX_LOAD:-1.5}
QUIET_WAIT=${QUIET_WAIT:-600}
REIMPORT=${REIMPORT:-0}

die() {
  echo "bench/ccd.sh: $*" >&2
  exit 1
}
note() { echo "bench: $*" >&2; }

for v in N SEED GOAL QUIET_WAIT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, got \"${!v}\""
done
for j in $JOBS; do [[ $j =~ ^[0-9]+$ ]] && ((j >= 1)) || die "JOBS must hold whole numbers >= 1, got \"$JOBS\""; done
[[ $MAX_LOAD =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_LOAD must be a number, got \"$MAX_LOAD\""
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (Debian package time)"

binary() { # binary VAR TARGET PATH: $VAR if set, else PATH, built with cmake --build when missing
  local var=$1 target=$2 path=$3
  if [[ -n ${!var:-} ]]; then
    echo "${!var}"
    return
  fi
  if [[ ! -x $path ]]; then
    note "building $target"
    (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release --target "$target" -j 2) >&2
  fi
  echo "$path"
}
CCD_GEN=$(binary CCD_GEN ccd-gen "$root/build/release/apps/ccd-gen/ccd-gen")
FHIRCTL=$(binary FHIRCTL fhirctl "$root/build/release/apps/fhirctl/fhirctl")

load1() { cut -d' ' -f1 /proc/loadavg; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

mkdir -p "$WORK"
ndjson="$WORK/ndjson-s$SEED"
data="$WORK/data-s$SEED"

# 1. Data set and data directory (cached).
if [[ ! -f $ndjson/.complete ]]; then
  rm -rf "$ndjson"
  note "generating $N patients (seed $SEED) into $ndjson"
  "$FHIRCTL" data generate --patients "$N" --seed "$SEED" --out "$ndjson" >&2
  date -u +%FT%TZ > "$ndjson/.complete"
fi
if [[ $REIMPORT == 1 ]]; then rm -rf "$data" "$data.imported"; fi
if [[ ! -f $data.imported ]]; then
  rm -rf "$data"
  note "importing into $data (takes a while: ~250 resources per patient)"
  start=$(date +%s)
  "$FHIRCTL" --json --data-dir "$data" import "$ndjson" > "$WORK/import.json"
  echo "$(($(date +%s) - start)) s, $(date -u +%FT%TZ)" > "$data.imported"
fi
patients=$(sqlite3 "file:$data/fhir.db?mode=ro" "SELECT count(*) FROM resources WHERE type = 'Patient' AND deleted = 0")
((patients > 0)) || die "no patients in $data"

# 2. Page cache, quiet machine.
note "reading $data/fhir.db into the page cache"
cat "$data/fhir.db" > /dev/null
waited=0
while awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l > m) }' && ((waited < QUIET_WAIT)); do
  note "1-minute load average $(load1) > $MAX_LOAD (others busy?); waiting 30 s ($waited of $QUIET_WAIT s waited)"
  sleep 30
  waited=$((waited + 30))
done

# Memory samples of PID every 0.5 s into FILE until the process ends: "RssAnon RssFile" in kB.
sample_rss() {
  local pid=$1 file=$2
  : > "$file"
  while kill -0 "$pid" 2>/dev/null; do
    awk '/^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } END { if (a != "") print a, f }' "/proc/$pid/status" \
      2>/dev/null >> "$file" || true
    sleep 0.5
  done
}
# Column C of the sample at fraction F of the samples in FILE.
at_fraction() { awk -v f="$2" -v c="$3" '{ v[NR] = $c } END { if (NR == 0) { print 0; exit } i = int(NR * f); if (i < 1) i = 1; print v[i] }' "$1"; }

results="$WORK/last-run"
rm -rf "$results"
mkdir -p "$results"
table="$results/summary.txt"
{
  echo "ccd-gen --all over $patients patients ($data)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); binary $CCD_GEN"
  printf '%-4s %9s %8s %9s %10s %20s %10s %8s %-16s %-16s %s\n' "-j" "documents" "seconds" "CCDs/s" "max RSS" \
    "anon 10/50/90% (MB)" "file (MB)" "CPU s" "load before" "load after" "goal"
} > "$table"

for j in $JOBS; do
  out="$WORK/ccds-j$j"
  rm -rf "$out"
  before=$(loadavg)
  note "ccd-gen --all -j $j (load $before)"
  /usr/bin/time -v -o "$results/time-j$j.txt" \
    "$CCD_GEN" --data-dir "$data" --all -o "$out" -j "$j" --json > "$results/summary-j$j.json" 2> "$results/stderr-j$j.txt" &
  pid=$!
  sleep 0.2
  child=$(pgrep -P "$pid" -x ccd-gen || true)
  [[ -n $child ]] && sample_rss "$child" "$results/rss-j$j.txt" &
  sampler=$!
  status=0
  wait "$pid" || status=$?
  wait "$sampler" 2>/dev/null || true
  after=$(loadavg)
  ((status == 0)) || { cat "$results/stderr-j$j.txt" >&2; die "ccd-gen -j $j failed (exit $status)"; }
  written=$(sed -n 's/.*"written":\([0-9]*\).*/\1/p' "$results/summary-j$j.json")
  seconds=$(sed -n 's/.*"seconds":\([0-9.e+-]*\).*/\1/p' "$results/summary-j$j.json")
  rate=$(sed -n 's/.*"per_second":\([0-9.e+-]*\).*/\1/p' "$results/summary-j$j.json")
  files=$(find "$out" -name '*.xml' | wc -l)
  ((files == patients && written == patients)) || die "-j $j: $files files, $written written, $patients patients"
  if command -v xmllint >/dev/null; then
    mapfile -t sample < <(find "$out" -name '*.xml' | head -50)  # (not a pipeline: head closes it early)
    xmllint --noout "${sample[@]}" || die "-j $j: a document is not well-formed XML"
  fi
  maxrss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f MB", $2 / 1024 }' "$results/time-j$j.txt")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$results/time-j$j.txt")
  rss=$(for f in 0.1 0.5 0.9; do at_fraction "$results/rss-j$j.txt" $f 1; done | awk '{ printf "%s%.0f", (NR > 1 ? " / " : ""), $1 / 1024 }')
  file_rss=$(at_fraction "$results/rss-j$j.txt" 0.9 2 | awk '{ printf "%.0f", $1 / 1024 }')
  verdict="-"
  if ((j == 2)); then
    verdict=$(awk -v r="$rate" -v g="$GOAL" 'BEGIN { print (r >= g ? "PASS" : "MISS") " (>= " g "/s)" }')
  fi
  printf '%-4s %9s %8.2f %9.1f %10s %20s %10s %8s %-16s %-16s %s\n' "$j" "$written" "$seconds" "$rate" "$maxrss" \
    "$rss" "$file_rss" "$cpu" "$before" "$after" "$verdict" >> "$table"
done
du -sh "$WORK"/ccds-j* | awk '{ printf "output: %s %s\n", $1, $2 }' >> "$table"
cat "$table"
