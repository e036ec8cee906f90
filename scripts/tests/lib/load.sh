# shellcheck shell=bash
# Bounded request loads on 127.0.0.1 for the zero-downtime tests and bench/cd: a loop that
# sends RATE requests per second, each on a new connection (curl), and wrk (keep-alive
# connections, as fast as the stack answers) for a fixed duration. Both count the requests
# that did not get a 200. Used by scripts/tests/e2e/35-cd-zero-downtime.sh and bench/cd/run.sh.

LOAD_PID=""
LOAD_STOP=""
LOAD_OUT=""

_load_now_ms() { date +%s%3N; }

# load_loop URL RATE STOP_FILE OUT_FILE MAX_SECONDS: GET URL at RATE per second (each request in
# the background, 2 s timeout) until STOP_FILE exists or MAX_SECONDS pass; one "status ms" line
# per request in OUT_FILE (000 when no answer).
load_loop() {
  local url="$1" rate="$2" stop="$3" out="$4" max="$5" start sent=0 delay
  start="$(_load_now_ms)"
  while [ ! -e "$stop" ] && [ $(($(_load_now_ms) - start)) -lt $((max * 1000)) ]; do
    (
      line="$(curl -s -o /dev/null -m 2 -w '%{http_code} %{time_total}' "$url" 2>/dev/null || true)"
      printf '%s\n' "${line:-000 0}" >>"$out"
    ) &
    sent=$((sent + 1))
    delay=$((start + sent * 1000 / rate - $(_load_now_ms)))
    [ "$delay" -le 0 ] || sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  done
  wait
}

# load_start URL RATE WORK_DIR: starts load_loop in the background (at most 300 s).
load_start() {
  LOAD_STOP="$3/load.stop.$RANDOM"
  LOAD_OUT="$3/load.out.$RANDOM"
  : >"$LOAD_OUT"
  load_loop "$1" "$2" "$LOAD_STOP" "$LOAD_OUT" 300 &
  LOAD_PID=$!
}

# load_stop: ends the loop started by load_start and waits for its last requests.
load_stop() {
  [ -n "$LOAD_PID" ] || return 0
  touch "$LOAD_STOP"
  wait "$LOAD_PID" || true
  LOAD_PID=""
}

# load_sent / load_failed: requests sent by the last loop, and those that did not get a 200.
load_sent() {
  wc -l <"$LOAD_OUT" | tr -d ' '
}
load_failed() {
  grep -cv '^200 ' "$LOAD_OUT" || true
}

# load_p99_ms: the 99th percentile of the last loop's request times, in milliseconds.
load_p99_ms() {
  awk '{ print int($2 * 1000) }' "$LOAD_OUT" | LC_ALL=C sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(NR * 0.99); if (i < NR * 0.99) i++; if (i < 1) i = 1; print v[i] }'
}

# load_wrk URL SECONDS OUT_FILE: wrk with 2 threads and 8 keep-alive connections for SECONDS,
# its report (with latency percentiles) in OUT_FILE.
load_wrk() {
  wrk -t 2 -c 8 -d "${2}s" --latency "$1" >"$3" 2>&1
}

# load_wrk_failed OUT_FILE: non-2xx answers plus socket errors of a wrk report.
load_wrk_failed() {
  local non2xx errors
  non2xx="$(awk '/Non-2xx/ { print $NF }' "$1")"
  errors="$(grep -oE 'Socket errors: connect [0-9]+, read [0-9]+, write [0-9]+, timeout [0-9]+' "$1" |
    grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')"
  printf '%s' $((${non2xx:-0} + ${errors:-0}))
}

# load_wrk_requests OUT_FILE / load_wrk_rate OUT_FILE / load_wrk_p99 OUT_FILE
load_wrk_requests() { awk '/requests in/ { print $1 }' "$1"; }
load_wrk_rate() { awk '/Requests\/sec/ { printf "%d", $2 }' "$1"; }
load_wrk_p99() { awk '$1 == "99%" { print $2 }' "$1"; }
