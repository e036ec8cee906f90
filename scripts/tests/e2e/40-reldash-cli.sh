#!/usr/bin/env bash
# End-to-end tests of the reldash binary: every command on deploy directories built here, with
# stdout, stderr and exit code compared with snapshots (Tests/Snapshots/cli; re-record on purpose
# with RELDASH_UPDATE_SNAPSHOTS=1), --json documents checked against the JSON Schema, Prometheus
# unreachable or silent, and deploy/rollback through stand-in scripts and through the real
# scripts/deploy_local.sh and scripts/rollback.sh (their refusals, which need no running stack).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"
# shellcheck source=scripts/tests/lib/prometheus.sh
source "$REPO_ROOT/scripts/tests/lib/prometheus.sh"

readonly DEPLOY="$TEST_TMP/deploy" OTHER="$TEST_TMP/other" FAKE_SCRIPTS="$TEST_TMP/fake-scripts"
readonly CURRENT=20261124T181500Z TARGET=20261124T130000Z
SILENT_PID=""

cleanup() {
  [ -z "$SILENT_PID" ] || kill "$SILENT_PID" 2>/dev/null || true
}
trap cleanup EXIT

# make_main_tree: one release of each status, a symlink pointer, history, a stray file, and a
# release whose compose file was edited after its deploy.
make_main_tree() {
  reldash_release "$DEPLOY" "$TARGET" deployed dev
  printf '# edited by hand\n' >>"$DEPLOY/releases/$TARGET/docker-compose.yml"
  reldash_release "$DEPLOY" 20261124T140000Z failed dev
  printf 'reason=failed its health gate: /readyz answered 503\ntime=2026-11-24T14:01:00Z\nuser=ops@host\n' \
    >"$DEPLOY/releases/20261124T140000Z/BAD"
  reldash_release "$DEPLOY" 20261124T150000Z deployed dev
  printf 'reason=rolled back from, to 20261124T130000Z\ntime=2026-11-24T15:30:00Z\nuser=ops@host\n' \
    >"$DEPLOY/releases/20261124T150000Z/BAD"
  mkdir -p "$DEPLOY/releases/20261124T160000Z"
  printf 'API_IMAGE=tasks-api:20261124T160000Z\n' >"$DEPLOY/releases/20261124T160000Z/release.env"
  mkdir -p "$DEPLOY/releases/20261124T170000Z"
  printf '{"schema_version": 1, "release_id": "20261124T170000Z", "status": ' \
    >"$DEPLOY/releases/20261124T170000Z/manifest.json"
  reldash_release "$DEPLOY" "$CURRENT" deployed dev
  ln -s "releases/$CURRENT" "$DEPLOY/current"
  printf 'notes\n' >"$DEPLOY/releases/notes.txt"
  {
    printf '{"schema_version":1,"time":"2026-11-24T15:31:00Z","event":"rollback","action":"rollback","release_id":"%s","user":"ops@host"}\n' "$TARGET"
    printf '{"schema_version":1,"time":"2026-11-24T18:15:41Z","event":"deploy","action":"deploy","release_id":"%s","user":"ops@host"}\n' "$CURRENT"
  } >"$DEPLOY/history.jsonl"
}

# make_other_tree: current.txt disagreeing with the symlink, and a lock held.
make_other_tree() {
  reldash_release "$OTHER" 20261124T100000Z deployed dev
  reldash_release "$OTHER" 20261124T110000Z deployed prod
  ln -s releases/20261124T110000Z "$OTHER/current"
  printf '20261124T100000Z\n' >"$OTHER/current.txt"
  mkdir -p "$OTHER/.lock"
  printf 'owner=ops@host\npid=4242\nhost=box\nstarted=2026-11-24T18:59:00Z\ncommand=deploy_local.sh --env prod\n' \
    >"$OTHER/.lock/info"
}

# make_fake_scripts: stand-ins for deploy_local.sh and rollback.sh that print on both streams and
# exit with FAKE_EXIT (default 0).
make_fake_scripts() {
  mkdir -p "$FAKE_SCRIPTS"
  local name
  for name in deploy_local.sh rollback.sh; do
    cat >"$FAKE_SCRIPTS/$name" <<'SH'
#!/usr/bin/env bash
set -Eeuo pipefail
printf '%s: step 1 (args: %s)\n' "${0##*/}" "$*"
[ "${FAKE_NO_STDERR:-0}" = 1 ] || printf '%s: a warning on stderr\n' "${0##*/}" >&2
printf '%s: DEPLOY_DIR=%s\n' "${0##*/}" "$DEPLOY_DIR"
exit "${FAKE_EXIT:-0}"
SH
    chmod +x "$FAKE_SCRIPTS/$name"
  done
}

