# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# The deployment lock: a directory created with mkdir (atomic everywhere, Git Bash included; no
# flock), holding a file "info" with the owner, pid, host, start time and command.
#
# A lock whose pid is gone on this host is stale: it is cleared with a message. Clearing is
# itself guarded by a second mkdir (LOCK.break), and the holder is re-read under that guard, so
# two processes clearing the same stale lock cannot remove each other's new lock.
# Needs: log.sh, atomic.sh, kv.sh.

LOCK_PATH=""
LOCK_HELD=0
LOCK_HOLDER=""

# lock_owner: prints user@host for the person running the script.
lock_owner() {
  local user="${USER:-${USERNAME:-}}"
  [ -n "$user" ] || user="$(id -un 2>/dev/null || printf 'unknown')"
  printf '%s@%s' "$user" "$(lock_hostname)"
}

# lock_hostname: prints this machine's name (no `hostname` binary needed).
lock_hostname() {
  printf '%s' "${HOSTNAME:-${COMPUTERNAME:-localhost}}"
}

# lock_pid_alive PID: succeeds when a process with PID exists (EPERM counts as alive).
lock_pid_alive() {
  local pid="$1" answer
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null && return 0
  answer="$(kill -0 "$pid" 2>&1 || true)"
  [[ "$answer" == *ermitted* ]]
}

# lock_describe PATH: prints who holds the lock at PATH, for messages.
lock_describe() {
  local info="$1/info"
  if [ ! -f "$info" ]; then
    printf 'an unknown process (%s has no info file)' "$1"
    return 0
  fi
  printf '%s (pid %s on %s, since %s, running: %s)' \
    "$(kv_get "$info" owner)" "$(kv_get "$info" pid)" \
    "$(kv_get "$info" host)" "$(kv_get "$info" started)" \
    "$(kv_get "$info" command)"
}

# lock_stale_reason PATH: succeeds (printing why) when the lock at PATH is stale: its process is
# gone from this host, or it has had no info file for LOCK_INFO_GRACE seconds (default 2).
lock_stale_reason() {
  local path="$1" info="$1/info" pid host waited=0 grace="${LOCK_INFO_GRACE:-2}"
  while [ ! -f "$info" ]; do
    [ -d "$path" ] || return 1
    if [ "$waited" -ge $((grace * 5)) ]; then
      printf 'it has no owner information (its creator died while taking it)'
      return 0
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  pid="$(kv_get "$info" pid)"
  host="$(kv_get "$info" host)"
  [ "$host" = "$(lock_hostname)" ] || return 1
  lock_pid_alive "$pid" && return 1
  printf 'its process %s is gone' "$pid"
}

# lock_state PATH: prints how a reader sees the lock at PATH, without waiting (deploy/contract/
# deploy/contract/README.md, "Verrou"): none, held, stale (its process is gone from this host) or invalid (not a
# directory).
lock_state() {
  local path="$1" pid host
  if [ ! -e "$path" ] && [ ! -L "$path" ]; then
    printf 'none'
  elif [ -L "$path" ] || [ ! -d "$path" ]; then
    printf 'invalid'
  elif [ ! -f "$path/info" ]; then
    printf 'held'
  else
    pid="$(kv_get "$path/info" pid)"
    host="$(kv_get "$path/info" host)"
    if [ "$host" = "$(lock_hostname)" ] && ! lock_pid_alive "$pid"; then
      printf 'stale'
    else
      printf 'held'
    fi
  fi
}

# lock_clear_stale PATH REASON: removes the stale lock at PATH when it is still the same stale
# lock once the LOCK.break guard is held. Fails when another process is clearing it.
lock_clear_stale() {
  local path="$1" reason="$2" guard="$1.break" before after
  if ! mkdir "$guard" 2>/dev/null; then
    # A guard older than a minute was left by a process killed while clearing: remove it.
    if [ -n "$(find "$guard" -maxdepth 0 -mmin +1 2>/dev/null)" ]; then
      rmdir "$guard" 2>/dev/null || true
    fi
    return 1
  fi
  before="$(cat "$path/info" 2>/dev/null || true)"
  if lock_stale_reason "$path" >/dev/null; then
    after="$(cat "$path/info" 2>/dev/null || true)"
    if [ "$before" = "$after" ]; then
      log_warn "cleared a stale lock held by $(lock_describe "$path"): $reason"
      rm -rf -- "$path"
    fi
  fi
  rmdir "$guard" 2>/dev/null || true
}

# lock_acquire PATH COMMAND: takes the lock at PATH for COMMAND (text shown to others). Clears a
# stale lock once. Returns 1 when another live process holds it; LOCK_HOLDER then describes it.
lock_acquire() {
  local path="$1" command="$2" attempt reason content
  mkdir -p -- "${path%/*}"
  for attempt in 1 2; do
    if mkdir -- "$path" 2>/dev/null; then
      LOCK_PATH="$path"
      LOCK_HELD=1
      content="$(printf 'owner=%s\npid=%s\nhost=%s\nstarted=%s\ncommand=%s\n' \
        "$(lock_owner)" "$$" "$(lock_hostname)" "$(utc_now)" "$command")"
      atomic_write "$path/info" "$content"$'\n'
      return 0
    fi
    [ "$attempt" = 1 ] || break
    reason="$(lock_stale_reason "$path")" || break
    lock_clear_stale "$path" "$reason" || break
  done
  LOCK_HOLDER="$(lock_describe "$path")"
  return 1
}

# lock_release: removes the lock if this process holds it (safe to call from an EXIT trap).
lock_release() {
  [ "$LOCK_HELD" = 1 ] || return 0
  if [ "$(kv_get "$LOCK_PATH/info" pid)" = "$$" ]; then
    rm -rf -- "$LOCK_PATH"
  fi
  LOCK_HELD=0
}
