#!/usr/bin/env bash
# Measures the API image (figures for the README "Image et pile Compose" section):
#   1. cold build: empty layer cache and an empty .build cache mount;
#   2. warm rebuild after a one-line change in app sources, twice (the first one after a cold
#      build also rebuilds some dependency modules);
#   3. image size on the distroless-style runtime vs the same binary on a Debian-slim runtime;
#   4. time from `compose up -d` to GET /readyz = 200, with an empty volume and with data.
# Everything happens in a temporary copy of the build context (app/ is never modified), with
# its own image tags, cache id, compose project and port; all of it is removed at the end.
# Results: printed, and written to bench/results/image-<UTC time>.txt. The BuildKit cache mount
# of the run (id tasks-bench-<time>) stays in the builder cache: `docker system df` shows it,
# `docker builder prune` reclaims it (this script never prunes: the cache is shared).
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
# shellcheck source=scripts/lib/local_images.sh
source "$REPO_ROOT/scripts/lib/local_images.sh"
# shellcheck source=scripts/lib/compose.sh
source "$REPO_ROOT/scripts/lib/compose.sh"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
readonly STAMP
readonly TAG="tasks-bench/api:$STAMP"
readonly SLIM_TAG="tasks-bench/api-slim:$STAMP"
readonly PROJECT="tasks-bench-${STAMP,,}"
readonly CACHE_ID="tasks-bench-$STAMP"
WORK=""
RESULTS=()

usage() {
  cat <<'EOF'
Usage: bench/image/run.sh [--port PORT] [--skip-cold]

Builds the API image cold and warm, compares image sizes, times `compose up -d` to ready.
Takes several minutes (the cold build compiles every dependency). Needs docker with BuildKit
(/usr/bin/docker here), compose, curl.

Options:
  --port PORT  host port for the timed stack (default 18280)
  --skip-cold  no cold build: the rebuilds use the project's own .build cache (id
               tasks-api-build, warmed by a previous build) instead of an empty one
  -h, --help   this help
EOF
}

