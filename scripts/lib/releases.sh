# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# Releases of a deploy directory: DEPLOY_DIR/releases/<id>, id = UTC time YYYYMMDDTHHMMSSZ.
# Listing, derived status, rollback target, BAD markers, release.env, retention: the rules of
# deploy/contract/README.md (reldash applies the same ones; both run deploy/contract/corpus).
# Needs: atomic.sh, kv.sh, lock.sh (lock_owner), log.sh, contract.sh.

MANIFEST_STATE=""
MANIFEST_CODE=""
RELEASE_STATUS=""
RELEASE_CODE=""
ENTRY_PROBLEM=""
# The largest manifest.json the rule reads (deploy/contract/README.md, "Validité d'un manifeste").
readonly MANIFEST_BYTE_LIMIT=262144

# release_id_valid ID: succeeds when ID is YYYYMMDDTHHMMSSZ and names a real UTC second
# (years 1970-9999, the month's days with Gregorian leap years, hours 00-23, no leap second).
release_id_valid() {
  [[ "$1" =~ ^([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z$ ]] || return 1
  local year=$((10#${BASH_REMATCH[1]})) month=$((10#${BASH_REMATCH[2]})) day=$((10#${BASH_REMATCH[3]}))
  local hour=$((10#${BASH_REMATCH[4]})) minute=$((10#${BASH_REMATCH[5]})) second=$((10#${BASH_REMATCH[6]}))
  local -a days=(0 31 28 31 30 31 30 31 31 30 31 30 31)
  if ((year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))); then days[2]=29; fi
  ((year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= days[month])) || return 1
  ((hour <= 23 && minute <= 59 && second <= 59))
}

# release_id_now: prints the release id for the current UTC second.
release_id_now() {
  date -u +%Y%m%dT%H%M%SZ
}

# release_id_to_time ID: prints the id as an RFC 3339 UTC time (20261124T181500Z ->
# 2026-11-24T18:15:00Z).
release_id_to_time() {
  local id="$1"
  printf '%s-%s-%sT%s:%s:%sZ' "${id:0:4}" "${id:4:2}" "${id:6:2}" "${id:9:2}" "${id:11:2}" "${id:13:2}"
}

# release_entry_check DIR NAME: sets ENTRY_PROBLEM to why the entry NAME of DIR/releases is not
# a release (not_a_release_id, symlink_entry, not_a_directory), or "" for a release.
release_entry_check() {
  local path="$1/releases/$2"
  ENTRY_PROBLEM=""
  if ! release_id_valid "$2"; then
    ENTRY_PROBLEM=not_a_release_id
  elif [ -L "$path" ]; then
    ENTRY_PROBLEM=symlink_entry
  elif [ ! -d "$path" ]; then
    ENTRY_PROBLEM=not_a_directory
  fi
}

# release_ignored_entries DIR: prints "NAME<TAB>CODE" for each entry of DIR/releases that is not
# a release (names starting with a dot are skipped silently).
release_ignored_entries() {
  local dir="$1/releases" path name
  [ -d "$dir" ] || return 0
  for path in "$dir"/*; do
    [ -e "$path" ] || [ -L "$path" ] || continue
    name="${path##*/}"
    release_entry_check "$1" "$name"
    [ -z "$ENTRY_PROBLEM" ] || printf '%s\t%s\n' "$name" "$ENTRY_PROBLEM"
  done
}

# release_list DIR: prints the release ids in DIR/releases, oldest first (ids sort by time).
# Entries that are not releases (release_entry_check) are left out.
release_list() {
  local dir="$1/releases" path id
  [ -d "$dir" ] || return 0
  for path in "$dir"/*/; do
    path="${path%/}"
    id="${path##*/}"
    if [ -d "$path" ] && [ ! -L "$path" ] && release_id_valid "$id"; then
      printf '%s\n' "$id"
    fi
  done | LC_ALL=C sort
}

# release_exists DIR ID: succeeds when ID is a release of DIR (a valid id naming a directory).
release_exists() {
  release_entry_check "$1" "$2"
  [ -z "$ENTRY_PROBLEM" ]
}

# release_newest DIR: prints the newest release id ("" when none).
release_newest() {
  release_list "$1" | tail -n 1
}

# release_manifest_read DIR ID: applies the manifest rule of the deploy-tree contract
# (deploy/contract/README.md, "Validité d'un manifeste"; reldash applies the same rule) to
# DIR/releases/ID/manifest.json, without parsing JSON. Sets MANIFEST_STATE to missing, invalid,
# failed or deployed, and for invalid MANIFEST_CODE (its text: contract_reason_text).
release_manifest_read() {
  local file="$1/releases/$2/manifest.json" id="$2" content trimmed value
  local LC_ALL=C
  local -a keys=() versions=() ids=() outcomes=()
  local -i version_keys id_keys
  MANIFEST_STATE=invalid
  MANIFEST_CODE=""
  if [ ! -e "$file" ] && [ ! -L "$file" ]; then
    MANIFEST_STATE=missing
    return 0
  fi
  if [ -L "$file" ] || [ ! -f "$file" ]; then
    _release_manifest_reject manifest_not_a_file
    return 0
  fi
  if [ ! -r "$file" ]; then
    _release_manifest_reject manifest_unreadable
    return 0
  fi
  # At most limit + 1 bytes: read stops early at a NUL byte, which is how it is detected.
  content=""
  if IFS= read -r -d '' -n $((MANIFEST_BYTE_LIMIT + 1)) content <"$file" &&
    [ "${#content}" -le "$MANIFEST_BYTE_LIMIT" ]; then
    _release_manifest_reject manifest_nul_byte
    return 0
  fi
  if [ "${#content}" -gt "$MANIFEST_BYTE_LIMIT" ]; then
    _release_manifest_reject manifest_too_large
    return 0
  fi
  trimmed="${content#$'\xef\xbb\xbf'}"
  trimmed="${trimmed#"${trimmed%%[![:space:]]*}"}"
  trimmed="${trimmed%"${trimmed##*[![:space:]]}"}"
  if [[ "$trimmed" != "{"*"}" ]]; then
    _release_manifest_reject not_an_object
    return 0
  fi
  _release_manifest_values keys "$content" '"schema_version"[[:space:]]*(:)'
  version_keys=${#keys[@]}
  _release_manifest_values versions "$content" '"schema_version"[[:space:]]*:[[:space:]]*([^,}[:space:]]+)'
  if [ "$version_keys" -eq 0 ]; then
    _release_manifest_reject schema_version_missing
    return 0
  fi
  for value in ${versions[@]+"${versions[@]}"}; do
    [ "$value" = 1 ] || version_keys=-1
  done
  if [ "$version_keys" -ne "${#versions[@]}" ]; then
    _release_manifest_reject schema_version_unsupported
    return 0
  fi
  _release_manifest_values keys "$content" '"release_id"[[:space:]]*(:)'
  id_keys=${#keys[@]}
  _release_manifest_values ids "$content" '"release_id"[[:space:]]*:[[:space:]]*"([^"]*)"'
  if [ "$id_keys" -eq 0 ]; then
    _release_manifest_reject release_id_missing
    return 0
  fi
  for value in ${ids[@]+"${ids[@]}"}; do
    [ "$value" = "$id" ] || id_keys=-1
  done
  if [ "$id_keys" -ne "${#ids[@]}" ]; then
    _release_manifest_reject release_id_mismatch
    return 0
  fi
  _release_manifest_values outcomes "$content" '"status"[[:space:]]*:[[:space:]]*"(deployed|failed)"'
  case "${#outcomes[@]}" in
    0) _release_manifest_reject no_outcome ;;
    1) MANIFEST_STATE="${outcomes[0]}" ;;
    *) _release_manifest_reject several_outcomes ;;
  esac
}

# _release_manifest_reject CODE: marks the manifest invalid for CODE.
_release_manifest_reject() {
  MANIFEST_STATE=invalid
  MANIFEST_CODE="$1"
}

# _release_manifest_values ARRAY TEXT PATTERN: fills ARRAY with the first group of each match of
# PATTERN in TEXT, scanning left to right without overlap.
_release_manifest_values() {
  local -n __rmv_found="$1"
  local rest="$2" pattern="$3"
  __rmv_found=()
  while [[ "$rest" =~ $pattern ]]; do
    __rmv_found+=("${BASH_REMATCH[1]}")
    rest="${rest#*"${BASH_REMATCH[0]}"}"
  done
}

# release_is_marked_bad DIR ID: succeeds when the release has a BAD entry (file, directory or link).
release_is_marked_bad() {
  [ -e "$1/releases/$2/BAD" ] || [ -L "$1/releases/$2/BAD" ]
}

# release_classify DIR ID: sets RELEASE_STATUS and RELEASE_CODE for release ID ignoring the
# pointer: deployed -, incomplete no_manifest, invalid <manifest code>, failed deploy_failed,
# bad marked_bad. No subshell: cheap enough to call for every release of a listing.
release_classify() {
  release_manifest_read "$1" "$2"
  case "$MANIFEST_STATE" in
    missing) RELEASE_STATUS=incomplete RELEASE_CODE=no_manifest ;;
    invalid) RELEASE_STATUS=invalid RELEASE_CODE="$MANIFEST_CODE" ;;
    failed) RELEASE_STATUS=failed RELEASE_CODE=deploy_failed ;;
    *)
      if release_is_marked_bad "$1" "$2"; then
        RELEASE_STATUS=bad RELEASE_CODE=marked_bad
      else
        RELEASE_STATUS=deployed RELEASE_CODE=-
      fi
      ;;
  esac
}

