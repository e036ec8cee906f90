#!/usr/bin/env bash
# The project's one test command. Runs the suites of each stage and prints a final line
# "N passed, N failed, N skipped"; exits 1 when any test failed.
set -Eeuo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly STAGES=(lint unit integration e2e)

usage() {
  cat <<'EOF'
Usage: scripts/test.sh [--strict] [--filter REGEX] [--exclude REGEX] [--compose v2] [--list] [STAGE...]

Stages (run in this order; default: all):
  lint         formatting and static checks (swift format, shellcheck, yamllint, ...)
  unit         fast tests with no external service
  integration  tests against a real PostgreSQL / Prometheus started by the suite
  e2e          tests against real containers (Docker engine required)
  all          every stage

Options:
  --strict        a missing prerequisite (docker, postgres, tmux...) fails instead of skipping
                  (also TEST_STRICT=1; CI sets it)
  --filter REGEX  run only the suites whose name (stage/file) matches REGEX
  --exclude REGEX leave out the suites whose name matches REGEX (after --filter)
  --compose v2    run with Docker Compose v2.40 (the `docker compose` plugin that
                  scripts/ci/provision.sh puts in .tools/docker) instead of the machine's default
  --list          print the suites that would run, and exit
  -h, --help      this help

Suites live in scripts/tests/<stage>/*.sh and record results through scripts/tests/lib/harness.sh.
Output of the last run is kept in .test-output/.
EOF
}

log() { printf 'test.sh: %s\n' "$*" >&2; }

# Suites of one stage, in name order.
suites_of() {
  local stage="$1" file
  for file in "$REPO_ROOT/scripts/tests/$stage"/*.sh; do
    [ -e "$file" ] && printf '%s\n' "$file"
  done
}

# run_suite FILE: runs one suite in its own process with the harness environment.
run_suite() {
  local file="$1" stage name tmp before after code=0 started=$SECONDS
  stage="$(basename "$(dirname "$file")")"
  name="$stage/$(basename "$file" .sh)"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/test-${name//\//-}.XXXXXX")"
  before=$(wc -l <"$TEST_REPORT")
  printf '\n== %s\n' "$name"
  TEST_SUITE="$name" TEST_TMP="$tmp" bash "$file" || code=$?
  after=$(wc -l <"$TEST_REPORT")
  if [ "$code" -ne 0 ] && ! tail -n "+$((before + 1))" "$TEST_REPORT" | grep '^fail' >/dev/null; then
    printf 'fail\t%s\tsuite exited with code %s without recording a failure\n' "$name" "$code" >>"$TEST_REPORT"
    printf '  FAIL  %s: suite exited with code %s\n' "$name" "$code"
  elif [ "$after" -eq "$before" ]; then
    printf 'fail\t%s\tsuite recorded no test case\n' "$name" >>"$TEST_REPORT"
    printf '  FAIL  %s: suite recorded no test case\n' "$name"
  fi
  rm -rf "$tmp"
  printf '   (%s: %d s)\n' "$name" "$((SECONDS - started))"
}

main() {
  local strict="${TEST_STRICT:-0}" filter="" exclude="" compose="" list=0
  local -a selected=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --strict) strict=1 ;;
      --filter)
        [ $# -ge 2 ] || { log "--filter needs a regular expression"; exit 2; }
        filter="$2"
        shift
        ;;
      --exclude)
        [ $# -ge 2 ] || { log "--exclude needs a regular expression"; exit 2; }
        exclude="$2"
        shift
        ;;
      --compose)
        [ "${2:-}" = v2 ] || { log "--compose takes v2 (the default is the machine's compose)"; exit 2; }
        compose="$2"
        shift
        ;;
      --list) list=1 ;;
      -h | --help) usage; exit 0 ;;
      all) selected+=("${STAGES[@]}") ;;
      lint | unit | integration | e2e) selected+=("$1") ;;
      *) log "unknown argument '$1'"; usage >&2; exit 2 ;;
    esac
    shift
  done
  [ ${#selected[@]} -gt 0 ] || selected=("${STAGES[@]}")

  # Tools installed by scripts/ci/provision.sh come first; /usr/bin before /usr/local/bin so the
  # Debian docker client (with BuildKit) is used (see docs/tests.md, "Prérequis").
  # TOOLS_DIR (default .tools) is where scripts/ci/provision.sh installed them.
  local tools="${TOOLS_DIR:-$REPO_ROOT/.tools}"
  export PATH="$tools/venv/bin:$tools/bin:/usr/bin:$PATH"
  if [ "$compose" = v2 ]; then
    [ -x "$tools/docker/cli-plugins/docker-compose" ] ||
      { log "--compose v2: no plugin in $tools/docker/cli-plugins; run scripts/ci/provision.sh tools"; exit 2; }
    # A DOCKER_CONFIG of its own: `docker compose` exists for this run only.
    export DOCKER_CONFIG="$tools/docker"
    log "Docker Compose: $(docker compose version)"
  fi
  export TEST_STRICT="$strict" REPO_ROOT
  # Each run writes its own report (concurrent runs never mix); the last one is copied to
  # .test-output/report.tsv at the end.
  mkdir -p "$REPO_ROOT/.test-output"
  TEST_REPORT="$(mktemp "$REPO_ROOT/.test-output/report.XXXXXX.tsv")"
  export TEST_REPORT
  trap 'rm -f "$TEST_REPORT"' EXIT

  local stage file started=$SECONDS
  for stage in "${STAGES[@]}"; do
    [[ " ${selected[*]} " == *" $stage "* ]] || continue
    while IFS= read -r file; do
      [ -n "$filter" ] && ! [[ "$stage/$(basename "$file" .sh)" =~ $filter ]] && continue
      [ -n "$exclude" ] && [[ "$stage/$(basename "$file" .sh)" =~ $exclude ]] && continue
      if [ "$list" = 1 ]; then
        printf '%s/%s\n' "$stage" "$(basename "$file" .sh)"
        continue
      fi
      run_suite "$file"
    done < <(suites_of "$stage")
  done
  [ "$list" = 1 ] && exit 0

  local passed failed skipped
  passed=$(grep -c '^pass' "$TEST_REPORT" || true)
  failed=$(grep -c '^fail' "$TEST_REPORT" || true)
  skipped=$(grep -c '^skip' "$TEST_REPORT" || true)
  if [ "$failed" -gt 0 ]; then
    printf '\nFailures:\n'
    grep '^fail' "$TEST_REPORT" | cut -f2- | sed 's/\t/: /; s/^/  - /'
  fi
  if [ "$skipped" -gt 0 ]; then
    printf '\nSkipped (prerequisite missing):\n'
    grep '^skip' "$TEST_REPORT" | cut -f2- | sed 's/\t/: /; s/^/  - /'
  fi
  cp "$TEST_REPORT" "$REPO_ROOT/.test-output/report.tsv"
  printf '\n(%d s, report in .test-output/report.tsv)\n' "$((SECONDS - started))"
  printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  [ "$failed" -eq 0 ]
}

main "$@"
