#!/usr/bin/env bash
# End-to-end tests of the simulated CD against real containers: scripts/deploy_local.sh and
# scripts/rollback.sh with the real api image (built once by the first deploy, then deployed with
# --no-build where the scenario allows) and the PostgreSQL image of .tools/local-images.env:
# Capistrano's scenarios, failures and how they are undone (health gate, SIGTERM, pointer switch,
# SIGKILL), the lock, Windows mode, data, retention, saved images, schemas and secrets.
# Everything runs under its own compose project (cde2e), image repository (cde2e-api), host port
# (a free one) and deploy directories in TEST_TMP; all of it is removed at the end.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"
cd_source_libs
export LOG_PREFIX=cd-e2e

readonly PROJECT=cde2e API_REPO=cde2e-api
PORT="$(free_local_port)"
readonly PORT
readonly DEPLOY="$REPO_ROOT/scripts/deploy_local.sh" ROLLBACK="$REPO_ROOT/scripts/rollback.sh"
readonly BASE_IMAGE="$API_REPO:base"
export DEPLOY_PROJECT_NAME="$PROJECT" DEPLOY_IMAGE_REPO="$API_REPO" API_PORT="$PORT"
export DEPLOY_SECRETS_DIR="$TEST_TMP/secrets" DEPLOY_SOURCE_IMAGE="$BASE_IMAGE"
export DEPLOY_HTTP_CLIENT=auto
# The old slot stops at once: draining (readiness off, SHUTDOWN_DRAIN_DELAY, in-flight requests
# finishing under load) is e2e/35-cd-zero-downtime's subject; here it would add 2 s to each of
# the suite's ~40 deploys and rollbacks, twice with the Compose v2 replay.
export SHUTDOWN_DRAIN_DELAY=0
unset DEPLOY_DIR DEPLOY_POINTER DEPLOY_COMPOSE_FILE

# --- helpers ---------------------------------------------------------------------------------

# run_script SCRIPT DIR ARGS...: runs SCRIPT on deploy dir DIR; exit code in RUN_CODE, output in
# RUN_OUTPUT (also appended to DIR.out for the failure report).
run_script() {
  local script="$1" dir="$2"
  shift 2
  RUN_CODE=0
  RUN_OUTPUT="$(DEPLOY_DIR="$dir" "$script" "$@" 2>&1)" || RUN_CODE=$?
  printf '%s\n' "$RUN_OUTPUT" >>"$dir.out"
}

run_deploy() { run_script "$DEPLOY" "$@"; }
run_rollback() { run_script "$ROLLBACK" "$@"; }

# expect_code CODE WHAT: the last run exited CODE.
expect_code() {
  [ "$RUN_CODE" = "$1" ] || cd_fail "$2 exited $RUN_CODE, expected $1: $(printf '%s' "$RUN_OUTPUT" | tail -n 8)"
}

# deploy_ok DIR ARGS...: a deploy that must succeed; sets DEPLOYED to the new current id.
deploy_ok() {
  run_deploy "$@"
  expect_code 0 "deploy_local.sh ${*:2}"
  DEPLOYED="$(current_of "$1")"
}

# current_of DIR: prints the current release id of DIR (fails on an unusable pointer).
current_of() {
  pointer_read "$1" || cd_fail "pointer of $1: $POINTER_ERROR"
  printf '%s' "$POINTER_ID"
}

# serving_release: prints the release_id reported by the api's /version.
serving_release() {
  http_get "http://127.0.0.1:$PORT/version" 5 || cd_fail "the api does not answer on port $PORT"
  health_version_release_id "$HTTP_BODY"
}

# broken_compose_file: prints the path of a compose file whose api can never reach its database
# (wrong port): the api never becomes ready.
broken_compose_file() {
  local file="$TEST_TMP/broken-compose.yml"
  sed 's/DATABASE_PORT: "5432"/DATABASE_PORT: "1"/' "$REPO_ROOT/deploy/docker-compose.yml" >"$file"
  grep -q 'DATABASE_PORT: "1"' "$file" || cd_fail "could not make the broken compose file"
  printf '%s' "$file"
}

