#!/usr/bin/env bash
# Simulated continuous deployment on this machine: builds the api image, starts it with
# deploy/docker-compose.yml as a new timestamped release, gates on its health, switches
# deploy/current, records manifest.json and history.jsonl, and prunes old releases.
# Needs bash 4+, coreutils and docker only (runs in Git Bash on Windows).
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=deploy_local

# shellcheck source=scripts/lib/all.sh
source "$SCRIPT_DIR/lib/all.sh"

usage() {
  cat <<'EOF'
Usage: scripts/deploy_local.sh [--env dev|staging|prod] [--keep N] [--no-build] [--save-image]
                               [--timeout S] [--verbose]

Deploys the working tree as a new release on this machine:
  lock -> preflight -> build the api image, tagged with the release id -> release directory
  (with --save-image, the image saved in it) -> start it in the idle slot (blue or green) ->
  health gate on that slot (/readyz answers 200 and /version reports the new id) -> switch the
  proxy to it (verified through API_PORT) -> switch deploy/current -> manifest.json +
  history.jsonl -> drain and stop the old slot -> keep the N newest releases.
A release that fails is marked BAD and its manifest says "failed"; the proxy never left the
previous release, which keeps serving (verified). See docs/zero-downtime.md.

Options:
  --env NAME    environment: dev, staging or prod (default: dev)
  --keep N      number of releases to keep; current and previous are always kept (default: 5)
  --no-build    do not build: deploy DEPLOY_SOURCE_IMAGE, or the current release's image,
                tagged with the new release id
  --save-image  also save the api image into the release directory (image.tar.gz, listed in
                the manifest with its sha256), so a rollback can load it if the image is
                later removed from the engine (also DEPLOY_SAVE_IMAGE=1)
  --timeout S   seconds the health gate waits for the new release (default: 60)
  --verbose     also stream build and compose output (always kept in the release's deploy.log)
  -h, --help    show this help

Configuration: deploy/env/<env>.env (log level, pool size, limits, port, fault injection,
feature flags), checked against deploy/env/schema.tsv before anything changes, recorded in
release.env and manifest.json (config, flags). Secrets: secrets/<env>.enc.yaml (SOPS + age),
decrypted with the environment's age key into DEPLOY_DIR/.secrets/ (docs/secrets.md).

Environment (defaults in parentheses):
  DEPLOY_DIR (deploy/), DEPLOY_POINTER auto|symlink|file (auto), DEPLOY_COMPOSE_FILE
  (deploy/docker-compose.yml), DEPLOY_PROJECT_NAME (tasks-<env>), DEPLOY_IMAGE_REPO (tasks-api),
  DEPLOY_BUILD_CONTEXT (repository root), DEPLOY_ENV_FILE (deploy/env/<env>.env),
  DEPLOY_SECRETS_FILE (secrets/<env>.enc.yaml when it exists), SOPS_AGE_KEY_FILE (.age/<env>.key),
  DEPLOY_SECRETS_DIR (plaintext db_password.txt instead of SOPS; default secrets/<env>),
  DEPLOY_SOURCE_IMAGE (for --no-build), DEPLOY_SAVE_IMAGE 0|1 (0),
  API_PORT (the env file's; overrides it), FAULT_5XX_RATE (the env file's; overrides it: share
  of /api/ requests answered 500, for alert drills; needs FAULT_INJECTION=true, refused in prod),
  POSTGRES_IMAGE (.tools/local-images.env, else postgres:15-bookworm), PROXY_IMAGE
  (.tools/local-images.env, else nginx:1.22.1).

Exit codes: 0 deployed; 1 failed (the message says what serves now); 2 usage;
3 refused (lock held, preflight failed, nothing changed).
EOF
}

OPT_ENV=dev
OPT_KEEP=5
OPT_NO_BUILD=0
OPT_SAVE_IMAGE="${DEPLOY_SAVE_IMAGE:-0}"
OPT_TIMEOUT=60

# State of the deploy in progress, read by the failure path and the EXIT trap.
NEW_ID=""
NEW_PATH=""
NEW_SLOT=""
PREVIOUS_ID=""
PHASE=""
FINISHED=0
STARTED_MS=0
API_IMAGE=""
IMAGE_VERSION=""
IMAGE_COMMIT=""

# parse_args ARGS...: fills the OPT_* variables.
parse_args() {
  [[ "$OPT_SAVE_IMAGE" =~ ^[01]$ ]] || usage_error "DEPLOY_SAVE_IMAGE='$OPT_SAVE_IMAGE': use 0 or 1"
  while [ $# -gt 0 ]; do
    case "$1" in
      --env)
        [ $# -ge 2 ] || usage_error "--env needs a value (dev, staging or prod)"
        config_environment_valid "$2" || usage_error "--env '$2': use dev, staging or prod"
        OPT_ENV="$2"
        shift
        ;;
      --keep)
        [ $# -ge 2 ] || usage_error "--keep needs a number"
        config_positive_int "$2" || usage_error "--keep '$2': give a whole number of at least 1"
        OPT_KEEP="$2"
        shift
        ;;
      --timeout)
        [ $# -ge 2 ] || usage_error "--timeout needs a number of seconds"
        config_positive_int "$2" || usage_error "--timeout '$2': give a whole number of seconds of at least 1"
        OPT_TIMEOUT="$2"
        shift
        ;;
      --no-build) OPT_NO_BUILD=1 ;;
      --save-image) OPT_SAVE_IMAGE=1 ;;
      --verbose) LOG_VERBOSE=1 ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
}

