#!/usr/bin/env bash
# Unit tests of the monitoring configuration, no container: promtool check config (every
# environment's targets) and check rules, promtool test rules (every alert fires in one case
# and stays quiet in another, each burn-rate window), the SLO rules equal to what
# monitoring/slo/slos.yml generates, alert metadata, amtool check-config and routing per
# severity, inhibitions naming real alerts, and mutations of the rules that the tests must catch.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly MON="$REPO_ROOT/monitoring"
readonly CHECKS="$REPO_ROOT/scripts/monitoring/checks.py"

# prom_tree DIR ENV: the files Prometheus sees in its container, laid out under DIR/etc/prometheus
# with the config's absolute paths rewritten to point there.
prom_tree() {
  local dir="$1" env="$2" etc="$1/etc/prometheus"
  mkdir -p "$etc/rules" "$etc/targets"
  cp "$MON"/prometheus/rules/*.yml "$etc/rules/"
  cp "$MON/prometheus/targets/$env"/*.yml "$etc/targets/"
  sed "s#/etc/prometheus/#$etc/#g" "$MON/prometheus/prometheus.yml" >"$etc/prometheus.yml"
}

check_config() {
  local env out
  for env in dev staging prod; do
    prom_tree "$TEST_TMP/config-$env" "$env"
    if out="$(promtool check config "$TEST_TMP/config-$env/etc/prometheus/prometheus.yml" 2>&1)" &&
      [[ "$out" != *WARNING* ]] && [[ "$out" == *"SUCCESS: 2 rule files found"* ]]; then
      t_pass "promtool check config: $env (targets and both rule files found, no warning)"
    else
      t_fail "promtool check config: $env (targets and both rule files found, no warning)" "${out:0:600}"
    fi
  done
}

check_targets_label_environment() {
  local env
  for env in dev staging prod; do
    if [ "$(grep -c "environment: $env$" "$MON/prometheus/targets/$env/targets.yml")" -ge 5 ] &&
      ! grep -E 'environment: ' "$MON/prometheus/targets/$env/targets.yml" | grep -v "environment: $env$" >/dev/null; then
      t_pass "targets/$env: every target group is labelled environment=$env"
    else
      t_fail "targets/$env: every target group is labelled environment=$env"
    fi
  done
}

test_rules() {
  local file
  for file in "$MON"/prometheus/tests/*_test.yml; do
    t_run "promtool test rules: $(basename "$file")" promtool test rules "$file"
  done
}

checks_py() {
  t_run "$1" python3 "$CHECKS" "$2"
}

slo_generated() {
  t_run "slo.yml is what generate_slo_rules.py makes of monitoring/slo/slos.yml" \
    python3 "$REPO_ROOT/scripts/monitoring/generate_slo_rules.py" --check
}

# The generator's check must fail when the committed rules are edited by hand.
slo_generated_detects_hand_edit() {
  local copy="$TEST_TMP/gen" out
  mkdir -p "$copy/scripts/monitoring" "$copy/monitoring/slo" "$copy/monitoring/prometheus/rules"
  cp "$REPO_ROOT/scripts/monitoring/generate_slo_rules.py" "$copy/scripts/monitoring/"
  cp "$MON/slo/slos.yml" "$copy/monitoring/slo/"
  sed 's/14.4 \* 0.005/14 * 0.005/' "$MON/prometheus/rules/slo.yml" >"$copy/monitoring/prometheus/rules/slo.yml"
  if out="$(python3 "$copy/scripts/monitoring/generate_slo_rules.py" --check 2>&1)"; then
    t_fail "generate_slo_rules.py --check fails on a hand-edited slo.yml" "it passed"
  elif [[ "$out" == *"differs from what"* ]]; then
    t_pass "generate_slo_rules.py --check fails on a hand-edited slo.yml"
  else
    t_fail "generate_slo_rules.py --check fails on a hand-edited slo.yml" "$out"
  fi
}

# runbook_files_detect CASE EXPECTED EDIT: checks.py runbook-files, run on a copy of the rules
# and runbooks changed by the shell command EDIT (run in the copy), must fail naming EXPECTED.
runbook_files_detect() {
  local name="$1" expected="$2" edit="$3" copy="$TEST_TMP/runbooks.$RANDOM" out
  mkdir -p "$copy/scripts/monitoring" "$copy/monitoring/prometheus" "$copy/docs"
  cp "$CHECKS" "$copy/scripts/monitoring/"
  cp -r "$MON/prometheus/rules" "$copy/monitoring/prometheus/"
  cp -r "$REPO_ROOT/docs/runbooks" "$copy/docs/"
  (cd "$copy" && eval "$edit")
  if out="$(python3 "$copy/scripts/monitoring/checks.py" runbook-files 2>&1)"; then
    t_fail "runbook check fails when $name" "it passed"
  elif [[ "$out" == *"$expected"* ]]; then
    t_pass "runbook check fails when $name"
  else
    t_fail "runbook check fails when $name" "$out"
  fi
}

# memory_limit_can_fail: checks.py memory-limit, on a copy where prod's environment file gives
# the api another memory limit than the one ApiMemoryNearLimit divides by, fails naming the file
# (prod had 512m when the environments landed; the alert would have been wrong there).
memory_limit_can_fail() {
  local name="memory-limit check fails when an environment has another API_MEM_LIMIT"
  local copy="$TEST_TMP/memory.$RANDOM" out
  mkdir -p "$copy/scripts/monitoring" "$copy/monitoring/prometheus" "$copy/deploy"
  cp "$CHECKS" "$copy/scripts/monitoring/"
  cp -r "$MON/prometheus/rules" "$copy/monitoring/prometheus/"
  cp "$REPO_ROOT/deploy/docker-compose.yml" "$copy/deploy/"
  cp -r "$REPO_ROOT/deploy/env" "$copy/deploy/"
  sed -i 's/^API_MEM_LIMIT=.*/API_MEM_LIMIT=512m/' "$copy/deploy/env/prod.env"
  if out="$(python3 "$copy/scripts/monitoring/checks.py" memory-limit 2>&1)"; then
    t_fail "$name" "it passed"
  elif [[ "$out" == *"deploy/env/prod.env: API_MEM_LIMIT=512m differs"* ]]; then
    t_pass "$name"
  else
    t_fail "$name" "$out"
  fi
}