# snapshots: every command and error path, with Prometheus on a closed port.
snapshots() {
  local closed="http://127.0.0.1:$CLOSED_PORT" common
  common=(--deploy-dir "$DEPLOY" --prometheus-url "$closed" --timeout 2)
  reldash_snapshot releases releases "${common[@]}"
  reldash_snapshot releases-json releases --json "${common[@]}"
  reldash_snapshot releases-limit releases --limit 2 "${common[@]}"
  reldash_snapshot status-prometheus-down status "${common[@]}"
  reldash_snapshot status-json-prometheus-down status --json "${common[@]}"
  reldash_snapshot status-fail-on-degraded status --fail-on-degraded "${common[@]}"
  reldash_snapshot status-other-tree status --deploy-dir "$OTHER" --prometheus-url "$closed"
  reldash_snapshot show-artifact-mismatch show "$TARGET" "${common[@]}"
  reldash_snapshot show-current-json show current --json "${common[@]}"
  reldash_snapshot show-invalid-manifest show 20261124T170000Z "${common[@]}"
  reldash_snapshot show-malformed-id show latest "${common[@]}"
  reldash_snapshot show-unknown-release show 20200101T000000Z "${common[@]}"
  reldash_snapshot health-json-prometheus-down health --json --range 15m "${common[@]}"
  reldash_snapshot missing-deploy-dir releases --deploy-dir "$TEST_TMP/nowhere"
  reldash_snapshot missing-deploy-dir-json status --json --deploy-dir "$TEST_TMP/nowhere"
  reldash_snapshot unknown-option releases --colour
  reldash_snapshot unknown-option-json releases --json --colour
  reldash_snapshot bad-timeout status --timeout soon --deploy-dir "$DEPLOY"
  printf 'timeout = 2s\nthreshold.cpu.warning = high\n' >"$TEST_TMP/bad.conf"
  reldash_snapshot bad-config-file status --config "$TEST_TMP/bad.conf" "${common[@]}"
  reldash_snapshot deploy-without-yes deploy --scripts-dir "$FAKE_SCRIPTS" "${common[@]}"
  reldash_snapshot rollback-without-yes rollback --scripts-dir "$FAKE_SCRIPTS" "${common[@]}"
  reldash_snapshot rollback-to-bad-release rollback --to 20261124T150000Z --yes --scripts-dir "$FAKE_SCRIPTS" \
    "${common[@]}"
  reldash_snapshot rollback-other-environment rollback --to 20261124T100000Z --yes --scripts-dir "$FAKE_SCRIPTS" \
    --deploy-dir "$OTHER"
  reldash_snapshot rollback-streams-script rollback --yes --scripts-dir "$FAKE_SCRIPTS" "${common[@]}"
  FAKE_EXIT=1 reldash_snapshot deploy-script-fails deploy --yes --env staging --scripts-dir "$FAKE_SCRIPTS" \
    "${common[@]}" -- --no-build
  # One stream only: lines of two pipes have no defined order between them.
  FAKE_NO_STDERR=1 reldash_snapshot deploy-json deploy --yes --json --scripts-dir "$FAKE_SCRIPTS" "${common[@]}"
}

