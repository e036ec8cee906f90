# shellcheck shell=bash
# Atomic file writes: readers see the old content or the new one, never a half-written file.

# atomic_write PATH CONTENT: writes CONTENT to a temporary file beside PATH, then renames it onto
# PATH (rename is atomic within one file system). On failure PATH is untouched and the temporary
# file is removed. The content is given whole, so a failing producer cannot leave a partial file.
atomic_write() {
  local target="$1" content="$2" dir tmp
  dir="${target%/*}"
  [ "$dir" = "$target" ] && dir="."
  tmp="$dir/.${target##*/}.tmp.$$.$RANDOM"
  if ! printf '%s' "$content" >"$tmp" 2>/dev/null; then
    rm -f -- "$tmp"
    return 1
  fi
  if ! mv -f -T -- "$tmp" "$target" 2>/dev/null; then
    rm -f -- "$tmp"
    return 1
  fi
}

# atomic_copy SOURCE TARGET: copies SOURCE to TARGET through a temporary file and a rename.
atomic_copy() {
  local source="$1" target="$2" dir tmp
  dir="${target%/*}"
  [ "$dir" = "$target" ] && dir="."
  tmp="$dir/.${target##*/}.tmp.$$.$RANDOM"
  if ! cp -- "$source" "$tmp"; then
    rm -f -- "$tmp"
    return 1
  fi
  if ! mv -f -T -- "$tmp" "$target" 2>/dev/null; then
    rm -f -- "$tmp"
    return 1
  fi
}
