#!/usr/bin/env bash
# Job `image`: checks of a built API image, read from its `docker save` archive:
#   - Trivy: fixable CRITICAL/HIGH vulnerabilities fail (on GitHub; offline here the database
#     cannot be downloaded, so only secrets and misconfigurations of the image are scanned);
#   - Syft: SBOMs (SPDX, CycloneDX) of the image;
#   - container-structure-test (scripts/ci/image/structure.yaml): user, entrypoint, cmd, port,
#     TZ=UTC, OCI labels, no shell, no package manager;
#   - no setuid/setgid file anywhere, and a HEALTHCHECK in exec form;
#   - dive (scripts/ci/image/dive-ci.yaml): layer efficiency and wasted bytes.
# Every check runs; the script fails when any failed, naming them.
#
# Usage: scripts/ci/image-checks.sh ARCHIVE.tar     (loaded into the engine for the structure test)
# Writes $CI_OUT/trivy-image.json and .sarif, $CI_OUT/sbom-image.spdx.json and .cdx.json.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

readonly CHECKS_DIR="$REPO_ROOT/scripts/ci/image"
FAILED=()

# check NAME CMD...: runs one check, records its failure without stopping the others.
check() {
  local name="$1"
  shift
  ci_log "--- $name"
  if "$@"; then
    ci_log "ok: $name"
  else
    ci_log "FAILED: $name"
    FAILED+=("$name")
  fi
}

trivy_image() {
  local archive="$1" report="$CI_OUT/trivy-image.json"
  local -a args=(image --input "$archive" --quiet --ignore-unfixed)
  [ ! -f "$REPO_ROOT/.trivyignore.yaml" ] || args+=(--ignorefile "$REPO_ROOT/.trivyignore.yaml")
  if ci_online; then
    args+=(--scanners "vuln,secret" --image-config-scanners "misconfig,secret")
  else
    ci_log "offline: vulnerability database unavailable, scanning secrets and the image config only"
    args+=(--skip-db-update --skip-check-update --offline-scan --scanners secret
      --image-config-scanners "misconfig,secret")
  fi
  trivy "${args[@]}" --format json --output "$report" &&
    trivy convert --format sarif --output "$CI_OUT/trivy-image.sarif" "$report" &&
    trivy convert --format table --severity "HIGH,CRITICAL" --exit-code 1 "$report"
}

structure() {
  local image="$1"
  container-structure-test test --image "$image" --config "$CHECKS_DIR/structure.yaml" --no-color
}

# no_setuid_files IMAGE: lists the image's files with the setuid or setgid bit (none allowed).
# Directories are left out: setgid on a directory only makes new files inherit its group
# (Debian ships /var/local that way), it grants no privilege.
no_setuid_files() {
  local image="$1" container listing found
  container="$(docker create "$image")"
  listing="$(docker export "$container" | tar -tv)"
  docker rm -v "$container" >/dev/null
  found="$(awk 'substr($1, 1, 1) != "d" && (substr($1, 4, 1) ~ /[sS]/ || substr($1, 7, 1) ~ /[sS]/)' <<<"$listing")"
  [ -z "$found" ] && return 0
  printf '%s\n' "$found" >&2
  return 1
}

healthcheck_exec_form() {
  local image="$1" test
  test="$(docker image inspect -f '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}' "$image")"
  ci_log "HEALTHCHECK: ${test:-none}"
  [[ "$test" == '["CMD",'* ]]
}

efficiency() {
  local archive="$1"
  CI=true dive --ci --ci-config "$CHECKS_DIR/dive-ci.yaml" --source docker-archive "$archive"
}

main() {
  { [ $# -eq 1 ] && [ -f "$1" ]; } || ci_die "usage: scripts/ci/image-checks.sh ARCHIVE.tar (from docker save)"
  local archive="$1" image
  ci_require trivy syft container-structure-test dive docker
  mkdir -p "$CI_OUT"
  image="$(docker load --input "$archive" | sed -n 's/^Loaded image: //p; s/^Loaded image ID: //p' | tail -n 1)"
  [ -n "$image" ] || ci_die "docker load read no image from $archive"
  ci_log "image: $image"

  check "trivy: no fixable HIGH/CRITICAL vulnerability, secret or misconfiguration" trivy_image "$archive"
  check "syft: SBOM of the image" "$REPO_ROOT/scripts/ci/sbom.sh" image "$archive"
  check "structure: user, entrypoint, port, TZ, labels, no shell" structure "$image"
  check "no setuid or setgid file" no_setuid_files "$image"
  check "HEALTHCHECK in exec form" healthcheck_exec_form "$image"
  check "dive: layer efficiency" efficiency "$archive"

  [ ${#FAILED[@]} -eq 0 ] || ci_die "${#FAILED[@]} image check(s) failed: $(printf '%s; ' "${FAILED[@]}")"
  ci_log "all image checks passed for $image"
}

main "$@"
