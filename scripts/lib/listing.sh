# shellcheck shell=bash
# shellcheck disable=SC2034 # LISTING_REASON is this library's result, read by listing_print
# The human-readable list of releases (rollback.sh --list): id, derived status, environment,
# version, commit, slot (the one its deploy started it in), and the reason (contract code and text, deploy/contract/README.md) or the
# default rollback target mark; then the entries that are not releases, the pointer, the slot
# the proxy routes to and the lock. Reads files only: no docker.
# Needs: releases.sh, pointer.sh, lock.sh, contract.sh, kv.sh, log.sh, proxy.sh.

# listing_reason DIR ID CURRENT TARGET: sets LISTING_REASON, the reason column of one release,
# from the RELEASE_CODE that release_classify set for it (no subshell).
listing_reason() {
  local dir="$1" id="$2" current="$3" target="$4" code="$RELEASE_CODE" prefix="" marker=""
  LISTING_REASON=""
  if [ "$code" = - ]; then
    [ "$id" != "$target" ] || LISTING_REASON='<- default rollback target'
    return 0
  fi
  [ "$id" != "$current" ] || prefix='current, but '
  if [ "$code" = marked_bad ] || [ "$code" = deploy_failed ]; then
    marker="$(kv_get "$dir/releases/$id/BAD" reason)"
    [ -z "$marker" ] || marker=" ($marker)"
  fi
  LISTING_REASON="$prefix$code: $(contract_reason_text "$code")$marker"
}

# listing_print DIR: prints the releases of DIR, newest first, then what else a reader must know.
listing_print() {
  local dir="$1" current="" pointer_refusal="" target="" id status commit name code live
  local -A pins=()
  if pointer_read "$dir"; then
    current="$POINTER_ID"
  else
    pointer_refusal=pointer_broken
    log_warn "$POINTER_ERROR"
  fi
  if [ -z "$(release_list "$dir")" ]; then
    printf 'No release in %s/releases.\n' "$dir"
  else
    target="$(release_rollback_target "$dir" "$current" "$pointer_refusal")"
    printf '%-17s  %-10s  %-7s  %-9s  %-7s  %-5s  %s\n' RELEASE STATUS ENV VERSION COMMIT SLOT REASON
    while IFS= read -r id; do
      kv_load "$dir/releases/$id/release.env" pins
      release_classify "$dir" "$id"
      listing_reason "$dir" "$id" "$current" "$target"
      status="$RELEASE_STATUS"
      commit="${pins[GIT_COMMIT]:-}"
      [ "$id" != "$current" ] || status=current
      printf '%-17s  %-10s  %-7s  %-9s  %-7s  %-5s  %s\n' "$id" "$status" "${pins[APP_ENV]:-}" \
        "${pins[APP_VERSION]:-}" "${commit:0:7}" "${pins[SLOT]:--}" \
        "$LISTING_REASON"
    done < <(release_list "$dir" | LC_ALL=C sort -r)
  fi
  while IFS=$'\t' read -r name code; do
    printf 'ignored: releases/%s: %s\n' "$name" "$(contract_reason "$code")"
  done < <(release_ignored_entries "$dir")
  [ -z "$POINTER_WARNING" ] || printf 'warning: %s\n' "$(contract_reason "$POINTER_WARNING")"
  if [ -n "$pointer_refusal" ]; then
    printf '\nCurrent pointer unusable: %s: %s\n' "$POINTER_CODE" "$POINTER_ERROR"
  elif [ -z "$current" ]; then
    printf '\nNothing is current.\n'
  elif [[ "$target" == "none "* ]]; then
    printf '\nNo default rollback target: %s\n' "$(contract_reason "${target#none }")"
  fi
  live="$(proxy_live_slot "$dir")"
  [ -z "$live" ] || printf 'Proxy routes to slot %s (%s/upstream.conf).\n' "$live" "$(proxy_config_dir "$dir")"
  case "$(lock_state "$dir/.lock")" in
    held) printf 'Lock held by %s\n' "$(lock_describe "$dir/.lock")" ;;
    stale) printf 'Stale lock (its process is gone): %s; the next deploy clears it\n' "$(lock_describe "$dir/.lock")" ;;
    invalid) printf 'Lock: %s\n' "$(contract_reason lock_invalid)" ;;
  esac
  return 0
}
