# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# Messages of the deployment scripts: to stderr with the script's prefix and, once a release
# directory exists, also to its deploy.log (with a UTC time stamp).
#
# Set LOG_PREFIX (e.g. "deploy_local") before use. Lines logged before log_to_file is called are
# kept and written at the top of the file, so deploy.log tells the whole story.

# Exit codes shared by deploy_local.sh and rollback.sh (see docs/cd.md).
readonly EXIT_OK=0 EXIT_FAILED=1 EXIT_USAGE=2 EXIT_REFUSED=3

LOG_PREFIX="${LOG_PREFIX:-cd}"
LOG_FILE=""
LOG_PENDING=()

# utc_now: prints the current UTC time as 2026-11-24T18:15:00Z.
utc_now() {
  date -u +%Y-%m-%dT%H:%M:%SZ
}

# now_ms: prints the current time in milliseconds since the epoch (GNU date, also in Git Bash).
now_ms() {
  date +%s%3N
}

# _log_emit TEXT: writes one message to stderr and to the log file (or keeps it for later).
_log_emit() {
  local text="$1" stamped
  printf '%s: %s\n' "$LOG_PREFIX" "$text" >&2
  stamped="$(utc_now) $text"
  if [ -n "$LOG_FILE" ]; then
    printf '%s\n' "$stamped" >>"$LOG_FILE"
  else
    LOG_PENDING+=("$stamped")
  fi
}

log_info() { _log_emit "$*"; }
log_warn() { _log_emit "warning: $*"; }
log_error() { _log_emit "error: $*"; }

# die CODE MESSAGE...: logs MESSAGE as an error and exits with CODE.
die() {
  local code="$1"
  shift
  log_error "$*"
  exit "$code"
}

# usage_error MESSAGE: exits 2 (usage) with MESSAGE and a pointer to the script's --help.
usage_error() {
  log_error "$1"
  printf 'Run %s --help for the options.\n' "$0" >&2
  exit "$EXIT_USAGE"
}

# log_to_file FILE: from now on, messages are appended to FILE too; earlier ones are written first.
log_to_file() {
  local line
  LOG_FILE="$1"
  for line in ${LOG_PENDING[@]+"${LOG_PENDING[@]}"}; do
    printf '%s\n' "$line" >>"$LOG_FILE"
  done
  LOG_PENDING=()
}

# log_run_quiet DESCRIPTION CMD...: runs CMD with its output appended to the log file (to a
# temporary file when there is none yet); LOG_VERBOSE=1 also streams it to stderr. On failure,
# shows its last 25 lines.
log_run_quiet() {
  local description="$1" code=0 start_line=1 capture="$LOG_FILE"
  shift
  if [ -z "$capture" ]; then
    capture="$(mktemp "${TMPDIR:-/tmp}/cd-output.XXXXXX")"
  else
    start_line=$(($(wc -l <"$capture") + 1))
  fi
  if [ "${LOG_VERBOSE:-0}" = 1 ]; then
    "$@" 2>&1 | tee -a "$capture" >&2 || code=$?
  else
    "$@" >>"$capture" 2>&1 || code=$?
  fi
  if [ "$code" -ne 0 ] && [ "${LOG_VERBOSE:-0}" != 1 ]; then
    log_error "$description failed (exit $code); its last lines:"
    tail -n "+$start_line" "$capture" | tail -n 25 | sed 's/^/    | /' >&2
  fi
  [ -n "$LOG_FILE" ] || rm -f -- "$capture"
  return "$code"
}
