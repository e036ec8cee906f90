#!/usr/bin/env bash
# The deploy-tree contract's corpus (deploy/contract/corpus/<case>/{tree,expected}) through
# scripts/lib, what rollback.sh and deploy_local.sh run: each case's answers (pointer, ignored
# entries, statuses, --to, default target, lock) must be exactly its expected lines. reldash
# runs the same corpus in Tests/ReleaseIOTests/ContractCorpusTests.swift. A new case is a new
# directory; this suite needs no edit. Also checks that the reason texts are those of
# deploy/contract/reasons.tsv. No Docker.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
cd_source_libs
# shellcheck source=scripts/tests/lib/contract.sh
source "$REPO_ROOT/scripts/tests/lib/contract.sh"
readonly CORPUS="$REPO_ROOT/deploy/contract/corpus"
readonly REASONS="$REPO_ROOT/deploy/contract/reasons.tsv"

# run_case DIR: records one result for the corpus case in DIR.
run_case() {
  local dir="$1" name actual expected diff_text
  name="contract corpus: ${dir##*/}"
  if [ ! -f "$dir/expected" ] || [ ! -d "$dir/tree" ]; then
    t_fail "$name" "a case needs tree/ and expected"
    return 0
  fi
  expected="$(contract_expected "$dir/expected")"
  # The corpus's lock cases were taken on "corpus-host".
  local -a extra=()
  mapfile -t extra < <(contract_extra_ids "$dir/expected")
  actual="$(HOSTNAME=corpus-host COMPUTERNAME='' contract_report "$dir/tree" ${extra[@]+"${extra[@]}"})"
  if [ "$actual" = "$expected" ]; then
    t_pass "$name"
  else
    diff_text="$(diff <(printf '%s\n' "$expected") <(printf '%s\n' "$actual") | grep '^[<>]' | tr '\n' ';' || true)"
    t_fail "$name" "expected (<) vs scripts/lib (>): $diff_text"
  fi
}

reasonTextsAreThoseOfTheContractTable() {
  local code text mismatches="" count=0
  while IFS=$'\t' read -r code text; do
    [[ "$code" == "#"* ]] || [ -z "$code" ] && continue
    count=$((count + 1))
    [ "$(contract_reason_text "$code")" = "$text" ] || mismatches+="$code "
  done <"$REASONS"
  if [ "$count" -lt 30 ]; then
    t_fail "contract: reason texts match reasons.tsv" "read only $count codes from $REASONS"
  elif [ -n "$mismatches" ]; then
    t_fail "contract: reason texts match reasons.tsv" "different text for: $mismatches"
  else
    t_pass "contract: reason texts match reasons.tsv"
  fi
}

everyExpectedCodeIsInTheContractTable() {
  local codes unknown=""
  codes="$(cut -f1 "$REASONS" | grep -v '^#')"
  while read -r code; do
    grep -qx -- "$code" <<<"$codes" || unknown+="$code "
  done < <(cat "$CORPUS"/*/expected | grep -v '^#' | tr ' ' '\n' | grep -E '^[a-z]+(_[a-z0-9]+)+$' | sort -u)
  if [ -z "$unknown" ]; then
    t_pass "contract: every code in the corpus is in reasons.tsv"
  else
    t_fail "contract: every code in the corpus is in reasons.tsv" "unknown: $unknown"
  fi
}

# _kv_as_json FILE: prints FILE's KEY=VALUE pairs as a JSON object, the way readers see them.
_kv_as_json() {
  kv_pairs "$1" | python3 -c 'import json,sys; print(json.dumps(dict(l.rstrip("\n").split("=",1) for l in sys.stdin)))'
}

# _validates NAME SCHEMA FILE: records whether FILE (KEY=VALUE) matches the contract's SCHEMA.
_validates() {
  local name="$1" schema="$REPO_ROOT/deploy/contract/schemas/$2" file="$3" json="$TEST_TMP/kv.json"
  _kv_as_json "$file" >"$json"
  if check-jsonschema --schemafile "$schema" "$json" >"$TEST_TMP/check.log" 2>&1; then
    t_pass "$name"
  else
    t_fail "$name" "$(tail -n 5 "$TEST_TMP/check.log" | tr '\n' ' ')"
  fi
}

filesWrittenByTheScriptsMatchTheContractSchemas() {
  local dir="$TEST_TMP/written" id=20260101T100000Z
  t_require "contract: schemas" check-jsonschema "run scripts/ci/provision.sh" || return 0
  mkdir -p "$dir"
  fx_release "$dir" "$id" deployed
  _validates "contract: release.env written by the scripts matches release-env.schema.json" \
    release-env.schema.json "$dir/releases/$id/release.env"
  release_mark_bad "$dir" "$id" "health gate failed"
  _validates "contract: BAD written by release_mark_bad matches bad-marker.schema.json" \
    bad-marker.schema.json "$dir/releases/$id/BAD"
  lock_acquire "$dir/.lock" "deploy_local.sh --env dev"
  _validates "contract: lock info written by lock_acquire matches lock-info.schema.json" \
    lock-info.schema.json "$dir/.lock/info"
  lock_release
  printf 'RELEASE_ID=%s\nAPP_ENV=qa\n' "$id" >"$dir/broken.env"
  if check-jsonschema --schemafile "$REPO_ROOT/deploy/contract/schemas/release-env.schema.json" \
    <(_kv_as_json "$dir/broken.env") >/dev/null 2>&1; then
    t_fail "contract: release-env.schema.json rejects an incomplete release.env" "accepted"
  else
    t_pass "contract: release-env.schema.json rejects an incomplete release.env"
  fi
}

main() {
  local dir count=0
  for dir in "$CORPUS"/*/; do
    run_case "${dir%/}"
    count=$((count + 1))
  done
  [ "$count" -gt 0 ] || t_fail "contract corpus" "no case found in $CORPUS"
  reasonTextsAreThoseOfTheContractTable
  everyExpectedCodeIsInTheContractTable
  filesWrittenByTheScriptsMatchTheContractSchemas
}

main "$@"