# remove_suite_stack: containers, network, volume and images of this suite.
remove_suite_stack() {
  cd_remove_stack "$PROJECT" "$API_REPO"
}

# --- scenarios -------------------------------------------------------------------------------

# The real build path: the first deploy builds the api image from the repository, tagged with the
# release id and labelled with the commit. The image is then the base of --no-build deploys.
deployBuildsTheImageTaggedWithTheReleaseIdAndLabelledWithTheCommit() {
  local dir="$TEST_TMP/cap1" r1 label
  deploy_ok "$dir"
  r1="$DEPLOYED"
  docker tag "$API_REPO:$r1" "$BASE_IMAGE"
  assert_eq "$r1" "$(serving_release)" "release serving after the first deploy"
  label="$(docker image inspect --format '{{ index .Config.Labels "org.opencontainers.image.revision" }}' "$API_REPO:$r1")"
  assert_eq "$(git -C "$REPO_ROOT" rev-parse HEAD)" "$label" "revision label of $API_REPO:$r1"
  assert_contains "$(cat "$dir/releases/$r1/manifest.json")" "\"ref\": \"$API_REPO:$r1\""
}

# Capistrano's first scenario; the second deploy builds again (from BuildKit's cache).
capistranoDeployTwiceThenRollbackServesTheFirstRelease() {
  local dir="$TEST_TMP/cap1" r1 r2
  r1="$(current_of "$dir")"
  [ -n "$r1" ] || cd_fail "the first deploy of $dir did not succeed"
  deploy_ok "$dir"
  r2="$DEPLOYED"
  assert_eq "$r2" "$(serving_release)" "release serving after deploy 2"
  run_rollback "$dir"
  expect_code 0 "rollback.sh"
  assert_eq "$r1" "$(serving_release)" "release serving after the rollback"
  assert_eq "$r1" "$(current_of "$dir")" "current after the rollback"
  assert_eq "rolled back from, to $r1" "$(kv_get "$dir/releases/$r2/BAD" reason)" "BAD marker of $r2"
  assert_contains "$(tail -n 1 "$dir/history.jsonl")" "\"event\":\"rollback\",\"action\":\"rollback\",\"release_id\":\"$r1\""
}

capistranoDeployThreeTimesThenRollbackToTheFirstServesIt() {
  local dir="$TEST_TMP/cap2" r1 r2 r3
  deploy_ok "$dir" --no-build
  r1="$DEPLOYED"
  deploy_ok "$dir" --no-build
  r2="$DEPLOYED"
  deploy_ok "$dir" --no-build
  r3="$DEPLOYED"
  assert_eq "$r3" "$(serving_release)" "release serving after deploy 3"
  run_rollback "$dir" --to "$r1"
  expect_code 0 "rollback.sh --to $r1"
  assert_eq "$r1" "$(serving_release)" "release serving after rollback --to"
  assert_eq "$r1" "$(current_of "$dir")" "current"
  assert_file "$dir/releases/$r3/BAD"
  assert_no_path "$dir/releases/$r2/BAD"
}

# The target's own compose copy is made unable to reach the database: the rollback fails its
# health gate, the target is marked BAD, and the release that was serving comes back.
rollbackToATargetThatNeverBecomesHealthyBringsTheCurrentBack() {
  local dir="$TEST_TMP/cap2" current target
  current="$(current_of "$dir")"
  target="$(release_list "$dir" | tail -n 2 | head -n 1)"
  if [ -z "$current" ] || [ -z "$target" ] || [ "$target" = "$current" ]; then
    cd_fail "cap2 has no release to roll back to besides the current one"
  fi
  cp "$(broken_compose_file)" "$dir/releases/$target/docker-compose.yml"
  run_rollback "$dir" --to "$target" --timeout 8
  expect_code 1 "rollback to a target that never becomes healthy"
  assert_contains "$RUN_OUTPUT" "release $current is serving again"
  assert_eq "$current" "$(current_of "$dir")" "current after the failed rollback"
  assert_eq "$current" "$(serving_release)" "release serving after the failed rollback"
  assert_contains "$(kv_get "$dir/releases/$target/BAD" reason)" "failed its health gate during a rollback"
  assert_contains "$(tail -n 1 "$dir/history.jsonl")" '"event":"failure","action":"rollback"'
}

