#!/usr/bin/env bash
# Job `lint`: the lint stage of scripts/test.sh (swift format, shellcheck, hadolint, yamllint,
# actionlint, zizmor, JSON schemas of the workflow files, the workflow policy, act's validation
# and dry run, the gates' failing fixtures, and act runs of the jobs that run here).
#
# Under act (ACT=true) the act suites are left out: act does not run inside act, and the outer
# run is the one that tests them. On GitHub the lint job leaves them out too
# (CI_LINT_EXCLUDE='^lint/act-'): they need a Docker engine, which its Swift container has not,
# and the `act` job runs them on the host (scripts/ci/act.sh). CI_LINT_FILTER (a --filter
# regex) narrows the stage: the act test of this job sets it, since the outer run has already
# run every suite of the stage.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

exclude="${CI_LINT_EXCLUDE:-}"
[ -z "${ACT:-}" ] || exclude="^lint/act-${exclude:+|$exclude}"
args=(--strict)
[ -z "$exclude" ] || args+=(--exclude "$exclude")
[ -z "${CI_LINT_FILTER:-}" ] || args+=(--filter "$CI_LINT_FILTER")
exec "$REPO_ROOT/scripts/test.sh" "${args[@]}" lint
