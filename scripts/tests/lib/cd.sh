# shellcheck shell=bash
# Test helpers for the simulated CD (scripts/deploy_local.sh, scripts/rollback.sh, scripts/lib):
# one case per function, run in a subshell with errexit so the first failed assertion ends it;
# assertions; fixtures (release directories written by the library's own writers); fake
# commands; a snapshot of a directory; removal of a test stack. Sourced after harness.sh by
# scripts/tests/{unit,e2e}/*-cd*.sh and scripts/tests/e2e/40-reldash-deploy.sh (cd_remove_stack
# also by bench/cd/run.sh).

CD_CASE_COUNT=0

# cd_source_libs: loads every library of scripts/lib used by the deployment scripts.
cd_source_libs() {
  # shellcheck source=scripts/lib/all.sh
  source "$REPO_ROOT/scripts/lib/all.sh"
}

# cd_snapshot DIR: prints every path under DIR with the checksum of files, to compare before and
# after a command that must change nothing.
cd_snapshot() {
  (cd "$1" && find . -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' path; do
    if [ -L "$path" ]; then
      printf '%s -> %s\n' "$path" "$(readlink "$path")"
    elif [ -f "$path" ]; then
      printf '%s %s\n' "$path" "$(sha256sum <"$path" | cut -c1-16)"
    else
      printf '%s/\n' "$path"
    fi
  done)
}

# cd_remove_stack PROJECT IMAGE_REPO: removes what deployments under compose project PROJECT
# left in the engine: containers (with their anonymous volumes), network, named volume, and
# every tag of IMAGE_REPO.
cd_remove_stack() {
  local project="$1" repo="$2"
  local -a ids=()
  mapfile -t ids < <(docker ps -aq --filter "label=com.docker.compose.project=$project")
  [ "${#ids[@]}" -eq 0 ] || docker rm -f -v "${ids[@]}" >/dev/null 2>&1 || true
  docker network rm "${project}_backend" >/dev/null 2>&1 || true
  docker volume rm "${project}_db-data" >/dev/null 2>&1 || true
  mapfile -t ids < <(docker images --format '{{.Repository}}:{{.Tag}}' "$repo")
  [ "${#ids[@]}" -eq 0 ] || docker rmi "${ids[@]}" >/dev/null 2>&1 || true
}

# cd_case NAME FUNCTION: runs FUNCTION in a fresh directory (CASE_DIR, also the working
# directory) in a subshell with `set -Eeuo pipefail`; records pass or fail (with its last output
# lines). FUNCTION's output is kept in CASE_DIR.log.
cd_case() {
  local name="$1" function="$2" code log
  CD_CASE_COUNT=$((CD_CASE_COUNT + 1))
  export CASE_DIR="$TEST_TMP/case.$CD_CASE_COUNT"
  log="$CASE_DIR.log"
  mkdir -p "$CASE_DIR"
  set +e
  (
    set -Eeuo pipefail
    cd "$CASE_DIR"
    "$function"
  ) >"$log" 2>&1
  code=$?
  set -e
  if [ "$code" -eq 0 ]; then
    t_pass "$name"
  else
    t_fail "$name" "$(grep -m1 '^ASSERT' "$log" || printf 'exit %s' "$code")"
    tail -n 25 "$log" | sed 's/^/        | /'
  fi
}

# cd_fail MESSAGE: ends the current case with MESSAGE.
cd_fail() {
  printf 'ASSERT %s\n' "$*"
  exit 1
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
  [ "$1" = "$2" ] || cd_fail "${3:-value}: expected '$1', got '$2'"
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
  [[ "$1" == *"$2"* ]] || cd_fail "${3:-text} does not contain '$2': ${1:0:400}"
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
  [[ "$1" != *"$2"* ]] || cd_fail "${3:-text} contains '$2'"
}

# assert_file PATH / assert_no_path PATH
assert_file() {
  [ -f "$1" ] || cd_fail "file $1 is missing"
}
assert_no_path() {
  if [ -e "$1" ] || [ -L "$1" ]; then cd_fail "$1 should not exist"; fi
}

# assert_exit CODE CMD...: runs CMD, expects exit CODE; its output goes to CMD_OUTPUT.
assert_exit() {
  local expected="$1" code=0
  shift
  CMD_OUTPUT="$("$@" 2>&1)" || code=$?
  [ "$code" = "$expected" ] || cd_fail "'$*' exited $code, expected $expected; output: ${CMD_OUTPUT:0:600}"
}

# cd_fake_command NAME BODY: puts an executable NAME (bash, BODY as its script) in
# CASE_DIR/bin; prepend that directory to PATH to use it.
cd_fake_command() {
  mkdir -p "$CASE_DIR/bin"
  printf '#!/usr/bin/env bash\n%s\n' "$2" >"$CASE_DIR/bin/$1"
  chmod +x "$CASE_DIR/bin/$1"
}

# cd_fake_engine_refusing_compose: a fake docker whose engine answers (info, ps, tag) and knows
# every image, with no `docker compose`, and a docker-compose whose every command fails: a
# deploy that gets past its checks stops at `compose up` (exit 1) with nothing started.
cd_fake_engine_refusing_compose() {
  # shellcheck disable=SC2016 # the body is the fake command's own script
  cd_fake_command docker '
case "$1" in
  info | tag | ps) exit 0 ;;
  image) [ "$2" = inspect ] && exit 0 ;;
esac
exit 1'
  cd_fake_command docker-compose 'echo "fake compose: refused" >&2; exit 1'
}

