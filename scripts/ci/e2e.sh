#!/usr/bin/env bash
# Job `e2e`: the e2e stage of scripts/test.sh on the runner's Docker engine (images, compose
# stack, deploy_local.sh twice, rollback.sh, reldash against real deployments, image structure).
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
exec "$REPO_ROOT/scripts/test.sh" --strict e2e
