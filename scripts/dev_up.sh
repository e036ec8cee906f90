#!/usr/bin/env bash
# Brings the developer stack (docker-compose.yml: api + PostgreSQL) up from a fresh clone and
# waits until the API is ready:
#   1. scripts/init_local_env.sh creates .env and the password file when they are missing;
#   2. preflight: Docker answers, the password file is usable, the API port is free;
#   3. the API image is built with BuildKit (local stand-in images when
#      .tools/local-images.env exists, see scripts/images/build-local-base-images.sh);
#   4. `compose up -d`, then GET /readyz until it answers 200 (or the timeout passes).
# Needs bash 4+, coreutils, curl or bash's /dev/tcp, docker and compose (v2 or v1.29).
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
# shellcheck source=scripts/lib/local_images.sh
source "$SCRIPT_DIR/lib/local_images.sh"
# shellcheck source=scripts/lib/kv.sh
source "$SCRIPT_DIR/lib/kv.sh"
# shellcheck source=scripts/lib/compose.sh
source "$SCRIPT_DIR/lib/compose.sh"
# shellcheck source=scripts/lib/http.sh
source "$SCRIPT_DIR/lib/http.sh"

readonly EXIT_FAILED=1 EXIT_USAGE=2 EXIT_REFUSED=3
readonly DEFAULT_PROJECT=tasks-devstack

usage() {
  cat <<'EOF'
Usage: scripts/dev_up.sh [--no-build] [--timeout SECONDS]

Starts the developer stack (api + PostgreSQL) on 127.0.0.1:$API_PORT and waits until
GET /readyz answers 200. Creates .env and the database password file on first run.

Options:
  --no-build         use the existing $API_IMAGE instead of building it
  --timeout SECONDS  how long to wait for readiness (default 180)
  -h, --help         this help

Exit codes: 0 ready, 1 the stack did not become ready (logs are shown), 2 usage,
3 refused by the preflight (Docker down, password file unusable, port taken).
EOF
}

log() { printf 'dev_up: %s\n' "$*" >&2; }
die() {
  local code="$1"
  shift
  log "error: $*"
  exit "$code"
}

check_docker() {
  command -v docker >/dev/null 2>&1 || die "$EXIT_REFUSED" "docker is not installed (Docker Desktop, or apt-get install docker.io)"
  docker info >/dev/null 2>&1 || die "$EXIT_REFUSED" "the Docker engine does not answer: start Docker Desktop (or dockerd) and retry"
  compose_detect || die "$EXIT_REFUSED" "neither 'docker compose' nor 'docker-compose' is installed"
}

# port_in_use PORT: something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# our_api_holds_port PROJECT PORT: the port is published by this stack's own api container.
our_api_holds_port() {
  local project="$1" port="$2" id
  id="$(docker ps -q --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=api")"
  [ -n "$id" ] && docker port "$id" 8080 2>/dev/null | grep ":$port\$" >/dev/null
}

check_port() {
  local project="$1" port="$2"
  if [[ ! "$port" =~ ^[1-9][0-9]{0,4}$ ]] || [ "$port" -gt 65535 ]; then
    die "$EXIT_USAGE" "API_PORT='$port' is not a TCP port (1-65535): fix it in .env"
  fi
  if port_in_use "$port" && ! our_api_holds_port "$project" "$port"; then
    die "$EXIT_REFUSED" "port $port on 127.0.0.1 is already in use by another program: stop it, or set another \
API_PORT in .env (e.g. API_PORT=$((port + 1)))"
  fi
}

