#!/usr/bin/env bash
# The API's database tests (TasksAPIDatabaseTests: migrations, store, HTTP over PostgreSQL) against
# a throwaway PostgreSQL 15 started here, in a fresh database.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/postgres.sh
source "$REPO_ROOT/scripts/tests/lib/postgres.sh"
# shellcheck source=scripts/tests/lib/app.sh
source "$REPO_ROOT/scripts/tests/lib/app.sh"

main() {
  t_require "app db tests" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  pg_require "app db tests" || exit 0
  trap pg_cleanup EXIT
  if ! pg_start; then
    t_fail "app db tests: start PostgreSQL" "see the log above"
    exit 0
  fi
  app_build || exit 0
  TEST_DATABASE_HOST="$PG_HOST" TEST_DATABASE_PORT="$PG_PORT" TEST_DATABASE_NAME="$PG_DATABASE" \
    TEST_DATABASE_USER="$PG_USER" TEST_DATABASE_PASSWORD="$PG_PASSWORD" \
    t_swift_test "app db" "$APP_PACKAGE" --skip-build --filter TasksAPIDatabaseTests
}

main "$@"
