# shellcheck shell=bash
# KEY=VALUE files (release.env, the BAD marker, the lock's info file): read line by line, never
# sourced, so a value is never executed. CRLF line ends (files edited on Windows) are accepted.

# kv_get FILE KEY: prints the value of the first KEY=... line of FILE; prints nothing when the
# key or the file is absent.
kv_get() {
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

# kv_pairs FILE: prints each KEY=VALUE line of FILE (comments, blanks and other lines skipped),
# for `env` or `mapfile`.
kv_pairs() {
  local file="$1" line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && printf '%s\n' "$line"
  done <"$file"
}
