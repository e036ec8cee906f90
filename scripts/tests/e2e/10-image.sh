#!/usr/bin/env bash
# The API image (Dockerfile + .dockerignore): builds from a copy of the checkout holding
# throwaway secrets, keeps them out of the context and the image, runs as 65532 with no shell,
# reports its build args, goes healthy, and serves requests with a read-only root filesystem.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"

readonly PREFIX="tasks-e2e-img-$$"
readonly NETWORK="$PREFIX-net"
readonly IMAGE="tasks-e2e/api:image-$$"
readonly PROBE_IMAGE="tasks-e2e/context-probe:$$"
readonly CONTEXT="$TEST_TMP/context"
readonly VERSION_ARG="9.8.7-e2e"
SECRET="throwaway-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
COMMIT="$(head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n')"
readonly SECRET COMMIT
API_PORT=""

cleanup() {
  docker_remove_containers "$PREFIX"
  docker network rm "$NETWORK" >/dev/null 2>&1 || true
  docker image rm "$IMAGE" "$PROBE_IMAGE" >/dev/null 2>&1 || true
}

# make_context: the files a checkout has (app/ without its build output, the Dockerfile, the
# .dockerignore) plus everything that must never reach the image, each holding SECRET.
make_context() {
  mkdir -p "$CONTEXT"
  cp "$REPO_ROOT/Dockerfile" "$REPO_ROOT/.dockerignore" "$CONTEXT/"
  tar -C "$REPO_ROOT" --exclude='app/.build' --exclude='app/.swiftpm' -c app | tar -C "$CONTEXT" -x
  local path
  for path in .env .env.local secrets/db_password.txt app/.env app/secrets/token app/Sources/.env \
    .git/config deploy/releases/20260101T000000Z/release.env docs/notes.md Sources/reldash/main.swift \
    app/.build/leftover.txt bench/results/run.txt; do
    mkdir -p "$CONTEXT/$(dirname "$path")"
    printf 'DATABASE_PASSWORD=%s\n' "$SECRET" >"$CONTEXT/$path"
  done
}

test_context_is_small_and_clean() {
  # Same context and .dockerignore, a Dockerfile that copies everything it receives.
  printf 'FROM scratch\nCOPY . /context/\n' >"$TEST_TMP/probe.Dockerfile"
  if ! docker build -q -f "$TEST_TMP/probe.Dockerfile" -t "$PROBE_IMAGE" "$CONTEXT" >"$TEST_TMP/probe.log" 2>&1; then
    t_fail ".dockerignore: build context" "probe build failed: $(tail -n 3 "$TEST_TMP/probe.log" | tr '\n' ' ')"
    return 0
  fi
  local container listing unexpected
  container="$(docker create "$PROBE_IMAGE" none)"
  listing="$(docker export "$container" | tar -t | grep '^context/' | sed 's|^context/||')"
  docker rm "$container" >/dev/null
  unexpected="$(grep -vE '^(app/?|app/Package\.(swift|resolved)|app/Sources(/.*)?|app/Tests(/.*)?)$' <<<"$listing" || true)"
  if [ -z "$unexpected" ] && grep -q '^app/Sources/tasks-api/' <<<"$listing" && grep -qx 'app/Package.swift' <<<"$listing"; then
    t_pass ".dockerignore: the context holds app/Package.*, app/Sources and app/Tests only"
  else
    t_fail ".dockerignore: the context holds app/Package.*, app/Sources and app/Tests only" \
      "unexpected: $(head -n 8 <<<"$unexpected" | tr '\n' ' ')"
  fi
}

