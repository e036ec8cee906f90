# shellcheck shell=bash
# Test helpers for reldash (the root Swift package): one debug build shared by the suites,
# deploy directory fixtures written as the deploy scripts write them, and snapshot comparison
# of the binary's stdout, stderr and exit code. Sourced after harness.sh.
#
#   reldash_build                      builds the binary once; sets RELDASH_BIN
#   reldash_release DIR ID STATUS ENV  writes DIR/releases/ID (manifest.json, release.env, compose)
#   reldash_run ARGS...                runs the binary; sets RUN_CODE, RUN_STDOUT, RUN_STDERR
#   reldash_snapshot NAME ARGS...      runs it and compares with Tests/Snapshots/cli/NAME.txt
#   json_check NAME EXPRESSION         records NAME by a Python expression on RUN_STDOUT (`doc`)
#   json_holds EXPRESSION              succeeds when the expression holds on RUN_STDOUT
#   reldash_until EXPRESSION ARGS...   runs reldash ARGS; succeeds when EXPRESSION holds (t_wait_for)
#
# Snapshots are re-recorded on purpose with RELDASH_UPDATE_SNAPSHOTS=1 (review the diff); never
# edit them by hand. Variable parts are replaced: TEST_TMP by <TMP>, 127.0.0.1 ports by <PORT>,
# duration_ms values by <MS>.

RELDASH_BIN=""
RELDASH_SNAPSHOTS="$REPO_ROOT/Tests/Snapshots/cli"
RUN_CODE=0
RUN_STDOUT=""
RUN_STDERR=""

# reldash_build: debug build of the reldash product (incremental after the unit stage's
# `swift test`); records a failure and returns 1 when it does not build.
reldash_build() {
  local log="$TEST_TMP/reldash-build.log" bin
  if ! swift build --package-path "$REPO_ROOT" --product reldash >"$log" 2>&1; then
    t_fail "reldash: build" "swift build --product reldash failed"
    grep -E 'error:' "$log" | head -n 20 | sed 's/^/        | /'
    return 1
  fi
  bin="$(swift build --package-path "$REPO_ROOT" --show-bin-path)/reldash"
  [ -x "$bin" ] || {
    t_fail "reldash: build" "no binary at $bin"
    return 1
  }
  RELDASH_BIN="$bin"
}

# reldash_release DIR ID STATUS ENV: a release directory as scripts/deploy_local.sh leaves it
# (STATUS deployed or failed; the compose file's sha256 recorded in the manifest).
reldash_release() {
  local dir="$1" id="$2" status="$3" env="$4" path digest created gate=healthy
  path="$dir/releases/$id"
  mkdir -p "$path"
  printf 'services:\n  api:\n    image: tasks-api:%s\n' "$id" >"$path/docker-compose.yml"
  printf 'API_IMAGE=tasks-api:%s\nAPP_ENV=%s\nRELEASE_ID=%s\nCOMPOSE_PROJECT_NAME=tasks-%s\n' "$id" "$env" "$id" "$env" >"$path/release.env"
  digest="$(sha256sum "$path/docker-compose.yml" | cut -d' ' -f1)"
  [ "$status" = deployed ] || gate=unhealthy
  created="${id:0:4}-${id:4:2}-${id:6:2}T${id:9:2}:${id:11:2}:${id:13:2}Z"
  cat >"$path/manifest.json" <<JSON
{
  "schema_version": 1,
  "release_id": "$id",
  "environment": "$env",
  "status": "$status",
  "created_at": "$created",
  "finished_at": "$created",
  "duration_ms": 41000,
  "git": { "commit": "0123456789abcdef0123456789abcdef01234567", "short": "0123456", "branch": "main", "dirty": false },
  "app_version": "1.0.0",
  "images": [ { "service": "api", "ref": "tasks-api:$id", "id": null } ],
  "artifacts": [ { "path": "docker-compose.yml", "sha256": "$digest" } ],
  "previous_release": null,
  "deployed_by": "ops@host",
  "health": { "url": "http://127.0.0.1:8080/readyz", "status": "$gate", "attempts": 1, "duration_ms": 900 }
}
JSON
}

# reldash_run ARGS...: runs the binary with stdin from /dev/null; captures both streams.
reldash_run() {
  local out="$TEST_TMP/reldash.out" err="$TEST_TMP/reldash.err"
  RUN_CODE=0
  "$RELDASH_BIN" "$@" </dev/null >"$out" 2>"$err" || RUN_CODE=$?
  RUN_STDOUT="$(cat "$out")"
  RUN_STDERR="$(cat "$err")"
}

