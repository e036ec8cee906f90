#!/usr/bin/env bash
# zizmor (GitHub Actions security audit, offline) on .github/: no finding at any severity.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

t_require "zizmor" zizmor "run scripts/ci/provision.sh tools (installs zizmor into .tools/venv)" || exit 0

cd "$REPO_ROOT"
if [ -z "$(t_repo_files '.github/*.yml' '.github/**/*.yml')" ]; then
  t_fail "zizmor" "nothing to audit in .github/"
  exit 0
fi
t_run "zizmor: .github/ has no finding (offline audits)" zizmor --offline --no-progress --color never .github/
