#!/usr/bin/env python3
"""Checks of the Grafana dashboards (Grafana itself cannot run on the build machines).

    dashboard_check.py static              parse each dashboard with grafana-foundation-sdk; every
                                           panel: title, description, unit, the provisioned
                                           datasource uid (panel and queries), $__rate_interval
                                           in rates; the required panels; the environment variable
    dashboard_check.py queries ENV         print "panel<TAB>query" for every query (panels and
                                           annotations), Grafana's macros substituted for ENV
    dashboard_check.py rules-file ENV OUT  the same queries as recording rules, for promtool
                                           check rules (which parses each expression)
MONITORING_DASHBOARDS_DIR overrides the directory read (tests). Needs grafana-foundation-sdk
and PyYAML (.tools/venv).
"""

import json
import os
import pathlib
import re
import sys

import yaml
from grafana_foundation_sdk.cog import plugins
from grafana_foundation_sdk.models import dashboard as models

ROOT = pathlib.Path(__file__).resolve().parents[2]
DASHBOARDS = pathlib.Path(os.environ.get("MONITORING_DASHBOARDS_DIR", ROOT / "monitoring/grafana/dashboards"))
DATASOURCES = ROOT / "monitoring/grafana/provisioning/datasources/prometheus.yml"
REQUIRED = ["CPU", "Memory", "Uptime", "Endpoint health", "Request rate", "5xx ratio",
            "Latency p50 / p95 / p99", "Error budget remaining", "Release"]
# Grafana's macros, with the values a 6-hour dashboard gets for a 15 s scrape interval.
MACROS = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "6h"}


def provisioned_uid():
    sources = yaml.safe_load(DATASOURCES.read_text(encoding="utf-8"))["datasources"]
    return next(s["uid"] for s in sources if s["type"] == "prometheus")


def uid_of(reference):
    """The uid of a datasource reference (a typed DataSourceRef, or a dict in query models)."""
    if isinstance(reference, dict):
        return reference.get("uid")
    return getattr(reference, "uid", None)


def load():
    plugins.register_default_plugins()
    for path in sorted(DASHBOARDS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        yield path, document, models.Dashboard.from_json(document)


def data_panels(dashboard):
    for panel in dashboard.panels or []:
        if isinstance(panel, models.Panel):
            yield panel


def check_static():
    uid = provisioned_uid()
    problems = []
    plugins.register_default_plugins()
    for path in sorted(DASHBOARDS.glob("*.json")):
        name = path.name
        document = json.loads(path.read_text(encoding="utf-8"))
        try:
            dashboard = models.Dashboard.from_json(document)
        except Exception as error:  # the SDK raises KeyError, TypeError... on a malformed model
            problems.append(f"{name}: grafana-foundation-sdk cannot parse it: {type(error).__name__} {error}")
            continue
        titles = set()
        for panel in data_panels(dashboard):
            title = panel.title or "(untitled)"
            titles.add(title)
            where = f"{name}: panel {title!r}"
            if not panel.title:
                problems.append(f"{where}: no title")
            if not (panel.description or "").strip():
                problems.append(f"{where}: no description")
            unit = panel.field_config.defaults.unit if panel.field_config and panel.field_config.defaults else None
            if not unit:
                problems.append(f"{where}: no unit (fieldConfig.defaults.unit)")
            if uid_of(panel.datasource) != uid:
                problems.append(f"{where}: datasource uid is not the provisioned {uid!r}")
            if not panel.targets:
                problems.append(f"{where}: no query")
            for query in panel.targets or []:
                if type(query).__module__ != "grafana_foundation_sdk.models.prometheus":
                    problems.append(f"{where}: query {getattr(query, 'ref_id', '?')} is not a Prometheus query")
                    continue
                if uid_of(query.datasource) != uid:
                    problems.append(f"{where}: query {query.ref_id}: datasource uid is not {uid!r}")
                for window in re.findall(r"\b(?:rate|irate|increase)\([^\[]*\[([^\]]+)\]", query.expr):
                    if window != "$__rate_interval":
                        problems.append(f"{where}: query {query.ref_id}: rate over [{window}], not [$__rate_interval]")
        for title in REQUIRED:
            if title not in titles:
                problems.append(f"{name}: no panel titled {title!r}")
        variables = [v.name for v in (dashboard.templating.list_val or [])]
        if "environment" not in variables:
            problems.append(f"{name}: no templated 'environment' variable")
        for label, expr in queries(document, "$environment"):
            if not label.startswith("variable ") and "$environment" not in expr:
                problems.append(f"{name}: {label}: the query ignores the environment variable")
        for annotation in document.get("annotations", {}).get("list", []):
            source = annotation.get("datasource", {})
            if source.get("type") == "prometheus" and source.get("uid") != uid:
                problems.append(f"{name}: annotation {annotation.get('name')!r}: datasource uid is not {uid!r}")
    return problems


def substitute(expr, environment):
    for macro, value in MACROS.items():
        expr = expr.replace(macro, value)
    return expr.replace("$environment", environment).replace("${environment}", environment)


def queries(document, environment):
    found = []
    for panel in document.get("panels", []):
        for target in panel.get("targets", []):
            found.append((f"{panel['title']} {target['refId']}", substitute(target["expr"], environment)))
    for annotation in document.get("annotations", {}).get("list", []):
        if "expr" in annotation:
            found.append((f"annotation {annotation['name']}", substitute(annotation["expr"], environment)))
    for variable in document.get("templating", {}).get("list", []):
        match = re.fullmatch(r"label_values\((.*),\s*\w+\)", variable.get("definition", ""))
        if match:
            found.append((f"variable {variable['name']}", match.group(1)))
    return found


def all_queries(environment):
    return [q for _, document, _ in load() for q in queries(document, environment)]


def main(argv):
    if argv[:1] == ["static"] and len(argv) == 1:
        problems = check_static()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    if argv[:1] == ["queries"] and len(argv) == 2:
        for name, expr in all_queries(argv[1]):
            print(f"{name}\t{expr}")
        return 0
    if argv[:1] == ["rules-file"] and len(argv) == 3:
        rules = [{"record": f"dashboard_query_{i}", "expr": expr} for i, (_, expr) in enumerate(all_queries(argv[1]))]
        pathlib.Path(argv[2]).write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}),
                                         encoding="utf-8")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