# json_documents_match_schema: the binary's --json output validates against the schema.
json_documents_match_schema() {
  local closed="http://127.0.0.1:$CLOSED_PORT" spec kind
  local -a extra
  for spec in "releases:releases --json" "status_document:status --json" "show:show current --json" \
    "show:show $TARGET --json" "health:health --json" "script_run:deploy --json --yes"; do
    kind="${spec%%:*}"
    extra=()
    [ "$kind" != script_run ] || extra=(--scripts-dir "$FAKE_SCRIPTS")
    # shellcheck disable=SC2086 # the command words are split on purpose
    reldash_run ${spec#*:} --deploy-dir "$DEPLOY" --prometheus-url "$closed" --timeout 2 "${extra[@]}"
    printf '%s\n' "$RUN_STDOUT" >"$TEST_TMP/doc.json"
    t_run "reldash --json schema: ${spec#*:}" reldash_validate_json "$kind" "$TEST_TMP/doc.json"
  done
  reldash_run status --json --deploy-dir "$TEST_TMP/nowhere"
  printf '%s\n' "$RUN_STDERR" >"$TEST_TMP/error.json"
  t_run "reldash --json schema: error document on stderr" reldash_validate_json error "$TEST_TMP/error.json"
}

# silent_prometheus: a server that accepts connections and never answers; status must still
# answer (health unavailable, timeout) before a generous deadline, with exit 0.
silent_prometheus() {
  local port started elapsed
  port="$(free_local_port)"
  python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); time.sleep(600)' "$port" &
  SILENT_PID=$!
  t_wait_for "silent server on $port" 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || true
  started=$SECONDS
  reldash_run status --json --timeout 1 --deploy-dir "$DEPLOY" --prometheus-url "http://127.0.0.1:$port"
  elapsed=$((SECONDS - started))
  if [ "$RUN_CODE" = 0 ] && [[ "$RUN_STDOUT" == *'"code": "timeout"'* ]] && [ "$elapsed" -lt 10 ] &&
    [[ "$RUN_STDOUT" == *"\"id\": \"$CURRENT\""* ]]; then
    t_pass "reldash: Prometheus silent -> health unavailable (timeout), rest of status intact, exit 0"
  else
    t_fail "reldash: Prometheus silent -> health unavailable (timeout), rest of status intact, exit 0" \
      "exit $RUN_CODE after ${elapsed}s: ${RUN_STDOUT:0:300} ${RUN_STDERR:0:300}"
  fi
  waiting_costs_no_cpu "$port"
}

