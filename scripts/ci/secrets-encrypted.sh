#!/usr/bin/env bash
# Gate (job `secrets`): every file under secrets/ that git tracks or would commit is a
# SOPS-encrypted document (`sops filestatus` says {"encrypted":true}). A plaintext file there
# would be a secret in git: the gate names it and fails; the fix is to encrypt it (and rotate
# what it held, since the history keeps it).
#
# Usage: scripts/ci/secrets-encrypted.sh [CHECKOUT]     (default: this repository)
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
  local checkout="${1:-$REPO_ROOT}" file status count=0
  local -a plaintext=()
  ci_require sops git
  checkout="$(cd "$checkout" && pwd)"
  while IFS= read -r -d '' file; do
    count=$((count + 1))
    status="$(sops --disable-version-check filestatus "$checkout/$file" 2>/dev/null || true)"
    [[ "$status" == *'"encrypted":true'* ]] || plaintext+=("$file")
  done < <(git -C "$checkout" ls-files -z --cached --others --exclude-standard -- secrets/)
  if [ "${#plaintext[@]}" -gt 0 ]; then
    ci_die "not SOPS-encrypted, yet tracked under secrets/: ${plaintext[*]}. Encrypt each (sops encrypt --in-place FILE; .sops.yaml picks the recipients), rotate what it held (it is in the history), see docs/secrets.md"
  fi
  ci_log "$count tracked file(s) under secrets/, all SOPS-encrypted"
}

main "$@"
