#!/usr/bin/env bash
# End-to-end tests of reldash driving the real scripts: `reldash deploy --yes` and `reldash
# rollback --yes` run scripts/deploy_local.sh and scripts/rollback.sh against real containers
# (the api image built once through BuildKit's cache, then deployed with --no-build), with their
# output streamed; after each step /version, `reldash status --json`, `reldash releases --json`
# and `rollback.sh --list` must agree. First, without Docker, reldash and rollback.sh must agree
# on statuses and the rollback target for manifests reldash cannot trust (the shared rule in
# deploy/contract/README.md). Last, a deploy and a rollback from reldash's operator image
# (scripts/reldash_docker.sh, RELDASH_DOCKER_OPERATOR=1). Compose project rdde2e, image
# repository rdde2e-api, port (a free one), deploy directories in TEST_TMP; all of it is
# removed at the end.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"
# shellcheck source=scripts/tests/lib/prometheus.sh
source "$REPO_ROOT/scripts/tests/lib/prometheus.sh"
cd_source_libs
export LOG_PREFIX=reldash-deploy

readonly PROJECT=rdde2e API_REPO=rdde2e-api
PORT="$(free_local_port)"
readonly PORT
readonly SCRIPTS="$REPO_ROOT/scripts" DIR="$TEST_TMP/deploy" RULES="$TEST_TMP/rules"
export DEPLOY_PROJECT_NAME="$PROJECT" DEPLOY_IMAGE_REPO="$API_REPO" API_PORT="$PORT"
export DEPLOY_SECRETS_DIR="$TEST_TMP/secrets"
unset DEPLOY_DIR DEPLOY_POINTER DEPLOY_COMPOSE_FILE DEPLOY_SOURCE_IMAGE DEPLOY_SAVE_IMAGE
unset RELDASH_CONFIG RELDASH_DEPLOY_DIR RELDASH_PROMETHEUS_URL RELDASH_TIMEOUT RELDASH_SCRIPTS_DIR RELDASH_NOW
CLOSED_PORT=""

# --- helpers ---------------------------------------------------------------------------------

# script_view DIR: prints "id status" per release (newest first) and "target=<id>" as
# `rollback.sh --list` shows them.
script_view() {
  local listing
  listing="$(DEPLOY_DIR="$1" "$SCRIPTS/rollback.sh" --list 2>/dev/null)" || cd_fail "rollback.sh --list failed on $1"
  printf '%s\n' "$listing" | grep -E '^[0-9]{8}T[0-9]{6}Z ' | awk '{ print $1, $2 }'
  printf 'target=%s\n' "$(printf '%s\n' "$listing" | awk '/<- default rollback target/ { print $1 }')"
}

# reldash_view DIR: the same from `reldash releases --json`.
reldash_view() {
  reldash_run releases --json --deploy-dir "$1"
  [ "$RUN_CODE" = 0 ] || cd_fail "reldash releases --json exited $RUN_CODE: ${RUN_STDERR:0:300}"
  printf '%s\n' "$RUN_STDOUT" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for release in sorted(doc["releases"], key=lambda r: r["id"], reverse=True):
    print(release["id"], release["status"])
print("target=" + (doc["rollback_candidate"] or ""))'
}

# reldash_status_view DIR: "current=<id> target=<id>" from `reldash status --json`.
reldash_status_view() {
  reldash_run status --json --deploy-dir "$1" --prometheus-url "http://127.0.0.1:$CLOSED_PORT" --timeout 1
  [ "$RUN_CODE" = 0 ] || cd_fail "reldash status --json exited $RUN_CODE: ${RUN_STDERR:0:300}"
  printf '%s\n' "$RUN_STDOUT" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
current = (doc["current"] or {}).get("id") or ""
print("current=%s target=%s" % (current, doc["rollback"]["candidate"] or ""))'
}

# assert_views_agree DIR: rollback.sh --list, reldash releases --json and reldash status --json
# name the same statuses, current release and rollback target.
assert_views_agree() {
  local script reldash status current target
  script="$(script_view "$1")"
  reldash="$(reldash_view "$1")"
  assert_eq "$script" "$reldash" "releases and target (rollback.sh --list vs reldash releases --json)"
  current="$(printf '%s\n' "$script" | awk '$2 == "current" { print $1 }')"
  target="$(printf '%s\n' "$script" | sed -n 's/^target=//p')"
  status="$(reldash_status_view "$1")"
  assert_eq "current=$current target=$target" "$status" "reldash status --json"
}

# serving_release: prints the release_id reported by the api's /version.
serving_release() {
  http_get "http://127.0.0.1:$PORT/version" 5 || cd_fail "the api does not answer on port $PORT"
  health_version_release_id "$HTTP_BODY"
}

# current_of DIR: prints the current release id of DIR.
current_of() {
  pointer_read "$1" || cd_fail "pointer of $1: $POINTER_ERROR"
  printf '%s' "$POINTER_ID"
}

