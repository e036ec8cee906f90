#!/usr/bin/env bash
# Job `secrets`: gitleaks on the full git history of a checkout (every commit reachable from any
# ref, so a secret committed then deleted is still found), then on the working tree's files that
# git would commit (a secret not committed yet). Fails on any finding; the report redacts the
# secrets it names.
#
# Usage: scripts/ci/secrets.sh [CHECKOUT]     (default: this repository)
# Writes $CI_OUT/gitleaks-history.sarif and $CI_OUT/gitleaks-tree.sarif. Needs the full history:
# on GitHub the checkout step uses fetch-depth: 0.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
  local checkout="${1:-$REPO_ROOT}"
  ci_require gitleaks git
  checkout="$(cd "$checkout" && pwd)"
  mkdir -p "$CI_OUT"
  [ "$(git -C "$checkout" rev-parse --is-shallow-repository)" = false ] ||
    ci_die "$checkout is a shallow clone: the history scan needs every commit (checkout with fetch-depth: 0)"

  local -a common=(--no-banner --no-color --verbose --redact --exit-code 1 --report-format sarif)
  [ ! -f "$checkout/.gitleaks.toml" ] || common+=(--config "$checkout/.gitleaks.toml")
  local commits status=0
  commits="$(git -C "$checkout" rev-list --all | wc -l)"
  ci_log "history: $commits commits"
  gitleaks git "${common[@]}" --log-opts="--all" \
    --report-path "$CI_OUT/gitleaks-history.sarif" "$checkout" || status=1

  local tree
  ci_temp_dir tree
  ci_export_tree "$checkout" "$tree"
  gitleaks dir "${common[@]}" --report-path "$CI_OUT/gitleaks-tree.sarif" "$tree" || status=1

  [ "$status" -eq 0 ] ||
    ci_die "gitleaks found secrets in $checkout (above): remove them, rotate them, and rewrite or revert the commits"
  ci_log "no secret in $commits commits nor in the working tree"
}

main "$@"
