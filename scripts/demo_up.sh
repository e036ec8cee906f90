#!/usr/bin/env bash
# The reviewer's "run" command: from a fresh clone with Docker, provisions what is missing
# (local secrets, local base images when no registry answers), deploys a release with
# scripts/deploy_local.sh, brings up the monitoring stack, then opens reldash on it (prints
# `reldash status` when there is no terminal). Idempotent: what is already there is kept and
# said so. scripts/demo_down.sh stops it all.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=demo_up

# shellcheck source=scripts/lib/all.sh
source "$SCRIPT_DIR/lib/all.sh"
# shellcheck source=scripts/demo/steps.sh
source "$SCRIPT_DIR/demo/steps.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/demo_up.sh [--env dev|staging] [--no-dashboard] [--timeout S]

Shows everything running on this machine, each step printed:
  1. prerequisites: bash 4+, docker (client and engine), docker compose or docker-compose, curl
  2. local secrets: scripts/init_local_env.sh (.env, secrets/db_password.txt) and the
     deployment's password file secrets/<env>/db_password.txt, generated when missing
  3. base images: every image named in .tools/local-images.env present, else
     scripts/images/build-local-base-images.sh (pulls, or builds local stand-ins when no
     registry answers)
  4. a release: kept when the current one answers /readyz and /version with its id, else
     scripts/deploy_local.sh --env ENV
  5. monitoring: scripts/monitoring_up.sh --env ENV
  6. reldash on the deploy tree and Prometheus: the dashboard in a terminal, `reldash status`
     without one (RELDASH_BIN, else the host build when Swift is installed, else
     scripts/reldash_docker.sh)
The variables of deploy_local.sh and monitoring_up.sh apply (DEPLOY_DIR, DEPLOY_PROJECT_NAME,
API_PORT, PROMETHEUS_PORT, MONITORING_GRAFANA, ...).

Options:
  --env NAME      dev or staging (default: dev)
  --no-dashboard  stop after step 5 (print the addresses, open nothing)
  --timeout S     deadline of the health gate and of the monitoring targets (default: 120)
  -h, --help      show this help
Exit codes: 0 everything runs; 1 a step failed (the message says which); 2 usage;
3 a prerequisite is missing (the message says how to get it).
EOF_USAGE
}

OPT_ENV=dev
OPT_DASHBOARD=1
OPT_TIMEOUT=120

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --env)
        [[ "${2:-}" =~ ^(dev|staging)$ ]] || usage_error "--env needs dev or staging"
        OPT_ENV="$2"
        shift
        ;;
      --timeout)
        [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout needs a whole number of seconds"
        OPT_TIMEOUT="$2"
        shift
        ;;
      --no-dashboard) OPT_DASHBOARD=0 ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
}

main() {
  parse_args "$@"
  export DEPLOY_DIR="${DEPLOY_DIR:-$REPO_ROOT/deploy}"
  export DEPLOY_SECRETS_DIR="${DEPLOY_SECRETS_DIR:-$REPO_ROOT/secrets/$OPT_ENV}"
  demo_step 1 "prerequisites"
  demo_require_tools
  demo_step 2 "local secrets"
  "$SCRIPT_DIR/init_local_env.sh" || die "$EXIT_FAILED" "scripts/init_local_env.sh failed"
  demo_deploy_secret "$DEPLOY_SECRETS_DIR/db_password.txt"
  # The monitoring's database exporter logs in with the deployment's password.
  export DB_PASSWORD_FILE="${DB_PASSWORD_FILE:-$DEPLOY_SECRETS_DIR/db_password.txt}"
  demo_step 3 "base images"
  demo_base_images "$REPO_ROOT"
  load_local_images "$REPO_ROOT"
  demo_step 4 "a release of $OPT_ENV"
  demo_release "$OPT_ENV" "$OPT_TIMEOUT"
  demo_step 5 "monitoring"
  "$SCRIPT_DIR/monitoring_up.sh" --env "$OPT_ENV" --timeout "$OPT_TIMEOUT" ||
    die "$EXIT_FAILED" "scripts/monitoring_up.sh failed (its message above says which target); scripts/demo_down.sh stops everything"
  demo_addresses
  if [ "$OPT_DASHBOARD" = 0 ]; then
    log_info "done (--no-dashboard); stop everything with scripts/demo_down.sh --env $OPT_ENV"
    return 0
  fi
  demo_step 6 "reldash"
  demo_reldash "$REPO_ROOT"
}

main "$@"
