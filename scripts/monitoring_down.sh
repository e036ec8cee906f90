#!/usr/bin/env bash
# Stops the monitoring stack of one environment. Keeps its volumes (Prometheus' 30 days of data,
# Grafana's state) unless --volumes; never touches the deployment or its network.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=monitoring_down

# shellcheck source=scripts/monitoring/libs.sh
source "$SCRIPT_DIR/monitoring/libs.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/monitoring_down.sh [--env dev|staging|prod] [--volumes]

Stops the monitoring stack of an environment (compose project tasks-monitoring-<env>).
  --volumes   also delete its data (Prometheus, Alertmanager, Grafana volumes)
EOF_USAGE
}

main() {
  local env=dev volumes=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --env)
        [[ "${2:-}" =~ ^(dev|staging|prod)$ ]] || usage_error "--env needs dev, staging or prod"
        env="$2"
        shift
        ;;
      --volumes) volumes=(-v) ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
  load_local_images "$REPO_ROOT"
  monitoring_settings "$REPO_ROOT" "$env"
  compose_detect || die "$EXIT_REFUSED" "neither 'docker compose' nor 'docker-compose' is installed"
  # compose reads the secrets' paths even to stop: point missing ones at /dev/null.
  [ -e "$DB_PASSWORD_FILE" ] || DB_PASSWORD_FILE=/dev/null
  [ -e "$GRAFANA_ADMIN_PASSWORD_FILE" ] || GRAFANA_ADMIN_PASSWORD_FILE=/dev/null
  monitoring_compose down --remove-orphans ${volumes[@]+"${volumes[@]}"}
  log_info "monitoring stack $MONITORING_PROJECT_NAME stopped${volumes[*]:+ and its volumes deleted}"
}

main "$@"
