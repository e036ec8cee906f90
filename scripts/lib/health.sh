# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# The health gate: a release is healthy when GET /readyz answers 200 AND GET /version reports
# its release_id (so an old container still answering cannot pass for the new one).
# Needs: http.sh, log.sh (now_ms).

HEALTH_ATTEMPTS=0
HEALTH_DURATION_MS=0
HEALTH_REASON=""

# health_version_release_id BODY: prints the release_id string found in a /version body.
health_version_release_id() {
  if [[ "$1" =~ \"release_id\"[[:space:]]*:[[:space:]]*\"([^\"]*)\" ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  fi
}

# _health_probe BASE_URL RELEASE_ID: one attempt; sets HEALTH_REASON when not healthy.
_health_probe() {
  local base="$1" id="$2" reported
  if ! http_get "$base/readyz" 2; then
    HEALTH_REASON="no HTTP answer from $base/readyz"
    return 1
  fi
  if [ "$HTTP_STATUS" != 200 ]; then
    HEALTH_REASON="$base/readyz answered $HTTP_STATUS: ${HTTP_BODY:0:200}"
    return 1
  fi
  if ! http_get "$base/version" 2 || [ "$HTTP_STATUS" != 200 ]; then
    HEALTH_REASON="$base/version did not answer 200 (${HTTP_STATUS:-no answer})"
    return 1
  fi
  reported="$(health_version_release_id "$HTTP_BODY")"
  if [ "$reported" != "$id" ]; then
    HEALTH_REASON="$base/version reports release_id '${reported}', not '$id'"
    return 1
  fi
}

# health_gate BASE_URL RELEASE_ID TIMEOUT: polls every 0.5 s until the release is healthy or
# TIMEOUT seconds have passed. Sets HEALTH_ATTEMPTS, HEALTH_DURATION_MS and, on failure,
# HEALTH_REASON (the last problem seen).
health_gate() {
  local base="$1" id="$2" timeout="$3" start deadline
  start="$(now_ms)"
  deadline=$((start + timeout * 1000))
  HEALTH_ATTEMPTS=0
  HEALTH_REASON=""
  while :; do
    HEALTH_ATTEMPTS=$((HEALTH_ATTEMPTS + 1))
    if _health_probe "$base" "$id"; then
      HEALTH_DURATION_MS=$(($(now_ms) - start))
      HEALTH_REASON=""
      return 0
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      HEALTH_DURATION_MS=$(($(now_ms) - start))
      return 1
    fi
    sleep 0.5
  done
}