log() { printf 'bench-image: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

record() {
  RESULTS+=("$(printf '%-58s %s' "$1" "$2")")
  log "$1: $2"
}

cleanup() {
  if [ -n "$WORK" ] && [ ${#COMPOSE_CMD[@]} -gt 0 ] && [ -f "$WORK/stack/docker-compose.yml" ]; then
    stack_compose down -v >/dev/null 2>&1 || true
  fi
  docker image rm "$TAG" "$SLIM_TAG" >/dev/null 2>&1 || true
  [ -z "$WORK" ] || rm -rf "$WORK"
}

make_context() {
  mkdir -p "$WORK/context"
  cp "$REPO_ROOT/.dockerignore" "$WORK/context/"
  if [ "$SKIP_COLD" = 1 ]; then
    cp "$REPO_ROOT/Dockerfile" "$WORK/context/Dockerfile"
  else
    sed "s/id=tasks-api-build,/id=$CACHE_ID,/" "$REPO_ROOT/Dockerfile" >"$WORK/context/Dockerfile"
    grep -q "id=$CACHE_ID" "$WORK/context/Dockerfile" || die "the Dockerfile's cache mount id was not found"
  fi
  tar -C "$REPO_ROOT" --exclude='app/.build' --exclude='app/.swiftpm' -c app | tar -C "$WORK/context" -x
}

# build TAG [docker build args...]: builds the context; prints the elapsed seconds.
build() {
  local tag="$1" started
  shift
  local -a args=()
  [ -z "${SWIFT_IMAGE:-}" ] || args+=(--build-arg "SWIFT_IMAGE=$SWIFT_IMAGE")
  started="$(date +%s.%N)"
  DOCKER_BUILDKIT=1 docker build "${args[@]}" "$@" -t "$tag" "$WORK/context" >>"$WORK/build.log" 2>&1 ||
    { tail -n 30 "$WORK/build.log" >&2; die "docker build failed (log above)"; }
  awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

# one_line_change N: changes one line of an app source file in the copy (never in app/).
one_line_change() {
  local file
  file="$(find "$WORK/context/app/Sources/tasks-api" -name '*.swift' | LC_ALL=C sort | head -n 1)"
  printf '// bench change %s\n' "$1" >>"$file"
}

size_mb() {
  local bytes
  bytes="$(docker image inspect -f '{{.Size}}' "$1")"
  awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1000000 }'
}

stack_compose() {
  (cd "$WORK/stack" && "${COMPOSE_CMD[@]}" -p "$PROJECT" -f docker-compose.yml "$@")
}

# time_to_ready: `up -d` then GET /readyz every 0.2 s; prints the seconds until 200.
time_to_ready() {
  local url="http://127.0.0.1:$PORT/readyz" started deadline=$((SECONDS + 180))
  started="$(date +%s.%N)"
  stack_compose up -d >/dev/null 2>&1 || die "compose up failed"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" = 200 ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "the stack was not ready within 180 s"
    sleep 0.2
  done
  awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'
}

prepare_stack() {
  mkdir -p "$WORK/stack/secrets"
  cp "$REPO_ROOT/docker-compose.yml" "$WORK/stack/"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/stack/secrets/db_password.txt"
  chmod 0644 "$WORK/stack/secrets/db_password.txt"
  export APP_ENV=dev DATABASE_NAME=tasks DATABASE_USER=tasks API_IMAGE="$TAG" API_PORT="$PORT" \
    DB_PASSWORD_FILE="$WORK/stack/secrets/db_password.txt"
}

PORT=18280
SKIP_COLD=0

main() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --port)
        [[ "${2:-}" =~ ^[0-9]+$ ]] || { usage >&2; exit 2; }
        PORT="$2"
        shift
        ;;
      --skip-cold) SKIP_COLD=1 ;;
      -h | --help) usage; exit 0 ;;
      *) log "unknown argument '$1'"; usage >&2; exit 2 ;;
    esac
    shift
  done
  command -v curl >/dev/null || die "curl is missing"
  docker info >/dev/null 2>&1 || die "the Docker engine does not answer"
  compose_detect || die "neither 'docker compose' nor 'docker-compose' is installed"
  load_local_images "$REPO_ROOT"
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-image.XXXXXX")"
  trap cleanup EXIT
  make_context

  local runtime="${RUNTIME_IMAGE:-gcr.io/distroless/cc-debian12:nonroot}"
  local slim="${DEBIAN_IMAGE:-debian:bookworm-slim}"
  local seconds
  if [ "$SKIP_COLD" = 1 ]; then
    record "cold build" "not measured (--skip-cold)"
  else
    log "cold build (every dependency compiled; several minutes on 2 cores)"
    seconds="$(build "$TAG" --no-cache --build-arg "RUNTIME_IMAGE=$runtime")"
    record "cold build (no layer cache, empty .build cache)" "$seconds s"
  fi
  one_line_change 1
  seconds="$(build "$TAG" --build-arg "RUNTIME_IMAGE=$runtime")"
  record "rebuild after a one-line change (1st)" "$seconds s"
  one_line_change 2
  seconds="$(build "$TAG" --build-arg "RUNTIME_IMAGE=$runtime")"
  record "rebuild after a one-line change (2nd)" "$seconds s"
  seconds="$(build "$TAG" --build-arg "RUNTIME_IMAGE=$runtime")"
  record "rebuild with no change" "$seconds s"
  record "image size, runtime $runtime" "$(size_mb "$TAG")"
  build "$SLIM_TAG" --build-arg "RUNTIME_IMAGE=$slim" >/dev/null
  record "image size, same binary on $slim" "$(size_mb "$SLIM_TAG")"
  record "runtime base alone: $runtime" "$(size_mb "$runtime")"
  record "runtime base alone: $slim" "$(size_mb "$slim")"

  prepare_stack
  seconds="$(time_to_ready)"
  record "compose up -d -> /readyz 200, empty volume (initdb)" "$seconds s"
  stack_compose down >/dev/null 2>&1
  seconds="$(time_to_ready)"
  record "compose up -d -> /readyz 200, existing volume" "$seconds s"

  mkdir -p "$REPO_ROOT/bench/results"
  local out="$REPO_ROOT/bench/results/image-$STAMP.txt"
  {
    printf 'bench/image/run.sh, %s, %s cores, docker %s\n' "$STAMP" "$(nproc)" "$(docker version -f '{{.Server.Version}}')"
    printf '%s\n' "${RESULTS[@]}"
  } | tee "$out"
  log "results written to ${out#"$REPO_ROOT"/}"
}

main "$@"
