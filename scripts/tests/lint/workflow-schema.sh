#!/usr/bin/env bash
# The workflow files against their JSON schemas (check-jsonschema's vendored copies, no network):
# every workflow in .github/workflows/, and .github/dependabot.yml.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

t_require "workflow schema" check-jsonschema "run scripts/ci/provision.sh tools (installs it into .tools/venv)" || exit 0

cd "$REPO_ROOT"
mapfile -t workflows < <(t_repo_files '.github/workflows/*.yml' '.github/workflows/*.yaml')
if [ ${#workflows[@]} -eq 0 ]; then
  t_fail "workflow schema" "no workflow found in .github/workflows/"
  exit 0
fi
for workflow in "${workflows[@]}"; do
  t_run "schema github-workflows: $workflow" check-jsonschema --builtin-schema vendor.github-workflows "$workflow"
done
if [ -f .github/dependabot.yml ]; then
  t_run "schema dependabot: .github/dependabot.yml" check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
else
  t_fail "schema dependabot: .github/dependabot.yml" "missing"
fi
