#!/usr/bin/env bash
# The CI policy (scripts/ci/check-ci-policy.py) on the real files, and on one fixture per rule
# to show that the rule catches what it must: an unpinned `uses:`, a SHA without its version
# comment, no workflow-level permissions, write permissions there, pull_request_target, a job
# without timeout-minutes, a checkout that keeps the token, untrusted input inside run:; a Trivy
# exception without a statement, and one past its expiry date.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly POLICY="$REPO_ROOT/scripts/ci/check-ci-policy.py"
readonly SHA=3d3c42e5aac5ba805825da76410c181273ba90b1

# A workflow that follows every rule; each fixture breaks exactly one.
good_workflow() {
  cat <<EOF
name: fixture
on: [pull_request]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@$SHA # v7.0.1
        with:
          persist-credentials: false
      - run: echo "\$TITLE"
        env:
          TITLE: \${{ github.event.pull_request.title }}
EOF
}

# expect_violation NAME EXPECTED_TEXT SED_EXPRESSION: the good workflow edited by SED must be
# refused with a message containing EXPECTED_TEXT.
expect_violation() {
  local name="$1" expected="$2" edit="$3" file out code=0
  file="$TEST_TMP/fixture-$RANDOM.yml"
  good_workflow | sed "$edit" >"$file"
  out="$(python3 "$POLICY" workflows "$file" 2>&1)" || code=$?
  if [ "$code" -eq 1 ] && [[ "$out" == *"$expected"* ]]; then
    t_pass "policy: $name"
  else
    t_fail "policy: $name" "exit $code, expected '$expected' in: ${out:0:300}"
  fi
}

policy_passes_on_repository_files() {
  local -a workflows
  mapfile -t workflows < <(cd "$REPO_ROOT" && t_repo_files '.github/workflows/*.yml' '.github/workflows/*.yaml')
  if [ ${#workflows[@]} -eq 0 ]; then
    t_fail "policy: the repository's workflows follow it" "no workflow in .github/workflows/"
    return 0
  fi
  (cd "$REPO_ROOT" && t_run "policy: the repository's workflows follow it (${workflows[*]})" \
    python3 "$POLICY" workflows "${workflows[@]}")
  t_run "policy: every .trivyignore.yaml exception has paths, a statement and a future expiry" \
    python3 "$POLICY" trivyignore "$REPO_ROOT/.trivyignore.yaml"
}

policy_accepts_the_good_fixture() {
  good_workflow >"$TEST_TMP/good.yml"
  t_run "policy: a workflow that follows every rule passes (untrusted input through env: is fine)" \
    python3 "$POLICY" workflows "$TEST_TMP/good.yml"
}

# trivyignore_violation NAME EXPECTED_TEXT ENTRY: a .trivyignore.yaml holding ENTRY is refused.
trivyignore_violation() {
  local name="$1" expected="$2" entry="$3" out code=0
  printf 'misconfigurations:\n%s\n' "$entry" >"$TEST_TMP/trivyignore.yaml"
  out="$(python3 "$POLICY" trivyignore "$TEST_TMP/trivyignore.yaml" 2>&1)" || code=$?
  if [ "$code" -eq 1 ] && [[ "$out" == *"$expected"* ]]; then
    t_pass "policy: $name"
  else
    t_fail "policy: $name" "exit $code, expected '$expected' in: ${out:0:300}"
  fi
}

main() {
  t_require "workflow policy" python3 "apt-get install python3" || exit 0
  if ! python3 -c 'import yaml' 2>/dev/null; then
    t_skip "workflow policy" "PyYAML not found; run scripts/ci/provision.sh tools (.tools/venv has it)"
    exit 0
  fi
  policy_passes_on_repository_files
  policy_accepts_the_good_fixture
  expect_violation "an action pinned by tag is refused" "not pinned to a full 40-hex commit SHA" \
    "s|actions/checkout@$SHA # v7.0.1|actions/checkout@v7|"
  expect_violation "a SHA pin without its version comment is refused" "no '# vX.Y.Z' version comment" \
    "s|@$SHA # v7.0.1|@$SHA|"
  expect_violation "a workflow without top-level permissions is refused" "no workflow-level 'permissions'" \
    "/^permissions:/d; /^  contents: read/d"
  expect_violation "write permissions at workflow level are refused" "workflow-level permissions grant write" \
    "s|^  contents: read|  contents: write|"
  expect_violation "pull_request_target is refused" "trigger 'pull_request_target'" \
    "s|^on: \[pull_request\]|on: [pull_request_target]|"
  expect_violation "a job without timeout-minutes is refused" "jobs.build has no timeout-minutes" \
    "/timeout-minutes/d"
  expect_violation "a checkout that keeps the token is refused" "checkout keeps the token" \
    "/persist-credentials/d; /^        with:/d"
  # shellcheck disable=SC2016 # the ${{ }} expression is YAML text, not shell
  expect_violation "the PR title expanded inside run: is refused" \
    "'\${{ github.event.pull_request.title }}' expanded inside run:" \
    's|echo "\$TITLE"|echo "${{ github.event.pull_request.title }}"|'
  trivyignore_violation "a Trivy exception without a statement is refused" "no statement" \
    "  - id: AVD-DS-0002
    paths: [Dockerfile]
    expired_at: 2099-01-01"
  trivyignore_violation "an expired Trivy exception is refused" "expired on 2020-01-01" \
    "  - id: AVD-DS-0002
    paths: [Dockerfile]
    statement: accepted once
    expired_at: 2020-01-01"
}

main "$@"
