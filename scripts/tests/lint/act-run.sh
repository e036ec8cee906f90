#!/usr/bin/env bash
# A real run of .github/workflows/ci.yml with act, on this host, for a pull request: the jobs
# that can run here (lint, scan with the local Trivy, sbom with Syft, sast with Semgrep and the
# .semgrep/ rules, secrets with gitleaks) run their steps for real, on a copy of the checkout
# that act makes; remote actions are the local stand-ins, the SARIF upload steps are skipped
# (`!env.ACT`). Checks that each job succeeds and leaves the artifacts its upload step names.
#
# The lint job runs only the quick suites of its stage under act (CI_LINT_FILTER): this outer
# lint stage runs all of them already; what the act run adds is the job itself (host instead of
# container, provisioning step, script). ACT_RUN_JOBS overrides the list of jobs.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/act.sh
source "$REPO_ROOT/scripts/tests/lib/act.sh"

read -r -a JOBS <<<"${ACT_RUN_JOBS:-lint scan sbom sast secrets}"
readonly JOBS
readonly LINT_UNDER_ACT='^lint/(hadolint|yamllint|actionlint|zizmor|workflow-)'

# Artifact files each job must upload (relative to $ACT_ARTIFACTS_DIR).
expected_artifacts() {
  case "$1" in
    scan) printf '%s\n' scan-reports/.ci-output/trivy-fs.sarif ;;
    sbom) printf '%s\n' sbom-source/.ci-output/sbom-source.spdx.json sbom-source/.ci-output/sbom-source.cdx.json ;;
    sast) printf '%s\n' sast-reports/.ci-output/semgrep.sarif ;;
    secrets) printf '%s\n' secrets-reports/.ci-output/gitleaks-history.sarif secrets-reports/.ci-output/gitleaks-tree.sarif ;;
  esac
}

# run_job JOB: runs one job with act; records it; checks its artifacts.
run_job() {
  local job="$1" log="$TEST_TMP/act-$1.log" code=0 started=$SECONDS
  local -a args=()
  if ! act_args args; then
    t_fail "act run: $job" "a remote action has no stand-in (see above)"
    return 0
  fi
  [ "$job" != lint ] || args+=(--env "CI_LINT_FILTER=$LINT_UNDER_ACT")
  act_run "$log" "${args[@]}" -j "$job" || code=$?
  if [ "$code" -eq 0 ] && grep -qE "\[CI/$job *\] +🏁 +Job succeeded" "$log"; then
    t_pass "act run: job $job succeeds on this host ($((SECONDS - started)) s)"
  else
    t_fail "act run: job $job succeeds on this host" "act exit $code after $((SECONDS - started)) s"
    grep -E '❌|Error|error:|FAIL' "$log" | head -n 20 | sed 's/^/        | /'
    tail -n 20 "$log" | sed 's/^/        | /'
    return 0
  fi
  if [ "$job" = lint ]; then
    local summary
    summary="$(grep -oE '[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -n 1)"
    if [[ "$summary" =~ ^[1-9][0-9]*\ passed,\ 0\ failed,\ 0\ skipped$ ]]; then
      t_pass "act run: job lint ran its stage's suites ($summary)"
    else
      t_fail "act run: job lint ran its stage's suites" "summary: '${summary:-none}'"
    fi
  fi
  local file missing=()
  while IFS= read -r file; do
    [ -s "$ACT_ARTIFACTS_DIR/$file" ] || missing+=("$file")
  done < <(expected_artifacts "$job")
  if [ -n "$(expected_artifacts "$job")" ]; then
    if [ ${#missing[@]} -eq 0 ]; then
      t_pass "act run: job $job uploads its reports ($(expected_artifacts "$job" | xargs -n1 basename | tr '\n' ' '))"
    else
      t_fail "act run: job $job uploads its reports" "missing: ${missing[*]}"
    fi
  fi
}

# The SARIF upload of a same-repository pull request is skipped under act, not attempted.
sarif_upload_skipped() {
  local log="$TEST_TMP/act-scan.log"
  [ -f "$log" ] || return 0
  if grep -q 'Upload to code scanning' "$log" && ! grep -qE 'Main Upload to code scanning' "$log"; then
    t_pass "act run: the code-scanning upload (GitHub only) is skipped under act"
  else
    t_fail "act run: the code-scanning upload (GitHub only) is skipped under act" "the step ran or is missing"
  fi
}

main() {
  act_require "act run" || exit 0
  if [ -n "${ACT:-}" ]; then
    t_fail "act run" "already inside act: scripts/ci/lint.sh leaves the act suites out under act"
    exit 0
  fi
  local job
  for job in "${JOBS[@]}"; do
    run_job "$job"
  done
  sarif_upload_skipped
}

main "$@"