test_image_builds() {
  local started=$SECONDS
  local -a args=(--build-arg "VERSION=$VERSION_ARG" --build-arg "GIT_COMMIT=$COMMIT"
    --build-arg "CREATED=2026-01-02T03:04:05Z" --build-arg "SOURCE_URL=https://example.invalid/tasks")
  [ -z "${SWIFT_IMAGE:-}" ] || args+=(--build-arg "SWIFT_IMAGE=$SWIFT_IMAGE")
  [ -z "${RUNTIME_IMAGE:-}" ] || args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")
  if docker build "${args[@]}" -t "$IMAGE" "$CONTEXT" >"$TEST_TMP/build.log" 2>&1; then
    t_pass "image builds ($((SECONDS - started)) s, $(($(docker image inspect -f '{{.Size}}' "$IMAGE") / 1000000)) MB)"
    return 0
  fi
  t_fail "image builds" "docker build failed"
  grep -E 'error:|ERROR' "$TEST_TMP/build.log" | head -n 20 | sed 's/^/        | /'
  tail -n 20 "$TEST_TMP/build.log" | sed 's/^/        | /'
  return 1
}

test_image_metadata() {
  local user healthcheck labels
  user="$(docker image inspect -f '{{.Config.User}}' "$IMAGE")"
  if [ "$user" = 65532:65532 ] || [ "$user" = 65532 ]; then
    t_pass "image runs as uid 65532"
  else
    t_fail "image runs as uid 65532" "Config.User='$user'"
  fi
  healthcheck="$(docker image inspect -f '{{json .Config.Healthcheck.Test}}' "$IMAGE")"
  if [ "$healthcheck" = '["CMD","/usr/local/bin/tasks-api","healthcheck"]' ]; then
    t_pass "HEALTHCHECK runs the binary's healthcheck subcommand in exec form"
  else
    t_fail "HEALTHCHECK runs the binary's healthcheck subcommand in exec form" "$healthcheck"
  fi
  labels="$(docker image inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}' "$IMAGE")"
  if [[ "$labels" == *"org.opencontainers.image.version=$VERSION_ARG;"* &&
    "$labels" == *"org.opencontainers.image.revision=$COMMIT;"* &&
    "$labels" == *"org.opencontainers.image.created=2026-01-02T03:04:05Z;"* &&
    "$labels" == *"org.opencontainers.image.title=tasks-api;"* &&
    "$labels" == *"org.opencontainers.image.source=https://example.invalid/tasks;"* ]]; then
    t_pass "OCI labels carry title, source, version, revision and created from the build args"
  else
    t_fail "OCI labels carry title, source, version, revision and created from the build args" "$labels"
  fi
  if [ "$(docker image inspect -f '{{json .Config.Entrypoint}}' "$IMAGE")" = '["/usr/local/bin/tasks-api"]' ] &&
    [ "$(docker image inspect -f '{{json .Config.ExposedPorts}}' "$IMAGE")" = '{"8080/tcp":{}}' ]; then
    t_pass "exec-form entrypoint and EXPOSE 8080"
  else
    t_fail "exec-form entrypoint and EXPOSE 8080" "$(docker image inspect -f '{{json .Config.Entrypoint}} {{json .Config.ExposedPorts}}' "$IMAGE")"
  fi
  local code=0
  docker run --rm --entrypoint /bin/sh "$IMAGE" -c true >/dev/null 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then t_pass "image has no shell"; else t_fail "image has no shell" "/bin/sh ran"; fi
}

test_no_secret_in_image() {
  local code=0
  docker_image_contains "$IMAGE" "$SECRET" || code=$?
  case "$code" in
    1) t_pass "no throwaway secret in the image's files, history or config" ;;
    0) t_fail "no throwaway secret in the image's files, history or config" "found $SECRET" ;;
    *) t_fail "no throwaway secret in the image's files, history or config" "could not inspect the image" ;;
  esac
}

test_missing_secret_file_is_explained() {
  local code=0 logs
  logs="$(docker run --rm --read-only -e DATABASE_HOST=nowhere -e DATABASE_NAME=tasks -e DATABASE_USER=tasks \
    -e DATABASE_PASSWORD_FILE=/run/secrets/db_password "$IMAGE" 2>&1)" || code=$?
  if [ "$code" -ne 0 ] && [[ "$logs" == *"/run/secrets/db_password"* ]] && [[ "$logs" == *"permissions"* ]]; then
    t_pass "a missing secret file stops the api with a message naming the file"
  else
    t_fail "a missing secret file stops the api with a message naming the file" "exit $code: ${logs:0:200}"
  fi
}

