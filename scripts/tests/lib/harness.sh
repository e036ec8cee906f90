# shellcheck shell=bash
# Test harness sourced by every suite under scripts/tests/<stage>/.
#
# scripts/test.sh runs each suite in its own bash process with:
#   TEST_REPORT   file where results are appended, one "pass|fail|skip<TAB>name<TAB>detail" line each
#   TEST_STRICT   1 when a missing prerequisite must fail instead of skip (CI sets it)
#   TEST_TMP      a scratch directory for this suite, removed after it
#   REPO_ROOT     the repository root
#   TEST_SUITE    the suite's name (stage/file), used as a prefix in result names
#
# A suite records one line per test case; the runner counts them. A suite that exits non-zero
# without recording any failure is itself counted as one failure.

: "${TEST_REPORT:?harness.sh is sourced by suites that scripts/test.sh runs}"
: "${REPO_ROOT:?}"
: "${TEST_TMP:?}"
: "${TEST_SUITE:=suite}"
: "${TEST_STRICT:=0}"

# Records a passing test case.
t_pass() {
  printf 'pass\t%s\t\n' "$1" >>"$TEST_REPORT"
  printf '  ok    %s\n' "$1"
}

# Records a failing test case; the optional second argument says why.
t_fail() {
  local detail="${2:-}"
  printf 'fail\t%s\t%s\n' "$1" "${detail//$'\n'/ }" >>"$TEST_REPORT"
  printf '  FAIL  %s%s\n' "$1" "${detail:+: $detail}"
}

# Records a skipped test case with its reason (a failure under TEST_STRICT=1).
t_skip() {
  if [ "$TEST_STRICT" = 1 ]; then
    t_fail "$1" "prerequisite missing (strict mode): $2"
    return 0
  fi
  printf 'skip\t%s\t%s\n' "$1" "$2" >>"$TEST_REPORT"
  printf '  SKIP  %s: %s\n' "$1" "$2"
}

# t_require NAME COMMAND HINT: succeeds when COMMAND is on PATH; otherwise records NAME as
# skipped (failed when strict) with a message naming the missing command and how to get it.
t_require() {
  local name="$1" command="$2" hint="$3"
  if command -v "$command" >/dev/null 2>&1; then
    return 0
  fi
  t_skip "$name" "'$command' not found; $hint"
  return 1
}

# t_run NAME CMD...: runs CMD, records pass or fail; on failure prints the last 60 lines of output.
t_run() {
  local name="$1" log
  shift
  log="$TEST_TMP/run.$RANDOM.log"
  if "$@" >"$log" 2>&1; then
    t_pass "$name"
  else
    local code=$?
    t_fail "$name" "exit $code"
    tail -n 60 "$log" | sed 's/^/        | /'
  fi
}

# t_import_xunit PREFIX FILE...: records the test cases of xUnit XML files (swift test
# --xunit-output writes one for XCTest and one for Swift Testing).
t_import_xunit() {
  local prefix="$1"
  shift
  local file
  for file in "$@"; do
    [ -f "$file" ] || continue
    python3 - "$prefix" "$file" "$TEST_REPORT" <<'PY'
import sys
import xml.etree.ElementTree as ET

prefix, path, report = sys.argv[1:4]
root = ET.parse(path).getroot()
with open(report, "a", encoding="utf-8") as out:
    for case in root.iter("testcase"):
        name = f"{prefix}: {case.get('classname', '')}.{case.get('name', '')}"
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if failure is not None:
            message = (failure.get("message") or "failed").replace("\n", " ").replace("\t", " ")
            out.write(f"fail\t{name}\t{message}\n")
            print(f"  FAIL  {name}: {message}")
        elif case.find("skipped") is not None:
            out.write(f"skip\t{name}\tskipped by the test\n")
        else:
            out.write(f"pass\t{name}\t\n")
PY
  done
}

# t_swift_test PREFIX PACKAGE_DIR [swift test args...]: builds and runs a package's tests and
# records every test case; a build failure is recorded as one failure.
# The index store stays on: on Linux `swift test` discovers the tests through it (with
# --disable-index-store a cold build ends with "index store path does not exist", seen in CI).
t_swift_test() {
  local prefix="$1" package="$2"
  shift 2
  local xunit="$TEST_TMP/xunit-${prefix//[^A-Za-z0-9]/_}.xml"
  local log="$TEST_TMP/swift-test-${prefix//[^A-Za-z0-9]/_}.log"
  rm -f "${xunit%.xml}"*.xml
  local code=0 failures_before
  failures_before=$(grep -c '^fail' "$TEST_REPORT" || true)
  swift test --package-path "$package" --parallel --xunit-output "$xunit" "$@" >"$log" 2>&1 || code=$?
  if ! ls "${xunit%.xml}"*.xml >/dev/null 2>&1; then
    t_fail "$prefix: build" "swift test exited $code before running any test"
    grep -E 'error:|warning: .*unhandled' "$log" | head -n 40 | sed 's/^/        | /'
    tail -n 20 "$log" | sed 's/^/        | /'
    return 0
  fi
  t_import_xunit "$prefix" "${xunit%.xml}"*.xml
  if [ "$code" -ne 0 ] && [ "$(grep -c '^fail' "$TEST_REPORT" || true)" = "$failures_before" ]; then
    t_fail "$prefix: run" "swift test exited $code"
    tail -n 40 "$log" | sed 's/^/        | /'
  fi
}

# t_repo_files PATHSPEC...: prints the repository's files matching the git pathspecs, tracked or
# new (not ignored), that exist in the working tree.
t_repo_files() {
  git -C "$REPO_ROOT" ls-files --cached --others --exclude-standard -- "$@" |
    while IFS= read -r f; do [ -f "$REPO_ROOT/$f" ] && printf '%s\n' "$f"; done
}

# t_wait_for DESCRIPTION TIMEOUT_SECONDS CMD...: polls CMD every 0.2 s until it succeeds or the
# deadline passes; returns 1 (after printing DESCRIPTION) on timeout. Never a fixed sleep.
t_wait_for() {
  local description="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      printf '        | timed out after %ss waiting for %s\n' "$timeout" "$description"
      return 1
    fi
    sleep 0.2
  done
}
