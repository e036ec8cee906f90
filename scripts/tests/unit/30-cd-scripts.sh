#!/usr/bin/env bash
# Unit tests of scripts/deploy_local.sh and scripts/rollback.sh that need no Docker engine:
# argument parsing and --help, exit codes of refusals (lock held, preflight, no rollback target,
# unknown, invalid or BAD target, image gone, saved image damaged), rollback.sh --list, and the
# database image a deploy pins with and without .tools/local-images.env. Fixtures are release
# directories written by the library; `docker` is a fake command where the engine would be asked.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
cd_source_libs
export LOG_PREFIX=cd-test
readonly DEPLOY="$REPO_ROOT/scripts/deploy_local.sh" ROLLBACK="$REPO_ROOT/scripts/rollback.sh"
readonly ID1=20260101T100000Z ID2=20260101T110000Z ID3=20260101T120000Z

# _fake_docker [IMAGES_PRESENT]: a docker whose engine answers; `image inspect` succeeds only when
# IMAGES_PRESENT is 1; `compose version` fails (docker-compose is then looked up on PATH).
_fake_docker() {
  cd_fake_command docker "
case \"\$1 \$2\" in
  'info '*) exit 0 ;;
  'image inspect') exit $((1 - ${1:-1})) ;;
  *) exit 1 ;;
esac"
  cd_fake_command docker-compose 'exit 0'
}

# _usage_options SCRIPT: prints the long options listed in SCRIPT --help, with a sample value.
_usage_options() {
  "$1" --help | sed -n '/^Options:/,/^$/p' | grep -oE '^  --[a-z-]+( [A-Z]+)?' | sed 's/^  //' |
    sed -e 's/ NAME$/ dev/' -e 's/ N$/ 3/' -e 's/ S$/ 10/' -e "s/ ID$/ $ID1/"
}

deployHelpListsOnlyOptionsTheParserAccepts() {
  local option count=0
  assert_exit 0 "$DEPLOY" --help
  assert_contains "$CMD_OUTPUT" "Exit codes: 0 deployed; 1 failed"
  while IFS= read -r option; do
    count=$((count + 1))
    # shellcheck disable=SC2086 # option and its value are two words
    assert_exit 0 "$DEPLOY" $option --help
  done < <(_usage_options "$DEPLOY")
  assert_eq 6 "$count" "options listed by --help"
}

rollbackHelpListsOnlyOptionsTheParserAccepts() {
  local option count=0
  assert_exit 0 "$ROLLBACK" -h
  while IFS= read -r option; do
    [ "$option" = "--list" ] && continue
    count=$((count + 1))
    # shellcheck disable=SC2086 # option and its value are two words
    assert_exit 0 "$ROLLBACK" $option --help
  done < <(_usage_options "$ROLLBACK")
  assert_eq 2 "$count" "options with --help (besides --list)"
}

deployRejectsMalformedArgumentsWithExitTwo() {
  assert_exit 2 "$DEPLOY" --env qa
  assert_contains "$CMD_OUTPUT" "use dev, staging or prod"
  assert_exit 2 "$DEPLOY" --keep 0
  assert_exit 2 "$DEPLOY" --keep many
  assert_exit 2 "$DEPLOY" --timeout -5
  assert_exit 2 "$DEPLOY" --timeout
  assert_exit 2 "$DEPLOY" --frobnicate
  assert_contains "$CMD_OUTPUT" "unknown argument '--frobnicate'"
  DEPLOY_DIR="$CASE_DIR/d" DEPLOY_POINTER=hardlink assert_exit 2 "$DEPLOY"
  assert_contains "$CMD_OUTPUT" "DEPLOY_POINTER='hardlink'"
  DEPLOY_DIR="$CASE_DIR/d" API_PORT=70000 assert_exit 2 "$DEPLOY"
  DEPLOY_DIR="$CASE_DIR/d" DEPLOY_PROJECT_NAME="Bad Name" assert_exit 2 "$DEPLOY"
  assert_no_path "$CASE_DIR/d"
}

rollbackRejectsMalformedArgumentsWithExitTwo() {
  assert_exit 2 "$ROLLBACK" --to yesterday
  assert_contains "$CMD_OUTPUT" "not a release id"
  assert_exit 2 "$ROLLBACK" --list --to "$ID1"
  assert_exit 2 "$ROLLBACK" --timeout 0
  assert_exit 2 "$ROLLBACK" extra
}

