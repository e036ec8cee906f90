# shellcheck shell=bash
# Docker helpers for test suites (sourced after harness.sh). Generic: they know no service of
# this project. Every helper that starts something takes the name/prefix to use, so suites can
# clean up exactly what they started (in a trap) and never touch anything else.

# shellcheck source=scripts/lib/local_images.sh
source "$REPO_ROOT/scripts/lib/local_images.sh"
# shellcheck source=scripts/lib/compose.sh
source "$REPO_ROOT/scripts/lib/compose.sh"
# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"

DOCKER_COMPOSE=()

# docker_require NAME: succeeds when the docker client and engine answer (loading the local
# image substitutions on the way); otherwise records NAME as skipped (a failure when strict).
docker_require() {
  local name="$1"
  t_require "$name" docker "install Docker (scripts/ci/provision.sh does it on Debian)" || return 1
  if ! docker info >/dev/null 2>&1; then
    t_skip "$name" "the Docker engine does not answer; start it (scripts/ci/provision.sh starts dockerd)"
    return 1
  fi
  load_local_images "$REPO_ROOT"
  export DOCKER_BUILDKIT=1
}

# docker_compose_require NAME: sets DOCKER_COMPOSE to `docker compose` (v2) or `docker-compose`
# (v1), the choice the deploy scripts make; records NAME as skipped when neither exists.
docker_compose_require() {
  local name="$1"
  if ! compose_detect; then
    t_skip "$name" "neither 'docker compose' nor 'docker-compose' found; apt-get install docker-compose"
    return 1
  fi
  DOCKER_COMPOSE=("${COMPOSE_CMD[@]}")
}

# docker_require_monitoring_images NAME: the images of the monitoring stack (upstream names, or
# the local stand-ins named by the *_IMAGE variables) are in the engine; records NAME: image X
# as skipped (failed when strict) and returns 1 for the first one missing.
docker_require_monitoring_images() {
  local name="$1" image
  for image in "${PROMETHEUS_IMAGE:-prom/prometheus:v2.42.0}" "${ALERTMANAGER_IMAGE:-prom/alertmanager:v0.25.0}" \
    "${BLACKBOX_IMAGE:-prom/blackbox-exporter:v0.23.0}" \
    "${POSTGRES_EXPORTER_IMAGE:-quay.io/prometheuscommunity/postgres-exporter:v0.11.1}"; do
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      t_skip "$name: image $image" "not in the engine; run scripts/images/build-local-base-images.sh"
      return 1
    fi
  done
}

# docker_health CONTAINER: prints the container's health status (starting, healthy, unhealthy).
docker_health() {
  docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1" 2>/dev/null
}

# docker_is_healthy CONTAINER: succeeds when the container's healthcheck says healthy.
docker_is_healthy() {
  [ "$(docker_health "$1")" = healthy ]
}

# docker_process_uids CONTAINER: prints the uid of each process in the container.
docker_process_uids() {
  docker top "$1" -eo pid,uid | awk 'NR > 1 { print $2 }'
}

# docker_image_contains IMAGE TEXT: succeeds when TEXT appears anywhere in the image: its files
# (exported filesystem), its history (commands, build args) or its configuration. grep reads each
# stream to its end (no -q): under pipefail, a writer cut off by SIGPIPE would fail the pipeline
# and hide a match.
docker_image_contains() {
  local image="$1" text="$2" container found=1
  container="$(docker create "$image" 2>/dev/null)" || return 2
  if docker export "$container" | tar -xO 2>/dev/null | grep -aF -- "$text" >/dev/null; then
    found=0
  elif docker export "$container" | tar -t 2>/dev/null | grep -F -- "$text" >/dev/null; then
    found=0
  elif docker history --no-trunc "$image" | grep -F -- "$text" >/dev/null; then
    found=0
  elif docker image inspect "$image" | grep -F -- "$text" >/dev/null; then
    found=0
  fi
  docker rm -f -v "$container" >/dev/null 2>&1 || true
  return "$found"
}

# docker_remove_containers PREFIX: removes (with their anonymous volumes) the containers whose
# name starts with PREFIX.
docker_remove_containers() {
  local prefix="$1"
  local -a ids=()
  mapfile -t ids < <(docker ps -aq --filter "name=^/$prefix")
  [ ${#ids[@]} -eq 0 ] || docker rm -f -v "${ids[@]}" >/dev/null 2>&1 || true
}

# docker_remove_project PROJECT COMPOSE_FILE [ENV...]: `down -v` of a compose project started
# by a suite (ENV are VAR=VALUE pairs compose needs to read the file), then its leftovers.
docker_remove_project() {
  local project="$1" file="$2"
  shift 2
  if [ ${#DOCKER_COMPOSE[@]} -gt 0 ]; then
    env "$@" "${DOCKER_COMPOSE[@]}" -p "$project" -f "$file" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  docker_remove_containers "${project}_"
  docker_remove_containers "${project}-"
  local -a volumes=()
  mapfile -t volumes < <(docker volume ls -q --filter "label=com.docker.compose.project=$project")
  [ ${#volumes[@]} -eq 0 ] || docker volume rm "${volumes[@]}" >/dev/null 2>&1 || true
}

# http_code METHOD URL [BODY]: prints the HTTP status (000 when nothing answered within
# HTTP_MAX_TIME seconds, default 10).
http_code() {
  local method="$1" url="$2" body="${3:-}"
  local -a args=(-s -o /dev/null -w '%{http_code}' --max-time "${HTTP_MAX_TIME:-10}" -X "$method")
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" -- "$url" 2>/dev/null || true
}

# http_ok URL: succeeds when GET URL answers 200.
http_ok() {
  [ "$(http_code GET "$1")" = 200 ]
}

# http_not_ok URL: succeeds when GET URL answers, but not 200.
http_not_ok() {
  local code
  code="$(http_code GET "$1")"
  [ "$code" != 200 ] && [ "$code" != 000 ]
}
