# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# Per-environment configuration: deploy/env/<environment>.env (non-secret KEY=VALUE), checked
# against deploy/env/schema.tsv (known keys, types, values refused in prod) before a deploy
# changes anything, then resolved (a few keys may be overridden from the process environment) and
# recorded in the release: release.env lines and the manifest's "config" and "flags" objects.
# Needs: log.sh (die), json.sh, kv.sh (_kv_clean_line).
#   envconfig_resolve ENVIRONMENT FILE SCHEMA   # exits 3 listing every problem
#   envconfig_release_env                       # KEY=VALUE lines for release.env
#   envconfig_config_json / envconfig_flags_json

ENVCONFIG_FILE=""
ENVCONFIG_KEYS=()
declare -gA ENVCONFIG=()
declare -gA ENVCONFIG_TYPE=()
declare -gA ENVCONFIG_PROD=()
declare -gA ENVCONFIG_OVERRIDE=()
ENVCONFIG_PROBLEMS=()

# envconfig_resolve ENVIRONMENT FILE SCHEMA: reads SCHEMA and FILE, applies the allowed overrides
# from the process environment, checks everything, and fills ENVCONFIG_KEYS (schema order) and
# ENVCONFIG. On any problem, exits 3 with all of them and the fix; nothing has changed yet.
envconfig_resolve() {
  local environment="$1" file="$2" schema="$3"
  ENVCONFIG_FILE="$file"
  ENVCONFIG_PROBLEMS=()
  [ -f "$schema" ] || die "$EXIT_REFUSED" "the configuration schema $schema is missing; restore it from git"
  [ -f "$file" ] ||
    die "$EXIT_REFUSED" "the configuration of '$environment' is missing: $file. Create it from deploy/env/dev.env (keys: $schema)"
  _envconfig_read_schema "$schema"
  _envconfig_read_file "$file"
  _envconfig_apply_overrides
  _envconfig_check "$environment"
  if [ "${#ENVCONFIG_PROBLEMS[@]}" -gt 0 ]; then
    local problem text=""
    for problem in "${ENVCONFIG_PROBLEMS[@]}"; do text+=$'\n'"    - $problem"; done
    die "$EXIT_REFUSED" "invalid configuration $file for '$environment' (${#ENVCONFIG_PROBLEMS[@]} problem(s)):$text
  Fix the file (keys, types and prod rules: $schema); nothing was changed."
  fi
}

# _envconfig_read_schema FILE: the key, type, prod and override columns of schema.tsv.
_envconfig_read_schema() {
  local key type prod override _meaning
  ENVCONFIG_KEYS=()
  ENVCONFIG_TYPE=() ENVCONFIG_PROD=() ENVCONFIG_OVERRIDE=()
  while IFS=$'\t' read -r key type prod override _meaning || [ -n "$key" ]; do
    [[ -z "$key" || "$key" == "#"* || "$key" == key ]] && continue
    ENVCONFIG_KEYS+=("$key")
    ENVCONFIG_TYPE[$key]="$type"
    ENVCONFIG_PROD[$key]="$prod"
    ENVCONFIG_OVERRIDE[$key]="$override"
  done <"$1"
}

