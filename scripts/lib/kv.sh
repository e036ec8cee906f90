# shellcheck shell=bash
# KEY=VALUE files (release.env, the BAD marker, the lock's info file): read line by line, never
# sourced, so a value is never executed. CRLF line ends and a leading byte order mark (files
# edited on Windows) are accepted.

# kv_get FILE KEY: prints the value of KEY in FILE: the last KEY=... line wins (as in the
# environment that compose_release hands to Compose); prints nothing when the key or the file is
# absent. The rules of these files: deploy/contract/README.md, "Fichiers KEY=VALUE".
kv_get() {
  local file="$1" key="$2" line value="" first=1
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    _kv_clean_line line "$first"
    first=0
    [[ "$line" == "$key="* ]] && value="${line#*=}"
  done <"$file"
  printf '%s' "$value"
}

# _kv_clean_line VAR FIRST: removes a trailing CR (files edited on Windows) and, on the first
# line (FIRST=1), a UTF-8 byte order mark.
_kv_clean_line() {
  local -n __kv_line="$1"
  __kv_line="${__kv_line%$'\r'}"
  if [ "$2" = 1 ]; then
    __kv_line="${__kv_line#$'\xef\xbb\xbf'}"
  fi
}

# kv_load FILE ARRAY: fills the associative array ARRAY with FILE's pairs, as kv_get reads them
# (last key wins); empty when the file is absent. No subshell.
kv_load() {
  local file="$1" line first=1
  local -n __kv_values="$2"
  __kv_values=()
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    _kv_clean_line line "$first"
    first=0
    [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && __kv_values["${line%%=*}"]="${line#*=}"
  done <"$file"
  return 0
}

# kv_pairs FILE: prints each KEY=VALUE line of FILE (comments, blanks and other lines skipped),
# for `env` or `mapfile`; a repeated key is printed each time, so the last one wins there too.
kv_pairs() {
  local file="$1" line first=1
  while IFS= read -r line || [ -n "$line" ]; do
    _kv_clean_line line "$first"
    first=0
    [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] && printf '%s\n' "$line"
  done <"$file"
}

# dotenv_get FILE KEY: the value of KEY in a .env file as Compose reads it: the last KEY= line
# wins and one pair of surrounding double quotes is removed; prints nothing when the key or the
# file is absent.
dotenv_get() {
  local file="$1" key="$2" line value=""
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [[ "$line" == "$key="* ]] || continue
    value="${line#*=}"
    if [[ "$value" == \"*\" ]] && [ "${#value}" -ge 2 ]; then
      value="${value:1:${#value}-2}"
    fi
  done <"$file"
  printf '%s' "$value"
}

# compose_setting FILE KEY DEFAULT: KEY from the environment, else from the .env FILE, else
# DEFAULT: the precedence Compose applies when it substitutes ${KEY}.
compose_setting() {
  local file="$1" key="$2" default="$3" value
  if [ -n "${!key:-}" ]; then
    printf '%s' "${!key}"
    return 0
  fi
  value="$(dotenv_get "$file" "$key")"
  printf '%s' "${value:-$default}"
}
