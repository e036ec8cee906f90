#!/usr/bin/env bash
# Error paths of reldash against a real Prometheus (Debian's package, started here on 127.0.0.1)
# scraping a scripted exporter run by this suite: it serves the contract's metric names with known
# rates and can be switched to answering 5xx, which the real API cannot do on cue. Checks a 20 %
# 5xx ratio through a configured query, a firing alert, --fail-on-degraded, and the target going
# down. The healthy path runs against the real API in 40-reldash-api-metrics.sh.
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
  degraded_by_errors
  target_down
}

main "$@"
