#!/usr/bin/env bash
# The local stand-ins for upstream images (scripts/images/build-local-base-images.sh): mirror
# read from the apt sources, idempotent builder, distroless-style runtime, postgres honouring
# the official image's contract, monitoring images answering as upstream does.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"

readonly BUILDER="$REPO_ROOT/scripts/images/build-local-base-images.sh"
readonly PREFIX="tasks-e2e-base-$$"
readonly NETWORK="$PREFIX-net"
readonly PG_IMAGE=tasks-local/postgres:15
readonly RUNTIME=tasks-local/cc-runtime:debian12-nonroot

cleanup() {
  docker_remove_containers "$PREFIX"
  docker network rm "$NETWORK" >/dev/null 2>&1 || true
  docker volume rm "$PREFIX-data" >/dev/null 2>&1 || true
}

test_mirror_from_apt_sources() {
  local dir="$TEST_TMP/apt" out
  mkdir -p "$dir/sources.list.d"
  cat >"$dir/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main

Types: deb
URIs: http://security.invalid/debian-security
Suites: bookworm-security
Components: main
EOF
  out="$(APT_ETC="$dir" "$BUILDER" --print-mirror 2>&1)" || true
  if [ "$out" = $'http://mirror.invalid/debian\tbookworm bookworm-updates' ]; then
    t_pass "builder reads the Debian mirror from deb822 apt sources"
  else
    t_fail "builder reads the Debian mirror from deb822 apt sources" "got: $out"
  fi

  rm -f "$dir/sources.list.d/debian.sources"
  printf '# nothing\ndeb [arch=amd64] http://one-line.invalid/debian bookworm main\n' >"$dir/sources.list"
  out="$(APT_ETC="$dir" "$BUILDER" --print-mirror 2>&1)" || true
  if [ "$out" = $'http://one-line.invalid/debian\tbookworm' ]; then
    t_pass "builder reads the Debian mirror from one-line apt sources"
  else
    t_fail "builder reads the Debian mirror from one-line apt sources" "got: $out"
  fi

  : >"$dir/sources.list"
  local code=0
  out="$(APT_ETC="$dir" "$BUILDER" --print-mirror 2>&1)" || code=$?
  if [ "$code" -ne 0 ] && [[ "$out" == *"set DEBIAN_MIRROR"* ]]; then
    t_pass "builder says how to proceed when no apt source serves bookworm"
  else
    t_fail "builder says how to proceed when no apt source serves bookworm" "exit $code: $out"
  fi
}

# The images exist after this (CI built them in provisioning); a second run builds nothing.
test_builder_idempotent() {
  local env_file="$TEST_TMP/local-images.env" out code=0
  LOCAL_IMAGES_ENV="$env_file" "$BUILDER" --local >"$TEST_TMP/build1.log" 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then
    t_fail "builder builds every local image" "exit $code"
    tail -n 30 "$TEST_TMP/build1.log" | sed 's/^/        | /'
    return 1
  fi
  t_pass "builder builds every local image"
  local expected
  # Every image the builder knows (its IMAGE_NAMES list) must be reported up to date.
  expected="$(sed -n 's/^readonly IMAGE_NAMES=(\(.*\))$/\1/p' "$BUILDER" | wc -w)"
  out="$(LOCAL_IMAGES_ENV="$env_file" "$BUILDER" --local 2>&1)" || code=$?
  if [ "$code" -eq 0 ] && [ "$expected" -gt 0 ] && ! grep -q 'building' <<<"$out" &&
    [ "$(grep -c 'is up to date' <<<"$out")" -eq "$expected" ]; then
    t_pass "builder run twice rebuilds nothing"
  else
    t_fail "builder run twice rebuilds nothing" "exit $code: $(grep -E 'building|up to date' <<<"$out" | tr '\n' ' ')"
  fi
  if grep -qx 'RUNTIME_IMAGE=tasks-local/cc-runtime:debian12-nonroot' "$env_file" &&
    grep -qx 'SWIFT_IMAGE=tasks-local/swift-builder:6.3.1-bookworm' "$env_file" &&
    grep -qx 'POSTGRES_IMAGE=tasks-local/postgres:15' "$env_file" &&
    grep -q 'SWIFT_IMAGE *swift:6.3.1-bookworm *-> tasks-local/swift-builder' <<<"$out"; then
    t_pass "builder writes the env file and prints each substitution"
  else
    t_fail "builder writes the env file and prints each substitution" "$(tr '\n' ' ' <"$env_file")"
  fi
}

