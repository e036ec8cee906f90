#!/usr/bin/env bash
# Job `lint`: the lint stage of scripts/test.sh (swift format, shellcheck, hadolint, yamllint,
# actionlint, zizmor, JSON schemas of the workflow files, the workflow policy, act's validation
# and dry run, the gates' failing fixtures, and act runs of the jobs that run here).
# Under act (ACT=true) the act suites are left out: act does not run inside act, and the outer
# run is the one that tests them.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ -n "${ACT:-}" ]; then
  exec "$REPO_ROOT/scripts/test.sh" --strict --exclude '^lint/act-' lint
fi
exec "$REPO_ROOT/scripts/test.sh" --strict lint
