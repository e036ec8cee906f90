#!/usr/bin/env bash
# End-to-end tests of the monitoring stack with real containers (deploy project obsdrill,
# monitoring project obsdrillmon, random ports on 127.0.0.1, Grafana not run: no image here):
#   - the monitoring stack started BEFORE the deployment creates its network, and the deployment
#     started afterwards joins it (start order does not matter);
#   - every target up, probes and the database exporter healthy;
#   - promtool check metrics on the real API's /metrics, and its series under the budget;
#   - every dashboard query (macros substituted) returns at least one series;
#   - the alert drill (scripts/monitoring_drill.sh, in drill mode: the committed rules with every
#     duration divided by 30): FAULT_5XX_RATE deploy -> ApiHighErrorRate at the webhook receiver
#     and in `reldash status --json` -> rollback -> resolved; API stopped -> ApiDown.
# Measured figures are printed ("figure:") and kept in .test-output/monitoring-figures.txt.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"

readonly PROJECT=obsdrill MON_PROJECT=obsdrillmon API_REPO=obsdrill-api
# The cardinality budget of the API's /metrics (docs/observability.md); sample_limit is 2000.
readonly SERIES_BUDGET=1000
readonly FIGURES="$REPO_ROOT/.test-output/monitoring-figures.txt"

setup_env() {
  export DEPLOY_PROJECT_NAME="$PROJECT" DEPLOY_IMAGE_REPO="$API_REPO" DEPLOY_DIR="$TEST_TMP/deploy"
  export DEPLOY_SECRETS_DIR="$TEST_TMP/secrets" DB_PASSWORD_FILE="$TEST_TMP/secrets/db_password.txt"
  export MONITORING_PROJECT_NAME="$MON_PROJECT" MONITORING_GRAFANA=0
  export GRAFANA_ADMIN_PASSWORD_FILE="$TEST_TMP/grafana/admin_password.txt"
  API_PORT="$(free_local_port)" PROMETHEUS_PORT="$(free_local_port)" ALERTMANAGER_PORT="$(free_local_port)"
  BLACKBOX_PORT="$(free_local_port)" WEBHOOK_PORT="$(free_local_port)"
  export API_PORT PROMETHEUS_PORT ALERTMANAGER_PORT BLACKBOX_PORT WEBHOOK_PORT
  mkdir -p "$DEPLOY_DIR/releases"
  cd_make_secret "$DEPLOY_SECRETS_DIR"
  # shellcheck source=scripts/monitoring/stack.sh
  source "$REPO_ROOT/scripts/monitoring/stack.sh"
  monitoring_settings "$REPO_ROOT" dev
  compose_detect
}

cleanup() {
  monitoring_traffic_stop 2>/dev/null || true
  if [ -n "${MONITORING_COMPOSE_FILE:-}" ]; then
    monitoring_compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  docker_remove_project "$MON_PROJECT" "$REPO_ROOT/monitoring/docker-compose.yml" \
    DB_PASSWORD_FILE=/dev/null GRAFANA_ADMIN_PASSWORD_FILE=/dev/null
  cd_remove_stack "$PROJECT" "$API_REPO"
  docker network rm "${PROJECT}_backend" >/dev/null 2>&1 || true
  rm -rf "$REPO_ROOT/.tools/monitoring-drill/$MON_PROJECT"
}

figure() {
  printf 'figure: %s\n' "$*"
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$FIGURES"
}

prom_value() {
  curl -s --max-time 5 --get --data-urlencode "query=$1" "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" |
    python3 -c 'import json, sys; r = json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")'
}

# --- cases -------------------------------------------------------------------------------------

monitoringFirstCreatesTheDeploymentNetworkAndNamesTheMissingApi() {
  local code=0 out
  out="$("$REPO_ROOT/scripts/monitoring_up.sh" --drill --timeout 45 2>&1)" || code=$?
  assert_eq 1 "$code" "monitoring_up.sh exit code with nothing deployed"
  assert_contains "$out" "creating network ${PROJECT}_backend"
  assert_contains "$out" "http://api-blue:8080/metrics"
  assert_contains "$out" "DRILL MODE"
  docker network inspect "${PROJECT}_backend" >/dev/null || cd_fail "network ${PROJECT}_backend missing"
}

deployAfterMonitoringJoinsTheSameNetwork() {
  local out
  out="$("$REPO_ROOT/scripts/deploy_local.sh" --timeout 120 2>&1)" || cd_fail "deploy failed: $(printf '%s' "$out" | tail -c 800)"
  local prom api_net
  prom="$(docker ps -q --filter "label=com.docker.compose.project=$MON_PROJECT" --filter label=com.docker.compose.service=prometheus)"
  api_net="$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' \
    "$(docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter label=com.docker.compose.service=api-blue)")"
  assert_contains "$api_net" "${PROJECT}_backend" "networks of the api container"
  assert_contains "$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$prom")" \
    "${PROJECT}_backend" "networks of the prometheus container"
}

