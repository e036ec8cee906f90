# shellcheck shell=bash
# Atomic file writes: readers see the old content or the new one, never a half-written file.
# Everything is written to a temporary file beside the target, then renamed onto it (rename is
# atomic within one file system). On failure the target is untouched and the temporary file is
# removed.

# atomic_write_from PATH CMD...: writes the standard output of CMD to PATH when CMD succeeds
# (with pipefail, a failing stage of a pipeline inside CMD counts). CMD's errors stay visible.
atomic_write_from() {
  local target="$1" dir tmp
  shift
  dir="${target%/*}"
  [ "$dir" = "$target" ] && dir="."
  tmp="$dir/.${target##*/}.tmp.$$.$RANDOM"
  if ! "$@" >"$tmp" || ! mv -f -T -- "$tmp" "$target" 2>/dev/null; then
    rm -f -- "$tmp"
    return 1
  fi
}

# atomic_write PATH CONTENT: writes CONTENT to PATH. The content is given whole, so a failing
# producer cannot leave a partial file.
atomic_write() {
  atomic_write_from "$1" printf '%s' "$2"
}

# atomic_copy SOURCE TARGET: copies SOURCE to TARGET.
atomic_copy() {
  atomic_write_from "$2" cat -- "$1"
}
