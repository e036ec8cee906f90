#!/usr/bin/env bash
# Benchmarks of reldash: `releases --json` and `status --json` on a generated deploy directory
# of 10,000 releases, time to answer when Prometheus is unreachable or silent (vs --timeout),
# binary size, and the package's cold build time in a clean scratch path.
# Results go to stdout and bench/results/reldash-<UTC time>.txt.
set -Eeuo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly RUNS_DEFAULT=10 RELEASES_DEFAULT=10000

log() { printf 'bench/reldash: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  cat <<'EOF_USAGE'
Usage: bench/reldash/run.sh [--releases N] [--runs N] [--realtime] [--skip-cold-build] [--keep]

  --releases N       releases in the generated deploy directory (default 10000)
  --runs N           runs per timed command; the median and the spread are reported (default 10)
  --realtime         run the timed commands under `chrt -f 10` (root only): on a machine loaded by
                     other work, this measures reldash rather than the wait for a free core
  --skip-cold-build  do not measure the cold build (it takes minutes on 2 cores)
  --keep             keep the work directory (printed) instead of removing it
  -h, --help         this help

Uses hyperfine when it is installed (apt-get install hyperfine), else its own loop.
EOF_USAGE
}

# now_ms: milliseconds since the epoch.
now_ms() {
  local ns
  ns="$(date +%s%N)"
  printf '%s' "$((ns / 1000000))"
}

# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"

# shellcheck source=bench/reldash/tree.sh
source "$REPO_ROOT/bench/reldash/tree.sh"

# PRIORITY: empty, or `chrt -f 10` with --realtime; prefixed to every timed command.
PRIORITY=()

# time_command LABEL RUNS CMD...: runs CMD RUNS times (output discarded); prints
# "LABEL: median X ms (min Y, max Z, N runs)".
time_command() {
  local label="$1" runs="$2"
  shift 2
  if command -v hyperfine >/dev/null 2>&1; then
    local json="$WORK/hyperfine.json"
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$json" -- "$(printf '%q ' "${PRIORITY[@]}" "$@")" \
      >/dev/null 2>&1
    python3 - "$label" "$runs" "$json" <<'PY'
import json, sys
label, runs, path = sys.argv[1], sys.argv[2], sys.argv[3]
result = json.load(open(path))["results"][0]
print(f"{label}: median {result['median'] * 1000:.0f} ms (min {result['min'] * 1000:.0f}, "
      f"max {result['max'] * 1000:.0f}, {runs} runs, hyperfine)")
PY
    return 0
  fi
  local -a samples=()
  local run start
  "${PRIORITY[@]}" "$@" >/dev/null 2>&1 || true
  for ((run = 0; run < runs; run++)); do
    start="$(now_ms)"
    "${PRIORITY[@]}" "$@" >/dev/null 2>&1 || true
    samples+=("$(($(now_ms) - start))")
  done
  mapfile -t samples < <(printf '%s\n' "${samples[@]}" | sort -n)
  printf '%s: median %s ms (min %s, max %s, %s runs)\n' "$label" "${samples[$((runs / 2))]}" "${samples[0]}" \
    "${samples[$((runs - 1))]}" "$runs"
}

# time_once LABEL CMD...: one run, wall time in ms and exit code.
time_once() {
  local label="$1" start code=0
  shift
  start="$(now_ms)"
  "${PRIORITY[@]}" "$@" >/dev/null 2>&1 || code=$?
  printf '%s: %s ms (exit %s)\n' "$label" "$(($(now_ms) - start))" "$code"
}

# cpu_once LABEL CMD...: CPU time (user + system, all threads) of one run, in ms: less
# sensitive than wall time to other work on the machine.
cpu_once() {
  local label="$1" file="$WORK/time.txt" user system
  shift
  "${PRIORITY[@]}" /usr/bin/time -o "$file" -f '%U %S' "$@" >/dev/null 2>&1 || true
  read -r user system <"$file"
  printf '%s: CPU %s ms (user %s s, system %s s)\n' "$label" \
    "$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%d", (u + s) * 1000 }')" "$user" "$system"
}

# silent_server PORT: accepts connections on PORT and never answers (a hung Prometheus).
silent_server() {
  python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); time.sleep(3600)' "$1" </dev/null >/dev/null 2>&1 &
  SILENT_PID=$!
  local deadline=$((SECONDS + 10))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "the silent server did not start"
    sleep 0.1
  done
}

# stop_silent_server: ends the silent server started by silent_server.
stop_silent_server() {
  [ -n "${SILENT_PID:-}" ] || return 0
  kill "$SILENT_PID" 2>/dev/null || true
  wait "$SILENT_PID" 2>/dev/null || true
  SILENT_PID=""
}

