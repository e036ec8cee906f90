#!/usr/bin/env bash
# Returns the simulated deployment to an earlier release: never rebuilds, never touches the
# database; health gate, atomic pointer switch, BAD marker on the release left, history line.
# Needs bash 4+, coreutils and docker only (runs in Git Bash on Windows).
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=rollback

# shellcheck source=scripts/lib/all.sh
source "$SCRIPT_DIR/lib/all.sh"

usage() {
  cat <<'EOF'
Usage: scripts/rollback.sh [--to ID] [--list] [--timeout S]

Brings back an earlier release, without downtime (the same path as a deploy: the target starts
in the idle slot, passes its health gate there, then the proxy switches to it and the old slot
is drained; docs/zero-downtime.md): by default the newest release older than the current one
whose deploy succeeded (a valid manifest with status deployed, see docs/cd.md) and that has no
BAD marker. Never rebuilds (the release's image must still be in the engine, or be loaded
from the image.tar.gz that deploy_local.sh --save-image left in the release) and never
touches the database. The release left gets a BAD marker (kept as evidence).
If the target does not become healthy, it is marked BAD and the release that was serving is
brought back and verified (exit 1). If the rollback is stopped (Ctrl-C, SIGTERM) or fails for
another reason once the target was started, the release that was serving is brought back
the same way, but the target is not marked BAD.

Options:
  --to ID       roll back (or forward) to release ID (YYYYMMDDTHHMMSSZ)
  --list        list the releases, their status and the default target; change nothing
  --timeout S   seconds the health gate waits for the target (default: 60)
  -h, --help    show this help

Environment: DEPLOY_DIR (deploy/), DEPLOY_POINTER auto|symlink|file (auto).

Exit codes: 0 rolled back (or listed); 1 failed (the message says what serves now); 2 usage;
3 refused (lock held, no target, unknown, invalid or BAD target, target made before the
blue/green slots, image gone or its saved archive damaged, preflight failed).
EOF
}

OPT_TO=""
OPT_LIST=0
OPT_TIMEOUT=60
STARTED_MS=0

# State of the rollback in progress, read by the failure path and the EXIT trap.
CURRENT_ID=""
TARGET_ID=""
PHASE=""
STOP_SIGNAL=""

# parse_args ARGS...: fills the OPT_* variables.
parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --to)
        [ $# -ge 2 ] || usage_error "--to needs a release id (YYYYMMDDTHHMMSSZ)"
        release_id_valid "$2" || usage_error "--to '$2' is not a release id (YYYYMMDDTHHMMSSZ, e.g. 20261124T181500Z)"
        OPT_TO="$2"
        shift
        ;;
      --list) OPT_LIST=1 ;;
      --timeout)
        [ $# -ge 2 ] || usage_error "--timeout needs a number of seconds"
        config_positive_int "$2" || usage_error "--timeout '$2': give a whole number of seconds of at least 1"
        OPT_TIMEOUT="$2"
        shift
        ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
  if [ "$OPT_LIST" = 1 ] && [ -n "$OPT_TO" ]; then
    usage_error "--list and --to cannot be used together"
  fi
}

