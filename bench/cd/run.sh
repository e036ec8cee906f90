#!/usr/bin/env bash
# Benchmark of the simulated CD (scripts/deploy_local.sh, scripts/rollback.sh) with the real api
# image, in a stack of its own (compose project cdbench, port 28180, a temporary deploy dir):
#   1. first deploy (builds; warm when BuildKit already has the layers)
#   2. deploy with no change (the build is a cache hit)
#   3. the same with --save-image (docker save | gzip into the release: the cost, the size)
#   4. deploy after a one-line change of a Swift source, in a temporary copy of the build context
#   5. rollback to the previous release (3)
#   6. deploy the image of 4 again (--no-build), remove every tag of the image of 1-3 from the
#      engine, and roll back to 3: its image is loaded from the image.tar.gz saved in step 3
# During 2 to 6, from the moment the script starts touching the containers until 2 s after it
# ends, a bounded loop sends 20 requests per second to 127.0.0.1 (GET /api/v1/tasks?limit=1, a
# new connection each) and counts the requests that did not get a 200, with their p99; from the
# moment the script switches the proxy (docs/zero-downtime.md), wrk loads the same URL on 8
# keep-alive connections for WRK_SECONDS and its failures and p99 are recorded too. A steady
# wrk run (no deploy) gives the p99 to compare with. "Serving after" is the time from the start
# of the command to the moment the proxy serves the new release (verified through its port):
# deploy-to-healthy and rollback-to-healthy; the rest of the command drains the old slot.
# Results: stdout and bench/results/cd-<UTC time>.md.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/load.sh
source "$REPO_ROOT/scripts/tests/lib/load.sh"
readonly PROJECT=cdbench API_REPO=cdbench-api
readonly RATE=20 SETTLE_MS=2000 WRK_SECONDS=8
# The line the scripts log once the proxy serves the new release (scripts/lib/proxy.sh).
readonly SERVING_LINE="now routes to slot"
PORT="${BENCH_PORT:-28180}"
WORK=""
RESULTS=()

usage() {
  cat <<EOF
Usage: bench/cd/run.sh [--port PORT]

Measures deploy time (first, no change, with --save-image, one-line change), rollback time
(image present, image loaded from the saved archive), the archive's size, and the requests
that fail during a deploy and a rollback under a ${RATE} req/s loop on 127.0.0.1 and under wrk
during the proxy's switch, with p99 latencies (and wrk's steady-state p99).
Runs in its own compose project ($PROJECT) and removes it at the end.

Options:
  --port PORT   host port of the benchmark's api (default: 28180; also BENCH_PORT)
  -h, --help    show this help

Needs: docker (engine running, BuildKit), curl, wrk, the local images (.tools/local-images.env).
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
  cd_remove_stack "$PROJECT" "$API_REPO"
  [ -z "$WORK" ] || rm -rf -- "$WORK"
}

# prepare_context: a copy of what the Dockerfile reads, so the one-line change never touches app/.
prepare_context() {
  mkdir -p "$WORK/context"
  cp "$REPO_ROOT/Dockerfile" "$REPO_ROOT/.dockerignore" "$WORK/context/"
  tar -C "$REPO_ROOT" --exclude='.build' --exclude='.build-*' --exclude='.swiftpm' -cf - app |
    tar -C "$WORK/context" -xf -
  cd_make_secret "$WORK/secrets"
}

# one_line_change: appends one line to a source file of the api's library module.
one_line_change() {
  local file
  file="$(find "$WORK/context/app/Sources/TasksAPI" -name '*.swift' | LC_ALL=C sort | head -n 1)"
  [ -n "$file" ] || die "no Swift source found in the copied context"
  printf '// benchmark change %s\n' "$(now_ms)" >>"$file"
  log "one-line change in ${file#"$WORK/context/"}"
}