deployRefusesWhileAnotherDeployHoldsTheLock() {
  mkdir -p d/.lock
  printf 'owner=alice@%s\npid=%s\nhost=%s\nstarted=2026-01-01T10:00:00Z\ncommand=deploy_local.sh --env dev\n' \
    "$(lock_hostname)" "$$" "$(lock_hostname)" >d/.lock/info
  local before
  before="$(cd_snapshot d)"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$DEPLOY" --no-build
  assert_contains "$CMD_OUTPUT" "alice@"
  assert_contains "$CMD_OUTPUT" "pid $$"
  assert_eq "$before" "$(cd_snapshot d)" "deploy dir"
}

deployRefusesWhenTheDockerEngineDoesNotAnswer() {
  cd_fake_command docker 'exit 1'
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$DEPLOY"
  assert_contains "$CMD_OUTPUT" "Docker engine does not answer"
  assert_no_path d/.lock
  assert_no_path d/releases
}

deployRefusesWithoutTheDatabasePassword() {
  _fake_docker 1
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SECRETS_DIR="$CASE_DIR/secrets" \
    POSTGRES_IMAGE=p:1 assert_exit 3 "$DEPLOY" --env staging
  assert_contains "$CMD_OUTPUT" "database password of 'staging' is missing"
  assert_contains "$CMD_OUTPUT" "$CASE_DIR/secrets/db_password.txt"
  mkdir -p secrets
  printf 'pw\n' >secrets/db_password.txt
  chmod 600 secrets/db_password.txt
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SECRETS_DIR="$CASE_DIR/secrets" \
    POSTGRES_IMAGE=p:1 assert_exit 3 "$DEPLOY" --env staging
  assert_contains "$CMD_OUTPUT" "not readable by the containers"
  assert_no_path d/releases
}

deployRefusesAnInconsistentPointer() {
  _fake_docker 1
  fx_release "$CASE_DIR/d" "$ID1" deployed
  fx_release "$CASE_DIR/d" "$ID2" deployed
  ln -s "releases/$ID1" d/current
  printf '%s\n' "$ID2" >d/current.txt
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$DEPLOY" --no-build
  assert_contains "$CMD_OUTPUT" "unusable current pointer"
}

deployRefusesToMixEnvironmentsInOneDeployDir() {
  _fake_docker 1
  fx_release "$CASE_DIR/d" "$ID1" deployed dev
  ln -s "releases/$ID1" d/current
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$DEPLOY" --env prod --no-build
  assert_contains "$CMD_OUTPUT" "holds the 'dev' environment"
  assert_eq "$ID1" "$(release_list d | tr '\n' ' ' | sed 's/ $//')" "releases"
}

deployNoBuildRefusesWhenNothingIsDeployed() {
  _fake_docker 1
  mkdir -p secrets
  (umask 022 && printf 'pw\n' >secrets/db_password.txt)
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SECRETS_DIR="$CASE_DIR/secrets" \
    POSTGRES_IMAGE=p:1 assert_exit 3 "$DEPLOY" --no-build
  assert_contains "$CMD_OUTPUT" "deploy once without --no-build"
}

rollbackWithASingleReleaseRefusesAndChangesNothing() {
  fx_release "$CASE_DIR/d" "$ID1" deployed
  ln -s "releases/$ID1" d/current
  local before
  before="$(cd_snapshot d)"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK"
  assert_contains "$CMD_OUTPUT" "no release to roll back to"
  assert_contains "$CMD_OUTPUT" "nothing was changed"
  assert_eq "$before" "$(cd_snapshot d)" "deploy dir"
}

rollbackWithNothingDeployedRefuses() {
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK"
  assert_contains "$CMD_OUTPUT" "nothing is deployed"
}

