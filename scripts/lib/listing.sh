# shellcheck shell=bash
# The human-readable list of releases (rollback.sh --list): id, derived status, version, commit
# and a note (the default rollback target, the BAD reason). Reads files only: no docker.
# Needs: releases.sh, pointer.sh, kv.sh, log.sh.

# listing_note DIR ID STATUS TARGET: prints the note column of one release.
listing_note() {
  local dir="$1" id="$2" status="$3" target="$4" path="$1/releases/$2"
  case "$status" in
    bad | failed) printf '%s' "$(kv_get "$path/BAD" reason)" ;;
    incomplete) printf 'deploy never finished (no manifest.json)' ;;
    invalid)
      release_manifest_read "$dir" "$id"
      printf '%s' "$MANIFEST_PROBLEM"
      ;;
    *) [ "$id" = "$target" ] && printf '<- default rollback target' ;;
  esac
  return 0
}

# listing_print DIR: prints the releases of DIR, newest first, then the pointer mode.
listing_print() {
  local dir="$1" current="" target="" id status env_file note commit
  if pointer_read "$dir"; then
    current="$POINTER_ID"
  else
    log_warn "$POINTER_ERROR"
  fi
  if [ -z "$(release_list "$dir")" ]; then
    printf 'No release in %s/releases.\n' "$dir"
    return 0
  fi
  [ -z "$current" ] || target="$(release_rollback_target "$dir" "$current" \
    "$(kv_get "$dir/releases/$current/release.env" APP_ENV)")"
  printf '%-17s  %-10s  %-7s  %-9s  %-7s  %s\n' RELEASE STATUS ENV VERSION COMMIT NOTE
  while IFS= read -r id; do
    env_file="$dir/releases/$id/release.env"
    status="$(release_status "$dir" "$id" "$current")"
    note="$(listing_note "$dir" "$id" "$status" "$target")"
    commit="$(kv_get "$env_file" GIT_COMMIT)"
    printf '%-17s  %-10s  %-7s  %-9s  %-7s  %s\n' "$id" "$status" \
      "$(kv_get "$env_file" APP_ENV)" "$(kv_get "$env_file" APP_VERSION)" "${commit:0:7}" "$note"
  done < <(release_list "$dir" | LC_ALL=C sort -r)
  if [ -z "$current" ]; then
    printf '\nNothing is current.\n'
  fi
}
