#!/usr/bin/env bash
# End-to-end tests of the zero-downtime deploys and rollbacks (docs/zero-downtime.md): the real
# api image in the two slots behind the real proxy, under a bounded load on 127.0.0.1 (20 req/s
# on new connections for the whole command, wrk with 8 keep-alive connections for the switch).
# 0 failed requests during a deploy, a rollback and a deploy whose gate fails; a slow request
# started before the switch completes; the proxy killed, the idle slot killed during its gate,
# the deploy SIGKILLed between the switch and the stop of the old slot: afterwards one slot
# runs, the pointer agrees with what the proxy serves, and the next deploy succeeds.
# Own compose project (zdde2e), image repository (zdde2e-api), free port, deploy dir in TEST_TMP;
# the first deploy builds (a BuildKit cache hit after e2e/30), the others use --no-build.
# Measured: 174 s on 2 cores shared with other builds (296 s and 508 s on busier runs, load
# average 10-15); most of it is the compose v1 `up` of a slot.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"
# shellcheck source=scripts/tests/lib/load.sh
source "$REPO_ROOT/scripts/tests/lib/load.sh"
cd_source_libs
export LOG_PREFIX=zdd-e2e

readonly PROJECT=zdde2e API_REPO=zdde2e-api RATE=20 WRK_SECONDS=8
PORT="$(free_local_port)"
readonly PORT
readonly DEPLOY="$REPO_ROOT/scripts/deploy_local.sh" ROLLBACK="$REPO_ROOT/scripts/rollback.sh"
readonly DIR="$TEST_TMP/zdd"
export DEPLOY_PROJECT_NAME="$PROJECT" DEPLOY_IMAGE_REPO="$API_REPO" API_PORT="$PORT"
export DEPLOY_SECRETS_DIR="$TEST_TMP/secrets" DEPLOY_DIR="$DIR"
unset DEPLOY_POINTER DEPLOY_COMPOSE_FILE DEPLOY_SOURCE_IMAGE

# --- helpers ---------------------------------------------------------------------------------

# current: the id the pointer names.
current() {
  pointer_read "$DIR" || cd_fail "pointer: $POINTER_ERROR"
  printf '%s' "$POINTER_ID"
}

# serving: the release_id /version reports through the proxy.
serving() {
  http_get "http://127.0.0.1:$PORT/version" 5 || cd_fail "nothing answers on the proxy's port $PORT"
  health_version_release_id "$HTTP_BODY"
}

# running_slots: the slots whose container runs, e.g. "blue".
running_slots() {
  local slot out=""
  for slot in blue green; do
    [ -z "$(slot_container "$PROJECT" "$slot")" ] || out="${out:+$out }$slot"
  done
  printf '%s' "$out"
}

# expect_one_live_slot: one slot runs, the proxy routes to it, it serves the current release.
expect_one_live_slot() {
  local live
  live="$(running_slots)"
  [[ "$live" =~ ^(blue|green)$ ]] || cd_fail "running slots: '$live', expected exactly one"
  assert_eq "$live" "$(proxy_live_slot "$DIR")" "slot named in the proxy's upstream.conf"
  assert_eq "$(current)" "$(slot_release "$PROJECT" "$live")" "release in the live slot"
  assert_eq "$(current)" "$(serving)" "release served through the proxy"
}

# under_load TRIGGER CMD...: runs CMD (its output in CMD_LOG, exit code in CMD_CODE) under the
# 20 req/s loop; when CMD logs TRIGGER (the line before the switch), wrk runs for WRK_SECONDS.
under_load() {
  local trigger="$1" pid wrk_pid=""
  shift
  CMD_LOG="$CASE_DIR/cmd.$RANDOM.log"
  WRK_OUT="$CASE_DIR/wrk.$RANDOM.txt"
  : >"$WRK_OUT"
  load_start "http://127.0.0.1:$PORT/api/v1/tasks?limit=1" "$RATE" "$CASE_DIR"
  "$@" >"$CMD_LOG" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null && ! grep -q -- "$trigger" "$CMD_LOG"; do sleep 0.05; done
  if grep -q -- "$trigger" "$CMD_LOG"; then
    load_wrk "http://127.0.0.1:$PORT/api/v1/tasks?limit=1" "$WRK_SECONDS" "$WRK_OUT" &
    wrk_pid=$!
  fi
  CMD_CODE=0
  wait "$pid" || CMD_CODE=$?
  [ -z "$wrk_pid" ] || wait "$wrk_pid" || true
  load_stop
}

