#!/usr/bin/env bash
# Unit tests of the deployment library (scripts/lib): JSON escaping, atomic writes, the lock,
# the current pointer, release listing and status, the manifest rule shared with reldash,
# rollback target, pruning, manifest (with a saved image) and history writers, image defaults,
# the HTTP client and the health gate. No Docker: fixtures in temp dirs, fake
# commands, and a tiny Python HTTP server for the health gate.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
cd_source_libs
export LOG_PREFIX=cd-test
readonly MANIFEST_SCHEMA="$REPO_ROOT/deploy/contract/schemas/manifest.schema.json"
readonly HISTORY_SCHEMA="$REPO_ROOT/deploy/contract/schemas/history-line.schema.json"
readonly ID1=20260101T100000Z ID2=20260101T110000Z ID3=20260101T120000Z ID4=20260101T130000Z
readonly ID5=20260101T140000Z ID6=20260101T150000Z ID7=20260101T160000Z

# --- JSON ------------------------------------------------------------------------------------

jsonStringEscapesQuotesBackslashesAndControlCharacters() {
  local value out decoded
  value="$(printf 'say "hi"\\ \t tab\nnew\rline \001\037 bell\a é')"
  out="$(json_string "$value")"
  decoded="$(printf '%s' "$out" | python3 -c 'import json,sys; sys.stdout.write(json.loads(sys.stdin.read()))')"
  assert_eq "$value" "$decoded" "decoded JSON string"
  assert_not_contains "$out" $'\n' "escaped string"
}

jsonQuoteOrNullGivesNullForEmptyAndNumbersAreChecked() {
  local a b c d
  json_quote_or_null_into a ""
  json_quote_or_null_into b "x"
  json_number_or_null_into c "0042"
  json_number_or_null_into d "1200"
  assert_eq null "$a"
  assert_eq '"x"' "$b"
  assert_eq null "$c" "a number with a leading zero"
  assert_eq 1200 "$d"
}

# --- atomic writes ---------------------------------------------------------------------------

atomicWriteReplacesContentAndLeavesNoTemporaryFile() {
  printf 'old\n' >target.txt
  atomic_write "$CASE_DIR/target.txt" $'new content\n'
  assert_eq "new content" "$(cat target.txt)"
  assert_eq "./target.txt" "$(cd "$CASE_DIR" && find . -mindepth 1 -maxdepth 1)" "files left"
}

# _half_then_fail: a producer that writes part of its output, then fails.
_half_then_fail() {
  printf 'half of it'
  return 1
}

atomicWriteFromAFailingPipelineLeavesTargetUntouched() {
  printf 'old\n' >target.txt
  if atomic_write_from "$CASE_DIR/target.txt" _half_then_fail; then cd_fail "a failing producer succeeded"; fi
  assert_eq old "$(cat target.txt)"
  atomic_write_from "$CASE_DIR/target.txt" printf 'new'
  assert_eq new "$(cat target.txt)"
  assert_eq "./target.txt" "$(find . -mindepth 1 -maxdepth 1)" "files left"
}

atomicWriteFailureLeavesTargetUntouched() {
  mkdir -p occupied/inside
  if atomic_write "$CASE_DIR/occupied" "x"; then cd_fail "writing over a directory succeeded"; fi
  [ -d occupied/inside ] || cd_fail "the directory was changed"
  assert_eq "occupied" "$(ls -A "$CASE_DIR")" "files left"
  if atomic_write "$CASE_DIR/missing-dir/file" "x"; then cd_fail "writing into a missing directory succeeded"; fi
}

# --- lock ------------------------------------------------------------------------------------

lockRecordsOwnerPidHostStartTimeAndCommand() {
  lock_acquire "$CASE_DIR/.lock" "deploy_local.sh --env dev"
  assert_eq "$$" "$(kv_get .lock/info pid)" "pid"
  assert_eq "$(lock_hostname)" "$(kv_get .lock/info host)" "host"
  assert_eq "deploy_local.sh --env dev" "$(kv_get .lock/info command)" "command"
  assert_contains "$(kv_get .lock/info owner)" "@" "owner"
  [[ "$(kv_get .lock/info started)" =~ ^[0-9-]{10}T[0-9:]{8}Z$ ]] || cd_fail "started is not a UTC time"
  lock_release
  assert_no_path .lock
}