# _envconfig_read_file FILE: KEY=VALUE lines (comments and blank lines allowed); any other line,
# an unknown key or a repeated key is a problem. Values are taken as written (no quotes removed).
_envconfig_read_file() {
  local file="$1" line number=0 key
  ENVCONFIG=()
  while IFS= read -r line || [ -n "$line" ]; do
    number=$((number + 1))
    _kv_clean_line line "$((number == 1 ? 1 : 0))"
    [[ -z "${line//[[:space:]]/}" || "$line" =~ ^[[:space:]]*# ]] && continue
    if [[ ! "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
      ENVCONFIG_PROBLEMS+=("line $number is not KEY=VALUE: '${line:0:60}'")
      continue
    fi
    key="${line%%=*}"
    if [ -z "${ENVCONFIG_TYPE[$key]+set}" ]; then
      ENVCONFIG_PROBLEMS+=("line $number: unknown key $key (known: ${ENVCONFIG_KEYS[*]})")
    elif [ -n "${ENVCONFIG[$key]+set}" ]; then
      ENVCONFIG_PROBLEMS+=("line $number: $key is set twice")
    else
      ENVCONFIG[$key]="${line#*=}"
    fi
  done <"$file"
}

# _envconfig_apply_overrides: keys marked "env" in the schema take the process environment's
# value when it is set and not empty (API_PORT for tests, FAULT_5XX_RATE for drills).
_envconfig_apply_overrides() {
  local key
  for key in "${ENVCONFIG_KEYS[@]}"; do
    [ "${ENVCONFIG_OVERRIDE[$key]}" = env ] || continue
    [ -n "${!key:-}" ] && ENVCONFIG[$key]="${!key}"
  done
  return 0
}

# _envconfig_check ENVIRONMENT: every key present with a value of its type, the prod rules, and
# FAULT_5XX_RATE above 0 only with FAULT_INJECTION=true.
_envconfig_check() {
  local environment="$1" key value refused
  for key in "${ENVCONFIG_KEYS[@]}"; do
    if [ -z "${ENVCONFIG[$key]+set}" ]; then
      ENVCONFIG_PROBLEMS+=("$key is missing (${ENVCONFIG_TYPE[$key]})")
      continue
    fi
    value="${ENVCONFIG[$key]}"
    envconfig_value_valid "${ENVCONFIG_TYPE[$key]}" "$value" ||
      ENVCONFIG_PROBLEMS+=("$key='${value:0:40}' is not a valid ${ENVCONFIG_TYPE[$key]}")
    refused="${ENVCONFIG_PROD[$key]}"
    if [ "$environment" = prod ] && [ "$refused" != - ] && [[ "|$refused|" == *"|$value|"* ]]; then
      ENVCONFIG_PROBLEMS+=("$key=$value is refused in prod (refused there: ${refused//|/, })")
    fi
  done
  value="${ENVCONFIG[FAULT_5XX_RATE]:-0}"
  if [[ "$value" =~ ^[0-9.]+$ ]] && [[ ! "$value" =~ ^0*\.?0*$ ]]; then
    if [ "$environment" = prod ]; then
      ENVCONFIG_PROBLEMS+=("FAULT_5XX_RATE=$value is refused in prod (fault injection is for dev and staging drills)")
    elif [ "${ENVCONFIG[FAULT_INJECTION]:-}" != true ]; then
      ENVCONFIG_PROBLEMS+=("FAULT_5XX_RATE=$value needs FAULT_INJECTION=true")
    fi
  fi
}

# envconfig_value_valid TYPE VALUE: succeeds when VALUE is of TYPE (see schema.tsv).
envconfig_value_valid() {
  local type="$1" value="$2" range low high
  case "$type" in
    bool) [[ "$value" =~ ^(true|false)$ ]] ;;
    memory) [[ "$value" =~ ^[1-9][0-9]{0,5}[kmg]$ ]] ;;
    enum:*) [[ "|${type#enum:}|" == *"|$value|"* && -n "$value" && "$value" != *"|"* ]] ;;
    int:*)
      range="${type#int:}" low="${range%-*}" high="${range#*-}"
      [[ "$value" =~ ^[1-9][0-9]{0,8}$|^0$ ]] && [ "$value" -ge "$low" ] && [ "$value" -le "$high" ]
      ;;
    decimal:*)
      range="${type#decimal:}" low="${range%-*}" high="${range#*-}"
      [[ "$value" =~ ^[0-9]{1,3}(\.[0-9]{1,6})?$ ]] && _envconfig_decimal_le "$low" "$value" &&
        _envconfig_decimal_le "$value" "$high"
      ;;
    *) return 1 ;;
  esac
}

# _envconfig_decimal_le A B: A <= B for decimals of at most 6 fraction digits (no bc, no awk).
_envconfig_decimal_le() {
  local a b
  a="$(_envconfig_micro "$1")" b="$(_envconfig_micro "$2")"
  [ "$a" -le "$b" ]
}

# _envconfig_micro DECIMAL: prints DECIMAL times 10^6 as an integer.
_envconfig_micro() {
  local whole="${1%%.*}" fraction=""
  [[ "$1" == *.* ]] && fraction="${1#*.}"
  fraction="${fraction}000000"
  printf '%d' "$((10#${whole:-0} * 1000000 + 10#${fraction:0:6}))"
}

# envconfig_release_env: the resolved configuration as release.env lines, in schema order.
envconfig_release_env() {
  local key
  for key in "${ENVCONFIG_KEYS[@]}"; do
    printf '%s=%s\n' "$key" "${ENVCONFIG[$key]}"
  done
}

# envconfig_config_json: the manifest's "config" object: every non-flag key, string values.
envconfig_config_json() {
  local key q_key q_value first=1
  printf '{'
  for key in "${ENVCONFIG_KEYS[@]}"; do
    [[ "$key" == FEATURE_* ]] && continue
    json_quote_into q_key "$key"
    json_quote_into q_value "${ENVCONFIG[$key]}"
    [ "$first" = 1 ] || printf ', '
    first=0
    printf '%s: %s' "$q_key" "$q_value"
  done
  printf '}'
}

# envconfig_flags_json: the manifest's "flags" object: FEATURE_<NAME> as "name": true|false, the
# name in lower case as the API lists it in /version.
envconfig_flags_json() {
  local key name first=1
  printf '{'
  for key in "${ENVCONFIG_KEYS[@]}"; do
    [[ "$key" == FEATURE_* ]] || continue
    name="${key#FEATURE_}"
    [ "$first" = 1 ] || printf ', '
    first=0
    printf '"%s": %s' "${name,,}" "${ENVCONFIG[$key]}"
  done
  printf '}'
}
