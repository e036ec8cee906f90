# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# Running a release: `compose up -d` from its pinned files, then the health gate; bringing a
# known-good release back after a failure. Used by deploy_local.sh and rollback.sh alike.
# Needs: compose.sh, health.sh, kv.sh, log.sh.

STACK_URL=""
STACK_REASON=""
STACK_SERVING=""

# stack_url DIR ID: prints the base URL a release answers on (127.0.0.1 and its pinned port).
stack_url() {
  printf 'http://127.0.0.1:%s' "$(kv_get "$1/releases/$2/release.env" API_PORT)"
}

# stack_image_present REF: succeeds when the image REF exists in the local engine.
stack_image_present() {
  docker image inspect "$1" >/dev/null 2>&1
}

# stack_up DIR ID TIMEOUT: starts release ID (compose up -d) and waits for it to be healthy.
# Sets STACK_URL, HEALTH_* and, on failure, STACK_REASON.
stack_up() {
  local dir="$1" id="$2" timeout="$3"
  STACK_REASON=""
  STACK_URL="$(stack_url "$dir" "$id")"
  log_info "starting release $id (compose project $(kv_get "$dir/releases/$id/release.env" COMPOSE_PROJECT_NAME))"
  if ! log_run_quiet "docker compose up for release $id" compose_release "$dir" "$id" up -d --remove-orphans; then
    STACK_REASON="'compose up' failed for release $id"
    return 1
  fi
  log_info "health gate: up to ${timeout}s for $STACK_URL/readyz = 200 and /version = $id"
  if ! health_gate "$STACK_URL" "$id" "$timeout"; then
    STACK_REASON="health gate failed after ${timeout}s and $HEALTH_ATTEMPTS attempts: $HEALTH_REASON"
    stack_keep_api_logs "$dir" "$id"
    return 1
  fi
  log_info "release $id is healthy ($HEALTH_ATTEMPTS attempts, ${HEALTH_DURATION_MS} ms)"
}

# stack_keep_api_logs DIR ID: appends the last lines of the api's output to the log file (the
# evidence of why a release did not become healthy), and shows the last few.
stack_keep_api_logs() {
  local dir="$1" id="$2" logs
  logs="$(compose_release "$dir" "$id" logs --no-color --tail 40 api 2>&1 || true)"
  [ -n "$logs" ] || return 0
  [ -z "$LOG_FILE" ] || printf '%s\n' "--- last lines of the api of release $id ---" "$logs" >>"$LOG_FILE"
  log_info "last lines of the api of release $id:"
  printf '%s\n' "$logs" | tail -n 8 | sed 's/^/    | /' >&2
}

# stack_bring_back DIR GOOD_ID FAILED_ID TIMEOUT: after FAILED_ID did not come up, starts GOOD_ID
# again and verifies it. Without GOOD_ID, removes FAILED_ID's api so nothing broken serves.
# Sets STACK_SERVING to one sentence saying what serves now; fails when nothing healthy does.
# STACK_REASON and HEALTH_* keep the values of the failure being handled.
stack_bring_back() {
  local dir="$1" good="$2" failed="$3" timeout="$4"
  local saved_reason="$STACK_REASON" saved_attempts="$HEALTH_ATTEMPTS" saved_ms="$HEALTH_DURATION_MS" code=0
  if [ -z "$good" ]; then
    log_run_quiet "removing the api of release $failed" compose_release "$dir" "$failed" rm -s -f api || true
    STACK_SERVING="no earlier release to bring back: nothing is serving (the database keeps its data)"
    return 1
  fi
  if ! stack_image_present "$(kv_get "$dir/releases/$good/release.env" API_IMAGE)"; then
    STACK_SERVING="release $good cannot be brought back: its image is gone; nothing healthy is serving"
    return 1
  fi
  log_info "bringing back release $good"
  if stack_up "$dir" "$good" "$timeout"; then
    STACK_SERVING="release $good is serving again at $STACK_URL (verified healthy)"
  else
    STACK_SERVING="release $good was started again but is NOT healthy ($STACK_REASON): nothing healthy is serving; see 'docker compose -p $(kv_get "$dir/releases/$good/release.env" COMPOSE_PROJECT_NAME) logs'"
    code=1
  fi
  STACK_REASON="$saved_reason" HEALTH_ATTEMPTS="$saved_attempts" HEALTH_DURATION_MS="$saved_ms"
  return "$code"
}
