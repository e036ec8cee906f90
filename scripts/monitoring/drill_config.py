#!/usr/bin/env python3
"""Writes the alert-drill variant of the monitoring configuration: the same files with every
duration divided by a factor, so that alerts whose real for: and windows are minutes fire in
seconds. The rules stay the committed ones (same expressions, thresholds and labels); only
durations change. promtool tests prove the real durations; the drill proves the chain
(API -> Prometheus -> Alertmanager -> receiver -> reldash) end to end.

    scripts/monitoring/drill_config.py OUT_DIR [--divide 30]

Writes OUT_DIR/prometheus.yml, OUT_DIR/rules/*.yml, OUT_DIR/alertmanager.yml. Durations are
floored at 1 s; the scrape and evaluation intervals become 1 s.
"""

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
DURATION = r"(\d+)(ms|[smhdwy])"


def shorten(text, factor):
    value, unit = re.fullmatch(DURATION, text).groups()
    seconds = max(1, int(int(value) * UNITS[unit] / factor))
    return f"{seconds // 60}m" if seconds % 60 == 0 and seconds >= 60 else f"{seconds}s"


def header(source, factor):
    return (f"# GENERATED for an alert drill by scripts/monitoring/drill_config.py from {source}:\n"
            f"# every duration divided by {factor} (at least 1 s). Not for real use.\n")


def prometheus(text):
    text = re.sub(r"(scrape_interval|evaluation_interval): \S+", r"\1: 1s", text)
    return re.sub(r"scrape_timeout: \S+", "scrape_timeout: 1s", text)


def rules(text, factor):
    text = re.sub(rf"(\b(?:for|interval): ){DURATION}\b", lambda m: m.group(1) + shorten(m.group(2) + m.group(3), factor), text)
    return re.sub(rf"\[{DURATION}\]", lambda m: "[" + shorten(m.group(1) + m.group(2), factor) + "]", text)


def alertmanager(text, factor):
    keys = "group_wait|group_interval|repeat_interval|resolve_timeout"
    return re.sub(rf"(\b(?:{keys}): ){DURATION}\b", lambda m: m.group(1) + shorten(m.group(2) + m.group(3), factor), text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--divide", type=int, default=30)
    args = parser.parse_args()
    if args.divide < 1:
        parser.error("--divide must be at least 1")
    (args.out / "rules").mkdir(parents=True, exist_ok=True)
    source = "monitoring/prometheus/prometheus.yml"
    (args.out / "prometheus.yml").write_text(
        header(source, args.divide) + prometheus((ROOT / source).read_text(encoding="utf-8")), encoding="utf-8")
    for path in sorted((ROOT / "monitoring/prometheus/rules").glob("*.yml")):
        source = path.relative_to(ROOT)
        (args.out / "rules" / path.name).write_text(
            header(source, args.divide) + rules(path.read_text(encoding="utf-8"), args.divide), encoding="utf-8")
    source = "monitoring/alertmanager/alertmanager.yml"
    (args.out / "alertmanager.yml").write_text(
        header(source, args.divide) + alertmanager((ROOT / source).read_text(encoding="utf-8"), args.divide),
        encoding="utf-8")
    print(f"wrote the drill configuration (durations / {args.divide}) in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
