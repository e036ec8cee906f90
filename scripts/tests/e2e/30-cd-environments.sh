#!/usr/bin/env bash
# End-to-end: environments, feature flags and SOPS secrets with real containers. Throwaway age
# keys and encrypted secrets are made in TEST_TMP (scripts/secrets_init.sh), then:
#   - staging (deploy/env/staging.env: task_search on) deployed from its encrypted secrets: the
#     search works through the API, /version, /metrics, manifest.json and reldash say the flag is on;
#   - prod (deploy/env/prod.env: task_search off) from its own encrypted secrets, the same image:
#     ?q= is ignored, /version, /metrics, manifest.json and reldash say off;
#   - a staging release with another configuration (flag off), then rollback.sh: the old
#     configuration (flag on) is back;
#   - scripts/secrets_rotate.sh db-password on staging: new password in the file, in the
#     database and deployed; the old one refused by the database.
# Own compose projects (envse2e-staging, envse2e-prod), image repository (envse2e-api), free
# ports, deploy directories in TEST_TMP; all removed at the end. The first deploy builds the api
# image (BuildKit cache); the others reuse it (--no-build). Measured on 2 cores shared by four
# engineers (load average 16-18): 572 s, about 7 min of it the image build; the rest 2.5 min.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"
cd_source_libs
export LOG_PREFIX=envs-e2e

readonly API_REPO=envse2e-api
readonly DEPLOY="$REPO_ROOT/scripts/deploy_local.sh" ROLLBACK="$REPO_ROOT/scripts/rollback.sh"
readonly ROTATE="$REPO_ROOT/scripts/secrets_rotate.sh" INIT="$REPO_ROOT/scripts/secrets_init.sh"
readonly KEYS="$TEST_TMP/keys" STAGING_DIR="$TEST_TMP/staging" PROD_DIR="$TEST_TMP/prod"
readonly BASE_IMAGE="$API_REPO:base"
STAGING_PORT="$(free_local_port)"
PROD_PORT="$(free_local_port)"
while [ "$PROD_PORT" = "$STAGING_PORT" ]; do PROD_PORT="$(free_local_port)"; done
readonly STAGING_PORT PROD_PORT
export DEPLOY_IMAGE_REPO="$API_REPO" DEPLOY_HTTP_CLIENT=auto
unset DEPLOY_DIR DEPLOY_POINTER DEPLOY_COMPOSE_FILE DEPLOY_SECRETS_DIR DEPLOY_ENV_FILE SOPS_AGE_KEY_FILE

# --- helpers ---------------------------------------------------------------------------------

# with_env ENV CMD...: runs CMD with the settings of environment ENV (deploy dir, project, port,
# encrypted secrets and their key); output in RUN_OUTPUT, exit code in RUN_CODE.
with_env() {
  local environment="$1" dir port
  shift
  dir="$TEST_TMP/$environment" port="$STAGING_PORT"
  [ "$environment" = staging ] || port="$PROD_PORT"
  RUN_CODE=0
  RUN_OUTPUT="$(DEPLOY_DIR="$dir" DEPLOY_PROJECT_NAME="envse2e-$environment" API_PORT="$port" \
    DEPLOY_SECRETS_FILE="$KEYS/$environment.enc.yaml" SOPS_AGE_KEY_FILE="$KEYS/$environment.key" "$@" 2>&1)" ||
    RUN_CODE=$?
  printf '%s\n' "$RUN_OUTPUT" >>"$TEST_TMP/$environment.out"
}

# expect_ok WHAT: the last with_env run exited 0.
expect_ok() {
  [ "$RUN_CODE" = 0 ] || cd_fail "$1 exited $RUN_CODE: $(printf '%s' "$RUN_OUTPUT" | tail -n 12)"
}

# api PORT PATH: GET on the api; sets HTTP_STATUS and HTTP_BODY.
api() {
  http_get "http://127.0.0.1:$1$2" 5 || cd_fail "no answer from 127.0.0.1:$1$2"
}

# json_get JSON EXPRESSION: evaluates a Python expression on the parsed JSON `d`; prints it.
json_get() {
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(json.dumps(eval(sys.argv[2])))' "$1" "$2"
}

# post_task PORT TITLE: creates a task.
post_task() {
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
    --data "{\"title\":\"$2\"}" "http://127.0.0.1:$1/api/v1/tasks" || cd_fail "POST $2 on port $1 failed"
}

# current_of DIR: the current release id of DIR.
current_of() {
  pointer_read "$1" || cd_fail "pointer of $1: $POINTER_ERROR"
  printf '%s' "$POINTER_ID"
}