everyTargetUpOnceDeployed() {
  local out
  out="$("$REPO_ROOT/scripts/monitoring_up.sh" --drill --timeout 90 2>&1)" || cd_fail "monitoring_up.sh: $(printf '%s' "$out" | tail -c 600)"
  assert_contains "$out" "every target is up (6 targets; api slots up: 1, the idle one is stopped)"
}

realMetricsPassPromtoolCheckMetrics() {
  curl -fsS --max-time 5 "http://127.0.0.1:$API_PORT/metrics" >"$CASE_DIR/metrics.txt"
  promtool check metrics <"$CASE_DIR/metrics.txt" >"$CASE_DIR/check.txt" 2>&1 ||
    cd_fail "promtool check metrics: $(head -c 600 "$CASE_DIR/check.txt")"
}

# Every route and method, an unknown path and an invented method, then count the series.
seriesStayUnderTheCardinalityBudget() {
  local base="http://127.0.0.1:$API_PORT" id series scraped
  id="$(curl -fsS --max-time 5 -H 'Content-Type: application/json' -d '{"title":"drill"}' "$base/api/v1/tasks" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
  curl -s -o /dev/null --max-time 5 "$base/api/v1/tasks/$id"
  curl -s -o /dev/null --max-time 5 -X PATCH -H 'Content-Type: application/json' -d '{"done":true}' "$base/api/v1/tasks/$id"
  curl -s -o /dev/null --max-time 5 -X DELETE "$base/api/v1/tasks/$id"
  curl -s -o /dev/null --max-time 5 "$base/api/v1/tasks/$id"
  curl -s -o /dev/null --max-time 5 "$base/no/such/path/$RANDOM"
  curl -s -o /dev/null --max-time 5 -X BREW "$base/api/v1/tasks"
  curl -s -o /dev/null --max-time 5 "$base/version"
  series="$(curl -fsS --max-time 5 "$base/metrics" | grep -cv '^#')"
  figure "api /metrics series after every route and method: $series (budget $SERIES_BUDGET)"
  [ "$series" -le "$SERIES_BUDGET" ] || cd_fail "$series series > budget $SERIES_BUDGET"
  t_wait_for "a scrape after the requests" 20 prom_has_route_series
  scraped="$(prom_value 'max(scrape_samples_scraped{job="api"})')"
  figure "scrape_samples_scraped{job=api}: $scraped"
  if [ -z "$scraped" ] || [ "${scraped%.*}" -gt "$SERIES_BUDGET" ]; then
    cd_fail "scrape_samples_scraped '$scraped' is empty or over the budget $SERIES_BUDGET"
  fi
}

prom_has_route_series() {
  [ -n "$(prom_value 'http_requests_total{job="api",route="unmatched"}')" ]
}

# query_has_series QUERY: succeeds when Prometheus answers the instant query with >= 1 series.
query_has_series() {
  curl -s --max-time 5 --get --data-urlencode "query=$1" "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" |
    python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit(0 if d["status"] == "success" and d["data"]["result"] else 1)'
}

# range_has_series QUERY: the same over the last 15 minutes, one point every 15 s.
range_has_series() {
  local now
  now="$(date +%s)"
  curl -s --max-time 5 --get --data-urlencode "query=$1" --data-urlencode "start=$((now - 900))" \
    --data-urlencode "end=$now" --data-urlencode step=15 "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query_range" |
    python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit(0 if d["status"] == "success" and d["data"]["result"] else 1)'
}

dashboardQueriesEachReturnASeries() {
  local name expr missing=""
  monitoring_traffic_start "http://127.0.0.1:$API_PORT/api/v1/tasks?limit=1" 120
  while IFS=$'\t' read -r name expr; do
    case "$name" in
      # An annotation marks events over the dashboard's time range: a range query, as Grafana runs it.
      annotation*) t_wait_for "$name" 60 range_has_series "$expr" || missing+="$name: $expr; " ;;
      *) t_wait_for "$name" 60 query_has_series "$expr" || missing+="$name: $expr; " ;;
    esac
  done < <(python3 "$REPO_ROOT/scripts/monitoring/dashboard_check.py" queries dev)
  monitoring_traffic_stop
  [ -z "$missing" ] || cd_fail "no series for: $missing"
}

reldash_firing() {
  reldash_run status --json --deploy-dir "$DEPLOY_DIR" --prometheus-url "http://127.0.0.1:$PROMETHEUS_PORT" --timeout 5
  printf '%s' "$RUN_STDOUT" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
items = doc["health"]["alerts"]["items"]
sys.exit(0 if any(a["name"] == "ApiHighErrorRate" and a["state"] == "firing" for a in items) else 1)'
}