# measure NAME TRIGGER CMD...: runs CMD and records its duration. With a TRIGGER (a text the
# script logs just before it touches the containers), the request loop starts when that line
# appears and stops SETTLE_MS after CMD ends, and wrk runs from the proxy's switch for
# WRK_SECONDS; their failed requests and p99 are recorded too.
measure() {
  local name="$1" trigger="$2" start end code=0 cmd_pid wrk_pid="" failed="-" total="-" p99="-" serving="-"
  local wrk_cells="- | - | -" wrk_out="$WORK/wrk.$RANDOM"
  shift 2
  local output="$WORK/step.$RANDOM.log" url="http://127.0.0.1:$PORT/api/v1/tasks?limit=1"
  log "$name ..."
  start="$(now_ms)"
  "$@" >"$output" 2>&1 &
  cmd_pid=$!
  if [ -n "$trigger" ]; then
    while kill -0 "$cmd_pid" 2>/dev/null && ! grep -q -- "$trigger" "$output"; do sleep 0.1; done
    load_start "$url" "$RATE" "$WORK"
    while kill -0 "$cmd_pid" 2>/dev/null && ! grep -q -- "switching the proxy" "$output"; do sleep 0.05; done
    if grep -q -- "switching the proxy" "$output"; then
      load_wrk "$url" "$WRK_SECONDS" "$wrk_out" &
      wrk_pid=$!
    fi
  fi
  while kill -0 "$cmd_pid" 2>/dev/null && ! grep -q -- "$SERVING_LINE" "$output"; do sleep 0.05; done
  grep -q -- "$SERVING_LINE" "$output" && serving="$(serving_seconds "$start")"
  wait "$cmd_pid" || code=$?
  end="$(now_ms)"
  cat "$output" >>"$WORK/commands.log"
  if [ -n "$trigger" ]; then
    sleep "$(printf '%d.%03d' $((SETTLE_MS / 1000)) $((SETTLE_MS % 1000)))"
    load_stop
    total="$(load_sent)"
    failed="$(load_failed)"
    p99="$(load_p99_ms)"
    if [ -n "$wrk_pid" ]; then
      wait "$wrk_pid" || true
      wrk_cells="$(load_wrk_failed "$wrk_out") | $(load_wrk_requests "$wrk_out") ($(load_wrk_rate "$wrk_out")/s) | $(load_wrk_p99 "$wrk_out")"
    fi
  fi
  if [ "$code" -ne 0 ]; then
    tail -n 30 "$output" >&2
    die "$name failed (exit $code)"
  fi
  RESULTS+=("| $name | $(printf '%d.%01d' $(((end - start) / 1000)) $((((end - start) % 1000) / 100))) | $serving | $failed | $total | $p99 | $wrk_cells |")
  log "$name: $((end - start)) ms (serving after $serving s), failed requests: $failed of $total (p99 $p99 ms); wrk: $wrk_cells"
}

# serving_seconds START_MS: seconds (one decimal) from START_MS to now.
serving_seconds() {
  local elapsed=$(($(now_ms) - $1))
  printf '%d.%01d' $((elapsed / 1000)) $(((elapsed % 1000) / 100))
}

# steady_state: wrk for WRK_SECONDS with no deploy: the p99 to compare with the switch's.
steady_state() {
  local out="$WORK/wrk.steady"
  load_wrk "http://127.0.0.1:$PORT/api/v1/tasks?limit=1" "$WRK_SECONDS" "$out"
  RESULTS+=("| steady state, no deploy (wrk only) | $WRK_SECONDS | | | | | $(load_wrk_failed "$out") | $(load_wrk_requests "$out") ($(load_wrk_rate "$out")/s) | $(load_wrk_p99 "$out") |")
  log "steady state: wrk $(load_wrk_requests "$out") requests, failed $(load_wrk_failed "$out"), p99 $(load_wrk_p99 "$out")"
}

deploy() {
  DEPLOY_DIR="$WORK/deploy" "$REPO_ROOT/scripts/deploy_local.sh" --timeout 120 "$@"
}

rollback() {
  DEPLOY_DIR="$WORK/deploy" "$REPO_ROOT/scripts/rollback.sh" --timeout 120 "$@"
}

