# shellcheck shell=bash
# Releases of a deploy directory: DEPLOY_DIR/releases/<id>, id = UTC time YYYYMMDDTHHMMSSZ.
# Listing, derived status, rollback candidate, BAD markers, release.env, retention.
# Status is derived from files, never stored: current (the pointer), incomplete (no
# manifest.json), invalid (manifest.json breaks the rule of release_manifest_read), failed
# (manifest status failed), bad (BAD marker), deployed (otherwise).
# Needs: atomic.sh, kv.sh, lock.sh (lock_owner), log.sh.

MANIFEST_STATE=""
MANIFEST_PROBLEM=""

# release_id_valid ID: succeeds when ID has the form YYYYMMDDTHHMMSSZ.
release_id_valid() {
  [[ "$1" =~ ^[0-9]{8}T[0-9]{6}Z$ ]]
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

# release_list DIR: prints the release ids in DIR/releases, oldest first (ids sort by time).
release_list() {
  local dir="$1/releases" path id
  [ -d "$dir" ] || return 0
  for path in "$dir"/*/; do
    [ -d "$path" ] || continue
    path="${path%/}"
    id="${path##*/}"
    release_id_valid "$id" && printf '%s\n' "$id"
  done | LC_ALL=C sort
}

# release_newest DIR: prints the newest release id ("" when none).
release_newest() {
  release_list "$1" | tail -n 1
}

# release_manifest_read DIR ID: applies the manifest rule shared with reldash (README, "Cible
# d'un retour arrière") to DIR/releases/ID/manifest.json, without parsing JSON. The file must
# start with { and end with } (a truncated write does not), carry "schema_version": 1, name
# this release in every "release_id", and hold exactly one "status" of deployed or failed (the
# health gate's status is healthy, unhealthy or skipped). Sets MANIFEST_STATE to missing,
# invalid, failed or deployed, and MANIFEST_PROBLEM to why it is invalid.
release_manifest_read() {
  local file="$1/releases/$2/manifest.json" id="$2" content trimmed found
  local version_re='"schema_version"[[:space:]]*:[[:space:]]*([^,}[:space:]]+)'
  local -a ids=() outcomes=()
  MANIFEST_STATE=invalid
  MANIFEST_PROBLEM=""
  if [ ! -f "$file" ]; then
    MANIFEST_STATE=missing
    return 0
  fi
  if ! content="$(cat -- "$file" 2>/dev/null)"; then
    MANIFEST_PROBLEM="manifest.json cannot be read"
    return 0
  fi
  trimmed="${content#"${content%%[![:space:]]*}"}"
  trimmed="${trimmed%"${trimmed##*[![:space:]]}"}"
  if [[ "$trimmed" != "{"*"}" ]]; then
    MANIFEST_PROBLEM="manifest.json does not run from { to } (truncated or not a JSON object)"
    return 0
  fi
  if [[ ! "$content" =~ $version_re ]] || [ "${BASH_REMATCH[1]}" != 1 ]; then
    MANIFEST_PROBLEM="manifest.json has schema_version ${BASH_REMATCH[1]:-(missing)}, not 1"
    return 0
  fi
  _release_manifest_strings ids "$content" release_id '[^"]*'
  [ "${#ids[@]}" -gt 0 ] || MANIFEST_PROBLEM="manifest.json has no release_id"
  for found in ${ids[@]+"${ids[@]}"}; do
    [ "$found" = "$id" ] || MANIFEST_PROBLEM="manifest.json names release $found, not $id"
  done
  [ -z "$MANIFEST_PROBLEM" ] || return 0
  _release_manifest_strings outcomes "$content" status 'deployed|failed'
  if [ "${#outcomes[@]}" -ne 1 ]; then
    MANIFEST_PROBLEM="manifest.json has ${#outcomes[@]} status values deployed or failed, not exactly one"
    return 0
  fi
  MANIFEST_STATE="${outcomes[0]}"
}

# _release_manifest_strings ARRAY TEXT KEY VALUE_RE: fills ARRAY with the value of each
# "KEY": "VALUE" pair of TEXT whose value matches the regular expression VALUE_RE.
_release_manifest_strings() {
  local -n __rms_found="$1"
  local rest="$2" pattern="\"$3\"[[:space:]]*:[[:space:]]*\"($4)\""
  __rms_found=()
  while [[ "$rest" =~ $pattern ]]; do
    __rms_found+=("${BASH_REMATCH[1]}")
    rest="${rest#*"${BASH_REMATCH[0]}"}"
  done
}

# release_status DIR ID CURRENT: prints current, incomplete, invalid, failed, bad or deployed.
release_status() {
  local dir="$1" id="$2" current="$3"
  if [ "$id" = "$current" ]; then
    printf 'current'
    return 0
  fi
  release_manifest_read "$dir" "$id"
  case "$MANIFEST_STATE" in
    missing) printf 'incomplete' ;;
    invalid | failed) printf '%s' "$MANIFEST_STATE" ;;
    *) if [ -f "$dir/releases/$id/BAD" ]; then printf 'bad'; else printf 'deployed'; fi ;;
  esac
}

# release_is_target DIR ID: succeeds when ID can be rolled back to: a valid manifest with
# status deployed, a release.env, no BAD marker.
release_is_target() {
  local path="$1/releases/$2"
  [ -f "$path/release.env" ] && [ ! -f "$path/BAD" ] || return 1
  release_manifest_read "$1" "$2"
  [ "$MANIFEST_STATE" = deployed ]
}

# release_why_not_target DIR ID: prints why ID cannot be rolled back to (empty when it can).
release_why_not_target() {
  local dir="$1" id="$2" path="$1/releases/$2"
  if [ ! -d "$path" ]; then
    printf 'release %s does not exist in %s/releases' "$id" "$dir"
    return 0
  fi
  release_manifest_read "$dir" "$id"
  if [ "$MANIFEST_STATE" = missing ]; then
    printf 'release %s is incomplete (no manifest.json: its deploy never finished)' "$id"
  elif [ "$MANIFEST_STATE" = invalid ]; then
    printf 'release %s is invalid: %s' "$id" "$MANIFEST_PROBLEM"
  elif [ "$MANIFEST_STATE" = failed ]; then
    printf 'release %s failed its deploy (manifest status failed)' "$id"
  elif [ -f "$path/BAD" ]; then
    printf 'release %s is marked BAD (%s); delete %s/BAD first if you are sure' \
      "$id" "$(kv_get "$path/BAD" reason)" "$path"
  elif [ ! -f "$path/release.env" ]; then
    printf 'release %s has no release.env' "$id"
  fi
}

# release_rollback_target DIR CURRENT [ENVIRONMENT]: prints the newest release older than
# CURRENT that can be rolled back to (and, if given, was deployed to ENVIRONMENT).
release_rollback_target() {
  local dir="$1" current="$2" environment="${3:-}" id found=""
  while IFS= read -r id; do
    [[ "$id" < "$current" ]] || continue
    release_is_target "$dir" "$id" || continue
    if [ -n "$environment" ] &&
      [ "$(kv_get "$dir/releases/$id/release.env" APP_ENV)" != "$environment" ]; then
      continue
    fi
    found="$id"
  done < <(release_list "$dir")
  printf '%s' "$found"
}

# release_mark_bad DIR ID REASON: writes the BAD marker (reason, time, user) unless one exists:
# the first reason is the evidence and is kept.
release_mark_bad() {
  local path="$1/releases/$2" reason="${3//$'\n'/ }" user
  [ -d "$path" ] || return 1
  [ -f "$path/BAD" ] && return 0
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