# release_status_code DIR ID: prints "STATUS CODE" as release_classify sets them.
release_status_code() {
  release_classify "$1" "$2"
  printf '%s %s' "$RELEASE_STATUS" "$RELEASE_CODE"
}

# release_status DIR ID CURRENT: prints current, incomplete, invalid, failed, bad or deployed.
release_status() {
  local pair
  if [ "$2" = "$3" ]; then
    printf 'current'
    return 0
  fi
  pair="$(release_status_code "$1" "$2")"
  printf '%s' "${pair%% *}"
}

# release_env_problem DIR ID: prints why the release.env of ID cannot pin a rollback
# (release_env_missing, release_env_incomplete, release_env_mismatch); nothing when it can.
release_env_problem() {
  local file="$1/releases/$2/release.env" key
  if [ -L "$file" ] || [ ! -f "$file" ]; then
    printf 'release_env_missing'
    return 0
  fi
  for key in RELEASE_ID APP_ENV API_IMAGE COMPOSE_PROJECT_NAME; do
    if [ -z "$(kv_get "$file" "$key")" ]; then
      printf 'release_env_incomplete'
      return 0
    fi
  done
  [ "$(kv_get "$file" RELEASE_ID)" = "$2" ] || printf 'release_env_mismatch'
}

# release_environment DIR ID: prints the APP_ENV of release ID ("" when unknown).
release_environment() {
  kv_get "$1/releases/$2/release.env" APP_ENV
}

