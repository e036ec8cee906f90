#!/usr/bin/env bash
# Job `sast`: Semgrep with the project's own rules (.semgrep/: no `latest` tag, no root USER, no
# eval or `sh -c "$var"` in scripts, no secret in logs, no untrusted input in workflow run:
# scripts, every `uses:` pinned), and on GitHub the registry packs for Dockerfiles and GitHub
# Actions too (they need the network). Fails on any finding.
#
# Usage: scripts/ci/sast.sh [CHECKOUT]     (default: this repository)
# Writes $CI_OUT/semgrep.sarif. Rules always come from this repository's .semgrep/, so a checkout
# under test cannot switch them off.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

readonly REGISTRY_PACKS=(p/dockerfile p/github-actions)

main() {
  local checkout="${1:-$REPO_ROOT}"
  ci_require semgrep git
  checkout="$(cd "$checkout" && pwd)"
  mkdir -p "$CI_OUT"
  local tree
  ci_temp_dir tree
  ci_export_tree "$checkout" "$tree"

  local -a args=(scan --metrics=off --disable-version-check --error --quiet --config "$REPO_ROOT/.semgrep/"
    --sarif-output="$CI_OUT/semgrep.sarif" --text)
  local pack
  if ci_online; then
    for pack in "${REGISTRY_PACKS[@]}"; do args+=(--config "$pack"); done
  else
    ci_log "offline: registry packs (${REGISTRY_PACKS[*]}) skipped; project rules only"
  fi
  # Semgrep reads the exported copy, which is not a git checkout: it scans every file in it.
  if (cd "$tree" && SEMGREP_SEND_METRICS=off semgrep "${args[@]}" .); then
    ci_log "no finding in $checkout"
  else
    ci_die "Semgrep found issues in $checkout (above); rules in .semgrep/"
  fi
}

main "$@"
