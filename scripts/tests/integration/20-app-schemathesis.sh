#!/usr/bin/env bash
# Contract test: schemathesis (every check, all phases) against a live `tasks-api` with
# app/openapi.yaml; any 5xx or any answer that breaks the specification fails. A second, short run
# against an instance answering 500 on purpose proves the run does catch server errors.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/postgres.sh
source "$REPO_ROOT/scripts/tests/lib/postgres.sh"
# shellcheck source=scripts/tests/lib/app.sh
source "$REPO_ROOT/scripts/tests/lib/app.sh"

readonly SPEC="$REPO_ROOT/app/openapi.yaml"
readonly CONFIG="$REPO_ROOT/app/schemathesis.toml"
# Bounded and reproducible: a fixed seed and a fixed number of examples per operation. One worker:
# with two, Python 3.11 (Debian's) sometimes fails inside hypothesis with "AST constructor recursion
# depth mismatch", an interpreter bug with ast.parse in threads.
readonly EXAMPLES="${APP_SCHEMATHESIS_EXAMPLES:-100}"
readonly SEED="${APP_SCHEMATHESIS_SEED:-20261124}"

# schemathesis PORT REPORT_DIR [ARGS...]: one run against 127.0.0.1:PORT; output in REPORT_DIR/st.log.
schemathesis() {
  local port="$1" dir="$2"
  shift 2
  mkdir -p "$dir"
  (cd "$dir" && st --config-file "$CONFIG" run "$SPEC" --url "http://127.0.0.1:$port" --checks all \
    --seed "$SEED" --generation-database none --workers 1 --request-timeout 10 --no-color \
    --report junit --report-junit-path "$dir/junit.xml" "$@" >"$dir/st.log" 2>&1)
}

run_contract_test() {
  local port code=0 dir="$TEST_TMP/schemathesis"
  if ! app_start_ready contract LOG_LEVEL=warning FEATURE_TASK_SEARCH=true; then
    t_fail "app schemathesis: server ready" "see above"
    return 0
  fi
  port="$APP_PORT"
  schemathesis "$port" "$dir" --max-examples "$EXAMPLES" || code=$?
  if [ ! -f "$dir/junit.xml" ]; then
    app_fail "app schemathesis: run" "exit $code, no report" 30 "$dir/st.log"
    return 0
  fi
  t_import_xunit "app schemathesis" "$dir/junit.xml"
  if [ "$code" -ne 0 ]; then
    t_fail "app schemathesis: run" "exit $code"
    sed -n '/FAILURES/,$p' "$dir/st.log" | head -n 60 | sed 's/^/        | /'
  else
    t_pass "app schemathesis: $(grep -Eo '[0-9]+ generated, [0-9]+ passed' "$dir/st.log" | head -n 1)"
  fi
}

run_with_injected_errors() {
  local name="app schemathesis: a run against a server answering 500 fails" port code=0
  if ! app_start_ready faulty LOG_LEVEL=warning FAULT_5XX_RATE=1; then
    t_fail "$name" "server not ready"
    return 0
  fi
  port="$APP_PORT"
  schemathesis "$port" "$TEST_TMP/schemathesis-faulty" --max-examples 5 --phases fuzzing \
    --include-operation-id listTasks || code=$?
  if [ "$code" -ne 0 ] && grep -q 'Server error' "$TEST_TMP/schemathesis-faulty/st.log"; then
    t_pass "$name"
  else
    app_fail "$name" "exit $code" 20 "$TEST_TMP/schemathesis-faulty/st.log"
  fi
}

main() {
  t_require "app schemathesis" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  t_require "app schemathesis" st "run scripts/ci/provision.sh (installs schemathesis into .tools/venv)" || exit 0
  pg_require "app schemathesis" || exit 0
  trap 'app_stop_all; pg_cleanup' EXIT
  if ! pg_start; then
    t_fail "app schemathesis: start PostgreSQL" "see the log above"
    exit 0
  fi
  app_build || exit 0
  run_contract_test
  run_with_injected_errors
}

main "$@"
