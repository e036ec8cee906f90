#!/usr/bin/env bash
# End-to-end tests of the reldash dashboard in a real terminal: the built binary runs in a tmux
# pane (its own tmux server) against a deploy tree made with the test library and stand-in
# deploy scripts; keys are sent with send-keys and the screen is read with capture-pane, polled
# with deadlines. Checked: open, navigate, resize, R then n (nothing runs), R then y (the stand-in
# rollback runs, its lines and the new current appear on screen and on disk), q (the terminal's
# stty settings are as before), d (diff against current), / (filter), SIGTERM while a rollback
# runs (script stopped, terminal restored), a crash (SIGSEGV: terminal restored),
# colours by default and none under NO_COLOR, keys answered while Prometheus hangs, and the
# refusals without a usable terminal.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"
# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"

# The scripts directory is given relative to the pane's working directory (TEST_TMP), as an
# operator in the repository root gives `scripts`: the dialog then names `fake-scripts/...`.
readonly DEPLOY="$TEST_TMP/deploy" FAKE_SCRIPTS="$TEST_TMP/fake-scripts" PANE_DIR="$TEST_TMP/pane"
readonly CURRENT=20261124T181500Z FAILED=20261124T140000Z TARGET=20261124T130000Z
readonly TMUX_SOCKET="reldash-tui-$$"
CLOSED_PORT=""
SILENT_PID=""
# Prometheus URL and timeout of the next start_dashboard (default: a closed port, 1 s).
DASH_PROMETHEUS=""
DASH_TIMEOUT=1

cleanup() {
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
  [ -z "$SILENT_PID" ] || kill "$SILENT_PID" 2>/dev/null || true
}
trap cleanup EXIT

# make_tree: the current release, a failed one and the default rollback target, all in dev.
make_tree() {
  reldash_release "$DEPLOY" "$TARGET" deployed dev
  reldash_release "$DEPLOY" "$FAILED" failed dev
  reldash_release "$DEPLOY" "$CURRENT" deployed dev
  ln -s "releases/$CURRENT" "$DEPLOY/current"
}

# make_fake_scripts: a stand-in rollback.sh that records that it ran, prints a line, switches
# deploy/current to its --to target as the real one does (temp link + rename); with FAKE_SLOW=1
# it waits to be stopped first. deploy_local.sh only records that it ran.
make_fake_scripts() {
  mkdir -p "$FAKE_SCRIPTS"
  cat >"$FAKE_SCRIPTS/rollback.sh" <<'SH'
#!/usr/bin/env bash
set -Eeuo pipefail
printf '%s\n' "$*" >>"$FAKE_RAN"
printf 'rollback.sh: switching to %s\n' "$2"
if [ "${FAKE_SLOW:-0}" = 1 ]; then
  trap 'printf "rollback.sh: stopped\n"; printf "stopped\n" >>"$FAKE_RAN"; exit 143' TERM
  printf 'rollback.sh: waiting\n'
  while :; do sleep 0.1; done
fi
ln -sfn "releases/$2" "$DEPLOY_DIR/current.tmp"
mv -T "$DEPLOY_DIR/current.tmp" "$DEPLOY_DIR/current"
printf 'rollback.sh: current is now %s\n' "$2"
SH
  cat >"$FAKE_SCRIPTS/deploy_local.sh" <<'SH'
#!/usr/bin/env bash
printf 'deploy\n' >>"$FAKE_RAN"
SH
  chmod +x "$FAKE_SCRIPTS/rollback.sh" "$FAKE_SCRIPTS/deploy_local.sh"
}

# start_dashboard NAME [ENV=VALUE...]: runs reldash in a new 80x24 tmux session NAME; the pane
# records `stty -a` before and after, and reldash's exit code.
start_dashboard() {
  local name="$1"
  shift
  mkdir -p "$PANE_DIR/$name"
  cat >"$PANE_DIR/$name/run.sh" <<SH
#!/usr/bin/env bash
cd "$TEST_TMP"
stty -a >"$PANE_DIR/$name/stty-before"
code=0
env FAKE_RAN="$PANE_DIR/$name/ran" NCURSES_NO_UTF8_ACS=1 LANG=C.UTF-8 $* "$RELDASH_BIN" \\
  --deploy-dir "$DEPLOY" --prometheus-url "${DASH_PROMETHEUS:-http://127.0.0.1:$CLOSED_PORT}" \\
  --timeout "$DASH_TIMEOUT" \\
  --scripts-dir fake-scripts 2>"$PANE_DIR/$name/stderr" || code=\$?
stty -a >"$PANE_DIR/$name/stty-after"
printf '%s\n' "\$code" >"$PANE_DIR/$name/exit"
SH
  chmod +x "$PANE_DIR/$name/run.sh"
  tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s "$name" -x 80 -y 24 "$PANE_DIR/$name/run.sh"
  tmux -L "$TMUX_SOCKET" set-option -t "$name" remain-on-exit on >/dev/null
}

