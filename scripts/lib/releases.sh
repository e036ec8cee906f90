# shellcheck shell=bash
# Releases of a deploy directory: DEPLOY_DIR/releases/<id>, id = UTC time YYYYMMDDTHHMMSSZ.
# Listing, derived status, rollback candidate, BAD markers, release.env, retention.
# Status is derived from files, never stored: current (the pointer), incomplete (no
# manifest.json), failed (manifest status failed), bad (BAD marker), deployed (otherwise).
# Needs: atomic.sh, log.sh.

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

# release_env_get FILE KEY: prints KEY's value from a KEY=VALUE file (release.env, BAD). The
# file is read, never sourced. Prints nothing when the key or the file is absent.
release_env_get() {
  local file="$1" key="$2" line
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    if [[ "$line" == "$key="* ]]; then
      printf '%s' "${line#*=}"
      return 0
    fi
  done <"$file"
}

# release_env_pairs FILE: prints each KEY=VALUE line of FILE (comments and blanks skipped), for
# `env` or `mapfile`.
release_env_pairs() {
  local file="$1" line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && printf '%s\n' "$line"
  done <"$file"
}

# release_manifest_failed DIR ID: succeeds when the release's manifest records status failed.
# Not a JSON parser: manifests are written by this library, one "status" key per line.
release_manifest_failed() {
  grep -Eq '^[[:space:]]*"status"[[:space:]]*:[[:space:]]*"failed"' "$1/releases/$2/manifest.json" 2>/dev/null
}

# release_status DIR ID CURRENT: prints current, incomplete, failed, bad or deployed.
release_status() {
  local dir="$1" id="$2" current="$3" path="$1/releases/$2"
  if [ "$id" = "$current" ]; then
    printf 'current'
  elif [ ! -f "$path/manifest.json" ]; then
    printf 'incomplete'
  elif release_manifest_failed "$dir" "$id"; then
    printf 'failed'
  elif [ -f "$path/BAD" ]; then
    printf 'bad'
  else
    printf 'deployed'
  fi
}

# release_is_target DIR ID: succeeds when ID can be rolled back to: complete (manifest and
# release.env), not failed, no BAD marker.
release_is_target() {
  local path="$1/releases/$2"
  [ -f "$path/manifest.json" ] && [ -f "$path/release.env" ] && [ ! -f "$path/BAD" ] &&
    ! release_manifest_failed "$1" "$2"
}

# release_why_not_target DIR ID: prints why ID cannot be rolled back to (empty when it can).
release_why_not_target() {
  local dir="$1" id="$2" path="$1/releases/$2"
  if [ ! -d "$path" ]; then
    printf 'release %s does not exist in %s/releases' "$id" "$dir"
  elif [ ! -f "$path/manifest.json" ]; then
    printf 'release %s is incomplete (no manifest.json: its deploy never finished)' "$id"
  elif release_manifest_failed "$dir" "$id"; then
    printf 'release %s failed its deploy (manifest status failed)' "$id"
  elif [ -f "$path/BAD" ]; then
    printf 'release %s is marked BAD (%s); delete %s/BAD first if you are sure' \
      "$id" "$(release_env_get "$path/BAD" reason)" "$path"
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
      [ "$(release_env_get "$dir/releases/$id/release.env" APP_ENV)" != "$environment" ]; then
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
  image="$(release_env_get "$dir/releases/$id/release.env" API_IMAGE)"
  rm -rf -- "${dir:?}/releases/$id"
  if [ -n "$image" ] && [[ "$image" == *":$id" ]] && command -v docker >/dev/null 2>&1; then
    if docker image inspect "$image" >/dev/null 2>&1; then
      docker image rm "$image" >/dev/null 2>&1 || log_warn "kept image $image (still in use)"
    fi
  fi
}