# cd_fake_ln_copies: a fake `ln` that copies instead of linking, as Git Bash does by default.
cd_fake_ln_copies() {
  # shellcheck disable=SC2016 # the body is the fake command's own script
  cd_fake_command ln '
args=()
for arg in "$@"; do
  case "$arg" in -s | -sf | -f) ;; *) args+=("$arg") ;; esac
done
target="${args[0]}"
link="${args[1]}"
case "$target" in /*) ;; *) target="$(dirname "$link")/$target" ;; esac
cp -R "$target" "$link"'
}

# fx_release DIR ID STATUS [ENVIRONMENT] [IMAGE]: creates release ID in deploy dir DIR, with
# release.env, a compose copy and, unless STATUS is incomplete, a manifest written by
# manifest_write (STATUS deployed|failed|bad: bad = deployed + a BAD marker).
fx_release() {
  local dir="$1" id="$2" status="$3" environment="${4:-dev}" image="${5:-fx-api:$2}"
  local path="$dir/releases/$id" manifest_status="$status"
  mkdir -p "$path"
  printf 'RELEASE_ID=%s\nAPP_ENV=%s\nAPP_VERSION=1.0.0\nGIT_COMMIT=%s\nAPI_IMAGE=%s\nPOSTGRES_IMAGE=fx-postgres:15\nPROXY_IMAGE=fx-nginx:1\nPROXY_CONFIG_DIR=%s/proxy\nSLOT=blue\nCOMPOSE_PROJECT_NAME=fx-%s\nAPI_PORT=28999\nDB_PASSWORD_FILE=%s/secret.txt\nPREVIOUS_RELEASE=\n' \
    "$id" "$environment" "0123456789abcdef0123456789abcdef01234567" "$image" "$dir" "$environment" "$dir" >"$path/release.env"
  printf 'services: {}\n' >"$path/docker-compose.yml"
  printf 'fixture\n' >"$path/deploy.log"
  [ "$status" = incomplete ] && return 0
  [ "$status" = bad ] && manifest_status=deployed
  local health=healthy reason=""
  if [ "$status" = failed ]; then
    health=unhealthy
    reason="fixture failure"
  fi
  # shellcheck disable=SC2034 # read by manifest_write through a nameref
  local -A fields=(
    [release_id]="$id" [environment]="$environment" [status]="$manifest_status"
    [created_at]="$(release_id_to_time "$id")" [finished_at]="$(release_id_to_time "$id")"
    [duration_ms]=1200 [git_commit]="0123456789abcdef0123456789abcdef01234567" [git_short]=0123456
    [git_branch]=main [git_dirty]=false [app_version]=1.0.0
    [images]="$(printf 'api\t%s\t' "$image")" [previous_release]="" [deployed_by]="fixture@host"
    [health_url]="http://127.0.0.1:28999/readyz" [health_status]="$health" [health_attempts]=1
    [health_duration_ms]=10 [failure_reason]="$reason"
  )
  manifest_write fields "$path"
  [ "$status" = deployed ] || release_mark_bad "$dir" "$id" "fixture: $status"
}

# cd_validate_json SCHEMA FILE...: validates JSON files against a JSON Schema (check-jsonschema).
cd_validate_json() {
  local schema="$1"
  shift
  check-jsonschema --schemafile "$schema" "$@" >/dev/null 2>&1 || {
    check-jsonschema --schemafile "$schema" "$@" 2>&1 | tail -n 20
    cd_fail "JSON Schema $(basename "$schema") rejects: $*"
  }
}

# cd_validate_jsonl SCHEMA FILE: validates each line of a JSON Lines file against SCHEMA.
cd_validate_jsonl() {
  local schema="$1" file="$2" dir line index=0
  dir="$(mktemp -d "$CASE_DIR/jsonl.XXXXXX")"
  while IFS= read -r line; do
    index=$((index + 1))
    printf '%s\n' "$line" >"$dir/line-$index.json"
  done <"$file"
  [ "$index" -gt 0 ] || cd_fail "$file has no line"
  cd_validate_json "$schema" "$dir"/line-*.json
}

# cd_require_deploy_engine PREFIX: what a real deploy needs: the docker client and engine, the
# PostgreSQL image (local stand-in from .tools/local-images.env) and the Dockerfile of the api.
# Records PREFIX: ... as skipped (failed when strict) and returns 1 when something is missing.
# Needs scripts/tests/lib/docker.sh (docker_require, which also loads the local image names).
cd_require_deploy_engine() {
  local prefix="$1" context="${DEPLOY_BUILD_CONTEXT:-$REPO_ROOT}"
  docker_require "$prefix: docker" || return 1
  t_require "$prefix: curl" curl "apt-get install curl" || return 1
  if [ -z "${POSTGRES_IMAGE:-}" ] || ! docker image inspect "$POSTGRES_IMAGE" >/dev/null 2>&1; then
    t_skip "$prefix: postgres image" "POSTGRES_IMAGE '${POSTGRES_IMAGE:-}' is not in the engine; run scripts/images/build-local-base-images.sh"
    return 1
  fi
  if [ ! -f "$context/Dockerfile" ]; then
    t_fail "$prefix: Dockerfile" "no Dockerfile in $context: the api image cannot be built"
    return 1
  fi
}

# cd_make_secret DIR: a throwaway database password in DIR/db_password.txt, readable by the
# containers' users, in a private directory.
cd_make_secret() {
  mkdir -p "$1"
  chmod 700 "$1"
  (umask 022 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$1/db_password.txt")
}
