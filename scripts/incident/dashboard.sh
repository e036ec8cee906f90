# shellcheck shell=bash
# reldash's dashboard in a detached tmux session of its own server (socket), driven like an
# operator would: read the screen, press keys. Used by scripts/incident_replay.sh.
# Needs: log.sh. Globals: DASHBOARD_SOCKET, DASHBOARD_SESSION.

DASHBOARD_SOCKET=""
DASHBOARD_SESSION=reldash

# dashboard_binary: prints the reldash binary to use: RELDASH_BIN when set, else the host debug
# build of this repository (built when missing; needs Swift). Fails when there is none.
dashboard_binary() {
  local root="$1" bin
  if [ -n "${RELDASH_BIN:-}" ]; then
    [ -x "$RELDASH_BIN" ] || return 1
    printf '%s' "$RELDASH_BIN"
    return 0
  fi
  command -v swift >/dev/null 2>&1 || return 1
  swift build --package-path "$root" --product reldash >&2 || return 1
  bin="$(swift build --package-path "$root" --show-bin-path)/reldash"
  [ -x "$bin" ] || return 1
  printf '%s' "$bin"
}

# dashboard_start BIN DIR ARGS...: runs BIN ARGS in an 100x30 tmux pane; the pane's script and
# reldash's stderr live in DIR. The environment needed by the scripts reldash runs is written
# into that script, so the tmux server's own environment does not matter.
dashboard_start() {
  local bin="$1" dir="$2" name value
  shift 2
  DASHBOARD_SOCKET="incident-replay-$$"
  {
    printf '#!/usr/bin/env bash\n'
    for name in DEPLOY_DIR DEPLOY_PROJECT_NAME DEPLOY_IMAGE_REPO DEPLOY_SECRETS_DIR API_PORT PATH \
      DOCKER_BUILDKIT POSTGRES_IMAGE; do
      value="${!name:-}"
      [ -z "$value" ] || printf 'export %s=%q\n' "$name" "$value"
    done
    printf 'export LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1\n'
    printf '%q' "$bin"
    printf ' %q' "$@"
    printf ' 2>%q\n' "$dir/reldash.stderr"
    printf 'printf "%%s\\n" "$?" >%q\n' "$dir/reldash.exit"
  } >"$dir/reldash-pane.sh"
  chmod +x "$dir/reldash-pane.sh"
  tmux -L "$DASHBOARD_SOCKET" -f /dev/null new-session -d -s "$DASHBOARD_SESSION" -x 100 -y 30 \
    "$dir/reldash-pane.sh"
  tmux -L "$DASHBOARD_SOCKET" set-option -t "$DASHBOARD_SESSION" remain-on-exit on >/dev/null
}

# dashboard_screen: the pane's text now.
dashboard_screen() {
  tmux -L "$DASHBOARD_SOCKET" capture-pane -p -t "$DASHBOARD_SESSION" 2>/dev/null
}

# dashboard_keys KEY...: sends keys to the pane.
dashboard_keys() {
  tmux -L "$DASHBOARD_SOCKET" send-keys -t "$DASHBOARD_SESSION" "$@"
}

# dashboard_wait TEXT SECONDS: polls the screen until it shows TEXT; fails at the deadline.
dashboard_wait() {
  local text="$1" deadline=$((SECONDS + $2))
  until dashboard_screen | grep -qF -- "$text"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

# dashboard_stop: quits reldash (q) and removes the tmux server.
dashboard_stop() {
  [ -n "$DASHBOARD_SOCKET" ] || return 0
  dashboard_keys q 2>/dev/null || true
  sleep 0.5
  tmux -L "$DASHBOARD_SOCKET" kill-server 2>/dev/null || true
  DASHBOARD_SOCKET=""
}