build_image() {
  local image="$1" version commit created
  version="$(tr -d '[:space:]' <"$REPO_ROOT/app/VERSION")"
  commit="$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || printf 'unknown')"
  # The commit's time, not the build's: an unchanged tree gives the same image.
  created="$(git -C "$REPO_ROOT" log -1 --format=%cI 2>/dev/null || printf 'unknown')"
  local -a args=(--build-arg "VERSION=$version" --build-arg "GIT_COMMIT=$commit" --build-arg "CREATED=$created")
  [ -n "${SWIFT_IMAGE:-}" ] && args+=(--build-arg "SWIFT_IMAGE=$SWIFT_IMAGE")
  [ -n "${RUNTIME_IMAGE:-}" ] && args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")
  log "building $image (version $version, commit ${commit:0:12})"
  DOCKER_BUILDKIT=1 docker build "${args[@]}" -t "$image" "$REPO_ROOT" ||
    die "$EXIT_FAILED" "the image build failed (output above); nothing was started"
  export APP_VERSION="$version" GIT_COMMIT="$commit"
}

compose() {
  (cd "$REPO_ROOT" && "${COMPOSE_CMD[@]}" -p "$PROJECT" -f docker-compose.yml "$@")
}

container_of() {
  docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" | head -n 1
}

show_diagnostics() {
  local service id
  compose ps >&2 || true
  for service in db api; do
    id="$(container_of "$service")"
    [ -n "$id" ] || continue
    log "last lines of the $service logs:"
    docker logs --tail 25 "$id" 2>&1 | sed 's/^/    /' >&2
  done
}

# api_restarted: the api container exited at least once (it restarts on its own: a config or
# password error would otherwise look like a slow start).
api_restarted() {
  local id count
  id="$(container_of api)"
  [ -n "$id" ] || return 1
  count="$(docker inspect -f '{{.RestartCount}}' "$id" 2>/dev/null || printf 0)"
  [ "${count:-0}" -gt 0 ]
}

# wait_ready PORT TIMEOUT STARTED: polls /readyz until 200; STARTED is when `up` began ($SECONDS).
wait_ready() {
  local port="$1" timeout="$2" started="$3"
  local url="http://127.0.0.1:$port/readyz"
  while [ $((SECONDS - started)) -lt "$timeout" ]; do
    if http_get "$url" 3 && [ "$HTTP_STATUS" = 200 ]; then
      log "ready $((SECONDS - started)) s after compose up: http://127.0.0.1:$port (GET /version, /api/v1/tasks, /metrics)"
      return 0
    fi
    if api_restarted; then
      show_diagnostics
      die "$EXIT_FAILED" "the api exited during start-up: read its last log lines above (a wrong database \
password shows as 'password authentication failed': the data volume keeps the first password; restore it \
or delete the volume with scripts/dev_down.sh --volumes)"
    fi
    sleep 1
  done
  show_diagnostics
  die "$EXIT_FAILED" "the api did not answer 200 on $url within $timeout s (logs above)"
}

main() {
  local build=1 timeout=180
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-build) build=0 ;;
      --timeout)
        [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { log "--timeout needs a number of seconds"; usage >&2; exit "$EXIT_USAGE"; }
        timeout="$2"
        shift
        ;;
      -h | --help) usage; exit 0 ;;
      *) log "unknown argument '$1'"; usage >&2; exit "$EXIT_USAGE" ;;
    esac
    shift
  done

  local code=0
  "$SCRIPT_DIR/init_local_env.sh" || code=$?
  [ "$code" -eq 0 ] || exit "$code"
  PROJECT="$(compose_setting "$REPO_ROOT/.env" COMPOSE_PROJECT_NAME "$DEFAULT_PROJECT")"
  local port image
  port="$(compose_setting "$REPO_ROOT/.env" API_PORT 8080)"
  image="$(compose_setting "$REPO_ROOT/.env" API_IMAGE tasks-api:dev)"
  load_local_images "$REPO_ROOT"
  check_docker
  check_port "$PROJECT" "$port"
  if [ "$build" = 1 ]; then
    build_image "$image"
  fi
  log "starting the stack (compose project $PROJECT)"
  local started=$SECONDS
  compose up -d --no-build ||
    { show_diagnostics; die "$EXIT_FAILED" "compose could not start the stack (message above)"; }
  wait_ready "$port" "$timeout" "$started"
}

PROJECT=""
main "$@"
