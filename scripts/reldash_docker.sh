#!/usr/bin/env bash
# reldash without Swift: builds the image reldash:local (reldash.Dockerfile) when it is missing,
# then runs reldash in it with deploy/ mounted. Every argument goes to reldash:
#   scripts/reldash_docker.sh                   the dashboard (read-only: no D, R, r keys)
#   scripts/reldash_docker.sh releases --json   one JSON document on stdout
# A terminal is given to the container (docker run -t) only when stdin and stdout both are one,
# so `... --json | jq` reads clean JSON.
#
# Environment:
#   RELDASH_DOCKER_OPERATOR=1  deploy and rollback allowed: the `operator` image (docker CLI and
#                              Compose inside), the repository mounted read-write at its own path
#                              (so that compose bind mounts resolve on the host), the docker
#                              socket mounted and its group added; runs as the calling user.
#                              The scripts' settings of this shell (DEPLOY_*, API_PORT,
#                              SOPS_AGE_KEY_FILE) go to the container, and the deploy directory
#                              and the files they name are mounted at their own path.
#                              Linux, macOS and WSL (the repository path must be the daemon's).
#   RELDASH_DOCKER_REBUILD=1   build the image again even when it exists.
#   RELDASH_IMAGE              image tag (default reldash:local, reldash-operator:local).
#   DEPLOY_DIR                 the deploy tree to show (default: the repository's deploy/).
#   RELDASH_PROMETHEUS_URL     Prometheus as seen from the container. Default: on Linux the
#                              container shares the host network and uses http://127.0.0.1:9090;
#                              elsewhere (Docker Desktop) http://host.docker.internal:9090.
# Exit codes: reldash's own; 3 when docker is missing or the image cannot be built.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly EXIT_REFUSED=3
# shellcheck source=scripts/lib/local_images.sh
source "$SCRIPT_DIR/lib/local_images.sh"

die() {
  printf 'reldash_docker: %s\n' "$2" >&2
  exit "$1"
}

log() {
  printf 'reldash_docker: %s\n' "$1" >&2
}

# host_path DIR: DIR as the docker daemon names it (C:/... under Git Bash, the path elsewhere).
host_path() {
  (cd "$1" && { pwd -W 2>/dev/null || pwd; })
}

operator_mode() {
  [ "${RELDASH_DOCKER_OPERATOR:-0}" = 1 ]
}

build_image() {
  local image="$1" commit
  commit="$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || printf 'unknown')"
  local -a args=(-f "$REPO_ROOT/reldash.Dockerfile" --build-arg "GIT_COMMIT=$commit")
  [ -n "${SWIFT_IMAGE:-}" ] && args+=(--build-arg "SWIFT_IMAGE=$SWIFT_IMAGE")
  [ -n "${DEBIAN_IMAGE:-}" ] && args+=(--build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE")
  operator_mode && args+=(--target operator)
  log "building $image (reldash.Dockerfile; a first build compiles reldash: a few minutes)"
  DOCKER_BUILDKIT=1 docker build "${args[@]}" -t "$image" "$REPO_ROOT" >&2 ||
    die "$EXIT_REFUSED" "the image build failed (output above); nothing was run"
}

# outside PATH ROOT: true when PATH is not ROOT or under it.
outside() {
  case "$1/" in "$2"/*) return 1 ;; *) return 0 ;; esac
}

# operator_settings ROOT DEPLOY: adds to `run` the deploy scripts' settings set in this shell
# (DEPLOY_*, API_PORT, SOPS_AGE_KEY_FILE), and mounts at its own path each file or directory they
# name outside ROOT and DEPLOY (read-only), so the scripts see in the container what they would
# see here.
operator_settings() {
  local root="$1" deploy="$2" name value
  while IFS= read -r name; do
    value="${!name}"
    run+=(-e "$name=$value")
    case "$name" in
      DEPLOY_SECRETS_DIR | DEPLOY_SECRETS_FILE | DEPLOY_BUILD_CONTEXT | DEPLOY_COMPOSE_FILE | DEPLOY_ENV_FILE | \
        DEPLOY_PROXY_NGINX_CONF | SOPS_AGE_KEY_FILE)
        [ -e "$value" ] && outside "$value" "$root" && outside "$value" "$deploy" && run+=(-v "$value:$value:ro")
        ;;
    esac
  done < <(compgen -e | grep -E '^(DEPLOY_[A-Z_]+|API_PORT|SOPS_AGE_KEY_FILE)$' | grep -vx 'DEPLOY_DIR')
  return 0
}

main() {
  command -v docker >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "docker is not installed or not in PATH: install Docker Desktop (or the docker engine), then run this again"
  load_local_images "$REPO_ROOT"
  local default_image=reldash:local
  operator_mode && default_image=reldash-operator:local
  local image="${RELDASH_IMAGE:-$default_image}"
  if [ "${RELDASH_DOCKER_REBUILD:-0}" = 1 ] || ! docker image inspect "$image" >/dev/null 2>&1; then
    build_image "$image"
  fi

  local deploy="${DEPLOY_DIR:-$REPO_ROOT/deploy}"
  [ -d "$deploy" ] || die "$EXIT_REFUSED" "deploy directory $deploy does not exist: deploy a release first, or set DEPLOY_DIR"
  local -a run=(run --rm -i)
  [ -t 0 ] && [ -t 1 ] && run+=(-t -e "TERM=${TERM:-xterm-256color}")
  [ -n "${NO_COLOR:-}" ] && run+=(-e "NO_COLOR=$NO_COLOR")
  local prometheus="${RELDASH_PROMETHEUS_URL:-}"
  if [ "$(uname -s)" = Linux ]; then
    run+=(--network host)
    prometheus="${prometheus:-http://127.0.0.1:9090}"
  else
    prometheus="${prometheus:-http://host.docker.internal:9090}"
  fi
  run+=(-e "RELDASH_PROMETHEUS_URL=$prometheus")
  if operator_mode; then
    local root socket_group deploy_path
    root="$(host_path "$REPO_ROOT")"
    deploy_path="$(host_path "$deploy")"
    socket_group="$(stat -c %g /var/run/docker.sock 2>/dev/null || printf '0')"
    run+=(
      --user "$(id -u):$(id -g)" --group-add "$socket_group" -e HOME=/tmp
      -v /var/run/docker.sock:/var/run/docker.sock -v "$root:$root" -w "$root"
      -e "RELDASH_DEPLOY_DIR=$deploy_path" -e "RELDASH_SCRIPTS_DIR=$root/scripts"
    )
    outside "$deploy_path" "$root" && run+=(-v "$deploy_path:$deploy_path")
    operator_settings "$root" "$deploy_path"
  else
    run+=(-v "$(host_path "$deploy"):/work/deploy:ro")
  fi
  # Git Bash would rewrite /work/deploy into a Windows path: the paths above are already final.
  MSYS_NO_PATHCONV=1 exec docker "${run[@]}" "$image" "$@"
}

main "$@"
