#!/usr/bin/env bash
# Integration tests of reldash against a real Prometheus (Debian's package, started here on
# 127.0.0.1) scraping a real target: a small exporter run by this suite that serves the
# contract's metric names (http_requests_total, http_request_duration_seconds, process_*) and
# can be switched to answering errors. Checks status/health --json values, the 11,000-point
# limit, a firing alert, --fail-on-degraded, and the target going down.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"
# shellcheck source=scripts/tests/lib/prometheus.sh
source "$REPO_ROOT/scripts/tests/lib/prometheus.sh"

readonly MODE_FILE="$TEST_TMP/exporter.mode" DEPLOY="$TEST_TMP/deploy" CONFIG="$TEST_TMP/reldash.conf"
EXPORTER_PID=""

cleanup() {
  prom_stop
  stop_exporter
}
trap cleanup EXIT

# start_exporter PORT: serves /metrics on 127.0.0.1:PORT; counters grow with time (20 req/s,
# and 5 req/s of 500s while MODE_FILE says "errors").
start_exporter() {
  printf 'ok\n' >"$MODE_FILE"
  python3 - "$1" "$MODE_FILE" >"$TEST_TMP/exporter.log" 2>&1 <<'PY' &
import http.server
import sys
import time

port, mode_file = int(sys.argv[1]), sys.argv[2]
started = time.time()
errors_since = None


class Metrics(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global errors_since
        now = time.time()
        elapsed = now - started
        with open(mode_file, encoding="utf-8") as handle:
            mode = handle.read().strip()
        if mode == "errors" and errors_since is None:
            errors_since = now
        errors = 0.0 if errors_since is None else 5 * (now - errors_since)
        ok = 20 * elapsed
        route = 'method="GET",route="/api/v1/tasks"'
        lines = [
            "# TYPE http_requests_total counter",
            f'http_requests_total{{{route},status="200"}} {ok:.3f}',
            f'http_requests_total{{{route},status="500"}} {errors:.3f}',
            "# TYPE http_request_duration_seconds histogram",
            f'http_request_duration_seconds_bucket{{{route},le="0.05"}} {0.9 * (ok + errors):.3f}',
            f'http_request_duration_seconds_bucket{{{route},le="0.1"}} {ok + errors:.3f}',
            f'http_request_duration_seconds_bucket{{{route},le="+Inf"}} {ok + errors:.3f}',
            f'http_request_duration_seconds_sum{{{route}}} {0.04 * (ok + errors):.3f}',
            f'http_request_duration_seconds_count{{{route}}} {ok + errors:.3f}',
            "# TYPE process_cpu_seconds_total counter",
            f"process_cpu_seconds_total {0.02 * elapsed:.4f}",
            "# TYPE process_resident_memory_bytes gauge",
            "process_resident_memory_bytes 52428800",
            "# TYPE process_start_time_seconds gauge",
            f"process_start_time_seconds {started:.0f}",
        ]
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Metrics).serve_forever()
PY
  EXPORTER_PID=$!
}

stop_exporter() {
  [ -n "$EXPORTER_PID" ] || return 0
  kill "$EXPORTER_PID" 2>/dev/null || true
  wait "$EXPORTER_PID" 2>/dev/null || true
  EXPORTER_PID=""
}

# json_check NAME PYTHON_EXPRESSION: evaluates the expression with `doc` = RUN_STDOUT parsed;
# records NAME as passed when it is true (prints the document otherwise).
json_check() {
  local name="$1" expression="$2"
  if printf '%s' "$RUN_STDOUT" | python3 -c "import json, sys; doc = json.load(sys.stdin); sys.exit(0 if ($expression) else 1)"; then
    t_pass "$name"
  else
    t_fail "$name" "exit $RUN_CODE; false: $expression"
    printf '%s\n' "$RUN_STDOUT" | head -c 3000 | sed 's/^/        | /'
    printf '%s\n' "$RUN_STDERR" | tail -n 5 | sed 's/^/        | /'
  fi
}

# json_holds EXPRESSION: succeeds when the expression holds on RUN_STDOUT (`doc`).
json_holds() {
  printf '%s' "$RUN_STDOUT" | python3 -c "import json, sys; doc = json.load(sys.stdin); sys.exit(0 if ($1) else 1)" \
    2>/dev/null
}

# reldash_until EXPRESSION ARGS...: runs reldash ARGS until EXPRESSION holds on its JSON output.
reldash_until() {
  local expression="$1"
  shift
  reldash_run "$@"
  json_holds "$expression"
}

write_rules() {
  cat >"$TEST_TMP/rules.yml" <<'YAML'
groups:
  - name: reldash-test
    rules:
      - alert: ReldashTestServerErrors
        expr: sum(rate(http_requests_total{job="api",status=~"5.."}[1m])) > 0
        labels:
          severity: page
        annotations:
          summary: the api answers 5xx
YAML
}