# preflight: everything that can be checked before anything changes; exits 3 on a problem.
preflight() {
  preflight_docker
  preflight_pointer
  PREVIOUS_ID="$POINTER_ID"
  preflight_same_environment "$PREVIOUS_ID" "$OPT_ENV"
  [ -f "$DEPLOY_COMPOSE_FILE" ] ||
    die "$EXIT_REFUSED" "compose file $DEPLOY_COMPOSE_FILE not found (DEPLOY_COMPOSE_FILE)"
  preflight_port "$API_PORT" "$DEPLOY_PROJECT_NAME"
  if [ "$OPT_NO_BUILD" = 1 ]; then
    preflight_source_image
  else
    [ -f "$DEPLOY_BUILD_CONTEXT/Dockerfile" ] ||
      die "$EXIT_REFUSED" "no Dockerfile in $DEPLOY_BUILD_CONTEXT (DEPLOY_BUILD_CONTEXT); nothing to build"
  fi
}

# preflight_overrides: the values given in the environment over the env file are well formed
# (usage error otherwise): API_PORT a TCP port, FAULT_5XX_RATE (alert drills) a number from 0 to
# 1. The environment's rules (0 in prod, FAULT_INJECTION) are checked with the rest of its
# configuration.
preflight_overrides() {
  if [ -n "${API_PORT:-}" ] && { [[ ! "$API_PORT" =~ ^[1-9][0-9]{0,4}$ ]] || [ "$API_PORT" -gt 65535 ]; }; then
    die "$EXIT_USAGE" "API_PORT='$API_PORT' is not a TCP port (1-65535)"
  fi
  [ -n "${FAULT_5XX_RATE:-}" ] || return 0
  [[ "$FAULT_5XX_RATE" =~ ^(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)$ ]] ||
    die "$EXIT_USAGE" "FAULT_5XX_RATE='$FAULT_5XX_RATE': give a number from 0 to 1"
  [[ "$FAULT_5XX_RATE" != .* ]] || FAULT_5XX_RATE="0$FAULT_5XX_RATE"
}

# resolve_config: deploy/env/<env>.env (or DEPLOY_ENV_FILE) checked and resolved (exit 3 listing
# every problem); API_PORT and FAULT_5XX_RATE take the resolved values.
resolve_config() {
  envconfig_resolve "$OPT_ENV" "${DEPLOY_ENV_FILE:-$REPO_ROOT/deploy/env/$OPT_ENV.env}" \
    "$REPO_ROOT/deploy/env/schema.tsv"
  API_PORT="${ENVCONFIG[API_PORT]}"
  FAULT_5XX_RATE="${ENVCONFIG[FAULT_5XX_RATE]}"
}

# preflight_source_image: --no-build needs an image to deploy; sets DEPLOY_SOURCE_IMAGE.
preflight_source_image() {
  if [ -z "$DEPLOY_SOURCE_IMAGE" ] && [ -n "$PREVIOUS_ID" ]; then
    DEPLOY_SOURCE_IMAGE="$(kv_get "$DEPLOY_DIR/releases/$PREVIOUS_ID/release.env" API_IMAGE)"
  fi
  [ -n "$DEPLOY_SOURCE_IMAGE" ] ||
    die "$EXIT_REFUSED" "--no-build: nothing is deployed yet and DEPLOY_SOURCE_IMAGE is not set; deploy once without --no-build"
  stack_image_present "$DEPLOY_SOURCE_IMAGE" ||
    die "$EXIT_REFUSED" "--no-build: image $DEPLOY_SOURCE_IMAGE is not in the local engine; deploy without --no-build"
}