# two_releases DIR: deploys twice with --no-build; sets R1 and R2 (current).
two_releases() {
  deploy_ok "$1" --no-build
  R1="$DEPLOYED"
  deploy_ok "$1" --no-build
  R2="$DEPLOYED"
}

# The operator stops a rollback (SIGTERM, what reldash sends on Ctrl-C) while its health gate
# waits for a target that cannot become ready: the release that was serving comes back and is
# verified, the failure is in the history, and the target is NOT marked BAD (its health was not
# what stopped the rollback), so it is still the rollback target once repaired.
rollbackStoppedBySigtermWhileTheTargetStartsBringsTheCurrentBackWithoutBlamingIt() {
  local dir="$TEST_TMP/stop" pid code=0 compose
  two_releases "$dir"
  compose="$dir/releases/$R1/docker-compose.yml"
  cp "$compose" "$TEST_TMP/stop-compose.yml"
  cp "$(broken_compose_file)" "$compose"
  DEPLOY_DIR="$dir" "$ROLLBACK" --timeout 120 >"$dir.stopped.out" 2>&1 &
  pid=$!
  t_wait_for "the rollback's health gate" 60 grep -q "health gate:" "$dir.stopped.out" ||
    cd_fail "the rollback never reached its health gate: $(tail -n 5 "$dir.stopped.out")"
  kill -TERM "$pid"
  wait "$pid" || code=$?
  RUN_OUTPUT="$(cat "$dir.stopped.out")"
  assert_eq 1 "$code" "exit of the stopped rollback"
  assert_contains "$RUN_OUTPUT" "stopped by SIGTERM while release $R1 was starting"
  assert_contains "$RUN_OUTPUT" "release $R2 is serving again"
  assert_eq "$R2" "$(current_of "$dir")" "current after the stopped rollback"
  assert_eq "$R2" "$(serving_release)" "release serving after the stopped rollback"
  assert_no_path "$dir/releases/$R1/BAD"
  assert_no_path "$dir/.lock"
  assert_contains "$(tail -n 1 "$dir/history.jsonl")" '"event":"failure","action":"rollback"'
  assert_contains "$(tail -n 1 "$dir/history.jsonl")" "stopped by SIGTERM"
  cp "$TEST_TMP/stop-compose.yml" "$compose"
  run_rollback "$dir"
  expect_code 0 "rollback once the target is repaired"
  assert_eq "$R1" "$(serving_release)" "release serving after the second rollback"
}

# The target comes up healthy but the pointer cannot be switched (symlink mode, an `ln` that
# copies): the release that was serving comes back, the target is not blamed.
rollbackWhosePointerSwitchFailsBringsTheCurrentBack() {
  local dir="$TEST_TMP/stop" current target
  deploy_ok "$dir" --no-build
  current="$DEPLOYED"
  target="$(release_rollback_target "$dir" "$current")"
  [ -n "$target" ] || cd_fail "no rollback target in $dir"
  cd_fake_ln_copies
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_POINTER=symlink run_rollback "$dir"
  expect_code 1 "rollback whose pointer switch fails"
  assert_contains "$RUN_OUTPUT" "could not create a symlink"
  assert_contains "$RUN_OUTPUT" "release $current is serving again"
  assert_eq "$current" "$(current_of "$dir")" "current"
  assert_eq "$current" "$(serving_release)" "release serving"
  assert_no_path "$dir/releases/$target/BAD"
}

