#!/usr/bin/env bash
# Returns the simulated deployment to an earlier release: never rebuilds, never touches the
# database; health gate, atomic pointer switch, BAD marker on the release left, history line.
# Needs bash 4+, coreutils and docker only (runs in Git Bash on Windows).
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=rollback

# shellcheck source=scripts/lib/log.sh
source "$SCRIPT_DIR/lib/log.sh"
# shellcheck source=scripts/lib/json.sh
source "$SCRIPT_DIR/lib/json.sh"
# shellcheck source=scripts/lib/atomic.sh
source "$SCRIPT_DIR/lib/atomic.sh"
# shellcheck source=scripts/lib/lock.sh
source "$SCRIPT_DIR/lib/lock.sh"
# shellcheck source=scripts/lib/releases.sh
source "$SCRIPT_DIR/lib/releases.sh"
# shellcheck source=scripts/lib/pointer.sh
source "$SCRIPT_DIR/lib/pointer.sh"
# shellcheck source=scripts/lib/compose.sh
source "$SCRIPT_DIR/lib/compose.sh"
# shellcheck source=scripts/lib/http.sh
source "$SCRIPT_DIR/lib/http.sh"
# shellcheck source=scripts/lib/health.sh
source "$SCRIPT_DIR/lib/health.sh"
# shellcheck source=scripts/lib/history.sh
source "$SCRIPT_DIR/lib/history.sh"
# shellcheck source=scripts/lib/stack.sh
source "$SCRIPT_DIR/lib/stack.sh"
# shellcheck source=scripts/lib/config.sh
source "$SCRIPT_DIR/lib/config.sh"
# shellcheck source=scripts/lib/preflight.sh
source "$SCRIPT_DIR/lib/preflight.sh"
# shellcheck source=scripts/lib/listing.sh
source "$SCRIPT_DIR/lib/listing.sh"

usage() {
  cat <<'EOF'
Usage: scripts/rollback.sh [--to ID] [--list] [--timeout S]

Brings back an earlier release: by default the newest release older than the current one
whose deploy succeeded and that has no BAD marker. Never rebuilds (the release's image must
still be in the engine) and never touches the database. The release left gets a BAD marker
(kept as evidence). If the target does not become healthy, the release that was serving is
brought back and verified.

Options:
  --to ID       roll back (or forward) to release ID (YYYYMMDDTHHMMSSZ)
  --list        list the releases, their status and the default target; change nothing
  --timeout S   seconds the health gate waits for the target (default: 60)
  -h, --help    show this help

Environment: DEPLOY_DIR (deploy/), DEPLOY_POINTER auto|symlink|file (auto).

Exit codes: 0 rolled back (or listed); 1 failed (the message says what serves now); 2 usage;
3 refused (lock held, no target, unknown or BAD target, image gone, preflight failed).
EOF
}

OPT_TO=""
OPT_LIST=0
OPT_TIMEOUT=60
STARTED_MS=0

# usage_error MESSAGE: exits 2 with MESSAGE and a pointer to --help.
usage_error() {
  log_error "$1"
  printf 'Run scripts/rollback.sh --help for the options.\n' >&2
  exit "$EXIT_USAGE"
}

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

# choose_target CURRENT: prints the release to roll back to; exits 3 when there is none.
choose_target() {
  local current="$1" environment target why
  environment="$(release_env_get "$DEPLOY_DIR/releases/$current/release.env" APP_ENV)"
  if [ -n "$OPT_TO" ]; then
    [ "$OPT_TO" != "$current" ] || die "$EXIT_REFUSED" "release $OPT_TO is already the current release; nothing to do"
    why="$(release_why_not_target "$DEPLOY_DIR" "$OPT_TO")"
    [ -z "$why" ] || die "$EXIT_REFUSED" "cannot roll back to $OPT_TO: $why. See scripts/rollback.sh --list"
    target="$(release_env_get "$DEPLOY_DIR/releases/$OPT_TO/release.env" APP_ENV)"
    [ "$target" = "$environment" ] ||
      die "$EXIT_REFUSED" "release $OPT_TO was deployed to '$target', the current one to '$environment'; refusing to mix environments"
    printf '%s' "$OPT_TO"
    return 0
  fi
  target="$(release_rollback_target "$DEPLOY_DIR" "$current" "$environment")"
  [ -n "$target" ] ||
    die "$EXIT_REFUSED" "no release to roll back to: none older than $current deployed successfully without a BAD marker; nothing was changed. See scripts/rollback.sh --list"
  printf '%s' "$target"
}

