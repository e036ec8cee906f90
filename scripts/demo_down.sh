#!/usr/bin/env bash
# Stops what scripts/demo_up.sh started: the monitoring stack and the deployment's containers
# (the current release). Keeps the data volumes, the release directories, the secrets and the
# images unless --volumes. Idempotent: nothing running is not an error.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=demo_down

# shellcheck source=scripts/lib/all.sh
source "$SCRIPT_DIR/lib/all.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/demo_down.sh [--env dev|staging] [--volumes]

Stops the monitoring stack (scripts/monitoring_down.sh) and the containers of the deployment
(compose project DEPLOY_PROJECT_NAME, default tasks-<env>), each step printed. The release
directories under deploy/ stay (scripts/demo_up.sh brings the current one back).

Options:
  --env NAME   dev or staging (default: dev)
  --volumes    also delete the database and monitoring volumes (their data is lost)
  -h, --help   show this help
Exit codes: 0 stopped (or nothing was running); 1 a stop failed; 2 usage; 3 docker or compose
missing.
EOF_USAGE
}

OPT_ENV=dev
OPT_VOLUMES=0

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --env)
        [[ "${2:-}" =~ ^(dev|staging)$ ]] || usage_error "--env needs dev or staging"
        OPT_ENV="$2"
        shift
        ;;
      --volumes) OPT_VOLUMES=1 ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
}

# stop_deployment PROJECT: removes the project's containers and network (and volumes with
# --volumes) through the current release's compose file, else by label.
stop_deployment() {
  local project="$1" dir="${DEPLOY_DIR:-$REPO_ROOT/deploy}"
  local -a ids=() down=(down --remove-orphans)
  [ "$OPT_VOLUMES" = 0 ] || down+=(-v)
  mapfile -t ids < <(docker ps -aq --filter "label=com.docker.compose.project=$project")
  if [ "${#ids[@]}" -eq 0 ]; then
    log_info "no container of $project is running"
  elif pointer_read "$dir" && [ -n "$POINTER_ID" ] && [ -f "$dir/releases/$POINTER_ID/release.env" ]; then
    log_info "stopping $project (release $POINTER_ID): compose ${down[*]}"
    compose_release "$dir" "$POINTER_ID" "${down[@]}" >/dev/null 2>&1 ||
      die "$EXIT_FAILED" "compose down of $project failed; docker ps --filter label=com.docker.compose.project=$project"
  else
    log_info "stopping $project by label (no current release in $dir)"
    docker rm -f "${ids[@]}" >/dev/null || die "$EXIT_FAILED" "docker rm of the $project containers failed"
  fi
  if [ "$OPT_VOLUMES" = 1 ]; then
    docker volume rm "${project}_db-data" >/dev/null 2>&1 || true
  fi
  docker network rm "${project}_backend" >/dev/null 2>&1 || true
}

main() {
  parse_args "$@"
  if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
    die "$EXIT_REFUSED" "the Docker engine does not answer: nothing to stop, or start Docker first"
  fi
  compose_detect || die "$EXIT_REFUSED" "neither 'docker compose' nor 'docker-compose' is available"
  local -a volumes=()
  [ "$OPT_VOLUMES" = 0 ] || volumes=(--volumes)
  log_info "step 1: monitoring (scripts/monitoring_down.sh --env $OPT_ENV ${volumes[*]})"
  "$SCRIPT_DIR/monitoring_down.sh" --env "$OPT_ENV" ${volumes[@]+"${volumes[@]}"} ||
    die "$EXIT_FAILED" "scripts/monitoring_down.sh failed"
  log_info "step 2: the deployment"
  stop_deployment "${DEPLOY_PROJECT_NAME:-tasks-$OPT_ENV}"
  log_info "stopped; scripts/demo_up.sh --env $OPT_ENV starts it again"
}

main "$@"