# allocate_release: creates DEPLOY_DIR/releases/<id> for a new, never used id (the UTC second;
# when that second is taken, waits for the next one) and starts deploy.log there.
allocate_release() {
  local newest id attempt
  mkdir -p -- "$DEPLOY_DIR/releases"
  newest="$(release_newest "$DEPLOY_DIR")"
  for ((attempt = 0; attempt < 50; attempt++)); do
    id="$(release_id_now)"
    if { [ -z "$newest" ] || [[ "$id" > "$newest" ]]; } && mkdir -- "$DEPLOY_DIR/releases/$id" 2>/dev/null; then
      NEW_ID="$id"
      NEW_PATH="$DEPLOY_DIR/releases/$id"
      PHASE=release
      log_to_file "$NEW_PATH/deploy.log"
      log_info "release $NEW_ID (environment $OPT_ENV, previous: ${PREVIOUS_ID:-none})"
      return 0
    fi
    sleep 0.2
  done
  die "$EXIT_REFUSED" "no new release id: the newest release ($newest) is not older than the clock ($(release_id_now)); check the system clock"
}

# build_image: builds the api image from DEPLOY_BUILD_CONTEXT, tagged DEPLOY_IMAGE_REPO:<id> and
# labelled with the source identity.
build_image() {
  local context="$DEPLOY_BUILD_CONTEXT" version="" created
  git_info_read "$context"
  [ -f "$context/app/VERSION" ] && IFS= read -r version <"$context/app/VERSION"
  version="${version%$'\r'}"
  created="$(utc_now)"
  local -a args=(
    build --tag "$API_IMAGE" --file "$context/Dockerfile"
    --label "org.opencontainers.image.revision=$GIT_INFO_COMMIT"
    --label "org.opencontainers.image.version=$version"
    --label "org.opencontainers.image.created=$created"
    --label "io.tasks-api.release-id=$NEW_ID"
    --build-arg "VERSION=$version" --build-arg "GIT_COMMIT=$GIT_INFO_COMMIT"
    --build-arg "CREATED=$created"
  )
  local name
  for name in SWIFT_IMAGE RUNTIME_IMAGE BUILDER_IMAGE; do
    [ -n "${!name:-}" ] && args+=(--build-arg "$name=${!name}")
  done
  log_info "building $API_IMAGE from $context (output in deploy.log)"
  PHASE=build
  DOCKER_BUILDKIT=1 log_run_quiet "docker build" docker "${args[@]}" "$context" ||
    fail_release "the image build failed (see $NEW_PATH/deploy.log)"
  IMAGE_VERSION="$version"
  IMAGE_COMMIT="$GIT_INFO_COMMIT"
}

# tag_image: --no-build: the source image gets the new release's tag; its labels say what it is.
tag_image() {
  PHASE=build
  log_info "no build: deploying $DEPLOY_SOURCE_IMAGE as $API_IMAGE"
  docker tag "$DEPLOY_SOURCE_IMAGE" "$API_IMAGE" || fail_release "could not tag $DEPLOY_SOURCE_IMAGE as $API_IMAGE"
  IMAGE_VERSION="$(image_label "$API_IMAGE" org.opencontainers.image.version)"
  IMAGE_COMMIT="$(image_label "$API_IMAGE" org.opencontainers.image.revision)"
  GIT_INFO_COMMIT="$IMAGE_COMMIT" GIT_INFO_SHORT="${IMAGE_COMMIT:0:7}" GIT_INFO_BRANCH="" GIT_INFO_DIRTY=""
}

# image_label REF LABEL: prints one label of a local image (empty when absent).
image_label() {
  local value
  value="$(docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true)"
  [ "$value" = "<no value>" ] && value=""
  printf '%s' "$value"
}