lockHeldByLiveProcessIsRefusedNamingTheHolder() {
  lock_acquire "$CASE_DIR/.lock" "first deploy"
  local out code=0
  out="$(bash -c 'source "$1/scripts/lib/all.sh"
    if lock_acquire "$2/.lock" second; then echo acquired; else echo "refused: $LOCK_HOLDER"; exit 3; fi' _ "$REPO_ROOT" "$CASE_DIR")" || code=$?
  assert_eq 3 "$code" "second acquirer's exit"
  assert_contains "$out" "pid $$" "holder description"
  assert_contains "$out" "first deploy" "holder description"
  assert_eq "$$" "$(kv_get .lock/info pid)" "the first lock is intact"
}

lockLeftByDeadProcessIsClearedWithAMessage() {
  local dead
  bash -c 'exit 0' &
  dead=$!
  wait "$dead"
  mkdir .lock
  printf 'owner=ghost@host\npid=%s\nhost=%s\nstarted=2026-01-01T00:00:00Z\ncommand=killed deploy\n' \
    "$dead" "$(lock_hostname)" >.lock/info
  lock_acquire "$CASE_DIR/.lock" "new deploy" 2>messages.txt
  assert_eq "$$" "$(kv_get .lock/info pid)" "new holder"
  assert_contains "$(cat messages.txt)" "stale lock" "message"
  assert_contains "$(cat messages.txt)" "process $dead is gone" "message"
  assert_no_path .lock.break
}

lockOfAnotherHostIsNeverTakenAsStale() {
  mkdir .lock
  printf 'owner=x@y\npid=999999\nhost=another-machine\nstarted=2026-01-01T00:00:00Z\ncommand=deploy\n' >.lock/info
  if lock_acquire "$CASE_DIR/.lock" "mine" 2>/dev/null; then cd_fail "took a lock of another host"; fi
  assert_contains "$LOCK_HOLDER" "another-machine"
}

lockWithoutInfoIsClearedAfterTheGracePeriod() {
  mkdir .lock
  LOCK_INFO_GRACE=1 lock_acquire "$CASE_DIR/.lock" "mine" 2>messages.txt
  assert_eq "$$" "$(kv_get .lock/info pid)"
  assert_contains "$(cat messages.txt)" "no owner information"
}

lockReleaseNeverRemovesAnotherProcessLock() {
  lock_acquire "$CASE_DIR/.lock" "mine"
  printf 'owner=x@y\npid=1\nhost=h\nstarted=t\ncommand=c\n' >.lock/info
  lock_release
  assert_file .lock/info
}

