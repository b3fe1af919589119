#!/usr/bin/env bash
# Bounded libFuzzer run of every fuzz target: fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS (default 60) is the total fuzzing budget, split evenly over the targets run (the build
# comes on top). Builds the `fuzz` preset first (clang; configures it when build/fuzz is missing),
# then runs each target over a throw-away copy of its seed corpus (fuzz/corpus/<name>/ is never
# grown) with -max_len=4096 -timeout=10. Exits non-zero when any target found a crash, leak,
# timeout, sanitizer report or failed property; the input is kept in build/fuzz/artifacts/<target>/
# and printed in base64. Reproduce with: build/fuzz/fuzz/<target> <artifact file>
set -euo pipefail
cd "$(dirname "$0")/.."

budget=${1:-60}
shift || true
if ! [[ "$budget" =~ ^[0-9]+$ ]] || ((budget < 1)); then
  echo "usage: fuzz/run.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(fuzz_search_query fuzz_fhirpath fuzz_json); fi

scripts/deps.sh  # clang + libclang-rt (libFuzzer); no-op when installed

build_dir=build/fuzz
start=$SECONDS
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake --preset fuzz
fi
cmake --build --preset fuzz -j "$(nproc)"
echo "fuzz: build took $((SECONDS - start)) s" >&2

per_target=$((budget / ${#targets[@]}))
((per_target >= 1)) || per_target=1

work=$(mktemp -d "${TMPDIR:-/tmp}/fhir-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"  # the harnesses' scratch databases go here too

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  bin="$build_dir/fuzz/$t"
  [[ -x "$bin" ]] || { echo "fuzz: no such target $bin" >&2; exit 2; }
  corpus="$work/corpus/$name"
  mkdir -p "$corpus"
  if [[ -d "fuzz/corpus/$name" ]]; then cp -R "fuzz/corpus/$name/." "$corpus/"; fi
  artifacts="$build_dir/artifacts/$t"
  mkdir -p "$artifacts"
  rm -f "$artifacts"/*
  log="$build_dir/logs/$t.log"
  mkdir -p "$(dirname "$log")"
  args=(-max_total_time="$per_target" -max_len=4096 -timeout=10 -print_final_stats=1
        -artifact_prefix="$artifacts/")
  if [[ -f "fuzz/$name.dict" ]]; then args+=(-dict="fuzz/$name.dict"); fi
  echo "fuzz: $t for ${per_target} s (log: $log)" >&2
  t_start=$SECONDS
  if "$bin" "${args[@]}" "$corpus" >"$log" 2>&1; then
    grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" >&2 || true
    echo "fuzz: $t ok ($((SECONDS - t_start)) s, corpus $(ls "$corpus" | wc -l) inputs)" >&2
  else
    failed+=("$t")
    echo "fuzz: $t FAILED; end of its log:" >&2
    tail -n 80 "$log" >&2
    # The input libFuzzer saved (crash-*, leak-*, timeout-*, oom-*), newest first.
    artifact=$(ls -t "$artifacts"/* 2>/dev/null | head -n 1 || true)
    if [[ -n "$artifact" ]]; then
      echo "fuzz: input $artifact (base64): $(base64 -w0 "$artifact")" >&2
    fi
  fi
done

echo "fuzz: total $((SECONDS - start)) s" >&2
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
