#!/usr/bin/env bash
# Stops the developer stack started by scripts/dev_up.sh. The database volume is kept (the next
# scripts/dev_up.sh finds the data again) unless --volumes is given.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
# shellcheck source=scripts/lib/local_images.sh
source "$SCRIPT_DIR/lib/local_images.sh"
# shellcheck source=scripts/lib/kv.sh
source "$SCRIPT_DIR/lib/kv.sh"
# shellcheck source=scripts/lib/compose.sh
source "$SCRIPT_DIR/lib/compose.sh"

readonly DEFAULT_PROJECT=tasks-devstack

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/dev_down.sh [--volumes]

Stops and removes the developer stack's containers and network.

Options:
  --volumes   also delete the database volume (every task is lost)
  -h, --help  this help

Exit codes: 0 stopped, 1 compose failed, 2 usage, 3 nothing to stop from here (.env missing)
or Docker unavailable.
EOF_USAGE
}

log() { printf 'dev_down: %s\n' "$*" >&2; }

main() {
  local -a down_args=(--remove-orphans)
  while [ $# -gt 0 ]; do
    case "$1" in
      --volumes) down_args+=(--volumes) ;;
      -h | --help) usage; exit 0 ;;
      *) log "unknown argument '$1'"; usage >&2; exit 2 ;;
    esac
    shift
  done
  if [ ! -f "$REPO_ROOT/.env" ]; then
    log "error: .env is missing, so no stack was started from this checkout (scripts/dev_up.sh creates it)"
    exit 3
  fi
  compose_detect || { log "error: neither 'docker compose' nor 'docker-compose' is installed"; exit 3; }
  load_local_images "$REPO_ROOT"
  local project
  project="$(compose_setting "$REPO_ROOT/.env" COMPOSE_PROJECT_NAME "$DEFAULT_PROJECT")"
  (cd "$REPO_ROOT" && "${COMPOSE_CMD[@]}" -p "$project" -f docker-compose.yml down "${down_args[@]}") ||
    { log "error: compose down failed (message above)"; exit 1; }
  if [[ " ${down_args[*]} " == *" --volumes "* ]]; then
    log "stack $project stopped; its database volume was deleted"
  else
    log "stack $project stopped; the database volume is kept (--volumes deletes it)"
  fi
}

main "$@"
