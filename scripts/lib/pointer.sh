# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# The "current release" pointer of a deploy directory:
#   DEPLOY_DIR/current       relative symlink -> releases/<id>, where symlinks really work
#   DEPLOY_DIR/current.txt   the id as text, where they do not (Git Bash copies on `ln -s`)
# DEPLOY_POINTER=auto|symlink|file chooses how it is written (auto: symlink, else file).
# Readers accept both; both present and disagreeing is an error.
# Needs: atomic.sh, releases.sh (release_id_valid).

POINTER_ID=""
POINTER_ERROR=""
POINTER_MODE_USED=""

# pointer_mode_valid MODE: succeeds for auto, symlink or file.
pointer_mode_valid() {
  case "$1" in
    auto | symlink | file) return 0 ;;
    *) return 1 ;;
  esac
}

# pointer_read DIR: sets POINTER_ID to the current release id ("" when nothing is deployed).
# Returns 1 with POINTER_ERROR set when the pointer is unusable.
pointer_read() {
  local dir="$1" link="$1/current" text="$1/current.txt" from_link="" from_text="" target line=""
  POINTER_ID=""
  POINTER_ERROR=""
  if [ -L "$link" ]; then
    target="$(readlink -- "$link")"
    from_link="${target%/}"
    from_link="${from_link#releases/}"
    if [ "releases/$from_link" != "${target%/}" ] || ! release_id_valid "$from_link"; then
      POINTER_ERROR="$link points to '$target', not to releases/<id>; fix or remove it"
      return 1
    fi
  elif [ -e "$link" ]; then
    POINTER_ERROR="$link exists but is not a symlink (a copy made by 'ln -s'?); remove it and keep current.txt"
    return 1
  fi
  if [ -f "$text" ]; then
    IFS= read -r line <"$text" || true
    line="${line%$'\r'}"
    line="${line//[[:space:]]/}"
    if ! release_id_valid "$line"; then
      POINTER_ERROR="$text holds '$line', not a release id; fix or remove it"
      return 1
    fi
    from_text="$line"
  fi
  if [ -n "$from_link" ] && [ -n "$from_text" ] && [ "$from_link" != "$from_text" ]; then
    POINTER_ERROR="$link says $from_link but $text says $from_text; remove the wrong one"
    return 1
  fi
  POINTER_ID="${from_link:-$from_text}"
  if [ -n "$POINTER_ID" ] && [ ! -d "$dir/releases/$POINTER_ID" ]; then
    POINTER_ERROR="the current pointer names release $POINTER_ID, which is not in $dir/releases"
    return 1
  fi
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
