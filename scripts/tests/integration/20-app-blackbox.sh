#!/usr/bin/env bash
# Black-box tests of the built `tasks-api` binary against a throwaway PostgreSQL: configuration
# errors, start-up failures, migrations by two instances at once, readiness through a database
# outage, graceful shutdown with a request in flight, fault injection, metrics, logs, healthcheck.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/postgres.sh
source "$REPO_ROOT/scripts/tests/lib/postgres.sh"
# shellcheck source=scripts/tests/lib/app.sh
source "$REPO_ROOT/scripts/tests/lib/app.sh"

readonly JSON=(-H 'Content-Type: application/json')

# use_fresh_database: points the next instances at a new empty database on the test server.
use_fresh_database() {
  PG_DATABASE="tasks_case_${RANDOM}_$RANDOM"
  pg_create_database "$PG_DATABASE"
}

# post_task PORT TITLE: creates a task and prints its id.
post_task() {
  curl -sf --max-time 10 "${JSON[@]}" -d "{\"title\":\"$2\"}" "http://127.0.0.1:$1/api/v1/tasks" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

# check NAME DETAIL CMD...: records NAME as passed when CMD succeeds, failed with DETAIL otherwise.
check() {
  local name="$1" detail="$2"
  shift 2
  if "$@"; then t_pass "$name"; else t_fail "$name" "$detail"; fi
}

# sql QUERY: runs QUERY on the current test database and prints the bare result.
sql() {
  pg_psql "$PG_DATABASE" -tA -c "$1"
}

# json_field FIELD: reads a JSON object on stdin and prints one top-level field (dotted path allowed).
json_field() {
  python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1].split("."):
    value = value[key]
print(value)' "$1"
}

