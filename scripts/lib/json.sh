# shellcheck shell=bash
# JSON output without jq: string escaping and quoting. The deployment scripts write JSON
# (manifest.json, history.jsonl) with printf and these functions; they never parse it.

# json_quote_into NAME VALUE: sets variable NAME to VALUE as a JSON string literal (with the
# quotes). Escapes backslash, quote and every control character (U+0000..U+001F). No subshell.
json_quote_into() {
  local __jq_name="$1" __jq_s="$2" __jq_out="" __jq_c __jq_i
  __jq_s="${__jq_s//\\/\\\\}"
  __jq_s="${__jq_s//\"/\\\"}"
  __jq_s="${__jq_s//$'\n'/\\n}"
  __jq_s="${__jq_s//$'\r'/\\r}"
  __jq_s="${__jq_s//$'\t'/\\t}"
  __jq_s="${__jq_s//$'\b'/\\b}"
  __jq_s="${__jq_s//$'\f'/\\f}"
  if [[ "$__jq_s" == *[$'\001'-$'\037']* ]]; then
    for ((__jq_i = 0; __jq_i < ${#__jq_s}; __jq_i++)); do
      __jq_c="${__jq_s:__jq_i:1}"
      if [[ "$__jq_c" == [$'\001'-$'\037'] ]]; then
        printf -v __jq_c '\\u%04x' "'$__jq_c"
      fi
      __jq_out+="$__jq_c"
    done
    __jq_s="$__jq_out"
  fi
  printf -v "$__jq_name" '"%s"' "$__jq_s"
}

# json_quote_or_null_into NAME VALUE: like json_quote_into, but an empty VALUE gives null.
json_quote_or_null_into() {
  if [ -z "$2" ]; then
    printf -v "$1" 'null'
  else
    json_quote_into "$1" "$2"
  fi
}

# json_string VALUE: prints VALUE as a JSON string literal.
json_string() {
  local quoted
  json_quote_into quoted "$1"
  printf '%s' "$quoted"
}

# json_number_or_null_into NAME VALUE: sets NAME to VALUE when it is a non-negative integer,
# else null.
json_number_or_null_into() {
  if [[ "$2" =~ ^(0|[1-9][0-9]*)$ ]]; then
    printf -v "$1" '%s' "$2"
  else
    printf -v "$1" 'null'
  fi
}