# reldash_streaming NAME ARGS...: runs `reldash ARGS` in the background and checks that a line
# of the script reached reldash's output while the script was still running (the output is
# streamed, not collected at the end). Exit code in RUN_CODE, both streams in RUN_OUTPUT.
reldash_streaming() {
  local name="$1" out="$TEST_TMP/$1.out" pid seen=0
  shift
  "$RELDASH_BIN" "$@" </dev/null >"$out" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if grep -q "release [0-9]\{8\}T[0-9]\{6\}Z\|rolling back from" "$out"; then
      kill -0 "$pid" 2>/dev/null && seen=1
      break
    fi
    sleep 0.1
  done
  RUN_CODE=0
  wait "$pid" || RUN_CODE=$?
  RUN_OUTPUT="$(cat "$out")"
  [ "$seen" = 1 ] || cd_fail "no line of the script was streamed before reldash $name ended: ${RUN_OUTPUT:0:300}"
}

# --- the rule shared by rollback.sh and reldash ----------------------------------------------

# rules_tree: one release of each kind, including manifests reldash cannot trust.
rules_tree() {
  local id
  fx_release "$RULES" 20260101T080000Z deployed
  mkdir -p "$RULES/releases/20260101T090000Z"
  fx_release "$RULES" 20260101T090000Z deployed
  printf '{"schema_version":1,"release_id":"20260101T090000Z","status":"deployed","environment":"dev","health":{"status":"healthy"}}' \
    >"$RULES/releases/20260101T090000Z/manifest.json"
  fx_release "$RULES" 20260101T100000Z failed
  fx_release "$RULES" 20260101T110000Z bad
  fx_release "$RULES" 20260101T120000Z incomplete
  for id in 20260101T130000Z 20260101T140000Z 20260101T150000Z 20260101T160000Z 20260101T170000Z; do
    fx_release "$RULES" "$id" deployed
  done
  head -c 200 "$RULES/releases/20260101T130000Z/manifest.json" >"$TEST_TMP/cut" &&
    mv "$TEST_TMP/cut" "$RULES/releases/20260101T130000Z/manifest.json"
  sed -i 's/"release_id": "20260101T140000Z"/"release_id": "20260101T080000Z"/' "$RULES/releases/20260101T140000Z/manifest.json"
  sed -i 's/"schema_version": 1,/"schema_version": 2,/' "$RULES/releases/20260101T150000Z/manifest.json"
  sed -i 's/"status": "deployed"/"status": "maybe"/' "$RULES/releases/20260101T160000Z/manifest.json"
  pointer_write "$RULES" 20260101T170000Z symlink
}

# The target is the compact manifest (09:00); without it, 08:00; with 08:00 marked BAD, none.
reldashAndRollbackListAgreeOnStatusesAndTargetWithUntrustedManifests() {
  rules_tree
  assert_views_agree "$RULES"
  assert_contains "$(script_view "$RULES")" "target=20260101T090000Z"
  assert_eq 4 "$(script_view "$RULES" | grep -c ' invalid$')" "invalid releases"
  rm -r "$RULES/releases/20260101T090000Z"
  assert_views_agree "$RULES"
  assert_contains "$(script_view "$RULES")" "target=20260101T080000Z"
  release_mark_bad "$RULES" 20260101T080000Z "test"
  assert_views_agree "$RULES"
  assert_eq "" "$(script_view "$RULES" | sed -n 's/^target=//p')" "target once every older release is BAD"
}

# --- reldash deploy and rollback with the real scripts ---------------------------------------

reldashDeployBuildsAndDeploysWithTheRealScript() {
  reldash_streaming deploy deploy --yes --deploy-dir "$DIR" --scripts-dir "$SCRIPTS" -- --timeout 120
  [ "$RUN_CODE" = 0 ] || cd_fail "reldash deploy exited $RUN_CODE: $(printf '%s' "$RUN_OUTPUT" | tail -n 8)"
  assert_contains "$RUN_OUTPUT" "deploy_local: building $API_REPO:"
  assert_contains "$RUN_OUTPUT" "deployed and serving at http://127.0.0.1:$PORT"
  assert_eq "$(current_of "$DIR")" "$(serving_release)" "release serving after reldash deploy"
  assert_views_agree "$DIR"
}

reldashDeployPassesScriptOptionsAfterTheSeparator() {
  local first
  first="$(current_of "$DIR")"
  [ -n "$first" ] || cd_fail "the first reldash deploy did not succeed"
  reldash_streaming deploy-no-build deploy --yes --env dev --deploy-dir "$DIR" --scripts-dir "$SCRIPTS" \
    -- --no-build --timeout 120
  [ "$RUN_CODE" = 0 ] || cd_fail "reldash deploy -- --no-build exited $RUN_CODE: $(printf '%s' "$RUN_OUTPUT" | tail -n 8)"
  assert_contains "$RUN_OUTPUT" "no build: deploying $API_REPO:$first"
  assert_not_contains "$RUN_OUTPUT" "deploy_local: building"
  assert_eq "$(release_newest "$DIR")" "$(current_of "$DIR")" "current after the second deploy"
  assert_eq "$(current_of "$DIR")" "$(serving_release)" "release serving after the second deploy"
  assert_views_agree "$DIR"
  assert_contains "$(script_view "$DIR")" "target=$first"
}

