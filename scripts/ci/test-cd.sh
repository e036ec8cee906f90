#!/usr/bin/env bash
# Job `test-cd`: unit tests of the deployment library and scripts (fakes, no Docker).
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
exec "$REPO_ROOT/scripts/test.sh" --strict --filter '/30-cd' unit
