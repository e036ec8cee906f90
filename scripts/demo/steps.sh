# shellcheck shell=bash
# The steps of scripts/demo_up.sh, one function each. Needs scripts/lib/all.sh.

# demo_step N TEXT: prints the step being run.
demo_step() {
  log_info "step $1: $2"
}

# demo_require_tools: what every later step needs; exit 3 naming how to get what is missing.
demo_require_tools() {
  [ "${BASH_VERSINFO[0]}" -ge 4 ] || die "$EXIT_REFUSED" "bash 4 or later is needed (this is $BASH_VERSION; Git Bash on Windows has bash 5)"
  command -v docker >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "docker is not installed: install Docker Desktop (Windows, macOS) or docker.io (Debian)"
  docker info >/dev/null 2>&1 || die "$EXIT_REFUSED" "the Docker engine does not answer: start Docker Desktop (or dockerd)"
  compose_detect || die "$EXIT_REFUSED" "neither 'docker compose' nor 'docker-compose' is available: install Docker Compose"
  command -v curl >/dev/null 2>&1 || die "$EXIT_REFUSED" "curl is not installed (apt-get install curl)"
  log_info "docker, ${COMPOSE_CMD[*]} and curl found"
}

# demo_deploy_secret FILE: the deployment's database password, generated when missing
# (32 random characters; private directory, file readable by the containers' users).
demo_deploy_secret() {
  local file="$1" dir
  if [ -s "$file" ]; then
    log_info "kept ${file#"$REPO_ROOT"/} (exists)"
    return 0
  fi
  dir="$(dirname "$file")"
  mkdir -p "$dir"
  chmod 0700 "$dir"
  (umask 022 && head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$file.tmp")
  mv "$file.tmp" "$file"
  log_info "generated ${file#"$REPO_ROOT"/} (local only; never commit it)"
}

# demo_base_images ROOT: every image .tools/local-images.env names is in the engine, or
# build-local-base-images.sh is run (it pulls what a registry serves and builds the rest).
demo_base_images() {
  local root="$1" env_file="$1/.tools/local-images.env" line missing=""
  if [ -f "$env_file" ]; then
    while IFS= read -r line; do
      [[ "$line" =~ ^[A-Z][A-Z0-9_]*=(.+)$ ]] || continue
      docker image inspect "${BASH_REMATCH[1]}" >/dev/null 2>&1 || missing+=" ${BASH_REMATCH[1]}"
    done <"$env_file"
    if [ -z "$missing" ]; then
      log_info "kept the local base images named in .tools/local-images.env (all present)"
      return 0
    fi
    log_info "missing local images:$missing"
  fi
  log_info "running scripts/images/build-local-base-images.sh (upstream images when a registry answers, else local stand-ins; minutes the first time)"
  "$root/scripts/images/build-local-base-images.sh" ||
    die "$EXIT_REFUSED" "no base images: no registry answered and the local build failed (it needs Debian's debootstrap); see docs/image-compose.md"
}

# demo_release ENV TIMEOUT: keeps the current release when it is healthy, else deploys one.
demo_release() {
  local env="$1" timeout="$2" base="http://127.0.0.1:${API_PORT:-8080}"
  if pointer_read "$DEPLOY_DIR" && [ -n "$POINTER_ID" ] && http_get "$base/readyz" 5 && [ "$HTTP_STATUS" = 200 ] &&
    http_get "$base/version" 5 && [ "$(health_version_release_id "$HTTP_BODY")" = "$POINTER_ID" ]; then
    log_info "kept release $POINTER_ID: it is current and answers on $base"
    return 0
  fi
  log_info "running scripts/deploy_local.sh --env $env --timeout $timeout"
  "$REPO_ROOT/scripts/deploy_local.sh" --env "$env" --timeout "$timeout" ||
    die "$EXIT_FAILED" "scripts/deploy_local.sh failed (its message above says what serves now)"
}

# demo_addresses: where to look.
demo_addresses() {
  log_info "API         http://127.0.0.1:${API_PORT:-8080}/version"
  log_info "Prometheus  http://127.0.0.1:${PROMETHEUS_PORT:-9090}/alerts"
  log_info "Alertmanager http://127.0.0.1:${ALERTMANAGER_PORT:-9093}"
  log_info "Grafana     http://127.0.0.1:${GRAFANA_PORT:-3000} (when its image could be pulled; user admin, password in ${GRAFANA_ADMIN_PASSWORD_FILE:-secrets/monitoring/grafana_admin_password.txt})"
}

# demo_reldash ROOT: the dashboard in a terminal, `reldash status` without one.
demo_reldash() {
  local root="$1" bin="${RELDASH_BIN:-}" command=dashboard
  local -a args=(--deploy-dir "$DEPLOY_DIR" --prometheus-url "http://127.0.0.1:${PROMETHEUS_PORT:-9090}")
  if [ ! -t 0 ] || [ ! -t 1 ]; then
    command=status
    log_info "no terminal: printing reldash status (run scripts/demo_up.sh in a terminal for the dashboard)"
  fi
  if [ -z "$bin" ] && command -v swift >/dev/null 2>&1; then
    log_info "building reldash (swift build --product reldash; minutes the first time)"
    swift build --package-path "$root" --product reldash >&2 || die "$EXIT_FAILED" "swift build of reldash failed"
    bin="$(swift build --package-path "$root" --show-bin-path)/reldash"
  fi
  if [ -n "$bin" ]; then
    [ -x "$bin" ] || die "$EXIT_REFUSED" "RELDASH_BIN '$bin' is not an executable"
    log_info "reldash $command (stop everything later with scripts/demo_down.sh)"
    # Only the dashboard runs scripts (R, r, D).
    [ "$command" = status ] || args+=(--scripts-dir "$root/scripts")
    "$bin" "$command" "${args[@]}"
    return
  fi
  [ -x "$root/scripts/reldash_docker.sh" ] ||
    die "$EXIT_REFUSED" "no reldash: install Swift 6 or use scripts/reldash_docker.sh (not in this checkout)"
  log_info "reldash $command in its container (scripts/reldash_docker.sh)"
  "$root/scripts/reldash_docker.sh" "$command" --prometheus-url "http://127.0.0.1:${PROMETHEUS_PORT:-9090}"
}