# expect_no_failed_request WHAT: neither the loop nor wrk saw a request fail.
expect_no_failed_request() {
  [ "$(load_sent)" -gt 20 ] || cd_fail "$1: the loop sent only $(load_sent) requests"
  assert_eq 0 "$(load_failed)" "$1: failed requests of $(load_sent) at $RATE req/s ($(grep -v '^200 ' "$LOAD_OUT" | sort | uniq -c | head -n 3 | tr '\n' ' '))"
  if [ -s "$WRK_OUT" ]; then
    assert_eq 0 "$(load_wrk_failed "$WRK_OUT")" "$1: failed wrk requests of $(load_wrk_requests "$WRK_OUT") ($(grep -E 'Non-2xx|Socket' "$WRK_OUT" | tr '\n' ' '))"
  fi
  printf '%s: %s requests at %s req/s, wrk %s requests (%s req/s), none failed\n' "$1" "$(load_sent)" "$RATE" \
    "$(load_wrk_requests "$WRK_OUT")" "$(load_wrk_rate "$WRK_OUT")"
}

# slow_request OUT_FILE: POST /api/v1/tasks whose 3 KB body is sent at 400 B/s (about 7 s): a
# request in flight across the switch. Writes the status in OUT_FILE when it ends.
slow_request() {
  local body
  body="{\"title\":\"slow request across the switch\"$(printf '%3000s' '')}"
  curl -s -o /dev/null -m 30 --limit-rate 400 -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "$body" "http://127.0.0.1:$PORT/api/v1/tasks" >"$1" 2>/dev/null || true
}

deploy() { "$DEPLOY" "$@"; }
rollback() { "$ROLLBACK" "$@"; }

# --- scenarios -------------------------------------------------------------------------------

firstDeployStartsTheProxyAndTheBlueSlot() {
  "$DEPLOY" >"$CASE_DIR/out" 2>&1 || cd_fail "first deploy failed: $(tail -n 8 "$CASE_DIR/out")"
  docker tag "$API_REPO:$(current)" "$API_REPO:base"
  expect_one_live_slot
  assert_eq blue "$(running_slots)" "slot of the first release"
  assert_eq blue "$(kv_get "$DIR/releases/$(current)/release.env" SLOT)" "SLOT in release.env"
  assert_contains "$(cat "$DIR/releases/$(current)/manifest.json")" '"slot": "blue"'
  assert_contains "$(tail -n 1 "$DIR/history.jsonl")" '"slot":"blue"'
}

deployUnderLoadFailsNoRequestAndASlowRequestSurvivesTheSwitch() {
  local previous slow="$CASE_DIR/slow.status" slow_pid
  previous="$(current)"
  (
    while ! grep -qs "health gate:" "$CASE_DIR"/cmd.*.log; do sleep 0.05; done
    slow_request "$slow"
  ) &
  slow_pid=$!
  under_load "switching the proxy" deploy --no-build
  wait "$slow_pid" || true
  [ "$CMD_CODE" = 0 ] || cd_fail "deploy exited $CMD_CODE: $(tail -n 8 "$CMD_LOG")"
  expect_no_failed_request "deploy"
  assert_eq 201 "$(cat "$slow")" "status of the slow request started before the switch"
  expect_one_live_slot
  assert_eq green "$(running_slots)" "slot of the second release"
  assert_contains "$(cat "$CMD_LOG")" "draining slot blue (release $previous)"
  assert_contains "$(tail -n 1 "$DIR/history.jsonl")" '"slot":"green"'
}

rollbackUnderLoadFailsNoRequest() {
  local target
  target="$(release_rollback_target "$DIR" "$(current)")"
  under_load "switching the proxy" rollback
  [ "$CMD_CODE" = 0 ] || cd_fail "rollback exited $CMD_CODE: $(tail -n 8 "$CMD_LOG")"
  expect_no_failed_request "rollback"
  assert_eq "$target" "$(current)" "current after the rollback"
  expect_one_live_slot
  assert_eq blue "$(running_slots)" "slot of the rollback"
  assert_contains "$(tail -n 1 "$DIR/history.jsonl")" '"event":"rollback"'
  assert_contains "$(tail -n 1 "$DIR/history.jsonl")" '"slot":"blue"'
  assert_contains "$(rollback --list)" "blue"
}

deployWhoseGateFailsUnderLoadFailsNoRequestAndNeverTouchesTheProxy() {
  local previous before broken="$CASE_DIR/broken.yml"
  previous="$(current)"
  before="$(sha256sum <"$DIR/proxy/upstream.conf")"
  sed 's/DATABASE_PORT: "5432"/DATABASE_PORT: "1"/' "$REPO_ROOT/deploy/docker-compose.yml" >"$broken"
  under_load "health gate:" env DEPLOY_COMPOSE_FILE="$broken" "$DEPLOY" --no-build --timeout 6
  assert_eq 1 "$CMD_CODE" "exit of the deploy whose gate fails"
  expect_no_failed_request "deploy with a failing gate"
  assert_eq "$before" "$(sha256sum <"$DIR/proxy/upstream.conf")" "upstream.conf after the failed gate"
  assert_eq "$previous" "$(current)" "current after the failed gate"
  expect_one_live_slot
  assert_file "$DIR/releases/$(release_newest "$DIR")/BAD"
}

