#!/usr/bin/env bash
# End-to-end test of scripts/incident_replay.sh with real containers (deploy project incrp,
# monitoring project incrpmon, random ports on 127.0.0.1, Grafana not run): the replay exits 0,
# and its timeline shows the incident's events in order: good release deployed, faulty release
# deployed, first 5xx, ApiHighErrorRate firing, reldash showing it, R and y pressed, the
# rollback in history.jsonl, ApiHighErrorRate resolved; the faulty release ends BAD and the good
# one current; DeployLeftUnhealthy names only the faulty release.
# Measured here: 189 s (API image from the BuildKit cache, reldash already built, loaded machine).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"

readonly PROJECT=incrp MON_PROJECT=incrpmon API_REPO=incrp-api

setup_env() {
  export DEPLOY_PROJECT_NAME="$PROJECT" DEPLOY_IMAGE_REPO="$API_REPO" DEPLOY_DIR="$TEST_TMP/deploy"
  export DEPLOY_SECRETS_DIR="$TEST_TMP/secrets" DB_PASSWORD_FILE="$TEST_TMP/secrets/db_password.txt"
  export MONITORING_PROJECT_NAME="$MON_PROJECT" MONITORING_GRAFANA=0
  export GRAFANA_ADMIN_PASSWORD_FILE="$TEST_TMP/grafana/admin_password.txt" RELDASH_BIN
  API_PORT="$(free_local_port)" PROMETHEUS_PORT="$(free_local_port)" ALERTMANAGER_PORT="$(free_local_port)"
  BLACKBOX_PORT="$(free_local_port)" WEBHOOK_PORT="$(free_local_port)"
  export API_PORT PROMETHEUS_PORT ALERTMANAGER_PORT BLACKBOX_PORT WEBHOOK_PORT
  mkdir -p "$DEPLOY_DIR/releases"
  cd_make_secret "$DEPLOY_SECRETS_DIR"
}

cleanup() {
  docker_remove_project "$MON_PROJECT" "$REPO_ROOT/monitoring/docker-compose.yml" \
    DB_PASSWORD_FILE=/dev/null GRAFANA_ADMIN_PASSWORD_FILE=/dev/null
  cd_remove_stack "$PROJECT" "$API_REPO"
  docker network rm "${PROJECT}_backend" >/dev/null 2>&1 || true
  rm -rf "$REPO_ROOT/.tools/monitoring-drill/$MON_PROJECT"
}

replayExitsZeroAndItsTimelineHoldsTheIncidentInOrder() {
  local out="$TEST_TMP/replay" code=0
  "$REPO_ROOT/scripts/incident_replay.sh" --out "$out" --timeout 120 >"$CASE_DIR/replay.log" 2>&1 || code=$?
  cp "$out/timeline.tsv" "$CASE_DIR/" 2>/dev/null || true
  assert_eq 0 "$code" "incident_replay.sh exit code (log: $(tail -n 15 "$CASE_DIR/replay.log"))"
  python3 - "$out/timeline.tsv" <<'PY' || cd_fail "timeline out of order (see $CASE_DIR/timeline.tsv)"
import csv
import sys

rows = list(csv.reader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))[1:]
expected = [
    ("replay", "good release "),
    ("replay", "faulty release "),
    ("api log", "first 5xx answer"),
    ("webhook", "ApiHighErrorRate firing"),
    ("replay", "reldash shows ApiHighErrorRate"),
    ("replay", "R pressed"),
    ("replay", "y pressed"),
    ("history.jsonl", "rollback "),
    ("webhook", "ApiHighErrorRate resolved"),
    ("replay", "step 8"),
]
times, at = [], 0
for source, text in expected:
    found = next((i for i in range(len(rows)) if rows[i][1].startswith(source) and text in rows[i][2]), None)
    if found is None:
        sys.exit(f"no {source} row with {text!r}")
    times.append((rows[found][0][:19], source, text))
previous = ""
for time, source, text in times:
    if time < previous:
        sys.exit(f"{source} {text!r} at {time} comes before {previous}")
    previous = time
print("in order:", ", ".join(f"{t} {s}" for t, s, _ in times))
PY
}

theFaultyReleaseEndsBadAndTheGoodOneCurrent() {
  local out="$TEST_TMP/replay" good bad
  good="$(grep -m1 $'\treplay\tgood release ' "$out/timeline.tsv" | grep -oE '[0-9]{8}T[0-9]{6}Z' | head -n 1)"
  bad="$(grep -m1 $'\treplay\tfaulty release ' "$out/timeline.tsv" | grep -oE '[0-9]{8}T[0-9]{6}Z' | head -n 1)"
  if [ -z "$good" ] || [ -z "$bad" ]; then
    cd_fail "release ids not in the timeline"
  fi
  assert_file "$DEPLOY_DIR/releases/$bad/BAD"
  assert_eq "releases/$good" "$(readlink "$DEPLOY_DIR/current")" "current pointer"
  assert_contains "$(curl -fsS --max-time 5 "http://127.0.0.1:$API_PORT/version")" "\"release_id\":\"$good\""
}

deployLeftUnhealthyNamesOnlyTheFaultyRelease() {
  local out="$TEST_TMP/replay" bad
  bad="$(grep -m1 $'\treplay\tfaulty release ' "$out/timeline.tsv" | grep -oE '[0-9]{8}T[0-9]{6}Z' | head -n 1)"
  python3 - "$out/webhook.jsonl" "$bad" <<'PY' || cd_fail "DeployLeftUnhealthy notifications (see $out/webhook.jsonl)"
import json
import sys

ids = {a["labels"].get("release_id") for line in open(sys.argv[1], encoding="utf-8") if line.strip()
       for a in json.loads(line)["alerts"] if a["labels"].get("alertname") == "DeployLeftUnhealthy"}
sys.exit(0 if ids == {sys.argv[2]} else f"DeployLeftUnhealthy release ids: {ids}, expected {{{sys.argv[2]!r}}}")
PY
}

main() {
  docker_require "incident replay e2e: docker" || exit 0
  docker_compose_require "incident replay e2e: compose" || exit 0
  t_require "incident replay e2e: tmux" tmux "apt-get install tmux (scripts/ci/provision.sh)" || exit 0
  cd_require_deploy_engine "incident replay e2e" || exit 0
  docker_require_monitoring_images "incident replay e2e" || exit 0
  reldash_build || exit 0
  setup_env
  trap cleanup EXIT
  cleanup
  cd_case "incident_replay.sh exits 0 and its timeline holds the incident's events in order" \
    replayExitsZeroAndItsTimelineHoldsTheIncidentInOrder
  cd_case "after the replay the faulty release is BAD and the good one current and answering" \
    theFaultyReleaseEndsBadAndTheGoodOneCurrent
  cd_case "DeployLeftUnhealthy names only the faulty release" deployLeftUnhealthyNamesOnlyTheFaultyRelease
}

main "$@"