# write_release_files: release.env (non-secret values pinning the release, its resolved
# configuration included, so a rollback brings that back too) and the compose copy.
write_release_files() {
  local secret content key
  secret="$(native_path "$SECRETS_PASSWORD_FILE")"
  content="# Pins release $NEW_ID; written by scripts/deploy_local.sh. No secret here: only the path
# of the password file. Read by rollback.sh and handed to docker compose as its environment.
RELEASE_ID=$NEW_ID
APP_ENV=$OPT_ENV
APP_VERSION=$IMAGE_VERSION
GIT_COMMIT=$IMAGE_COMMIT
API_IMAGE=$API_IMAGE
POSTGRES_IMAGE=$POSTGRES_IMAGE
PROXY_IMAGE=$PROXY_IMAGE
PROXY_CONFIG_DIR=$(native_path "$(proxy_config_dir "$DEPLOY_DIR")")
SLOT=$NEW_SLOT
COMPOSE_PROJECT_NAME=$DEPLOY_PROJECT_NAME
API_PORT=$API_PORT
DB_PASSWORD_FILE=$secret
PREVIOUS_RELEASE=$PREVIOUS_ID
FAULT_5XX_RATE=$FAULT_5XX_RATE
# Resolved configuration of $OPT_ENV (deploy/env/$OPT_ENV.env after overrides):
"
  while IFS= read -r key; do
    [[ "$key" == API_PORT=* || "$key" == FAULT_5XX_RATE=* ]] || content+="$key"$'\n'
  done < <(envconfig_release_env)
  atomic_write "$NEW_PATH/release.env" "$content" || fail_release "could not write $NEW_PATH/release.env"
  atomic_copy "$DEPLOY_COMPOSE_FILE" "$NEW_PATH/docker-compose.yml" ||
    fail_release "could not copy $DEPLOY_COMPOSE_FILE into $NEW_PATH"
}

# save_image: --save-image: the api image, gzip-compressed, into the release directory (before
# anything runs, so a failure changes nothing that serves).
save_image() {
  local started
  started="$(now_ms)"
  log_info "saving $API_IMAGE into $NEW_PATH/$IMAGE_ARCHIVE_NAME"
  log_run_quiet "docker save" image_archive_save "$API_IMAGE" "$NEW_PATH" ||
    fail_release "could not save $API_IMAGE into $NEW_PATH/$IMAGE_ARCHIVE_NAME (see $NEW_PATH/deploy.log)"
  log_info "image saved: $(($(wc -c <"$NEW_PATH/$IMAGE_ARCHIVE_NAME") / 1048576)) MiB in $(($(now_ms) - started)) ms"
}

# record_manifest STATUS HEALTH_STATUS REASON: writes manifest.json for the new release.
record_manifest() {
  local status="$1" health_status="$2" reason="$3" db_id="" api_id=""
  api_id="$(docker image inspect --format '{{.Id}}' "$API_IMAGE" 2>/dev/null || true)"
  db_id="$(docker image inspect --format '{{.Id}}' "$POSTGRES_IMAGE" 2>/dev/null || true)"
  # shellcheck disable=SC2034 # read by manifest_write through a nameref
  local -A fields=(
    [release_id]="$NEW_ID" [environment]="$OPT_ENV" [status]="$status"
    [created_at]="$(release_id_to_time "$NEW_ID")" [finished_at]="$(utc_now)"
    [duration_ms]="$(($(now_ms) - STARTED_MS))"
    [git_commit]="$GIT_INFO_COMMIT" [git_short]="$GIT_INFO_SHORT" [git_branch]="$GIT_INFO_BRANCH"
    [git_dirty]="$GIT_INFO_DIRTY" [app_version]="$IMAGE_VERSION"
    [images]="$(printf 'api\t%s\t%s\ndb\t%s\t%s' "$API_IMAGE" "$api_id" "$POSTGRES_IMAGE" "$db_id")"
    [previous_release]="$PREVIOUS_ID" [deployed_by]="$(lock_owner)"
    [health_url]="http://127.0.0.1:$API_PORT/readyz" [health_status]="$health_status"
    [health_attempts]="$HEALTH_ATTEMPTS" [health_duration_ms]="$HEALTH_DURATION_MS"
    [failure_reason]="$reason" [slot]="$NEW_SLOT"
    [config]="$(envconfig_config_json)" [flags]="$(envconfig_flags_json)"
  )
  manifest_write fields "$NEW_PATH"
}

# fail_release REASON: the failure path. Marks the release BAD, brings the previous release
# back when the stack was touched, records manifest (failed) and history, exits 1.
fail_release() {
  local reason="$1" serving health_status=skipped
  FINISHED=1
  log_error "release $NEW_ID failed: $reason"
  release_mark_bad "$DEPLOY_DIR" "$NEW_ID" "$reason" || log_warn "could not write the BAD marker"
  secrets_discard
  if [ "$PHASE" = stack ]; then
    health_status=unhealthy
    stack_bring_back "$DEPLOY_DIR" "$PREVIOUS_ID" "$NEW_ID" "$OPT_TIMEOUT" || true
    serving="$STACK_SERVING"
    [ -n "$PREVIOUS_ID" ] || secrets_remove_installed
  elif [ -n "$PREVIOUS_ID" ]; then
    serving="nothing was changed: release $PREVIOUS_ID still serves"
  else
    serving="nothing was changed (nothing was deployed before)"
  fi
  [ -n "$API_IMAGE" ] || API_IMAGE="$DEPLOY_IMAGE_REPO:$NEW_ID"
  record_manifest failed "$health_status" "$reason" || log_warn "could not write $NEW_PATH/manifest.json"
  history_append "$DEPLOY_DIR" failure deploy "$NEW_ID" "$PREVIOUS_ID" "$PREVIOUS_ID" "$OPT_ENV" \
    "$(($(now_ms) - STARTED_MS))" "deploy of $NEW_ID failed: $reason; $serving" \
    "$(stack_live_slot "$DEPLOY_DIR" "$DEPLOY_PROJECT_NAME")" ||
    log_warn "could not append to $DEPLOY_DIR/history.jsonl"
  log_error "$serving"
  log_error "release $NEW_ID is kept as evidence (BAD marker, deploy.log); fix the cause and deploy again"
  exit "$EXIT_FAILED"
}

