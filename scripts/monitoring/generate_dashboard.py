#!/usr/bin/env python3
"""Writes the main Grafana dashboard, monitoring/grafana/dashboards/tasks-api.json.

    scripts/monitoring/generate_dashboard.py           write it
    scripts/monitoring/generate_dashboard.py --check   exit 1 when the committed file differs

Written as code so that every panel gets the same datasource uid, a unit, a description and
$__rate_interval in its rates; the tests (scripts/tests/*/50-monitoring-*.sh) check the JSON
itself and run every query against a live Prometheus.
"""

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
TARGET = ROOT / "monitoring/grafana/dashboards/tasks-api.json"
DATASOURCE = {"type": "prometheus", "uid": "tasks-prometheus"}
ENV = 'environment="$environment"'
API = f'job="api",{ENV}'
RATE = "[$__rate_interval]"
# The api's mem_limit in deploy/docker-compose.yml (256m), as in ApiMemoryNearLimit.
MEMORY_LIMIT_BYTES = 268435456


def target(expr, legend, ref, instant=False):
    return {
        "datasource": DATASOURCE,
        "expr": expr,
        "legendFormat": legend,
        "refId": ref,
        "range": not instant,
        "instant": instant,
    }


def panel(kind, title, description, unit, targets, grid, **extra):
    defaults = {"unit": unit}
    defaults.update(extra.pop("defaults", {}))
    result = {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": dict(zip(("x", "y", "w", "h"), grid)),
        "fieldConfig": {"defaults": defaults, "overrides": extra.pop("overrides", [])},
        "options": extra.pop("options", {}),
        "targets": [target(*t) if isinstance(t, tuple) else t for t in targets],
    }
    result.update(extra)
    return result


def stat(title, description, unit, targets, grid, **extra):
    options = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
               "colorMode": "background", "graphMode": "none", "textMode": "auto"}
    options.update(extra.pop("options", {}))
    return panel("stat", title, description, unit, targets, grid, options=options, **extra)


def timeseries(title, description, unit, targets, grid, **extra):
    options = {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
               "tooltip": {"mode": "multi", "sort": "desc"}}
    return panel("timeseries", title, description, unit, targets, grid, options=options, **extra)


def thresholds(*steps):
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for v, c in steps]}


UP_DOWN = [{"type": "value", "options": {"0": {"text": "DOWN", "color": "red"},
                                         "1": {"text": "UP", "color": "green"}}}]


def quantile(q):
    return (
        f"histogram_quantile({q}, sum by (le) (rate(http_request_duration_seconds_bucket"
        f'{{{API},route=~"/api/.*"}}{RATE})))'
    )