rollbackToAnUnknownBadIncompleteOrCurrentReleaseRefuses() {
  fx_release "$CASE_DIR/d" "$ID1" bad
  fx_release "$CASE_DIR/d" "$ID2" incomplete
  fx_release "$CASE_DIR/d" "$ID3" deployed
  printf '%s\n' "$ID3" >d/current.txt
  local before
  before="$(cd_snapshot d)"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK" --to "$ID1"
  assert_contains "$CMD_OUTPUT" "marked BAD"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK" --to "$ID2"
  assert_contains "$CMD_OUTPUT" "incomplete"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK" --to 20250101T000000Z
  assert_contains "$CMD_OUTPUT" "unknown_release: no such release"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK" --to "$ID3"
  assert_contains "$CMD_OUTPUT" "already the current release"
  assert_eq "$before" "$(cd_snapshot d)" "deploy dir"
}

rollbackRefusesWhenTheTargetImageIsGone() {
  _fake_docker 0
  fx_release "$CASE_DIR/d" "$ID1" deployed
  fx_release "$CASE_DIR/d" "$ID2" deployed
  ln -s "releases/$ID2" d/current
  local before
  before="$(cd_snapshot d)"
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK"
  assert_contains "$CMD_OUTPUT" "never rebuilds"
  assert_contains "$CMD_OUTPUT" "fx-api:$ID1"
  assert_contains "$CMD_OUTPUT" "0123456789abcdef0123456789abcdef01234567"
  assert_eq "$before" "$(cd_snapshot d)" "deploy dir"
}

rollbackRefusesATargetMadeBeforeTheSlotsAndChangesNothing() {
  _fake_docker 0
  fx_release "$CASE_DIR/d" "$ID1" deployed
  fx_release "$CASE_DIR/d" "$ID2" deployed
  sed -i '/^PROXY_CONFIG_DIR=/d; /^SLOT=/d' "d/releases/$ID1/release.env"
  ln -s "releases/$ID2" d/current
  local before
  before="$(cd_snapshot d)"
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK"
  assert_contains "$CMD_OUTPUT" "made before the blue/green slots"
  assert_contains "$CMD_OUTPUT" "DEPLOY_SOURCE_IMAGE=fx-api:$ID1 scripts/deploy_local.sh --no-build"
  assert_eq "$before" "$(cd_snapshot d)" "deploy dir"
}

rollbackListShowsDerivedStatusesAndTheDefaultTarget() {
  fx_release "$CASE_DIR/d" "$ID1" deployed
  fx_release "$CASE_DIR/d" "$ID2" failed
  fx_release "$CASE_DIR/d" "$ID3" deployed
  fx_release "$CASE_DIR/d" 20260101T130000Z incomplete
  printf '%s\n' "$ID3" >d/current.txt
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 0 "$ROLLBACK" --list
  local lines
  lines="$(printf '%s\n' "$CMD_OUTPUT" | grep -E '^[0-9]{8}T' | awk '{print $1, $2}' | tr '\n' ',')"
  assert_eq "20260101T130000Z incomplete,$ID3 current,$ID2 failed,$ID1 deployed," "$lines" "listing"
  assert_contains "$(printf '%s\n' "$CMD_OUTPUT" | grep "^$ID1")" "default rollback target"
  assert_contains "$(printf '%s\n' "$CMD_OUTPUT" | grep "^$ID2")" "fixture: failed"
  assert_no_path d/.lock
}

rollbackListShowsTheSlotOfEachReleaseAndTheSlotTheProxyServes() {
  fx_release "$CASE_DIR/d" "$ID1" deployed
  fx_release "$CASE_DIR/d" "$ID2" deployed
  sed -i 's/^SLOT=blue$/SLOT=green/' "d/releases/$ID2/release.env"
  printf '%s\n' "$ID2" >d/current.txt
  mkdir -p d/proxy
  printf 'upstream api_live {\n  server api-green:8080;\n}\n' >d/proxy/upstream.conf
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 0 "$ROLLBACK" --list
  assert_contains "$(printf '%s\n' "$CMD_OUTPUT" | head -n 1)" " SLOT "
  assert_eq green "$(printf '%s\n' "$CMD_OUTPUT" | awk -v id="$ID2" '$1 == id { print $6 }')" "slot column of $ID2"
  assert_eq blue "$(printf '%s\n' "$CMD_OUTPUT" | awk -v id="$ID1" '$1 == id { print $6 }')" "slot column of $ID1"
  assert_contains "$CMD_OUTPUT" "Proxy routes to slot green"
}

