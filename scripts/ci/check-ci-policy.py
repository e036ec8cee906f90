#!/usr/bin/env python3
"""The repository's CI policy, checked on files (scripts/tests/lint/workflow-policy.sh).

  check-ci-policy.py workflows FILE...   GitHub Actions workflows (and composite action.yml)
  check-ci-policy.py trivyignore FILE    Trivy exceptions (.trivyignore.yaml)

Workflows: every `uses:` of a remote action is a full 40-hex commit SHA followed by a
`# vX.Y.Z` comment; `permissions` is set at workflow level and grants no write there; no
`pull_request_target` or `workflow_run` trigger; every job has `timeout-minutes`; every
actions/checkout step sets `persist-credentials: false`; no untrusted event data expanded
inside `run:` (it must go through `env:`).
Trivy exceptions: each has an id, the paths it covers, a statement (why) and an expiry date
(expired_at) that is not past.

Prints one line per violation (FILE: where: what) and exits 1 when there is any; 2 on usage.
Needs PyYAML (installed with yamllint in .tools/venv).
"""

import datetime
import re
import sys

import yaml

USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?P<comment>#.*)?$")
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"^#\s*v?\d+(\.\d+)*(\S*)?\s*$")
DOCKER_PINNED = re.compile(r"^docker://[^@\s]+@sha256:[0-9a-f]{64}$")
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)
UNTRUSTED = re.compile(
    r"\b("
    r"github\.event\.(issue|pull_request|comment|review|review_comment|head_commit|commits|pages"
    r"|discussion|workflow_run|release|pusher|sender)\b"
    r"|github\.head_ref\b|inputs\.|steps\.[^}]*\.outputs\."
    r")"
)
FORBIDDEN_TRIGGERS = ("pull_request_target", "workflow_run")


def check_uses_lines(path, text):
    """Every remote `uses:` is a SHA pin with a version comment (read from the raw text)."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = USES_LINE.match(line)
        if not match:
            continue
        ref, comment = match.group("ref").strip("'\""), (match.group("comment") or "").strip()
        if ref.startswith("./"):
            continue
        if ref.startswith("docker://"):
            if not DOCKER_PINNED.match(ref):
                problems.append(f"{path}:{number}: {ref} is not pinned by sha256 digest")
            continue
        if not PINNED.match(ref):
            problems.append(f"{path}:{number}: 'uses: {ref}' is not pinned to a full 40-hex commit SHA")
        elif not VERSION_COMMENT.match(comment):
            problems.append(f"{path}:{number}: 'uses: {ref}' has no '# vX.Y.Z' version comment")
    return problems


def triggers(document):
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    on = document.get("on", document.get(True))
    if isinstance(on, str):
        return [on]
    if isinstance(on, list):
        return on
    if isinstance(on, dict):
        return list(on)
    return []


def iter_run_scripts(document):
    for job_id, job in (document.get("jobs") or {}).items():
        for index, step in enumerate((job or {}).get("steps") or []):
            if isinstance(step, dict) and "run" in step:
                yield f"jobs.{job_id}.steps[{index}]", str(step["run"])
    runs = document.get("runs") or {}
    for index, step in enumerate(runs.get("steps") or []):
        if isinstance(step, dict) and "run" in step:
            yield f"runs.steps[{index}]", str(step["run"])


def check_workflow(path, document):
    problems = []
    is_workflow = "jobs" in document
    if is_workflow:
        permissions = document.get("permissions")
        if permissions is None:
            problems.append(f"{path}: no workflow-level 'permissions' (set 'contents: read' and raise per job)")
        elif permissions == "write-all" or (
            isinstance(permissions, dict) and any(v == "write" for v in permissions.values())
        ):
            problems.append(f"{path}: workflow-level permissions grant write ({permissions}); raise them per job")
        for trigger in triggers(document):
            if trigger in FORBIDDEN_TRIGGERS:
                problems.append(f"{path}: trigger '{trigger}' runs with a write token on untrusted code")
        for job_id, job in (document.get("jobs") or {}).items():
            job = job or {}
            if "timeout-minutes" not in job and "uses" not in job:
                problems.append(f"{path}: jobs.{job_id} has no timeout-minutes")
            for index, step in enumerate(job.get("steps") or []):
                uses = str(step.get("uses", "")) if isinstance(step, dict) else ""
                if uses.startswith("actions/checkout@"):
                    if (step.get("with") or {}).get("persist-credentials") is not False:
                        problems.append(
                            f"{path}: jobs.{job_id}.steps[{index}] checkout keeps the token (set persist-credentials: false)"
                        )
    for where, script in iter_run_scripts(document):
        for expression in EXPRESSION.findall(script):
            if UNTRUSTED.search(expression):
                problems.append(
                    f"{path}: {where}: '{expression}' expanded inside run: (pass it through env: and quote it)"
                )
    return problems


def check_workflows(paths):
    problems = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        try:
            document = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            problems.append(f"{path}: not valid YAML: {error}")
            continue
        problems += check_uses_lines(path, text)
        problems += check_workflow(path, document)
    return problems


def check_trivyignore(path, today=None):
    today = today or datetime.date.today()
    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or {}
    problems = []
    for section in ("vulnerabilities", "misconfigurations", "secrets", "licenses"):
        for index, entry in enumerate(document.get(section) or []):
            where = f"{path}: {section}[{index}] ({entry.get('id', 'no id')})"
            if not entry.get("id"):
                problems.append(f"{where}: no id")
            if not entry.get("paths") and section != "vulnerabilities":
                problems.append(f"{where}: no paths (an exception names the files it covers)")
            if not str(entry.get("statement") or "").strip():
                problems.append(f"{where}: no statement (say why the finding is accepted)")
            expiry = entry.get("expired_at")
            if not isinstance(expiry, datetime.date):
                problems.append(f"{where}: no expired_at date (YYYY-MM-DD)")
            elif expiry < today:
                problems.append(f"{where}: expired on {expiry}: fix the finding or decide anew")
    return problems


def main(argv):
    if len(argv) < 3 or argv[1] not in ("workflows", "trivyignore"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems = check_workflows(argv[2:]) if argv[1] == "workflows" else check_trivyignore(argv[2])
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
