#!/usr/bin/env bash
# Benchmark of the API against PostgreSQL itself, on 127.0.0.1, for a bounded time:
#   1. peak throughput of GET /api/v1/tasks/{id} (point read) and POST /api/v1/tasks with wrk,
#   2. latency of the point read at half of its peak rate, with hey at a fixed rate,
#   3. pgbench -S (select-only, point reads by primary key) on the same server, same concurrency,
# then the ratio API point-read rps / pgbench tps (goal >= 0.5, p99 <= 10 ms at half of the peak).
# The API is a release build; PostgreSQL is a throwaway cluster (scripts/tests/lib/postgres.sh).
# Results: stdout and bench/api/results/api-<UTC time>.md.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
DURATION=10
CONNECTIONS=16
THREADS=2
SEED_ROWS=1000
SKIP_BUILD=0
WORK=""
API_BIN=""
API_PID=""
API_PORT=""
TASK_ID=""
LOAD_AT_START=""

usage() {
  cat <<USAGE
Usage: bench/api/run.sh [--duration SECONDS] [--connections N] [--skip-build]

Loads a release build of tasks-api on 127.0.0.1 with wrk and hey, runs pgbench -S on the same
PostgreSQL with the same concurrency, and prints rps, p50/p99 and the ratio API/pgbench.

Options:
  --duration SECONDS  length of each load run (default: $DURATION, at most 120)
  --connections N     concurrent connections of every load run (default: $CONNECTIONS)
  --skip-build        use the existing release binary (app/.build/release/tasks-api)
  -h, --help          show this help

Needs: swift, wrk, hey, pgbench, psql, curl, PostgreSQL 15 server binaries (Debian postgresql-15).
Exit codes: 0 measured; 1 a step failed; 2 usage.
USAGE
}

log() { printf 'bench-api: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# scripts/tests/lib/postgres.sh calls t_skip when PostgreSQL is missing; here that is fatal.
t_skip() { die "$2"; }

# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"
# shellcheck source=scripts/tests/lib/postgres.sh
source "$REPO_ROOT/scripts/tests/lib/postgres.sh"

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --duration)
        if [ $# -lt 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ] || [ "$2" -gt 120 ]; then
          log "--duration needs a number of seconds from 1 to 120"
          exit 2
        fi
        DURATION="$2"
        shift
        ;;
      --connections)
        if [ $# -lt 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ] || [ "$2" -gt 200 ]; then
          log "--connections needs a number from 1 to 200"
          exit 2
        fi
        CONNECTIONS="$2"
        shift
        ;;
      --skip-build) SKIP_BUILD=1 ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        log "unknown argument '$1'"
        usage >&2
        exit 2
        ;;
    esac
    shift
  done
}

check_tools() {
  local tool
  for tool in swift wrk hey pgbench psql curl; do
    command -v "$tool" >/dev/null || die "'$tool' not found (Debian: apt-get install wrk hey postgresql-client curl)"
  done
  [ -x "$PG_BIN/postgres" ] || die "PostgreSQL 15 server not found in $PG_BIN (apt-get install postgresql-15)"
}

cleanup() {
  if [ -n "$API_PID" ]; then
    kill -TERM "$API_PID" 2>/dev/null || true
    wait "$API_PID" 2>/dev/null || true
  fi
  pg_cleanup
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
}

build_release() {
  local started=$SECONDS
  if [ "$SKIP_BUILD" = 0 ]; then
    log "building tasks-api in release mode"
    if ! swift build --package-path "$REPO_ROOT/app" -c release --product tasks-api --static-swift-stdlib \
      >"$WORK/build.log" 2>&1; then
      tail -n 30 "$WORK/build.log" >&2
      die "release build failed"
    fi
  fi
  API_BIN="$(swift build --package-path "$REPO_ROOT/app" -c release --show-bin-path)/tasks-api"
  [ -x "$API_BIN" ] || die "no release binary at $API_BIN; run without --skip-build"
  log "release binary ready in $((SECONDS - started)) s"
}

