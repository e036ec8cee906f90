#!/usr/bin/env bash
# The CI gates fail when they should: each job's own script (scripts/ci/*.sh) or linter runs on
# a fixture checkout built here in $TEST_TMP, outside the real tree, and must exit non-zero
# naming the problem:
#   - a fake AWS key and a fake private key: gitleaks (secrets.sh) and Trivy's secret scanner
#     (scan-repo.sh); a key deleted from the tree but still in history: gitleaks only;
#   - a Dockerfile running as root from `latest`: hadolint, Trivy misconfiguration, Semgrep;
#   - a workflow with an unpinned `uses:` and the PR title inside run:: zizmor, actionlint, the
#     pin policy, Semgrep.
# The fake secrets are random and assembled at run time, so this file holds nothing a scanner
# of the real repository could mistake for a secret.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly CI="$REPO_ROOT/scripts/ci"

# random_from ALPHABET LENGTH: LENGTH random characters of ALPHABET (a tr character set).
random_from() {
  head -c 4096 /dev/urandom | tr -dc "$1" | cut -c "1-$2"
}

fake_aws_key_id() { printf '%s%s' 'AK''IA' "$(random_from 'A-Z2-7' 16)"; }
fake_aws_secret() { random_from 'A-Za-z0-9' 40; }

fake_private_key() {
  local dashes="-----" kind="RSA PRIVATE KEY"
  printf '%sBEGIN %s%s\n' "$dashes" "$kind" "$dashes"
  for _ in 1 2 3 4 5 6; do
    printf '%s\n' "$(random_from 'A-Za-z0-9+/' 64)"
  done
  printf '%sEND %s%s\n' "$dashes" "$kind" "$dashes"
}

# new_checkout NAME: an empty git repository under $TEST_TMP; prints its path.
new_checkout() {
  local dir="$TEST_TMP/$1"
  mkdir -p "$dir"
  git -C "$dir" init -q
  git -C "$dir" config user.email gates@example.invalid
  git -C "$dir" config user.name gates
  printf '%s\n' "$dir"
}

commit_all() {
  git -C "$1" add -A
  git -C "$1" commit -q -m "$2"
}

# gate_run CMD...: runs CMD once (a gate on a fixture), keeping its exit code and output for
# the expect_refused checks that follow.
GATE_LOG=""
GATE_CODE=0
gate_run() {
  GATE_LOG="$TEST_TMP/gate.$RANDOM.log"
  GATE_CODE=0
  CI_OUT="$TEST_TMP/ci-output" "$@" >"$GATE_LOG" 2>&1 || GATE_CODE=$?
}

# expect_refused NAME EXPECTED: the last gate_run exited non-zero and printed EXPECTED (an ERE).
expect_refused() {
  local name="$1" expected="$2"
  if [ "$GATE_CODE" -ne 0 ] && grep -Eq -- "$expected" "$GATE_LOG"; then
    t_pass "$name"
  else
    t_fail "$name" "exit $GATE_CODE; expected /$expected/ in the output"
    tail -n 30 "$GATE_LOG" | sed 's/^/        | /'
  fi
}

# expect_accepted NAME CMD...: CMD (a gate on a clean fixture) passes.
expect_accepted() {
  local name="$1"
  shift
  CI_OUT="$TEST_TMP/ci-output" t_run "$name" "$@"
}

gates_on_planted_secrets() {
  local leaky history
  leaky="$(new_checkout leaky)"
  mkdir -p "$leaky/config"
  printf 'aws_access_key_id = %s\naws_secret_access_key = %s\n' "$(fake_aws_key_id)" "$(fake_aws_secret)" \
    >"$leaky/config/credentials"
  fake_private_key >"$leaky/config/deploy_key"
  commit_all "$leaky" "add deployment credentials"
  gate_run "$CI/secrets.sh" "$leaky"
  expect_refused "secrets gate: gitleaks fails on a planted AWS key" 'RuleID: +aws-access-token'
  expect_refused "secrets gate: gitleaks fails on a planted private key" 'RuleID: +private-key'
  gate_run "$CI/scan-repo.sh" "$leaky"
  expect_refused "scan gate: Trivy's secret scanner fails on the planted AWS key" '(AWS Access Key ID|aws-access-key-id)'
  expect_refused "scan gate: Trivy's secret scanner fails on the planted private key" '(Asymmetric Private Key|private-key)'

  history="$(new_checkout history)"
  printf 'aws_access_key_id = %s\n' "$(fake_aws_key_id)" >"$history/credentials"
  commit_all "$history" "add a key"
  git -C "$history" rm -q credentials
  commit_all "$history" "remove the key (it stays in history)"
  gate_run "$CI/secrets.sh" "$history"
  expect_refused "secrets gate: gitleaks finds a key deleted from the tree but still in history" \
    'Commit: +[0-9a-f]{40}'
}

