#!/usr/bin/env bash
# The compose files work with both Compose lines users have: v1.29 (Debian's docker-compose)
# and v2.40 (`docker compose`, as Docker Desktop ships it; here the plugin that
# scripts/ci/provision.sh puts in .tools/docker). Each file is accepted by both, and both read
# the same stack from it: services, images, published ports (always on 127.0.0.1), dependencies,
# healthchecks, volumes, user, read-only root, environment variable names.
# The full compose and deploy suites run under v2 with: scripts/test.sh --compose v2 e2e.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly V2_CONFIG="${TOOLS_DIR:-$REPO_ROOT/.tools}/docker"

# A summary of a `config` output that does not depend on how each version prints it.
readonly NORMALISE='
import json, sys, yaml

def ports(service):
    out = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            out.append("%s:%s:%s/%s" % (port.get("host_ip", ""), port.get("published") or "", port.get("target"), port.get("protocol", "tcp")))
        else:
            text = str(port)
            out.append(text if "/" in text else text + "/tcp")
    return sorted(out)

def healthcheck(service):
    test = (service.get("healthcheck") or {}).get("test")
    return " ".join(test) if isinstance(test, list) else test

def environment(service):
    env = service.get("environment") or {}
    return sorted(env if isinstance(env, dict) else [item.split("=", 1)[0] for item in env])

document = yaml.safe_load(sys.stdin)
summary = {}
for name, service in sorted((document.get("services") or {}).items()):
    depends = service.get("depends_on") or {}
    summary[name] = {
        "image": service.get("image"),
        "ports": ports(service),
        "depends_on": sorted(depends if isinstance(depends, (dict, list)) else []),
        "healthcheck": healthcheck(service),
        "user": service.get("user"),
        "read_only": bool(service.get("read_only")),
        "environment": environment(service),
    }
summary["volumes"] = sorted(document.get("volumes") or {})
print(json.dumps(summary, indent=1, sort_keys=True))
'

# compare_file NAME ENV_FILE FILE ENV...: both versions accept FILE (with ENV_FILE read and ENV
# set) and read the same stack from it.
compare_file() {
  local name="$1" env_file="$2" file="$3"
  shift 3
  local base="$TEST_TMP/${name//\//_}"
  local v1="$base.v1" v2="$base.v2" code1=0 code2=0
  env "$@" docker-compose --env-file "$env_file" -f "$file" config >"$v1.yml" 2>"$v1.err" || code1=$?
  env "$@" DOCKER_CONFIG="$V2_CONFIG" docker compose --env-file "$env_file" -f "$file" config \
    >"$v2.yml" 2>"$v2.err" || code2=$?
  if [ "$code1" -ne 0 ] || [ "$code2" -ne 0 ]; then
    t_fail "compose v1.29 and v2.40 both accept $name" \
      "v1 exit $code1: $(head -c 200 "$v1.err"); v2 exit $code2: $(head -c 200 "$v2.err")"
    return 0
  fi
  t_pass "compose v1.29 and v2.40 both accept $name"
  python3 -c "$NORMALISE" <"$v1.yml" >"$v1.json"
  python3 -c "$NORMALISE" <"$v2.yml" >"$v2.json"
  if diff -u "$v1.json" "$v2.json" >"$base.diff"; then
    t_pass "compose v1.29 and v2.40 read the same stack from $name ($(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))) - 1)' "$v1.json") services)"
  else
    t_fail "compose v1.29 and v2.40 read the same stack from $name" "see the diff below"
    head -n 30 "$base.diff" | sed 's/^/        | /'
  fi
}

main() {
  t_require "compose versions" docker "install Docker (scripts/ci/provision.sh)" || exit 0
  t_require "compose versions: v1" docker-compose "apt-get install docker-compose (v1.29)" || exit 0
  if ! python3 -c 'import yaml' 2>/dev/null; then
    t_skip "compose versions" "PyYAML not found; run scripts/ci/provision.sh tools"
    exit 0
  fi
  local version
  if ! version="$(DOCKER_CONFIG="$V2_CONFIG" docker compose version --short 2>/dev/null)"; then
    t_skip "compose versions: v2" "no compose plugin in $V2_CONFIG/cli-plugins; run scripts/ci/provision.sh tools"
    exit 0
  fi
  if [[ "$version" == 2.* ]] && [[ "$(docker-compose version --short 2>/dev/null)" == 1.29.* ]]; then
    t_pass "compose versions under test: v$(docker-compose version --short) and v$version"
  else
    t_fail "compose versions under test: v1.29 and v2" "got v1 '$(docker-compose version --short 2>&1)', v2 '$version'"
  fi
  # The developer stack with the .env a user gets from scripts/init_local_env.sh (a copy of
  # .env.example); the deploy stack with what deploy_local.sh passes from release.env.
  compare_file docker-compose.yml "$REPO_ROOT/.env.example" "$REPO_ROOT/docker-compose.yml"
  : >"$TEST_TMP/empty.env"
  compare_file deploy/docker-compose.yml "$TEST_TMP/empty.env" "$REPO_ROOT/deploy/docker-compose.yml" \
    API_IMAGE=tasks-api:20260101T000000Z POSTGRES_IMAGE=postgres:15-bookworm APP_ENV=dev \
    RELEASE_ID=20260101T000000Z API_PORT=8080 DB_PASSWORD_FILE=/dev/null \
    PROXY_IMAGE=nginx:1.22.1 PROXY_CONFIG_DIR="$TEST_TMP/proxy" SLOT=blue LOG_LEVEL=info DB_POOL_SIZE=10 \
    FEATURE_TASK_SEARCH=false API_MEM_LIMIT=256m API_CPUS=1.0
}

main "$@"
