#!/usr/bin/env bash
# Entrypoint of the local postgres image: the contract of the official image's entrypoint
# (https://github.com/docker-library/postgres), written for Debian's postgresql packages.
# - VAR or VAR_FILE (never both) for POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB,
#   POSTGRES_INITDB_ARGS;
# - on an empty PGDATA: initdb, host access with POSTGRES_HOST_AUTH_METHOD (default: the
#   server's password_encryption, scram-sha-256), database creation, then every
#   /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz in name order on a socket-only server;
# - started as root: fixes ownership of PGDATA and re-executes itself as postgres (gosu).
set -Eeo pipefail

log() { printf 'docker-entrypoint: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# file_env VAR [DEFAULT]: sets VAR from VAR, else from the file named by VAR_FILE, else DEFAULT.
file_env() {
  local var="$1" default="${2:-}" file_var="${1}_FILE"
  local value="$default"
  if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
    die "both $var and $file_var are set (but they are exclusive): keep one"
  fi
  if [ -n "${!var:-}" ]; then
    value="${!var}"
  elif [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] ||
      die "$file_var=${!file_var} is not a readable file (as uid $(id -u)): check the path and its permissions"
    value="$(<"${!file_var}")"
  fi
  export "$var=$value"
  unset "$file_var"
}

setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  DATABASE_ALREADY_EXISTS=
  [ -s "$PGDATA/PG_VERSION" ] && DATABASE_ALREADY_EXISTS=true
  return 0
}

create_directories() {
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql
  chmod 03775 /var/run/postgresql || :
  if [ "$(id -u)" = 0 ]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

verify_minimum_env() {
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    die "the database is uninitialized and no superuser password is given: set POSTGRES_PASSWORD or \
POSTGRES_PASSWORD_FILE (or POSTGRES_HOST_AUTH_METHOD=trust, which allows anyone to connect)"
  fi
  if [ "${#POSTGRES_PASSWORD}" -ge 100 ]; then
    log "warning: the password is 100 characters or more; psql and pg_isready may truncate it"
  fi
}

init_database_dir() {
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as upstream.
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    ${POSTGRES_INITDB_ARGS}
}

setup_hba_conf() {
  local auth
  auth="$(postgres -C password_encryption)"
  : "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
  if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
    log "warning: POSTGRES_HOST_AUTH_METHOD=trust: every host connection is accepted without a password"
  fi
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
}

temp_server_start() {
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
}

temp_server_stop() {
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop
}

# run_sql [psql args...]: psql against the temporary server, stopping at the first error.
run_sql() {
  PGHOST=/var/run/postgresql PGPORT=5432 PGPASSWORD="$POSTGRES_PASSWORD" \
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}

create_database() {
  [ "$POSTGRES_DB" = postgres ] && return 0
  local exists
  exists="$(run_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
  [ -n "${exists//[[:space:]]/}" ] && return 0
  run_sql --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  log "created database $POSTGRES_DB"
}

process_init_files() {
  local file
  for file in /docker-entrypoint-initdb.d/*; do
    [ -e "$file" ] || continue
    case "$file" in
      *.sh)
        if [ -x "$file" ]; then
          log "running $file"
          "$file"
        else
          log "sourcing $file"
          # shellcheck disable=SC1090
          . "$file"
        fi
        ;;
      *.sql) log "running $file"; run_sql --dbname "$POSTGRES_DB" -f "$file" ;;
      *.sql.gz) log "running $file"; gunzip -c "$file" | run_sql --dbname "$POSTGRES_DB" ;;
      *) log "ignoring $file" ;;
    esac
  done
}

initialize() {
  verify_minimum_env
  init_database_dir
  setup_hba_conf
  export PGPASSWORD="$POSTGRES_PASSWORD"
  temp_server_start
  create_database
  process_init_files
  temp_server_stop
  unset PGPASSWORD
  log "PostgreSQL init process complete; ready for start up."
}

wants_help() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      -'?' | --help | --describe-config | -V | --version) return 0 ;;
    esac
  done
  return 1
}

main() {
  if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
  fi
  if [ "$1" = postgres ] && ! wants_help "$@"; then
    setup_env
    create_directories
    if [ "$(id -u)" = 0 ]; then
      exec gosu postgres "${BASH_SOURCE[0]}" "$@"
    fi
    if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
      initialize
    else
      log "PostgreSQL database directory appears to contain a database; skipping initialization"
    fi
  fi
  exec "$@"
}

main "$@"