def panels():
    requests = f"sum(rate(http_requests_total{{{API}}}{RATE}))"
    errors = f'sum(rate(http_requests_total{{{API},status=~"5.."}}{RATE}))'
    return [
        {"type": "row", "title": "Service", "collapsed": False, "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1},
         "panels": []},
        stat("Release", "Release id, version, commit and slot (blue/green) of the running API (app_build_info); "
             "changes at each deploy or rollback; both slots show for the seconds of a switch.", "none",
             [(f"max by (release_id, version, commit, slot) (app_build_info{{{API}}})", "{{release_id}} {{slot}}",
               "A", True)],
             (0, 1, 6, 4), options={"textMode": "name", "colorMode": "none"}),
        stat("Uptime", "Time since the API process started (process_start_time_seconds); resets at every "
             "restart or deploy.", "s",
             [(f"time() - max(process_start_time_seconds{{{API}}})", "uptime", "A", True)],
             (6, 1, 4, 4), defaults={"thresholds": thresholds((None, "orange"), (300, "green"))}),
        stat("Endpoint health", "Blackbox probes of /healthz (liveness) and /readyz (readiness, database "
             "included) through the proxy, and the scrape of /metrics of the live slot (the idle slot is "
             "stopped).", "none",
             [(f'probe_success{{job="blackbox-http",{ENV}}}', "{{probe}}", "A", True),
              (f"max(up{{{API}}})", "metrics", "B", True)],
             (10, 1, 8, 4), defaults={"mappings": UP_DOWN, "thresholds": thresholds((None, "red"), (1, "green"))}),
        stat("Alerts firing", "Alerts firing in this environment (all severities); the list is in "
             "Alertmanager.", "none",
             [(f'count(ALERTS{{alertstate="firing",{ENV}}}) or vector(0)', "firing", "A", True)],
             (18, 1, 6, 4), defaults={"thresholds": thresholds((None, "green"), (1, "red"))}),
        timeseries("CPU", "CPU used by the API process, in cores (1 = 100 % of one core; the container is "
                   "limited to 1 CPU).", "percentunit",
                   [(f"rate(process_cpu_seconds_total{{{API}}}{RATE})", "{{slot}}", "A")], (0, 5, 12, 7)),
        timeseries("Memory", "Resident memory of the API process, and the container limit (mem_limit 256m) "
                   "at which it is killed.", "bytes",
                   [(f"process_resident_memory_bytes{{{API}}}", "resident {{slot}}", "A"),
                    (f"max(app_build_info{{{API}}}) * 0 + {MEMORY_LIMIT_BYTES}", "container limit", "B")],
                   (12, 5, 12, 7)),
        {"type": "row", "title": "Traffic", "collapsed": False, "gridPos": {"x": 0, "y": 12, "w": 24, "h": 1},
         "panels": []},
        timeseries("Request rate", "Requests per second by route template and status code.", "reqps",
                   [(f"sum by (route, status) (rate(http_requests_total{{{API}}}{RATE}))",
                     "{{route}} {{status}}", "A")], (0, 13, 12, 8)),
        timeseries("5xx ratio", "Share of answers with a 5xx status (all routes). ApiHighErrorRate pages above "
                   "5 % for 5 minutes with at least 0.1 request/s.", "percentunit",
                   [(f"({errors} or {requests} * 0) / {requests}", "5xx", "A")], (12, 13, 12, 8),
                   defaults={"max": 1, "min": 0}),
        timeseries("Latency p50 / p95 / p99", "Duration of /api/ requests from the API's histogram (buckets "
                   "from 1 ms to 10 s). ApiHighLatencyP99 tickets above 500 ms.", "s",
                   [(quantile(0.5), "p50", "A"), (quantile(0.95), "p95", "B"), (quantile(0.99), "p99", "C")],
                   (0, 21, 12, 8)),
        timeseries("Database connections", "Connections to PostgreSQL by state (postgres exporter), and "
                   "max_connections.", "short",
                   [(f'sum by (state) (pg_stat_activity_count{{job="postgres",{ENV}}})', "{{state}}", "A"),
                    (f'max(pg_settings_max_connections{{job="postgres",{ENV}}})', "max_connections", "B")],
                   (12, 21, 12, 8)),
        {"type": "row", "title": "SLO (28 days)", "collapsed": False,
         "gridPos": {"x": 0, "y": 29, "w": 24, "h": 1}, "panels": []},
        stat("Error budget remaining", "Share of the 28-day error budget left, per SLO (docs/slo.md): "
             "availability of /api/ 99.5 %, reads under 100 ms 99 %. Below 0: the SLO is missed.",
             "percentunit",
             [(f"slo:error_budget:remaining_ratio{{{ENV}}}", "{{slo}}", "A", True)], (0, 30, 8, 6),
             defaults={"thresholds": thresholds((None, "red"), (0.25, "orange"), (0.5, "green"))}),
        timeseries("Burn rate", "Error ratio divided by the budget (1 - objective), over 1 hour and 6 hours: "
                   "1 spends the budget in exactly 28 days; pages at 14.4 (1 h) and 6 (6 h).", "none",
                   [(f"slo:sli_error:ratio_rate1h{{{ENV}}} / on (slo) group_left () (1 - slo:objective:ratio)",
                     "{{slo}} 1h", "A"),
                    (f"slo:sli_error:ratio_rate6h{{{ENV}}} / on (slo) group_left () (1 - slo:objective:ratio)",
                     "{{slo}} 6h", "B")], (8, 30, 16, 6)),
        {"type": "row", "title": "Monitoring", "collapsed": False,
         "gridPos": {"x": 0, "y": 36, "w": 24, "h": 1}, "panels": []},
        timeseries("Scrape duration", "Time each scrape takes, per job (the probes include the probed "
                   "request).", "s",
                   [(f"scrape_duration_seconds{{{ENV}}}", "{{job}} {{instance}}", "A")], (0, 37, 12, 7)),
        timeseries("Series exported by the API", "Samples in each scrape of the API's /metrics: the "
                   "cardinality budget is 1000 (docs/observability.md); the scrape fails above 2000.", "short",
                   [(f"scrape_samples_scraped{{{API}}}", "samples", "A")], (12, 37, 12, 7)),
    ]


def dashboard():
    return {
        "uid": "tasks-api-overview",
        "title": "Tasks API - overview",
        "description": "Health, traffic, latency and SLOs of the tasks API in one environment.",
        "tags": ["tasks-api", "slo"],
        "timezone": "utc",
        "editable": False,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "annotations": {"list": [
            {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True,
             "hide": True, "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts",
             "type": "dashboard"},
            # A release id that was not running 2 minutes earlier: a deploy or a rollback.
            {"datasource": DATASOURCE, "enable": True, "iconColor": "orange", "name": "Releases",
             "expr": f"max by (release_id) (app_build_info{{{API}}})"
                     f" unless max by (release_id) (app_build_info{{{API}}} offset 2m)",
             "step": "1m", "titleFormat": "release {{release_id}}", "textFormat": "deploy or rollback"},
        ]},
        "templating": {"list": [
            {"name": "environment", "label": "Environment", "type": "query", "datasource": DATASOURCE,
             "query": {"query": 'label_values(up{job="api"}, environment)', "refId": "environment"},
             "definition": 'label_values(up{job="api"}, environment)', "refresh": 2, "includeAll": False,
             "multi": False, "sort": 1, "current": {}, "options": []},
        ]},
        "panels": [dict(p, id=i + 1) for i, p in enumerate(panels())],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    text = json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} differs from what generate_dashboard.py writes; run it",
                  file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
