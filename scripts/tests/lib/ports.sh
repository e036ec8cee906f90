# shellcheck shell=bash
# Free TCP ports on 127.0.0.1 for the servers that tests and benchmarks start (PostgreSQL, the API).
#
#   source scripts/tests/lib/ports.sh
#   port="$(free_local_port)" || exit 1

# free_local_port: prints a TCP port on 127.0.0.1 that nothing listens on right now, chosen at
# random in 20000-31999, below the kernel's ephemeral range (32768+) so that no outgoing connection
# takes it before the server binds it. Fails, with a message, after 50 ports in use.
free_local_port() {
  local port attempt
  for attempt in $(seq 1 50); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
    : "$attempt"
  done
  printf 'ports.sh: no free port on 127.0.0.1 after 50 tries\n' >&2
  return 1
}
