#!/usr/bin/env bash
# "Works with both Compose lines" as a test: the compose and deploy suites (e2e/20-compose,
# e2e/30-cd-deploy), which the stage runs with the machine's compose (v1.29 here), run again with
# Compose v2.40, the `docker compose` plugin that scripts/ci/provision.sh puts in .tools/docker
# (DOCKER_CONFIG points there for this suite only). Their cases are recorded with the prefix
# "compose v2: ".
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly V2_CONFIG="${TOOLS_DIR:-$REPO_ROOT/.tools}/docker"
readonly SUITES=(20-compose 30-cd-deploy)

# run_under_v2 SUITE: runs one e2e suite with Compose v2 and records its cases, prefixed.
run_under_v2() {
  local suite="$1" report="$TEST_TMP/$1.tsv" tmp="$TEST_TMP/$1" code=0 status name detail
  mkdir -p "$tmp"
  : >"$report"
  DOCKER_CONFIG="$V2_CONFIG" TEST_REPORT="$report" TEST_TMP="$tmp" TEST_SUITE="e2e/$suite" \
    bash "$REPO_ROOT/scripts/tests/e2e/$suite.sh" >"$TEST_TMP/$suite.log" 2>&1 || code=$?
  if [ ! -s "$report" ]; then
    t_fail "compose v2: e2e/$suite" "recorded no test case (exit $code)"
    tail -n 20 "$TEST_TMP/$suite.log" | sed 's/^/        | /'
    return 0
  fi
  while IFS=$'\t' read -r status name detail; do
    case "$status" in
      pass) t_pass "compose v2: $name" ;;
      fail) t_fail "compose v2: $name" "$detail" ;;
      skip) t_skip "compose v2: $name" "$detail" ;;
    esac
  done <"$report"
  if [ "$code" -ne 0 ] && ! grep -q '^fail' "$report"; then
    t_fail "compose v2: e2e/$suite" "exited $code without recording a failure"
  fi
}

main() {
  t_require "compose v2" docker "install Docker (scripts/ci/provision.sh)" || exit 0
  local version
  if ! version="$(DOCKER_CONFIG="$V2_CONFIG" docker compose version --short 2>/dev/null)" || [[ "$version" != 2.* ]]; then
    t_skip "compose v2" "no Compose v2 plugin in $V2_CONFIG/cli-plugins; run scripts/ci/provision.sh tools"
    exit 0
  fi
  # Where the stage itself already ran with v2 (Docker Desktop, GitHub's runners, or
  # scripts/test.sh --compose v2), running the suites again would prove nothing new.
  local default
  if default="$(docker compose version --short 2>/dev/null)" && [[ "$default" == 2.* ]]; then
    t_pass "compose v2: the stage already ran with Compose v$default (the machine's default)"
    exit 0
  fi
  printf '  (Docker Compose %s, DOCKER_CONFIG=%s)\n' "$version" "$V2_CONFIG"
  local suite
  for suite in "${SUITES[@]}"; do
    run_under_v2 "$suite"
  done
}

main "$@"
