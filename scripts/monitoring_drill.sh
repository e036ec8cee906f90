#!/usr/bin/env bash
# Alert drill, end to end with the real containers: deploys the current image again with
# FAULT_5XX_RATE set, sends bounded traffic on 127.0.0.1 until ApiHighErrorRate reaches the
# local webhook receiver, removes the fault (scripts/rollback.sh: the faulty release is marked
# BAD), waits for the resolved notification; with --with-down, stops the API until ApiDown
# arrives, then starts it again. Prints the measured delays.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=monitoring_drill

# shellcheck source=scripts/monitoring/libs.sh
source "$SCRIPT_DIR/monitoring/libs.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/monitoring_drill.sh [--env dev|staging] [--fault-rate R] [--hold S] [--with-down]
                                   [--timeout S]

Needs a deployed release (scripts/deploy_local.sh --env ENV) and its monitoring stack, best in
drill mode (scripts/monitoring_up.sh --env ENV --drill: every for: and window divided by 30;
with the real rules each step takes minutes).

  1. scripts/deploy_local.sh --no-build with FAULT_5XX_RATE=R (default 0.5): same image, new release
  2. traffic: GET /api/v1/tasks?limit=1 about 10 times a second on 127.0.0.1 (bounded by --timeout)
  3. waits for ApiHighErrorRate "firing" at the webhook receiver; keeps the fault --hold S more
  4. scripts/rollback.sh: back to the release before (fault removed); the faulty one is marked BAD
  5. waits for ApiHighErrorRate "resolved"
  6. with --with-down: stops the api container, waits for ApiDown "firing", starts it again and
     waits for "resolved"
Prints one "measured:" line per delay. The deployment variables of deploy_local.sh apply
(DEPLOY_DIR, DEPLOY_PROJECT_NAME, API_PORT, ...), and those of monitoring_up.sh for the stack.

Options:
  --env NAME        dev or staging (fault injection is refused in prod); default dev
  --fault-rate R    share of /api/ requests answered 500 (0 < R <= 1); default 0.5
  --hold S          seconds to keep the fault once the alert arrived (to look at it); default 0
  --with-down       also the API-down drill
  --timeout S       deadline of each wait; default: 3 x the rule's for: + 60 s
Exit codes: 0 every alert arrived and resolved; 1 a step failed (the message says which); 2 usage;
3 refused (nothing deployed, no monitoring).
EOF_USAGE
}

OPT_ENV=dev
OPT_RATE=0.5
OPT_HOLD=0
OPT_DOWN=0
OPT_TIMEOUT=""

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --env)
        [[ "${2:-}" =~ ^(dev|staging)$ ]] || usage_error "--env needs dev or staging (no fault injection in prod)"
        OPT_ENV="$2"
        shift
        ;;
      --fault-rate)
        [[ "${2:-}" =~ ^(0?\.[0-9]*[1-9][0-9]*|1(\.0+)?)$ ]] || usage_error "--fault-rate needs a number above 0, at most 1"
        OPT_RATE="$2"
        shift
        ;;
      --hold)
        [[ "${2:-}" =~ ^[0-9]+$ ]] || usage_error "--hold needs a whole number of seconds"
        OPT_HOLD="$2"
        shift
        ;;
      --timeout)
        [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout needs a whole number of seconds"
        OPT_TIMEOUT="$2"
        shift
        ;;
      --with-down) OPT_DOWN=1 ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
}

on_exit() {
  local code=$?
  monitoring_traffic_stop
  exit "$code"
}

# wait_for ALERT STATUS SEEN: waits for a new notification at the webhook (deadline: --timeout
# or 3 x the rule's for: + 60 s).
wait_for() {
  local timeout="$OPT_TIMEOUT" duration
  if [ -z "$timeout" ]; then
    duration="$(monitoring_rule_duration "$1")"
    timeout=$((3 * ${duration:-300} + 60))
  fi
  log_info "waiting up to ${timeout}s for $1 '$2' at the webhook receiver"
  monitoring_wait_webhook "$1" "$2" "$timeout" "$3" || die "$EXIT_FAILED" "$MONITORING_REASON"
}

