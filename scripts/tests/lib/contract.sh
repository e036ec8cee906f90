# shellcheck shell=bash
# Runs the deploy-tree contract's corpus (deploy/contract/corpus) through scripts/lib, the code
# rollback.sh and deploy_local.sh run. reldash's test (Tests/ReleaseIOTests/ContractCorpusTests)
# prints the same lines from the same trees; deploy/contract/README.md describes the format.
# Needs: scripts/lib/all.sh sourced.

# contract_report TREE [ID...]: prints the contract's answers for the deploy tree TREE, one
# line each, sorted: pointer, pointer warning, ignored entries, each release's status and code,
# the answer to --to for each release and each extra ID, the default target, the lock.
contract_report() {
  local tree="$1" current="" pointer_refusal="" id pair name code target
  shift
  local -a ids=()
  {
    if pointer_read "$tree"; then
      current="$POINTER_ID"
      if [ -n "$current" ]; then
        printf 'pointer ok %s %s\n' "$current" "$POINTER_SOURCE"
      else
        printf 'pointer none\n'
      fi
    else
      pointer_refusal=pointer_broken
      printf 'pointer broken %s\n' "$POINTER_CODE"
    fi
    [ -z "$POINTER_WARNING" ] || printf 'warning %s\n' "$POINTER_WARNING"
    while IFS=$'\t' read -r name code; do
      printf 'ignored %s %s\n' "$name" "$code"
    done < <(release_ignored_entries "$tree")
    mapfile -t ids < <(release_list "$tree")
    for id in ${ids[@]+"${ids[@]}"}; do
      pair="$(release_status_code "$tree" "$id")"
      if [ "$id" = "$current" ]; then
        printf 'release %s current %s\n' "$id" "${pair#* }"
      else
        printf 'release %s %s\n' "$id" "$pair"
      fi
    done
    for id in ${ids[@]+"${ids[@]}"} "$@"; do
      code="$(release_target_problem "$tree" "$id" "$current" "$pointer_refusal")"
      printf 'to %s %s\n' "$id" "${code:-ok}"
    done
    target="$(release_rollback_target "$tree" "$current" "$pointer_refusal")"
    printf 'target %s\n' "$target"
    printf 'lock %s\n' "$(lock_state "$tree/.lock")"
  } | LC_ALL=C sort -u
}

# contract_expected FILE: prints the expected lines of a corpus case (comments and blank lines
# removed), sorted.
contract_expected() {
  grep -v -e '^#' -e '^[[:space:]]*$' "$1" | LC_ALL=C sort -u
}

# contract_extra_ids FILE: prints the ids that the case's "to" lines ask about.
contract_extra_ids() {
  grep '^to ' "$1" | cut -d' ' -f2
}
