# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# Settings and helpers of the monitoring stack (monitoring/docker-compose.yml), shared by
# scripts/monitoring_up.sh, scripts/monitoring_down.sh and the tests.
# Needs: log.sh, compose.sh (compose_detect done), http.sh.

MONITORING_REASON=""
MONITORING_TARGETS_UP=0

# monitoring_settings REPO_ROOT ENV: the variables compose reads, from the environment or their
# defaults (exported, so compose substitutes them).
monitoring_settings() {
  local root="$1" env="$2"
  export MONITORING_ENV="$env"
  export MONITORING_PROJECT_NAME="${MONITORING_PROJECT_NAME:-tasks-monitoring-$env}"
  export DEPLOY_PROJECT_NAME="${DEPLOY_PROJECT_NAME:-tasks-$env}"
  export DEPLOY_NETWORK="${DEPLOY_NETWORK:-${DEPLOY_PROJECT_NAME}_backend}"
  export DB_PASSWORD_FILE="${DB_PASSWORD_FILE:-$root/secrets/$env/db_password.txt}"
  export GRAFANA_ADMIN_PASSWORD_FILE="${GRAFANA_ADMIN_PASSWORD_FILE:-$root/secrets/monitoring/grafana_admin_password.txt}"
  export GRAFANA_IMAGE="${GRAFANA_IMAGE:-grafana/grafana-oss:10.4.2}"
  export PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}" ALERTMANAGER_PORT="${ALERTMANAGER_PORT:-9093}"
  export BLACKBOX_PORT="${BLACKBOX_PORT:-9115}" WEBHOOK_PORT="${WEBHOOK_PORT:-9099}" GRAFANA_PORT="${GRAFANA_PORT:-3000}"
  MONITORING_COMPOSE_FILE="$root/monitoring/docker-compose.yml"
}

# monitoring_compose ARGS...: compose on the monitoring project.
monitoring_compose() {
  "${COMPOSE_CMD[@]}" -p "$MONITORING_PROJECT_NAME" -f "$MONITORING_COMPOSE_FILE" "$@"
}

# monitoring_ensure_network: the deployment's network, created with the labels compose puts on
# it when the deployment has not started yet, so that its `compose up` adopts it later.
monitoring_ensure_network() {
  docker network inspect "$DEPLOY_NETWORK" >/dev/null 2>&1 && return 0
  log_info "creating network $DEPLOY_NETWORK (the deployment $DEPLOY_PROJECT_NAME will join it when it starts)"
  docker network create \
    --label "com.docker.compose.project=$DEPLOY_PROJECT_NAME" \
    --label "com.docker.compose.network=backend" \
    "$DEPLOY_NETWORK" >/dev/null
}

