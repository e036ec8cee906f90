#!/usr/bin/env bash
# Benchmark of the reldash dashboard in a pseudo-terminal (80x24), on a generated deploy tree,
# with Prometheus hanging (a loopback socket that accepts and never answers):
#   - time to first frame: from the spawn to the releases list on the terminal (goal <= 100 ms);
#   - key press to updated screen: from writing `j`/`k` to the first and the last byte of the
#     screen update, p50 and p99 (goal p99 <= 16 ms);
#   - CPU while idle (no key) over a window that includes the tree polls (goal <= 0.5 % of a core);
#   - resident memory after the window (goal <= 30 MB);
#   - bytes written to the terminal per idle second (only what changed: the data age).
# Results go to stdout and bench/results/reldash-tui-<UTC time>.txt.
set -Eeuo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
# shellcheck source=bench/reldash/tree.sh
source "$REPO_ROOT/bench/reldash/tree.sh"
# shellcheck source=scripts/tests/lib/ports.sh
source "$REPO_ROOT/scripts/tests/lib/ports.sh"

log() { printf 'bench/reldash/tui: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  cat <<'EOF_USAGE'
Usage: bench/reldash/tui.sh [--releases N] [--keys N] [--idle SECONDS] [--release-build | --binary PATH]

  --releases N      releases in the generated deploy tree (default 1000)
  --keys N          key presses timed (default 200)
  --idle SECONDS    idle window for CPU and bytes per refresh (default 30)
  --release-build   measure a `swift build -c release` binary (default: the debug build the tests use)
  --binary PATH     measure this reldash binary (e.g. the one of the image, copied out with docker cp)
  -h, --help        this help
EOF_USAGE
}

# The silent server and the work directory, removed by cleanup on exit.
SILENT_PID=""
WORK=""

cleanup() {
  [ -z "$SILENT_PID" ] || kill "$SILENT_PID" 2>/dev/null || true
  [ -z "$WORK" ] || rm -rf "$WORK"
}

main() {
  local releases=1000 keys=200 idle=30 configuration=debug bin=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --releases) releases="${2:?--releases needs a number}" && shift ;;
      --keys) keys="${2:?--keys needs a number}" && shift ;;
      --idle) idle="${2:?--idle needs seconds}" && shift ;;
      --release-build) configuration=release ;;
      --binary) bin="${2:?--binary needs a path}" && configuration="given binary" && shift ;;
      -h | --help) usage && return 0 ;;
      *) usage >&2 && die "unknown argument: $1" ;;
    esac
    shift
  done
  if [ -z "$bin" ]; then
    command -v swift >/dev/null || die "swift not found (export PATH=/opt/swift/usr/bin:\$PATH)"
    log "building reldash ($configuration)"
    swift build --package-path "$REPO_ROOT" -c "$configuration" --product reldash >&2
    bin="$(swift build --package-path "$REPO_ROOT" -c "$configuration" --show-bin-path)/reldash"
  fi
  [ -x "$bin" ] || die "no reldash binary at $bin"
  local port results
  WORK="$(mktemp -d)"
  port="$(free_local_port)"
  python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64); time.sleep(3600)' "$port" &
  SILENT_PID=$!
  trap cleanup EXIT
  log "generating $releases releases in $WORK"
  generate_tree "$WORK/deploy" "$releases"
  mkdir -p "$REPO_ROOT/bench/results"
  results="$REPO_ROOT/bench/results/reldash-tui-$(date -u +%Y%m%dT%H%M%SZ).txt"
  {
    printf 'reldash dashboard benchmark, %s, %s releases, %s build, %s cores (%s), load average %s\n' \
      "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$releases" "$configuration" "$(nproc)" "$(uname -m)" \
      "$(cut -d' ' -f1-3 /proc/loadavg)"
    python3 "$REPO_ROOT/bench/reldash/tui_pty.py" "$bin" "$WORK/deploy" "http://127.0.0.1:$port" "$keys" "$idle"
  } | tee "$results"
  log "results in ${results#"$REPO_ROOT/"}"
}

main "$@"