# _lock_contender DIR ID: one of several processes racing for DIR/.lock; writes won|lost, and a
# winner holds the lock until every contender has answered.
_lock_contender() {
  bash -c 'source "$1/scripts/lib/all.sh"
    if lock_acquire "$2/.lock" "contender $3" 2>/dev/null; then
      echo won >"$2/result.$3"
      deadline=$((SECONDS + 20))
      while [ "$(ls "$2" | grep -c "^result\.")" -lt "$4" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
      lock_release
    else
      echo lost >"$2/result.$3"
    fi' _ "$REPO_ROOT" "$1" "$2" "$3"
}

concurrentAcquirersGetTheLockExactlyOnce() {
  local i
  for i in 1 2 3 4 5 6; do _lock_contender "$CASE_DIR" "$i" 6 & done
  wait
  assert_eq 1 "$(cat result.* | grep -c won)" "winners"
}

concurrentClearersOfAStaleLockLetExactlyOneWin() {
  local i dead
  bash -c 'exit 0' &
  dead=$!
  wait "$dead"
  mkdir .lock
  printf 'owner=ghost@host\npid=%s\nhost=%s\nstarted=t\ncommand=c\n' "$dead" "$(lock_hostname)" >.lock/info
  for i in 1 2 3 4 5 6; do _lock_contender "$CASE_DIR" "$i" 6 & done
  wait
  assert_eq 1 "$(cat result.* | grep -c won)" "winners"
  assert_no_path .lock.break
}

# --- pointer ---------------------------------------------------------------------------------

pointerSymlinkModeWritesARelativeLinkOnly() {
  mkdir -p "releases/$ID1" "releases/$ID2"
  printf '%s\n' "$ID1" >current.txt
  pointer_write "$CASE_DIR" "$ID2" symlink
  [ -L current ] || cd_fail "current is not a symlink"
  assert_eq "releases/$ID2" "$(readlink current)" "link target"
  assert_no_path current.txt
  pointer_read "$CASE_DIR"
  assert_eq "$ID2" "$POINTER_ID"
  pointer_write "$CASE_DIR" "$ID1" symlink
  assert_eq "releases/$ID1" "$(readlink current)" "link target after a second switch"
  assert_eq "" "$(find . -maxdepth 1 -name '*tmp*')" "temporary links left"
}

pointerFileModeWritesTextAndDropsAnOldLink() {
  mkdir -p "releases/$ID1" "releases/$ID2"
  ln -s "releases/$ID1" current
  pointer_write "$CASE_DIR" "$ID2" file
  assert_eq "$ID2" "$(cat current.txt)"
  assert_no_path current
  pointer_read "$CASE_DIR"
  assert_eq "$ID2" "$POINTER_ID"
}

pointerAutoModeFallsBackToTextWhenLnMakesCopies() {
  mkdir -p "releases/$ID1"
  printf 'x\n' >"releases/$ID1/release.env"
  cd_fake_ln_copies
  PATH="$CASE_DIR/bin:$PATH" pointer_write "$CASE_DIR" "$ID1" auto
  assert_eq file "$POINTER_MODE_USED"
  assert_eq "$ID1" "$(cat current.txt)"
  assert_no_path current
  assert_eq "" "$(find . -maxdepth 1 -name '*tmp*')" "copies left"
}

pointerSymlinkModeFailsCleanlyWhenLnMakesCopies() {
  mkdir -p "releases/$ID1"
  cd_fake_ln_copies
  if PATH="$CASE_DIR/bin:$PATH" pointer_write "$CASE_DIR" "$ID1" symlink; then
    cd_fail "symlink mode succeeded with a copying ln"
  fi
  assert_contains "$POINTER_ERROR" "DEPLOY_POINTER=file"
  assert_no_path current
  assert_eq "" "$(find . -maxdepth 1 -name '*tmp*')" "copies left"
}

pointerReadAcceptsBothFormsWhenTheyAgree() {
  mkdir -p "releases/$ID1"
  ln -s "releases/$ID1" current
  printf '%s\r\n' "$ID1" >current.txt
  pointer_read "$CASE_DIR"
  assert_eq "$ID1" "$POINTER_ID"
}

pointerReadIsEmptyWhenNothingIsDeployed() {
  pointer_read "$CASE_DIR"
  assert_eq "" "$POINTER_ID"
}

# --- releases --------------------------------------------------------------------------------

releaseListSortsIdsAndIgnoresOtherEntries() {
  mkdir -p "releases/$ID3" "releases/$ID1" "releases/$ID2" releases/notes releases/20260101T1000Z
  touch "releases/20260101T170000Z"
  assert_eq "$ID1 $ID2 $ID3" "$(release_list "$CASE_DIR" | tr '\n' ' ' | sed 's/ $//')"
  assert_eq "$ID3" "$(release_newest "$CASE_DIR")"
}

releaseIdsAreUtcTimesThatConvertToRfc3339() {
  release_id_valid "$(release_id_now)" || cd_fail "release_id_now is not an id"
  assert_eq "2026-01-01T10:00:00Z" "$(release_id_to_time "$ID1")"
  if release_id_valid "2026-01-01"; then cd_fail "accepted a date"; fi
}

releaseStatusIsDerivedFromPointerManifestAndMarker() {
  fx_release "$CASE_DIR" "$ID1" deployed
  fx_release "$CASE_DIR" "$ID2" bad
  fx_release "$CASE_DIR" "$ID3" failed
  fx_release "$CASE_DIR" "$ID4" incomplete
  fx_release "$CASE_DIR" "$ID5" deployed
  assert_eq deployed "$(release_status "$CASE_DIR" "$ID1" "$ID5")"
  assert_eq bad "$(release_status "$CASE_DIR" "$ID2" "$ID5")"
  assert_eq failed "$(release_status "$CASE_DIR" "$ID3" "$ID5")"
  assert_eq incomplete "$(release_status "$CASE_DIR" "$ID4" "$ID5")"
  assert_eq current "$(release_status "$CASE_DIR" "$ID5" "$ID5")"
}

badMarkerKeepsTheFirstReasonWithTimeAndUser() {
  fx_release "$CASE_DIR" "$ID1" deployed
  release_mark_bad "$CASE_DIR" "$ID1" "health gate failed"
  release_mark_bad "$CASE_DIR" "$ID1" "rolled back from"
  local marker="releases/$ID1/BAD"
  assert_eq "health gate failed" "$(kv_get "$marker" reason)"
  [[ "$(kv_get "$marker" time)" =~ ^[0-9-]{10}T[0-9:]{8}Z$ ]] || cd_fail "time is not a UTC time"
  assert_contains "$(kv_get "$marker" user)" "@"
}

releaseEnvIsReadNeverExecuted() {
  # shellcheck disable=SC2016 # the command substitution must stay text
  printf 'A=1\r\nCMD=$(touch %s/pwned)\nB=x=y\n# C=comment\n' "$CASE_DIR" >release.env
  assert_eq 1 "$(kv_get release.env A)" "CRLF value"
  # shellcheck disable=SC2016 # the command substitution must stay text
  assert_eq '$(touch '"$CASE_DIR"'/pwned)' "$(kv_get release.env CMD)"
  assert_eq "x=y" "$(kv_get release.env B)"
  assert_eq "" "$(kv_get release.env C)"
  assert_eq 3 "$(kv_pairs release.env | wc -l | tr -d ' ')" "pairs"
  assert_no_path pwned
}

dotenvIsReadAsComposeReadsIt() {
  printf 'A=1\r\nQ="two words"\nA=2\nE=\nH="\n# K=comment\n' >.env
  assert_eq 2 "$(dotenv_get .env A)" "the last line wins, CRLF accepted"
  assert_eq "two words" "$(dotenv_get .env Q)" "surrounding quotes removed"
  assert_eq '"' "$(dotenv_get .env H)" "a lone quote is kept"
  assert_eq "" "$(dotenv_get .env K)" "comment"
  assert_eq "" "$(dotenv_get missing.env A)" "absent file"
  assert_eq 2 "$(A='' compose_setting .env A 9)" "empty environment value: the file's"
  assert_eq 7 "$(A=7 compose_setting .env A 9)" "the environment wins"
  assert_eq 9 "$(compose_setting .env E 9)" "empty in the file: the default"
  assert_eq 9 "$(compose_setting missing.env A 9)" "no file: the default"
}

pruneKeepsTheNewestAndNeverCurrentOrPrevious() {
  local id
  for id in "$ID1" "$ID2" "$ID3" "$ID4" "$ID5" "$ID6" "$ID7"; do fx_release "$CASE_DIR" "$id" deployed; done
  assert_eq "$ID1 $ID2" "$(release_prune_plan "$CASE_DIR" 5 "$ID7" "$ID6" | tr '\n' ' ' | sed 's/ $//')" "keep 5"
  assert_eq "$ID2 $ID3 $ID4 $ID5" "$(release_prune_plan "$CASE_DIR" 2 "$ID7" "$ID1" | tr '\n' ' ' | sed 's/ $//')" \
    "keep 2, previous = oldest"
  assert_eq "$ID3 $ID4 $ID5 $ID6" "$(release_prune_plan "$CASE_DIR" 1 "$ID1" "$ID2" | tr '\n' ' ' | sed 's/ $//')" \
    "keep 1, current and previous old"
  assert_eq "" "$(release_prune_plan "$CASE_DIR" 9 "$ID7" "")" "keep more than there are"
}

releaseRemoveDeletesTheDirectoryAndOnlyItsOwnImageTag() {
  fx_release "$CASE_DIR" "$ID1" deployed dev "fx-api:$ID1"
  printf 'saved image\n' >"releases/$ID1/image.tar.gz"
  fx_release "$CASE_DIR" "$ID2" deployed dev "someone/else:latest"
  # shellcheck disable=SC2016 # expanded by the fake command
  cd_fake_command docker 'printf "%s\n" "$*" >>"$CASE_DIR/docker.calls"'
  PATH="$CASE_DIR/bin:$PATH" release_remove "$CASE_DIR" "$ID1"
  PATH="$CASE_DIR/bin:$PATH" release_remove "$CASE_DIR" "$ID2"
  assert_no_path "releases/$ID1"
  assert_no_path "releases/$ID2"
  assert_contains "$(cat docker.calls)" "image rm fx-api:$ID1"
  assert_not_contains "$(cat docker.calls)" "someone/else" "docker calls"
}

# --- manifest and history --------------------------------------------------------------------

manifestsOfEveryStatusValidateAgainstTheSchema() {
  fx_release "$CASE_DIR" "$ID1" deployed
  fx_release "$CASE_DIR" "$ID2" failed
  cd_validate_json "$MANIFEST_SCHEMA" "releases/$ID1/manifest.json" "releases/$ID2/manifest.json"
  release_manifest_read "$CASE_DIR" "$ID2"
  assert_eq failed "$MANIFEST_STATE" "state of the failed manifest"
  release_manifest_read "$CASE_DIR" "$ID1"
  assert_eq deployed "$MANIFEST_STATE" "state of the deployed manifest"
}

manifestWithUnknownValuesUsesNullAndStaysValid() {
  mkdir -p "releases/$ID1"
  # shellcheck disable=SC2034 # read by manifest_write through a nameref
  local -A fields=(
    [release_id]="$ID1" [environment]=prod [status]=failed [created_at]="$(release_id_to_time "$ID1")"
    [finished_at]="$(utc_now)" [duration_ms]=5 [images]="$(printf 'api\tx:%s\t' "$ID1")"
    [deployed_by]='we"ird\user@host' [health_status]=skipped [health_attempts]=0 [health_duration_ms]=0
    [failure_reason]=$'build failed:\n"quoted"'
  )
  manifest_write fields "$CASE_DIR/releases/$ID1"
  cd_validate_json "$MANIFEST_SCHEMA" "releases/$ID1/manifest.json"
  assert_contains "$(cat "releases/$ID1/manifest.json")" '"git": {"commit": null, "short": null, "branch": null, "dirty": null}'
}

manifestSchemaRejectsABrokenManifest() {
  fx_release "$CASE_DIR" "$ID1" deployed
  sed 's/"status": "deployed"/"status": "maybe"/' "releases/$ID1/manifest.json" >broken.json
  if check-jsonschema --schemafile "$MANIFEST_SCHEMA" broken.json >/dev/null 2>&1; then
    cd_fail "the schema accepted status maybe"
  fi
}

manifestListsTheSavedImageWithItsSha256() {
  mkdir -p "releases/$ID1"
  head -c 4096 /dev/urandom >"releases/$ID1/image.tar.gz"
  fx_release "$CASE_DIR" "$ID1" deployed
  cd_validate_json "$MANIFEST_SCHEMA" "releases/$ID1/manifest.json"
  local expected
  expected="$(sha256sum "releases/$ID1/image.tar.gz" | cut -d' ' -f1)"
  assert_eq "$expected" "$(manifest_artifact_sha256 "releases/$ID1/manifest.json" image.tar.gz)" "listed sha256"
  assert_eq "" "$(manifest_artifact_sha256 "releases/$ID1/manifest.json" image.tar)" "sha256 of another name"
  image_archive_verify "$CASE_DIR/releases/$ID1" || cd_fail "intact archive rejected: $ARCHIVE_ERROR"
  printf 'x' >>"releases/$ID1/image.tar.gz"
  if image_archive_verify "$CASE_DIR/releases/$ID1"; then cd_fail "damaged archive accepted"; fi
  assert_contains "$ARCHIVE_ERROR" "is damaged"
}

configDefaultImagesNamesUpstreamPostgresUnlessSet() {
  unset POSTGRES_IMAGE
  config_default_images
  assert_eq postgres:15-bookworm "$POSTGRES_IMAGE" "default"
  POSTGRES_IMAGE=mine/pg:15
  config_default_images
  assert_eq mine/pg:15 "$POSTGRES_IMAGE" "a value already set"
}

gitInfoReadsCommitBranchAndDirtyEvenWithManyChanges() {
  git init -q -b main repo
  git -C repo -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m first
  git_info_read repo
  assert_eq "$(git -C repo rev-parse HEAD)" "$GIT_INFO_COMMIT" "commit"
  assert_eq "${GIT_INFO_COMMIT:0:7}" "$GIT_INFO_SHORT" "short"
  assert_eq main "$GIT_INFO_BRANCH" "branch"
  assert_eq false "$GIT_INFO_DIRTY" "clean tree"
  # 3,000 untracked paths: `git status --porcelain` writes far more than a pipe holds.
  (cd repo && seq -f 'an-untracked-file-with-a-long-name-%05g.txt' 1 3000 | xargs touch)
  git_info_read repo
  assert_eq true "$GIT_INFO_DIRTY" "dirty tree"
  git_info_read /
  assert_eq "" "$GIT_INFO_COMMIT$GIT_INFO_DIRTY" "not a repository"
}

historyLinesAreAppendedAndValidateAgainstTheSchema() {
  history_append "$CASE_DIR" deploy deploy "$ID1" "" "$ID1" dev 1500 "deployed $ID1"
  history_append "$CASE_DIR" failure deploy "$ID2" "$ID1" "$ID1" dev 900 $'failed:\n"gate" \\ timeout'
  history_append "$CASE_DIR" rollback rollback "$ID1" "$ID2" "$ID1" dev 700 "rolled back" green
  assert_eq 3 "$(wc -l <history.jsonl | tr -d ' ')" "lines"
  cd_validate_jsonl "$HISTORY_SCHEMA" history.jsonl
  assert_contains "$(head -n 1 history.jsonl)" '"event":"deploy"'
  assert_contains "$(head -n 1 history.jsonl)" '"slot":null'
  assert_contains "$(tail -n 1 history.jsonl)" '"slot":"green"}'
}

# --- proxy and slots ---------------------------------------------------------------------------

proxyUpstreamIsWrittenWholeAndNamesTheLiveSlot() {
  assert_eq "" "$(proxy_live_slot "$CASE_DIR")" "live slot before any switch"
  mkdir -p proxy
  proxy_write_upstream "$CASE_DIR" green "$ID1"
  assert_eq green "$(proxy_live_slot "$CASE_DIR")" "live slot after the switch to green"
  assert_contains "$(cat proxy/upstream.conf)" "server api-green:8080;"
  proxy_write_upstream "$CASE_DIR" blue "$ID2"
  assert_eq blue "$(proxy_live_slot "$CASE_DIR")" "live slot after the switch to blue"
  assert_eq "" "$(find proxy -name '.*tmp*')" "temporary files left in proxy/"
  proxy_prepare "$CASE_DIR" "$REPO_ROOT/deploy/proxy/nginx.conf"
  assert_eq "$(sha256sum <"$REPO_ROOT/deploy/proxy/nginx.conf")" "$(sha256sum <proxy/nginx.conf)" "nginx.conf copy"
  assert_contains "$(cat proxy/nginx.conf)" "include /etc/nginx/tasks/upstream.conf;"
}

# The drain waits for the workers the reload replaced, whatever `docker top` answers first: a
# failed listing, then the replaced worker still under its old title, then only the new one.
proxyDrainWaitsForTheReplacedWorkersEvenWhenDockerTopFails() {
  # shellcheck disable=SC2016 # the body is the fake command's own script
  cd_fake_command docker '
calls="$(dirname "$0")/top-calls"
case "$1" in
  ps) echo proxy123 ;;
  kill) exit 0 ;;
  top)
    n=$(($(cat "$calls" 2>/dev/null || echo 0) + 1))
    echo "$n" >"$calls"
    case "$n" in
      1) printf "PID COMMAND\n100 nginx: master process nginx\n101 nginx: worker process\n" ;;
      2) exit 1 ;;
      3) printf "PID COMMAND\n100 nginx: master process nginx\n101 nginx: worker process\n202 nginx: worker process\n" ;;
      *) printf "PID COMMAND\n100 nginx: master process nginx\n202 nginx: worker process\n" ;;
    esac ;;
