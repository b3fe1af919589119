#!/usr/bin/env bash
# bench/import_ab.sh: interleaved A/B of two fhirctl binaries importing the same NDJSON directory
# into a fresh data directory, for import changes smaller than this VM's run-to-run noise. ROUNDS
# rounds of: import with A, import with B (each into a new, empty data directory, removed after).
# A benchmark, not a test.
#
# Usage: bench/import_ab.sh FHIRCTL_A FHIRCTL_B NDJSON_DIR
#   NDJSON_DIR: e.g. from `fhirctl data generate --patients 2000 --seed 1 --out DIR`
# Environment: ROUNDS [3], WORKERS_A [], WORKERS_B [] (fhirctl import --workers), BATCH_A [],
#   BATCH_B [] (fhirctl import --batch; empty: fhirctl's default), WORK [a new temporary
#   directory] for the data directories.
# Prints per round and side: wall seconds, resources/s, CPU seconds of the writer thread, the
# workers and (when reported) the WAL checkpoint thread, and the CPU steal of the machine; then the
# medians per side.
set -u
die() { echo "bench/import_ab.sh: $*" >&2; exit 1; }
(($# == 3)) || die "usage: bench/import_ab.sh FHIRCTL_A FHIRCTL_B NDJSON_DIR"
A=$1 B=$2 ND=$3
ROUNDS=${ROUNDS:-3} WORKERS_A=${WORKERS_A:-} WORKERS_B=${WORKERS_B:-} BATCH_A=${BATCH_A:-} BATCH_B=${BATCH_B:-}
for f in "$A" "$B"; do [[ -x $f ]] || die "not an executable: $f"; done
[[ -d $ND ]] || die "no directory $ND"
for v in WORKERS_A WORKERS_B BATCH_A BATCH_B; do [[ -z ${!v} || ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number"; done
tmp=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/import-ab.XXXXXX")}
mkdir -p "$tmp"
trap 'rm -rf "$tmp"/data-*' EXIT

steal_ticks() { awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }

# run SIDE BIN WORKERS BATCH: one import; appends "wall rate writer workers index steal%" to $tmp/SIDE
run() {
  local side=$1 bin=$2 workers=$3 batch=$4 dir="$tmp/data-$1" args=()
  [[ -n $workers ]] && args+=(--workers "$workers")
  [[ -n $batch ]] && args+=(--batch "$batch")
  rm -rf "$dir"
  read -r s0 t0 < <(steal_ticks)
  "$bin" --json --data-dir "$dir" import "${args[@]}" "$ND" >"$tmp/out.json" 2>"$tmp/err.txt" ||
    die "$side failed: $(tail -3 "$tmp/err.txt")"
  read -r s1 t1 < <(steal_ticks)
  python3 - "$tmp/out.json" "$side" "$(( (s1 - s0) * 100 / (t1 - t0 > 0 ? t1 - t0 : 1) ))" >>"$tmp/$side" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"{d['seconds']:.1f} {d['resources_per_second']} {d.get('writer_cpu_seconds', 0):.1f} "
      f"{d.get('worker_cpu_seconds', 0):.1f} {d.get('checkpoint_cpu_seconds', 0):.1f} {sys.argv[3]}")
EOF
  echo "round $r $side: $(tail -1 "$tmp/$side")"
  rm -rf "$dir"
}

rm -f "$tmp/A" "$tmp/B"
echo "columns: wall_s resources/s writer_cpu_s workers_cpu_s checkpoint_cpu_s steal%"
for ((r = 1; r <= ROUNDS; r++)); do
  run A "$A" "$WORKERS_A" "$BATCH_A"
  run B "$B" "$WORKERS_B" "$BATCH_B"
done
for side in A B; do
  echo "median $side: $(python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
print(" ".join(f"{statistics.median(c):g}" for c in zip(*rows)))' "$tmp/$side")"
done
