#!/usr/bin/env bash
# Job `test-reldash`: the dashboard's unit tests and its tests against a real Prometheus.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
exec "$REPO_ROOT/scripts/test.sh" --strict --filter '/40-reldash' unit integration
