# shellcheck shell=bash
# A real, throwaway Prometheus for tests: Debian's /usr/bin/prometheus on 127.0.0.1 and a free
# port, storage in TEST_TMP, stopped by prom_stop (call it from the suite's EXIT trap).
# Needs harness.sh (TEST_TMP, t_wait_for) and curl.
#
#   prom_config_write FILE JOB TARGET [RULES_FILE]   scrape config: JOB scrapes TARGET every 1 s
#   prom_start CONFIG_FILE                           starts it; sets PROM_URL, PROM_PID, PROM_PORT
#   prom_query PROMQL                                prints the JSON answer of an instant query
#   prom_has_sample PROMQL                           succeeds when the query returns a sample
#   prom_stop                                        stops it (SIGTERM, SIGKILL after 10 s)

PROM_URL=""
PROM_PID=""
PROM_PORT=""

# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"

# prom_config_write FILE JOB TARGET [RULES_FILE]: a config scraping TARGET (host:port) as JOB and
# Prometheus itself as job "prometheus", every second; rules evaluated every second.
prom_config_write() {
  local file="$1" job="$2" target="$3" rules="${4:-}"
  {
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n'
    if [ -n "$rules" ]; then
      printf 'rule_files:\n  - %s\n' "$rules"
    fi
    printf 'scrape_configs:\n'
    printf '  - job_name: %s\n    static_configs:\n      - targets: ["%s"]\n' "$job" "$target"
    printf '  - job_name: prometheus\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' '__PROM_PORT__'
  } >"$file"
}

# prom_start CONFIG_FILE: starts Prometheus with CONFIG_FILE (its __PROM_PORT__ placeholder
# replaced by the chosen port) and waits until it is ready (at most 60 s).
prom_start() {
  local config="$1" data="$TEST_TMP/prometheus-data" log="$TEST_TMP/prometheus.log"
  command -v prometheus >/dev/null 2>&1 || {
    printf 'prometheus.sh: prometheus not found (apt-get install prometheus)\n' >&2
    return 1
  }
  PROM_PORT="$(free_local_port)"
  sed -i "s/__PROM_PORT__/$PROM_PORT/g" "$config"
  mkdir -p "$data"
  prometheus --config.file="$config" --storage.tsdb.path="$data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$log" 2>&1 &
  PROM_PID=$!
  PROM_URL="http://127.0.0.1:$PROM_PORT"
  if ! t_wait_for "Prometheus ready on $PROM_URL" 60 curl -fsS -m 2 "$PROM_URL/-/ready"; then
    tail -n 20 "$log" | sed 's/^/        | /' >&2
    return 1
  fi
}

# prom_query PROMQL: prints Prometheus' JSON answer to an instant query.
prom_query() {
  curl -fsS -m 5 --get --data-urlencode "query=$1" "$PROM_URL/api/v1/query"
}

# prom_has_sample PROMQL: succeeds when the instant query returns at least one sample.
prom_has_sample() {
  local answer
  answer="$(prom_query "$1")" || return 1
  [[ "$answer" == *'"value":['* ]]
}

# prom_stop: stops the Prometheus this library started (if any) and waits for it to exit.
prom_stop() {
  [ -n "$PROM_PID" ] || return 0
  kill -TERM "$PROM_PID" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while kill -0 "$PROM_PID" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -KILL "$PROM_PID" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$PROM_PID" 2>/dev/null || true
  PROM_PID=""
}
