# shellcheck shell=bash
# Checks made before a deploy or a rollback changes anything. Each one exits 3 (refused) with a
# message saying what is wrong and what to do.
# Needs: log.sh, lock.sh, compose.sh, pointer.sh, releases.sh, kv.sh.

# preflight_lock COMMAND: takes DEPLOY_DIR/.lock for COMMAND (text shown to others), or exits 3
# naming the process that holds it.
preflight_lock() {
  lock_acquire "$DEPLOY_DIR/.lock" "$1" ||
    die "$EXIT_REFUSED" "another deployment holds $DEPLOY_DIR/.lock: $LOCK_HOLDER. Wait for it to finish; if that process is gone from another machine, remove $DEPLOY_DIR/.lock"
}

# preflight_docker: the docker client, a reachable engine, and a compose.
preflight_docker() {
  command -v docker >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "docker is not installed or not on PATH; install Docker (Desktop) and retry"
  docker info >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "the Docker engine does not answer ('docker info' failed); start Docker Desktop or dockerd and retry"
  compose_detect ||
    die "$EXIT_REFUSED" "neither 'docker compose' nor 'docker-compose' is available; install Docker Compose"
}

# preflight_pointer: the current pointer is readable (sets POINTER_ID; "" when nothing deployed).
preflight_pointer() {
  pointer_read "$DEPLOY_DIR" || die "$EXIT_REFUSED" "unusable current pointer: $POINTER_ERROR"
}

# preflight_same_environment CURRENT ENVIRONMENT: a deploy directory holds one environment.
preflight_same_environment() {
  local current="$1" environment="$2" deployed
  [ -n "$current" ] || return 0
  deployed="$(kv_get "$DEPLOY_DIR/releases/$current/release.env" APP_ENV)"
  [ -z "$deployed" ] || [ "$deployed" = "$environment" ] ||
    die "$EXIT_REFUSED" "$DEPLOY_DIR holds the '$deployed' environment (release $current), not '$environment'; deploy '$environment' with its own DEPLOY_DIR, e.g. DEPLOY_DIR=\$PWD/deploy-$environment"
}

# preflight_port PORT PROJECT: no container of another compose project publishes PORT (the
# developer stack uses 8080 too).
preflight_port() {
  local port="$1" project="$2" name owner
  while read -r name owner; do
    [ -n "$name" ] || continue
    [ "$owner" = "$project" ] && continue
    die "$EXIT_REFUSED" "port $port is taken by container $name (compose project ${owner:-none}); stop it (the developer stack: scripts/dev_down.sh) or deploy with another API_PORT"
  done < <(docker ps --filter "publish=$port" --format '{{.Names}} {{.Label "com.docker.compose.project"}}' 2>/dev/null)
  return 0
}

# preflight_secret FILE ENVIRONMENT: the database password file exists, is not empty, and can be
# read by the containers (they mount it as a file: postgres and the api run as other users).
preflight_secret() {
  local file="$1" environment="$2" dir="${1%/*}"
  if [ ! -f "$file" ]; then
    die "$EXIT_REFUSED" "the database password of '$environment' is missing: $file. Create it once (nothing is printed):
    mkdir -p '$dir' && chmod 700 '$dir' && (umask 022; head -c 32 /dev/urandom | base64 | tr -d '/+=\\n' >'$file')"
  fi
  [ -s "$file" ] || die "$EXIT_REFUSED" "the database password file $file is empty; fill it (see docs/cd.md)"
  [ -r "$file" ] || die "$EXIT_REFUSED" "cannot read $file; check its owner and mode"
  if ! command -v cygpath >/dev/null 2>&1 && [ -z "$(find "$file" -maxdepth 0 -perm -o=r 2>/dev/null)" ]; then
    die "$EXIT_REFUSED" "$file is not readable by the containers' users (postgres, nonroot): chmod 644 it and keep its directory private (chmod 700 '$dir')"
  fi
}
