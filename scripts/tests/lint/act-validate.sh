#!/usr/bin/env bash
# The workflow as act reads it: `act --validate --strict` accepts ci.yml and refuses a typo;
# the job graph is the designed one (every job in the first stage, only `image` waits, for the
# image artifact of `build-image`); a dry run (-n) of the whole graph for a pull request walks
# every job and every step, with the remote actions replaced by the local stand-ins (a dry run
# needs a Docker engine to answer, not an image).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/act.sh
source "$REPO_ROOT/scripts/tests/lib/act.sh"

# The designed graph: job -> stage (0: starts at once; 1: after the artifact it needs).
readonly EXPECTED_STAGES="act=0 build-image=0 e2e=0 image=1 lint=0 sast=0 sbom=0 scan=0 secrets=0 test-app=0 test-cd=0 test-reldash=0"
# Dry runs create no container, so the platform image needs not exist (act only needs an
# engine to talk to); with the host platform (-self-hosted), act 0.2.89 runs the steps even
# under -n.
readonly DRY_RUN_PLATFORM="act-dry-run/no-container:none"

validate_accepts_the_workflow() {
  t_run "act --validate --strict accepts ci.yml" \
    env XDG_CACHE_HOME="$TEST_TMP/act-cache" act --validate --strict -W "$ACT_WORKFLOW"
}

validate_refuses_a_typo() {
  local fixture="$TEST_TMP/typo.yml" code=0
  sed 's/^    timeout-minutes: 20$/    timeout-minute: 20/' "$ACT_WORKFLOW" >"$fixture"
  if cmp -s "$fixture" "$ACT_WORKFLOW"; then
    t_fail "act --validate --strict refuses an unknown job key" "no 'timeout-minutes: 20' line to break in ci.yml"
    return 0
  fi
  XDG_CACHE_HOME="$TEST_TMP/act-cache" act --validate --strict -W "$fixture" >"$TEST_TMP/typo.log" 2>&1 || code=$?
  if [ "$code" -ne 0 ] && grep -q 'timeout-minute' "$TEST_TMP/typo.log"; then
    t_pass "act --validate --strict refuses an unknown job key (timeout-minute)"
  else
    t_fail "act --validate --strict refuses an unknown job key (timeout-minute)" "exit $code"
    tail -n 10 "$TEST_TMP/typo.log" | sed 's/^/        | /'
  fi
}

graph_is_the_designed_one() {
  local stages
  stages="$(XDG_CACHE_HOME="$TEST_TMP/act-cache" act -l -W "$ACT_WORKFLOW" 2>/dev/null |
    awk 'NR > 1 && NF > 0 { print $2 "=" $1 }' | sort | tr '\n' ' ')"
  if [ "${stages% }" = "$EXPECTED_STAGES" ]; then
    t_pass "job graph: every job starts at once except image, which needs build-image's artifact"
  else
    t_fail "job graph: every job starts at once except image, which needs build-image's artifact" \
      "got: ${stages% }; want: $EXPECTED_STAGES"
  fi
}

dry_run_walks_every_job() {
  local -a args=()
  local log="$TEST_TMP/dry-run.log" code=0 job succeeded missing=()
  if ! act_args args "$DRY_RUN_PLATFORM"; then
    t_fail "dry run: every job of a pull request succeeds" "a remote action has no stand-in (see above)"
    return 0
  fi
  act_run "$log" "${args[@]}" -n --pull=false || code=$?
  for job in $EXPECTED_STAGES; do
    job="${job%=*}"
    succeeded="$(grep -cE "\[CI/$job *\] +🏁 +Job succeeded" "$log" || true)"
    [ "$succeeded" = 1 ] || missing+=("$job")
  done
  local built started
  built="$(grep -nE '\[CI/build-image *\] +🏁 +Job succeeded' "$log" | cut -d: -f1 | sed -n 1p || true)"
  started="$(grep -nE '\[CI/image *\]' "$log" | cut -d: -f1 | sed -n 1p || true)"
  if [ -z "$built" ] || [ -z "$started" ] || [ "$started" -lt "$built" ]; then
    missing+=("image-after-build-image")
  fi
  if [ "$code" -eq 0 ] && [ ${#missing[@]} -eq 0 ]; then
    t_pass "dry run (-n): all 12 jobs of a pull request run to success, in graph order"
  else
    t_fail "dry run (-n): all 12 jobs of a pull request run to success, in graph order" \
      "exit $code; not succeeded: ${missing[*]:-none}"
    grep -E 'Failure|Error|error:' "$log" | head -n 20 | sed 's/^/        | /'
  fi
}

main() {
  act_require "act validate" || exit 0
  validate_accepts_the_workflow
  validate_refuses_a_typo
  graph_is_the_designed_one
  dry_run_walks_every_job
}

main "$@"