# _repo_copy DIR: a copy of the deployment scripts and environment files in DIR, so the scripts
# see DIR as the repository root (with no .tools/local-images.env unless the case writes one),
# and the proxy's configuration they copy into the deploy directory.
_repo_copy() {
  mkdir -p "$1/scripts" "$1/deploy"
  cp "$DEPLOY" "$1/scripts/"
  cp -R "$REPO_ROOT/scripts/lib" "$1/scripts/"
  cp -R "$REPO_ROOT/deploy/proxy" "$1/deploy/"
  cp -R "$REPO_ROOT/deploy/env" "$1/deploy/"
}

# _deploy_stopping_at_up REPO: runs REPO's deploy_local.sh --no-build with the fake engine; the
# deploy writes its release files, then fails at `compose up` (exit 1).
_deploy_stopping_at_up() {
  mkdir -p secrets
  (umask 022 && printf 'pw\n' >secrets/db_password.txt)
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SECRETS_DIR="$CASE_DIR/secrets" \
    DEPLOY_SOURCE_IMAGE=src:1 DEPLOY_COMPOSE_FILE="$REPO_ROOT/deploy/docker-compose.yml" \
    assert_exit 1 env -u POSTGRES_IMAGE "$1/scripts/deploy_local.sh" --no-build --timeout 1
  assert_contains "$CMD_OUTPUT" "'compose up' failed"
}

deployWithoutLocalImagesPinsTheUpstreamPostgresImage() {
  cd_fake_engine_refusing_compose
  _repo_copy "$CASE_DIR/repo"
  _deploy_stopping_at_up "$CASE_DIR/repo"
  assert_eq postgres:15-bookworm "$(kv_get "d/releases/$(release_newest d)/release.env" POSTGRES_IMAGE)" \
    "POSTGRES_IMAGE pinned without .tools/local-images.env"
}

deployPinsThePostgresImageOfLocalImagesEnvOverTheDefault() {
  cd_fake_engine_refusing_compose
  _repo_copy "$CASE_DIR/repo"
  mkdir -p repo/.tools
  printf 'POSTGRES_IMAGE=local-stand-in/postgres:15\n' >repo/.tools/local-images.env
  _deploy_stopping_at_up "$CASE_DIR/repo"
  assert_eq local-stand-in/postgres:15 "$(kv_get "d/releases/$(release_newest d)/release.env" POSTGRES_IMAGE)" \
    "POSTGRES_IMAGE pinned with .tools/local-images.env (loaded before the default is applied)"
}

deployRejectsAMalformedSaveImageSetting() {
  DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SAVE_IMAGE=yes assert_exit 2 "$DEPLOY"
  assert_contains "$CMD_OUTPUT" "DEPLOY_SAVE_IMAGE='yes': use 0 or 1"
  assert_no_path d
}

rollbackToAReleaseWithAnInvalidManifestRefuses() {
  local id
  for id in "$ID1" "$ID2" 20260101T113000Z; do fx_release "$CASE_DIR/d" "$id" deployed; done
  fx_release "$CASE_DIR/d" "$ID3" deployed
  printf '%s\n' "$ID3" >d/current.txt
  head -c 200 "d/releases/$ID1/manifest.json" >truncated && mv truncated "d/releases/$ID1/manifest.json"
  assert_contains "$(cat "d/releases/$ID1/manifest.json")" '"status": "deployed"' "truncated manifest"
  sed -i "s/\"release_id\": \"$ID2\"/\"release_id\": \"$ID1\"/" "d/releases/$ID2/manifest.json"
  sed -i 's/"schema_version": 1,/"schema_version": 2,/' d/releases/20260101T113000Z/manifest.json
  local before
  before="$(cd_snapshot d)"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK"
  assert_contains "$CMD_OUTPUT" "no release to roll back to"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK" --to "$ID1"
  assert_contains "$CMD_OUTPUT" "target_invalid: the release has an invalid manifest.json"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK" --to "$ID2"
  assert_contains "$CMD_OUTPUT" "cannot roll back to $ID2: target_invalid"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK" --to 20260101T113000Z
  assert_contains "$CMD_OUTPUT" "(schema_version_unsupported: manifest.json has a schema_version other than 1)"
  assert_eq "$before" "$(cd_snapshot d)" "deploy dir"
  DEPLOY_DIR="$CASE_DIR/d" assert_exit 0 "$ROLLBACK" --list
  assert_eq 3 "$(printf '%s\n' "$CMD_OUTPUT" | grep -c ' invalid ')" "releases listed as invalid"
}

