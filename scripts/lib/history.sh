# shellcheck shell=bash
# DEPLOY_DIR/history.jsonl: the append-only audit log, one JSON object per line, ordered by
# time. Fields (schema in deploy/contract/schemas/history-line.schema.json): schema_version, time, event (deploy |
# rollback | failure), action (deploy | rollback: what was attempted), release_id (the release
# deployed or rolled back to), previous_release (current before), current (serving after),
# environment, user, duration_ms, message, slot (the slot serving after the event; null when
# unknown).
# Needs: json.sh, log.sh.

# history_append DIR EVENT ACTION RELEASE PREVIOUS CURRENT ENVIRONMENT DURATION_MS MESSAGE [SLOT]
history_append() {
  local dir="$1" event="$2" action="$3" release="$4" previous="$5" current="$6"
  local environment="$7" duration="$8" message="${9//$'\n'/ }" slot="${10:-}"
  local q_time q_event q_action q_release q_previous q_current q_env q_user n_duration q_message q_slot
  json_quote_into q_time "$(utc_now)"
  json_quote_into q_event "$event"
  json_quote_into q_action "$action"
  json_quote_or_null_into q_release "$release"
  json_quote_or_null_into q_previous "$previous"
  json_quote_or_null_into q_current "$current"
  json_quote_or_null_into q_env "$environment"
  json_quote_into q_user "$(lock_owner)"
  json_number_or_null_into n_duration "$duration"
  json_quote_into q_message "$message"
  json_quote_or_null_into q_slot "$slot"
  printf '{"schema_version":1,"time":%s,"event":%s,"action":%s,"release_id":%s,"previous_release":%s,"current":%s,"environment":%s,"user":%s,"duration_ms":%s,"message":%s,"slot":%s}\n' \
    "$q_time" "$q_event" "$q_action" "$q_release" "$q_previous" "$q_current" "$q_env" "$q_user" \
    "$n_duration" "$q_message" "$q_slot" >>"$dir/history.jsonl"
}
