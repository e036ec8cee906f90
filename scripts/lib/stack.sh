# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# Running a release without downtime: start it in the idle slot, gate it on that slot's own
# port, switch the proxy to it (verified through the proxy), and later drain and stop the slot
# it replaced. A release that fails its gate never reaches the proxy: the live slot keeps
# serving. Used by deploy_local.sh and rollback.sh alike (docs/zero-downtime.md).
# Needs: compose.sh, health.sh, kv.sh, log.sh, proxy.sh, slots.sh.

STACK_URL=""
STACK_REASON=""
STACK_SERVING=""
# The slot the release started by stack_up runs in, and the slot it replaced ("" if none).
STACK_SLOT=""
STACK_OLD_SLOT=""
# Seconds the proxy has to report the new release after its reload.
readonly STACK_SWITCH_TIMEOUT=10
# Seconds the proxy's old workers (requests started before the switch) have to finish before
# the old slot is stopped; nginx's worker_shutdown_timeout (deploy/proxy/nginx.conf) is 30 s.
readonly STACK_DRAIN_TIMEOUT=30
# The proxy's main configuration, copied into DEPLOY_DIR/proxy/ (DEPLOY_PROXY_NGINX_CONF).
STACK_PROXY_NGINX_CONF="${DEPLOY_PROXY_NGINX_CONF:-$CD_LIB_DIR/../../deploy/proxy/nginx.conf}"

# stack_url DIR ID: prints the base URL a release answers on (127.0.0.1 and its pinned port).
stack_url() {
  printf 'http://127.0.0.1:%s' "$(kv_get "$1/releases/$2/release.env" API_PORT)"
}

# stack_image_present REF: succeeds when the image REF exists in the local engine.
stack_image_present() {
  docker image inspect "$1" >/dev/null 2>&1
}

# stack_project DIR ID: prints the compose project release ID pins.
stack_project() {
  kv_get "$1/releases/$2/release.env" COMPOSE_PROJECT_NAME
}

# stack_live_slot DIR PROJECT: prints the slot the proxy routes to when that slot runs (nothing
# otherwise: then any slot is free).
stack_live_slot() {
  local live
  live="$(proxy_live_slot "$1")"
  [ -n "$live" ] && [ -n "$(slot_container "$2" "$live")" ] && printf '%s' "$live"
  return 0
}

# stack_idle_slot DIR PROJECT: prints the slot the next release starts in (blue first).
stack_idle_slot() {
  local live
  live="$(stack_live_slot "$1" "$2")"
  slot_other "${live:-green}"
}

# stack_up DIR ID TIMEOUT: starts release ID in the idle slot, waits for it to be healthy on
# the slot's own port, then switches the proxy to it. Sets STACK_URL (the proxy's), STACK_SLOT,
# STACK_OLD_SLOT, HEALTH_* (the slot's gate) and, on failure, STACK_REASON; a failure leaves
# the proxy on the slot it served before (the new slot is stopped).
stack_up() {
  local dir="$1" id="$2" timeout="$3" project slot_url attempts duration
  STACK_REASON=""
  STACK_URL="$(stack_url "$dir" "$id")"
  project="$(stack_project "$dir" "$id")"
  STACK_OLD_SLOT="$(stack_live_slot "$dir" "$project")"
  STACK_SLOT="$(slot_other "${STACK_OLD_SLOT:-green}")"
  log_info "starting release $id in slot $STACK_SLOT (compose project $project; live slot: ${STACK_OLD_SLOT:-none})"
  if ! proxy_prepare "$dir" "$STACK_PROXY_NGINX_CONF"; then
    STACK_REASON="could not prepare $(proxy_config_dir "$dir")"
    return 1
  fi
  if ! slot_start "$dir" "$id" "$STACK_SLOT" || ! slot_url="$(slot_url "$project" "$STACK_SLOT")"; then
    STACK_REASON="'compose up' failed for release $id in slot $STACK_SLOT"
    stack_abandon_slot "$dir" "$id"
    return 1
  fi
  log_info "health gate: up to ${timeout}s for $slot_url/readyz = 200 and /version = $id (slot $STACK_SLOT)"
  if ! health_gate "$slot_url" "$id" "$timeout"; then
    STACK_REASON="health gate failed after ${timeout}s and $HEALTH_ATTEMPTS attempts: $HEALTH_REASON"
    stack_keep_api_logs "$dir" "$id"
    stack_abandon_slot "$dir" "$id"
    return 1
  fi
  attempts="$HEALTH_ATTEMPTS" duration="$HEALTH_DURATION_MS"
  log_info "release $id is healthy in slot $STACK_SLOT ($attempts attempts, $duration ms); switching the proxy"
  if ! proxy_switch "$dir" "$STACK_SLOT" "$id" "$STACK_SWITCH_TIMEOUT"; then
    STACK_REASON="$PROXY_REASON"
    stack_restore_proxy "$dir" "$id"
    stack_abandon_slot "$dir" "$id"
    HEALTH_ATTEMPTS="$attempts" HEALTH_DURATION_MS="$duration"
    return 1
  fi
  HEALTH_ATTEMPTS="$attempts" HEALTH_DURATION_MS="$duration"
}