# monitoring_targets_state: reads Prometheus' active targets; sets MONITORING_TARGETS_UP,
# MONITORING_API_SLOTS_UP and MONITORING_REASON (the targets not up, with their last error).
# Succeeds when every target is up except the idle api slot: of the api job's two slots
# (docs/zero-downtime.md), one must be up, and the other is stopped on purpose.
monitoring_targets_state() {
  local url="http://127.0.0.1:$PROMETHEUS_PORT/api/v1/targets?state=active" total down pool health
  local api_total=0 expected
  if ! http_get "$url" 5 || [ "$HTTP_STATUS" != 200 ]; then
    MONITORING_REASON="Prometheus does not answer on $url"
    return 1
  fi
  total=0 MONITORING_TARGETS_UP=0 MONITORING_API_SLOTS_UP=0
  # Each active target lists its scrapePool before its health (Prometheus' field order).
  while read -r pool health; do
    total=$((total + 1))
    [ "$pool" != api ] || api_total=$((api_total + 1))
    [ "$health" = up ] || continue
    MONITORING_TARGETS_UP=$((MONITORING_TARGETS_UP + 1))
    [ "$pool" != api ] || MONITORING_API_SLOTS_UP=$((MONITORING_API_SLOTS_UP + 1))
  done < <(grep -oE '"scrapePool":"[^"]*"|"health":"[a-z]*"' <<<"$HTTP_BODY" | cut -d'"' -f4 | paste -d' ' - -)
  expected="$total"
  [ "$api_total" -lt 2 ] || expected=$((total - api_total + 1))
  if [ "$total" -eq 0 ] || [ "$MONITORING_TARGETS_UP" -lt "$expected" ] ||
    { [ "$api_total" -gt 0 ] && [ "$MONITORING_API_SLOTS_UP" -lt 1 ]; } ||
    [ $((MONITORING_TARGETS_UP - MONITORING_API_SLOTS_UP)) -lt $((total - api_total)) ]; then
    down="$(grep -oE '"scrapeUrl":"[^"]*","globalUrl":"[^"]*","lastError":"([^"\\]|\\.)*"' <<<"$HTTP_BODY" |
      sed -E 's/"scrapeUrl":"([^"]*)","globalUrl":"[^"]*","lastError":"(.*)"$/\1 (\2)/' |
      grep -v ' ()$' | tr '\n' ';' || true)"
    MONITORING_REASON="$MONITORING_TARGETS_UP of $total targets up; not up: ${down:-not scraped yet}"
    return 1
  fi
  # Scraped is not healthy: both probes must succeed and the exporter must reach the database.
  if ! monitoring_query_equals 'sum(probe_success{job="blackbox-http"}) + sum(pg_up{job="postgres"})' 3; then
    MONITORING_REASON="every target is scraped, but a probe of /healthz or /readyz fails or the exporter cannot reach PostgreSQL (probe_success, pg_up)"
    return 1
  fi
}

# monitoring_query_equals PROMQL VALUE: succeeds when the instant query gives one sample whose
# value is exactly VALUE (as Prometheus prints it).
monitoring_query_equals() {
  local url="http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" answer
  answer="$(curl -s --max-time 5 --get --data-urlencode "query=$1" "$url" 2>/dev/null)" || return 1
  [[ "$answer" == *'"result":[{"metric":'*',"value":['*',"'"$2"'"]}]}}' ]]
}

# monitoring_webhook_count ALERTNAME STATUS: prints how many notifications with STATUS (firing
# or resolved) for ALERTNAME the local webhook receiver holds.
monitoring_webhook_count() {
  curl -s --max-time 5 "http://127.0.0.1:$WEBHOOK_PORT/cgi-bin/alerts" 2>/dev/null |
    grep -F "\"alertname\":\"$1\"" | grep -cF "\"status\":\"$2\"" || true
}

# monitoring_wait_targets TIMEOUT: polls until every target is up; fails at the deadline.
monitoring_wait_targets() {
  local timeout="$1" deadline=$((SECONDS + $1))
  log_info "waiting up to ${timeout}s for every Prometheus target to be up"
  until monitoring_targets_state; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      MONITORING_REASON="after ${timeout}s: $MONITORING_REASON. The stack keeps running; is the deployment up (scripts/deploy_local.sh --env $MONITORING_ENV)?"
      return 1
    fi
    sleep 1
  done
}

MONITORING_TRAFFIC_PID=""

# monitoring_traffic_start URL SECONDS: bounded background traffic: one GET of URL every 0.1 s
# (about 10 requests/s, one at a time) on 127.0.0.1, for SECONDS at most.
monitoring_traffic_start() {
  local url="$1" seconds="$2"
  (
    end=$((SECONDS + seconds))
    while [ "$SECONDS" -lt "$end" ]; do
      curl -s -o /dev/null --max-time 2 "$url" || true
      sleep 0.1
    done
  ) &
  MONITORING_TRAFFIC_PID=$!
}

# monitoring_traffic_stop: stops the traffic started by monitoring_traffic_start.
monitoring_traffic_stop() {
  [ -n "$MONITORING_TRAFFIC_PID" ] || return 0
  kill "$MONITORING_TRAFFIC_PID" 2>/dev/null || true
  wait "$MONITORING_TRAFFIC_PID" 2>/dev/null || true
  MONITORING_TRAFFIC_PID=""
}

# monitoring_wait_webhook ALERTNAME STATUS TIMEOUT SEEN: polls the webhook receiver until it
# holds more than SEEN notifications with STATUS for ALERTNAME (take SEEN with
# monitoring_webhook_count before causing the alert); sets MONITORING_WAITED_MS; fails at the
# deadline.
MONITORING_WAITED_MS=0
monitoring_wait_webhook() {
  local alert="$1" status="$2" timeout="$3" seen="$4" started deadline=$((SECONDS + $3))
  started="$(date +%s%3N)"
  until [ "$(monitoring_webhook_count "$alert" "$status")" -gt "$seen" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      MONITORING_REASON="no new '$status' notification of $alert reached the webhook within ${timeout}s"
      return 1
    fi
    sleep 0.5
  done
  MONITORING_WAITED_MS=$(($(date +%s%3N) - started))
}

# monitoring_rule_duration ALERTNAME: prints the for: of an alert as Prometheus loaded it, in
# seconds (300 for ApiHighErrorRate normally, 10 in drill mode); empty when unknown.
monitoring_rule_duration() {
  curl -s --max-time 5 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/rules?type=alert" 2>/dev/null |
    grep -oE "\"name\":\"$1\",\"query\":\"([^\"\\\\]|\\\\.)*\",\"duration\":[0-9]+" |
    grep -oE '[0-9]+$' | head -n 1 || true
}