# screen NAME: the pane's text now.
screen() {
  tmux -L "$TMUX_SOCKET" capture-pane -p -t "$1"
}

# screen_has NAME TEXT: true when TEXT is on the screen.
screen_has() {
  screen "$1" | grep -qF -- "$2"
}

# keys NAME KEY...: sends keys to the pane.
keys() {
  local name="$1"
  shift
  tmux -L "$TMUX_SOCKET" send-keys -t "$name" "$@"
}

# expect_screen NAME CASE TEXT [SECONDS]: waits for TEXT on the screen; records CASE.
expect_screen() {
  local name="$1" case="$2" text="$3" seconds="${4:-20}"
  if t_wait_for "'$text' on the screen" "$seconds" screen_has "$name" "$text"; then
    t_pass "reldash tui: $case"
    return 0
  fi
  t_fail "reldash tui: $case" "'$text' never appeared; the screen:"
  screen "$name" | sed 's/^/        | /'
  return 1
}

# exited NAME: true once reldash has exited in the pane.
exited() {
  [ -f "$PANE_DIR/$1/exit" ]
}

# terminal_restored NAME CASE: waits for reldash to exit 0 and compares stty before and after.
terminal_restored() {
  local name="$1" case="$2" code
  if ! t_wait_for "reldash to exit" 20 exited "$name"; then
    t_fail "reldash tui: $case" "reldash did not exit"
    screen "$name" | sed 's/^/        | /'
    return 0
  fi
  code="$(cat "$PANE_DIR/$name/exit")"
  if [ "$code" != "${3:-0}" ]; then
    t_fail "reldash tui: $case" "exit $code, expected ${3:-0}: $(cat "$PANE_DIR/$name/stderr")"
  elif diff -u "$PANE_DIR/$name/stty-before" "$PANE_DIR/$name/stty-after" >"$TEST_TMP/stty.diff"; then
    t_pass "reldash tui: $case"
  else
    t_fail "reldash tui: $case" "stty -a differs after reldash exited"
    sed 's/^/        | /' "$TEST_TMP/stty.diff"
  fi
}

# rollback_from_the_keyboard: open, navigate, R n, R y, q.
rollback_from_the_keyboard() {
  local name=main ran="$PANE_DIR/main/ran"
  start_dashboard "$name"
  expect_screen "$name" "opens on the releases, current marked" "* $CURRENT current" || return 0
  expect_screen "$name" "marks the default rollback target" "< $TARGET deployed"
  expect_screen "$name" "shows Prometheus unreachable as a state" "Prometheus unreachable at"
  keys "$name" j
  expect_screen "$name" "j selects the next release: its manifest is shown" "Manifest $FAILED"
  keys "$name" G
  expect_screen "$name" "G selects the oldest release" "Manifest $TARGET"
  keys "$name" g
  expect_screen "$name" "g goes back to the newest release" "Manifest $CURRENT"
  keys "$name" d
  expect_screen "$name" "d on the current release says there is nothing to compare" "This is the current release"
  keys "$name" G
  expect_screen "$name" "d: G selects the target, the diff follows" "Diff: $TARGET against the current release"
  expect_screen "$name" "d: the diff shows the changed image, current -> selected" \
    "tasks-api:$CURRENT -> tasks-api:$TARGET"
  keys "$name" Escape
  expect_screen "$name" "Esc closes the diff on the selected release's manifest" "Manifest $TARGET"
  keys "$name" / 1 4 0 0
  expect_screen "$name" "/ filters the list as it is typed" "Releases (1 of 3 match /1400)"
  keys "$name" Enter
  expect_screen "$name" "Enter keeps the filter; the match is selected" "Manifest $FAILED"
  keys "$name" Escape
  expect_screen "$name" "Esc clears the filter, the selection stays" "Releases (3)"
  keys "$name" g
  expect_screen "$name" "g after the filter: the newest release again" "Manifest $CURRENT"
  tmux -L "$TMUX_SOCKET" resize-window -t "$name" -x 40 -y 10
  expect_screen "$name" "a resize to 40x10 shows the size it needs" "Terminal too small: 40x10"
  tmux -L "$TMUX_SOCKET" resize-window -t "$name" -x 80 -y 24
  expect_screen "$name" "a resize back to 80x24 draws the panes again" "* $CURRENT current"
  keys "$name" R
  expect_screen "$name" "R asks first and names the exact command" "fake-scripts/rollback.sh --to $TARGET"
  keys "$name" n
  expect_screen "$name" "n cancels" "cancelled: nothing was run"
  if [ -e "$ran" ]; then
    t_fail "reldash tui: n runs nothing" "the stand-in rollback ran: $(cat "$ran")"
  else
    t_pass "reldash tui: n runs nothing"
  fi
  keys "$name" R
  expect_screen "$name" "R asks again" "Roll back?"
  keys "$name" y
  expect_screen "$name" "y runs the script and its lines stream on screen" "rollback.sh: switching to $TARGET"
  expect_screen "$name" "the script's end is logged with the new current" "current $CURRENT -> $TARGET"
  expect_screen "$name" "the list marks the new current" "* $TARGET current"
  expect_screen "$name" "the header shows the new current" "current $TARGET  health"
  if [ "$(readlink "$DEPLOY/current")" = "releases/$TARGET" ] && [ "$(cat "$ran")" = "--to $TARGET" ]; then
    t_pass "reldash tui: the rollback ran once, to the confirmed target"
  else
    t_fail "reldash tui: the rollback ran once, to the confirmed target" \
      "current -> $(readlink "$DEPLOY/current"); runs: $(cat "$ran" 2>/dev/null)"
  fi
  keys "$name" q
  terminal_restored "$name" "q quits and restores the terminal (stty -a unchanged)"
}

