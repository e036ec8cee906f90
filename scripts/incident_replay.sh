#!/usr/bin/env bash
# Replays the incident of incidents/scenario.md end to end with the repository's own tools and
# real containers: a good release, the monitoring stack in drill mode, a faulty release that
# passes the health gate (FAULT_5XX_RATE: part of /api/ answered 500, health endpoints spared),
# bounded traffic on 127.0.0.1, ApiHighErrorRate at the webhook receiver, reldash's dashboard
# showing it, the rollback pressed in the dashboard (R then y), the alert resolved. Writes the
# evidence and a timeline (timeline.tsv) into the output directory.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=incident_replay

# shellcheck source=scripts/lib/all.sh
source "$SCRIPT_DIR/lib/all.sh"
# shellcheck source=scripts/monitoring/stack.sh
source "$SCRIPT_DIR/monitoring/stack.sh"
# shellcheck source=scripts/incident/dashboard.sh
source "$SCRIPT_DIR/incident/dashboard.sh"
# shellcheck source=scripts/incident/timeline.sh
source "$SCRIPT_DIR/incident/timeline.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/incident_replay.sh [--out DIR] [--fault-rate R] [--timeout S] [--no-build]
                                  [--keep-running]

Replays incidents/scenario.md on this machine (environment dev, real containers):
  1. scripts/deploy_local.sh: the good release (built from the working tree, or --no-build)
  2. scripts/monitoring_up.sh --drill: Prometheus, Alertmanager, blackbox, webhook receiver
     (every for: and window divided by 30, so the incident takes about two minutes)
  3. FAULT_5XX_RATE=R scripts/deploy_local.sh --no-build: the faulty release; it passes the
     health gate because /healthz, /readyz and /version are never faulted
  4. traffic: GET /api/v1/tasks?limit=1 about 10 times a second on 127.0.0.1 (bounded)
  5. waits for ApiHighErrorRate "firing" at the webhook receiver
  6. reldash's dashboard in tmux shows the alert; the replay presses R, then y (rollback.sh)
  7. waits for ApiHighErrorRate "resolved", stops the traffic and the dashboard
  8. writes the timeline from history.jsonl, the webhook notifications and the API logs
Then stops the monitoring stack unless --keep-running (the deployment stays: it is the good
release again). The variables of deploy_local.sh and monitoring_up.sh apply (DEPLOY_DIR,
DEPLOY_PROJECT_NAME, API_PORT, PROMETHEUS_PORT, WEBHOOK_PORT, ...); RELDASH_BIN names the
reldash binary (default: the host debug build, built when missing).

Options:
  --out DIR        where the evidence and timeline.tsv go (default:
                   .test-output/incident-replay/<UTC time>); must not exist or be empty
  --fault-rate R   share of /api/ requests answered 500 (0 < R <= 1); default 0.3
  --timeout S      deadline of each wait; default 120
  --no-build       deploy the good release from the current release's image (no docker build)
  --keep-running   leave the monitoring stack running at the end
  -h, --help       show this help
Exit codes: 0 the incident was replayed (alert fired, rolled back from reldash, resolved);
1 a step failed (the message says which; the evidence so far is kept); 2 usage; 3 refused
(docker, compose, tmux, reldash or a local image missing).
EOF_USAGE
}

OPT_OUT=""
OPT_RATE=0.3
OPT_TIMEOUT=120
OPT_BUILD=1
OPT_KEEP=0
OUT=""

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --out)
        [ -n "${2:-}" ] || usage_error "--out needs a directory"
        OPT_OUT="$2"
        shift
        ;;
      --fault-rate)
        [[ "${2:-}" =~ ^(0?\.[0-9]*[1-9][0-9]*|1(\.0+)?)$ ]] || usage_error "--fault-rate needs a number above 0, at most 1"
        OPT_RATE="$2"
        shift
        ;;
      --timeout)
        [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout needs a whole number of seconds"
        OPT_TIMEOUT="$2"
        shift
        ;;
      --no-build) OPT_BUILD=0 ;;
      --keep-running) OPT_KEEP=1 ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
}