# stack_abandon_slot DIR ID: stops the slot release ID was started in, after a failure.
stack_abandon_slot() {
  slot_stop "$1" "$2" "$STACK_SLOT" || log_warn "could not stop slot $STACK_SLOT"
}

# stack_restore_proxy DIR ID: the proxy goes back to the slot it served before a failed switch.
stack_restore_proxy() {
  local dir="$1" id="$2"
  [ -n "$STACK_OLD_SLOT" ] || return 0
  if ! proxy_write_upstream "$dir" "$STACK_OLD_SLOT" "(restored)" || ! proxy_apply "$dir" "$id"; then
    log_warn "could not point the proxy back to slot $STACK_OLD_SLOT"
  fi
}

# stack_retire_old DIR ID: after the switch and the pointer, drains and stops the slot the
# release replaced (SIGTERM: not-ready, drain delay, in-flight requests finish).
stack_retire_old() {
  local dir="$1" id="$2"
  [ -n "$STACK_OLD_SLOT" ] && [ "$STACK_OLD_SLOT" != "$STACK_SLOT" ] || return 0
  local project
  project="$(stack_project "$dir" "$id")"
  log_info "draining slot $STACK_OLD_SLOT (release $(slot_release "$project" "$STACK_OLD_SLOT")): waiting for the proxy's requests to it, then stopping it"
  proxy_wait_old_workers "$project" "$STACK_DRAIN_TIMEOUT" ||
    log_warn "the proxy still had requests to slot $STACK_OLD_SLOT after ${STACK_DRAIN_TIMEOUT}s; stopping it anyway"
  slot_stop "$dir" "$id" "$STACK_OLD_SLOT" || {
    log_warn "could not stop slot $STACK_OLD_SLOT; the next deploy stops it"
    return 1
  }
  log_info "slot $STACK_OLD_SLOT stopped"
}

# stack_reconcile DIR CURRENT: run under the lock before a deploy or a rollback, repairs what
# an interrupted one (SIGKILL, power loss) can leave: the proxy stopped, the proxy routing to
# a release that is not the current one, or both slots running. Afterwards the proxy routes to
# the current release when it runs, and only that slot runs.
stack_reconcile() {
  local dir="$1" current="$2" project live other live_release other_release
  [ -n "$current" ] && [ -f "$dir/releases/$current/release.env" ] || return 0
  project="$(stack_project "$dir" "$current")"
  live="$(proxy_live_slot "$dir")"
  [ -n "$live" ] || return 0
  other="$(slot_other "$live")"
  live_release="$(slot_release "$project" "$live")"
  other_release="$(slot_release "$project" "$other")"
  if [ "$live_release" != "$current" ] && [ "$other_release" = "$current" ]; then
    log_warn "the proxy routes to slot $live (release ${live_release:-none}), not to the current release $current (slot $other): switching it back"
    proxy_switch "$dir" "$other" "$current" "$STACK_SWITCH_TIMEOUT" || log_warn "$PROXY_REASON"
    slot_stop "$dir" "$current" "$live" || true
  elif [ -n "$other_release" ]; then
    log_warn "slot $other still runs release $other_release (an interrupted deploy): stopping it"
    slot_stop "$dir" "$current" "$other" || true
  fi
  if [ -z "$(proxy_container "$project")" ] && [ "$(slot_release "$project" "$(proxy_live_slot "$dir")")" = "$current" ]; then
    log_warn "the proxy is not running: starting it again"
    proxy_apply "$dir" "$current" || log_warn "could not start the proxy"
  fi
  return 0
}

