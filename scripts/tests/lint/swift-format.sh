#!/usr/bin/env bash
# swift format lint --strict on both Swift packages (the dashboard at the root, the API in app/).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

lint_package() {
  local name="$1"
  shift
  local -a paths=()
  local path
  for path in "$@"; do
    [ -e "$REPO_ROOT/$path" ] && paths+=("$REPO_ROOT/$path")
  done
  if [ ${#paths[@]} -eq 0 ]; then
    t_fail "swift format: $name" "no Swift source found in: $*"
    return 0
  fi
  t_run "swift format: $name" swift format lint --strict --recursive --parallel \
    --configuration "$REPO_ROOT/.swift-format" "${paths[@]}"
}

t_require "swift format" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
lint_package "app" app/Package.swift app/Sources app/Tests
lint_package "reldash" Package.swift Sources Tests
