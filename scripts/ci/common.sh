# shellcheck shell=bash
# Shared by the CI job scripts in scripts/ci/ (sourced, never run). Each job of
# .github/workflows/ci.yml is a thin call to one of those scripts, and the same script runs on a
# developer machine and under act.
#
# Provides: REPO_ROOT, CI_OUT (the job's output directory: reports, SBOMs, SARIF), the tools of
# scripts/ci/provision.sh on PATH (TOOLS_DIR, default .tools), ci_log, ci_die, ci_online and
# ci_export_tree.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${TOOLS_DIR:-$REPO_ROOT/.tools}"
CI_OUT="${CI_OUT:-$REPO_ROOT/.ci-output}"
export REPO_ROOT TOOLS_DIR CI_OUT
# The Debian docker client (/usr/bin) has BuildKit; /usr/local/bin/docker, when present, has not.
export PATH="$TOOLS_DIR/venv/bin:$TOOLS_DIR/bin:/usr/bin:$PATH"

ci_log() { printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2; }
ci_die() { ci_log "error: $*"; exit 1; }

# ci_online: succeeds on a GitHub-hosted run (not act), where registries, vulnerability
# databases and rule packs can be downloaded. CI_OFFLINE=1 forces the offline mode anywhere.
ci_online() {
  [ "${CI_OFFLINE:-0}" != 1 ] && [ "${GITHUB_ACTIONS:-}" = true ] && [ -z "${ACT:-}" ]
}

# ci_require COMMAND...: stops with a message naming scripts/ci/provision.sh when a tool is missing.
ci_require() {
  local command
  for command in "$@"; do
    command -v "$command" >/dev/null 2>&1 ||
      ci_die "'$command' not found; run scripts/ci/provision.sh tools (pinned in scripts/ci/requirements-*.txt)"
  done
}

# ci_export_tree SOURCE DEST: copies the files of the git checkout SOURCE that git would commit
# (tracked, or new and not ignored) into DEST. Scanners read DEST, so build output, .tools and
# local secrets (all git-ignored) are never scanned nor listed in an SBOM.
ci_export_tree() {
  local source="$1" dest="$2"
  mkdir -p "$dest"
  git -C "$source" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do
      if [ -f "$source/$file" ]; then printf '%s\0' "$file"; fi
    done |
    tar -C "$source" --null -T - -c | tar -C "$dest" -x
}

CI_TEMP_DIRS=()
_ci_cleanup() {
  [ ${#CI_TEMP_DIRS[@]} -eq 0 ] || rm -rf "${CI_TEMP_DIRS[@]}"
}
trap _ci_cleanup EXIT

# ci_temp_dir VAR: creates a temporary directory, removed when the script exits, and stores its
# path in the variable VAR.
ci_temp_dir() {
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX")"
  CI_TEMP_DIRS+=("$dir")
  printf -v "$1" '%s' "$dir"
}
