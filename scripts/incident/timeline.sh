# shellcheck shell=bash
# The timeline of an incident replay (scripts/incident_replay.sh), built from the evidence the
# replay saved in its output directory, with bash, grep and sed only (no jq, no python):
#   steps.tsv        TIME<TAB>what the replay did or saw (written as it goes)
#   history.jsonl    the deploy tree's audit log lines written during the replay
#   webhook.jsonl    every Alertmanager notification the local webhook receiver holds
#   api-*.log        `docker logs --timestamps` of each API container (one JSON line per request)
# timeline_write DIR writes DIR/timeline.tsv (TIME<TAB>SOURCE<TAB>EVENT, sorted by time).

# timeline_field LINE NAME: prints the first string value of "NAME":"..." in one JSON line.
timeline_field() {
  local value
  value="$(grep -oE "\"$2\":\"([^\"\\\\]|\\\\.)*\"" <<<"$1" | head -n 1)" || true
  value="${value#\""$2"\":\"}"
  printf '%s' "${value%\"}"
}

# timeline_history DIR: one row per history.jsonl line (deploy, rollback, failure).
timeline_history() {
  local line
  [ -f "$1/history.jsonl" ] || return 0
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    printf '%s\thistory.jsonl\t%s %s -> %s: %s\n' "$(timeline_field "$line" time)" \
      "$(timeline_field "$line" event)" "$(timeline_field "$line" previous_release)" \
      "$(timeline_field "$line" current)" "$(timeline_field "$line" message)"
  done <"$1/history.jsonl"
}

# timeline_webhook DIR: one row per notification: firing at the alert's startsAt, resolved at
# its endsAt (the times Alertmanager sends, taken from the first alert of the group).
timeline_webhook() {
  local line status name at
  [ -f "$1/webhook.jsonl" ] || return 0
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    status="$(timeline_field "$line" status)"
    name="$(timeline_field "$line" alertname)"
    if [ "$status" = resolved ]; then at="$(timeline_field "$line" endsAt)"; else at="$(timeline_field "$line" startsAt)"; fi
    printf '%s\twebhook\t%s %s (receiver %s)\n' "${at%%.*}Z" "$name" "$status" "$(timeline_field "$line" receiver)"
  done <"$1/webhook.jsonl"
  return 0
}

# timeline_api_log FILE LABEL: the first and the last 5xx answer of one API container, and how
# many /api/ requests it answered with which status.
timeline_api_log() {
  local file="$1" label="$2" first last total errors
  [ -f "$file" ] || return 0
  total="$(grep -c '"route":"/api/' "$file" || true)"
  errors="$(grep '"route":"/api/' "$file" | grep -c '"status":5[0-9][0-9]' || true)"
  first="$(grep '"status":5[0-9][0-9]' "$file" | head -n 1 || true)"
  last="$(grep '"status":5[0-9][0-9]' "$file" | tail -n 1 || true)"
  if [ -n "$first" ]; then
    printf '%s\tapi log %s\tfirst 5xx answer (%s %s)\n' "$(timeline_field "$first" time)" "$label" \
      "$(timeline_field "$first" method)" "$(timeline_field "$first" path)"
    printf '%s\tapi log %s\tlast 5xx answer when its log was saved (before the rollback); %s of %s /api/ requests answered 5xx\n' \
      "$(timeline_field "$last" time)" "$label" "$errors" "$total"
  fi
}

# timeline_write DIR: DIR/timeline.tsv from the steps and the evidence, sorted by time.
timeline_write() {
  local dir="$1" file
  {
    printf 'time\tsource\tevent\n'
    {
      [ ! -f "$dir/steps.tsv" ] || sed 's/\t/\treplay\t/' "$dir/steps.tsv"
      timeline_history "$dir"
      timeline_webhook "$dir"
      for file in "$dir"/api-*.log; do
        [ -f "$file" ] || continue
        file="${file##*/}"
        timeline_api_log "$dir/$file" "${file#api-}"
      done
    } | LC_ALL=C sort -s -t $'\t' -k1,1
  } >"$dir/timeline.tsv.tmp"
  mv "$dir/timeline.tsv.tmp" "$dir/timeline.tsv"
}