test_upstream_defaults_match() {
  # The Dockerfile ARGs and compose defaults name the same upstream tags the builder stands in for.
  local missing=()
  grep -q 'ARG SWIFT_IMAGE=swift:6.3.1-bookworm$' "$REPO_ROOT/Dockerfile" || missing+=(Dockerfile:SWIFT_IMAGE)
  grep -q 'ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot$' "$REPO_ROOT/Dockerfile" ||
    missing+=(Dockerfile:RUNTIME_IMAGE)
  grep -qF "\${POSTGRES_IMAGE:-postgres:15-bookworm}" "$REPO_ROOT/docker-compose.yml" ||
    missing+=(docker-compose.yml:POSTGRES_IMAGE)
  grep -qF '[postgres]=postgres:15-bookworm' "$BUILDER" || missing+=(builder:postgres)
  if [ ${#missing[@]} -eq 0 ]; then
    t_pass "Dockerfile and compose defaults are the upstream tags the builder substitutes"
  else
    t_fail "Dockerfile and compose defaults are the upstream tags the builder substitutes" "${missing[*]}"
  fi
}

test_runtime_image() {
  local code=0
  docker run --rm --entrypoint /bin/sh "$RUNTIME" -c true >/dev/null 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then t_pass "cc runtime has no shell"; else t_fail "cc runtime has no shell" "/bin/sh ran"; fi
  if [ "$(docker image inspect -f '{{.Config.User}}' "$RUNTIME")" = 65532:65532 ]; then
    t_pass "cc runtime runs as nonroot (65532)"
  else
    t_fail "cc runtime runs as nonroot (65532)" "user: $(docker image inspect -f '{{.Config.User}}' "$RUNTIME")"
  fi
  local container listing status
  container="$(docker create "$RUNTIME" none)"
  listing="$(docker export "$container" | tar -t)"
  status="$(docker export "$container" | tar -xO var/lib/dpkg/status.d/libc6 2>/dev/null || true)"
  docker rm "$container" >/dev/null
  local expected missing=()
  for expected in lib64/ld-linux-x86-64.so.2 usr/lib/x86_64-linux-gnu/libstdc++.so.6 etc/ssl/certs/ca-certificates.crt \
    etc/os-release etc/passwd usr/share/zoneinfo/UTC var/lib/dpkg/status.d/libstdc++6 var/lib/dpkg/status.d/libc6.md5sums; do
    grep -qx "$expected" <<<"$listing" || missing+=("$expected")
  done
  if [ ${#missing[@]} -eq 0 ] && grep -qx 'Status: install ok installed' <<<"$status"; then
    t_pass "cc runtime has libc, libstdc++, CA bundle, tzdata and dpkg status.d entries for scanners"
  else
    t_fail "cc runtime has libc, libstdc++, CA bundle, tzdata and dpkg status.d entries for scanners" \
      "missing: ${missing[*]} status: ${status:0:80}"
  fi
}

# pg_start NAME [docker run args...]: starts the local postgres image on the suite's network.
pg_start() {
  local name="$1"
  shift
  docker run -d --name "$name" --network "$NETWORK" "$@" "$PG_IMAGE" >/dev/null
}

# pg_query PASSWORD SQL: runs SQL as role app on database appdb of $PREFIX-pg, from another container.
pg_query() {
  docker run --rm --network "$NETWORK" -e PGPASSWORD="$1" -e PGCONNECT_TIMEOUT=5 "$PG_IMAGE" \
    psql -h "$PREFIX-pg" -U app -d appdb -tA -v ON_ERROR_STOP=1 -c "$2" 2>&1
}

pg_ready() {
  docker exec "$PREFIX-pg" pg_isready -q -h 127.0.0.1 -U app -d appdb
}

test_postgres_contract() {
  local secrets="$TEST_TMP/pg-secrets" init="$TEST_TMP/pg-init" password out logs
  password="pw-$RANDOM$RANDOM$RANDOM"
  mkdir -p "$secrets" "$init"
  printf '%s\n' "$password" >"$secrets/password"
  chmod 0644 "$secrets/password"
  printf 'CREATE TABLE seeded (n int);\nINSERT INTO seeded VALUES (42);\n' >"$init/01-seed.sql"
  docker network create "$NETWORK" >/dev/null
  local -a run_args=(-e POSTGRES_USER=app -e POSTGRES_DB=appdb -e POSTGRES_PASSWORD_FILE=/run/secrets/password
    -v "$secrets/password:/run/secrets/password:ro" -v "$init:/docker-entrypoint-initdb.d:ro"
    -v "$PREFIX-data:/var/lib/postgresql/data" --read-only --tmpfs /var/run/postgresql --tmpfs /tmp)
  pg_start "$PREFIX-pg" "${run_args[@]}"
  if ! t_wait_for "postgres ready" 60 pg_ready; then
    t_fail "postgres: initialises from POSTGRES_*_FILE and /docker-entrypoint-initdb.d" "not ready"
    docker logs --tail 20 "$PREFIX-pg" 2>&1 | sed 's/^/        | /'
    return 0
  fi
  out="$(pg_query "$password" 'SELECT n FROM seeded')" || true
  if [ "$out" = 42 ]; then
    t_pass "postgres: initialises from POSTGRES_*_FILE and /docker-entrypoint-initdb.d"
  else
    t_fail "postgres: initialises from POSTGRES_*_FILE and /docker-entrypoint-initdb.d" "$out"
  fi
  out="$(pg_query wrong-password 'SELECT 1')" || true
  if [[ "$out" == *"password authentication failed"* ]]; then
    t_pass "postgres: refuses a wrong password from another container (scram-sha-256)"
  else
    t_fail "postgres: refuses a wrong password from another container (scram-sha-256)" "$out"
  fi
  if [ "$(docker_process_uids "$PREFIX-pg" | sort -u)" = 999 ]; then
    t_pass "postgres: server runs as postgres (uid 999, as upstream)"
  else
    t_fail "postgres: server runs as postgres (uid 999, as upstream)" "$(docker_process_uids "$PREFIX-pg" | tr '\n' ' ')"
  fi
  pg_query "$password" 'INSERT INTO seeded VALUES (7)' >/dev/null || true
  docker rm -f -v "$PREFIX-pg" >/dev/null
  pg_start "$PREFIX-pg" "${run_args[@]}"
  t_wait_for "postgres ready again" 60 pg_ready || true
  out="$(pg_query "$password" 'SELECT sum(n) FROM seeded')" || true
  # Logs read into a variable: `docker logs | grep -q` fails under pipefail when grep exits first.
  logs="$(docker logs "$PREFIX-pg" 2>&1)"
  if [ "$out" = 49 ] && [[ "$logs" == *"skipping initialization"* ]]; then
    t_pass "postgres: data survives docker rm -f and a new container on the volume"
  else
    t_fail "postgres: data survives docker rm -f and a new container on the volume" "sum: $out"
  fi
  docker rm -f -v "$PREFIX-pg" >/dev/null
}

# pg_refuses NAME EXPECTED [docker run args...]: the container exits non-zero and says EXPECTED.
pg_refuses() {
  local name="$1" expected="$2" code logs
  shift 2
  pg_start "$PREFIX-refuse" "$@"
  t_wait_for "container exit" 30 bash -c "[ \"\$(docker inspect -f '{{.State.Running}}' '$PREFIX-refuse')\" = false ]" || true
  code="$(docker inspect -f '{{.State.ExitCode}}' "$PREFIX-refuse")"
  logs="$(docker logs "$PREFIX-refuse" 2>&1)"
  if [ "$code" != 0 ] && [[ "$logs" == *"$expected"* ]]; then
    t_pass "$name"
  else
    t_fail "$name" "exit $code: $(docker logs --tail 3 "$PREFIX-refuse" 2>&1 | tr '\n' ' ')"
  fi
  docker rm -f -v "$PREFIX-refuse" >/dev/null
}

test_postgres_refusals() {
  pg_refuses "postgres: refuses to initialise without a password" "set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE"
  pg_refuses "postgres: refuses POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE together" "are exclusive" \
    -e POSTGRES_PASSWORD=a -e POSTGRES_PASSWORD_FILE=/etc/hostname
  pg_refuses "postgres: names a missing password file" "POSTGRES_PASSWORD_FILE=/run/secrets/nope is not a readable file" \
    -e POSTGRES_PASSWORD_FILE=/run/secrets/nope
}

test_monitoring_images() {
  local name image expected out
  for name in prometheus:2.42 alertmanager:0.25 blackbox-exporter:0.23; do
    image="tasks-local/$name"
    expected="version ${name#*:}."
    out="$(docker run --rm "$image" --version 2>&1)" || true
    if [[ "$out" == *"$expected"* ]]; then
      t_pass "$image: entrypoint is the binary, $expected"
    else
      t_fail "$image: entrypoint is the binary, $expected" "${out:0:120}"
    fi
  done
  if docker run --rm --entrypoint promtool tasks-local/prometheus:2.42 --version >/dev/null 2>&1 &&
    docker run --rm --entrypoint amtool tasks-local/alertmanager:0.25 --version >/dev/null 2>&1; then
    t_pass "promtool and amtool are in the prometheus and alertmanager images"
  else
    t_fail "promtool and amtool are in the prometheus and alertmanager images"
  fi
  docker run -d --name "$PREFIX-prom" tasks-local/prometheus:2.42 >/dev/null
  if t_wait_for "prometheus ready" 60 docker exec "$PREFIX-prom" wget -qO- http://127.0.0.1:9090/-/ready &&
    [ "$(docker_process_uids "$PREFIX-prom" | sort -u)" = 65534 ]; then
    t_pass "prometheus starts with the upstream default command, as nobody, and answers /-/ready"
  else
    t_fail "prometheus starts with the upstream default command, as nobody, and answers /-/ready" \
      "$(docker logs --tail 5 "$PREFIX-prom" 2>&1 | tr '\n' ' ')"
  fi
  docker rm -f -v "$PREFIX-prom" >/dev/null
}

# test_proxy_image: the nginx stand-in runs the deployment stack's proxy configuration as 65534
# on a read-only root (as deploy/docker-compose.yml runs it) and reports the pinned version.
test_proxy_image() {
  local image=tasks-local/nginx:1.22 conf="$TEST_TMP/proxy-conf" out
  out="$(docker run --rm "$image" -v 2>&1)" || true
  if [[ "$out" == *"nginx/1.22.1"* ]]; then
    t_pass "$image: entrypoint is nginx, version 1.22.1"
  else
    t_fail "$image: entrypoint is nginx, version 1.22.1" "${out:0:120}"
  fi
  mkdir -p "$conf"
  cp "$REPO_ROOT/deploy/proxy/nginx.conf" "$conf/"
  printf 'upstream api_live {\n  server 127.0.0.1:9;\n}\n' >"$conf/upstream.conf"
  chmod -R a+rX "$conf"
  out="$(docker run --rm --read-only --tmpfs /tmp --tmpfs /var/lib/nginx --tmpfs /var/log/nginx --user 65534:65534 \
    --cap-drop ALL -v "$conf:/etc/nginx/tasks:ro" "$image" -e stderr -t -c /etc/nginx/tasks/nginx.conf 2>&1)" || true
  if [[ "$out" == *"test is successful"* ]]; then
    t_pass "$image: deploy/proxy/nginx.conf is valid as 65534 on a read-only root"
  else
    t_fail "$image: deploy/proxy/nginx.conf is valid as 65534 on a read-only root" "${out:0:300}"
  fi
}

main() {
  docker_require "local images" || exit 0
  trap cleanup EXIT
  test_mirror_from_apt_sources
  test_upstream_defaults_match
  test_builder_idempotent || exit 0
  test_runtime_image
  test_postgres_contract
  test_postgres_refusals
  test_monitoring_images
  test_proxy_image
}

main "$@"
