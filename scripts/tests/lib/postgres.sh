# shellcheck shell=bash
# A throwaway PostgreSQL 15 server for tests, from Debian's postgresql-15 package.
#
#   source scripts/tests/lib/postgres.sh
#   pg_require NAME || exit 0    # records NAME as skipped (failed when strict) if PostgreSQL is missing
#   trap pg_cleanup EXIT
#   pg_start                     # initdb + start on 127.0.0.1:<random free port>, fresh database
#   ... DATABASE_HOST="$PG_HOST" DATABASE_PORT="$PG_PORT" DATABASE_NAME="$PG_DATABASE" ...
#   pg_stop; pg_restart          # outage tests: stop the server (data kept), start it again on the same port
#   pg_freeze; pg_thaw           # black-hole tests: the server stops answering, then answers again
#
# The server listens on 127.0.0.1 only, with scram-sha-256 and a random password; it runs as the
# `postgres` OS user when the suite runs as root (CI), as the current user otherwise. Its data
# directory lives in a temporary directory that pg_cleanup removes. fsync is off: test data only.
#
# After pg_start: PG_HOST PG_PORT PG_USER PG_PASSWORD PG_DATABASE PG_ROOT (temp dir) are set.

# shellcheck source=scripts/tests/lib/ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_HOST=127.0.0.1
PG_PORT=""
PG_USER=tasks_test
PG_PASSWORD=""
PG_DATABASE=""
PG_ROOT=""

_pg_log() { printf 'postgres.sh: %s\n' "$*" >&2; }

# Runs a command as the OS user that owns the cluster.
_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_require NAME: succeeds when the PostgreSQL 15 server binaries are installed; otherwise records
# NAME as skipped (a failure under TEST_STRICT=1) with the package to install.
pg_require() {
  local name="$1"
  if [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then
    if [ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1; then
      return 0
    fi
  fi
  t_skip "$name" "PostgreSQL 15 server not found in $PG_BIN; install it: apt-get install postgresql-15 (scripts/ci/provision.sh does)"
  return 1
}

_pg_random_secret() {
  # cut reads its input to the end (a last `head` could end tr with SIGPIPE under pipefail).
  head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | cut -c 1-24
}

# Starts the server on PG_PORT with the cluster in PG_ROOT/data; returns non-zero if it did not start.
_pg_ctl_start() {
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_ROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
}

# pg_start: creates and starts a fresh cluster and database. Fails with the server log on error.
pg_start() {
  PG_ROOT="$(mktemp -d /tmp/tasks-pg.XXXXXX)"
  PG_PASSWORD="$(_pg_random_secret)"
  PG_DATABASE="tasks_$(date +%s)_$RANDOM"
  printf '%s\n' "$PG_PASSWORD" >"$PG_ROOT/pwfile"
  chmod 600 "$PG_ROOT/pwfile"
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$PG_ROOT"
  if ! _pg_as_owner "$PG_BIN/initdb" -D "$PG_ROOT/data" -U "$PG_USER" --pwfile="$PG_ROOT/pwfile" \
    --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$PG_ROOT/initdb.log" 2>&1; then
    _pg_log "initdb failed:"
    cat "$PG_ROOT/initdb.log" >&2
    return 1
  fi
  rm -f "$PG_ROOT/pwfile"
  local attempt
  for attempt in 1 2 3; do
    PG_PORT="$(free_local_port)" || return 1
    if _pg_ctl_start; then
      pg_psql postgres -c "CREATE DATABASE \"$PG_DATABASE\"" >/dev/null || return 1
      return 0
    fi
    _pg_log "start on port $PG_PORT failed (attempt $attempt)"
  done
  _pg_log "PostgreSQL did not start; its log:"
  tail -n 30 "$PG_ROOT/server.log" >&2
  return 1
}

# pg_psql DATABASE ARGS...: psql over TCP as the test superuser.
pg_psql() {
  local database="$1"
  shift
  PGPASSWORD="$PG_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" \
    -d "$database" "$@"
}

# pg_create_database NAME: another fresh database on the same server.
pg_create_database() {
  pg_psql postgres -c "CREATE DATABASE \"$1\"" >/dev/null
}

# pg_stop: fast shutdown (clients are disconnected); data is kept for pg_restart.
pg_stop() {
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m fast -w -t 30 stop >/dev/null
}

# pg_restart: starts the stopped server again on the same port.
pg_restart() {
  _pg_ctl_start
}

# Prints the process ids of the server: the postmaster, then every process it started.
_pg_server_pids() {
  local main
  main="$(head -n 1 "$PG_ROOT/data/postmaster.pid")" || return 1
  printf '%s\n' "$main"
  pgrep -P "$main" || true
}

# pg_freeze: SIGSTOPs the server and its backends. Open connections stay open and the kernel still
# accepts new ones, but nothing answers: a database host that black-holes packets. pg_thaw resumes.
pg_freeze() {
  local -a pids
  mapfile -t pids < <(_pg_server_pids)
  [ "${#pids[@]}" -gt 0 ] && kill -STOP "${pids[@]}"
}

# pg_thaw: resumes a server stopped by pg_freeze.
pg_thaw() {
  local -a pids
  mapfile -t pids < <(_pg_server_pids)
  [ "${#pids[@]}" -gt 0 ] && kill -CONT "${pids[@]}"
}

# pg_cleanup: stops the server if it runs (thawing it first) and removes its directory. Safe to
# call twice.
pg_cleanup() {
  [ -n "$PG_ROOT" ] && [ -d "$PG_ROOT" ] || return 0
  if [ -f "$PG_ROOT/data/postmaster.pid" ]; then
    pg_thaw 2>/dev/null || true
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_ROOT"
  PG_ROOT=""
}

# pg_app_env: the DATABASE_* variables that point the service at this server, one KEY=VALUE a line
# (for `env`); the password is passed as DATABASE_PASSWORD.
pg_app_env() {
  printf '%s\n' "DATABASE_HOST=$PG_HOST" "DATABASE_PORT=$PG_PORT" "DATABASE_NAME=$PG_DATABASE" \
    "DATABASE_USER=$PG_USER" "DATABASE_PASSWORD=$PG_PASSWORD"
}
