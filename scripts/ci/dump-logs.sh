#!/usr/bin/env bash
# Run by the e2e job when it failed: every container (running or not) with its state, health
# and last log lines, so the failure can be read without the machine. Never fails itself.
set -Euo pipefail

if ! docker info >/dev/null 2>&1; then
  printf 'dump-logs: the Docker engine does not answer\n' >&2
  exit 0
fi
docker ps -a --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}'
docker ps -aq | while IFS= read -r id; do
  printf '\n=== %s (%s)\n' "$(docker inspect -f '{{.Name}}' "$id")" \
    "$(docker inspect -f '{{.State.Status}} exit={{.State.ExitCode}} {{if .State.Health}}health={{.State.Health.Status}}{{end}}' "$id")"
  docker logs --tail 100 "$id" 2>&1
done
exit 0
