#!/usr/bin/env bash
# The developer stack (docker-compose.yml, .env.example, scripts/init_local_env.sh,
# scripts/dev_up.sh, scripts/dev_down.sh), run from a copy of the checkout with its own compose
# project name and ports: compose v1 compatibility, first-run generation, persistence across
# down/up, database loss and return without an api restart, and the bad-input messages.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"

readonly CHECKOUT="$TEST_TMP/checkout"
readonly PROJECT="tasks-e2e-compose-$$"
readonly E2E_IMAGE="tasks-e2e/api:compose-$$"
BASE=""
LISTENER_PID=""

cleanup() {
  [ -z "$LISTENER_PID" ] || kill "$LISTENER_PID" 2>/dev/null || true
  if [ -f "$CHECKOUT/.env" ]; then
    (cd "$CHECKOUT" && docker_remove_project "$PROJECT" docker-compose.yml)
  else
    docker_remove_project "$PROJECT" "$CHECKOUT/docker-compose.yml" APP_ENV=dev DATABASE_NAME=x DATABASE_USER=x \
      DB_PASSWORD_FILE=/dev/null
  fi
  docker image rm "$E2E_IMAGE" >/dev/null 2>&1 || true
}

# make_checkout: what a fresh clone holds for the stack (no .env, no secrets/).
make_checkout() {
  mkdir -p "$CHECKOUT/scripts/lib" "$CHECKOUT/.tools"
  cp "$REPO_ROOT/Dockerfile" "$REPO_ROOT/.dockerignore" "$REPO_ROOT/docker-compose.yml" "$REPO_ROOT/.env.example" "$CHECKOUT/"
  tar -C "$REPO_ROOT" --exclude='app/.build' --exclude='app/.swiftpm' -c app | tar -C "$CHECKOUT" -x
  cp "$REPO_ROOT/scripts/dev_up.sh" "$REPO_ROOT/scripts/dev_down.sh" "$REPO_ROOT/scripts/init_local_env.sh" "$CHECKOUT/scripts/"
  cp "$REPO_ROOT"/scripts/lib/*.sh "$CHECKOUT/scripts/lib/"
  if [ -f "$REPO_ROOT/.tools/local-images.env" ]; then
    cp "$REPO_ROOT/.tools/local-images.env" "$CHECKOUT/.tools/"
  fi
}

compose_in_checkout() {
  (cd "$CHECKOUT" && "${DOCKER_COMPOSE[@]}" -p "$PROJECT" -f docker-compose.yml "$@")
}

container_of() {
  docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$1" |
    head -n 1
}

# --- static checks -------------------------------------------------------------------------------

test_env_missing_names_the_generator() {
  local out code=0
  out="$(compose_in_checkout config -q 2>&1)" || code=$?
  if [ "$code" -ne 0 ] && [[ "$out" == *"run scripts/init_local_env.sh"* ]]; then
    t_pass "compose without .env names scripts/init_local_env.sh"
  else
    t_fail "compose without .env names scripts/init_local_env.sh" "exit $code: ${out:0:200}"
  fi
  code=0
  out="$("$CHECKOUT/scripts/init_local_env.sh" --check 2>&1)" || code=$?
  if [ "$code" -eq 3 ] && [[ "$out" == *".env is missing: run scripts/init_local_env.sh"* ]]; then
    t_pass "init_local_env.sh --check: exit 3 and what to run when .env is missing"
  else
    t_fail "init_local_env.sh --check: exit 3 and what to run when .env is missing" "exit $code: $out"
  fi
}

test_compose_file_v1_compatible() {
  local dir="$TEST_TMP/config"
  mkdir -p "$dir/secrets"
  cp "$REPO_ROOT/docker-compose.yml" "$dir/"
  cp "$REPO_ROOT/.env.example" "$dir/.env"
  printf 'x\n' >"$dir/secrets/db_password.txt"
  t_run "docker-compose config accepts docker-compose.yml (${DOCKER_COMPOSE[*]})" \
    bash -c "cd '$dir' && ${DOCKER_COMPOSE[*]} -f docker-compose.yml config -q"
  if ! python3 -c 'import yaml' 2>/dev/null; then
    t_skip "docker-compose.yml uses no key docker-compose 1.29 rejects" "python3 with PyYAML (scripts/ci/provision.sh installs it in .tools/venv)"
    return 0
  fi
  t_run "docker-compose.yml uses no key docker-compose 1.29 rejects" python3 - "$REPO_ROOT/docker-compose.yml" <<'PY'
import sys
import yaml

class Loader(yaml.SafeLoader):
    pass

def refuse_tag(loader, suffix, node):
    raise SystemExit(f"custom YAML tag !{suffix} (e.g. !reset) is rejected by docker-compose 1.29")

Loader.add_multi_constructor("!", refuse_tag)
doc = yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=Loader)
problems = []
for key in ("name", "include"):
    if key in doc:
        problems.append(f"top-level {key}:")
for name, service in (doc.get("services") or {}).items():
    if "develop" in service:
        problems.append(f"services.{name}.develop")
    depends = service.get("depends_on")
    if isinstance(depends, dict):
        for dep, spec in depends.items():
            for key in ("required", "restart"):
                if isinstance(spec, dict) and key in spec:
                    problems.append(f"services.{name}.depends_on.{dep}.{key}")
    if "start_interval" in (service.get("healthcheck") or {}):
        problems.append(f"services.{name}.healthcheck.start_interval")
    env_file = service.get("env_file")
    if isinstance(env_file, list) and any(isinstance(item, dict) for item in env_file):
        problems.append(f"services.{name}.env_file (long syntax)")
    build = service.get("build")
    if isinstance(build, dict):
        for key in ("additional_contexts", "secrets", "ssh"):
            if key in build:
                problems.append(f"services.{name}.build.{key}")
for name, secret in (doc.get("secrets") or {}).items():
    if "environment" in (secret or {}):
        problems.append(f"secrets.{name}.environment")
for name, config in (doc.get("configs") or {}).items():
    if "content" in (config or {}):
        problems.append(f"configs.{name}.content")
if problems:
    raise SystemExit("rejected by docker-compose 1.29: " + ", ".join(problems))
PY
}

test_env_example_documents_every_variable() {
  local variable missing=()
  while IFS= read -r variable; do
    grep -qE "^#? ?$variable=" "$REPO_ROOT/.env.example" || missing+=("$variable")
  done < <(grep -oE '\$\{[A-Z][A-Z0-9_]*' "$REPO_ROOT/docker-compose.yml" | cut -c3- | sort -u)
  if [ ${#missing[@]} -eq 0 ]; then
    t_pass ".env.example documents every variable of docker-compose.yml"
  else
    t_fail ".env.example documents every variable of docker-compose.yml" "missing: ${missing[*]}"
  fi
}

# --- first-run generator -------------------------------------------------------------------------

test_generator() {
  local dir="$TEST_TMP/generator" out code=0
  mkdir -p "$dir/scripts/lib"
  cp "$REPO_ROOT/.env.example" "$dir/"
  cp "$REPO_ROOT/scripts/init_local_env.sh" "$dir/scripts/"
  cp "$REPO_ROOT/scripts/lib/kv.sh" "$dir/scripts/lib/"
  out="$("$dir/scripts/init_local_env.sh" 2>&1)" || code=$?
  local file="$dir/secrets/db_password.txt" password
  password="$(cat "$file" 2>/dev/null || true)"
  if [ "$code" -eq 0 ] && cmp -s "$dir/.env" "$dir/.env.example" && [[ "$password" =~ ^[A-Za-z0-9]{32}$ ]] &&
    [ "$(stat -c %a "$file")" = 644 ] && [ "$(stat -c %a "$dir/secrets")" = 700 ] &&
    [[ "$out" == *"created .env"* ]] && [[ "$out" == *"generated a random database password"* ]]; then
    t_pass "init_local_env.sh creates .env and a random 32-character password file (0644 in a 0700 dir) and says so"
  else
    t_fail "init_local_env.sh creates .env and a random 32-character password file (0644 in a 0700 dir) and says so" \
      "exit $code: $out"
  fi
  printf '# edited\n' >>"$dir/.env"
  local env_before
  env_before="$(sha256sum "$dir/.env")"
  code=0
  out="$("$dir/scripts/init_local_env.sh" 2>&1)" || code=$?
  if [ "$code" -eq 0 ] && [ "$(cat "$file")" = "$password" ] && [ "$(sha256sum "$dir/.env")" = "$env_before" ] && [ -z "$out" ]; then
    t_pass "init_local_env.sh never overwrites an existing .env or password"
  else
    t_fail "init_local_env.sh never overwrites an existing .env or password" "exit $code: $out"
  fi
  rm -rf "$dir/secrets" "$dir/.env"
  "$dir/scripts/init_local_env.sh" >/dev/null 2>&1 || true
  if [ "$(cat "$file")" != "$password" ]; then
    t_pass "init_local_env.sh draws a new random password on each fresh checkout"
  else
    t_fail "init_local_env.sh draws a new random password on each fresh checkout" "same password twice"
  fi
  : >"$file"
  code=0
  out="$("$dir/scripts/init_local_env.sh" 2>&1)" || code=$?
  if [ "$code" -eq 3 ] && [[ "$out" == *"is empty: delete it and run scripts/init_local_env.sh"* ]]; then
    t_pass "an empty password file is refused with what to do"
  else
    t_fail "an empty password file is refused with what to do" "exit $code: $out"
  fi
  printf 'abc\n' >"$file"
  chmod 0600 "$file"
  code=0
  out="$("$dir/scripts/init_local_env.sh" 2>&1)" || code=$?
  if [ "$code" -eq 3 ] && [[ "$out" == *"the containers cannot read it: chmod 0644"* ]]; then
    t_pass "a password file the containers cannot read is refused with the chmod to run"
  else
    t_fail "a password file the containers cannot read is refused with the chmod to run" "exit $code: $out"
  fi
}

# --- the stack -----------------------------------------------------------------------------------

start_listener() {
  local port="$1"
  python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(300)' "$port" &
  LISTENER_PID=$!
  t_wait_for "listener on $port" 10 bash -c "(exec 3<>/dev/tcp/127.0.0.1/$port)"
}

test_port_taken() {
  local port out code=0
  port="$(free_local_port)"
  start_listener "$port" || { t_fail "a taken port is refused" "could not start a listener"; return 0; }
  out="$(API_PORT="$port" "$CHECKOUT/scripts/dev_up.sh" --no-build 2>&1)" || code=$?
  kill "$LISTENER_PID" 2>/dev/null || true
  wait "$LISTENER_PID" 2>/dev/null || true
  LISTENER_PID=""
  if [ "$code" -eq 3 ] && [[ "$out" == *"port $port on 127.0.0.1 is already in use"* ]] && [[ "$out" == *"API_PORT"* ]]; then
    t_pass "dev_up.sh refuses a taken port (exit 3) and says to change API_PORT"
  else
    t_fail "dev_up.sh refuses a taken port (exit 3) and says to change API_PORT" "exit $code: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
  fi
}

# create_tasks N: creates N tasks; prints how many answered 201.
create_tasks() {
  local i created=0
  for i in $(seq 1 "$1"); do
    [ "$(http_code POST "$BASE/api/v1/tasks" "{\"title\":\"persisted task $i\"}")" = 201 ] && created=$((created + 1))
  done
  printf '%s\n' "$created"
}

# tasks_listed: how many "persisted task" titles the first page lists.
tasks_listed() {
  curl -s --max-time 5 "$BASE/api/v1/tasks?limit=100" | grep -o 'persisted task [0-9]*' | sort -u | wc -l
}

test_first_run() {
  local out code=0
  out="$("$CHECKOUT/scripts/dev_up.sh" 2>&1)" || code=$?
  printf '%s\n' "$out" >"$TEST_TMP/dev_up-first.log"
  if [ "$code" -eq 0 ] && [[ "$out" == *"created .env"* ]] && [[ "$out" == *"generated a random database password"* ]] &&
    http_ok "$BASE/readyz"; then
    t_pass "dev_up.sh from a fresh checkout: generates .env and secret, builds, starts, ready ($(grep -o 'ready [0-9]* s after compose up' <<<"$out"))"
    return 0
  fi
  t_fail "dev_up.sh from a fresh checkout: generates .env and secret, builds, starts, ready" "exit $code"
  tail -n 40 <<<"$out" | sed 's/^/        | /'
  return 1
}

test_hardening() {
  local api db format problems=()
  api="$(container_of api)"
  db="$(container_of db)"
  format='{{.HostConfig.ReadonlyRootfs}}|{{json .HostConfig.CapDrop}}|{{json .HostConfig.SecurityOpt}}|{{.HostConfig.Memory}}|{{.HostConfig.NanoCpus}}|{{.HostConfig.Init}}|{{.HostConfig.RestartPolicy.Name}}'
  IFS='|' read -r ro caps secopt memory cpus init restart <<<"$(docker inspect -f "$format" "$api")"
  [ "$ro" = true ] || problems+=("read_only=$ro")
  [ "$caps" = '["ALL"]' ] || problems+=("cap_drop=$caps")
  [[ "$secopt" == *no-new-privileges* ]] || problems+=("security_opt=$secopt")
  [ "$memory" -gt 0 ] || problems+=("memory=$memory")
  [ "$cpus" -gt 0 ] || problems+=("cpus=$cpus")
  [ "$init" = true ] || problems+=("init=$init")
  [ "$restart" = unless-stopped ] || problems+=("restart=$restart")
  local bindings
  bindings="$(docker inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{.HostIp}} {{end}}{{end}}' "$api" "$db")"
  [ "$(tr ' ' '\n' <<<"$bindings" | grep -v '^$' | sort -u)" = 127.0.0.1 ] || problems+=("published on: $bindings")
  [[ "$(docker inspect -f '{{range .Mounts}}{{.Type}}:{{.Destination}} {{end}}' "$db")" == *"volume:/var/lib/postgresql/data"* ]] ||
    problems+=("db data not on a named volume")
  if [ ${#problems[@]} -eq 0 ]; then
    t_pass "api hardened (read-only, cap_drop ALL, no-new-privileges, limits, init, restart) and ports on 127.0.0.1 only"
  else
    t_fail "api hardened (read-only, cap_drop ALL, no-new-privileges, limits, init, restart) and ports on 127.0.0.1 only" \
      "${problems[*]}"
  fi
}

test_persistence() {
  local created out code=0
  created="$(create_tasks 3)"
  if [ "$created" != 3 ]; then
    t_fail "tasks survive dev_down.sh and dev_up.sh (volume kept)" "created $created of 3"
    return 0
  fi
  out="$("$CHECKOUT/scripts/dev_down.sh" 2>&1)" || code=$?
  local left volume
  left="$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")"
  volume="$(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT")"
  if [ "$code" -ne 0 ] || [ -n "$left" ] || [ -z "$volume" ]; then
    t_fail "tasks survive dev_down.sh and dev_up.sh (volume kept)" "down exit $code, containers left: $left, volume: $volume"
    return 0
  fi
  code=0
  out="$("$CHECKOUT/scripts/dev_up.sh" --no-build 2>&1)" || code=$?
  if [ "$code" -eq 0 ] && [ "$(tasks_listed)" = 3 ]; then
    t_pass "tasks survive dev_down.sh and dev_up.sh (volume kept)"
  else
    t_fail "tasks survive dev_down.sh and dev_up.sh (volume kept)" "up exit $code, listed $(tasks_listed): $(tail -n 3 <<<"$out" | tr '\n' ' ')"
  fi
}

test_database_loss_and_return() {
  local api db started_before
  api="$(container_of api)"
  db="$(container_of db)"
  started_before="$(docker inspect -f '{{.State.StartedAt}}' "$api")"
  # No automatic restart while the test looks at the api without its database.
  docker update --restart=no "$db" >/dev/null
  docker kill -s KILL "$db" >/dev/null
  local write
  if t_wait_for "readiness false" 30 http_not_ok "$BASE/readyz"; then
    write="$(http_code POST "$BASE/api/v1/tasks" '{"title":"while the database is down"}')"
    if [ "$write" = 503 ]; then
      t_pass "db killed (SIGKILL): /readyz turns false and writes get 503"
    else
      t_fail "db killed (SIGKILL): /readyz turns false and writes get 503" "POST answered $write"
    fi
  else
    t_fail "db killed (SIGKILL): /readyz turns false and writes get 503" "/readyz still $(http_code GET "$BASE/readyz")"
  fi
  docker start "$db" >/dev/null
  docker update --restart=unless-stopped "$db" >/dev/null
  if t_wait_for "readiness back" 90 http_ok "$BASE/readyz" &&
    [ "$(docker inspect -f '{{.State.StartedAt}} {{.RestartCount}}' "$api")" = "$started_before 0" ] &&
    [ "$(tasks_listed)" = 3 ]; then
    t_pass "db back: api ready again without a restart, data intact"
  else
    t_fail "db back: api ready again without a restart, data intact" \
      "readyz $(http_code GET "$BASE/readyz"), api $(docker inspect -f '{{.State.StartedAt}} restarts={{.RestartCount}}' "$api") (was $started_before), listed $(tasks_listed)"
  fi
}

test_wrong_password() {
  local file="$CHECKOUT/secrets/db_password.txt" saved out code=0
  saved="$(cat "$file")"
  "$CHECKOUT/scripts/dev_down.sh" >/dev/null 2>&1 || true
  printf 'not-the-password-the-volume-was-made-with\n' >"$file"
  out="$("$CHECKOUT/scripts/dev_up.sh" --no-build --timeout 90 2>&1)" || code=$?
  if [ "$code" -eq 1 ] && [[ "$out" == *"password authentication failed"* ]] && [[ "$out" == *"dev_down.sh --volumes"* ]]; then
    t_pass "a wrong database password: dev_up.sh fails (exit 1) and says the volume keeps the first password"
  else
    t_fail "a wrong database password: dev_up.sh fails (exit 1) and says the volume keeps the first password" \
      "exit $code: $(tail -n 6 <<<"$out" | tr '\n' ' ')"
  fi
  printf '%s\n' "$saved" >"$file"
}

test_down_volumes() {
  local code=0
  "$CHECKOUT/scripts/dev_down.sh" --volumes >/dev/null 2>&1 || code=$?
  if [ "$code" -eq 0 ] && [ -z "$(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT")" ]; then
    t_pass "dev_down.sh --volumes deletes the data volume"
  else
    t_fail "dev_down.sh --volumes deletes the data volume" "exit $code"
  fi
}

main() {
  docker_require "compose stack" || exit 0
  docker_compose_require "compose stack" || exit 0
  t_require "compose stack" curl "apt-get install curl" || exit 0
  export COMPOSE_PROJECT_NAME="$PROJECT" API_IMAGE="$E2E_IMAGE"
  API_PORT="$(free_local_port)"
  export API_PORT
  BASE="http://127.0.0.1:$API_PORT"
  make_checkout
  trap cleanup EXIT

  test_env_missing_names_the_generator
  test_compose_file_v1_compatible
  test_env_example_documents_every_variable
  test_generator
  test_first_run || exit 0
  test_hardening
  test_persistence
  test_database_loss_and_return
  test_wrong_password
  test_port_taken
  test_down_volumes
}

main "$@"
