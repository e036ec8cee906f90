#!/usr/bin/env bash
# First run of the developer stack: creates what is missing, for local use only, and says so.
#   .env                        copied from .env.example (no secret in it)
#   the password file           named by DB_PASSWORD_FILE in .env (./secrets/db_password.txt):
#                               32 random characters, secrets/ mode 0700, file mode 0644 (the
#                               containers read it as their own uid through a bind mount)
# Never overwrites: an existing .env or password file is kept as it is (the database volume
# was initialised with that password). Needs only bash and coreutils (Git Bash on Windows).
set -Eeuo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly PASSWORD_LENGTH=32
# shellcheck source=scripts/lib/kv.sh
source "$REPO_ROOT/scripts/lib/kv.sh"

usage() {
  cat <<'EOF'
Usage: scripts/init_local_env.sh [--check] [--dir DIR]

Creates .env (from .env.example) and the database password file when they are missing, with
random values for local development. Existing files are never changed.

Options:
  --check     create nothing; exit 3 and say what is missing
  --dir DIR   the checkout to prepare (default: this repository)
  -h, --help  this help

Exit codes: 0 ready, 1 failed, 2 usage, 3 something is missing (--check) or unusable.
EOF
}

log() { printf 'init_local_env: %s\n' "$*" >&2; }
die() {
  local code="$1"
  shift
  log "error: $*"
  exit "$code"
}

# resolve_path DIR PATH: PATH made absolute against DIR (compose reads it relative to the project).
resolve_path() {
  local dir="$1" path="$2"
  case "$path" in
    /* | [A-Za-z]:/*) printf '%s' "$path" ;;
    *) printf '%s/%s' "$dir" "${path#./}" ;;
  esac
}

random_password() {
  local password=""
  while [ "${#password}" -lt "$PASSWORD_LENGTH" ]; do
    password+="$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  done
  printf '%s' "${password:0:$PASSWORD_LENGTH}"
}

create_env_file() {
  local dir="$1"
  [ -f "$dir/.env.example" ] || die 1 "$dir/.env.example is missing: it is the template of .env"
  cp "$dir/.env.example" "$dir/.env.tmp.$$"
  mv "$dir/.env.tmp.$$" "$dir/.env"
  log "created .env from .env.example (local development values; edit it to change ports or names)"
}

create_password_file() {
  local file="$1" secrets_dir tmp
  secrets_dir="$(dirname "$file")"
  mkdir -p "$secrets_dir"
  chmod 0700 "$secrets_dir"
  tmp="$file.tmp.$$"
  (umask 022 && random_password >"$tmp")
  chmod 0644 "$tmp"
  mv "$tmp" "$file"
  log "generated a random database password in ${file#"$REPO_DIR"/} (local development only; never commit it)"
}

# check_password_file FILE: the file exists, is readable and holds one non-empty line.
check_password_file() {
  local file="$1" content
  [ -r "$file" ] || die 3 "the password file $file is not readable: fix its permissions (chmod 0644 '$file')"
  # The containers read it through a bind mount as their own uid (65532 for the api).
  [ -n "$(find "$file" -maxdepth 0 -perm -o=r 2>/dev/null)" ] ||
    die 3 "the password file $file is not readable by other users, so the containers cannot read it: chmod 0644 '$file' (its directory stays 0700)"
  content="$(head -n 1 "$file")"
  [ -n "${content%$'\r'}" ] ||
    die 3 "the password file $file is empty: delete it and run scripts/init_local_env.sh to generate one"
}

REPO_DIR="$REPO_ROOT"

main() {
  local check=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --check) check=1 ;;
      --dir)
        [ $# -ge 2 ] || { log "--dir needs a directory"; usage >&2; exit 2; }
        REPO_DIR="$(cd "$2" && pwd)" || die 2 "no such directory: $2"
        shift
        ;;
      -h | --help) usage; exit 0 ;;
      *) log "unknown argument '$1'"; usage >&2; exit 2 ;;
    esac
    shift
  done

  if [ ! -f "$REPO_DIR/.env" ]; then
    [ "$check" = 0 ] || die 3 ".env is missing: run scripts/init_local_env.sh to create it"
    create_env_file "$REPO_DIR"
  fi
  local password_path file
  password_path="$(dotenv_get "$REPO_DIR/.env" DB_PASSWORD_FILE)"
  [ -n "$password_path" ] ||
    die 3 ".env sets no DB_PASSWORD_FILE: add DB_PASSWORD_FILE=./secrets/db_password.txt (see .env.example)"
  file="$(resolve_path "$REPO_DIR" "$password_path")"
  if [ ! -e "$file" ]; then
    [ "$check" = 0 ] || die 3 "the password file $password_path is missing: run scripts/init_local_env.sh to generate it"
    create_password_file "$file"
  fi
  check_password_file "$file"
}

main "$@"