# stack_keep_api_logs DIR ID: appends the last lines of the api's output to the log file (the
# evidence of why a release did not become healthy), and shows the last few.
stack_keep_api_logs() {
  local dir="$1" id="$2" logs
  logs="$(compose_release "$dir" "$id" logs --no-color --tail 40 "api-$STACK_SLOT" 2>&1 || true)"
  [ -n "$logs" ] || return 0
  [ -z "$LOG_FILE" ] || printf '%s\n' "--- last lines of the api of release $id ---" "$logs" >>"$LOG_FILE"
  log_info "last lines of the api of release $id:"
  printf '%s\n' "$logs" | tail -n 8 | sed 's/^/    | /' >&2
}

# stack_bring_back DIR GOOD_ID FAILED_ID TIMEOUT: after FAILED_ID did not come up. The proxy
# still routes to GOOD_ID's slot when it is up: that is verified through the proxy; otherwise
# GOOD_ID is started again the same way as any release. Without GOOD_ID, stops FAILED_ID's slot
# so nothing broken serves. Sets STACK_SERVING to one sentence saying what serves now; fails
# when nothing healthy does. STACK_REASON, STACK_SLOT and HEALTH_* keep the values of the
# failure being handled.
stack_bring_back() {
  local dir="$1" good="$2" failed="$3" timeout="$4"
  local saved_reason="$STACK_REASON" saved_attempts="$HEALTH_ATTEMPTS" saved_ms="$HEALTH_DURATION_MS"
  local saved_slot="$STACK_SLOT" code=0 url
  if [ -z "$good" ]; then
    stack_stop_release "$dir" "$failed"
    STACK_SERVING="no earlier release to bring back: nothing is serving (the database keeps its data)"
    return 1
  fi
  stack_unswitch "$dir" "$good" "$failed"
  stack_stop_release "$dir" "$failed"
  url="$(stack_url "$dir" "$good")"
  if health_gate "$url" "$good" 2; then
    STACK_SERVING="release $good is serving again at $url (verified healthy; the proxy never left it)"
  elif ! stack_image_present "$(kv_get "$dir/releases/$good/release.env" API_IMAGE)"; then
    STACK_SERVING="release $good cannot be brought back: its image is gone; nothing healthy is serving"
    code=1
  else
    log_info "bringing back release $good"
    if stack_up "$dir" "$good" "$timeout"; then
      stack_retire_old "$dir" "$good" || true
      STACK_SERVING="release $good is serving again at $STACK_URL (verified healthy)"
    else
      STACK_SERVING="release $good was started again but is NOT healthy ($STACK_REASON): nothing healthy is serving; see 'docker compose -p $(stack_project "$dir" "$good") logs'"
      code=1
    fi
  fi
  STACK_REASON="$saved_reason" HEALTH_ATTEMPTS="$saved_attempts" HEALTH_DURATION_MS="$saved_ms"
  STACK_SLOT="$saved_slot"
  return "$code"
}

# stack_unswitch DIR GOOD_ID FAILED_ID: when the proxy already routes to FAILED_ID and GOOD_ID
# still runs in the other slot (a deploy stopped right after its switch), routes back to it.
stack_unswitch() {
  local dir="$1" good="$2" failed="$3" project live
  project="$(stack_project "$dir" "$good")"
  live="$(proxy_live_slot "$dir")"
  [ -n "$live" ] && [ "$(slot_release "$project" "$live")" = "$failed" ] || return 0
  [ "$(slot_release "$project" "$(slot_other "$live")")" = "$good" ] || return 0
  log_info "the proxy already routes to $failed: switching it back to $good"
  proxy_switch "$dir" "$(slot_other "$live")" "$good" "$STACK_SWITCH_TIMEOUT" || log_warn "$PROXY_REASON"
}

# stack_stop_release DIR ID: stops every slot that runs release ID (the proxy never routes to
# a slot that is not the live one).
stack_stop_release() {
  local dir="$1" id="$2" project slot
  project="$(stack_project "$dir" "$id")"
  [ -n "$project" ] || return 0
  for slot in $SLOT_NAMES; do
    if [ "$(slot_release "$project" "$slot")" = "$id" ]; then
      slot_stop "$dir" "$id" "$slot" || true
    fi
  done
}
