#!/usr/bin/env python3
"""Static checks of the monitoring files, run by scripts/tests/unit/50-monitoring-rules.sh.

    checks.py alerts            every alert: for:, severity page|ticket, summary, description,
                                runbook_url = docs/runbooks/<alert>.md
    checks.py coverage          every alert has a promtool case where it fires and one where not
    checks.py inhibitions       Alertmanager inhibition targets name alerts that exist, and every
                                SLO alert is inhibited by ApiDown
    checks.py memory-limit      ApiMemoryNearLimit's constant is the api's mem_limit in
                                deploy/docker-compose.yml and in every deploy/env/<env>.env
    checks.py runbooks          prints the runbook paths the alerts point to (one per line)
    checks.py runbook-files     both ways: every alert's runbook_url is a file under docs/runbooks/
                                titled with the alert's name and holding every section of a
                                runbook; every file there belongs to an alert
Exit 1 with one line per problem. Needs PyYAML (.tools/venv).
"""

import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = ROOT / "monitoring/prometheus/rules"
TESTS = ROOT / "monitoring/prometheus/tests"
ALERTMANAGER = ROOT / "monitoring/alertmanager"


def load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def alerts():
    """(file name, rule) for every alerting rule."""
    found = []
    for path in sorted(RULES.glob("*.yml")):
        for group in load(path)["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    found.append((path.name, rule))
    return found


def check_alerts():
    problems = []
    for name, rule in alerts():
        alert = rule["alert"]
        if not re.fullmatch(r"\d+[smh]", str(rule.get("for", ""))):
            problems.append(f"{name}: {alert}: no for: of seconds, minutes or hours")
        if rule.get("labels", {}).get("severity") not in ("page", "ticket"):
            problems.append(f"{name}: {alert}: severity must be page or ticket")
        annotations = rule.get("annotations", {})
        for key in ("summary", "description"):
            if not str(annotations.get(key, "")).strip():
                problems.append(f"{name}: {alert}: no {key} annotation")
        if annotations.get("runbook_url") != f"docs/runbooks/{alert}.md":
            problems.append(f"{name}: {alert}: runbook_url must be docs/runbooks/{alert}.md")
    if len({rule["alert"] for _, rule in alerts()}) != len(alerts()):
        problems.append("two alerting rules have the same name")
    return problems


def check_coverage():
    fires, quiet = set(), set()
    for path in sorted(TESTS.glob("*_test.yml")):
        for test in load(path)["tests"]:
            for case in test.get("alert_rule_test", []):
                (fires if case.get("exp_alerts") else quiet).add(case["alertname"])
    problems = []
    for _, rule in alerts():
        alert = rule["alert"]
        if alert not in fires:
            problems.append(f"{alert}: no promtool case where it fires")
        if alert not in quiet:
            problems.append(f"{alert}: no promtool case where it does not fire")
    return problems


def check_inhibitions():
    names = {rule["alert"] for _, rule in alerts()}
    slo_alerts = {rule["alert"] for _, rule in alerts() if "slo" in rule.get("labels", {})}
    problems = []
    for config in sorted(ALERTMANAGER.glob("alertmanager*.yml")):
        inhibited_by_down = set()
        for rule in load(config).get("inhibit_rules", []):
            matchers = rule.get("source_matchers", []) + rule.get("target_matchers", [])
            for matcher in matchers:
                match = re.fullmatch(r'alertname(=~?)"(.*)"', matcher)
                if not match:
                    continue
                pattern = match.group(2) if match.group(1) == "=~" else re.escape(match.group(2))
                matched = {n for n in names if re.fullmatch(pattern, n)}
                if not matched:
                    problems.append(f"{config.name}: matcher {matcher} names no alert")
                if matcher in rule.get("target_matchers", []) and 'alertname="ApiDown"' in rule["source_matchers"]:
                    inhibited_by_down |= matched
            if not rule.get("equal"):
                problems.append(f"{config.name}: an inhibit rule without equal: silences every environment")
        for alert in sorted(slo_alerts - inhibited_by_down):
            problems.append(f"{config.name}: {alert} is not inhibited by ApiDown")
    return problems


def check_memory_limit():
    """ApiMemoryNearLimit divides by the api's memory limit: the compose default of
    ${API_MEM_LIMIT:-...} and the API_MEM_LIMIT of every deploy/env/<env>.env must all be that one
    value (a rule has one constant; an environment with another limit would alert wrongly)."""
    compose = load(ROOT / "deploy/docker-compose.yml")
    declared = str(compose["services"]["api-blue"]["mem_limit"])
    default = re.fullmatch(r"\$\{API_MEM_LIMIT:-([^}]+)\}", declared)
    limit = default.group(1) if default else declared
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    match = re.fullmatch(r"(\d+)([kmg])?b?", limit.lower())
    if not match:
        return [f"deploy/docker-compose.yml: mem_limit {declared!r} not understood"]
    expected = int(match.group(1)) * units.get(match.group(2) or "", 1)
    problems = []
    for env_file in sorted((ROOT / "deploy/env").glob("*.env")):
        for line in env_file.read_text().splitlines():
            if line.startswith("API_MEM_LIMIT=") and line.split("=", 1)[1].strip().lower() != limit.lower():
                problems.append(
                    f"deploy/env/{env_file.name}: {line} differs from the limit ApiMemoryNearLimit assumes ({limit})"
                )
    rule = next(rule for _, rule in alerts() if rule["alert"] == "ApiMemoryNearLimit")
    if f"/ {expected} " not in rule["expr"]:
        problems.append(f"ApiMemoryNearLimit divides by something else than mem_limit {limit} = {expected}: {rule['expr']}")
    return problems


def print_runbooks():
    for _, rule in alerts():
        print(rule["annotations"]["runbook_url"])
    return []


RUNBOOKS = ROOT / "docs/runbooks"
RUNBOOK_SECTIONS = (
    "## Ce que ça veut dire",
    "## Où regarder",
    "## Vérifications",
    "## Actions",
    "## Escalade",
    "## C'est fini quand",
)


def check_runbook_files():
    problems = []
    names = {rule["alert"] for _, rule in alerts()}
    for _, rule in alerts():
        alert = rule["alert"]
        path = ROOT / rule["annotations"].get("runbook_url", "")
        if not path.is_file():
            problems.append(f"{alert}: runbook {path.relative_to(ROOT)} does not exist")
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines or lines[0] != f"# {alert}":
            problems.append(f"{path.relative_to(ROOT)}: the first line must be '# {alert}'")
        for section in RUNBOOK_SECTIONS:
            if section not in lines:
                problems.append(f"{path.relative_to(ROOT)}: no '{section}' section")
    for path in sorted(RUNBOOKS.glob("*.md")):
        if path.stem not in names:
            problems.append(f"{path.relative_to(ROOT)}: no alert rule named {path.stem}")
    return problems


COMMANDS = {
    "alerts": check_alerts,
    "coverage": check_coverage,
    "inhibitions": check_inhibitions,
    "memory-limit": check_memory_limit,
    "runbooks": print_runbooks,
    "runbook-files": check_runbook_files,
}


def main(argv):
    if len(argv) != 1 or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    problems = COMMANDS[argv[0]]()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