esac'
  PATH="$CASE_DIR/bin:$PATH"
  proxy_reload proxy123
  assert_eq "101 " "$PROXY_OLD_WORKERS" "workers noted before the reload"
  proxy_wait_old_workers someproject 10 || cd_fail "the wait gave up"
  assert_eq 4 "$(cat "$CASE_DIR/bin/top-calls")" "docker top calls (reload, failure, old worker, done)"
}

slotNamesAndTheOtherSlot() {
  assert_eq green "$(slot_other blue)" "other of blue"
  assert_eq blue "$(slot_other green)" "other of green"
  slot_valid blue || cd_fail "blue is a slot"
  if slot_valid purple; then cd_fail "purple is not a slot"; fi
}

# --- HTTP client and health gate -------------------------------------------------------------

# _start_fake_api: serves /readyz (503 for the first 2 calls, then 200) and /version (reports
# release_id FAKE_RELEASE) on a free 127.0.0.1 port; sets FAKE_PORT and FAKE_PID.
_start_fake_api() {
  python3 - "$CASE_DIR/port" "$FAKE_RELEASE" <<'PY' &
import http.server, sys
port_file, release = sys.argv[1], sys.argv[2]
calls = {"readyz": 0}
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        if self.path == "/readyz":
            calls["readyz"] += 1
            code, body = (503, b'{"status":"starting"}') if calls["readyz"] <= 2 else (200, b'{"status":"ready"}')
        elif self.path == "/version":
            code, body = 200, ('{"version":"1.0.0", "release_id" : "%s","environment":"dev"}' % release).encode()
        else:
            code, body = 404, b"{}"
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
  FAKE_PID=$!
  t_wait_for "the fake API" 10 test -s "$CASE_DIR/port"
  FAKE_PORT="$(cat "$CASE_DIR/port")"
}

