#!/usr/bin/env bash
# End-to-end test of the README's run and stop commands (scripts/demo_up.sh, scripts/demo_down.sh)
# in a fresh clone of the repository (git clone of the committed tree into a temporary
# directory; the machine's base images and .tools/local-images.env as provisioned, the reldash
# binary of this checkout as RELDASH_BIN, so the clone does not compile Swift; deploy project
# demorun, monitoring project demorunmon, random ports on 127.0.0.1, Grafana not run):
#   - a prerequisite missing (the Docker engine does not answer): exit 3, named;
#   - up: every step printed, secrets generated in the clone, a release answering, every
#     monitoring target up, `reldash status` printed (no terminal), exit 0;
#   - up again: everything kept (same release, no new release directory), exit 0;
#   - down: no container of either project left; down again: exit 0.
# Measured here: 113 s, 174 s on the first run (API image from the BuildKit cache, reldash built).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"

readonly PROJECT=demorun MON_PROJECT=demorunmon API_REPO=demorun-api
CLONE=""

setup_env() {
  CLONE="$TEST_TMP/clone"
  git clone -q "$REPO_ROOT" "$CLONE"
  mkdir -p "$CLONE/.tools"
  [ ! -f "$REPO_ROOT/.tools/local-images.env" ] || cp "$REPO_ROOT/.tools/local-images.env" "$CLONE/.tools/"
  export DEPLOY_PROJECT_NAME="$PROJECT" DEPLOY_IMAGE_REPO="$API_REPO" MONITORING_PROJECT_NAME="$MON_PROJECT"
  export MONITORING_GRAFANA=0 RELDASH_BIN
  API_PORT="$(free_local_port)" PROMETHEUS_PORT="$(free_local_port)" ALERTMANAGER_PORT="$(free_local_port)"
  BLACKBOX_PORT="$(free_local_port)" WEBHOOK_PORT="$(free_local_port)"
  export API_PORT PROMETHEUS_PORT ALERTMANAGER_PORT BLACKBOX_PORT WEBHOOK_PORT
  # The clone's own defaults, not the caller's.
  unset DEPLOY_DIR DEPLOY_SECRETS_DIR DB_PASSWORD_FILE GRAFANA_ADMIN_PASSWORD_FILE
}

cleanup() {
  docker_remove_project "$MON_PROJECT" "$REPO_ROOT/monitoring/docker-compose.yml" \
    DB_PASSWORD_FILE=/dev/null GRAFANA_ADMIN_PASSWORD_FILE=/dev/null
  cd_remove_stack "$PROJECT" "$API_REPO"
  docker network rm "${PROJECT}_backend" >/dev/null 2>&1 || true
}

project_containers() {
  docker ps -aq --filter "label=com.docker.compose.project=$1" | wc -l
}

aMissingEngineIsNamedWithExit3() {
  cd_fake_command docker 'exit 1'
  PATH="$CASE_DIR/bin:$PATH" assert_exit 3 "$CLONE/scripts/demo_up.sh" --no-dashboard
  assert_contains "$CMD_OUTPUT" "the Docker engine does not answer"
  assert_eq 0 "$(find "$CLONE/deploy/releases" -mindepth 1 -maxdepth 1 -type d | wc -l)" "release directories"
}

upPrintsEveryStepDeploysMonitorsAndPrintsReldashStatus() {
  local out code=0
  out="$("$CLONE/scripts/demo_up.sh" --timeout 120 </dev/null 2>&1)" || code=$?
  printf '%s\n' "$out" >"$CASE_DIR/up.log"
  assert_eq 0 "$code" "demo_up.sh exit code (log: $(printf '%s' "$out" | tail -c 900))"
  local step
  for step in "step 1: prerequisites" "step 2: local secrets" "step 3: base images" "step 4: a release of dev" \
    "step 5: monitoring" "step 6: reldash" "every target is up" "no terminal: printing reldash status"; do
    assert_contains "$out" "$step"
  done
  assert_file "$CLONE/.env"
  assert_file "$CLONE/secrets/db_password.txt"
  assert_file "$CLONE/secrets/dev/db_password.txt"
  local id
  id="$(basename "$(readlink "$CLONE/deploy/current")")"
  assert_contains "$(curl -fsS --max-time 5 "http://127.0.0.1:$API_PORT/version")" "\"release_id\":\"$id\""
  assert_contains "$out" "$id"
  printf '%s\n' "$id" >"$TEST_TMP/first-release"
}

upAgainKeepsEverything() {
  local out code=0 before
  before="$(find "$CLONE/deploy/releases" -mindepth 1 -maxdepth 1 -type d | wc -l)"
  out="$("$CLONE/scripts/demo_up.sh" --no-dashboard </dev/null 2>&1)" || code=$?
  printf '%s\n' "$out" >"$CASE_DIR/up-again.log"
  assert_eq 0 "$code" "second demo_up.sh exit code (log: $(printf '%s' "$out" | tail -c 900))"
  assert_contains "$out" "kept release $(cat "$TEST_TMP/first-release")"
  assert_contains "$out" "(exists)"
  assert_eq "$before" "$(find "$CLONE/deploy/releases" -mindepth 1 -maxdepth 1 -type d | wc -l)" "release directories"
}

downStopsItAllAndAgainIsHarmless() {
  assert_exit 0 "$CLONE/scripts/demo_down.sh"
  assert_eq 0 "$(project_containers "$PROJECT")" "containers of $PROJECT"
  assert_eq 0 "$(project_containers "$MON_PROJECT")" "containers of $MON_PROJECT"
  assert_exit 0 "$CLONE/scripts/demo_down.sh"
  assert_contains "$CMD_OUTPUT" "no container of $PROJECT is running"
}

main() {
  docker_require "demo run e2e: docker" || exit 0
  docker_compose_require "demo run e2e: compose" || exit 0
  t_require "demo run e2e: git" git "apt-get install git" || exit 0
  cd_require_deploy_engine "demo run e2e" || exit 0
  reldash_build || exit 0
  setup_env
  trap cleanup EXIT
  cleanup
  cd_case "demo_up.sh names a missing prerequisite (engine not answering) and exits 3" aMissingEngineIsNamedWithExit3
  cd_case "demo_up.sh in a fresh clone: every step, secrets, a release, monitoring up, reldash status" \
    upPrintsEveryStepDeploysMonitorsAndPrintsReldashStatus
  cd_case "demo_up.sh again keeps the release, the secrets and the stack" upAgainKeepsEverything
  cd_case "demo_down.sh stops every container; run again it is harmless" downStopsItAllAndAgainIsHarmless
}

main "$@"