# db_login_works ENV PASSWORD: the database of ENV accepts PASSWORD over TCP on the container's
# network address (loopback is trusted by the image: no password checked there), psql in its
# container, the password on stdin.
db_login_works() {
  local container
  container="$(docker ps -q --filter "label=com.docker.compose.project=envse2e-$1" --filter "label=com.docker.compose.service=db")"
  [ -n "$container" ] || cd_fail "no db container for $1"
  # shellcheck disable=SC2016 # expanded by the container's shell
  printf '%s\n' "$2" | docker exec -i "$container" sh -c \
    'read -r p; h="$(hostname -i)"; PGPASSWORD="$p" psql -h "${h%% *}" -U tasks -d tasks -qtAc "SELECT 1"' >/dev/null 2>&1
}

# decrypted_password ENV: the db_password of ENV's encrypted file.
decrypted_password() {
  SOPS_AGE_KEY_FILE="$KEYS/$1.key" sops --disable-version-check decrypt --extract '["db_password"]' "$KEYS/$1.enc.yaml"
}

# expect_flag PORT DIR STATE: /version, /metrics, the current manifest, its release.env and
# reldash's view of it (`reldash show`, the manifest pane's lines) agree on task_search.
expect_flag() {
  local port="$1" dir="$2" state="$3" metric=0 id shown=off
  [ "$state" = true ] && metric=1 shown=on
  api "$port" /version
  assert_eq "$state" "$(json_get "$HTTP_BODY" 'd["features"]["task_search"]')" "/version features.task_search"
  api "$port" /metrics
  assert_contains "$HTTP_BODY" "app_feature_enabled{flag=\"task_search\"} $metric" "/metrics"
  id="$(current_of "$dir")"
  assert_contains "$(cat "$dir/releases/$id/manifest.json")" "\"flags\": {\"task_search\": $state}" "manifest of $id"
  assert_eq "$state" "$(kv_get "$dir/releases/$id/release.env" FEATURE_TASK_SEARCH)" "release.env of $id"
  reldash_run show current --deploy-dir "$dir" --prometheus-url http://127.0.0.1:1 --timeout 1 --no-color
  assert_contains "$RUN_STDOUT" "task_search $shown" "reldash show current (exit $RUN_CODE)"
}

# --- scenarios -------------------------------------------------------------------------------

makeThrowawayKeysAndEncryptedSecrets() {
  local environment
  mkdir -p "$KEYS"
  chmod 700 "$KEYS"
  : >"$KEYS/sops.yaml"
  for environment in staging prod; do
    (umask 077 && age-keygen -o "$KEYS/$environment.key" 2>/dev/null)
    printf '  - path_regex: (^|/)%s\\.enc\\.yaml$\n    age: %s\n' "$environment" \
      "$(age-keygen -y "$KEYS/$environment.key")" >>"$KEYS/sops.rules"
  done
  { printf 'creation_rules:\n'; cat "$KEYS/sops.rules"; } >"$KEYS/sops.yaml"
  for environment in staging prod; do
    "$INIT" --env "$environment" --file "$KEYS/$environment.enc.yaml" --config "$KEYS/sops.yaml" >/dev/null ||
      cd_fail "secrets_init.sh --env $environment"
  done
  # Each environment's key opens its own file only.
  SOPS_AGE_KEY_FILE="$KEYS/prod.key" assert_exit 128 sops --disable-version-check decrypt "$KEYS/staging.enc.yaml"
}

stagingFromEncryptedSecretsServesTheSearchFlagOn() {
  local id titles
  with_env staging "$DEPLOY" --env staging
  expect_ok "deploy_local.sh --env staging"
  id="$(current_of "$STAGING_DIR")"
  docker tag "$API_REPO:$id" "$BASE_IMAGE"
  assert_contains "$RUN_OUTPUT" "db_password of 'staging' decrypted from $KEYS/staging.enc.yaml"
  expect_flag "$STAGING_PORT" "$STAGING_DIR" true
  post_task "$STAGING_PORT" "Write the runbook"
  post_task "$STAGING_PORT" "Buy milk"
  post_task "$STAGING_PORT" "Review the RUNBOOK"
  api "$STAGING_PORT" '/api/v1/tasks?q=runbook'
  titles="$(json_get "$HTTP_BODY" '[t["title"] for t in d["items"]]')"
  assert_eq '["Write the runbook", "Review the RUNBOOK"]' "$titles" "search on staging"
  api "$STAGING_PORT" /version
  assert_eq '"staging"' "$(json_get "$HTTP_BODY" 'd["environment"]')" "environment"
  assert_contains "$(cat "$STAGING_DIR/releases/$id/manifest.json")" '"LOG_LEVEL": "info", "LOG_FORMAT": "json", "DB_POOL_SIZE": "10"'
  assert_eq "$STAGING_DIR/.secrets/db_password" "$(kv_get "$STAGING_DIR/releases/$id/release.env" DB_PASSWORD_FILE)"
  assert_eq 444 "$(stat -c %a "$STAGING_DIR/.secrets/db_password")" "mode of the decrypted password"
  assert_eq 700 "$(stat -c %a "$STAGING_DIR/.secrets")" "mode of its directory"
}

