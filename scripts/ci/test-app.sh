#!/usr/bin/env bash
# Job `test-app`: the API's unit tests, then its database, black-box and schemathesis tests
# against a PostgreSQL 15 the suites start and stop themselves.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
exec "$REPO_ROOT/scripts/test.sh" --strict --filter '/20-app' unit integration
