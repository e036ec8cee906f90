#!/usr/bin/env bash
# Runs shellcheck on every shell script of the repository (tracked or new, not ignored).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

t_require "shellcheck" shellcheck "apt-get install shellcheck" || exit 0

cd "$REPO_ROOT"
mapfile -t scripts < <(t_repo_files '*.sh' '*.bats' '.ci/run')
if [ ${#scripts[@]} -eq 0 ]; then
  t_fail "shellcheck" "no shell script found"
  exit 0
fi
for script in "${scripts[@]}"; do
  t_run "shellcheck: $script" shellcheck --external-sources --source-path=SCRIPTDIR \
    --source-path="$REPO_ROOT" "$script"
done