# step TEXT: logs TEXT and records it with its UTC time in steps.tsv.
step() {
  log_info "$*"
  printf '%s\t%s\n' "$(utc_now)" "$*" >>"$OUT/steps.tsv"
}

require() {
  command -v docker >/dev/null 2>&1 || die "$EXIT_REFUSED" "docker is not installed (Docker Desktop, or apt-get install docker.io)"
  docker info >/dev/null 2>&1 || die "$EXIT_REFUSED" "the Docker engine does not answer: start it"
  compose_detect || die "$EXIT_REFUSED" "neither 'docker compose' nor 'docker-compose' is available"
  command -v tmux >/dev/null 2>&1 || die "$EXIT_REFUSED" "tmux is needed to drive reldash's dashboard (apt-get install tmux)"
  command -v curl >/dev/null 2>&1 || die "$EXIT_REFUSED" "curl is needed for the traffic (apt-get install curl)"
}

prepare_out() {
  OUT="${OPT_OUT:-$REPO_ROOT/.test-output/incident-replay/$(date -u +%Y%m%dT%H%M%SZ)}"
  if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
    die "$EXIT_USAGE" "--out $OUT is not empty: choose another directory"
  fi
  mkdir -p "$OUT"
  OUT="$(cd "$OUT" && pwd)"
}

on_exit() {
  local code=$?
  monitoring_traffic_stop
  dashboard_stop
  if [ -n "$OUT" ] && [ -d "$OUT" ]; then
    save_evidence || true
    timeline_write "$OUT" || true
    log_info "evidence and timeline in $OUT"
  fi
  if [ "$OPT_KEEP" = 0 ] && [ -n "${MONITORING_COMPOSE_FILE:-}" ]; then
    "$SCRIPT_DIR/monitoring_down.sh" --env dev >/dev/null 2>&1 || true
  fi
  exit "$code"
}

# history_since: the history.jsonl lines written since the replay started.
HISTORY_START=0
save_evidence() {
  local history="$DEPLOY_DIR/history.jsonl"
  if [ -f "$history" ]; then
    tail -n +"$((HISTORY_START + 1))" "$history" >"$OUT/history.jsonl"
  fi
  curl -s --max-time 5 "http://127.0.0.1:$WEBHOOK_PORT/cgi-bin/alerts" >"$OUT/webhook.jsonl" 2>/dev/null || true
}

# save_api_log RELEASE: the logs of the API container that runs RELEASE (one JSON line per
# request): the slot (api-blue or api-green) whose RELEASE_ID is that release.
save_api_log() {
  local container="" candidate
  for candidate in $(docker ps -q --filter "label=com.docker.compose.project=$DEPLOY_PROJECT_NAME"); do
    if docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$candidate" 2>/dev/null |
      grep -qx "RELEASE_ID=$1"; then
      container="$candidate"
      break
    fi
  done
  [ -n "$container" ] || return 0
  docker logs "$container" >"$OUT/api-$1.log" 2>&1 || true
}

# current_release: prints the id the current pointer names (contract rule), "" when none.
current_release() {
  pointer_read "$DEPLOY_DIR" || true
  printf '%s' "$POINTER_ID"
}

wait_webhook() {
  log_info "waiting up to ${OPT_TIMEOUT}s for $1 '$2' at the webhook receiver"
  monitoring_wait_webhook "$1" "$2" "$OPT_TIMEOUT" "$3" || die "$EXIT_FAILED" "$MONITORING_REASON"
}

