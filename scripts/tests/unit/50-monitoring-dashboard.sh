#!/usr/bin/env bash
# Unit tests of the Grafana files and the monitoring compose file, no container (Grafana cannot
# run on the build machines: its files are checked here, and every panel query runs against a
# live Prometheus in e2e/50-monitoring-drill): the dashboard is what its generator writes,
# grafana-foundation-sdk parses it, every panel has a title, description, unit and the
# provisioned datasource uid, rates use $__rate_interval, every query parses (promtool); the
# provisioning paths match the compose mounts; Grafana's admin password comes from a file;
# docker-compose 1.29 accepts the compose file.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly CHECK="$REPO_ROOT/scripts/monitoring/dashboard_check.py"
readonly DASHBOARD="$REPO_ROOT/monitoring/grafana/dashboards/tasks-api.json"

static_check_catches() {
  local name="$1" mutation="$2" expected="$3" dir="$TEST_TMP/dash.$RANDOM" out
  mkdir -p "$dir"
  python3 - "$DASHBOARD" "$dir/tasks-api.json" "$mutation" <<'PY'
import json
import sys

source, target, mutation = sys.argv[1:]
with open(source, encoding="utf-8") as handle:
    doc = json.load(handle)
panel = next(p for p in doc["panels"] if p["title"] == "CPU")
if mutation == "unit":
    del panel["fieldConfig"]["defaults"]["unit"]
elif mutation == "uid":
    panel["targets"][0]["datasource"]["uid"] = "another-prometheus"
elif mutation == "rate":
    panel["targets"][0]["expr"] = panel["targets"][0]["expr"].replace("$__rate_interval", "5m")
elif mutation == "type":
    del panel["type"]
with open(target, "w", encoding="utf-8") as handle:
    json.dump(doc, handle)
PY
  if out="$(MONITORING_DASHBOARDS_DIR="$dir" python3 "$CHECK" static 2>&1)"; then
    t_fail "dashboard check catches: $name" "it passed"
  elif [[ "$out" == *"$expected"* ]]; then
    t_pass "dashboard check catches: $name"
  else
    t_fail "dashboard check catches: $name" "${out:0:400}"
  fi
}

provisioning_matches_compose() {
  python3 - "$REPO_ROOT" <<'PY'
import sys

import yaml

root = sys.argv[1]
compose = yaml.safe_load(open(f"{root}/monitoring/docker-compose.yml", encoding="utf-8"))
grafana = compose["services"]["grafana"]
provider = yaml.safe_load(open(f"{root}/monitoring/grafana/provisioning/dashboards/tasks.yml", encoding="utf-8"))
source = yaml.safe_load(open(f"{root}/monitoring/grafana/provisioning/datasources/prometheus.yml", encoding="utf-8"))
mounts = {v.split(":")[1]: v.split(":")[0] for v in grafana["volumes"]}
problems = []
path = provider["providers"][0]["options"]["path"]
if mounts.get(path) != "./grafana/dashboards":
    problems.append(f"dashboards provider reads {path}, compose mounts {mounts}")
if mounts.get("/etc/grafana/provisioning") != "./grafana/provisioning":
    problems.append("provisioning directory not mounted at /etc/grafana/provisioning")
if source["datasources"][0]["url"] != "http://prometheus:9090" or "prometheus" not in compose["services"]:
    problems.append("the datasource does not point at the prometheus service")
env = grafana["environment"]
if env.get("GF_SECURITY_ADMIN_PASSWORD__FILE") != "/run/secrets/grafana_admin_password":
    problems.append("the admin password does not come from the secret file")
if "GF_SECURITY_ADMIN_PASSWORD" in env or env.get("GF_AUTH_ANONYMOUS_ENABLED") != "false":
    problems.append("a password in the environment, or anonymous access not disabled")
for name, service in compose["services"].items():
    for port in service.get("ports", []):
        if not str(port).startswith("127.0.0.1:"):
            problems.append(f"{name}: port {port} not bound to 127.0.0.1")
    if not str(service.get("image", "")).startswith("${"):
        problems.append(f"{name}: image not taken from a variable")
if set(compose) - {"x-hardening", "services", "networks", "secrets", "volumes"}:
    problems.append(f"top-level keys docker-compose 1.29 may reject: {sorted(compose)}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}

compose_v1_accepts() {
  local dir="$TEST_TMP/compose-v1"
  mkdir -p "$dir"
  printf 'x\n' >"$dir/secret.txt"
  env DB_PASSWORD_FILE="$dir/secret.txt" GRAFANA_ADMIN_PASSWORD_FILE="$dir/secret.txt" \
    docker-compose -p obs-config-test -f "$REPO_ROOT/monitoring/docker-compose.yml" config -q
}

main() {
  if ! python3 -c 'import grafana_foundation_sdk, yaml' 2>/dev/null; then
    t_skip "dashboard: grafana-foundation-sdk" "python3 cannot import grafana_foundation_sdk; run scripts/ci/provision.sh (.tools/venv)"
    exit 0
  fi
  t_run "tasks-api.json is what generate_dashboard.py writes" \
    python3 "$REPO_ROOT/scripts/monitoring/generate_dashboard.py" --check
  t_run "dashboard: grafana-foundation-sdk parses it; every panel has title, description, unit, provisioned uid, \$__rate_interval" \
    python3 "$CHECK" static
  static_check_catches "a panel without unit" unit "no unit"
  static_check_catches "a query on another datasource uid" uid "datasource uid is not"
  static_check_catches "a rate over a fixed window" rate "not [\$__rate_interval]"
  static_check_catches "a panel without type (the SDK refuses it)" type "grafana-foundation-sdk cannot parse it"
  if t_require "dashboard: promtool" promtool "apt-get install prometheus (scripts/ci/provision.sh)"; then
    python3 "$CHECK" rules-file dev "$TEST_TMP/dashboard-queries.yml"
    t_run "dashboard: every query, macros substituted, parses (promtool check rules)" \
      promtool check rules "$TEST_TMP/dashboard-queries.yml"
  fi
  t_run "grafana provisioning paths, datasource, admin password file, ports and images in monitoring/docker-compose.yml" \
    provisioning_matches_compose
  if t_require "monitoring compose: docker-compose" docker-compose "apt-get install docker-compose"; then
    t_run "monitoring/docker-compose.yml: docker-compose 1.29 accepts it" compose_v1_accepts
  fi
}

main "$@"
