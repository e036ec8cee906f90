#!/usr/bin/env bash
# No drift between the documentation (README.md, answers.md, docs/ with the runbooks,
# incidents/) and the repository: every relative link and every repository path written in code
# exists, and every script named with an option accepts it (scripts/docs/check_docs.py); then
# the same checks on a copy of the documents with one drift each, which they must report.
# About 5 s (each script's --help runs once per check).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly CHECK="$REPO_ROOT/scripts/docs/check_docs.py"

# drift_copy DIR: the documents, the scripts they name and .gitignore, in a git work tree at DIR.
drift_copy() {
  local dir="$1" entry
  mkdir -p "$dir"
  for entry in README.md answers.md docs incidents scripts monitoring deploy app .gitignore; do
    [ ! -e "$REPO_ROOT/$entry" ] || cp -r "$REPO_ROOT/$entry" "$dir/"
  done
  git -C "$dir" init -q
}

# drift_detected NAME CHECK LINE EXPECTED: appends LINE to the copy's README.md; the CHECK
# (links, paths or options) must fail and name EXPECTED.
drift_detected() {
  local name="$1" check="$2" line="$3" expected="$4" dir="$TEST_TMP/drift.$RANDOM" out
  drift_copy "$dir"
  printf '\n%s\n' "$line" >>"$dir/README.md"
  if out="$(python3 "$CHECK" "$check" --root "$dir" 2>&1)"; then
    t_fail "docs drift detected: $name" "check_docs.py $check passed"
  elif [[ "$out" == *"$expected"* ]]; then
    t_pass "docs drift detected: $name"
  else
    t_fail "docs drift detected: $name" "$out"
  fi
}

main() {
  t_require "docs: python3" python3 "apt-get install python3" || exit 0
  t_require "docs: git" git "apt-get install git" || exit 0
  t_run "docs: the documents checked include README, answers, every runbook and the post-mortem" \
    bash -c "python3 '$CHECK' files | grep -qx README.md && python3 '$CHECK' files | grep -qx answers.md &&
      [ \"\$(python3 '$CHECK' files | grep -c '^docs/runbooks/')\" -ge 18 ] &&
      python3 '$CHECK' files | grep -q '^incidents/.*-postmortem.md$'"
  t_run "docs: every relative link names a file that exists" python3 "$CHECK" links
  t_run "docs: every repository path written in code exists" python3 "$CHECK" paths
  t_run "docs: every script named with an option accepts it (--help)" python3 "$CHECK" options
  local tick='`'
  drift_detected "a link to a missing file" links '[perdu](docs/nulle-part.md)' \
    'link to docs/nulle-part.md: no such file'
  drift_detected "a path to a missing script" paths "${tick}scripts/nulle_part.sh${tick}" \
    'scripts/nulle_part.sh: no such file in the repository'
  drift_detected "an option a script does not accept" options "${tick}scripts/rollback.sh --vers-hier${tick}" \
    'scripts/rollback.sh --vers-hier: not in its --help'
}

main "$@"