# sigterm_during_rollback: SIGTERM to reldash while the rollback runs stops the script and
# restores the terminal; reldash exits 143 (128 + SIGTERM) after its script has ended.
sigterm_during_rollback() {
  local name=sigterm pid
  rm -f "$DEPLOY/current"
  ln -s "releases/$CURRENT" "$DEPLOY/current"
  start_dashboard "$name" FAKE_SLOW=1
  expect_screen "$name" "SIGTERM: dashboard open" "* $CURRENT current" || return 0
  keys "$name" R
  expect_screen "$name" "SIGTERM: dialog open" "Roll back?" || return 0
  keys "$name" y
  expect_screen "$name" "SIGTERM: the slow rollback runs" "rollback.sh: waiting" || return 0
  pid="$(pgrep -n -f -- "$RELDASH_BIN --deploy-dir $DEPLOY" || true)"
  if [ -z "$pid" ]; then
    t_fail "reldash tui: SIGTERM stops the script" "reldash's pid not found"
    return 0
  fi
  kill -TERM "$pid"
  terminal_restored "$name" "SIGTERM stops the script, restores the terminal, exits 143" 143
  if grep -qx stopped "$PANE_DIR/$name/ran" 2>/dev/null; then
    t_pass "reldash tui: SIGTERM reached the script before reldash exited"
  else
    t_fail "reldash tui: SIGTERM reached the script before reldash exited" "runs: $(cat "$PANE_DIR/$name/ran")"
  fi
}

# crash_restores_terminal: a fatal signal (SIGSEGV, as a crash raises it) while the dashboard is
# drawn: the crash handler puts the terminal back before the process dies of the signal.
crash_restores_terminal() {
  local name=crash pid
  # The Swift runtime's backtracer runs after the handler; on a terminal it would offer its
  # interactive prompt for 30 s before the process dies.
  start_dashboard "$name" SWIFT_BACKTRACE=interactive=no
  expect_screen "$name" "crash: dashboard open" "* $CURRENT current" || return 0
  pid="$(pgrep -n -f -- "$RELDASH_BIN --deploy-dir $DEPLOY" || true)"
  if [ -z "$pid" ]; then
    t_fail "reldash tui: a crash restores the terminal" "reldash's pid not found"
    return 0
  fi
  kill -SEGV "$pid"
  terminal_restored "$name" "a crash (SIGSEGV) restores the terminal; reldash dies of the signal (139)" 139
}