# _fake_engine_without_api_image: a docker whose engine answers, with no api image (every
# `image inspect` fails) and a `load` that only records that it was called.
_fake_engine_without_api_image() {
  # shellcheck disable=SC2016 # expanded by the fake command
  cd_fake_command docker '
case "$1" in
  info) exit 0 ;;
  load) printf "%s\n" "$*" >>"$CASE_DIR/docker.calls"; exit 0 ;;
esac
exit 1'
  cd_fake_command docker-compose 'exit 0'
}

rollbackRefusesADamagedSavedImageAndChangesNothing() {
  _fake_engine_without_api_image
  mkdir -p "d/releases/$ID1"
  printf 'a saved image\n' | gzip -c >"d/releases/$ID1/image.tar.gz"
  fx_release "$CASE_DIR/d" "$ID1" deployed
  fx_release "$CASE_DIR/d" "$ID2" deployed
  ln -s "releases/$ID2" d/current
  assert_contains "$(cat "d/releases/$ID1/manifest.json")" '"path": "image.tar.gz"' "manifest of $ID1"
  printf 'x' >>"d/releases/$ID1/image.tar.gz"
  local before
  before="$(cd_snapshot d)"
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK"
  assert_contains "$CMD_OUTPUT" "cannot restore the image of release $ID1"
  assert_contains "$CMD_OUTPUT" "image.tar.gz is damaged: its sha256 is"
  assert_contains "$CMD_OUTPUT" "Nothing was changed"
  assert_no_path docker.calls
  assert_eq "$before" "$(cd_snapshot d)" "deploy dir"
}

rollbackRefusesASavedImageTheManifestDoesNotList() {
  _fake_engine_without_api_image
  fx_release "$CASE_DIR/d" "$ID1" deployed
  fx_release "$CASE_DIR/d" "$ID2" deployed
  printf 'a saved image\n' | gzip -c >"d/releases/$ID1/image.tar.gz"
  printf '%s\n' "$ID2" >d/current.txt
  PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/d" assert_exit 3 "$ROLLBACK"
  assert_contains "$CMD_OUTPUT" "is not listed with a sha256 in"
  assert_no_path docker.calls
}

main() {
  local case
  for case in \
    deployHelpListsOnlyOptionsTheParserAccepts \
    rollbackRefusesATargetMadeBeforeTheSlotsAndChangesNothing \
    rollbackListShowsTheSlotOfEachReleaseAndTheSlotTheProxyServes \
    rollbackHelpListsOnlyOptionsTheParserAccepts \
    deployRejectsMalformedArgumentsWithExitTwo \
    rollbackRejectsMalformedArgumentsWithExitTwo \
    deployRefusesWhileAnotherDeployHoldsTheLock \
    deployRefusesWhenTheDockerEngineDoesNotAnswer \
    deployRefusesWithoutTheDatabasePassword \
    deployRefusesAnInconsistentPointer \
    deployRefusesToMixEnvironmentsInOneDeployDir \
    deployNoBuildRefusesWhenNothingIsDeployed \
    rollbackWithASingleReleaseRefusesAndChangesNothing \
    rollbackWithNothingDeployedRefuses \
    rollbackToAnUnknownBadIncompleteOrCurrentReleaseRefuses \
    rollbackRefusesWhenTheTargetImageIsGone \
    rollbackListShowsDerivedStatusesAndTheDefaultTarget \
    deployWithoutLocalImagesPinsTheUpstreamPostgresImage \
    deployPinsThePostgresImageOfLocalImagesEnvOverTheDefault \
    deployRejectsAMalformedSaveImageSetting \
    rollbackToAReleaseWithAnInvalidManifestRefuses \
    rollbackRefusesADamagedSavedImageAndChangesNothing \
    rollbackRefusesASavedImageTheManifestDoesNotList; do
    cd_case "cd-scripts: $case" "$case"
  done
}

main "$@"