# check_image TARGET: the target's images must still be in the engine (a rollback never builds).
check_image() {
  local target="$1" env_file="$DEPLOY_DIR/releases/$1/release.env" image commit
  image="$(release_env_get "$env_file" API_IMAGE)"
  commit="$(release_env_get "$env_file" GIT_COMMIT)"
  if ! stack_image_present "$image"; then
    die "$EXIT_REFUSED" "the image of release $target ($image) is no longer in the Docker engine, and a rollback never rebuilds. Restore it by building commit ${commit:-<unknown>} with that tag (git worktree add /tmp/r $commit && docker build -t $image /tmp/r), then retry; nothing was changed"
  fi
  image="$(release_env_get "$env_file" POSTGRES_IMAGE)"
  stack_image_present "$image" ||
    die "$EXIT_REFUSED" "the database image of release $target ($image) is not in the Docker engine; load or build it, then retry; nothing was changed"
}

# fail_rollback CURRENT TARGET REASON: the target did not become healthy: mark it BAD, bring
# CURRENT back, record the failure, exit 1.
fail_rollback() {
  local current="$1" target="$2" reason="$3"
  log_error "rollback to $target failed: $reason"
  release_mark_bad "$DEPLOY_DIR" "$target" "failed its health gate during a rollback: $reason" ||
    log_warn "could not write the BAD marker of $target"
  stack_bring_back "$DEPLOY_DIR" "$current" "$target" "$OPT_TIMEOUT" || true
  history_append "$DEPLOY_DIR" failure rollback "$target" "$current" "$current" \
    "$(release_env_get "$DEPLOY_DIR/releases/$current/release.env" APP_ENV)" \
    "$(($(now_ms) - STARTED_MS))" "rollback from $current to $target failed: $reason; $STACK_SERVING" ||
    log_warn "could not append to $DEPLOY_DIR/history.jsonl"
  log_error "$STACK_SERVING; current still points to $current"
  exit "$EXIT_FAILED"
}

# roll_back CURRENT TARGET: start TARGET, gate, switch, mark CURRENT BAD, record.
roll_back() {
  local current="$1" target="$2" environment
  environment="$(release_env_get "$DEPLOY_DIR/releases/$target/release.env" APP_ENV)"
  log_info "rolling back from $current to $target"
  stack_up "$DEPLOY_DIR" "$target" "$OPT_TIMEOUT" || fail_rollback "$current" "$target" "$STACK_REASON"
  pointer_write "$DEPLOY_DIR" "$target" "$DEPLOY_POINTER" || fail_rollback "$current" "$target" "$POINTER_ERROR"
  log_info "current -> $target ($POINTER_MODE_USED pointer)"
  release_mark_bad "$DEPLOY_DIR" "$current" "rolled back from, to $target" ||
    log_warn "could not write the BAD marker of $current"
  history_append "$DEPLOY_DIR" rollback rollback "$target" "$current" "$target" "$environment" \
    "$(($(now_ms) - STARTED_MS))" "rolled back from $current to $target" ||
    log_warn "could not append to $DEPLOY_DIR/history.jsonl"
  log_info "release $target is serving at $STACK_URL; $current is marked BAD and kept as evidence"
}

main() {
  local current target
  parse_args "$@"
  config_load "$REPO_ROOT"
  if [ "$OPT_LIST" = 1 ]; then
    listing_print "$DEPLOY_DIR"
    return 0
  fi
  STARTED_MS="$(now_ms)"
  trap lock_release EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ! lock_acquire "$DEPLOY_DIR/.lock" "rollback.sh${OPT_TO:+ --to $OPT_TO}"; then
    die "$EXIT_REFUSED" "another deployment holds $DEPLOY_DIR/.lock: $LOCK_HOLDER. Wait for it to finish; if that process is gone from another machine, remove $DEPLOY_DIR/.lock"
  fi
  preflight_pointer
  current="$POINTER_ID"
  [ -n "$current" ] || die "$EXIT_REFUSED" "nothing is deployed in $DEPLOY_DIR (no current release); nothing to roll back"
  target="$(choose_target "$current")"
  preflight_docker
  check_image "$target"
  roll_back "$current" "$target"
}

main "$@"