# api_container: the running api slot (api-blue or api-green; the idle one is stopped).
api_container() {
  docker ps -q --filter "label=com.docker.compose.project=$DEPLOY_PROJECT_NAME" \
    --filter "name=api-" | head -n 1
}

main() {
  parse_args "$@"
  trap on_exit EXIT
  load_local_images "$REPO_ROOT"
  monitoring_settings "$REPO_ROOT" "$OPT_ENV"
  # The port of the environment's configuration (deploy/env/<env>.env) unless API_PORT says otherwise.
  local port="${API_PORT:-$(kv_get "$REPO_ROOT/deploy/env/$OPT_ENV.env" API_PORT)}"
  local api="http://127.0.0.1:${port:-8080}" duration started seen
  if ! http_get "$api/readyz" 5 || [ "$HTTP_STATUS" != 200 ]; then
    die "$EXIT_REFUSED" "no ready API on $api: deploy first (scripts/deploy_local.sh --env $OPT_ENV)"
  fi
  monitoring_targets_state ||
    die "$EXIT_REFUSED" "the monitoring stack is not healthy ($MONITORING_REASON): scripts/monitoring_up.sh --env $OPT_ENV --drill"
  duration="$(monitoring_rule_duration ApiHighErrorRate)"
  if [ "${duration:-300}" -ge 60 ]; then
    log_warn "the monitoring stack runs the real durations (ApiHighErrorRate for: ${duration:-?}s): each step takes minutes; scripts/monitoring_up.sh --drill shortens them"
  else
    log_info "drill mode: ApiHighErrorRate for: ${duration}s (the real rule: 5m)"
  fi

  log_info "step 1: deploying the current image with FAULT_5XX_RATE=$OPT_RATE"
  seen="$(monitoring_webhook_count ApiHighErrorRate firing)"
  FAULT_5XX_RATE="$OPT_RATE" "$SCRIPT_DIR/deploy_local.sh" --env "$OPT_ENV" --no-build ||
    die "$EXIT_FAILED" "the deploy with the fault failed"
  started="$(date +%s%3N)"
  monitoring_traffic_start "$api/api/v1/tasks?limit=1" 900
  wait_for ApiHighErrorRate firing "$seen"
  printf 'measured: fault on -> ApiHighErrorRate at the webhook: %s ms\n' "$(($(date +%s%3N) - started))"
  if [ "$OPT_HOLD" -gt 0 ]; then
    log_info "holding the fault ${OPT_HOLD}s (--hold)"
    sleep "$OPT_HOLD"
  fi

  log_info "step 2: removing the fault (scripts/rollback.sh)"
  seen="$(monitoring_webhook_count ApiHighErrorRate resolved)"
  "$SCRIPT_DIR/rollback.sh" || die "$EXIT_FAILED" "the rollback failed"
  started="$(date +%s%3N)"
  wait_for ApiHighErrorRate resolved "$seen"
  printf 'measured: fault off -> ApiHighErrorRate resolved at the webhook: %s ms\n' "$(($(date +%s%3N) - started))"
  monitoring_traffic_stop

  if [ "$OPT_DOWN" = 1 ]; then
    local container
    container="$(api_container)"
    [ -n "$container" ] || die "$EXIT_FAILED" "no api container in compose project $DEPLOY_PROJECT_NAME"
    log_info "step 3: stopping the api container"
    seen="$(monitoring_webhook_count ApiDown firing)"
    docker stop "$container" >/dev/null
    started="$(date +%s%3N)"
    wait_for ApiDown firing "$seen"
    printf 'measured: api stopped -> ApiDown at the webhook: %s ms\n' "$(($(date +%s%3N) - started))"
    seen="$(monitoring_webhook_count ApiDown resolved)"
    docker start "$container" >/dev/null
    wait_for ApiDown resolved "$seen"
    log_info "the api is back"
  fi
  log_info "drill done: every alert arrived and resolved"
}

main "$@"
