#!/usr/bin/env bash
# Benchmark of the simulated CD (scripts/deploy_local.sh, scripts/rollback.sh) with the real api
# image, in a stack of its own (compose project cdbench, port 28180, a temporary deploy dir):
#   1. first deploy (builds; warm when BuildKit already has the layers)
#   2. deploy with no change (the build is a cache hit)
#   3. deploy after a one-line change of a Swift source, in a temporary copy of the build context
#   4. rollback to the previous release
# During 2, 3 and 4, from the moment the script starts touching the containers until 2 s after it
# ends, a bounded loop sends 20 requests per second to 127.0.0.1 (GET /api/v1/tasks?limit=1) and
# counts the requests that did not get a 200: the baseline for a later zero-downtime goal. Results: stdout and bench/results/cd-<UTC time>.md.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly PROJECT=cdbench API_REPO=cdbench-api
readonly RATE=20 LOAD_MAX_SECONDS=300 SETTLE_MS=2000
PORT="${BENCH_PORT:-28180}"
WORK=""
RESULTS=()

usage() {
  cat <<EOF
Usage: bench/cd/run.sh [--port PORT]

Measures deploy time (first, no change, one-line change), rollback time, and the requests
that fail during a deploy and a rollback under a ${RATE} req/s loop on 127.0.0.1.
Runs in its own compose project ($PROJECT) and removes it at the end.

Options:
  --port PORT   host port of the benchmark's api (default: 28180; also BENCH_PORT)
  -h, --help    show this help

Needs: docker (engine running, BuildKit), curl, the local images (.tools/local-images.env).
Exit codes: 0 measured; 1 a step failed; 2 usage.
EOF
}