api_is_ready() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$API_PORT/readyz")" = 200 ]
}

start_api() {
  API_PORT="$(free_local_port)" || die "no free port on 127.0.0.1"
  env DATABASE_HOST="$PG_HOST" DATABASE_PORT="$PG_PORT" DATABASE_NAME="$PG_DATABASE" DATABASE_USER="$PG_USER" \
    DATABASE_PASSWORD="$PG_PASSWORD" DATABASE_TLS=disable DATABASE_POOL_SIZE="$CONNECTIONS" \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$API_PORT" LOG_FORMAT=json LOG_LEVEL=info \
    "$API_BIN" serve >"$WORK/api.log" 2>&1 &
  API_PID=$!
  local deadline=$((SECONDS + 60))
  until api_is_ready; do
    if ! kill -0 "$API_PID" 2>/dev/null; then
      tail -n 20 "$WORK/api.log" >&2
      die "the API exited"
    fi
    [ "$SECONDS" -lt "$deadline" ] || die "the API was not ready within 60 s"
    sleep 0.2
  done
  log "API ready on 127.0.0.1:$API_PORT (pool $CONNECTIONS, JSON info logs to a file)"
}

seed_tasks() {
  pg_psql "$PG_DATABASE" -c "INSERT INTO tasks (title, description, due_date)
    SELECT 'bench task ' || g, 'seeded for the benchmark', date '2026-12-31' FROM generate_series(1, $SEED_ROWS) g" \
    >/dev/null
  TASK_ID="$(pg_psql "$PG_DATABASE" -tA -c "SELECT id FROM tasks ORDER BY seq OFFSET $((SEED_ROWS / 2)) LIMIT 1")"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/api/v1/tasks/$TASK_ID")" = 200 ] ||
    die "GET of the seeded task failed"
}

# to_ms: converts a wrk duration (812.00us, 1.23ms, 2.01s) on stdin to milliseconds.
to_ms() {
  awk '{ v = $1
         if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
         else if (v ~ /ms$/) { sub(/ms$/, "", v) }
         else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
         printf "%.2f", v }'
}

# wrk_run NAME URL [LUA_SCRIPT]: a peak-throughput run; prints "rps p50_ms p99_ms non2xx".
wrk_run() {
  local name="$1" url="$2" script="${3:-}" out="$WORK/wrk-$1.txt" rps p50 p99 errors
  local -a args=(-t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency --timeout 5s)
  if [ -n "$script" ]; then args+=(-s "$script"); fi
  log "wrk $name: $CONNECTIONS connections, $DURATION s"
  wrk "${args[@]}" "$url" >"$out"
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  p50="$(awk '$1 == "50%" {print $2}' "$out" | to_ms)"
  p99="$(awk '$1 == "99%" {print $2}' "$out" | to_ms)"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
  printf '%s %s %s %s\n' "$rps" "$p50" "$p99" "${errors:-0}"
}

write_post_script() {
  local file="$WORK/post.lua"
  {
    printf '%s\n' 'wrk.method = "POST"'
    printf '%s\n' 'wrk.headers["Content-Type"] = "application/json"'
    printf '%s\n' "wrk.body = '{\"title\":\"posted by wrk\",\"description\":\"benchmark\",\"due_date\":\"2026-12-31\"}'"
  } >"$file"
  printf '%s\n' "$file"
}

# hey_fixed_rate URL TOTAL_RPS: latency at a fixed total rate; prints "rps p50_ms p99_ms non200".
hey_fixed_rate() {
  local url="$1" rate="$2" out="$WORK/hey-half.txt" per_connection
  per_connection=$(((rate + CONNECTIONS - 1) / CONNECTIONS))
  log "hey: fixed rate of about $rate req/s ($per_connection per connection), $DURATION s"
  hey -z "${DURATION}s" -c "$CONNECTIONS" -q "$per_connection" "$url" >"$out"
  awk '/Requests\/sec:/ {rps = $2}
       $1 == "50%" {p50 = $3 * 1000}
       $1 == "99%" {p99 = $3 * 1000}
       /^ *\[[0-9]+\]/ && $1 != "[200]" {errors += $2}
       END {printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors}' "$out"
}