cleanup() {
  # SwiftPM leaves lock files named after the scratch path in the temporary directory.
  rm -f "${TMPDIR:-/tmp}/$(printf '%s' "$WORK/cold-build" | tr '/' '_')"*.lock
  if [ "${KEEP:-0}" = 1 ]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
}

build_release() {
  log "building the release binary (swift build -c release --product reldash)"
  swift build --package-path "$REPO_ROOT" -c release --product reldash >"$WORK/build.log" 2>&1 ||
    die "release build failed, see $WORK/build.log"
  BIN="$(swift build --package-path "$REPO_ROOT" -c release --show-bin-path)/reldash"
}

measure_cold_build() {
  local scratch="$WORK/cold-build" start
  log "cold release build in $scratch (takes minutes)"
  start="$(now_ms)"
  swift build --package-path "$REPO_ROOT" -c release --product reldash --scratch-path "$scratch" \
    >"$WORK/cold.log" 2>&1 || die "cold build failed, see $WORK/cold.log"
  printf 'cold build, release, clean scratch path (resolve + compile + link): %s s\n' \
    "$((($(now_ms) - start) / 1000))"
}

measure_size() {
  local stripped="$WORK/reldash.stripped"
  cp "$BIN" "$stripped"
  strip "$stripped"
  printf 'binary size: %s bytes (%s bytes stripped); dynamic libraries: %s\n' "$(stat -c %s "$BIN")" \
    "$(stat -c %s "$stripped")" "$(ldd "$BIN" | wc -l)"
}

# run_all RELEASES RUNS COLD: every measurement, one result per line on stdout.
run_all() {
  local releases="$1" runs="$2" cold="$3" start closed dir="$WORK/deploy" port timeout
  printf 'reldash benchmark, %s, %s cores, load %s%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "${PRIORITY[*]:+, timed commands under ${PRIORITY[*]}}"
  build_release
  log "generating $releases releases"
  start="$(now_ms)"
  generate_tree "$dir" "$releases"
  printf 'generated %s releases in %s ms (%s)\n' "$releases" "$(($(now_ms) - start))" "$(du -sh "$dir" | cut -f1)"
  closed="http://127.0.0.1:$(free_local_port)"
  time_command "releases --json ($releases releases)" "$runs" "$BIN" releases --json --deploy-dir "$dir"
  time_command "releases --json --limit 20" "$runs" "$BIN" releases --json --limit 20 --deploy-dir "$dir"
  time_command "releases (text)" "$runs" "$BIN" releases --deploy-dir "$dir"
  time_command "status --json, Prometheus unreachable" "$runs" "$BIN" status --json --deploy-dir "$dir" \
    --prometheus-url "$closed"
  if [ -x /usr/bin/time ]; then
    cpu_once "releases --json ($releases releases)" "$BIN" releases --json --deploy-dir "$dir"
    cpu_once "status --json, Prometheus unreachable" "$BIN" status --json --deploy-dir "$dir" --prometheus-url "$closed"
  fi
  port="$(free_local_port)"
  silent_server "$port"
  for timeout in 1 3; do
    time_once "status --json, Prometheus silent, --timeout $timeout" "$BIN" status --json --deploy-dir "$dir" \
      --prometheus-url "http://127.0.0.1:$port" --timeout "$timeout"
  done
  stop_silent_server
  time_once "status --json, Prometheus unreachable (connection refused), --timeout 3" "$BIN" status --json \
    --deploy-dir "$dir" --prometheus-url "$closed" --timeout 3
  measure_size
  [ "$cold" = 0 ] || measure_cold_build
}

main() {
  local releases="$RELEASES_DEFAULT" runs="$RUNS_DEFAULT" cold=1
  KEEP=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --releases) releases="${2:?--releases needs a number}" && shift ;;
      --runs) runs="${2:?--runs needs a number}" && shift ;;
      --skip-cold-build) cold=0 ;;
      --realtime) PRIORITY=(chrt -f 10) ;;
      --keep) KEEP=1 ;;
      -h | --help) usage && exit 0 ;;
      *) usage >&2 && die "unknown argument '$1'" ;;
    esac
    shift
  done
  [[ "$releases" =~ ^[1-9][0-9]*$ ]] || die "--releases must be a positive number"
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number"
  command -v swift >/dev/null 2>&1 || die "swift not found"
  if [ ${#PRIORITY[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v chrt >/dev/null 2>&1; then
      die "--realtime needs root and chrt (util-linux)"
    fi
  fi
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/reldash-bench.XXXXXX")"
  trap cleanup EXIT
  mkdir -p "$REPO_ROOT/bench/results"
  local report
  report="$REPO_ROOT/bench/results/reldash-$(date -u +%Y%m%dT%H%M%SZ).txt"
  run_all "$releases" "$runs" "$cold" | tee "$report"
  log "report: $report"
}

main "$@"