# write_config: overrides two queries with irate(), which a Prometheus that started seconds ago
# answers exactly (rate() over 5 minutes of a few seconds of data is extrapolated), and which
# exercises the config file path.
write_config() {
  cat >"$CONFIG" <<'CONF'
# reldash test settings: exact per-second rates from the last two scrapes
query.request_rate = sum(irate(http_requests_total{job="$job"}[1m]))
query.error_ratio = sum(irate(http_requests_total{job="$job",status=~"5.."}[1m])) / sum(irate(http_requests_total{job="$job"}[1m]))
CONF
}

healthy_status() {
  reldash_run status --json --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5
  json_check "reldash status --json: healthy, every default query answered" \
    "doc['health']['status'] == 'healthy' and doc['health']['metrics']['up']['value'] == 1 \
     and doc['health']['metrics']['request_rate']['value'] > 0 \
     and doc['health']['metrics']['error_ratio']['value'] == 0 \
     and 0.04 < doc['health']['metrics']['latency_p95']['value'] <= 0.1 \
     and doc['health']['metrics']['cpu']['value'] > 0 \
     and doc['health']['metrics']['memory']['value'] == 52428800 \
     and all(m['error'] is None and m['level'] == 'ok' for m in doc['health']['metrics'].values()) \
     and doc['health']['alerts']['firing'] == 0 and doc['health']['data_age_seconds'] < 30 \
     and doc['health']['error'] is None"
  reldash_run status --json --config "$CONFIG" --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5
  json_check "reldash status --json --config: the configured query gives the exporter's 20 req/s" \
    "18 < doc['health']['metrics']['request_rate']['value'] < 22 \
     and 'irate' in doc['health']['metrics']['request_rate']['query'] and doc['health']['status'] == 'healthy'"
  reldash_run status --json --fail-on-degraded --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5
  if [ "$RUN_CODE" = 0 ]; then
    t_pass "reldash status --fail-on-degraded: exit 0 when healthy"
  else
    t_fail "reldash status --fail-on-degraded: exit 0 when healthy" "exit $RUN_CODE"
  fi
}

health_series() {
  reldash_run health --json --range 2m --points 30 --prometheus-url "$PROM_URL" --timeout 5
  json_check "reldash health --json: series on the requested grid, no query error" \
    "len(doc['series']) == 6 and all(s['error'] is None for s in doc['series']) \
     and all(len(s['points']) <= 30 for s in doc['series']) \
     and any(p[1] == 1 for p in doc['series'][0]['points']) and doc['step_seconds'] == 5"
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

degraded_by_errors() {
  local degraded="doc['health']['alerts']['firing'] >= 1 and doc['health']['metrics']['error_ratio']['level'] == 'critical'"
  printf 'errors\n' >"$MODE_FILE"
  t_wait_for "reldash to see the 5xx and the alert firing" 60 reldash_until "$degraded" \
    status --json --fail-on-degraded --config "$CONFIG" --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5 ||
    true
  json_check "reldash status --fail-on-degraded: degraded by 5xx (20 %) and a firing alert, exit 4" \
    "doc['health']['status'] == 'degraded' and doc['health']['metrics']['error_ratio']['level'] == 'critical' \
     and 0.18 < doc['health']['metrics']['error_ratio']['value'] < 0.22 \
     and doc['health']['alerts']['firing'] >= 1 \
     and any('ReldashTestServerErrors' in r for r in doc['health']['reasons']) and $RUN_CODE == 4"
}

target_down() {
  stop_exporter
  t_wait_for "reldash to see the target down" 60 reldash_until "doc['health']['metrics']['up']['value'] == 0" \
    status --json --deploy-dir "$DEPLOY" --prometheus-url "$PROM_URL" --timeout 5 || true
  json_check "reldash status: degraded when the target is down (up = 0), exit 0 without the flag" \
    "doc['health']['status'] == 'degraded' and doc['health']['metrics']['up']['value'] == 0 \
     and doc['health']['metrics']['up']['level'] == 'critical' \
     and any('target is down' in r for r in doc['health']['reasons']) and $RUN_CODE == 0"
}

main() {
  t_require "reldash: swift" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  t_require "reldash: prometheus" prometheus "apt-get install prometheus (scripts/ci/provision.sh)" || exit 0
  t_require "reldash: curl" curl "apt-get install curl" || exit 0
  reldash_build || exit 0
  mkdir -p "$DEPLOY/releases"
  local exporter_port
  exporter_port="$(free_local_port)"
  start_exporter "$exporter_port"
  write_rules
  write_config
  prom_config_write "$TEST_TMP/prometheus.yml" api "127.0.0.1:$exporter_port" "$TEST_TMP/rules.yml"
  if ! prom_start "$TEST_TMP/prometheus.yml"; then
    t_fail "reldash: start Prometheus" "see $TEST_TMP/prometheus.log"
    exit 0
  fi
  # Four scrapes: every rate() has two samples before any time reldash may ask about.
  if ! t_wait_for "four scrapes of the exporter" 60 prom_has_sample 'count_over_time(up{job="api"}[1m]) >= 4'; then
    t_fail "reldash: Prometheus scrapes the exporter" "no rate after 60 s"
    exit 0
  fi
  healthy_status
  health_series
  degraded_by_errors
  target_down
}

main "$@"