# pgbench_run: select-only point reads by primary key, same concurrency; prints "tps latency_ms".
pgbench_run() {
  local out="$WORK/pgbench.txt"
  pg_create_database pgbench
  log "pgbench -i -s 10, then -S -M extended -c $CONNECTIONS -j $THREADS -T $DURATION"
  PGPASSWORD="$PG_PASSWORD" pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -i -s 10 -q pgbench \
    >"$WORK/pgbench-init.txt" 2>&1
  PGPASSWORD="$PG_PASSWORD" pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -S -M extended \
    -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" pgbench >"$out" 2>&1
  awk -F'= ' '/^tps = / {split($2, a, " "); tps = a[1]}
              /^latency average/ {split($2, b, " "); lat = b[1]}
              END {printf "%.0f %s\n", tps, lat}' "$out"
}

# report GET POST HALF PG: the summary table, on stdout and in bench/api/results/.
report() {
  local -a get post half pg
  read -r -a get <<<"$1"
  read -r -a post <<<"$2"
  read -r -a half <<<"$3"
  read -r -a pg <<<"$4"
  local ratio half_ok file
  ratio="$(awk -v a="${get[0]}" -v b="${pg[0]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  half_ok="$(awk -v p="${half[2]}" 'BEGIN { print (p <= 10 ? "yes" : "no") }')"
  mkdir -p "$SCRIPT_DIR/results"
  file="$SCRIPT_DIR/results/api-$(date -u +%Y%m%dT%H%M%SZ).md"
  {
    printf '# tasks-api benchmark, %s\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'Machine: %s cores, %s; load generator, API and PostgreSQL share it, all on 127.0.0.1.\n' \
      "$(nproc)" "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
    printf 'Runs of %s s, %s connections, %s load threads; API release build, pool %s, JSON info logs to a file;\n' \
      "$DURATION" "$CONNECTIONS" "$THREADS" "$CONNECTIONS"
    printf 'PostgreSQL 15 (fsync off), %s seeded tasks. Load average when the runs began: %s.\n\n' \
      "$SEED_ROWS" "$LOAD_AT_START"
    printf '| run | rps | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n'
    printf '| GET /api/v1/tasks/{id}, wrk, peak | %s | %s | %s | %s |\n' "${get[@]}"
    printf '| POST /api/v1/tasks, wrk, peak | %s | %s | %s | %s |\n' "${post[@]}"
    printf '| GET /api/v1/tasks/{id}, hey, fixed rate = half of the GET peak | %s | %s | %s | %s |\n' "${half[@]}"
    printf '| pgbench -S -M extended (tps; average latency) | %s | avg %s | | |\n\n' "${pg[@]}"
    printf 'Ratio API point-read rps / pgbench tps: %s (goal >= 0.5). p99 <= 10 ms at half of the peak: %s.\n' \
      "$ratio" "$half_ok"
  } | tee "$file"
  log "saved to ${file#"$REPO_ROOT"/}"
}

main() {
  parse_args "$@"
  check_tools
  WORK="$(mktemp -d /tmp/bench-api.XXXXXX)"
  trap cleanup EXIT
  build_release
  pg_start || die "PostgreSQL did not start"
  start_api
  seed_tasks
  local base="http://127.0.0.1:$API_PORT" get post half pg
  LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
  get="$(wrk_run get "$base/api/v1/tasks/$TASK_ID")"
  post="$(wrk_run post "$base/api/v1/tasks" "$(write_post_script)")"
  half="$(hey_fixed_rate "$base/api/v1/tasks/$TASK_ID" "$((${get%% *} / 2))")"
  pg="$(pgbench_run)"
  report "$get" "$post" "$half" "$pg"
}

main "$@"