runbook_files_can_fail() {
  runbook_files_detect "an alert has no runbook" "runbook docs/runbooks/ApiDown.md does not exist" \
    'rm docs/runbooks/ApiDown.md'
  runbook_files_detect "a runbook has no alert" "docs/runbooks/ApiGone.md: no alert rule named ApiGone" \
    'cp docs/runbooks/ApiDown.md docs/runbooks/ApiGone.md'
  runbook_files_detect "a runbook lacks its escalation" "docs/runbooks/PostgresDown.md: no '## Escalade' section" \
    "sed -i 's/^## Escalade$/## Plus tard/' docs/runbooks/PostgresDown.md"
}

# mutant NAME FILE SED_EXPRESSION TEST_FILE CASES: the rule tests must fail on the mutated
# rules. Only the test cases whose name matches the regular expression CASES run (cheaper).
mutant() {
  local name="$1" rules="$2" expression="$3" test_file="$4" cases="$5" dir="$TEST_TMP/mutant.$RANDOM"
  mkdir -p "$dir/rules" "$dir/tests"
  cp "$MON"/prometheus/rules/*.yml "$dir/rules/"
  sed -i "$expression" "$dir/rules/$rules"
  python3 - "$MON/prometheus/tests/$test_file" "$dir/tests/$test_file" "$cases" <<'PY_FILTER'
import re
import sys

import yaml

source, target, cases = sys.argv[1:]
with open(source, encoding="utf-8") as handle:
    document = yaml.safe_load(handle)
document["tests"] = [test for test in document["tests"] if re.search(cases, test["name"])]
if not document["tests"]:
    sys.exit(f"no test case of {source} matches {cases!r}")
with open(target, "w", encoding="utf-8") as handle:
    yaml.safe_dump(document, handle)
PY_FILTER
  if cmp -s "$dir/rules/$rules" "$MON/prometheus/rules/$rules"; then
    t_fail "rule tests catch: $name" "the mutation changed nothing (fix the test)"
  elif promtool test rules "$dir/tests/$test_file" >"$dir/out.log" 2>&1; then
    t_fail "rule tests catch: $name" "promtool test rules passed on the mutated rules"
  else
    t_pass "rule tests catch: $name"
  fi
}

mutants() {
  mutant "ApiHighErrorRate without its minimum-traffic guard" api.yml \
    's/and on (environment) environment:api_http_requests:rate5m > 0.1/and on (environment) environment:api_http_requests:rate5m > 0/' \
    api_test.yml 'ApiHighErrorRate'
  mutant "ApiDown with for: 1m instead of 2m" api.yml '/alert: ApiDown/,/for:/ s/for: 2m/for: 1m/' api_test.yml 'ApiDown'
  mutant "page burn rate without its short window (1h alone)" slo.yml \
    '/ApiAvailabilityBudgetBurnPage/,/for:/ s/and slo:sli_error:ratio_rate5m{slo="api-availability"} > (14.4 \* 0.005)/and on () vector(1)/' \
    slo_page_test.yml 'stops once the 5m window'
  mutant "ticket burn rate without its short window (3d alone)" slo.yml \
    '/ApiAvailabilityBudgetBurnTicket/,/for:/ s/and slo:sli_error:ratio_rate6h{slo="api-availability"} > (1 \* 0.005)/and on () vector(1)/' \
    slo_ticket_test.yml 'stops once the 6h window'
  mutant "SLI counting 4xx as errors" slo.yml 's/status=~"5.."/status=~"[45].."/g' slo_page_test.yml '4xx and non-/api/'
}

# The drill variant (scripts/monitoring/drill_config.py): valid files, the same rules and routes
# with only durations changed, ApiHighErrorRate's for: 5m become 10s.
drill_config() {
  local dir="$TEST_TMP/drill"
  python3 "$REPO_ROOT/scripts/monitoring/drill_config.py" "$dir" --divide 30 2>/dev/null
  t_run "drill config: promtool check rules" promtool check rules "$dir"/rules/*.yml
  t_run "drill config: amtool check-config" amtool check-config "$dir/alertmanager.yml"
  t_run "drill config: same rules, labels and routes as the real ones, only durations divided by 30" \
    python3 - "$MON" "$dir" <<'PY'
import re
import sys

import yaml

real, drill = sys.argv[1:]
duration = re.compile(r"\b\d+(ms|[smhdwy])\b")


def without_durations(value):
    return duration.sub("D", yaml.safe_dump(value, sort_keys=True, width=10**9))


problems = []
for name in ("api.yml", "slo.yml"):
    a = yaml.safe_load(open(f"{real}/prometheus/rules/{name}", encoding="utf-8"))
    b = yaml.safe_load(open(f"{drill}/rules/{name}", encoding="utf-8"))
    if without_durations(a) != without_durations(b):
        problems.append(f"{name}: rules differ beyond durations")
    for group in b["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") == "ApiHighErrorRate" and rule["for"] != "10s":
                problems.append(f"ApiHighErrorRate for: {rule['for']}, expected 10s")
a = yaml.safe_load(open(f"{real}/alertmanager/alertmanager.yml", encoding="utf-8"))
b = yaml.safe_load(open(f"{drill}/alertmanager.yml", encoding="utf-8"))
if without_durations(a) != without_durations(b):
    problems.append("alertmanager.yml differs beyond durations")
prom = yaml.safe_load(open(f"{drill}/prometheus.yml", encoding="utf-8"))
if prom["global"]["scrape_interval"] != "1s":
    problems.append("drill prometheus.yml does not scrape every second")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
}

amtool_checks() {
  local config
  for config in "$MON"/alertmanager/alertmanager*.yml; do
    t_run "amtool check-config: $(basename "$config")" amtool check-config "$config"
  done
}

# route SEVERITY EXPECTED: amtool's routing of an alert with that severity (none = no label).
route() {
  local severity="$1" expected="$2" config got
  local -a labels=(alertname=ApiHighErrorRate environment=dev)
  [ "$severity" = none ] || labels+=("severity=$severity")
  for config in "$MON"/alertmanager/alertmanager*.yml; do
    got="$(amtool config routes test --config.file="$config" "${labels[@]}" 2>/dev/null || true)"
    if [ "$got" = "$expected" ]; then
      t_pass "amtool routes $(basename "$config"): severity=$severity -> $expected"
    else
      t_fail "amtool routes $(basename "$config"): severity=$severity -> $expected" "got '$got'"
    fi
  done
}

# The routing test must be able to fail: a wrong expectation is reported by amtool itself.
route_test_can_fail() {
  if amtool config routes test --config.file="$MON/alertmanager/alertmanager.yml" \
    --verify.receivers=ticket severity=page alertname=X >/dev/null 2>&1; then
    t_fail "amtool routes: --verify.receivers rejects a page routed to ticket" "amtool accepted it"
  else
    t_pass "amtool routes: --verify.receivers rejects a page routed to ticket"
  fi
}

main() {
  t_require "monitoring: promtool" promtool "apt-get install prometheus (scripts/ci/provision.sh)" || exit 0
  t_require "monitoring: amtool" amtool "apt-get install prometheus-alertmanager (scripts/ci/provision.sh)" || exit 0
  if ! python3 -c 'import yaml' 2>/dev/null; then
    t_skip "monitoring: PyYAML" "python3 cannot import yaml; run scripts/ci/provision.sh (.tools/venv)"
    exit 0
  fi
  check_config
  check_targets_label_environment
  t_run "promtool check rules: every rule file" promtool check rules "$MON"/prometheus/rules/*.yml
  test_rules
  slo_generated
  slo_generated_detects_hand_edit
  checks_py "every alert: for:, severity page|ticket, summary, description, runbook_url docs/runbooks/<alert>.md" alerts
  checks_py "runbooks both ways: every alert has docs/runbooks/<alert>.md with every section, every runbook an alert" \
    runbook-files
  runbook_files_can_fail
  checks_py "every alert has a promtool case where it fires and one where it does not" coverage
  checks_py "inhibitions name existing alerts, have equal:, and ApiDown silences every SLO alert" inhibitions
  checks_py "ApiMemoryNearLimit uses the api's mem_limit of deploy/docker-compose.yml" memory-limit
  memory_limit_can_fail
  mutants
  drill_config
  amtool_checks
  route page page
  route ticket ticket
  route none ticket
  route_test_can_fail
}

main "$@"
