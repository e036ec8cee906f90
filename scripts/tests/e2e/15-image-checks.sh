#!/usr/bin/env bash
# The image job's checks (scripts/ci/image-checks.sh) on the API image as CI builds it
# (scripts/ci/build-image.sh, saved with docker save): Trivy (offline here: secrets and image
# config), Syft SBOM, container-structure-test (user 65532, entrypoint, port, TZ=UTC, OCI labels
# from the commit, no shell), no setuid file, HEALTHCHECK, dive. Then the same checks on a
# fixture image with a shell, a setuid binary and root as its user, which they must refuse.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/docker.sh
source "$REPO_ROOT/scripts/tests/lib/docker.sh"

readonly API_IMAGE="tasks-e2e/api:checks-$$"
readonly BAD_IMAGE="tasks-e2e/unsafe:checks-$$"
readonly CHECKS="$REPO_ROOT/scripts/ci/image-checks.sh"

cleanup() {
  docker image rm "$API_IMAGE" "$BAD_IMAGE" >/dev/null 2>&1 || true
}

# expect_line NAME LOG ERE: LOG has a line matching ERE.
expect_line() {
  if grep -Eq -- "$3" "$2"; then t_pass "$1"; else t_fail "$1" "no /$3/ in the output"; fi
}

api_image_passes_every_check() {
  local archive="$TEST_TMP/api.tar" log="$TEST_TMP/api-checks.log" started=$SECONDS code=0
  if ! "$REPO_ROOT/scripts/ci/build-image.sh" "$API_IMAGE" "$archive" >"$TEST_TMP/build.log" 2>&1; then
    t_fail "image checks: the API image builds as in CI" "scripts/ci/build-image.sh failed"
    tail -n 20 "$TEST_TMP/build.log" | sed 's/^/        | /'
    return 0
  fi
  t_pass "image checks: the API image builds as in CI ($((SECONDS - started)) s)"
  started=$SECONDS
  CI_OUT="$TEST_TMP/out" "$CHECKS" "$archive" >"$log" 2>&1 || code=$?
  if [ "$code" -eq 0 ]; then
    t_pass "image checks: the API image passes all of them ($((SECONDS - started)) s)"
  else
    t_fail "image checks: the API image passes all of them" "exit $code"
    grep -E 'FAILED|Error|FAIL' "$log" | head -n 20 | sed 's/^/        | /'
  fi
  expect_line "image checks: structure test passes (user, entrypoint, port, TZ=UTC, labels, no shell)" "$log" \
    '^image-checks: ok: structure'
  expect_line "image checks: no setuid or setgid file in the API image" "$log" '^image-checks: ok: no setuid'
  expect_line "image checks: dive finds the layers efficient" "$log" '^image-checks: ok: dive'
  if [ -s "$TEST_TMP/out/sbom-image.spdx.json" ] && [ -s "$TEST_TMP/out/sbom-image.cdx.json" ] &&
    [ -s "$TEST_TMP/out/trivy-image.sarif" ]; then
    t_pass "image checks: SBOMs (SPDX, CycloneDX) and the Trivy SARIF are written"
  else
    t_fail "image checks: SBOMs (SPDX, CycloneDX) and the Trivy SARIF are written" "$(find "$TEST_TMP/out" -type f -printf '%f ' 2>&1)"
  fi
}

unsafe_image_is_refused() {
  local context="$TEST_TMP/unsafe" log="$TEST_TMP/unsafe-checks.log" code=0
  mkdir -p "$context"
  printf '#!/bin/false\n' >"$context/sh"
  printf 'not really a tool\n' >"$context/tool"
  chmod 0755 "$context/sh"
  chmod 4755 "$context/tool"
  printf '%s\n' 'FROM scratch' 'COPY sh /bin/sh' 'COPY tool /usr/local/bin/tool' 'USER root' \
    'ENTRYPOINT ["/bin/sh"]' >"$context/Dockerfile"
  if ! docker build -q -t "$BAD_IMAGE" "$context" >"$TEST_TMP/unsafe-build.log" 2>&1 ||
    ! docker save -o "$TEST_TMP/unsafe.tar" "$BAD_IMAGE"; then
    t_fail "image checks: the unsafe fixture image builds" "$(tail -n 3 "$TEST_TMP/unsafe-build.log" | tr '\n' ' ')"
    return 0
  fi
  CI_OUT="$TEST_TMP/unsafe-out" "$CHECKS" "$TEST_TMP/unsafe.tar" >"$log" 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then
    t_pass "image checks: an image with a shell, a setuid file and USER root is refused"
  else
    t_fail "image checks: an image with a shell, a setuid file and USER root is refused" "exit 0"
  fi
  expect_line "image checks: container-structure-test fails on the shell" "$log" 'File /bin/sh should not exist but does'
  expect_line "image checks: container-structure-test fails on the root user" "$log" 'Image user root does not match'
  expect_line "image checks: the setuid binary is named" "$log" '^-rws.* usr/local/bin/tool$'
  expect_line "image checks: the missing HEALTHCHECK fails" "$log" '^image-checks: FAILED: HEALTHCHECK'
}

main() {
  docker_require "image checks" || exit 0
  local tool
  for tool in trivy syft container-structure-test dive; do
    t_require "image checks: $tool" "$tool" "run scripts/ci/provision.sh tools" || exit 0
  done
  trap cleanup EXIT
  unsafe_image_is_refused
  api_image_passes_every_check
}

main "$@"
