# shellcheck shell=bash
# Helpers shared by bench/read.sh and bench/revoke.sh. The caller defines die and note, and $root;
# start_fhir also uses $BIN, $data, $tmp, the arrays pids and strip_env (FHIR_SERVE_* variables to
# unset) and $SERVER_THREADS (may be empty).

# find_binary VAR NAME: $VAR if set, else build/release/apps/NAME/NAME, else build/bench/...,
# else builds a Release one into build/bench. Prints the path.
find_binary() {
  local var=$1 name=$2 c
  if [[ -n ${!var:-} ]]; then
    [[ -x ${!var} ]] || die "$var=${!var} is not an executable file"
    echo "${!var}"
    return
  fi
  for c in "$root/build/release/apps/$name/$name" "$root/build/bench/apps/$name/$name"; do
    if [[ -x $c ]]; then
      echo "$c"
      return
    fi
  done
  note "no $name binary found; building a Release one into build/bench"
  cmake -S "$root" -B "$root/build/bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFHIR_BUILD_TESTS=OFF >&2
  cmake --build "$root/build/bench" --target "$name" >&2
  echo "$root/build/bench/apps/$name/$name"
}

# start_fhir NAME ARGS...: starts fhir-serve on 127.0.0.1:0, waits for /healthz = 200.
# Sets FHIR_PORT and FHIR_PID. Token checks are on unless ARGS hold --no-auth.
start_fhir() {
  local name=$1
  shift
  local log=$tmp/fhir-serve-$name.log port='' i scheme=http curl_k=()
  [[ " $* " == *" --dev "* ]] && scheme=https curl_k=(-k)
  local threads=()
  [[ -n ${SERVER_THREADS:-} ]] && threads=(--threads "$SERVER_THREADS")
  : >"$log"
  env "${strip_env[@]}" "$BIN" --data-dir "$data" --listen 127.0.0.1:0 "${threads[@]}" "$@" >"$log" 2>&1 &
  FHIR_PID=$!
  pids+=("$FHIR_PID")
  for ((i = 0; i < 400; i++)); do
    kill -0 "$FHIR_PID" 2>/dev/null || die "fhir-serve ($name) exited during start-up: $(tail -n 5 "$log")"
    port=$(sed -n 's|.*listening on https\{0,1\}://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -n 1 || true)
    if [[ -n $port ]] &&
      [[ $(curl -s "${curl_k[@]}" -o /dev/null -w '%{http_code}' "$scheme://127.0.0.1:$port/healthz" || true) == 200 ]]; then
      FHIR_PORT=$port
      return 0
    fi
    sleep 0.05
  done
  die "fhir-serve ($name) did not answer GET /healthz with 200 within 20 s: $(tail -n 5 "$log")"
}

# busy_ticks: non-idle clock ticks of all CPUs together, from /proc/stat.
busy_ticks() {
  local user nice system irq softirq steal
  read -r _ user nice system _ _ irq softirq steal _ </proc/stat
  echo $((user + nice + system + irq + softirq + steal))
}
