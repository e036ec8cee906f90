#!/usr/bin/env bash
# Prints the API image's build arguments, taken from the commit, as a GitHub Actions step output
# named build-args (a multi-line value): VERSION (app/VERSION), GIT_COMMIT, CREATED (the commit's
# date, so a rebuild of the same commit gets the same label) and SOURCE_URL.
# The job build-image appends it to $GITHUB_OUTPUT; scripts/ci/build-image.sh reads it too.
set -Eeuo pipefail
# shellcheck source=scripts/ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
  local commit created version source delimiter
  commit="$(git -C "$REPO_ROOT" rev-parse HEAD)"
  created="$(TZ=UTC git -C "$REPO_ROOT" log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ "$commit")"
  version="$(cat "$REPO_ROOT/app/VERSION")"
  source="${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_REPOSITORY:-local/tasks-api}"
  delimiter="build_args_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf 'build-args<<%s\n' "$delimiter"
  printf 'VERSION=%s\nGIT_COMMIT=%s\nCREATED=%s\nSOURCE_URL=%s\n' "$version" "$commit" "$created" "$source"
  printf '%s\n' "$delimiter"
}

main "$@"