log() { printf 'bench-cd: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
now_ms() { date +%s%3N; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --port)
        if [ $# -lt 2 ] || [[ ! "$2" =~ ^[1-9][0-9]{3,4}$ ]]; then
          log "--port needs a port number"
          exit 2
        fi
        PORT="$2"
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        log "unknown argument '$1'"
        usage >&2
        exit 2
        ;;
    esac
    shift
  done
}

# cleanup: the benchmark's containers, network, volume, images and temporary files.
cleanup() {
  local -a ids=()
  mapfile -t ids < <(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")
  [ "${#ids[@]}" -eq 0 ] || docker rm -f "${ids[@]}" >/dev/null 2>&1 || true
  docker network rm "${PROJECT}_backend" >/dev/null 2>&1 || true
  docker volume rm "${PROJECT}_db-data" >/dev/null 2>&1 || true
  mapfile -t ids < <(docker images --format '{{.Repository}}:{{.Tag}}' "$API_REPO")
  [ "${#ids[@]}" -eq 0 ] || docker rmi "${ids[@]}" >/dev/null 2>&1 || true
  [ -z "$WORK" ] || rm -rf -- "$WORK"
}

# prepare_context: a copy of what the Dockerfile reads, so the one-line change never touches app/.
prepare_context() {
  mkdir -p "$WORK/context" "$WORK/secrets"
  cp "$REPO_ROOT/Dockerfile" "$REPO_ROOT/.dockerignore" "$WORK/context/"
  tar -C "$REPO_ROOT" --exclude='.build' --exclude='.build-*' --exclude='.swiftpm' -cf - app |
    tar -C "$WORK/context" -xf -
  chmod 700 "$WORK/secrets"
  (umask 022 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$WORK/secrets/db_password.txt")
}

# one_line_change: appends one line to a source file of the api's library module.
one_line_change() {
  local file
  file="$(find "$WORK/context/app/Sources/TasksAPI" -name '*.swift' | LC_ALL=C sort | head -n 1)"
  [ -n "$file" ] || die "no Swift source found in the copied context"
  printf '// benchmark change %s\n' "$(now_ms)" >>"$file"
  log "one-line change in ${file#"$WORK/context/"}"
}

# load_loop STOP_FILE OUT_FILE: GET /api/v1/tasks?limit=1 at RATE per second (each request in the
# background, 2 s timeout) until STOP_FILE exists or LOAD_MAX_SECONDS pass; one status per line.
load_loop() {
  local stop="$1" out="$2" start sent=0 delay url="http://127.0.0.1:$PORT/api/v1/tasks?limit=1"
  start="$(now_ms)"
  while [ ! -e "$stop" ] && [ $(($(now_ms) - start)) -lt $((LOAD_MAX_SECONDS * 1000)) ]; do
    (
      code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null || true)"
      printf '%s\n' "${code:-000}" >>"$out"
    ) &
    sent=$((sent + 1))
    delay=$((start + sent * 1000 / RATE - $(now_ms)))
    [ "$delay" -le 0 ] || sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  done
  wait
}

# measure NAME TRIGGER CMD...: runs CMD and records its duration. With a TRIGGER (a text the
# script logs just before it touches the containers), the request loop starts when that line
# appears and stops SETTLE_MS after CMD ends; its failed requests are recorded too.
measure() {
  local name="$1" trigger="$2" start end code=0 cmd_pid loop_pid="" failed="-" total="-"
  shift 2
  local stop="$WORK/stop.$RANDOM" out="$WORK/load.$RANDOM" output="$WORK/step.$RANDOM.log"
  : >"$out"
  log "$name ..."
  start="$(now_ms)"
  "$@" >"$output" 2>&1 &
  cmd_pid=$!
  if [ -n "$trigger" ]; then
    while kill -0 "$cmd_pid" 2>/dev/null && ! grep -q -- "$trigger" "$output"; do sleep 0.1; done
    load_loop "$stop" "$out" &
    loop_pid=$!
  fi
  wait "$cmd_pid" || code=$?
  end="$(now_ms)"
  cat "$output" >>"$WORK/commands.log"
  if [ -n "$loop_pid" ]; then
    sleep "$(printf '%d.%03d' $((SETTLE_MS / 1000)) $((SETTLE_MS % 1000)))"
    touch "$stop"
    wait "$loop_pid" || true
    total="$(wc -l <"$out" | tr -d ' ')"
    failed="$(grep -cv '^200$' "$out" || true)"
  fi
  if [ "$code" -ne 0 ]; then
    tail -n 30 "$output" >&2
    die "$name failed (exit $code)"
  fi
  RESULTS+=("| $name | $(printf '%d.%01d' $(((end - start) / 1000)) $((((end - start) % 1000) / 100))) | $failed | $total |")
  log "$name: $((end - start)) ms, failed requests: $failed of $total"
}

deploy() {
  DEPLOY_DIR="$WORK/deploy" "$REPO_ROOT/scripts/deploy_local.sh" --timeout 120 "$@"
}

report() {
  local file line
  file="$REPO_ROOT/bench/results/cd-$(date -u +%Y%m%dT%H%M%SZ).md"
  mkdir -p "$REPO_ROOT/bench/results"
  {
    printf '# bench/cd/run.sh, %s, %s cores, docker %s, %s\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
      "$(docker version --format '{{.Server.Version}}' 2>/dev/null)" "$(docker-compose version --short 2>/dev/null || docker compose version --short)"
    printf '| step | seconds | failed requests | requests sent (%s/s) |\n|---|---|---|---|\n' "$RATE"
    for line in "${RESULTS[@]}"; do printf '%s\n' "$line"; done
  } | tee "$file"
  log "written to ${file#"$REPO_ROOT/"}"
}

main() {
  parse_args "$@"
  if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1; then
    die "the Docker engine does not answer"
  fi
  command -v curl >/dev/null || die "curl is needed for the request loop"
  export PATH="/usr/bin:$PATH" DOCKER_BUILDKIT=1
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-cd.XXXXXX")"
  trap cleanup EXIT
  [ -z "$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")" ] ||
    die "a $PROJECT stack already exists; remove it first (docker rm -f its containers)"
  prepare_context
  export DEPLOY_PROJECT_NAME="$PROJECT" DEPLOY_IMAGE_REPO="$API_REPO" API_PORT="$PORT"
  export DEPLOY_SECRETS_DIR="$WORK/secrets" DEPLOY_BUILD_CONTEXT="$WORK/context"
  measure "first deploy (build, database created)" "" deploy
  measure "deploy, no change (cached build)" "starting release" deploy
  one_line_change
  measure "deploy after a one-line change" "starting release" deploy
  measure "rollback to the previous release" "rolling back from" \
    env DEPLOY_DIR="$WORK/deploy" "$REPO_ROOT/scripts/rollback.sh" --timeout 120
  report
}

main "$@"
