# shellcheck shell=bash
# Docker Compose for releases: `docker compose` (v2) when present, else `docker-compose` (v1.29).
# Each release is run from its own copy of the compose file, with exactly the variables of its
# release.env, under the compose project name it pins (one per environment: same volumes).
# Needs: kv.sh.

COMPOSE_CMD=()

# compose_detect: sets COMPOSE_CMD; fails when neither compose is available.
compose_detect() {
  if docker compose version >/dev/null 2>&1; then
    COMPOSE_CMD=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE_CMD=(docker-compose)
  else
    return 1
  fi
}

# compose_release DIR ID ARGS...: runs compose with ARGS for release ID of deploy dir DIR.
compose_release() {
  local path="$1/releases/$2" project
  shift 2
  local -a pairs=()
  mapfile -t pairs < <(kv_pairs "$path/release.env")
  project="$(kv_get "$path/release.env" COMPOSE_PROJECT_NAME)"
  [ -n "$project" ] || return 1
  env ${pairs[@]+"${pairs[@]}"} "${COMPOSE_CMD[@]}" -p "$project" -f "$path/docker-compose.yml" "$@"
}

# native_path PATH: prints PATH as the host's tools expect it (C:/... under Git Bash, where
# variables handed to docker are not converted; unchanged elsewhere).
native_path() {
  if command -v cygpath >/dev/null 2>&1; then
    cygpath -m -- "$1"
  else
    printf '%s' "$1"
  fi
}