# switch_and_record: the new release is healthy: pointer, manifest, history.
switch_and_record() {
  pointer_write "$DEPLOY_DIR" "$NEW_ID" "$DEPLOY_POINTER" || fail_release "$POINTER_ERROR"
  PHASE=switched
  log_info "current -> $NEW_ID ($POINTER_MODE_USED pointer)"
  record_manifest deployed healthy "" || log_warn "could not write $NEW_PATH/manifest.json"
  history_append "$DEPLOY_DIR" deploy deploy "$NEW_ID" "$PREVIOUS_ID" "$NEW_ID" "$OPT_ENV" \
    "$(($(now_ms) - STARTED_MS))" "deployed $NEW_ID in slot $NEW_SLOT (previous: ${PREVIOUS_ID:-none})" "$NEW_SLOT" ||
    log_warn "could not append to $DEPLOY_DIR/history.jsonl"
}

# prune: keeps the OPT_KEEP newest releases, plus current, previous and the rollback target.
prune() {
  local target id
  target="$(release_rollback_target "$DEPLOY_DIR" "$NEW_ID")"
  [[ "$target" != "none "* ]] || target=""
  while IFS= read -r id; do
    [ -n "$id" ] || continue
    log_info "pruning release $id (keeping the $OPT_KEEP newest)"
    release_remove "$DEPLOY_DIR" "$id" || log_warn "could not remove release $id"
  done < <(release_prune_plan "$DEPLOY_DIR" "$OPT_KEEP" "$NEW_ID" "$PREVIOUS_ID" "$target")
}

# on_exit: releases the lock; a deploy stopped by an error or a signal takes the failure path.
on_exit() {
  local code=$?
  trap - EXIT
  if [ "$FINISHED" != 1 ] && [ -n "$NEW_ID" ] && [ "$PHASE" != switched ]; then
    (fail_release "the deploy stopped unexpectedly (exit code $code)") || true
    code=$EXIT_FAILED
  fi
  secrets_discard
  lock_release
  exit "$code"
}

main() {
  parse_args "$@"
  preflight_overrides
  resolve_config
  config_load "$REPO_ROOT"
  config_load_deploy "$REPO_ROOT" "$OPT_ENV"
  load_local_images "$REPO_ROOT"
  config_default_images
  STARTED_MS="$(now_ms)"
  trap on_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  preflight_lock "deploy_local.sh --env $OPT_ENV"
  preflight
  stack_reconcile "$DEPLOY_DIR" "$PREVIOUS_ID"
  NEW_SLOT="$(stack_idle_slot "$DEPLOY_DIR" "$DEPLOY_PROJECT_NAME")"
  secrets_prepare "$REPO_ROOT" "$OPT_ENV" "$DEPLOY_DIR"
  allocate_release
  API_IMAGE="$DEPLOY_IMAGE_REPO:$NEW_ID"
  if [ "$OPT_NO_BUILD" = 1 ]; then tag_image; else build_image; fi
  write_release_files
  [ "$OPT_SAVE_IMAGE" = 0 ] || save_image
  PHASE=stack
  secrets_install || fail_release "could not move the decrypted secrets into $DEPLOY_DIR/.secrets"
  stack_up "$DEPLOY_DIR" "$NEW_ID" "$OPT_TIMEOUT" || fail_release "$STACK_REASON"
  switch_and_record
  stack_retire_old "$DEPLOY_DIR" "$NEW_ID" || true
  prune || log_warn "pruning failed; old releases are kept"
  FINISHED=1
  log_info "release $NEW_ID deployed and serving at $STACK_URL in $((($(now_ms) - STARTED_MS) / 1000)) s; undo with scripts/rollback.sh"
}

main "$@"
