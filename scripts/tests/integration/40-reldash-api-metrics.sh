#!/usr/bin/env bash
# The metric contract checked end to end: the real API binary (debug build, on a throwaway
# PostgreSQL) serves traffic, a real Prometheus (Debian's package, on 127.0.0.1) scrapes it as job
# "api", and `reldash status/health --json` must show a value for every metric: a series that is
# empty because a name or label drifted between app/ and reldash fails here. Every line of
# contract/metrics.tsv is also checked on /metrics and in Prometheus (type, series, label names).
# Error paths that need exact numbers (a 20 % 5xx ratio, the target going down) stay in
# 40-reldash-prometheus.sh with its scripted exporter.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/postgres.sh
source "$REPO_ROOT/scripts/tests/lib/postgres.sh"
# shellcheck source=scripts/tests/lib/app.sh
source "$REPO_ROOT/scripts/tests/lib/app.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"
# shellcheck source=scripts/tests/lib/prometheus.sh
source "$REPO_ROOT/scripts/tests/lib/prometheus.sh"

readonly CONTRACT="$REPO_ROOT/contract/metrics.tsv" DEPLOY="$TEST_TMP/deploy" RELEASE=20261201T120000Z
TRAFFIC_PID=""

cleanup() {
  stop_traffic
  prom_stop
  app_stop_all
  pg_cleanup
}
trap cleanup EXIT

# start_traffic PORT: a steady trickle of requests (create, list, get, an unknown route) until
# stop_traffic, so every rate and the latency histogram have samples.
start_traffic() {
  local base="http://127.0.0.1:$1"
  (
    while true; do
      curl -s -o /dev/null -m 2 -H 'Content-Type: application/json' -d '{"title":"contract"}' "$base/api/v1/tasks" || true
      curl -s -o /dev/null -m 2 "$base/api/v1/tasks?limit=5" || true
      curl -s -o /dev/null -m 2 "$base/no/such/route" || true
      sleep 0.1
    done
  ) >/dev/null 2>&1 &
  TRAFFIC_PID=$!
}

stop_traffic() {
  [ -n "$TRAFFIC_PID" ] || return 0
  kill "$TRAFFIC_PID" 2>/dev/null || true
  wait "$TRAFFIC_PID" 2>/dev/null || true
  TRAFFIC_PID=""
}

# contract_rows: the contract's lines as "name type labels", comments and header left out.
contract_rows() {
  grep -v -e '^#' -e '^name	' "$CONTRACT"
}

