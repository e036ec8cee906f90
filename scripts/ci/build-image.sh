#!/usr/bin/env bash
# The API image as the build-image job makes it (same Dockerfile, same build arguments from
# scripts/ci/image-build-args.sh), for a developer machine or a test: docker build, then
# `docker save` to ARCHIVE for scripts/ci/image-checks.sh. On GitHub the job uses
# docker/build-push-action instead, for its GitHub Actions layer cache.
#
# Usage: scripts/ci/build-image.sh TAG ARCHIVE.tar
# Machines with no registry: the local base images (.tools/local-images.env, written by
# scripts/images/build-local-base-images.sh) replace SWIFT_IMAGE and RUNTIME_IMAGE.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=scripts/lib/local_images.sh
source "$REPO_ROOT/scripts/lib/local_images.sh"

main() {
  [ $# -eq 2 ] || ci_die "usage: scripts/ci/build-image.sh TAG ARCHIVE.tar"
  local tag="$1" archive="$2" line
  ci_require docker git
  load_local_images "$REPO_ROOT"
  local -a args=()
  while IFS= read -r line; do
    [[ "$line" == *=* ]] && args+=(--build-arg "$line")
  done < <("$REPO_ROOT/scripts/ci/image-build-args.sh" | sed '1d;$d')
  [ -z "${SWIFT_IMAGE:-}" ] || args+=(--build-arg "SWIFT_IMAGE=$SWIFT_IMAGE")
  [ -z "${RUNTIME_IMAGE:-}" ] || args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")
  DOCKER_BUILDKIT=1 docker build "${args[@]}" -t "$tag" "$REPO_ROOT"
  docker save -o "$archive" "$tag"
  ci_log "$tag saved to $archive ($(($(stat -c %s "$archive") / 1000000)) MB)"
}

main "$@"