# reldash_normalise: replaces the variable parts of a transcript read on stdin.
reldash_normalise() {
  sed -E \
    -e "s#${TEST_TMP//#/\\#}#<TMP>#g" \
    -e 's#127\.0\.0\.1:[0-9]+#127.0.0.1:<PORT>#g' \
    -e 's#"duration_ms": [0-9]+#"duration_ms": <MS>#g'
}

# reldash_snapshot NAME ARGS...: runs reldash ARGS and compares the transcript (command, exit
# code, stdout, stderr) with the snapshot NAME; records one test case.
reldash_snapshot() {
  local name="$1" file actual
  shift
  file="$RELDASH_SNAPSHOTS/$name.txt"
  reldash_run "$@"
  actual="$TEST_TMP/snapshot-$name.txt"
  {
    printf '$ reldash %s\n' "$*"
    printf 'exit: %s\n' "$RUN_CODE"
    printf -- '--- stdout\n%s\n' "$RUN_STDOUT"
    printf -- '--- stderr\n%s\n' "$RUN_STDERR"
  } | reldash_normalise >"$actual"
  if [ "${RELDASH_UPDATE_SNAPSHOTS:-0}" = 1 ]; then
    mkdir -p "$RELDASH_SNAPSHOTS"
    cp "$actual" "$file"
    t_pass "reldash cli: $name (recorded)"
    return 0
  fi
  if [ ! -f "$file" ]; then
    t_fail "reldash cli: $name" "no snapshot $file (record it with RELDASH_UPDATE_SNAPSHOTS=1)"
    return 0
  fi
  if diff -u "$file" "$actual" >"$TEST_TMP/snapshot.diff"; then
    t_pass "reldash cli: $name"
  else
    t_fail "reldash cli: $name" "output differs from Tests/Snapshots/cli/$name.txt"
    head -n 40 "$TEST_TMP/snapshot.diff" | sed 's/^/        | /'
  fi
}

# reldash_validate_json KIND FILE...: validates each FILE against $defs/KIND of
# Tests/Schemas/reldash-output.schema.json (Python's jsonschema, from .tools/venv); prints the
# first errors and fails when a document does not match.
reldash_validate_json() {
  local kind="$1"
  shift
  python3 - "$REPO_ROOT/Tests/Schemas/reldash-output.schema.json" "$kind" "$@" <<'PY'
import json
import sys

from jsonschema import Draft202012Validator

schema_path, kind, *paths = sys.argv[1:]
with open(schema_path, encoding="utf-8") as handle:
    definitions = json.load(handle)["$defs"]
validator = Draft202012Validator({"$ref": "#/$defs/" + kind, "$defs": definitions})
failed = False
for path in paths:
    with open(path, encoding="utf-8") as handle:
        errors = list(validator.iter_errors(json.load(handle)))
    for error in errors[:5]:
        location = "/".join(str(part) for part in error.absolute_path) or "(top)"
        print(f"{path}: {location}: {error.message}")
    failed = failed or bool(errors)
sys.exit(1 if failed else 0)
PY
}

# json_check NAME PYTHON_EXPRESSION: evaluates the expression with `doc` = RUN_STDOUT parsed;
# records NAME as passed when it is true (prints the document otherwise).
json_check() {
  local name="$1" expression="$2"
  if printf '%s' "$RUN_STDOUT" | python3 -c "import json, sys; doc = json.load(sys.stdin); sys.exit(0 if ($expression) else 1)"; then
    t_pass "$name"
  else
    t_fail "$name" "exit $RUN_CODE; false: $expression"
    printf '%s\n' "$RUN_STDOUT" | head -c 3000 | sed 's/^/        | /'
    printf '%s\n' "$RUN_STDERR" | tail -n 5 | sed 's/^/        | /'
  fi
}

# json_holds EXPRESSION: succeeds when the expression holds on RUN_STDOUT (`doc`).
json_holds() {
  printf '%s' "$RUN_STDOUT" | python3 -c "import json, sys; doc = json.load(sys.stdin); sys.exit(0 if ($1) else 1)" \
    2>/dev/null
}

# reldash_until EXPRESSION ARGS...: runs reldash ARGS until EXPRESSION holds on its JSON output.
reldash_until() {
  local expression="$1"
  shift
  reldash_run "$@"
  json_holds "$expression"
}