case_config_errors_exit_78_listing_every_problem() {
  local name="app: invalid configuration exits 78 listing every problem" code=0 out="$TEST_TMP/config.out"
  env -i PATH="$PATH" APP_ENV=prod FAULT_5XX_RATE=0.5 HTTP_PORT=http LOG_FORMAT=xml DATABASE_POOL_SIZE=0 \
    "$APP_BIN" serve >"$out" 2>"$out.err" || code=$?
  local -a expected=(HTTP_PORT DATABASE_HOST DATABASE_NAME DATABASE_USER DATABASE_PASSWORD LOG_FORMAT
    DATABASE_POOL_SIZE "FAULT_5XX_RATE=0.5 is refused when APP_ENV=prod" "(8 problems)")
  local missing=() item
  for item in "${expected[@]}"; do
    grep -qF -- "$item" "$out.err" || missing+=("$item")
  done
  if [ "$code" -eq 78 ] && [ ${#missing[@]} -eq 0 ] && [ ! -s "$out" ]; then
    t_pass "$name"
  else
    t_fail "$name" "exit $code; not mentioned: ${missing[*]:-none}"
    sed 's/^/        | /' "$out.err"
  fi
}

case_unknown_feature_flag_exits_78_listing_the_known_ones() {
  local name="app: an unknown FEATURE_* exits 78 naming it and the known flags" code=0 err="$TEST_TMP/flag.err"
  env -i PATH="$PATH" DATABASE_HOST=db DATABASE_NAME=tasks DATABASE_USER=tasks DATABASE_PASSWORD=unused \
    FEATURE_DARK_MODE=true "$APP_BIN" serve >/dev/null 2>"$err" || code=$?
  if [ "$code" -eq 78 ] && grep -qF 'FEATURE_DARK_MODE is not a feature flag of this build; known flags: FEATURE_TASK_SEARCH' "$err"; then
    t_pass "$name"
  else
    t_fail "$name" "exit $code: $(head -c 300 "$err")"
  fi
}

case_migrate_exits_78_on_bad_configuration_too() {
  local code=0
  env -i PATH="$PATH" "$APP_BIN" migrate >/dev/null 2>&1 || code=$?
  if [ "$code" -eq 78 ]; then t_pass "app: migrate exits 78 without configuration"; else
    t_fail "app: migrate exits 78 without configuration" "exit $code"
  fi
}

case_fault_injection_refused_in_prod() {
  local name="app: FAULT_5XX_RATE refused at start-up when APP_ENV=prod" code=0 err="$TEST_TMP/prod.err"
  local -a environment
  mapfile -t environment < <(pg_app_env)
  env "${environment[@]}" APP_ENV=prod FAULT_5XX_RATE=0.1 "$APP_BIN" serve >/dev/null 2>"$err" || code=$?
  if [ "$code" -eq 78 ] && grep -q '(1 problem)' "$err" && grep -q 'FAULT_5XX_RATE=0.1 is refused' "$err"; then
    t_pass "$name"
  else
    t_fail "$name" "exit $code: $(cat "$err")"
  fi
}

case_unreachable_database_exits_69() {
  local name="app: unreachable database at start-up exits 69 after DATABASE_STARTUP_TIMEOUT" code=0
  local closed err="$TEST_TMP/unreachable.err"
  closed="$(free_local_port)"
  env DATABASE_HOST=127.0.0.1 DATABASE_PORT="$closed" DATABASE_NAME=x DATABASE_USER=x DATABASE_PASSWORD=x \
    DATABASE_STARTUP_TIMEOUT=1 DATABASE_TLS=disable LOG_FORMAT=json "$APP_BIN" migrate >"$err" 2>&1 || code=$?
  if [ "$code" -eq 69 ] && grep -q 'cannot reach the database at 127.0.0.1' "$err"; then
    t_pass "$name"
  else
    app_fail "$name" "exit $code" 5 "$err"
  fi
}

case_wrong_password_exits_69_at_once() {
  local name="app: a refused login exits 69 at once, without leaking the password" code=0 err="$TEST_TMP/auth.err"
  local started=$SECONDS
  env DATABASE_HOST="$PG_HOST" DATABASE_PORT="$PG_PORT" DATABASE_NAME="$PG_DATABASE" DATABASE_USER="$PG_USER" \
    DATABASE_PASSWORD=wrong-secret-123 DATABASE_TLS=disable DATABASE_STARTUP_TIMEOUT=60 LOG_FORMAT=json \
    "$APP_BIN" migrate >"$err" 2>&1 || code=$?
  if [ "$code" -eq 69 ] && grep -q 'refused the connection' "$err" && ! grep -q 'wrong-secret-123' "$err" &&
    [ $((SECONDS - started)) -lt 30 ]; then
    t_pass "$name"
  else
    app_fail "$name" "exit $code after $((SECONDS - started)) s" 5 "$err"
  fi
}

case_migrate_is_idempotent() {
  local name="app: migrate applies once, then does nothing" first="$TEST_TMP/migrate1.log"
  local second="$TEST_TMP/migrate2.log"
  local -a environment
  use_fresh_database
  mapfile -t environment < <(pg_app_env)
  if env "${environment[@]}" DATABASE_TLS=disable "$APP_BIN" migrate >"$first" 2>&1 &&
    env "${environment[@]}" DATABASE_TLS=disable "$APP_BIN" migrate >"$second" 2>&1 &&
    grep -q '"applying migration"' "$first" && ! grep -q '"applying migration"' "$second" &&
    [ "$(sql 'SELECT count(*) FROM schema_migrations')" = 1 ]; then
    t_pass "$name"
  else
    app_fail "$name" "not applied exactly once" 5 "$first" "$second"
  fi
}

case_two_instances_migrate_at_once() {
  local name="app: two instances starting together migrate once and both become ready"
  use_fresh_database
  local port_a port_b
  port_a="$(free_local_port)"
  port_b="$(free_local_port)"
  app_start twin-a "$port_a"
  app_start twin-b "$port_b"
  if app_wait_ready twin-a "$port_a" 60 && app_wait_ready twin-b "$port_b" 60; then
    local applied
    applied="$(cat "$TEST_TMP/twin-a.log" "$TEST_TMP/twin-b.log" | grep -c '"applying migration"' || true)"
    if [ "$applied" = 1 ] && [ "$(sql 'SELECT count(*) FROM schema_migrations')" = 1 ]; then
      t_pass "$name"
    else
      t_fail "$name" "migration applied $applied times"
    fi
  else
    app_fail "$name" "not both ready" 5 "$TEST_TMP/twin-a.log" "$TEST_TMP/twin-b.log"
  fi
  kill -TERM "$(app_pid twin-a)" "$(app_pid twin-b)"
  app_wait_exit twin-a 20 || true
  app_wait_exit twin-b 20 || true
}

_readyz_reason_is() {
  local body
  body="$(curl -s --max-time 10 "http://127.0.0.1:$1/readyz")" || return 1
  [ "$(printf '%s' "$body" | json_field reason 2>/dev/null)" = "$2" ]
}

case_readiness_follows_a_database_outage_without_restart() {
  local name="app: readiness false while the database is down, true again after, without restart"
  local port pid
  use_fresh_database
  app_start_ready outage DATABASE_QUERY_TIMEOUT=2 || { t_fail "$name" "did not start"; return 0; }
  port="$APP_PORT"
  pid="$(app_pid outage)"
  pg_stop
  local failures=()
  t_wait_for "readyz to report database_unavailable" 30 _readyz_reason_is "$port" database_unavailable ||
    failures+=("readyz stayed ready")
  [ "$(app_status "$port" /healthz)" = 200 ] || failures+=("healthz not 200 during outage")
  local body
  body="$(curl -s --max-time 10 "http://127.0.0.1:$port/api/v1/tasks")"
  [ "$(printf '%s' "$body" | json_field error.code 2>/dev/null)" = database_unavailable ] ||
    failures+=("GET list during outage: $body")
  body="$(curl -s --max-time 10 -w ' %{http_code}' "${JSON[@]}" -d '{"title":"x"}' "http://127.0.0.1:$port/api/v1/tasks")"
  [[ "$body" == *'"database_unavailable"'*' 503' ]] || failures+=("POST during outage: $body")
  pg_restart
  app_wait_ready outage "$port" 60 || failures+=("not ready again after the database came back")
  kill -0 "$pid" 2>/dev/null || failures+=("the process died")
  post_task "$port" after-outage >/dev/null || failures+=("POST after recovery failed")
  if [ ${#failures[@]} -eq 0 ]; then t_pass "$name"; else
    app_fail "$name" "${failures[*]}" 10 "$TEST_TMP/outage.log"
  fi
  kill -TERM "$pid"
  app_wait_exit outage 20 || true
}

# timed_get PORT PATH BODY_FILE: GET with a 20 s cap; prints "<status> <seconds>" (status 000 when
# nothing answered; BODY_FILE is then empty).
timed_get() {
  : >"$3"
  curl -s --max-time 20 -o "$3" -w '%{http_code} %{time_total}' "http://127.0.0.1:$1$2" || true
}

# shorter_than SECONDS LIMIT: whether a curl time_total is below LIMIT seconds.
shorter_than() {
  awk -v t="$1" -v limit="$2" 'BEGIN { exit !(t < limit) }'
}

case_readiness_answers_within_its_timeout_while_the_database_is_silent() {
  local name="app: while the database is silent, /readyz answers 503 within READINESS_TIMEOUT and reads 503 at DATABASE_QUERY_TIMEOUT"
  local port pid id answer failures=()
  use_fresh_database
  app_start_ready silent READINESS_TIMEOUT=1 DATABASE_QUERY_TIMEOUT=4 || { t_fail "$name" "did not start"; return 0; }
  port="$APP_PORT"
  pid="$(app_pid silent)"
  id="$(post_task "$port" silent)"
  pg_freeze
  # Bound 1 s (+1.5 s of slack for a loaded machine), well under the 4 s a request may wait.
  read -r -a answer <<<"$(timed_get "$port" /readyz "$TEST_TMP/silent-readyz.json")"
  [ "${answer[0]}" = 503 ] || failures+=("readyz answered ${answer[0]}")
  shorter_than "${answer[1]}" 2.5 || failures+=("readyz took ${answer[1]} s")
  [ "$(json_field reason <"$TEST_TMP/silent-readyz.json" 2>/dev/null)" = database_unavailable ] ||
    failures+=("readyz body: $(cat "$TEST_TMP/silent-readyz.json")")
  [ "$(app_status "$port" /healthz)" = 200 ] || failures+=("healthz not 200 while the database is silent")
  # A read waits for DATABASE_QUERY_TIMEOUT (4 s), then gets 503 instead of hanging with the query.
  read -r -a answer <<<"$(timed_get "$port" "/api/v1/tasks/$id" "$TEST_TMP/silent-get.json")"
  [ "${answer[0]}" = 503 ] || failures+=("GET answered ${answer[0]}")
  shorter_than "${answer[1]}" 7 || failures+=("GET took ${answer[1]} s")
  pg_thaw
  app_wait_ready silent "$port" 30 || failures+=("not ready again once the database answered")
  kill -0 "$pid" 2>/dev/null || failures+=("the process died")
  if [ ${#failures[@]} -eq 0 ]; then t_pass "$name"; else
    app_fail "$name" "${failures[*]}" 10 "$TEST_TMP/silent.log"
  fi
  kill -TERM "$pid"
  app_wait_exit silent 20 || true
}

_query_waits_on_lock() {
  [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'tasks-api'")" -ge 1 ]
}

_lock_is_held() {
  [ "$(sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'tasks' AND l.mode = 'AccessExclusiveLock' AND l.granted")" -ge 1 ]
}

case_graceful_shutdown_finishes_the_request_in_flight() {
  local name="app: SIGTERM turns readiness false, finishes the request in flight, exits 0"
  local port id failures=()
  use_fresh_database
  app_start_ready graceful SHUTDOWN_DRAIN_DELAY=1 DATABASE_QUERY_TIMEOUT=20 ||
    { t_fail "$name" "did not start"; return 0; }
  port="$APP_PORT"
  id="$(post_task "$port" in-flight)"
  # Hold the table so the next GET waits inside the service, in flight, until the lock goes.
  pg_psql "$PG_DATABASE" -c "BEGIN; LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(4); COMMIT;" \
    >/dev/null 2>&1 &
  local locker=$!
  t_wait_for "the table lock" 10 _lock_is_held || failures+=("lock not taken")
  curl -s --max-time 30 -o "$TEST_TMP/inflight.body" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/tasks/$id" \
    >"$TEST_TMP/inflight.status" &
  local request=$!
  t_wait_for "the request to wait on the lock" 10 _query_waits_on_lock || failures+=("request not in flight")
  kill -TERM "$(app_pid graceful)"
  t_wait_for "readyz to say shutting_down" 5 _readyz_reason_is "$port" shutting_down ||
    failures+=("readiness did not turn false first")
  app_wait_exit graceful 30 || failures+=("did not exit")
  wait "$request" || true
  wait "$locker" || true
  [ "$APP_EXIT_CODE" = 0 ] || failures+=("exit code $APP_EXIT_CODE")
  [ "$(cat "$TEST_TMP/inflight.status")" = 200 ] || failures+=("in-flight request got $(cat "$TEST_TMP/inflight.status")")
  grep -q "\"$id\"" "$TEST_TMP/inflight.body" || failures+=("in-flight body: $(cat "$TEST_TMP/inflight.body")")
  grep -q '"stopped"' "$TEST_TMP/graceful.log" || failures+=("no 'stopped' log line")
  if [ ${#failures[@]} -eq 0 ]; then t_pass "$name"; else
    app_fail "$name" "${failures[*]}" 10 "$TEST_TMP/graceful.log"
  fi
}

case_shutdown_is_bounded_by_the_grace_period() {
  local name="app: a request stuck past SHUTDOWN_GRACE_PERIOD is cut (503 or closed) and the exit is not held"
  local port id started failures=()
  use_fresh_database
  app_start_ready stuck SHUTDOWN_GRACE_PERIOD=1 DATABASE_QUERY_TIMEOUT=60 ||
    { t_fail "$name" "did not start"; return 0; }
  port="$APP_PORT"
  id="$(post_task "$port" stuck)"
  pg_psql "$PG_DATABASE" -c "BEGIN; LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(20); COMMIT;" \
    >/dev/null 2>&1 &
  local locker=$!
  t_wait_for "the table lock" 10 _lock_is_held || failures+=("lock not taken")
  curl -s --max-time 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/tasks/$id" \
    >"$TEST_TMP/stuck.status" &
  local request=$!
  t_wait_for "the request to wait on the lock" 10 _query_waits_on_lock || failures+=("request not in flight")
  started=$SECONDS
  kill -TERM "$(app_pid stuck)"
  app_wait_exit stuck 15 || failures+=("still running 15 s after SIGTERM")
  [ $((SECONDS - started)) -le 8 ] || failures+=("took $((SECONDS - started)) s")
  [ "$APP_EXIT_CODE" = 0 ] || failures+=("exit code $APP_EXIT_CODE")
  wait "$request" || true
  # Cancelled at the deadline: answered 503 if the answer is written before the connection closes.
  [[ "$(cat "$TEST_TMP/stuck.status")" =~ ^(503|000)$ ]] ||
    failures+=("stuck request got $(cat "$TEST_TMP/stuck.status")")
  kill "$locker" 2>/dev/null || true
  wait "$locker" 2>/dev/null || true
  if [ ${#failures[@]} -eq 0 ]; then t_pass "$name"; else
    app_fail "$name" "${failures[*]}" 10 "$TEST_TMP/stuck.log"
  fi
}

case_fault_rate_is_respected_and_writes_nothing() {
  local name="app: FAULT_5XX_RATE=0.3 fails about 30% of /api/ requests, none of the others"
  local port failures=() errors=0 i status created=0
  use_fresh_database
  app_start_ready faults FAULT_5XX_RATE=0.3 || { t_fail "$name" "did not start"; return 0; }
  port="$APP_PORT"
  local urls=()
  for i in $(seq 1 300); do urls+=(-o /dev/null "http://127.0.0.1:$port/api/v1/tasks?limit=1"); done
  errors="$(curl -s -w '%{http_code}\n' "${urls[@]}" | grep -c '^500$' || true)"
  [ "$errors" -ge 60 ] && [ "$errors" -le 120 ] || failures+=("$errors/300 failures")
  urls=()
  for i in $(seq 1 50); do
    urls+=(-o /dev/null "http://127.0.0.1:$port/healthz" -o /dev/null "http://127.0.0.1:$port/readyz")
  done
  local healthy
  healthy="$(curl -s -w '%{http_code}\n' "${urls[@]}" | grep -c '^200$' || true)"
  [ "$healthy" = 100 ] || failures+=("health/readiness: $healthy/100 answered 200")
  for i in $(seq 1 60); do
    status="$(curl -s -o /dev/null -w '%{http_code}' "${JSON[@]}" -d "{\"title\":\"f$i\"}" "http://127.0.0.1:$port/api/v1/tasks")"
    [ "$status" = 201 ] && created=$((created + 1))
  done
  [ "$(sql 'SELECT count(*) FROM tasks')" = "$created" ] || failures+=("rows differ from 201 answers ($created)")
  curl -s "http://127.0.0.1:$port/metrics" | grep -F "http_requests_total{method=\"GET\",route=\"/api/v1/tasks\",status=\"500\"} $errors" >/dev/null ||
    failures+=("metrics do not count the $errors injected 500s")
  if [ ${#failures[@]} -eq 0 ]; then t_pass "$name ($errors/300)"; else t_fail "$name" "${failures[*]}"; fi
  kill -TERM "$(app_pid faults)"
  app_wait_exit faults 20 || true
}

case_metrics_version_and_logs_on_a_live_server() {
  local port failures=() log="$TEST_TMP/live.log"
  use_fresh_database
  app_start_ready live APP_VERSION=9.9.9 GIT_COMMIT=deadbeef RELEASE_ID=20261124T181500Z APP_ENV=staging \
    FEATURE_TASK_SEARCH=on || { t_fail "app: live server" "did not start"; return 0; }
  port="$APP_PORT"
  local id
  id="$(post_task "$port" live)"
  curl -s -o /dev/null -H 'X-Request-ID: test-request-42' "http://127.0.0.1:$port/api/v1/tasks/$id"
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @<(head -c 100000 /dev/zero | tr '\0' ' ') \
    -w '%{http_code}' "http://127.0.0.1:$port/api/v1/tasks" >"$TEST_TMP/large.status"

  local version
  version="$(curl -s "http://127.0.0.1:$port/version")"
  if python3 - "$version" <<'PY'; then
import json, sys
doc = json.loads(sys.argv[1])
assert doc == {"version": "9.9.9", "commit": "deadbeef", "release_id": "20261124T181500Z",
               "environment": "staging", "features": {"task_search": True}}, doc
PY
    t_pass "app: /version reports APP_VERSION, GIT_COMMIT, RELEASE_ID, APP_ENV and FEATURE_* flags"
  else
    t_fail "app: /version reports the build, release and flags" "$version"
  fi

  check "app: a body over HTTP_MAX_BODY_BYTES gets 413" "got $(cat "$TEST_TMP/large.status")" \
    [ "$(cat "$TEST_TMP/large.status")" = 413 ]

  curl -s "http://127.0.0.1:$port/metrics" >"$TEST_TMP/metrics.txt"
  if python3 - "$TEST_TMP/metrics.txt" "$id" <<'PY'; then
import re, sys
text = open(sys.argv[1]).read()
task_id = sys.argv[2]
samples = [l for l in text.splitlines() if l and not l.startswith("#")]
def labels(line):
    inside = line[line.index("{") + 1:line.rindex("}")]
    return [pair.split("=", 1)[0] for pair in re.findall(r'[a-z_]+="[^"]*"', inside)]
requests = [s for s in samples if s.startswith("http_requests_total{")]
assert requests and all(labels(s) == ["method", "route", "status"] for s in requests), requests
assert 'http_requests_total{method="GET",route="/api/v1/tasks/{id}",status="200"} 1' in requests, requests
for suffix, names in (("_bucket", ["method", "route", "le"]), ("_sum", ["method", "route"]), ("_count", ["method", "route"])):
    series = [s for s in samples if s.startswith("http_request_duration_seconds" + suffix + "{")]
    assert series and all(labels(s) == names for s in series), series[:3]
assert "# TYPE http_requests_total counter" in text
assert "# TYPE http_request_duration_seconds histogram" in text
assert 'app_build_info{version="9.9.9",commit="deadbeef",release_id="20261124T181500Z"} 1' in text
for name, kind in (("process_cpu_seconds_total", "counter"), ("process_resident_memory_bytes", "gauge"),
                   ("process_start_time_seconds", "gauge"), ("process_open_fds", "gauge")):
    assert f"# TYPE {name} {kind}" in text, name
    value = float(next(s for s in samples if s.startswith(name + " ")).split()[1])
    assert value > 0, (name, value)
assert task_id not in text, "a raw path leaked into a label"
PY
    t_pass "app: /metrics names and labels follow the contract"
  else
    t_fail "app: /metrics names and labels follow the contract"
  fi

  if python3 - "$log" "$PG_PASSWORD" <<'PY'; then
import json, sys
path, password = sys.argv[1], sys.argv[2]
lines = open(path).read().splitlines()
assert lines, "no log"
assert password not in "\n".join(lines), "the database password is in the log"
records = [json.loads(line) for line in lines]
for record in records:
    assert {"time", "level", "message"} <= record.keys(), record
mine = [r for r in records if r.get("request_id") == "test-request-42"]
assert len(mine) == 1, mine
entry = mine[0]
assert entry["message"] == "request" and entry["method"] == "GET" and entry["route"] == "/api/v1/tasks/{id}", entry
assert entry["status"] == 200 and isinstance(entry["duration_ms"], (int, float)), entry
assert all("title" not in r.get("message", "") for r in records)
PY
    t_pass "app: logs are one JSON object per line with request fields, no secret"
  else
    t_fail "app: logs are one JSON object per line with request fields, no secret"
  fi

  local echoed
  echoed="$(curl -s -D - -o /dev/null -H 'X-Request-ID: abc-1' "http://127.0.0.1:$port/healthz" | tr -d '\r' |
    sed -n 's/^[Xx]-[Rr]equest-[Ii][Dd]: //p')"
  check "app: X-Request-ID is echoed" "got '$echoed'" [ "$echoed" = abc-1 ]

  local out="$TEST_TMP/healthcheck.out" code=0
  env -i HTTP_PORT="$port" "$APP_BIN" healthcheck >"$out" 2>&1 || code=$?
  check "app: healthcheck exits 0 against a live server (HTTP_PORT only)" "exit $code: $(cat "$out")" \
    [ "$code" = 0 ]
  kill -TERM "$(app_pid live)"
  app_wait_exit live 20 || true
  code=0
  env -i HTTP_PORT="$port" "$APP_BIN" healthcheck --timeout 2 >"$out" 2>&1 || code=$?
  check "app: healthcheck exits 1 when nothing answers" "exit $code: $(cat "$out")" \
    grep -q 'unhealthy: cannot connect' "$out"
  [ "$code" = 1 ] || t_fail "app: healthcheck exit code when nothing answers" "exit $code, expected 1"
}

main() {
  t_require "app black-box tests" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  t_require "app black-box tests" curl "apt-get install curl" || exit 0
  pg_require "app black-box tests" || exit 0
  trap 'app_stop_all; pg_cleanup' EXIT
  if ! pg_start; then
    t_fail "app black-box: start PostgreSQL" "see the log above"
    exit 0
  fi
  app_build || exit 0
  case_config_errors_exit_78_listing_every_problem
  case_unknown_feature_flag_exits_78_listing_the_known_ones
  case_migrate_exits_78_on_bad_configuration_too
  case_fault_injection_refused_in_prod
  case_unreachable_database_exits_69
  case_wrong_password_exits_69_at_once
  case_migrate_is_idempotent
  case_two_instances_migrate_at_once
  case_metrics_version_and_logs_on_a_live_server
  case_fault_rate_is_respected_and_writes_nothing
  case_graceful_shutdown_finishes_the_request_in_flight
  case_shutdown_is_bounded_by_the_grace_period
  case_readiness_follows_a_database_outage_without_restart
  case_readiness_answers_within_its_timeout_while_the_database_is_silent
}

main "$@"