start_stack() {
  local secrets="$TEST_TMP/secrets"
  mkdir -p "$secrets"
  printf '%s\n' "$SECRET" >"$secrets/db_password"
  chmod 0644 "$secrets/db_password"
  docker network create "$NETWORK" >/dev/null
  docker run -d --name "$PREFIX-db" --network "$NETWORK" --network-alias db \
    -e POSTGRES_USER=tasks -e POSTGRES_DB=tasks -e POSTGRES_PASSWORD_FILE=/run/secrets/db_password \
    -v "$secrets/db_password:/run/secrets/db_password:ro" "${POSTGRES_IMAGE:-postgres:15-bookworm}" >/dev/null
  t_wait_for "postgres" 60 docker exec "$PREFIX-db" pg_isready -q -h 127.0.0.1 -U tasks -d tasks || return 1
  API_PORT="$(free_local_port)"
  docker run -d --name "$PREFIX-api" --network "$NETWORK" --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges:true -p "127.0.0.1:$API_PORT:8080" \
    -e APP_ENV=dev -e RELEASE_ID=e2e-image -e DATABASE_HOST=db -e DATABASE_NAME=tasks -e DATABASE_USER=tasks \
    -e DATABASE_PASSWORD_FILE=/run/secrets/db_password \
    -v "$secrets/db_password:/run/secrets/db_password:ro" "$IMAGE" >/dev/null
}

test_running_container() {
  if ! start_stack; then
    t_fail "container starts next to postgres" "$(docker logs --tail 10 "$PREFIX-db" 2>&1 | tr '\n' ' ')"
    return 0
  fi
  local api="$PREFIX-api" base="http://127.0.0.1:$API_PORT"
  if t_wait_for "api healthy" 120 docker_is_healthy "$api"; then
    t_pass "container goes healthy (HEALTHCHECK)"
  else
    t_fail "container goes healthy (HEALTHCHECK)" "health: $(docker_health "$api"); $(docker logs --tail 5 "$api" 2>&1 | tr '\n' ' ')"
    return 0
  fi
  if [ "$(docker_process_uids "$api" | sort -u | tr '\n' ' ')" = "65532 " ]; then
    t_pass "every process of the api container runs as uid 65532"
  else
    t_fail "every process of the api container runs as uid 65532" "uids: $(docker_process_uids "$api" | tr '\n' ' ')"
  fi
  local version
  version="$(curl -s --max-time 5 "$base/version")"
  if [[ "$version" == *"\"$VERSION_ARG\""* && "$version" == *"\"$COMMIT\""* ]]; then
    t_pass "/version reports the VERSION and GIT_COMMIT build args"
  else
    t_fail "/version reports the VERSION and GIT_COMMIT build args" "$version"
  fi
  local created listed
  t_wait_for "api ready" 60 http_ok "$base/readyz" || true
  created="$(http_code POST "$base/api/v1/tasks" '{"title":"read-only root filesystem"}')"
  listed="$(curl -s --max-time 5 "$base/api/v1/tasks")"
  if [ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$api")" = true ] && [ "$created" = 201 ] &&
    [[ "$listed" == *"read-only root filesystem"* ]]; then
    t_pass "api creates and lists tasks with a read-only root filesystem"
  else
    t_fail "api creates and lists tasks with a read-only root filesystem" "POST $created; GET ${listed:0:120}"
  fi
  local code=0
  docker stop -t 20 "$api" >/dev/null || code=$?
  local exit_code
  exit_code="$(docker inspect -f '{{.State.ExitCode}}' "$api")"
  if [ "$code" -eq 0 ] && [ "$exit_code" = 0 ]; then
    t_pass "SIGTERM reaches the binary (exec-form entrypoint): clean exit 0"
  else
    t_fail "SIGTERM reaches the binary (exec-form entrypoint): clean exit 0" "exit code $exit_code"
  fi
}

main() {
  docker_require "api image" || exit 0
  t_require "api image" curl "apt-get install curl" || exit 0
  trap cleanup EXIT
  make_context
  test_context_is_small_and_clean
  test_image_builds || exit 0
  test_image_metadata
  test_no_secret_in_image
  test_missing_secret_file_is_explained
  test_running_container
}

main "$@"