# hung_prometheus: Prometheus accepts connections and never answers (timeout 60 s): the tree is
# shown, keys are answered within 3 s each, and q quits at once.
hung_prometheus() {
  local name=hung port
  port="$(free_local_port)"
  python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); time.sleep(600)' "$port" &
  SILENT_PID=$!
  t_wait_for "silent server on $port" 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || true
  DASH_PROMETHEUS="http://127.0.0.1:$port" DASH_TIMEOUT=60 start_dashboard "$name"
  expect_screen "$name" "Prometheus hanging: the releases are shown" "* $CURRENT current" || return 0
  expect_screen "$name" "Prometheus hanging: health says it is asking" "asking Prometheus..." 3
  keys "$name" j
  expect_screen "$name" "Prometheus hanging: j answered within 3 s" "Manifest $FAILED" 3
  keys "$name" G
  expect_screen "$name" "Prometheus hanging: G answered within 3 s" "Manifest $TARGET" 3
  keys "$name" '?'
  expect_screen "$name" "Prometheus hanging: ? answered within 3 s" "any key closes this help" 3
  keys "$name" Escape q
  terminal_restored "$name" "Prometheus hanging: q quits without waiting for it"
  kill "$SILENT_PID" 2>/dev/null || true
  SILENT_PID=""
}

# sgr_parameters NAME: every SGR parameter on the pane's screen, one per line (tmux writes the
# cells' attributes as SGR sequences with capture-pane -e).
sgr_parameters() {
  local esc=$'\e'
  tmux -L "$TMUX_SOCKET" capture-pane -e -p -t "$1" | grep -oE "${esc}\[[0-9;]*m" |
    sed -E "s/^${esc}\[//; s/m$//" | tr ';' '\n' | sort -u
}

# colours: the cells carry foreground colours (SGR 31-38, 90-97) by default and none under
# NO_COLOR; both draw the selection in reverse video (SGR 7).
colours() {
  local name parameters
  for name in colour no-colour; do
    if [ "$name" = colour ]; then start_dashboard "$name"; else start_dashboard "$name" NO_COLOR=1; fi
    expect_screen "$name" "$name: dashboard open" "* $CURRENT current" || continue
    parameters="$(sgr_parameters "$name")"
    keys "$name" q
    t_wait_for "reldash to exit" 20 exited "$name" || true
    if ! grep -qx 7 <<<"$parameters"; then
      t_fail "reldash tui: $name: selection in reverse video" "no SGR 7 on the screen: $(tr '\n' ' ' <<<"$parameters")"
    elif [ "$name" = colour ] && grep -qxE '3[1-8]|9[0-7]' <<<"$parameters"; then
      t_pass "reldash tui: colours by default, selection in reverse video"
    elif [ "$name" = no-colour ] && ! grep -qxE '3[1-8]|9[0-7]' <<<"$parameters"; then
      t_pass "reldash tui: NO_COLOR: no colour at all, selection still in reverse video"
    else
      t_fail "reldash tui: $name: colours" "SGR parameters on screen: $(tr '\n' ' ' <<<"$parameters")"
    fi
  done
}

# refusals: TERM=dumb is refused with a pointer to --json; without a terminal on stdout,
# reldash prints status as before.
refusals() {
  local name=dumb out="$TEST_TMP/status.out"
  start_dashboard "$name" TERM=dumb
  if t_wait_for "reldash to exit" 20 exited "$name" && [ "$(cat "$PANE_DIR/$name/exit")" = 3 ] &&
    grep -q -- "--json" "$PANE_DIR/$name/stderr"; then
    t_pass "reldash tui: TERM=dumb is refused (exit 3) with a pointer to --json"
  else
    t_fail "reldash tui: TERM=dumb is refused (exit 3) with a pointer to --json" \
      "exit $(cat "$PANE_DIR/$name/exit" 2>/dev/null): $(cat "$PANE_DIR/$name/stderr" 2>/dev/null)"
  fi
  if "$RELDASH_BIN" --deploy-dir "$DEPLOY" --prometheus-url "http://127.0.0.1:$CLOSED_PORT" --timeout 1 \
    </dev/null >"$out" 2>&1 && grep -q "^Current" "$out"; then
    t_pass "reldash tui: without a terminal on stdout, reldash prints status"
  else
    t_fail "reldash tui: without a terminal on stdout, reldash prints status" "$(head -n 5 "$out")"
  fi
}

main() {
  t_require "reldash tui: swift" swift "install the Swift toolchain (https://www.swift.org/install)" || exit 0
  t_require "reldash tui: tmux" tmux "apt-get install tmux" || exit 0
  reldash_build || exit 0
  unset NO_COLOR RELDASH_CONFIG RELDASH_DEPLOY_DIR RELDASH_PROMETHEUS_URL RELDASH_TIMEOUT DEPLOY_DIR RELDASH_NOW
  CLOSED_PORT="$(free_local_port)"
  readonly CLOSED_PORT
  make_tree
  make_fake_scripts
  rollback_from_the_keyboard
  sigterm_during_rollback
  crash_restores_terminal
  colours
  hung_prometheus
  refusals
}

main "$@"
