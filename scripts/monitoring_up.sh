#!/usr/bin/env bash
# Starts the monitoring stack of one environment (monitoring/docker-compose.yml): Prometheus,
# Alertmanager, Grafana, blackbox and PostgreSQL exporters, the local webhook receiver. Creates
# what is missing first (the Grafana admin password, the deployment's network), then waits until
# Prometheus reports every target up. Needs bash 4+, coreutils, docker and curl.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=monitoring_up

# shellcheck source=scripts/lib/log.sh
source "$SCRIPT_DIR/lib/log.sh"
# shellcheck source=scripts/lib/kv.sh
source "$SCRIPT_DIR/lib/kv.sh"
# shellcheck source=scripts/lib/compose.sh
source "$SCRIPT_DIR/lib/compose.sh"
# shellcheck source=scripts/lib/http.sh
source "$SCRIPT_DIR/lib/http.sh"
# shellcheck source=scripts/lib/local_images.sh
source "$SCRIPT_DIR/lib/local_images.sh"
# shellcheck source=scripts/monitoring/stack.sh
source "$SCRIPT_DIR/monitoring/stack.sh"

usage() {
  cat <<'EOF_USAGE'
Usage: scripts/monitoring_up.sh [--env dev|staging|prod] [--timeout S] [--no-wait]

Starts the monitoring stack of an environment (compose project tasks-monitoring-<env>) and
waits until every Prometheus target is up (the API, its /healthz and /readyz probes, the
PostgreSQL exporter, Prometheus, Alertmanager). Run it before or after scripts/deploy_local.sh:
it joins the deployment's network (tasks-<env>_backend), creating it when it does not exist yet.

Options:
  --env NAME    environment: dev, staging or prod (default: dev)
  --timeout S   seconds to wait for every target to be up (default: 120)
  --no-wait     start and return without waiting for the targets
  -h, --help    show this help

Environment (defaults in parentheses): MONITORING_PROJECT_NAME (tasks-monitoring-<env>),
DEPLOY_PROJECT_NAME (tasks-<env>), DEPLOY_NETWORK (<deploy project>_backend), DB_PASSWORD_FILE
(secrets/<env>/db_password.txt), GRAFANA_ADMIN_PASSWORD_FILE
(secrets/monitoring/grafana_admin_password.txt, generated when missing), MONITORING_GRAFANA
auto|0|1 (auto: started when its image is present or can be pulled), PROMETHEUS_PORT (9090),
ALERTMANAGER_PORT (9093), BLACKBOX_PORT (9115), WEBHOOK_PORT (9099), GRAFANA_PORT (3000),
PROMETHEUS_CONFIG, PROMETHEUS_RULES_DIR, ALERTMANAGER_CONFIG (the files under monitoring/).

Exit codes: 0 up (every target up); 1 failed or targets still down at the deadline (the stack
keeps running; the message lists them); 2 usage; 3 refused (docker, compose or a secret missing).
EOF_USAGE
}

OPT_ENV=dev
OPT_TIMEOUT=120
OPT_WAIT=1

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --env)
        [ $# -ge 2 ] || usage_error "--env needs a value (dev, staging or prod)"
        [[ "$2" =~ ^(dev|staging|prod)$ ]] || usage_error "--env '$2': use dev, staging or prod"
        OPT_ENV="$2"
        shift
        ;;
      --timeout)
        [ $# -ge 2 ] || usage_error "--timeout needs a number of seconds"
        [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage_error "--timeout '$2': give a whole number of seconds"
        OPT_TIMEOUT="$2"
        shift
        ;;
      --no-wait) OPT_WAIT=0 ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
}

# ensure_grafana_password FILE: 32 random characters on first run (never admin/admin), in a
# private directory, readable by Grafana's own uid (a compose secret is a plain bind mount).
ensure_grafana_password() {
  local file="$1" dir
  [ -s "$file" ] && return 0
  dir="$(dirname "$file")"
  mkdir -p "$dir"
  chmod 700 "$dir"
  (umask 022 && head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 32 >"$file")
  log_info "generated the Grafana admin password in $file (user admin)"
}

# grafana_wanted: succeeds when Grafana is to be started (MONITORING_GRAFANA, image available).
grafana_wanted() {
  case "${MONITORING_GRAFANA:-auto}" in
    0) return 1 ;;
    1) return 0 ;;
  esac
  docker image inspect "$GRAFANA_IMAGE" >/dev/null 2>&1 && return 0
  log_info "Grafana image $GRAFANA_IMAGE is not here; trying to pull it (20 s at most)"
  if timeout 20 docker pull "$GRAFANA_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  log_warn "no Grafana image ($GRAFANA_IMAGE cannot be pulled, and there is no local stand-in): starting without Grafana"
  return 1
}

main() {
  parse_args "$@"
  load_local_images "$REPO_ROOT"
  monitoring_settings "$REPO_ROOT" "$OPT_ENV"
  command -v docker >/dev/null 2>&1 || die "$EXIT_REFUSED" "docker is not installed"
  docker info >/dev/null 2>&1 || die "$EXIT_REFUSED" "the Docker engine does not answer; start it (Docker Desktop, or dockerd)"
  compose_detect || die "$EXIT_REFUSED" "neither 'docker compose' nor 'docker-compose' is installed"
  [ -s "$DB_PASSWORD_FILE" ] || die "$EXIT_REFUSED" "no database password in $DB_PASSWORD_FILE (DB_PASSWORD_FILE): the PostgreSQL exporter logs in with the deployment's password; create it as README says (section « Déploiement simulé »)"
  ensure_grafana_password "$GRAFANA_ADMIN_PASSWORD_FILE"
  monitoring_ensure_network
  local -a services=(prometheus alertmanager blackbox postgres-exporter webhook)
  grafana_wanted && services+=(grafana)
  log_info "starting ${services[*]} (compose project $MONITORING_PROJECT_NAME, network $DEPLOY_NETWORK)"
  local output
  if ! output="$(monitoring_compose up -d --remove-orphans "${services[@]}" 2>&1)"; then
    printf '%s\n' "$output" | tail -n 20 >&2
    die "$EXIT_FAILED" "compose up failed (above)"
  fi
  if [ "$OPT_WAIT" = 1 ]; then
    monitoring_wait_targets "$OPT_TIMEOUT" || die "$EXIT_FAILED" "$MONITORING_REASON"
    log_info "every target is up ($MONITORING_TARGETS_UP targets)"
  fi
  log_info "Prometheus    http://127.0.0.1:$PROMETHEUS_PORT"
  log_info "Alertmanager  http://127.0.0.1:$ALERTMANAGER_PORT"
  log_info "alert webhook http://127.0.0.1:$WEBHOOK_PORT/cgi-bin/alerts (notifications received)"
  if [[ " ${services[*]} " == *" grafana "* ]]; then
    log_info "Grafana       http://127.0.0.1:$GRAFANA_PORT (user admin, password in $GRAFANA_ADMIN_PASSWORD_FILE)"
  fi
}

main "$@"
