# shellcheck shell=bash
# Helpers for the API's test suites: build the debug binary once, run instances of it in the
# background against a test PostgreSQL (scripts/tests/lib/postgres.sh), and stop them.
#
#   source scripts/tests/lib/app.sh
#   app_build || exit 0                   # records a failure and returns 1 if the build fails
#   app_start_ready api1 VAR=value...     # starts `tasks-api serve` on a free port ($APP_PORT) and
#                                         # waits for /readyz; logs in $TEST_TMP/api1.log
#   trap 'app_stop_all; pg_cleanup' EXIT

# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"

APP_PACKAGE="$REPO_ROOT/app"
APP_BIN=""
declare -A APP_PIDS=()

# app_build: debug build of the package and its tests (the same build the unit stage makes, so it
# is reused); sets APP_BIN.
app_build() {
  local log="$TEST_TMP/app-build.log"
  if ! swift build --package-path "$APP_PACKAGE" --build-tests >"$log" 2>&1; then
    t_fail "app: debug build" "swift build failed"
    grep -E 'error:' "$log" | head -n 20 | sed 's/^/        | /'
    return 1
  fi
  APP_BIN="$(swift build --package-path "$APP_PACKAGE" --show-bin-path)/tasks-api"
}

# app_fail NAME DETAIL LINES FILE...: records NAME as failed with DETAIL and shows the last LINES
# lines of each FILE (a server log, a command's output) under it.
app_fail() {
  local name="$1" detail="$2" lines="$3"
  shift 3
  t_fail "$name" "$detail"
  tail -n "$lines" "$@" | sed 's/^/        | /'
}

# app_start NAME PORT [VAR=VALUE...]: starts `tasks-api serve` in the background on 127.0.0.1:PORT
# against the test database (pg_app_env), JSON logs to $TEST_TMP/NAME.log. Extra variables win.
app_start() {
  local name="$1" port="$2"
  shift 2
  local -a environment
  mapfile -t environment < <(pg_app_env)
  env "${environment[@]}" HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_FORMAT=json LOG_LEVEL=info \
    DATABASE_TLS=disable DATABASE_STARTUP_TIMEOUT=20 "$@" \
    "$APP_BIN" serve >"$TEST_TMP/$name.log" 2>&1 &
  APP_PIDS[$name]=$!
}

# app_pid NAME: the process id of a started instance.
app_pid() {
  printf '%s\n' "${APP_PIDS[$1]}"
}

# app_status PORT PATH: prints the HTTP status of GET PATH (000 when nothing answers).
app_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1$2" || true
}

# Succeeds when /readyz answers 200, or when the process is gone (so a dead start fails at once).
_app_is_ready_or_gone() {
  ! kill -0 "$1" 2>/dev/null || [ "$(app_status "$2" /readyz)" = 200 ]
}

# app_wait_ready NAME PORT TIMEOUT: polls /readyz until it answers 200; fails at once if the
# instance exited.
app_wait_ready() {
  local pid="${APP_PIDS[$1]}"
  t_wait_for "/readyz on port $2" "$3" _app_is_ready_or_gone "$pid" "$2" || return 1
  kill -0 "$pid" 2>/dev/null
}

# app_start_ready NAME [VAR=VALUE...]: app_start on a free port (left in APP_PORT), then waits until
# ready; tries another port if the first one was taken meanwhile. Prints the log on failure.
APP_PORT=""
app_start_ready() {
  local name="$1" attempt
  shift
  for attempt in 1 2 3; do
    APP_PORT="$(free_local_port)" || return 1
    app_start "$name" "$APP_PORT" "$@"
    app_wait_ready "$name" "$APP_PORT" 60 && return 0
    grep -q 'Address already in use' "$TEST_TMP/$name.log" || break
    : "$attempt"
  done
  tail -n 20 "$TEST_TMP/$name.log" | sed 's/^/        | /'
  return 1
}

_app_is_gone() {
  ! kill -0 "$1" 2>/dev/null
}

# app_wait_exit NAME TIMEOUT: waits for the instance to exit; its exit code goes to APP_EXIT_CODE.
# (Not in a $(...) subshell: only this shell can reap its background job.)
APP_EXIT_CODE=""
# shellcheck disable=SC2034 # APP_EXIT_CODE is this function's result, read by the suites.
app_wait_exit() {
  local name="$1" timeout="$2" pid
  pid="${APP_PIDS[$name]}"
  APP_EXIT_CODE=""
  t_wait_for "$name (pid $pid) to exit" "$timeout" _app_is_gone "$pid" || return 1
  APP_EXIT_CODE=0
  wait "$pid" || APP_EXIT_CODE=$?
  unset "APP_PIDS[$name]"
}

# app_stop_all: SIGKILLs every instance still running (cleanup after a failed case).
app_stop_all() {
  local name
  for name in "${!APP_PIDS[@]}"; do
    kill -KILL "${APP_PIDS[$name]}" 2>/dev/null || true
    wait "${APP_PIDS[$name]}" 2>/dev/null || true
  done
  APP_PIDS=()
}