# choose_target CURRENT: prints the release to roll back to, by the rule of
# deploy/contract/README.md ("Cible d'un retour arrière"); exits 3 when there is none.
choose_target() {
  local current="$1" target code detail
  if [ -n "$OPT_TO" ]; then
    code="$(release_target_problem "$DEPLOY_DIR" "$OPT_TO" "$current")"
    [ "$code" != target_is_current ] ||
      die "$EXIT_REFUSED" "release $OPT_TO is already the current release; nothing to do"
    if [ -n "$code" ]; then
      detail="$(release_status_code "$DEPLOY_DIR" "$OPT_TO")"
      detail="${detail#* }"
      if [[ "$code" == target_* ]] && [ "$detail" != - ]; then
        detail=" ($(contract_reason "$detail"))"
      else
        detail=""
      fi
      die "$EXIT_REFUSED" "cannot roll back to $OPT_TO: $(contract_reason "$code")$detail. Nothing was changed; see scripts/rollback.sh --list"
    fi
    printf '%s' "$OPT_TO"
    return 0
  fi
  target="$(release_rollback_target "$DEPLOY_DIR" "$current")"
  if [[ "$target" == "none "* ]]; then
    die "$EXIT_REFUSED" "no release to roll back to: $(contract_reason "${target#none }"); nothing was changed. See scripts/rollback.sh --list"
  fi
  printf '%s' "$target"
}

# check_image TARGET: the target's images must be in the engine (a rollback never builds); an
# api image that is gone is loaded from the release's saved archive when there is one.
check_image() {
  local target="$1" path="$DEPLOY_DIR/releases/$1" image commit started
  image="$(kv_get "$path/release.env" API_IMAGE)"
  commit="$(kv_get "$path/release.env" GIT_COMMIT)"
  if ! stack_image_present "$image"; then
    local rebuild="build commit ${commit:-<unknown>} with that tag (git worktree add /tmp/r $commit && docker build -t $image /tmp/r), then retry"
    image_archive_present "$path" ||
      die "$EXIT_REFUSED" "the image of release $target ($image) is no longer in the Docker engine, and a rollback never rebuilds. Restore it: $rebuild (deploy with --save-image to keep a copy in the release); nothing was changed"
    log_info "the image of release $target ($image) is gone from the engine; loading it from $path/$IMAGE_ARCHIVE_NAME"
    started="$(now_ms)"
    image_archive_load "$path" "$image" ||
      die "$EXIT_REFUSED" "cannot restore the image of release $target: $ARCHIVE_ERROR. Nothing was changed; $rebuild"
    log_info "loaded $image from $path/$IMAGE_ARCHIVE_NAME in $(($(now_ms) - started)) ms (sha256 checked)"
  fi
  image="$(kv_get "$path/release.env" POSTGRES_IMAGE)"
  stack_image_present "$image" ||
    die "$EXIT_REFUSED" "the database image of release $target ($image) is not in the Docker engine; load or build it, then retry; nothing was changed"
}

# check_slots TARGET: the target's pinned compose file must know the two slots and the proxy
# (a release made before them would start a container on the proxy's port).
check_slots() {
  local target="$1" env="$DEPLOY_DIR/releases/$1/release.env"
  [ -n "$(kv_get "$env" PROXY_CONFIG_DIR)" ] ||
    die "$EXIT_REFUSED" "release $target was made before the blue/green slots (no PROXY_CONFIG_DIR in its release.env) and cannot be started behind the proxy; deploy its image again instead: DEPLOY_SOURCE_IMAGE=$(kv_get "$env" API_IMAGE) scripts/deploy_local.sh --no-build. Nothing was changed"
}

# fail_rollback REASON BLAME: the failure path once the target was started: BLAME "target" marks
# the target BAD (its own start or health failed); then CURRENT_ID is brought back and verified,
# the failure recorded in the history, and the script exits 1.
fail_rollback() {
  local reason="$1" blame="$2"
  PHASE=failed
  log_error "rollback to $TARGET_ID failed: $reason"
  if [ "$blame" = target ]; then
    release_mark_bad "$DEPLOY_DIR" "$TARGET_ID" "failed its health gate during a rollback: $reason" ||
      log_warn "could not write the BAD marker of $TARGET_ID"
  else
    log_info "release $TARGET_ID is not marked BAD: the rollback did not fail because of its health"
  fi
  stack_bring_back "$DEPLOY_DIR" "$CURRENT_ID" "$TARGET_ID" "$OPT_TIMEOUT" || true
  history_append "$DEPLOY_DIR" failure rollback "$TARGET_ID" "$CURRENT_ID" "$CURRENT_ID" \
    "$(release_environment "$DEPLOY_DIR" "$CURRENT_ID")" "$(($(now_ms) - STARTED_MS))" \
    "rollback from $CURRENT_ID to $TARGET_ID failed: $reason; $STACK_SERVING" \
    "$(stack_live_slot "$DEPLOY_DIR" "$(stack_project "$DEPLOY_DIR" "$CURRENT_ID")")" ||
    log_warn "could not append to $DEPLOY_DIR/history.jsonl"
  log_error "$STACK_SERVING; current still points to $CURRENT_ID"
  exit "$EXIT_FAILED"
}

# record_rollback: after the switch: BAD marker on the release left, history line.
record_rollback() {
  PHASE=recorded
  release_mark_bad "$DEPLOY_DIR" "$CURRENT_ID" "rolled back from, to $TARGET_ID" ||
    log_warn "could not write the BAD marker of $CURRENT_ID"
  history_append "$DEPLOY_DIR" rollback rollback "$TARGET_ID" "$CURRENT_ID" "$TARGET_ID" \
    "$(release_environment "$DEPLOY_DIR" "$TARGET_ID")" "$(($(now_ms) - STARTED_MS))" \
    "rolled back from $CURRENT_ID to $TARGET_ID (slot $STACK_SLOT)" "$STACK_SLOT" ||
    log_warn "could not append to $DEPLOY_DIR/history.jsonl"
}

# roll_back: start TARGET_ID, gate, switch, mark CURRENT_ID BAD, record.
roll_back() {
  log_info "rolling back from $CURRENT_ID to $TARGET_ID"
  PHASE=stack
  stack_up "$DEPLOY_DIR" "$TARGET_ID" "$OPT_TIMEOUT" || fail_rollback "$STACK_REASON" target
  pointer_write "$DEPLOY_DIR" "$TARGET_ID" "$DEPLOY_POINTER" || fail_rollback "$POINTER_ERROR" operator
  PHASE=switched
  log_info "current -> $TARGET_ID ($POINTER_MODE_USED pointer)"
  record_rollback
  stack_retire_old "$DEPLOY_DIR" "$TARGET_ID" || true
  log_info "release $TARGET_ID is serving at $STACK_URL (slot $STACK_SLOT); $CURRENT_ID is marked BAD and kept as evidence"
}

# on_signal NAME CODE: INT or TERM: remembered for the failure path, then exit CODE (which runs
# on_exit).
on_signal() {
  STOP_SIGNAL="SIG$1"
  exit "$2"
}

# on_exit: releases the lock. A rollback stopped by a signal or an error after the target was
# started takes the failure path without blaming the target; one stopped right after the switch
# finishes its records.
on_exit() {
  local code=$? why restore=0
  trap - EXIT
  trap 'log_warn "signal received while release $CURRENT_ID was being restored"' INT TERM
  if [ "$PHASE" = stack ]; then
    if [ -n "$STOP_SIGNAL" ]; then
      why="stopped by $STOP_SIGNAL while release $TARGET_ID was starting"
    else
      why="the rollback stopped unexpectedly (exit code $code) while release $TARGET_ID was starting"
    fi
    (fail_rollback "$why" operator) || restore=$?
    [ "$restore" = "$EXIT_FAILED" ] ||
      log_error "the restore of $CURRENT_ID was interrupted: check what serves (docker ps, scripts/rollback.sh --list)"
    code=$EXIT_FAILED
  elif [ "$PHASE" = switched ]; then
    record_rollback || true
  fi
  lock_release
  exit "$code"
}

main() {
  parse_args "$@"
  config_load "$REPO_ROOT"
  if [ "$OPT_LIST" = 1 ]; then
    listing_print "$DEPLOY_DIR"
    return 0
  fi
  STARTED_MS="$(now_ms)"
  trap on_exit EXIT
  trap 'on_signal INT 130' INT
  trap 'on_signal TERM 143' TERM
  preflight_lock "rollback.sh${OPT_TO:+ --to $OPT_TO}"
  preflight_pointer
  CURRENT_ID="$POINTER_ID"
  [ -n "$CURRENT_ID" ] || die "$EXIT_REFUSED" "nothing is deployed in $DEPLOY_DIR (no current release); nothing to roll back"
  TARGET_ID="$(choose_target "$CURRENT_ID")"
  check_slots "$TARGET_ID"
  preflight_docker
  stack_reconcile "$DEPLOY_DIR" "$CURRENT_ID"
  check_image "$TARGET_ID"
  roll_back
}

main "$@"
