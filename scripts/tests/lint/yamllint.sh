#!/usr/bin/env bash
# yamllint (rules in .yamllint.yml) on every YAML file of the repository.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

t_require "yamllint" yamllint "run scripts/ci/provision.sh (installs it into .tools/venv)" || exit 0

cd "$REPO_ROOT"
mapfile -t files < <(t_repo_files '*.yml' '*.yaml' '.yamllint')
if [ ${#files[@]} -eq 0 ]; then
  t_fail "yamllint" "no YAML file found"
  exit 0
fi
for file in "${files[@]}"; do
  t_run "yamllint: $file" yamllint --strict --config-file .yamllint.yml "$file"
done