main() {
  parse_args "$@"
  require
  load_local_images "$REPO_ROOT"
  export DEPLOY_DIR="${DEPLOY_DIR:-$REPO_ROOT/deploy}"
  export DEPLOY_SECRETS_DIR="${DEPLOY_SECRETS_DIR:-$REPO_ROOT/secrets/dev}"
  # The monitoring's database exporter logs in with the deployment's password.
  export DB_PASSWORD_FILE="${DB_PASSWORD_FILE:-$DEPLOY_SECRETS_DIR/db_password.txt}"
  monitoring_settings "$REPO_ROOT" dev
  local bin
  bin="$(dashboard_binary "$REPO_ROOT")" ||
    die "$EXIT_REFUSED" "no reldash binary: install Swift 6 (the replay builds it) or set RELDASH_BIN"
  prepare_out
  trap on_exit EXIT
  mkdir -p "$DEPLOY_DIR/releases"
  [ ! -f "$DEPLOY_DIR/history.jsonl" ] || HISTORY_START="$(wc -l <"$DEPLOY_DIR/history.jsonl")"
  local api="http://127.0.0.1:${API_PORT:-8080}" seen good bad
  local -a build=()
  [ "$OPT_BUILD" = 1 ] || build=(--no-build)

  step "step 1: deploying the good release (scripts/deploy_local.sh ${build[*]})"
  "$SCRIPT_DIR/deploy_local.sh" --env dev "${build[@]}" || die "$EXIT_FAILED" "the good release did not deploy"
  good="$(current_release)"
  step "good release $good serving"

  step "step 2: monitoring stack in drill mode (scripts/monitoring_up.sh --drill)"
  "$SCRIPT_DIR/monitoring_up.sh" --env dev --drill --timeout "$OPT_TIMEOUT" ||
    die "$EXIT_FAILED" "the monitoring stack is not healthy"

  step "step 3: deploying the faulty release (FAULT_5XX_RATE=$OPT_RATE scripts/deploy_local.sh --no-build)"
  seen="$(monitoring_webhook_count ApiHighErrorRate firing)"
  FAULT_5XX_RATE="$OPT_RATE" "$SCRIPT_DIR/deploy_local.sh" --env dev --no-build ||
    die "$EXIT_FAILED" "the faulty release did not pass the health gate: the scenario needs it to"
  bad="$(current_release)"
  step "faulty release $bad passed the health gate and serves"

  monitoring_traffic_start "$api/api/v1/tasks?limit=1" "$((4 * OPT_TIMEOUT))"
  step "step 4: traffic started (GET /api/v1/tasks?limit=1, about 10/s)"
  wait_webhook ApiHighErrorRate firing "$seen"
  step "step 5: ApiHighErrorRate firing notification reached the webhook receiver"

  step "step 6: reldash dashboard opened on the deploy tree and Prometheus"
  dashboard_start "$bin" "$OUT" --deploy-dir "$DEPLOY_DIR" --prometheus-url "http://127.0.0.1:$PROMETHEUS_PORT" \
    --interval 2s --scripts-dir "$SCRIPT_DIR"
  dashboard_wait ApiHighErrorRate "$OPT_TIMEOUT" || die "$EXIT_FAILED" "reldash never showed ApiHighErrorRate"
  dashboard_screen >"$OUT/reldash-alert.txt"
  step "reldash shows ApiHighErrorRate firing on release $bad"
  save_api_log "$bad"
  dashboard_keys R
  dashboard_wait "Roll back?" 20 || die "$EXIT_FAILED" "R did not open the rollback confirmation"
  dashboard_screen >"$OUT/reldash-confirm.txt"
  step "R pressed: reldash asks to run scripts/rollback.sh --to $good"
  seen="$(monitoring_webhook_count ApiHighErrorRate resolved)"
  dashboard_keys y
  step "y pressed: rollback started from reldash"
  local deadline=$((SECONDS + OPT_TIMEOUT))
  until [ "$(current_release)" = "$good" ] && [ -f "$DEPLOY_DIR/releases/$bad/BAD" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "$EXIT_FAILED" "the rollback from reldash did not bring back $good"
    sleep 1
  done
  step "rollback done: $good serving, $bad marked BAD"
  sleep 3
  dashboard_screen >"$OUT/reldash-after.txt"

  wait_webhook ApiHighErrorRate resolved "$seen"
  step "step 7: ApiHighErrorRate resolved notification reached the webhook receiver"
  monitoring_traffic_stop
  save_api_log "$good"
  step "step 8: traffic stopped; replay over"
}

main "$@"
