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