reldashRollbackRunsTheRealScriptToItsTarget() {
  local before target
  before="$(current_of "$DIR")"
  target="$(release_rollback_target "$DIR" "$before")"
  [ -n "$target" ] || cd_fail "no rollback target in $DIR"
  reldash_streaming rollback rollback --yes --deploy-dir "$DIR" --scripts-dir "$SCRIPTS" -- --timeout 120
  [ "$RUN_CODE" = 0 ] || cd_fail "reldash rollback exited $RUN_CODE: $(printf '%s' "$RUN_OUTPUT" | tail -n 8)"
  assert_contains "$RUN_OUTPUT" "rollback: rolling back from $before to $target"
  assert_eq "$target" "$(current_of "$DIR")" "current after reldash rollback"
  assert_eq "$target" "$(serving_release)" "release serving after reldash rollback"
  assert_views_agree "$DIR"
  assert_contains "$(script_view "$DIR")" "$before bad"
  reldash_run rollback --yes --deploy-dir "$DIR" --scripts-dir "$SCRIPTS"
  assert_eq 3 "$RUN_CODE" "reldash rollback with nothing older to go to"
}

# operator_run NAME ARGS...: scripts/reldash_docker.sh ARGS in operator mode (the image with the
# docker CLI and Compose, the repository and the docker socket mounted), the image built from
# the sources under test on the first call; exit code in RUN_CODE, both streams in RUN_OUTPUT.
OPERATOR_BUILT=0
operator_run() {
  local out="$TEST_TMP/operator-$1.out" rebuild=1
  shift
  [ "$OPERATOR_BUILT" = 0 ] || rebuild=0
  RUN_CODE=0
  RELDASH_DOCKER_OPERATOR=1 RELDASH_DOCKER_REBUILD="$rebuild" DEPLOY_DIR="$DIR" \
    RELDASH_PROMETHEUS_URL="http://127.0.0.1:$CLOSED_PORT" \
    "$SCRIPTS/reldash_docker.sh" "$@" </dev/null >"$out" 2>&1 || RUN_CODE=$?
  OPERATOR_BUILT=1
  RUN_OUTPUT="$(cat "$out")"
}

reldashOperatorImageDeploysAndRollsBackFromTheContainer() {
  local before deployed
  before="$(current_of "$DIR")"
  operator_run deploy deploy --yes -- --no-build --timeout 120
  [ "$RUN_CODE" = 0 ] || cd_fail "operator image: reldash deploy exited $RUN_CODE: $(printf '%s' "$RUN_OUTPUT" | tail -n 12)"
  assert_contains "$RUN_OUTPUT" "no build: deploying $API_REPO:$before"
  deployed="$(current_of "$DIR")"
  assert_eq "$(release_newest "$DIR")" "$deployed" "current after the container's deploy"
  assert_eq "$deployed" "$(serving_release)" "release serving after the container's deploy"
  operator_run rollback rollback --yes -- --timeout 120
  [ "$RUN_CODE" = 0 ] || cd_fail "operator image: reldash rollback exited $RUN_CODE: $(printf '%s' "$RUN_OUTPUT" | tail -n 12)"
  assert_contains "$RUN_OUTPUT" "rollback: rolling back from $deployed to $before"
  assert_eq "$before" "$(current_of "$DIR")" "current after the container's rollback"
  assert_eq "$before" "$(serving_release)" "release serving after the container's rollback"
  assert_views_agree "$DIR"
}

# --- suite -----------------------------------------------------------------------------------

remove_suite_stack() {
  cd_remove_stack "$PROJECT" "$API_REPO"
}

main() {
  t_require "reldash-deploy: swift" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  t_require "reldash-deploy: python3" python3 "apt-get install python3" || exit 0
  reldash_build || exit 0
  CLOSED_PORT="$(free_local_port)"
  cd_case "reldash-deploy: reldashAndRollbackListAgreeOnStatusesAndTargetWithUntrustedManifests" \
    reldashAndRollbackListAgreeOnStatusesAndTargetWithUntrustedManifests
  cd_require_deploy_engine reldash-deploy || exit 0
  remove_suite_stack
  trap remove_suite_stack EXIT
  cd_make_secret "$DEPLOY_SECRETS_DIR"
  mkdir -p "$DIR"
  local case
  for case in \
    reldashDeployBuildsAndDeploysWithTheRealScript \
    reldashDeployPassesScriptOptionsAfterTheSeparator \
    reldashRollbackRunsTheRealScriptToItsTarget \
    reldashOperatorImageDeploysAndRollsBackFromTheContainer; do
    cd_case "reldash-deploy: $case" "$case"
  done
}

main "$@"
