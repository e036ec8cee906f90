#!/usr/bin/env bash
# Unit tests of reldash (root package): the Swift Testing suites of ReleaseCore and ReleaseIO
# (fixture deploy trees in temp dirs, a stub HTTP server on 127.0.0.1, real bash scripts for the
# runner; no Prometheus needed), then the golden --json files against the JSON Schema.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"

readonly GOLDEN="$REPO_ROOT/Tests/ReleaseCoreTests/Golden"

# golden_documents_match_schema: every golden --json document validates against its definition.
golden_documents_match_schema() {
  local pair kind file
  for pair in releases:releases releases:releases-limit status_document:status \
    status_document:status-unavailable health:health show:show error:error; do
    kind="${pair%%:*}"
    file="$GOLDEN/${pair#*:}.json"
    t_run "reldash schema: ${pair#*:}.json is a valid $kind document" reldash_validate_json "$kind" "$file"
  done
}

# schema_rejects_unknown_fields: the schema is closed, so a renamed or added field is caught.
schema_rejects_unknown_fields() {
  local mutated="$TEST_TMP/mutated.json"
  sed 's/"returned"/"returned_count"/' "$GOLDEN/releases.json" >"$mutated"
  if reldash_validate_json releases "$mutated" >/dev/null; then
    t_fail "reldash schema: rejects a renamed field" "a document with returned_count validated"
  else
    t_pass "reldash schema: rejects a renamed field"
  fi
}

main() {
  t_require "reldash: swift" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  t_swift_test "reldash" "$REPO_ROOT"
  if python3 -c 'import jsonschema' 2>/dev/null; then
    golden_documents_match_schema
    schema_rejects_unknown_fields
  else
    t_skip "reldash schema" "python jsonschema not found; run scripts/ci/provision.sh (check-jsonschema brings it)"
  fi
}

main "$@"
