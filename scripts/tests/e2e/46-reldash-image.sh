#!/usr/bin/env bash
# End-to-end tests of the reldash container image (reldash.Dockerfile) through the one command
# a machine without Swift uses, scripts/reldash_docker.sh: the image builds (built again here so
# that the sources under test are the ones in the image; the BuildKit cache mount keeps the
# Swift build incremental), runs as a non-root user, prints the releases of a fixture deploy/
# mounted read-only (--json), and shows the dashboard in a tmux pane, read-only (R refused), q
# restoring the terminal.
# Duration measured here: 3 s when the image is up to date; a cold BuildKit cache (what CI
# pays once per run) took 1 min 42 s on 2 cores at load 2 with the system's libcrypto (it took
# 2,579 s at load 12-19 when swift-crypto's BoringSSL was compiled too).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/reldash.sh
source "$REPO_ROOT/scripts/tests/lib/reldash.sh"
# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"

readonly DEPLOY="$TEST_TMP/deploy" PANE_DIR="$TEST_TMP/pane"
readonly CURRENT=20261124T181500Z TARGET=20261124T130000Z
readonly IMAGE=reldash:local
readonly TMUX_SOCKET="reldash-image-$$"
CLOSED_PORT=""

cleanup() {
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
}
trap cleanup EXIT

make_tree() {
  reldash_release "$DEPLOY" "$TARGET" deployed dev
  reldash_release "$DEPLOY" 20261124T140000Z failed dev
  reldash_release "$DEPLOY" "$CURRENT" deployed dev
  ln -s "releases/$CURRENT" "$DEPLOY/current"
}

# in_container ARGS...: scripts/reldash_docker.sh ARGS with the fixture tree and a closed
# Prometheus port; sets RUN_CODE, RUN_STDOUT, RUN_STDERR.
in_container() {
  local out="$TEST_TMP/out" err="$TEST_TMP/err"
  RUN_CODE=0
  DEPLOY_DIR="$DEPLOY" RELDASH_PROMETHEUS_URL="http://127.0.0.1:$CLOSED_PORT" \
    "$REPO_ROOT/scripts/reldash_docker.sh" "$@" </dev/null >"$out" 2>"$err" || RUN_CODE=$?
  RUN_STDOUT="$(cat "$out")"
  RUN_STDERR="$(cat "$err")"
}

image_builds() {
  local started=$SECONDS size
  RELDASH_DOCKER_REBUILD=1 in_container --help
  if [ "$RUN_CODE" != 0 ] || ! grep -q "USAGE: reldash" <<<"$RUN_STDOUT"; then
    t_fail "reldash image: builds and runs (--help)" "exit $RUN_CODE"
    printf '%s\n' "$RUN_STDERR" | tail -n 30 | sed 's/^/        | /'
    return 1
  fi
  size="$(docker image inspect -f '{{.Size}}' "$IMAGE")"
  t_pass "reldash image: builds and runs (--help; built in $((SECONDS - started)) s, $((size / 1000000)) MB)"
}

runs_as_non_root() {
  local user
  user="$(docker image inspect -f '{{.Config.User}}' "$IMAGE")"
  if [ "$user" = 65532:65532 ]; then
    t_pass "reldash image: runs as uid 65532, not root"
  else
    t_fail "reldash image: runs as uid 65532, not root" "USER is '$user'"
  fi
}

lists_releases() {
  in_container releases --json
  json_check "reldash image: releases --json lists the mounted deploy/ (current, failed, target)" \
    "[r['id'] for r in doc['releases']] == ['$CURRENT', '20261124T140000Z', '$TARGET'] \
     and doc['releases'][0]['status'] == 'current' and doc['releases'][1]['status'] == 'failed'"
}

# screen_has TEXT: true when TEXT is on the pane's screen.
screen_has() {
  tmux -L "$TMUX_SOCKET" capture-pane -p -t image | grep -qF -- "$1"
}

expect_screen() {
  local case="$1" text="$2"
  if t_wait_for "'$text' on the screen" 30 screen_has "$text"; then
    t_pass "reldash image: $case"
    return 0
  fi
  t_fail "reldash image: $case" "'$text' never appeared; the screen:"
  tmux -L "$TMUX_SOCKET" capture-pane -p -t image | sed 's/^/        | /'
  return 1
}

exited() {
  [ -f "$PANE_DIR/exit" ]
}

dashboard_in_a_terminal() {
  mkdir -p "$PANE_DIR"
  cat >"$PANE_DIR/run.sh" <<SH
#!/usr/bin/env bash
stty -a >"$PANE_DIR/stty-before"
code=0
env DEPLOY_DIR="$DEPLOY" RELDASH_PROMETHEUS_URL="http://127.0.0.1:$CLOSED_PORT" TERM=tmux-256color \\
  "$REPO_ROOT/scripts/reldash_docker.sh" --timeout 1 2>"$PANE_DIR/stderr" || code=\$?
stty -a >"$PANE_DIR/stty-after"
printf '%s\n' "\$code" >"$PANE_DIR/exit"
SH
  chmod +x "$PANE_DIR/run.sh"
  tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s image -x 80 -y 24 "$PANE_DIR/run.sh"
  tmux -L "$TMUX_SOCKET" set-option -t image remain-on-exit on >/dev/null
  expect_screen "docker run -it shows the dashboard with the current release" "* $CURRENT current" || return 0
  expect_screen "the container's dashboard is read-only" "[read-only]"
  tmux -L "$TMUX_SOCKET" send-keys -t image R
  expect_screen "R is refused in the container" "read-only: deploy and rollback are disabled"
  tmux -L "$TMUX_SOCKET" send-keys -t image q
  if ! t_wait_for "the container to exit" 30 exited; then
    t_fail "reldash image: q quits the container's dashboard" "still running"
  elif [ "$(cat "$PANE_DIR/exit")" = 0 ] && diff -q "$PANE_DIR/stty-before" "$PANE_DIR/stty-after" >/dev/null; then
    t_pass "reldash image: q quits (exit 0), the terminal's stty settings unchanged"
  else
    t_fail "reldash image: q quits (exit 0), the terminal's stty settings unchanged" \
      "exit $(cat "$PANE_DIR/exit"): $(cat "$PANE_DIR/stderr")"
  fi
}

refuses_missing_deploy_dir() {
  local code=0
  DEPLOY_DIR="$TEST_TMP/nowhere" "$REPO_ROOT/scripts/reldash_docker.sh" releases </dev/null >/dev/null \
    2>"$TEST_TMP/err" || code=$?
  if [ "$code" = 3 ] && grep -q "does not exist" "$TEST_TMP/err"; then
    t_pass "reldash image: a missing deploy directory is refused (exit 3) before docker runs"
  else
    t_fail "reldash image: a missing deploy directory is refused (exit 3) before docker runs" \
      "exit $code: $(cat "$TEST_TMP/err")"
  fi
}

main() {
  t_require "reldash image: docker" docker "install the Docker engine" || exit 0
  t_require "reldash image: tmux" tmux "apt-get install tmux" || exit 0
  if ! docker info >/dev/null 2>&1; then
    t_skip "reldash image: docker engine" "the Docker engine does not answer"
    exit 0
  fi
  unset RELDASH_DOCKER_OPERATOR RELDASH_IMAGE NO_COLOR
  CLOSED_PORT="$(free_local_port)"
  readonly CLOSED_PORT
  make_tree
  image_builds || exit 0
  runs_as_non_root
  lists_releases
  dashboard_in_a_terminal
  refuses_missing_deploy_dir
}

main "$@"
