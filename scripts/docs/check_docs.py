#!/usr/bin/env python3
"""No drift between the documentation and the repository, run by scripts/tests/unit/60-docs-links.sh.

    check_docs.py links      every relative Markdown link of README.md, answers.md, docs/ and
                             incidents/ names a file or directory that exists
    check_docs.py paths      every repository path written in code (`scripts/x.sh`,
                             `monitoring/prometheus/rules/api.yml`, ...) exists; runtime paths that
                             git ignores (deploy/releases/..., secrets/...) and patterns (<id>, *)
                             are not files and are skipped
    check_docs.py options    every script named with an option (`scripts/rollback.sh --list`)
                             accepts it: the option appears in the script's --help (in its
                             source for the few scripts that have no --help)
    check_docs.py files      prints the documents checked, one per line
Optional --root DIR (default: this repository). Exit 1 with one line per problem (file:line: what).
"""

import pathlib
import re
import subprocess
import sys

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
# A repository path: a known top-level entry, then path characters.
TOP = (
    "app/", "scripts/", "docs/", "deploy/", "monitoring/", "Sources/", "Tests/", "bench/",
    "incidents/", "contract/", ".github/", ".ci/",
)
ROOT_FILES = {
    "Dockerfile", "docker-compose.yml", ".env.example", "Package.swift", "answers.md", "README.md",
    ".dockerignore", ".gitignore", ".gitleaks.toml", ".trivyignore.yaml", ".swift-format",
    ".sops.yaml",
}
PATH_TOKEN = re.compile(r"(?<![\w./-])((?:\.github|\.ci|[A-Za-z][\w.-]*)/[\w./-]*[\w/]|[\w.-]+)")
SCRIPT_CALL = re.compile(r"(?<![\w./-])(scripts/[\w./-]+\.sh)((?:\s+[^\s|;&#`)]+)*)")
OPTION = re.compile(r"^--[a-z][a-z0-9-]*")


def documents(root):
    docs = [root / "README.md", root / "answers.md"]
    docs += sorted((root / "docs").rglob("*.md"))
    docs += sorted((root / "incidents").rglob("*.md"))
    return [d for d in docs if d.is_file()]


def code_texts(text):
    """(line number, text) of every code span and every line of a fenced block."""
    fence = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if fence:
            yield number, line
        else:
            for match in CODE_SPAN.finditer(line):
                yield number, match.group(1)


def git_ignored(root, relative):
    result = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "-q", "--no-index", relative],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )
    return result.returncode == 0


def check_links(root):
    problems = []
    for doc in documents(root):
        fence = False
        for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("```"):
                fence = not fence
            if fence:
                continue
            for match in LINK.finditer(line):
                target = match.group(1)
                if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue
                path = target.split("#", 1)[0]
                if not (doc.parent / path).exists():
                    problems.append(f"{doc.relative_to(root)}:{number}: link to {target}: no such file")
    return problems


def candidate_paths(code):
    for match in PATH_TOKEN.finditer(code):
        token = match.group(1).rstrip(".")
        if token in ROOT_FILES or (token.startswith(TOP) and len(token) > len(token.split("/")[0]) + 1):
            yield token


def check_paths(root):
    problems = []
    for doc in documents(root):
        for number, code in code_texts(doc.read_text(encoding="utf-8")):
            words = code.split()
            for token in candidate_paths(code):
                word = next((w for w in words if token in w), token)
                if any(mark in word for mark in "<*{$["):
                    continue
                if (root / token).exists() or git_ignored(root, token):
                    continue
                problems.append(f"{doc.relative_to(root)}:{number}: {token}: no such file in the repository")
    return problems


def script_help(root, script, cache):
    if script not in cache:
        path = root / script
        if not path.is_file():
            cache[script] = None
        elif "--help" not in path.read_text(encoding="utf-8"):
            # No usage to ask for (and running it might act): its source is what it accepts.
            cache[script] = path.read_text(encoding="utf-8")
        else:
            result = subprocess.run(
                ["bash", str(path), "--help"], capture_output=True, text=True, timeout=30, check=False,
            )
            cache[script] = result.stdout + result.stderr
    return cache[script]


def check_options(root):
    problems = []
    cache = {}
    for doc in documents(root):
        for number, code in code_texts(doc.read_text(encoding="utf-8")):
            for match in SCRIPT_CALL.finditer(code):
                script, rest = match.group(1), match.group(2)
                options = [o for o in (OPTION.match(word) for word in rest.split()) if o]
                if not options:
                    continue
                usage = script_help(root, script, cache)
                if usage is None:
                    problems.append(f"{doc.relative_to(root)}:{number}: {script}: no such script")
                    continue
                for option in options:
                    if not re.search(re.escape(option.group(0)) + r"(?![a-z0-9-])", usage):
                        problems.append(
                            f"{doc.relative_to(root)}:{number}: {script} {option.group(0)}: not in its --help"
                        )
    return problems


def print_files(root):
    for doc in documents(root):
        print(doc.relative_to(root))
    return []


COMMANDS = {"links": check_links, "paths": check_paths, "options": check_options, "files": print_files}


def main(argv):
    root = pathlib.Path(__file__).resolve().parents[2]
    if len(argv) == 3 and argv[1] == "--root":
        root = pathlib.Path(argv[2]).resolve()
        argv = argv[:1]
    if len(argv) != 1 or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    problems = COMMANDS[argv[0]](root)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