_http_client_case() {
  FAKE_RELEASE="$ID1" _start_fake_api
  trap 'kill "$FAKE_PID" 2>/dev/null || true' EXIT
  http_get "http://127.0.0.1:$FAKE_PORT/version" 2
  assert_eq 200 "$HTTP_STATUS"
  assert_eq "$ID1" "$(health_version_release_id "$HTTP_BODY")"
  http_get "http://127.0.0.1:$FAKE_PORT/nothing" 2
  assert_eq 404 "$HTTP_STATUS"
  if http_get "http://127.0.0.1:1/readyz" 2; then cd_fail "a closed port answered"; fi
  assert_eq "" "$HTTP_STATUS"
}

httpGetWithCurl() {
  command -v curl >/dev/null || cd_fail "curl is not installed"
  DEPLOY_HTTP_CLIENT=curl _http_client_case
}

httpGetWithBashDevTcpWhenCurlIsMissing() {
  DEPLOY_HTTP_CLIENT=bash _http_client_case
}

healthGateWaitsForReadinessAndTheRightReleaseId() {
  FAKE_RELEASE="$ID2" _start_fake_api
  trap 'kill "$FAKE_PID" 2>/dev/null || true' EXIT
  health_gate "http://127.0.0.1:$FAKE_PORT" "$ID2" 10
  [ "$HEALTH_ATTEMPTS" -ge 3 ] || cd_fail "healthy after $HEALTH_ATTEMPTS attempts, /readyz was 503 twice"
}

