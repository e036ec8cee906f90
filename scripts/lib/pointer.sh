# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# The "current release" pointer of a deploy directory:
#   DEPLOY_DIR/current       relative symlink -> releases/<id>, where symlinks really work
#   DEPLOY_DIR/current.txt   the id as text, where they do not (Git Bash copies on `ln -s`)
# DEPLOY_POINTER=auto|symlink|file chooses how it is written (auto: symlink, else file).
# Readers accept both; the rule (both, neither, disagreeing) is deploy/contract/README.md's.
# Needs: atomic.sh, releases.sh (release_id_valid).

POINTER_ID=""
POINTER_CODE=""
POINTER_ERROR=""
POINTER_SOURCE=""
POINTER_WARNING=""
POINTER_MODE_USED=""

# pointer_mode_valid MODE: succeeds for auto, symlink or file.
pointer_mode_valid() {
  case "$1" in
    auto | symlink | file) return 0 ;;
    *) return 1 ;;
  esac
}

# pointer_read DIR: resolves the current pointer by the rule of deploy/contract/README.md
# ("Pointeur courant"). Sets POINTER_ID ("" when nothing is deployed), POINTER_SOURCE (symlink,
# text, both or none) and POINTER_WARNING (current_copy_ignored or ""). Returns 1 when the
# pointer is unusable, with POINTER_CODE (pointer_bad_target, pointer_not_a_symlink,
# pointer_text_not_a_file, pointer_text_invalid, pointer_conflict, pointer_dangling) and
# POINTER_ERROR (what to do).
pointer_read() {
  local dir="$1" link="$1/current" text="$1/current.txt" from_link="" from_text="" target line=""
  local LC_ALL=C
  POINTER_ID=""
  POINTER_CODE=""
  POINTER_ERROR=""
  POINTER_SOURCE=none
  POINTER_WARNING=""
  if [ -L "$link" ]; then
    target="$(readlink -- "$link")"
    from_link="${target%/}"
    from_link="${from_link#releases/}"
    if [ "releases/$from_link" != "${target%/}" ] || ! release_id_valid "$from_link"; then
      _pointer_broken pointer_bad_target "$link points to '$target', not to releases/<id>; fix or remove it"
      return 1
    fi
  elif [ -e "$link" ]; then
    if [ ! -e "$text" ] && [ ! -L "$text" ]; then
      _pointer_broken pointer_not_a_symlink "$link exists but is not a symlink (a copy made by 'ln -s'?) and there is no current.txt; remove it and redeploy, or write the id into current.txt"
      return 1
    fi
    POINTER_WARNING=current_copy_ignored
  fi
  if [ -e "$text" ] || [ -L "$text" ]; then
    if [ -L "$text" ] || [ ! -f "$text" ]; then
      _pointer_broken pointer_text_not_a_file "$text is not a regular file; remove it"
      return 1
    fi
    IFS= read -r line <"$text" || true
    line="${line%$'\r'}"
    line="${line#$'\xef\xbb\xbf'}"
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if ! release_id_valid "$line"; then
      _pointer_broken pointer_text_invalid "$text holds '$line', not a release id; fix or remove it"
      return 1
    fi
    from_text="$line"
  fi
  if [ -n "$from_link" ] && [ -n "$from_text" ] && [ "$from_link" != "$from_text" ]; then
    _pointer_broken pointer_conflict "$link says $from_link but $text says $from_text; remove the wrong one"
    return 1
  fi
  POINTER_ID="${from_link:-$from_text}"
  if [ -n "$from_link" ] && [ -n "$from_text" ]; then
    POINTER_SOURCE=both
  elif [ -n "$from_link" ]; then
    POINTER_SOURCE=symlink
  elif [ -n "$from_text" ]; then
    POINTER_SOURCE=text
  fi
  if [ -n "$POINTER_ID" ] && ! release_exists "$dir" "$POINTER_ID"; then
    _pointer_broken pointer_dangling "the current pointer names release $POINTER_ID, which is not a release directory in $dir/releases"
    return 1
  fi
}

# _pointer_broken CODE MESSAGE: records an unusable pointer.
_pointer_broken() {
  POINTER_ID=""
  POINTER_SOURCE=none
  POINTER_CODE="$1"
  POINTER_ERROR="$2"
}

# _pointer_write_symlink DIR ID: switches DIR/current with a temporary link and a rename.
# Fails (leaving nothing behind) when `ln -s` cannot make a real symlink.
_pointer_write_symlink() {
  local dir="$1" id="$2" tmp="$1/current.tmp.$$"
  rm -rf -- "$tmp"
  if ! ln -s "releases/$id" "$tmp" 2>/dev/null || [ ! -L "$tmp" ]; then
    rm -rf -- "$tmp"
    return 1
  fi
  if ! mv -f -T -- "$tmp" "$dir/current"; then
    rm -f -- "$tmp"
    return 1
  fi
  rm -f -- "$dir/current.txt"
}

# _pointer_write_file DIR ID: writes DIR/current.txt atomically and drops a stale symlink.
_pointer_write_file() {
  local dir="$1" id="$2"
  atomic_write "$dir/current.txt" "$id"$'\n' || return 1
  if [ -L "$dir/current" ]; then
    rm -f -- "$dir/current"
  fi
}

# pointer_write DIR ID MODE: makes ID the current release. MODE auto tries a symlink and falls
# back to current.txt when symlinks are copies. Sets POINTER_MODE_USED (symlink|file).
pointer_write() {
  local dir="$1" id="$2" mode="$3"
  case "$mode" in
    symlink)
      _pointer_write_symlink "$dir" "$id" || {
        POINTER_ERROR="could not create a symlink in $dir (DEPLOY_POINTER=symlink); use DEPLOY_POINTER=file"
        return 1
      }
      POINTER_MODE_USED="symlink"
      ;;
    file)
      _pointer_write_file "$dir" "$id" || {
        POINTER_ERROR="could not write $dir/current.txt"
        return 1
      }
      POINTER_MODE_USED="file"
      ;;
    auto)
      if _pointer_write_symlink "$dir" "$id"; then
        POINTER_MODE_USED="symlink"
      else
        pointer_write "$dir" "$id" file
      fi
      ;;
    *)
      POINTER_ERROR="unknown pointer mode '$mode' (auto|symlink|file)"
      return 1
      ;;
  esac
}