# A second stop while the release that was serving is being restored abandons the restore
# (both releases are made unable to become ready, so the restore is surely still waiting): the
# script says so, exits 1 and releases the lock; nothing is marked BAD.
rollbackStoppedTwiceAbandonsTheRestoreAndSaysSo() {
  local dir="$TEST_TMP/stop" current target pid code=0 out="$TEST_TMP/stop.twice.out"
  current="$(current_of "$dir")"
  target="$(release_rollback_target "$dir" "$current")"
  [ -n "$target" ] || cd_fail "no rollback target in $dir"
  cp "$(broken_compose_file)" "$dir/releases/$target/docker-compose.yml"
  cp "$(broken_compose_file)" "$dir/releases/$current/docker-compose.yml"
  # shellcheck disable=SC2016 # expanded by the inner bash
  DEPLOY_DIR="$dir" setsid bash -c 'echo $$ >"$1"; exec "$2" --timeout 120' _ "$TEST_TMP/twice.pid" "$ROLLBACK" \
    >"$out" 2>&1 &
  t_wait_for "the rollback's health gate" 60 grep -q "health gate: .*= $target" "$out" ||
    cd_fail "the rollback never reached its health gate: $(tail -n 5 "$out")"
  pid="$(cat "$TEST_TMP/twice.pid")"
  # With two slots the current release keeps serving during a rollback, so a restore only has
  # work to do when the current's slot died too: kill it, the restore must start it again.
  docker kill "$(slot_container "$PROJECT" "$(proxy_live_slot "$dir")")" >/dev/null
  kill -TERM -- "-$pid"
  t_wait_for "the restore's health gate" 60 grep -q "health gate: .*= $current" "$out" ||
    cd_fail "the restore never reached its health gate: $(tail -n 5 "$out")"
  kill -TERM -- "-$pid"
  wait "$pid" || code=$?
  RUN_OUTPUT="$(cat "$out")"
  assert_eq 1 "$code" "exit of the rollback stopped twice"
  assert_contains "$RUN_OUTPUT" "the restore of $current was interrupted"
  assert_no_path "$dir/.lock"
  assert_eq "$current" "$(current_of "$dir")" "current"
  assert_no_path "$dir/releases/$target/BAD"
}