drillFaultAlertsReldashRollbackResolvesApiDown() {
  local pid code=0 out
  "$REPO_ROOT/scripts/monitoring_drill.sh" --fault-rate 0.5 --hold 25 --with-down --timeout 150 \
    >"$CASE_DIR/drill.log" 2>&1 &
  pid=$!
  # Polled every 2 s (each poll runs reldash): the drill holds the fault 25 s once it fired.
  local deadline=$((SECONDS + 200))
  until reldash_firing; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      cd_fail "reldash never showed ApiHighErrorRate firing; drill log: $(tail -n 15 "$CASE_DIR/drill.log")"
    fi
    sleep 2
  done
  printf '%s\n' "$RUN_STDOUT" >"$CASE_DIR/reldash-status.json"
  wait "$pid" || code=$?
  out="$(cat "$CASE_DIR/drill.log")"
  assert_eq 0 "$code" "monitoring_drill.sh exit code (log: $(printf '%s' "$out" | tail -c 900))"
  grep '^measured:' "$CASE_DIR/drill.log" | while IFS= read -r line; do figure "drill ${line#measured: }"; done
  local alerts
  alerts="$(curl -fsS --max-time 5 "http://127.0.0.1:$WEBHOOK_PORT/cgi-bin/alerts")"
  printf '%s\n' "$alerts" >"$CASE_DIR/webhook.jsonl"
  printf '%s\n' "$alerts" | python3 -c '
import json, sys
docs = [json.loads(line) for line in sys.stdin if line.strip()]
def has(name, status, receiver):
    return any(d["status"] == status and d["receiver"] == receiver and d["commonLabels"].get("alertname") == name
               and d["commonLabels"].get("environment") == "dev"
               and d["commonAnnotations"].get("runbook_url") == f"docs/runbooks/{name}.md" for d in docs)
missing = [c for c in [("ApiHighErrorRate", "firing", "page"), ("ApiHighErrorRate", "resolved", "page"),
                       ("ApiDown", "firing", "page"), ("ApiDown", "resolved", "page")] if not has(*c)]
sys.exit("missing notifications: %s" % missing if missing else 0)' ||
    cd_fail "webhook notifications (see $CASE_DIR/webhook.jsonl)"
  [ -n "$(find "$DEPLOY_DIR/releases" -name BAD)" ] || cd_fail "no release marked BAD after the rollback"
}

measurePrometheus() {
  local container memory duration
  container="$(docker ps -q --filter "label=com.docker.compose.project=$MON_PROJECT" --filter label=com.docker.compose.service=prometheus)"
  memory="$(docker stats --no-stream --format '{{.MemUsage}}' "$container")"
  figure "prometheus container memory (docker stats, drill mode, scrape every 1 s): $memory"
  figure "prometheus process_resident_memory_bytes: $(prom_value 'process_resident_memory_bytes{job="prometheus"}')"
  duration="$(prom_value 'avg_over_time(scrape_duration_seconds{job="api"}[1m])')"
  figure "api scrape duration (avg over 1 min): ${duration} s"
  figure "prometheus head series: $(prom_value 'prometheus_tsdb_head_series')"
}

main() {
  docker_require "monitoring e2e: docker" || exit 0
  docker_compose_require "monitoring e2e: compose" || exit 0
  t_require "monitoring e2e: promtool" promtool "apt-get install prometheus (scripts/ci/provision.sh)" || exit 0
  cd_require_deploy_engine "monitoring e2e" || exit 0
  docker_require_monitoring_images "monitoring e2e" || exit 0
  reldash_build || exit 0
  setup_env
  trap cleanup EXIT
  cleanup
  cd_case "monitoring started before the deployment: creates its network, exits 1 naming the api" \
    monitoringFirstCreatesTheDeploymentNetworkAndNamesTheMissingApi
  cd_case "deployment started after the monitoring joins the same network" deployAfterMonitoringJoinsTheSameNetwork
  cd_case "monitoring_up.sh: every target up, probes and database exporter healthy" everyTargetUpOnceDeployed
  cd_case "promtool check metrics accepts the real API's /metrics" realMetricsPassPromtoolCheckMetrics
  cd_case "API series stay under the cardinality budget ($SERIES_BUDGET) after every route and method" \
    seriesStayUnderTheCardinalityBudget
  cd_case "every dashboard query returns at least one series from the live Prometheus" \
    dashboardQueriesEachReturnASeries
  cd_case "drill: fault -> ApiHighErrorRate at the webhook and in reldash; rollback -> resolved; API stopped -> ApiDown" \
    drillFaultAlertsReldashRollbackResolvesApiDown
  cd_case "figures: Prometheus memory and scrape duration" measurePrometheus
}

main "$@"
