#!/usr/bin/env bash
# The API's unit tests (no database): builds app/ in debug with its tests, runs the TasksAPITests
# target, and checks that the database tests cannot pass without a database.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/app.sh
source "$REPO_ROOT/scripts/tests/lib/app.sh"

# The database tests must fail, not pass or skip, when TEST_DATABASE_* is absent.
check_database_tests_refuse_to_run_without_a_database() {
  local name="app: database tests fail loudly without TEST_DATABASE_*" log="$TEST_TMP/db-guard.log"
  if env -u TEST_DATABASE_HOST -u TEST_DATABASE_PORT -u TEST_DATABASE_NAME -u TEST_DATABASE_USER \
    -u TEST_DATABASE_PASSWORD swift test --package-path "$APP_PACKAGE" --skip-build \
    --filter 'TasksAPIDatabaseTests.EnvironmentGuardTests' >"$log" 2>&1; then
    t_fail "$name" "the database tests passed without a database"
  elif grep -q 'database tests need TEST_DATABASE_HOST' "$log"; then
    t_pass "$name"
  else
    app_fail "$name" "they failed, but without naming the missing variables" 20 "$log"
  fi
}

check_version_file() {
  local version
  version="$(cat "$APP_PACKAGE/VERSION")"
  if [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] && [ "$(wc -l <"$APP_PACKAGE/VERSION")" -eq 1 ]; then
    t_pass "app: VERSION is one semantic version line ($version)"
  else
    t_fail "app: VERSION is one semantic version line" "got '$version'"
  fi
}

main() {
  t_require "app unit tests" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  check_version_file
  app_build || exit 0
  t_swift_test "app unit" "$APP_PACKAGE" --skip-build --filter TasksAPITests
  check_database_tests_refuse_to_run_without_a_database
}

main "$@"