prodFromEncryptedSecretsServesTheSearchFlagOff() {
  local count
  with_env prod env DEPLOY_SOURCE_IMAGE="$BASE_IMAGE" "$DEPLOY" --env prod --no-build
  expect_ok "deploy_local.sh --env prod --no-build"
  expect_flag "$PROD_PORT" "$PROD_DIR" false
  post_task "$PROD_PORT" "Write the runbook"
  post_task "$PROD_PORT" "Buy milk"
  api "$PROD_PORT" '/api/v1/tasks?q=runbook'
  count="$(json_get "$HTTP_BODY" 'len(d["items"])')"
  assert_eq 2 "$count" "tasks listed with ?q= while the flag is off (ignored)"
  assert_contains "$(cat "$PROD_DIR/releases/$(current_of "$PROD_DIR")/manifest.json")" '"DB_POOL_SIZE": "20"'
  if grep -rqF -- "$(decrypted_password prod)" "$PROD_DIR/releases" "$PROD_DIR/history.jsonl"; then
    cd_fail "the prod password is written in a release directory or the history"
  fi
}

rollbackBringsBackTheOldConfiguration() {
  local first second file="$TEST_TMP/staging-flag-off.env"
  first="$(current_of "$STAGING_DIR")"
  sed 's/^FEATURE_TASK_SEARCH=true$/FEATURE_TASK_SEARCH=false/' "$REPO_ROOT/deploy/env/staging.env" >"$file"
  grep -q '^FEATURE_TASK_SEARCH=false$' "$file" || cd_fail "could not turn the flag off in $file"
  with_env staging env DEPLOY_ENV_FILE="$file" DEPLOY_SOURCE_IMAGE="$BASE_IMAGE" "$DEPLOY" --env staging --no-build
  expect_ok "deploy_local.sh --env staging (flag off)"
  second="$(current_of "$STAGING_DIR")"
  expect_flag "$STAGING_PORT" "$STAGING_DIR" false
  with_env staging "$ROLLBACK"
  expect_ok "rollback.sh"
  assert_eq "$first" "$(current_of "$STAGING_DIR")" "current after the rollback"
  expect_flag "$STAGING_PORT" "$STAGING_DIR" true
  assert_file "$STAGING_DIR/releases/$second/BAD"
}

rotationChangesThePasswordEverywhereAndRevokesTheOldOne() {
  local old new before
  old="$(decrypted_password staging)"
  before="$(current_of "$STAGING_DIR")"
  db_login_works staging "$old" || cd_fail "the database does not accept the current password before rotation"
  with_env staging "$ROTATE" db-password --env staging --file "$KEYS/staging.enc.yaml"
  expect_ok "secrets_rotate.sh db-password"
  assert_contains "$RUN_OUTPUT" "old one refused by the database"
  new="$(decrypted_password staging)"
  { [ "${#new}" = 32 ] && [ "$new" != "$old" ]; } || cd_fail "the file does not hold a new 32-character password"
  [ "$(current_of "$STAGING_DIR")" != "$before" ] || cd_fail "no new release was deployed"
  api "$STAGING_PORT" /readyz
  assert_eq 200 "$HTTP_STATUS" "/readyz after the rotation"
  db_login_works staging "$new" || cd_fail "the database refuses the new password"
  if db_login_works staging "$old"; then cd_fail "the database still accepts the old password"; fi
  expect_flag "$STAGING_PORT" "$STAGING_DIR" true
}

manifestsAndReleaseFilesValidateAgainstTheSchemas() {
  local manifest
  for manifest in "$STAGING_DIR"/releases/*/manifest.json "$PROD_DIR"/releases/*/manifest.json; do
    cd_validate_json "$REPO_ROOT/deploy/contract/schemas/manifest.schema.json" "$manifest"
  done
}

remove_suite_stacks() {
  cd_remove_stack envse2e-staging "$API_REPO"
  cd_remove_stack envse2e-prod "$API_REPO"
}

main() {
  cd_require_deploy_engine envs-e2e || exit 0
  local tool
  for tool in sops age-keygen python3 check-jsonschema; do
    t_require "envs-e2e: $tool" "$tool" "run scripts/ci/provision.sh" || exit 0
  done
  reldash_build || exit 0
  remove_suite_stacks
  trap remove_suite_stacks EXIT
  local case
  for case in \
    makeThrowawayKeysAndEncryptedSecrets \
    stagingFromEncryptedSecretsServesTheSearchFlagOn \
    prodFromEncryptedSecretsServesTheSearchFlagOff \
    rollbackBringsBackTheOldConfiguration \
    rotationChangesThePasswordEverywhereAndRevokesTheOldOne \
    manifestsAndReleaseFilesValidateAgainstTheSchemas; do
    cd_case "envs-e2e: $case" "$case"
  done
}

main "$@"