# waiting_costs_no_cpu PORT: while its requests to the silent server on PORT wait 4 s for their
# deadline, reldash sleeps. Its CPU time (user + system, the kernel's accounting of the child)
# is compared with the same command against a closed port (start-up and output, no wait): the
# wait may add at most 0.4 s. A transport that polls in a loop spends most of the 4 s (URLSession
# over libcurl added 2.1 s here).
waiting_costs_no_cpu() {
  local port="$1" closed measured
  closed="$(free_local_port)"
  measured="$(python3 -c 'import resource, subprocess, sys
def cpu(url):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(sys.argv[2:] + ["--prometheus-url", url], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
base = cpu("http://127.0.0.1:%s" % sys.argv[1].split(",")[0])
wait = cpu("http://127.0.0.1:%s" % sys.argv[1].split(",")[1])
print("%.2f %.2f" % (wait - base, wait))' "$closed,$port" \
    "$RELDASH_BIN" health --json --timeout 4 --deploy-dir "$DEPLOY")"
  if awk -v extra="${measured%% *}" 'BEGIN { exit !(extra < 0.4) }'; then
    printf '  (waiting added %s s of CPU; the whole run used %s s)\n' "${measured%% *}" "${measured##* }"
    t_pass "reldash: waiting 4 s for a silent Prometheus adds < 0.4 s of CPU (no busy loop)"
  else
    t_fail "reldash: waiting 4 s for a silent Prometheus adds < 0.4 s of CPU (no busy loop)" \
      "it added ${measured%% *} s (whole run ${measured##* } s)"
  fi
}

# terminal_confirmation: on a terminal (a pty from script(1)) rollback asks; "n" refuses with
# exit 2, "y" runs the script.
terminal_confirmation() {
  t_require "reldash: confirmation on a terminal" script "apt-get install bsdutils (script)" || return 0
  local command answer code output
  command="$(printf '%q ' "$RELDASH_BIN" rollback --scripts-dir "$FAKE_SCRIPTS" --deploy-dir "$DEPLOY" \
    --prometheus-url "http://127.0.0.1:$CLOSED_PORT")"
  for answer in n y; do
    code=0
    output="$(printf '%s\n' "$answer" | script -qec "$command" /dev/null 2>&1)" || code=$?
    if [ "$answer" = n ] && [ "$code" = 2 ] && [[ "$output" == *"Roll back from $CURRENT to $TARGET"*"[y/N]"* ]] &&
      [[ "$output" == *"not confirmed"* ]] && [[ "$output" != *"step 1"* ]]; then
      t_pass "reldash rollback on a terminal: asks, and 'n' refuses with exit 2"
    elif [ "$answer" = y ] && [ "$code" = 0 ] && [[ "$output" == *"rollback.sh: step 1 (args: --to $TARGET)"* ]]; then
      t_pass "reldash rollback on a terminal: 'y' runs the script"
    else
      t_fail "reldash rollback on a terminal: answer '$answer'" "exit $code: ${output:0:400}"
    fi
  done
}

# colours_on_terminal_only: ANSI colours on a terminal, none with --no-color or NO_COLOR, none
# when stdout is not a terminal (every snapshot above).
colours_on_terminal_only() {
  t_require "reldash: colours on a terminal" script "apt-get install bsdutils (script)" || return 0
  local base output escape=$'\e['
  base="$(printf '%q ' "$RELDASH_BIN" releases --deploy-dir "$DEPLOY")"
  output="$(script -qec "$base" /dev/null </dev/null 2>&1)" || true
  if [[ "$output" == *"$escape"* ]]; then t_pass "reldash: colours on a terminal"; else
    t_fail "reldash: colours on a terminal" "no ANSI sequence: ${output:0:200}"
  fi
  output="$(script -qec "$base --no-color" /dev/null </dev/null 2>&1)" || true
  if [[ "$output" != *"$escape"* ]] && [[ "$output" == *"$CURRENT"* ]]; then
    t_pass "reldash: --no-color on a terminal"
  else
    t_fail "reldash: --no-color on a terminal" "${output:0:200}"
  fi
  output="$(NO_COLOR=1 script -qec "$base" /dev/null </dev/null 2>&1)" || true
  if [[ "$output" != *"$escape"* ]] && [[ "$output" == *"$CURRENT"* ]]; then
    t_pass "reldash: NO_COLOR on a terminal"
  else
    t_fail "reldash: NO_COLOR on a terminal" "${output:0:200}"
  fi
}

# signal_forwarding SIGNAL CODE: reldash deploy gets SIGNAL while its script runs; the script
# (and its child) receive SIGTERM, clean up, and reldash exits CODE.
signal_forwarding() {
  local signal="$1" expected="$2" slow="$TEST_TMP/slow-scripts" marker="$TEST_TMP/marker.$1" pid code=0
  mkdir -p "$slow"
  cat >"$slow/deploy_local.sh" <<'SH'
#!/usr/bin/env bash
trap 'echo "script got TERM" >>"$MARKER"; exit 143' TERM
echo "$$" >"$MARKER.ready"
sleep 300 &
wait
SH
  chmod +x "$slow/deploy_local.sh"
  MARKER="$marker" "$RELDASH_BIN" deploy --yes --grace 5 --scripts-dir "$slow" --deploy-dir "$DEPLOY" \
    </dev/null >"$TEST_TMP/signal.out" 2>&1 &
  pid=$!
  if ! t_wait_for "the slow deploy script to start" 20 test -f "$marker.ready"; then
    kill -KILL "$pid" 2>/dev/null || true
    t_fail "reldash deploy: SIG$signal is forwarded to the script" "the script never started"
    return 0
  fi
  kill "-$signal" "$pid"
  wait "$pid" || code=$?
  if [ "$code" = "$expected" ] && grep -q 'script got TERM' "$marker" 2>/dev/null &&
    grep -q 'interrupted; the script was stopped' "$TEST_TMP/signal.out"; then
    t_pass "reldash deploy: SIG$signal is forwarded as SIGTERM to the script, reldash exits $expected"
  else
    t_fail "reldash deploy: SIG$signal is forwarded as SIGTERM to the script, reldash exits $expected" \
      "exit $code; $(cat "$TEST_TMP/signal.out" "$marker" 2>/dev/null | head -c 300)"
  fi
}

# write_with_cd_library DIR: a deploy directory written by the deploy scripts' own library
# (scripts/lib: manifest_write, release_mark_bad, pointer_write, history_append), in a subshell.
write_with_cd_library() {
  (
    set -Eeuo pipefail
    local id
    # shellcheck source=scripts/lib/all.sh
    source "$REPO_ROOT/scripts/lib/all.sh"
    export LOG_PREFIX=reldash-contract
    # shellcheck disable=SC2034 # read by manifest_write through a nameref
    local -A manifest=()
    for id in 20261124T160000Z 20261124T170000Z 20261124T181500Z; do
      mkdir -p "$1/releases/$id"
      printf 'services:\n  api:\n    image: tasks-api:%s\n' "$id" >"$1/releases/$id/docker-compose.yml"
      printf 'API_IMAGE=tasks-api:%s\nAPP_ENV=dev\nRELEASE_ID=%s\nCOMPOSE_PROJECT_NAME=tasks-dev\n' "$id" "$id" >"$1/releases/$id/release.env"
      manifest=(
        [release_id]="$id" [environment]=dev [status]=deployed [created_at]="$(release_id_to_time "$id")"
        [finished_at]="$(release_id_to_time "$id")" [duration_ms]=41000
        [git_commit]=0123456789abcdef0123456789abcdef01234567 [git_short]=0123456 [git_branch]=main
        [git_dirty]=false [app_version]=1.0.0 [images]=$'api\ttasks-api:'"$id"$'\t'
        [deployed_by]=ops@host [health_url]=http://127.0.0.1:8080/readyz [health_status]=healthy
        [health_attempts]=2 [health_duration_ms]=1500
      )
      # shellcheck disable=SC2034 # read by manifest_write through a nameref
      if [ "$id" = 20261124T170000Z ]; then
        manifest[status]=failed
        manifest[images]=$'api\t\t'
        manifest[health_status]=unhealthy
        manifest[failure_reason]="/readyz answered 503 for 60 s"
      fi
      manifest_write manifest "$1/releases/$id"
    done
    release_mark_bad "$1" 20261124T170000Z "failed its health gate"
    pointer_write "$1" 20261124T181500Z auto
    history_append "$1" deploy deploy 20261124T181500Z 20261124T160000Z 20261124T181500Z dev 41000 "deployed"
  )
}

# contract_with_cd_library: reldash reads what scripts/lib writes, exactly as the contract says.
contract_with_cd_library() {
  local written="$TEST_TMP/written" name="reldash reads a deploy directory written by scripts/lib"
  if ! write_with_cd_library "$written" >"$TEST_TMP/contract.log" 2>&1; then
    t_fail "$name" "scripts/lib could not write the fixture: $(tail -n 3 "$TEST_TMP/contract.log")"
    return 0
  fi
  reldash_run releases --json --deploy-dir "$written"
  printf '%s\n' "$RUN_STDOUT" >"$TEST_TMP/contract.json"
  if python3 - "$TEST_TMP/contract.json" <<'PY'; then
import json
import sys

doc = json.load(open(sys.argv[1], encoding="utf-8"))
by_id = {release["id"]: release for release in doc["releases"]}
assert doc["current"] == "20261124T181500Z", doc["current"]
assert doc["rollback_candidate"] == "20261124T160000Z", doc["rollback_candidate"]
assert by_id["20261124T181500Z"]["status"] == "current"
assert by_id["20261124T181500Z"]["git_short"] == "0123456"
assert by_id["20261124T170000Z"]["status"] == "failed"
assert "/readyz answered 503 for 60 s" in by_id["20261124T170000Z"]["reason"], by_id["20261124T170000Z"]["reason"]
assert by_id["20261124T170000Z"]["bad"]["reason"] == "failed its health gate"
assert by_id["20261124T170000Z"]["images"][0]["ref"] is None
assert by_id["20261124T160000Z"]["status"] == "deployed"
assert doc["warnings"] == [], doc["warnings"]
PY
    t_pass "$name"
  else
    t_fail "$name" "${RUN_STDOUT:0:400} ${RUN_STDERR:0:200}"
  fi
  reldash_run show 20261124T160000Z --json --deploy-dir "$written"
  if [ "$RUN_CODE" = 0 ] && [[ "$RUN_STDOUT" == *'"artifacts_ok": true'* ]] &&
    [[ "$RUN_STDOUT" == *'"path": "release.env"'* ]]; then
    t_pass "reldash show: the artifacts' sha256 written by scripts/lib match"
  else
    t_fail "reldash show: the artifacts' sha256 written by scripts/lib match" "${RUN_STDOUT:0:600}"
  fi
  reldash_run status --json --deploy-dir "$written" --prometheus-url "http://127.0.0.1:$CLOSED_PORT"
  if [[ "$RUN_STDOUT" == *'"event": "deploy"'* ]] && [[ "$RUN_STDOUT" == *'"source": "symlink"'* ]]; then
    t_pass "reldash status: history line and pointer written by scripts/lib"
  else
    t_fail "reldash status: history line and pointer written by scripts/lib" "${RUN_STDOUT:0:600}"
  fi
}

# real_scripts: deploy and rollback through the repository's own scripts; the cases are their
# refusals (exit 3), which reldash must pass through with the scripts' messages streamed.
real_scripts() {
  local scripts="$REPO_ROOT/scripts" held="$TEST_TMP/held"
  if [ ! -x "$scripts/rollback.sh" ] || [ ! -x "$scripts/deploy_local.sh" ]; then
    t_skip "reldash: real deploy/rollback scripts" "scripts/deploy_local.sh or rollback.sh not in the tree yet"
    return 0
  fi
  cp -a "$DEPLOY" "$held"
  mkdir -p "$held/.lock"
  printf 'owner=other@%s\npid=%s\nhost=%s\nstarted=2026-11-24T18:59:00Z\ncommand=deploy_local.sh\n' \
    "${HOSTNAME:-localhost}" "$$" "${HOSTNAME:-localhost}" >"$held/.lock/info"
  reldash_run deploy --yes --scripts-dir "$scripts" --deploy-dir "$held"
  if [ "$RUN_CODE" = 3 ] && [[ "$RUN_STDERR" == *"$held/.lock"* ]]; then
    t_pass "reldash deploy: the real deploy_local.sh refuses a held lock, exit 3 passed through"
  else
    t_fail "reldash deploy: the real deploy_local.sh refuses a held lock, exit 3 passed through" \
      "exit $RUN_CODE: ${RUN_STDERR:0:400}"
  fi
  reldash_run rollback --yes --scripts-dir "$scripts" --deploy-dir "$held"
  if [ "$RUN_CODE" = 3 ] && [[ "$RUN_STDERR" == *"another deployment holds"* ]]; then
    t_pass "reldash rollback: the real rollback.sh refuses a held lock, exit 3 passed through"
  else
    t_fail "reldash rollback: the real rollback.sh refuses a held lock, exit 3 passed through" \
      "exit $RUN_CODE: ${RUN_STDERR:0:400}"
  fi
}

# same_reasons_as_rollback_list: on every tree of the contract's corpus, `reldash releases --json`
# and `scripts/rollback.sh --list` (the real CLIs) give each release the same status and the
# same reason code.
same_reasons_as_rollback_list() {
  local tree name ours theirs mismatched=""
  for tree in "$REPO_ROOT"/deploy/contract/corpus/*/tree; do
    name="${tree%/tree}"
    name="${name##*/}"
    ours="$("$RELDASH_BIN" releases --json --deploy-dir "$tree" 2>/dev/null |
      python3 -c 'import json,sys; [print(r["id"], r["status"], r["reason_code"] or "-") for r in json.load(sys.stdin)["releases"]]' |
      sort)" || ours="reldash failed"
    theirs="$(DEPLOY_DIR="$tree" HOSTNAME=corpus-host "$REPO_ROOT/scripts/rollback.sh" --list 2>/dev/null |
      awk '$1 ~ /^[0-9]+T[0-9]+Z$/ { code = "-"; for (i = 3; i <= NF; i++) if ($i ~ /^[a-z_]+:$/) { code = substr($i, 1, length($i) - 1); break } print $1, $2, code }' |
      sort)" || theirs="rollback.sh failed"
    [ "$ours" = "$theirs" ] || mismatched+="$name "
  done
  if [ -z "$mismatched" ]; then
    t_pass "reldash releases and rollback.sh --list give the same status and reason code on every corpus tree"
  else
    t_fail "reldash releases and rollback.sh --list give the same status and reason code on every corpus tree" \
      "they differ on: $mismatched"
  fi
}

main() {
  t_require "reldash: swift" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  reldash_build || exit 0
  # shellcheck disable=SC2031 # set for the whole suite; scripts/lib only sets LC_ALL locally
  export RELDASH_NOW=2026-11-24T19:00:00Z LC_ALL=C
  unset NO_COLOR RELDASH_CONFIG RELDASH_DEPLOY_DIR RELDASH_PROMETHEUS_URL RELDASH_TIMEOUT DEPLOY_DIR
  CLOSED_PORT="$(free_local_port)"
  readonly CLOSED_PORT
  make_main_tree
  make_other_tree
  make_fake_scripts
  snapshots
  json_documents_match_schema
  silent_prometheus
  terminal_confirmation
  colours_on_terminal_only
  signal_forwarding TERM 143
  signal_forwarding INT 130
  contract_with_cd_library
  same_reasons_as_rollback_list
  real_scripts
}

main "$@"