# image_id REF: prints the id of a local image ("" when it is not in the engine).
image_id() {
  docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

# Release 1 is deployed with --save-image from an image of its own, which is then removed from
# the engine. A damaged archive is refused (exit 3, nothing changed); the intact one is loaded
# and release 1 serves again.
rollbackLoadsTheSavedImageOfATargetWhoseImageWasRemoved() {
  local dir="$TEST_TMP/saved" source="$API_REPO:saved-source" r1 r2 id archive before
  printf 'FROM %s\nLABEL io.tasks-api.test=saved-image\n' "$BASE_IMAGE" |
    DOCKER_BUILDKIT=1 docker build -q -t "$source" - >/dev/null || cd_fail "could not derive $source"
  DEPLOY_SOURCE_IMAGE="$source" deploy_ok "$dir" --no-build --save-image
  r1="$DEPLOYED"
  archive="$dir/releases/$r1/image.tar.gz"
  assert_file "$archive"
  assert_eq "$(sha256sum "$archive" | cut -d' ' -f1)" \
    "$(manifest_artifact_sha256 "$dir/releases/$r1/manifest.json" image.tar.gz)" "sha256 listed in the manifest"
  deploy_ok "$dir" --no-build
  r2="$DEPLOYED"
  id="$(image_id "$API_REPO:$r1")"
  docker rmi "$API_REPO:$r1" "$source" >/dev/null
  assert_eq "" "$(image_id "$id")" "image $id after removing its tags"
  cp "$archive" "$TEST_TMP/saved-archive"
  printf 'x' | dd of="$archive" bs=1 seek=1000 conv=notrunc status=none
  before="$(cd_snapshot "$dir")"
  run_rollback "$dir"
  expect_code 3 "rollback with a damaged saved image"
  assert_contains "$RUN_OUTPUT" "image.tar.gz is damaged"
  assert_contains "$RUN_OUTPUT" "Nothing was changed"
  assert_eq "$before" "$(cd_snapshot "$dir")" "deploy dir"
  assert_eq "" "$(image_id "$id")" "image after the refused rollback"
  assert_eq "$r2" "$(serving_release)" "release serving after the refused rollback"
  cp "$TEST_TMP/saved-archive" "$archive"
  run_rollback "$dir"
  expect_code 0 "rollback loading the saved image"
  assert_contains "$RUN_OUTPUT" "loaded $API_REPO:$r1 from"
  assert_eq "$id" "$(image_id "$API_REPO:$r1")" "id of the loaded image"
  assert_eq "$r1" "$(serving_release)" "release serving after the rollback"
}

rollbackWithASingleReleaseRefusesAndChangesNothing() {
  local dir="$TEST_TMP/single" r1 before
  deploy_ok "$dir" --no-build
  r1="$DEPLOYED"
  before="$(cd_snapshot "$dir")"
  run_rollback "$dir"
  expect_code 3 "rollback.sh with one release"
  assert_contains "$RUN_OUTPUT" "no release to roll back to"
  assert_eq "$before" "$(cd_snapshot "$dir")" "deploy dir"
  assert_eq "$r1" "$(serving_release)" "release serving"
}

releaseThatNeverBecomesReadyFailsAndThePreviousServes() {
  local dir="$TEST_TMP/single" previous failed
  previous="$(current_of "$dir")"
  if [ -z "$previous" ]; then
    deploy_ok "$dir" --no-build
    previous="$DEPLOYED"
  fi
  DEPLOY_COMPOSE_FILE="$(broken_compose_file)" run_deploy "$dir" --no-build --timeout 8
  expect_code 1 "deploy of a release that never becomes ready"
  failed="$(release_newest "$dir")"
  [ "$failed" != "$previous" ] || cd_fail "no new release directory"
  assert_contains "$(cat "$dir/releases/$failed/manifest.json")" '"status": "failed"'
  assert_contains "$(kv_get "$dir/releases/$failed/BAD" reason)" "health gate failed"
  assert_eq "$previous" "$(current_of "$dir")" "current after the failure"
  assert_eq "$previous" "$(serving_release)" "release serving after the failure"
  assert_contains "$RUN_OUTPUT" "release $previous is serving again"
  assert_contains "$(tail -n 1 "$dir/history.jsonl")" '"event":"failure","action":"deploy"'
  assert_contains "$(cat "$dir/releases/$failed/deploy.log")" "last lines of the api"
}

twoDeploysAtOnceTheSecondIsRefusedNamingTheHolder() {
  local dir="$TEST_TMP/single" first_pid first_code=0 previous
  previous="$(current_of "$dir")"
  # The first deploy holds the lock through an 8 s health gate that cannot pass.
  DEPLOY_DIR="$dir" DEPLOY_COMPOSE_FILE="$(broken_compose_file)" "$DEPLOY" --no-build --timeout 8 \
    >"$dir.first.out" 2>&1 &
  first_pid=$!
  t_wait_for "the first deploy's lock" 20 test -f "$dir/.lock/info" || cd_fail "the first deploy never took the lock"
  run_deploy "$dir" --no-build
  expect_code 3 "the second deploy"
  assert_contains "$RUN_OUTPUT" "pid $first_pid"
  assert_contains "$RUN_OUTPUT" "another deployment holds"
  wait "$first_pid" || first_code=$?
  assert_eq 1 "$first_code" "exit of the first deploy (its release never became ready)"
  assert_eq "$previous" "$(current_of "$dir")" "current"
  assert_no_path "$dir/.lock"
}

staleLockIsRecoveredByTheNextDeploy() {
  local dir="$TEST_TMP/single" dead new
  bash -c 'exit 0' &
  dead=$!
  wait "$dead"
  mkdir "$dir/.lock"
  printf 'owner=ghost@%s\npid=%s\nhost=%s\nstarted=2026-01-01T00:00:00Z\ncommand=deploy_local.sh\n' \
    "$(lock_hostname)" "$dead" "$(lock_hostname)" >"$dir/.lock/info"
  deploy_ok "$dir" --no-build
  new="$DEPLOYED"
  assert_contains "$RUN_OUTPUT" "cleared a stale lock"
  assert_eq "$new" "$(serving_release)" "release serving"
  assert_no_path "$dir/.lock"
}

deployKilledMidWayLeavesCurrentValidAndAnIncompleteRelease() {
  local dir="$TEST_TMP/single" previous killed pid
  previous="$(current_of "$dir")"
  # shellcheck disable=SC2016 # expanded by the inner bash
  DEPLOY_DIR="$dir" DEPLOY_COMPOSE_FILE="$(broken_compose_file)" setsid bash -c \
    'echo $$ >"$1"; exec "$2" --no-build --timeout 120' _ "$TEST_TMP/killed.pid" "$DEPLOY" \
    >"$dir.killed.out" 2>&1 &
  t_wait_for "the deploy's health gate" 60 grep -q "health gate:" "$dir.killed.out" ||
    cd_fail "the deploy never reached its health gate: $(tail -n 5 "$dir.killed.out")"
  pid="$(cat "$TEST_TMP/killed.pid")"
  kill -KILL -- "-$pid"
  t_wait_for "the killed deploy to be gone" 10 bash -c "! kill -0 $pid 2>/dev/null"
  killed="$(release_newest "$dir")"
  assert_eq "$previous" "$(current_of "$dir")" "current after SIGKILL"
  assert_no_path "$dir/releases/$killed/manifest.json"
  assert_eq incomplete "$(release_status "$dir" "$killed" "$previous")" "status of the killed release"
  run_rollback "$dir" --list
  expect_code 0 "rollback.sh --list"
  assert_contains "$(printf '%s\n' "$RUN_OUTPUT" | grep "^$killed")" "incomplete"
  local next
  deploy_ok "$dir" --no-build
  next="$DEPLOYED"
  assert_contains "$RUN_OUTPUT" "cleared a stale lock"
  assert_eq "$next" "$(serving_release)" "release serving after the next deploy"
  run_rollback "$dir" --to "$killed"
  expect_code 3 "rollback to the incomplete release"
}

windowsModeBothScriptsWorkThroughCurrentTxt() {
  local dir="$TEST_TMP/windows" r1 r2
  cd_fake_ln_copies
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_POINTER=auto deploy_ok "$dir" --no-build
  r1="$DEPLOYED"
  assert_contains "$RUN_OUTPUT" "(file pointer)"
  assert_no_path "$dir/current"
  assert_eq "$r1" "$(cat "$dir/current.txt")" "current.txt after deploy 1 (auto mode, copying ln)"
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_POINTER=file deploy_ok "$dir" --no-build
  r2="$DEPLOYED"
  assert_eq "$r2" "$(cat "$dir/current.txt")" "current.txt after deploy 2"
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_POINTER=file run_rollback "$dir"
  expect_code 0 "rollback.sh in file mode"
  assert_eq "$r1" "$(cat "$dir/current.txt")" "current.txt after the rollback"
  assert_no_path "$dir/current"
  assert_eq "$r1" "$(serving_release)" "release serving after the rollback"
}

dataCreatedUnderRelease1SurvivesDeploy2AndTheRollback() {
  local dir="$TEST_TMP/data" r1 location answer
  deploy_ok "$dir" --no-build
  r1="$DEPLOYED"
  answer="$(curl -sS -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"title":"written under release 1"}' "http://127.0.0.1:$PORT/api/v1/tasks")"
  assert_contains "$answer" " 201"
  location="$(printf '%s\n' "$answer" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')"
  [ -n "$location" ] || cd_fail "no Location header: $answer"
  deploy_ok "$dir" --no-build
  assert_contains "$(curl -sS "http://127.0.0.1:$PORT$location")" "written under release 1" "task after deploy 2"
  run_rollback "$dir"
  expect_code 0 "rollback.sh"
  assert_eq "$r1" "$(serving_release)" "release serving"
  assert_contains "$(curl -sS "http://127.0.0.1:$PORT$location")" "written under release 1" "task after the rollback"
}

retentionKeepsTheFiveNewestAfterSevenDeploys() {
  local dir="$TEST_TMP/retention"
  local -a ids=()
  for _ in 1 2 3 4 5 6 7; do
    deploy_ok "$dir" --no-build --keep 5
    ids+=("$DEPLOYED")
  done
  assert_eq "${ids[*]:2}" "$(release_list "$dir" | tr '\n' ' ' | sed 's/ $//')" "releases kept"
  if docker image inspect "$API_REPO:${ids[0]}" >/dev/null 2>&1; then cd_fail "image of pruned ${ids[0]} kept"; fi
  docker image inspect "$API_REPO:${ids[2]}" >/dev/null 2>&1 || cd_fail "image of kept ${ids[2]} removed"
  printf '%s\n' "${ids[@]}" >"$TEST_TMP/retention.ids"
}

retentionNeverRemovesCurrentOrPrevious() {
  local dir="$TEST_TMP/retention" r8
  local -a ids=()
  mapfile -t ids <"$TEST_TMP/retention.ids"
  # Roll back to the oldest kept release, then deploy keeping only 2: the release that was
  # current (now previous) and the new current must stay; so does the rollback target.
  run_rollback "$dir" --to "${ids[2]}"
  expect_code 0 "rollback.sh --to ${ids[2]}"
  deploy_ok "$dir" --no-build --keep 2
  r8="$DEPLOYED"
  assert_eq "${ids[2]} ${ids[5]} ${ids[6]} $r8" "$(release_list "$dir" | tr '\n' ' ' | sed 's/ $//')" \
    "releases kept (previous ${ids[2]}, rollback target ${ids[5]}, newest two)"
}

everyManifestAndHistoryLineValidatesAgainstTheSchemas() {
  local -a manifests=()
  mapfile -t manifests < <(find "$TEST_TMP" -path '*/releases/*/manifest.json' | sort)
  [ "${#manifests[@]}" -ge 15 ] || cd_fail "only ${#manifests[@]} manifests found"
  cd_validate_json "$REPO_ROOT/deploy/contract/schemas/manifest.schema.json" "${manifests[@]}"
  local history
  while IFS= read -r history; do
    cd_validate_jsonl "$REPO_ROOT/deploy/contract/schemas/history-line.schema.json" "$history"
  done < <(find "$TEST_TMP" -name history.jsonl)
}

noSecretInAnyReleaseDirectoryOrHistory() {
  local password found
  password="$(cat "$DEPLOY_SECRETS_DIR/db_password.txt")"
  [ "${#password}" -ge 20 ] || cd_fail "the test password is too short to search for"
  found="$(grep -rlF -- "$password" "$TEST_TMP"/*/releases "$TEST_TMP"/*/history.jsonl "$TEST_TMP"/*.out 2>/dev/null || true)"
  assert_eq "" "$found" "files containing the database password"
  local container
  container="$(docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "name=api-" | head -n 1)"
  [ -n "$container" ] || cd_fail "no api container (slot api-blue or api-green)"
  assert_not_contains "$(docker inspect "$container")" "$password" "docker inspect of the api"
}

# --- suite -----------------------------------------------------------------------------------

prerequisites() {
  cd_require_deploy_engine cd-e2e || return 1
  t_require "cd-e2e: check-jsonschema" check-jsonschema "run scripts/ci/provision.sh" || return 1
}

main() {
  prerequisites || exit 0
  remove_suite_stack
  trap remove_suite_stack EXIT
  cd_make_secret "$DEPLOY_SECRETS_DIR"
  local case
  for case in \
    deployBuildsTheImageTaggedWithTheReleaseIdAndLabelledWithTheCommit \
    capistranoDeployTwiceThenRollbackServesTheFirstRelease \
    capistranoDeployThreeTimesThenRollbackToTheFirstServesIt \
    rollbackToATargetThatNeverBecomesHealthyBringsTheCurrentBack \
    rollbackStoppedBySigtermWhileTheTargetStartsBringsTheCurrentBackWithoutBlamingIt \
    rollbackWhosePointerSwitchFailsBringsTheCurrentBack \
    rollbackStoppedTwiceAbandonsTheRestoreAndSaysSo \
    rollbackLoadsTheSavedImageOfATargetWhoseImageWasRemoved \
    rollbackWithASingleReleaseRefusesAndChangesNothing \
    releaseThatNeverBecomesReadyFailsAndThePreviousServes \
    twoDeploysAtOnceTheSecondIsRefusedNamingTheHolder \
    staleLockIsRecoveredByTheNextDeploy \
    deployKilledMidWayLeavesCurrentValidAndAnIncompleteRelease \
    windowsModeBothScriptsWorkThroughCurrentTxt \
    dataCreatedUnderRelease1SurvivesDeploy2AndTheRollback \
    retentionKeepsTheFiveNewestAfterSevenDeploys \
    retentionNeverRemovesCurrentOrPrevious \
    everyManifestAndHistoryLineValidatesAgainstTheSchemas \
    noSecretInAnyReleaseDirectoryOrHistory; do
    cd_case "cd-e2e: $case" "$case"
  done
}

main "$@"
