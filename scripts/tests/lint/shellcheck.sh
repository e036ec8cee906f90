#!/usr/bin/env bash
# Runs shellcheck on every shell script of the repository (tracked or new, not ignored): one
# run per script, so that each script is a test case, as many runs at once as there are cores
# (each run parses the libraries its script sources: 127 scripts took 179 s one after the other
# on 2 cores in CI).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

t_require "shellcheck" shellcheck "apt-get install shellcheck" || exit 0

cd "$REPO_ROOT"
mapfile -t scripts < <(t_repo_files '*.sh' '*.bats' '.ci/run')
if [ ${#scripts[@]} -eq 0 ]; then
  t_fail "shellcheck" "no shell script found"
  exit 0
fi
readonly RESULTS="$TEST_TMP/shellcheck"
mkdir -p "$RESULTS"
# Each script's output goes to RESULTS/<index>.log and its exit code to RESULTS/<index>.code.
# shellcheck disable=SC2016 # the inner shell expands its own positional parameters
for index in "${!scripts[@]}"; do printf '%s\0%s\0' "$index" "${scripts[$index]}"; done |
  xargs -0 -n 2 -P "$(nproc)" sh -c 'shellcheck --external-sources --source-path=SCRIPTDIR \
    --source-path="$2" "$4" >"$1/$3.log" 2>&1; echo $? >"$1/$3.code"' shellcheck-one "$RESULTS" "$REPO_ROOT" || true
for index in "${!scripts[@]}"; do
  code="$(cat "$RESULTS/$index.code" 2>/dev/null || printf 'none')"
  if [ "$code" = 0 ]; then
    t_pass "shellcheck: ${scripts[$index]}"
  else
    t_fail "shellcheck: ${scripts[$index]}" "exit $code"
    tail -n 60 "$RESULTS/$index.log" 2>/dev/null | sed 's/^/        | /'
  fi
done
