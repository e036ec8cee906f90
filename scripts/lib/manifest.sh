# shellcheck shell=bash
# manifest.json (schema_version 1, deploy/contract/schemas/manifest.schema.json), written once, atomically, when
# a deploy ends. Rendered with printf from an associative array; never parsed back, only
# searched (manifest_artifact_sha256, release_manifest_read in releases.sh).
# Needs: json.sh, atomic.sh.

# The files of a release directory listed in its manifest, with their sha256, when present.
readonly MANIFEST_ARTIFACTS="docker-compose.yml release.env image.tar.gz"

# manifest_artifacts_json RELEASE_PATH: prints the artifacts array (path + sha256) of the files
# that pin the release.
manifest_artifacts_json() {
  local path="$1" file sum q_file first=1
  printf '['
  for file in $MANIFEST_ARTIFACTS; do
    [ -f "$path/$file" ] || continue
    sum="$(sha256sum -- "$path/$file")"
    sum="${sum%% *}"
    json_quote_into q_file "$file"
    [ "$first" = 1 ] || printf ', '
    first=0
    printf '{"path": %s, "sha256": "%s"}' "$q_file" "$sum"
  done
  printf ']'
}

# manifest_images_json LINES: prints the images array from lines "service<TAB>ref<TAB>id" (id
# may be empty: null).
manifest_images_json() {
  local service ref id q_service q_ref q_id first=1
  printf '['
  while IFS=$'\t' read -r service ref id; do
    [ -n "$service" ] || continue
    json_quote_into q_service "$service"
    json_quote_or_null_into q_ref "$ref"
    json_quote_or_null_into q_id "$id"
    [ "$first" = 1 ] || printf ', '
    first=0
    printf '{"service": %s, "ref": %s, "id": %s}' "$q_service" "$q_ref" "$q_id"
  done <<<"$1"
  printf ']'
}

# manifest_render ARRAY_NAME RELEASE_PATH: prints the manifest for the fields of the associative
# array ARRAY_NAME: release_id environment status created_at finished_at duration_ms git_commit
# git_short git_branch git_dirty (true|false|"") app_version images (lines, see above)
# previous_release deployed_by health_url health_status health_attempts health_duration_ms
# failure_reason slot (blue|green, the slot the release ran in) config flags (the last two: JSON
# objects already rendered, see envconfig.sh). Empty values become null.
manifest_render() {
  local -n __mf="$1"
  local path="$2" key
  local -A q=()
  for key in release_id environment status created_at finished_at git_commit git_short \
    git_branch app_version previous_release deployed_by health_url health_status failure_reason slot; do
    json_quote_or_null_into "q[$key]" "${__mf[$key]:-}"
  done
  for key in duration_ms health_attempts health_duration_ms; do
    json_number_or_null_into "q[$key]" "${__mf[$key]:-}"
  done
  case "${__mf[git_dirty]:-}" in
    true | false) q[git_dirty]="${__mf[git_dirty]}" ;;
    *) q[git_dirty]=null ;;
  esac
  printf '{\n'
  printf '  "schema_version": 1,\n'
  printf '  "release_id": %s,\n' "${q[release_id]}"
  printf '  "environment": %s,\n' "${q[environment]}"
  printf '  "status": %s,\n' "${q[status]}"
  printf '  "created_at": %s,\n' "${q[created_at]}"
  printf '  "finished_at": %s,\n' "${q[finished_at]}"
  printf '  "duration_ms": %s,\n' "${q[duration_ms]}"
  printf '  "git": {"commit": %s, "short": %s, "branch": %s, "dirty": %s},\n' \
    "${q[git_commit]}" "${q[git_short]}" "${q[git_branch]}" "${q[git_dirty]}"
  printf '  "app_version": %s,\n' "${q[app_version]}"
  printf '  "images": %s,\n' "$(manifest_images_json "${__mf[images]:-}")"
  printf '  "artifacts": %s,\n' "$(manifest_artifacts_json "$path")"
  printf '  "previous_release": %s,\n' "${q[previous_release]}"
  printf '  "deployed_by": %s,\n' "${q[deployed_by]}"
  printf '  "health": {"url": %s, "status": %s, "attempts": %s, "duration_ms": %s},\n' \
    "${q[health_url]}" "${q[health_status]}" "${q[health_attempts]}" "${q[health_duration_ms]}"
  printf '  "config": %s,\n' "${__mf[config]:-null}"
  printf '  "flags": %s,\n' "${__mf[flags]:-null}"
  printf '  "failure_reason": %s,\n' "${q[failure_reason]}"
  printf '  "slot": %s\n' "${q[slot]}"
  printf '}\n'
}

# manifest_write ARRAY_NAME RELEASE_PATH: renders the manifest and writes it atomically.
manifest_write() {
  local content
  content="$(manifest_render "$1" "$2")" || return 1
  atomic_write "$2/manifest.json" "$content"$'\n'
}

# manifest_artifact_sha256 MANIFEST FILE: prints the sha256 that MANIFEST lists for the artifact
# FILE (empty when it lists none). A search for {"path": FILE, "sha256": HEX} as
# manifest_artifacts_json writes it, not a JSON parser.
manifest_artifact_sha256() {
  local manifest="$1" file="$2" content pattern
  [ -f "$manifest" ] || return 0
  content="$(cat -- "$manifest" 2>/dev/null)" || return 0
  pattern='"path"[[:space:]]*:[[:space:]]*"'"${file//./[.]}"'"[[:space:]]*,[[:space:]]*"sha256"[[:space:]]*:[[:space:]]*"([0-9a-f]{64})"'
  [[ "$content" =~ $pattern ]] && printf '%s' "${BASH_REMATCH[1]}"
  return 0
}
