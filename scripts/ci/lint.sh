#!/usr/bin/env bash
# Job `lint`: the lint stage of scripts/test.sh (swift format, shellcheck, hadolint, yamllint,
# actionlint, zizmor, JSON schemas of the workflow files, the workflow policy, act's validation
# and dry run, the gates' failing fixtures, and act runs of the jobs that run here).
#
# Under act (ACT=true) the act suites are left out: act does not run inside act, and the outer
# run is the one that tests them. CI_LINT_FILTER (a --filter regex) narrows the stage: the act
# test of this job sets it, since the outer run has already run every suite of the stage.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

args=(--strict)
[ -z "${ACT:-}" ] || args+=(--exclude '^lint/act-')
[ -z "${CI_LINT_FILTER:-}" ] || args+=(--filter "$CI_LINT_FILTER")
exec "$REPO_ROOT/scripts/test.sh" "${args[@]}" lint