killingTheIdleSlotDuringItsGateLeavesTheLiveSlotServing() {
  local previous pid code=0 idle broken="$CASE_DIR/broken.yml" container
  previous="$(current)"
  idle="$(slot_other "$(proxy_live_slot "$DIR")")"
  sed 's/DATABASE_PORT: "5432"/DATABASE_PORT: "1"/' "$REPO_ROOT/deploy/docker-compose.yml" >"$broken"
  DEPLOY_COMPOSE_FILE="$broken" "$DEPLOY" --no-build --timeout 30 >"$CASE_DIR/out" 2>&1 &
  pid=$!
  t_wait_for "the gate of slot $idle" 60 grep -q "health gate:" "$CASE_DIR/out" || cd_fail "no gate: $(tail -n 5 "$CASE_DIR/out")"
  container="$(slot_container "$PROJECT" "$idle")"
  [ -n "$container" ] || cd_fail "slot $idle does not run during its gate"
  docker kill "$container" >/dev/null
  wait "$pid" || code=$?
  assert_eq 1 "$code" "exit of the deploy whose idle slot was killed"
  assert_eq "$previous" "$(current)" "current"
  expect_one_live_slot
  "$DEPLOY" --no-build >"$CASE_DIR/next" 2>&1 || cd_fail "next deploy failed: $(tail -n 8 "$CASE_DIR/next")"
  expect_one_live_slot
}

killingTheProxyThenDeployingBringsItBack() {
  docker kill "$(proxy_container "$PROJECT")" >/dev/null
  if http_get "http://127.0.0.1:$PORT/version" 2; then cd_fail "the proxy still answers after docker kill"; fi
  "$DEPLOY" --no-build >"$CASE_DIR/next" 2>&1 || cd_fail "deploy after the proxy was killed failed: $(tail -n 8 "$CASE_DIR/next")"
  expect_one_live_slot
}

sigkillBetweenTheSwitchAndTheStopOfTheOldSlotIsRepairedByTheNextDeploy() {
  local pid new
  # The deploy's log is followed into the wrapper's output (under_load's trigger), and the
  # deploy is SIGKILLed when it logs the start of the drain (after the proxy and the pointer
  # switched, before the old slot is stopped).
  # shellcheck disable=SC2016 # the wrapper's own script
  under_load "switching the proxy" bash -c '
    "$1" --no-build >"$2" 2>&1 &
    pid=$!
    tail -n +1 -f --pid="$pid" "$2" &
    while ! grep -qs "draining slot" "$2"; do sleep 0.02; done
    kill -9 "$pid"
    wait' _ "$DEPLOY" "$CASE_DIR/sigkill.log"
  assert_contains "$(cat "$CASE_DIR/sigkill.log")" "draining slot"
  expect_no_failed_request "deploy SIGKILLed after its switch"
  new="$(current)"
  assert_eq "$new" "$(serving)" "the proxy serves the current release after the SIGKILL"
  [ "$(running_slots)" = "blue green" ] || cd_fail "expected both slots running right after the SIGKILL, got '$(running_slots)'"
  "$DEPLOY" --no-build >"$CASE_DIR/next" 2>&1 || cd_fail "next deploy failed: $(tail -n 8 "$CASE_DIR/next")"
  assert_contains "$(cat "$CASE_DIR/next")" "still runs release"
  expect_one_live_slot
  [ "$(current)" != "$new" ] || cd_fail "the next deploy did not become current"
}

# --- suite -----------------------------------------------------------------------------------

remove_suite_stack() {
  cd_remove_stack "$PROJECT" "$API_REPO"
}

main() {
  cd_require_deploy_engine zdd-e2e || exit 0
  t_require "zdd-e2e: wrk" wrk "apt-get install wrk (scripts/ci/provision.sh)" || exit 0
  remove_suite_stack
  trap remove_suite_stack EXIT
  cd_make_secret "$DEPLOY_SECRETS_DIR"
  local case
  for case in \
    firstDeployStartsTheProxyAndTheBlueSlot \
    deployUnderLoadFailsNoRequestAndASlowRequestSurvivesTheSwitch \
    rollbackUnderLoadFailsNoRequest \
    deployWhoseGateFailsUnderLoadFailsNoRequestAndNeverTouchesTheProxy \
    killingTheIdleSlotDuringItsGateLeavesTheLiveSlotServing \
    killingTheProxyThenDeployingBringsItBack \
    sigkillBetweenTheSwitchAndTheStopOfTheOldSlotIsRepairedByTheNextDeploy; do
    cd_case "zdd-e2e: $case" "$case"
  done
}

main "$@"
