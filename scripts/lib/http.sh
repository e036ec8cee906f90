# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# A minimal HTTP GET for health checks: curl when present (Git Bash ships it), else bash's own
# /dev/tcp (HTTP/1.0, loopback addresses only). DEPLOY_HTTP_CLIENT=curl|bash forces one.

HTTP_STATUS=""
HTTP_BODY=""

# http_get URL TIMEOUT: sets HTTP_STATUS (e.g. 200; "" when no answer) and HTTP_BODY. Fails when
# no HTTP answer came within TIMEOUT seconds.
http_get() {
  local url="$1" timeout="$2" client="${DEPLOY_HTTP_CLIENT:-auto}"
  HTTP_STATUS=""
  HTTP_BODY=""
  if [ "$client" = curl ] || { [ "$client" = auto ] && command -v curl >/dev/null 2>&1; }; then
    _http_get_curl "$url" "$timeout"
  else
    _http_get_bash "$url" "$timeout"
  fi
}

_http_get_curl() {
  local url="$1" timeout="$2" output
  output="$(curl -s --max-time "$timeout" -w '\n%{http_code}' -- "$url" 2>/dev/null)" || true
  HTTP_STATUS="${output##*$'\n'}"
  [[ "$HTTP_STATUS" =~ ^[1-5][0-9][0-9]$ ]] || {
    HTTP_STATUS=""
    return 1
  }
  HTTP_BODY="${output%$'\n'*}"
}

_http_get_bash() {
  local url="$1" timeout="$2" rest host port path fd line response="" status_line
  [[ "$url" =~ ^http://([^/:]+)(:([0-9]+))?(/.*)?$ ]] || return 1
  host="${BASH_REMATCH[1]}"
  port="${BASH_REMATCH[3]:-80}"
  path="${BASH_REMATCH[4]:-/}"
  exec {fd}<>"/dev/tcp/$host/$port" 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$path" "$host" "$port" >&"$fd"
  while IFS= read -r -t "$timeout" -u "$fd" line || [ -n "$line" ]; do
    response+="$line"$'\n'
  done
  exec {fd}>&-
  status_line="${response%%$'\n'*}"
  [[ "$status_line" =~ ^HTTP/[0-9.]+\ ([1-5][0-9][0-9]) ]] || return 1
  HTTP_STATUS="${BASH_REMATCH[1]}"
  rest="${response#*$'\r\n\r\n'}"
  [ "$rest" = "$response" ] && rest=""
  HTTP_BODY="${rest%$'\n'}"
}