gates_on_root_latest_dockerfile() {
  local rooted
  rooted="$(new_checkout rooted)"
  printf '%s\n' 'FROM debian:latest' 'USER root' 'RUN apt-get update && apt-get install -y curl' \
    'CMD ["curl", "--version"]' >"$rooted/Dockerfile"
  gate_run hadolint --failure-threshold warning "$rooted/Dockerfile"
  expect_refused "Dockerfile gate: hadolint refuses the latest tag (DL3007)" 'DL3007'
  expect_refused "Dockerfile gate: hadolint refuses a root USER (DL3002)" 'DL3002'
  gate_run "$CI/scan-repo.sh" "$rooted"
  expect_refused "Dockerfile gate: Trivy misconfiguration fails on the root user (DS002)" 'DS-?0*02'
  gate_run "$CI/sast.sh" "$rooted"
  expect_refused "Dockerfile gate: Semgrep refuses the latest tag" 'dockerfile-no-latest-tag'
  expect_refused "Dockerfile gate: Semgrep refuses USER root" 'dockerfile-user-root'
}

gates_on_unsafe_workflow() {
  local unsafe workflow
  unsafe="$(new_checkout unsafe)"
  workflow="$unsafe/.github/workflows/pr.yml"
  mkdir -p "$(dirname "$workflow")"
  # shellcheck disable=SC2016 # GitHub expressions, written as text
  printf '%s\n' 'name: pr' 'on: [pull_request]' 'permissions:' '  contents: read' 'jobs:' '  greet:' \
    '    runs-on: ubuntu-24.04' '    timeout-minutes: 5' '    steps:' '      - uses: actions/checkout@v4' \
    '        with:' '          persist-credentials: false' \
    '      - run: echo "Thanks for ${{ github.event.pull_request.title }}"' >"$workflow"
  gate_run zizmor --offline --no-progress --color never "$unsafe/.github/"
  expect_refused "workflow gate: zizmor refuses the unpinned uses:" 'unpinned-uses'
  expect_refused "workflow gate: zizmor refuses the PR title inside run: (template injection)" 'template-injection'
  gate_run python3 "$CI/check-ci-policy.py" workflows "$workflow"
  expect_refused "workflow gate: the pin policy refuses actions/checkout@v4" \
    'actions/checkout@v4.* not pinned to a full 40-hex commit SHA'
  expect_refused "workflow gate: the policy refuses the PR title inside run:" 'pull_request.title }}. expanded inside run:'
  gate_run actionlint -no-color "$workflow"
  expect_refused "workflow gate: actionlint flags the untrusted PR title" 'potentially untrusted'
  gate_run "$CI/sast.sh" "$unsafe"
  expect_refused "workflow gate: Semgrep refuses the unpinned uses:" 'actions-uses-not-pinned'
  expect_refused "workflow gate: Semgrep refuses the PR title inside run:" 'actions-untrusted-input-in-run'
}

# The same scripts accept a clean checkout: the failures above come from the planted problems.
gates_accept_a_clean_checkout() {
  local clean
  clean="$(new_checkout clean)"
  printf '%s\n' 'FROM debian:12.8-slim' 'USER 65532:65532' 'CMD ["true"]' >"$clean/Dockerfile"
  commit_all "$clean" "a clean image"
  expect_accepted "gates accept a clean checkout: secrets.sh" "$CI/secrets.sh" "$clean"
  expect_accepted "gates accept a clean checkout: scan-repo.sh" "$CI/scan-repo.sh" "$clean"
  expect_accepted "gates accept a clean checkout: sast.sh" "$CI/sast.sh" "$clean"
}

main() {
  local tool
  for tool in git gitleaks trivy semgrep hadolint zizmor actionlint python3; do
    t_require "gates: $tool" "$tool" "run scripts/ci/provision.sh tools (pinned in scripts/ci/requirements-*.txt)" || exit 0
  done
  gates_on_planted_secrets
  gates_on_root_latest_dockerfile
  gates_on_unsafe_workflow
  gates_accept_a_clean_checkout
}

main "$@"
