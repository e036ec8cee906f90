#!/usr/bin/env bash
# Job `act`: the workflow file executed by nektos/act on the runner (the act suites of the lint
# stage): validation, the job graph, a dry run of every job, and real runs of the jobs lint,
# scan, sbom, sast and secrets with local stand-ins for the remote actions. It needs a Docker
# engine (for the dry run), hence a job of its own on the host.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
exec "$REPO_ROOT/scripts/test.sh" --strict --filter '^lint/act-' lint