healthGateFailsWhenVersionReportsAnotherRelease() {
  FAKE_RELEASE="$ID1" _start_fake_api
  trap 'kill "$FAKE_PID" 2>/dev/null || true' EXIT
  if health_gate "http://127.0.0.1:$FAKE_PORT" "$ID2" 2; then cd_fail "gate passed for the wrong release"; fi
  assert_contains "$HEALTH_REASON" "reports release_id '$ID1', not '$ID2'"
}

healthGateFailsWhenNothingAnswers() {
  if health_gate "http://127.0.0.1:1" "$ID2" 1; then cd_fail "gate passed with nothing listening"; fi
  assert_contains "$HEALTH_REASON" "no HTTP answer"
}

main() {
  t_require "cd-lib: check-jsonschema" check-jsonschema "run scripts/ci/provision.sh (installs it into .tools/venv)" || true
  local case
  for case in \
    proxyUpstreamIsWrittenWholeAndNamesTheLiveSlot \
    proxyDrainWaitsForTheReplacedWorkersEvenWhenDockerTopFails \
    slotNamesAndTheOtherSlot \
    jsonStringEscapesQuotesBackslashesAndControlCharacters \
    jsonQuoteOrNullGivesNullForEmptyAndNumbersAreChecked \
    atomicWriteReplacesContentAndLeavesNoTemporaryFile \
    atomicWriteFromAFailingPipelineLeavesTargetUntouched \
    atomicWriteFailureLeavesTargetUntouched \
    lockRecordsOwnerPidHostStartTimeAndCommand \
    lockHeldByLiveProcessIsRefusedNamingTheHolder \
    lockLeftByDeadProcessIsClearedWithAMessage \
    lockOfAnotherHostIsNeverTakenAsStale \
    lockWithoutInfoIsClearedAfterTheGracePeriod \
    lockReleaseNeverRemovesAnotherProcessLock \
    concurrentAcquirersGetTheLockExactlyOnce \
    concurrentClearersOfAStaleLockLetExactlyOneWin \
    pointerSymlinkModeWritesARelativeLinkOnly \
    pointerFileModeWritesTextAndDropsAnOldLink \
    pointerAutoModeFallsBackToTextWhenLnMakesCopies \
    pointerSymlinkModeFailsCleanlyWhenLnMakesCopies \
    pointerReadAcceptsBothFormsWhenTheyAgree \
    pointerReadIsEmptyWhenNothingIsDeployed \
    releaseListSortsIdsAndIgnoresOtherEntries \
    releaseIdsAreUtcTimesThatConvertToRfc3339 \
    releaseStatusIsDerivedFromPointerManifestAndMarker \
    dotenvIsReadAsComposeReadsIt \
    badMarkerKeepsTheFirstReasonWithTimeAndUser \
    releaseEnvIsReadNeverExecuted \
    pruneKeepsTheNewestAndNeverCurrentOrPrevious \
    releaseRemoveDeletesTheDirectoryAndOnlyItsOwnImageTag \
    manifestsOfEveryStatusValidateAgainstTheSchema \
    manifestWithUnknownValuesUsesNullAndStaysValid \
    manifestSchemaRejectsABrokenManifest \
    manifestListsTheSavedImageWithItsSha256 \
    configDefaultImagesNamesUpstreamPostgresUnlessSet \
    gitInfoReadsCommitBranchAndDirtyEvenWithManyChanges \
    historyLinesAreAppendedAndValidateAgainstTheSchema \
    httpGetWithCurl \
    httpGetWithBashDevTcpWhenCurlIsMissing \
    healthGateWaitsForReadinessAndTheRightReleaseId \
    healthGateFailsWhenVersionReportsAnotherRelease \
    healthGateFailsWhenNothingAnswers; do
    cd_case "cd-lib: $case" "$case"
  done
}

main "$@"
