#!/usr/bin/env bash
# Prepares a Debian 12 machine for the whole test suite: Debian packages, the Python tools in
# .tools/venv, a running Docker engine, and the local stand-ins for upstream base images.
# Idempotent: what is already there is kept, so a second run takes seconds.
set -Eeuo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly APT_PACKAGES=(
  bats ca-certificates curl debootstrap docker.io docker-compose git hey
  libncursesw5-dev postgresql postgresql-contrib
  prometheus prometheus-alertmanager prometheus-blackbox-exporter
  python3-venv shellcheck tmux wrk
)
readonly DOCKERD_LOG=/var/log/dockerd-ci.log

log() { printf 'provision: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt_packages() {
  local -a missing=()
  local package
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep 'install ok installed' >/dev/null ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages: all ${#APT_PACKAGES[@]} present"
    return 0
  fi
  log "Debian packages: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
}

install_python_tools() {
  local venv="$REPO_ROOT/.tools/venv" requirements="$REPO_ROOT/scripts/ci/requirements-tools.txt"
  local stamp="$venv/.requirements.sha256" wanted
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    log "Python tools: up to date in .tools/venv"
    return 0
  fi
  log "Python tools: installing into .tools/venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  printf '%s\n' "$wanted" >"$stamp"
}

start_docker() {
  if docker info >/dev/null 2>&1; then
    log "Docker engine: running ($(docker info --format '{{.ServerVersion}}'))"
    return 0
  fi
  log "Docker engine: starting dockerd (log: $DOCKERD_LOG)"
  as_root bash -c "nohup /usr/sbin/dockerd >'$DOCKERD_LOG' 2>&1 &"
  local deadline=$((SECONDS + 90))
  until docker info >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "dockerd did not answer within 90 s; see $DOCKERD_LOG"
    sleep 1
  done
  log "Docker engine: running ($(docker info --format '{{.ServerVersion}}'))"
}

# Local stand-ins for the upstream images no registry serves here (Swift builder, distroless
# runtime, postgres, prometheus, ...); skipped image by image when the registry answers.
build_local_images() {
  log "Base images: scripts/images/build-local-base-images.sh"
  "$REPO_ROOT/scripts/images/build-local-base-images.sh"
}

main() {
  # The Debian docker client (/usr/bin) has BuildKit; /usr/local/bin/docker, when present, has not.
  export PATH="/usr/bin:$PATH"
  install_apt_packages
  install_python_tools
  start_docker
  build_local_images
}

main "$@"