# exposition_declares_contract PORT: every contract metric has its `# TYPE name type` line on the
# real binary's /metrics.
exposition_declares_contract() {
  local text name type labels missing=()
  text="$(curl -fsS -m 5 "http://127.0.0.1:$1/metrics")" || {
    t_fail "api /metrics: declares every contract metric" "no answer"
    return 0
  }
  while IFS=$'\t' read -r name type labels; do
    : "$labels"
    grep -qxF "# TYPE $name $type" <<<"$text" || missing+=("$name $type")
  done < <(contract_rows)
  if [ ${#missing[@]} -eq 0 ]; then
    t_pass "api /metrics: declares every contract metric with its type"
  else
    t_fail "api /metrics: declares every contract metric with its type" "missing: ${missing[*]}"
  fi
}

# prometheus_has_contract_series: Prometheus holds series of every contract metric for job "api",
# each with exactly the contract's labels (plus job, instance, and le on histogram buckets).
prometheus_has_contract_series() {
  python3 - "$PROM_URL" "$CONTRACT" <<'PY'
import json
import sys
import urllib.parse
import urllib.request

prom, contract = sys.argv[1], sys.argv[2]
problems = []
for line in open(contract, encoding="utf-8"):
    if line.startswith("#") or line.startswith("name\t"):
        continue
    name, kind, labels = line.rstrip("\n").split("\t")
    labels = [] if labels == "-" else labels.split(",")
    series = [(name + "_bucket", labels + ["le"]), (name + "_count", labels)] if kind == "histogram" else [(name, labels)]
    for series_name, expected in series:
        query = urllib.parse.urlencode({"match[]": series_name + '{job="api"}'})
        with urllib.request.urlopen(prom + "/api/v1/series?" + query, timeout=5) as answer:
            found = json.load(answer)["data"]
        if not found:
            problems.append(f"{series_name}: no series")
        for labelset in found:
            got = sorted(set(labelset) - {"__name__", "job", "instance"})
            if got != sorted(expected):
                problems.append(f"{series_name}: labels {got}, contract {sorted(expected)}")
                break
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
}

# every_metric_has_a_value: holds on RUN_STDOUT (reldash status --json) when no metric is empty.
readonly EVERY_METRIC_HAS_A_VALUE="all(m['value'] is not None and m['error'] is None \
  for m in doc['health']['metrics'].values()) and len(doc['health']['metrics']) == 6"

status_shows_every_metric() {
  local -a args=(status --json --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5)
  t_wait_for "reldash to show a value for every metric" 90 reldash_until "$EVERY_METRIC_HAS_A_VALUE" "${args[@]}" ||
    true
  json_check "reldash status --json on the real API: every metric has a value (no series empty)" \
    "$EVERY_METRIC_HAS_A_VALUE and doc['health']['status'] == 'healthy' \
     and doc['health']['metrics']['up']['value'] == 1 and doc['health']['metrics']['request_rate']['value'] > 0 \
     and doc['health']['metrics']['error_ratio']['value'] == 0 \
     and 0 < doc['health']['metrics']['latency_p95']['value'] < 1 \
     and doc['health']['metrics']['memory']['value'] > 1000000 and doc['health']['data_age_seconds'] < 30"
  reldash_run status --json --fail-on-degraded --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5
  if [ "$RUN_CODE" = 0 ]; then
    t_pass "reldash status --fail-on-degraded: exit 0 when the real API is healthy"
  else
    t_fail "reldash status --fail-on-degraded: exit 0 when the real API is healthy" "exit $RUN_CODE"
  fi
}

# drift_is_caught: the same check fails when a query names a metric the API does not export
# (http_request_total), so the test above cannot pass on an empty series.
drift_is_caught() {
  local config="$TEST_TMP/drift.conf"
  cat >"$config" <<'CONF'
query.request_rate = sum(rate(http_request_total{job="$job"}[5m]))
CONF
  reldash_run status --json --config "$config" --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5
  if [ "$RUN_CODE" = 0 ] && ! json_holds "$EVERY_METRIC_HAS_A_VALUE" &&
    json_holds "doc['health']['metrics']['request_rate']['value'] is None"; then
    t_pass "reldash status --json: a drifted metric name shows as an empty series, which the check refuses"
  else
    t_fail "reldash status --json: a drifted metric name shows as an empty series" "exit $RUN_CODE"
  fi
}

health_series_have_points() {
  reldash_run health --json --range 2m --points 30 --prometheus-url "$PROM_URL" --timeout 5
  json_check "reldash health --json on the real API: every series has values, on the requested grid" \
    "len(doc['series']) == 6 and all(s['error'] is None for s in doc['series']) \
     and all(0 < len(s['points']) <= 30 for s in doc['series']) \
     and all(any(p[1] is not None for p in s['points']) for s in doc['series']) and doc['step_seconds'] == 5"
  reldash_run health --json --range 30d --points 11000 --prometheus-url "$PROM_URL" --timeout 10
  json_check "reldash health --json: 30 days at 11,000 points is accepted by Prometheus" \
    "all(s['error'] is None for s in doc['series']) and max(len(s['points']) for s in doc['series']) <= 11000"
  local answer
  answer="$(curl -sS -m 5 --get --data-urlencode 'query=up' --data-urlencode 'start=0' \
    --data-urlencode 'end=11001' --data-urlencode 'step=1' "$PROM_URL/api/v1/query_range" || true)"
  if [[ "$answer" == *"exceeded maximum resolution of 11,000 points"* ]]; then
    t_pass "prometheus: refuses a range of more than 11,000 steps (reldash asks at most 11,000 points)"
  else
    t_fail "prometheus: refuses a range of more than 11,000 steps (reldash asks at most 11,000 points)" "${answer:0:300}"
  fi
  LC_ALL=C.UTF-8 COLUMNS=100 reldash_run health --range 2m --prometheus-url "$PROM_URL" --timeout 5
  if [ "$RUN_CODE" = 0 ] && [[ "$RUN_STDOUT" == *"requests"*"req/s"* ]] && [[ "$RUN_STDOUT" == *"█"* ]]; then
    t_pass "reldash health: text view with block sparklines in a UTF-8 locale"
  else
    t_fail "reldash health: text view with block sparklines in a UTF-8 locale" "${RUN_STDOUT:0:600}"
  fi
}

build_info_names_the_release() {
  if prom_has_sample "app_build_info{job=\"api\",release_id=\"$RELEASE\",version=\"9.9.9\"} == 1"; then
    t_pass "prometheus: app_build_info carries the running release_id and version"
  else
    t_fail "prometheus: app_build_info carries the running release_id and version" "$(prom_query app_build_info)"
  fi
}

main() {
  t_require "reldash api metrics: swift" swift "install the Swift toolchain (https://www.swift.org/install)" ||
    exit 0
  t_require "reldash api metrics: prometheus" prometheus "apt-get install prometheus (scripts/ci/provision.sh)" ||
    exit 0
  t_require "reldash api metrics: curl" curl "apt-get install curl" || exit 0
  pg_require "reldash api metrics" || exit 0
  app_build || exit 0
  reldash_build || exit 0
  if ! pg_start; then
    t_fail "reldash api metrics: start PostgreSQL" "see the log above"
    exit 0
  fi
  app_start_ready api APP_ENV=staging APP_VERSION=9.9.9 GIT_COMMIT=deadbeef RELEASE_ID="$RELEASE" || {
    t_fail "reldash api metrics: start the API" "see $TEST_TMP/api.log"
    exit 0
  }
  start_traffic "$APP_PORT"
  exposition_declares_contract "$APP_PORT"
  mkdir -p "$DEPLOY/releases"
  prom_config_write "$TEST_TMP/prometheus.yml" api "127.0.0.1:$APP_PORT"
  if ! prom_start "$TEST_TMP/prometheus.yml"; then
    t_fail "reldash api metrics: start Prometheus" "see $TEST_TMP/prometheus.log"
    exit 0
  fi
  if ! t_wait_for "four scrapes of the API" 60 prom_has_sample 'count_over_time(up{job="api"}[1m]) >= 4'; then
    t_fail "reldash api metrics: Prometheus scrapes the API" "no four scrapes after 60 s"
    exit 0
  fi
  t_run "prometheus: every contract metric scraped from the API, with the contract's labels" \
    prometheus_has_contract_series
  build_info_names_the_release
  status_shows_every_metric
  drift_is_caught
  health_series_have_points
}

main "$@"
