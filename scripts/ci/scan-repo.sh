#!/usr/bin/env bash
# Job `scan` (repository part): Trivy on the files of a checkout: secrets, misconfigurations
# (Dockerfiles; Trivy has no compose scanner) and, where its database can be downloaded,
# vulnerable dependencies (Package.resolved). Fails on any HIGH or CRITICAL finding not excepted
# in .trivyignore.yaml (each exception has a statement and an expiry date).
#
# Usage: scripts/ci/scan-repo.sh [CHECKOUT]     (default: this repository)
# Writes $CI_OUT/trivy-fs.sarif (for GitHub code scanning) and prints a table.
# Offline (here, and under act) the vulnerability database cannot be downloaded: Trivy then runs
# with --skip-db-update --skip-check-update --offline-scan and the secret and misconfiguration
# scanners only (their checks are embedded in the binary). On GitHub all three scanners run.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
  local checkout="${1:-$REPO_ROOT}"
  ci_require trivy git
  checkout="$(cd "$checkout" && pwd)"
  local tree
  ci_temp_dir tree
  ci_export_tree "$checkout" "$tree"
  mkdir -p "$CI_OUT"

  local -a args=(fs --quiet --ignore-unfixed)
  [ ! -f "$checkout/.trivyignore.yaml" ] || args+=(--ignorefile "$checkout/.trivyignore.yaml")
  if ci_online; then
    args+=(--scanners "vuln,secret,misconfig")
  else
    ci_log "offline: vulnerability database unavailable, scanning secrets and misconfigurations only"
    args+=(--skip-db-update --skip-check-update --offline-scan --scanners "secret,misconfig")
  fi
  # One scan (every severity, JSON), then two reports from it: SARIF for code scanning, and the
  # gate: a table of the HIGH and CRITICAL findings, non-zero when there is any.
  local report="$tree.trivy.json"
  trivy "${args[@]}" --format json --output "$report" "$tree"
  trivy convert --format sarif --output "$CI_OUT/trivy-fs.sarif" "$report"
  if trivy convert --format table --severity "HIGH,CRITICAL" --exit-code 1 "$report"; then
    ci_log "no HIGH or CRITICAL finding in $checkout"
  else
    ci_die "Trivy found HIGH or CRITICAL issues in $checkout (table above; fix them, or add a dated exception with a reason to .trivyignore.yaml)"
  fi
}

main "$@"