# current_release: prints the id the deploy directory's pointer names.
current_release() {
  local link
  if link="$(readlink "$WORK/deploy/current" 2>/dev/null)"; then
    printf '%s' "${link#releases/}"
  else
    tr -d '[:space:]' <"$WORK/deploy/current.txt"
  fi
}

# logged_ms TEXT: prints the "N ms" figure of the last command output line containing TEXT.
logged_ms() {
  grep -F -- "$1" "$WORK/commands.log" | tail -n 1 | grep -oE '[0-9]+ ms' | tail -n 1 | cut -d' ' -f1
}

# remove_images_but IMAGE_ID: removes every tag of the benchmark's api images but those of
# IMAGE_ID; the builds of steps 1-3 differ only by their labels and share their layers, so all
# of them must go for the saved image's layers to be gone from the engine.
remove_images_but() {
  local keep="$1" id
  local -a tags=() stopped=()
  # The stopped slot (blue/green) still references its image: remove stopped containers of the
  # benchmark's project that run another image first.
  mapfile -t stopped < <(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" --filter status=exited)
  for id in "${stopped[@]}"; do
    [ "$(docker inspect --format '{{.Image}}' "$id")" = "$keep" ] || docker rm -f "$id" >/dev/null
  done
  mapfile -t tags < <(docker images --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}' "$API_REPO" |
    awk -v keep="$keep" '$1 != keep { print $2 }')
  [ "${#tags[@]}" -eq 0 ] || docker rmi "${tags[@]}" >/dev/null
}

# saved_image_steps: steps 3, 5 and 6 of the header, with the archive's size and the times of
# `docker save | gzip` and `docker load` as the scripts log them.
saved_image_steps() {
  local saved changed archive image_id
  measure "deploy, no change, --save-image" "starting release" deploy --save-image
  saved="$(current_release)"
  archive="$WORK/deploy/releases/$saved/image.tar.gz"
  image_id="$(docker image inspect --format '{{.Id}}' "$API_REPO:$saved")"
  RESULTS+=("| image.tar.gz: $(($(wc -c <"$archive") / 1048576)) MiB (image $(($(docker image inspect --format '{{.Size}}' "$image_id") / 1048576)) MiB); docker save + gzip $(logged_ms "image saved:") ms | | | | | | | | |")
  one_line_change
  measure "deploy after a one-line change" "starting release" deploy
  changed="$(current_release)"
  measure "rollback to the previous release" "rolling back from" rollback
  measure "deploy the changed image again (--no-build)" "starting release" \
    env DEPLOY_DIR="$WORK/deploy" DEPLOY_SOURCE_IMAGE="$API_REPO:$changed" \
    "$REPO_ROOT/scripts/deploy_local.sh" --timeout 120 --no-build
  remove_images_but "$(docker image inspect --format '{{.Id}}' "$API_REPO:$changed")"
  if docker image inspect "$image_id" >/dev/null 2>&1; then die "image $image_id is still in the engine"; fi
  measure "rollback, image loaded from image.tar.gz" "rolling back from" rollback
  RESULTS+=("| docker load of image.tar.gz (sha256 checked): $(logged_ms "loaded $API_REPO:$saved") ms | | | | | | | | |")
}

report() {
  local file line
  file="$REPO_ROOT/bench/results/cd-$(date -u +%Y%m%dT%H%M%SZ).md"
  mkdir -p "$REPO_ROOT/bench/results"
  {
    printf '# bench/cd/run.sh, %s, %s cores, docker %s, %s\n\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
      "$(docker version --format '{{.Server.Version}}' 2>/dev/null)" "$(docker-compose version --short 2>/dev/null || docker compose version --short)"
    printf '| step | seconds | serving after (s) | failed requests | requests sent (%s/s) | p99 ms (%s/s) | wrk failed | wrk requests | wrk p99 |\n|---|---|---|---|---|---|---|---|---|\n' "$RATE" "$RATE"
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
  command -v wrk >/dev/null || die "wrk is needed for the load during the switch (apt-get install wrk)"
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
  steady_state
  saved_image_steps
  report
}

main "$@"