# release_target_problem DIR ID CURRENT POINTER_CODE: prints the contract code that refuses
# ID as a rollback target (--to ID) from release CURRENT, in the contract's order; nothing when
# ID can be rolled back to. POINTER_CODE is pointer_broken when the pointer is unusable.
release_target_problem() {
  local dir="$1" id="$2" current="$3" pointer_code="${4:-}" pair environment
  if ! release_id_valid "$id"; then
    printf 'not_a_release_id'
  elif [ -n "$pointer_code" ]; then
    printf '%s' "$pointer_code"
  elif [ -z "$current" ]; then
    printf 'no_current_release'
  elif [ "$id" = "$current" ]; then
    printf 'target_is_current'
  elif ! release_exists "$dir" "$id"; then
    printf 'unknown_release'
  else
    pair="$(release_status_code "$dir" "$id")"
    if [ "${pair%% *}" != deployed ]; then
      printf 'target_%s' "${pair%% *}"
      return 0
    fi
    pair="$(release_env_problem "$dir" "$id")"
    if [ -n "$pair" ]; then
      printf '%s' "$pair"
      return 0
    fi
    environment="$(release_environment "$dir" "$current")"
    if [ -z "$environment" ]; then
      printf 'current_environment_unknown'
    elif [ "$(release_environment "$dir" "$id")" != "$environment" ]; then
      printf 'other_environment'
    fi
  fi
}

