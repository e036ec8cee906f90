#!/usr/bin/env bash
# Unit tests of FAULT_5XX_RATE in scripts/deploy_local.sh (the alert drill deploys with it): a
# malformed value is a usage error, a fault in prod is refused, both before anything is touched;
# a valid value goes on to the next check. No Docker: the script stops before using it.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"

readonly DEPLOY="$REPO_ROOT/scripts/deploy_local.sh"

malformedFaultRateIsAUsageError() {
  local value
  for value in abc 1.5 -0.1 0.5x 2; do
    DEPLOY_DIR="$CASE_DIR/deploy" FAULT_5XX_RATE="$value" assert_exit 2 "$DEPLOY"
    assert_contains "$CMD_OUTPUT" "FAULT_5XX_RATE='$value': give a number from 0 to 1"
  done
  assert_no_path "$CASE_DIR/deploy"
}

faultInProdIsRefusedBeforeAnythingChanges() {
  DEPLOY_DIR="$CASE_DIR/deploy" FAULT_5XX_RATE=0.5 assert_exit 3 "$DEPLOY" --env prod
  assert_contains "$CMD_OUTPUT" "FAULT_5XX_RATE=0.5 is refused in prod"
  assert_no_path "$CASE_DIR/deploy"
}

zeroInProdAndAFaultInDevPassThisCheck() {
  local value env
  for env in prod dev; do
    value=0
    [ "$env" = dev ] && value=0.25
    # A fake docker that fails: the deploy stops at the docker preflight, after the fault check.
    cd_fake_command docker 'exit 1'
    PATH="$CASE_DIR/bin:$PATH" DEPLOY_DIR="$CASE_DIR/deploy" FAULT_5XX_RATE="$value" assert_exit 3 "$DEPLOY" --env "$env"
    assert_not_contains "$CMD_OUTPUT" "FAULT_5XX_RATE"
  done
}

cd_case "deploy_local.sh: a malformed FAULT_5XX_RATE is a usage error (exit 2), nothing created" \
  malformedFaultRateIsAUsageError
cd_case "deploy_local.sh: FAULT_5XX_RATE above 0 in prod is refused (exit 3), nothing created" \
  faultInProdIsRefusedBeforeAnythingChanges
cd_case "deploy_local.sh: FAULT_5XX_RATE=0 in prod and 0.25 in dev pass the fault check" \
  zeroInProdAndAFaultInDevPassThisCheck
