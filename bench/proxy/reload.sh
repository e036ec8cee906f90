#!/usr/bin/env bash
# Which proxy for the blue/green switch: runs nginx and HAProxy (Debian's packages, on the host,
# loopback only) in front of the same backend (python's http.server), loads each with wrk for
# DURATION seconds while the proxy's configuration is reloaded RELOADS times (the operation the
# switch performs), and reports requests, non-2xx answers and socket errors per proxy.
# Caddy is left out: Debian 12's caddy reloads through its admin API (a JSON config), a second
# moving part the scripts would have to speak (see docs/zero-downtime.md).
# Needs: nginx, haproxy, wrk, python3, curl (apt-get install nginx-light haproxy wrk; not in
# scripts/ci/provision.sh: CI never runs benchmarks). Results: stdout.
set -Eeuo pipefail

readonly DURATION="${DURATION:-12}" RELOADS="${RELOADS:-8}" CONNECTIONS="${CONNECTIONS:-20}"
WORK=""
PIDS=()

log() { printf 'bench-proxy: %s\n' "$*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  [ -z "$WORK" ] || rm -rf -- "$WORK"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {
  local url="$1" i
  for ((i = 0; i < 100; i++)); do
    curl -fs -o /dev/null -m 1 "$url" && return 0
    sleep 0.1
  done
  log "no answer from $url"
  return 1
}

# load_and_reload NAME URL RELOAD_CMD...: wrk for DURATION s, RELOADS reloads spread over it.
load_and_reload() {
  local name="$1" url="$2" out="$WORK/wrk.$1" i wrk_pid
  shift 2
  wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" "$url" >"$out" 2>&1 &
  wrk_pid=$!
  sleep 1
  for ((i = 0; i < RELOADS; i++)); do
    "$@"
    sleep "$(((DURATION - 2) / RELOADS)).$((RANDOM % 9))"
  done
  wait "$wrk_pid"
  printf '| %s | %s | %s | %s | %s |\n' "$name" \
    "$(awk '/requests in/ {print $1}' "$out")" \
    "$(awk '/Non-2xx/ {print $NF}' "$out" | grep . || echo 0)" \
    "$(grep -o 'Socket errors:.*' "$out" || echo 'Socket errors: none')" \
    "$(awk '/Requests\/sec/ {print $2}' "$out")"
}

main() {
  local backend proxy_port
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-proxy.XXXXXX")"
  trap cleanup EXIT
  backend="$(free_port)"
  (cd "$WORK" && echo ok >index.html && exec python3 -m http.server --bind 127.0.0.1 "$backend" >/dev/null 2>&1) &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$backend/"
  printf '| proxy | requests | non-2xx | socket errors | req/s |\n|---|---|---|---|---|\n'

  proxy_port="$(free_port)"
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/cb; proxy_temp_path $WORK/pt; fastcgi_temp_path $WORK/ft;
  uwsgi_temp_path $WORK/ut; scgi_temp_path $WORK/st;
  upstream live { server 127.0.0.1:$backend; keepalive 16; }
  server { listen 127.0.0.1:$proxy_port;
    location / { proxy_pass http://live; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
  nginx -e "$WORK/nginx.err" -c "$WORK/nginx.conf"
  wait_http "http://127.0.0.1:$proxy_port/"
  load_and_reload "nginx $(nginx -v 2>&1 | cut -d/ -f2) (nginx -s reload)" "http://127.0.0.1:$proxy_port/" \
    nginx -e "$WORK/nginx.err" -c "$WORK/nginx.conf" -s reload
  nginx -e "$WORK/nginx.err" -c "$WORK/nginx.conf" -s quit

  proxy_port="$(free_port)"
  cat >"$WORK/haproxy.cfg" <<CONF
global
  maxconn 1024
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 60s
frontend web
  bind 127.0.0.1:$proxy_port
  default_backend live
backend live
  server s1 127.0.0.1:$backend
CONF
  haproxy -W -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$proxy_port/"
  load_and_reload "haproxy $(haproxy -v | awk 'NR==1 {print $3}') (master-worker, SIGUSR2)" \
    "http://127.0.0.1:$proxy_port/" kill -USR2 "${PIDS[-1]}"
}

main "$@"
