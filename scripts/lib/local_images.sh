# shellcheck shell=bash
# Points the image variables (SWIFT_IMAGE, RUNTIME_IMAGE, POSTGRES_IMAGE, ...) at the local
# stand-ins built by scripts/images/build-local-base-images.sh, on machines with no registry.
#
# Sourced by every script that runs `docker build` or compose. Needs only bash and coreutils
# (Git Bash on Windows). Without .tools/local-images.env nothing changes: the Dockerfile ARGs
# and compose files keep their upstream defaults.

# load_local_images [REPO_ROOT]: exports each KEY=VALUE of REPO_ROOT/.tools/local-images.env
# whose KEY is not already set in the environment (an explicit value always wins). Lines that
# are blank, comments, or not of the form UPPER_CASE_NAME=value are ignored.
load_local_images() {
  local root="${1:-${REPO_ROOT:-.}}"
  local file="$root/.tools/local-images.env"
  local line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    [ -n "${!key:-}" ] && continue
    export "$key=$value"
  done <"$file"
}