# release_rollback_target DIR CURRENT POINTER_CODE: prints the default rollback target (the newest
# release older than CURRENT that release_target_problem accepts), or "none CODE" when there is
# none (pointer_broken, no_current_release, current_environment_unknown, no_older_release,
# no_eligible_release).
release_rollback_target() {
  local dir="$1" current="$2" pointer_code="${3:-}" id older=0
  local -a ids=()
  if [ -n "$pointer_code" ]; then
    printf 'none %s' "$pointer_code"
    return 0
  fi
  if [ -z "$current" ]; then
    printf 'none no_current_release'
    return 0
  fi
  if [ -z "$(release_environment "$dir" "$current")" ]; then
    printf 'none current_environment_unknown'
    return 0
  fi
  mapfile -t ids < <(release_list "$dir" | LC_ALL=C sort -r)
  for id in ${ids[@]+"${ids[@]}"}; do
    [[ "$id" < "$current" ]] || continue
    older=1
    if [ -z "$(release_target_problem "$dir" "$id" "$current")" ]; then
      printf '%s' "$id"
      return 0
    fi
  done
  if [ "$older" = 0 ]; then printf 'none no_older_release'; else printf 'none no_eligible_release'; fi
}

# release_mark_bad DIR ID REASON: writes the BAD marker (reason, time, user) unless one exists:
# the first reason is the evidence and is kept.
release_mark_bad() {
  local path="$1/releases/$2" reason="${3//$'\n'/ }" user
  [ -d "$path" ] || return 1
  release_is_marked_bad "$1" "$2" && return 0
  user="$(lock_owner)"
  atomic_write "$path/BAD" "$(printf 'reason=%s\ntime=%s\nuser=%s' "$reason" "$(utc_now)" "$user")"$'\n'
}

# release_prune_plan DIR KEEP CURRENT PREVIOUS...: prints the ids to delete: every release but
# the KEEP newest, CURRENT and each PREVIOUS (empty values ignored).
release_prune_plan() {
  local dir="$1" keep="$2" current="$3" id
  shift 3
  local -a ids=() protected=("$current" "$@")
  mapfile -t ids < <(release_list "$dir")
  local count=${#ids[@]} index
  for ((index = 0; index < count - keep; index++)); do
    id="${ids[index]}"
    [[ " ${protected[*]} " == *" $id "* ]] && continue
    printf '%s\n' "$id"
  done
}

# release_remove DIR ID: deletes one release directory and its image tag (best effort: an image
# used by a container or already gone is left with a message).
release_remove() {
  local dir="$1" id="$2" image
  release_id_valid "$id" || return 1
  image="$(kv_get "$dir/releases/$id/release.env" API_IMAGE)"
  rm -rf -- "${dir:?}/releases/$id"
  if [ -n "$image" ] && [[ "$image" == *":$id" ]] && command -v docker >/dev/null 2>&1; then
    if docker image inspect "$image" >/dev/null 2>&1; then
      docker image rm "$image" >/dev/null 2>&1 || log_warn "kept image $image (still in use)"
    fi
  fi
}
