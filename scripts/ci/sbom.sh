#!/usr/bin/env bash
# Job `sbom` (and the image part of job `image`): Syft SBOMs in SPDX and CycloneDX (JSON).
#
# Usage: scripts/ci/sbom.sh source [CHECKOUT]   the files git would commit (Swift packages from
#                                               Package.swift/Package.resolved, workflow actions)
#        scripts/ci/sbom.sh image ARCHIVE.tar   an image saved with `docker save` (no engine needed)
# Writes $CI_OUT/sbom-<kind>.spdx.json and $CI_OUT/sbom-<kind>.cdx.json, and fails when Syft
# fails or an SBOM lists no package at all (an empty SBOM is a broken catalogue, not a clean one).
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() {
  sed -n 's/^# Usage: /         /p; s/^#        /         /p' "$0" >&2
  exit 2
}

# count_packages SPDX_FILE: prints how many packages the SPDX document lists.
count_packages() {
  python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1])).get("packages", [])))' "$1"
}

main() {
  [ $# -ge 1 ] || usage
  local kind="$1" source
  ci_require syft git python3
  mkdir -p "$CI_OUT"
  case "$kind" in
    source)
      local checkout="${2:-$REPO_ROOT}"
      ci_temp_dir source
      ci_export_tree "$(cd "$checkout" && pwd)" "$source"
      source="dir:$source"
      ;;
    image)
      { [ $# -eq 2 ] && [ -f "$2" ]; } || ci_die "image: give the path of a 'docker save' archive"
      source="docker-archive:$2"
      ;;
    *) usage ;;
  esac
  local spdx="$CI_OUT/sbom-$kind.spdx.json" cdx="$CI_OUT/sbom-$kind.cdx.json"
  SYFT_CHECK_FOR_APP_UPDATE=false syft scan --quiet "$source" \
    --source-name "tasks-$kind" -o "spdx-json=$spdx" -o "cyclonedx-json=$cdx"
  local count
  count="$(count_packages "$spdx")"
  [ "$count" -gt 0 ] || ci_die "Syft listed no package for $kind: the catalogue is broken"
  ci_log "$kind: $count packages -> ${spdx#"$REPO_ROOT"/}, ${cdx#"$REPO_ROOT"/}"
}

main "$@"
