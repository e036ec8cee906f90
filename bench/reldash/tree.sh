# shellcheck shell=bash
# The deploy tree the reldash benchmarks read (bench/reldash/run.sh, bench/reldash/tui.sh).

# generate_tree DIR N: N releases one hour apart (every 50th failed with a BAD marker, every
# 50th+1 marked BAD after a rollback), the newest current.
generate_tree() {
  local dir="$1" count="$2" index epoch id created status path digest compose
  compose=$'services:\n  api:\n    image: ${API_IMAGE}\n'
  digest="$(printf '%s' "$compose" | sha256sum | cut -d' ' -f1)"
  epoch="$(date -u -d '2025-01-01T00:00:00Z' +%s)"
  mkdir -p "$dir/releases"
  for ((index = 0; index < count; index++)); do
    id="$(date -u -d "@$((epoch + index * 3600))" +%Y%m%dT%H%M%SZ)"
    created="${id:0:4}-${id:4:2}-${id:6:2}T${id:9:2}:${id:11:2}:${id:13:2}Z"
    status=deployed
    ((index % 50 == 7)) && status=failed
    path="$dir/releases/$id"
    mkdir -p "$path"
    printf '%s' "$compose" >"$path/docker-compose.yml"
    printf 'RELEASE_ID=%s\nAPP_ENV=dev\nAPI_IMAGE=tasks-api:%s\nCOMPOSE_PROJECT_NAME=tasks-dev\n' "$id" "$id" >"$path/release.env"
    printf '{\n  "schema_version": 1,\n  "release_id": "%s",\n  "environment": "dev",\n  "status": "%s",\n  "created_at": "%s",\n  "finished_at": "%s",\n  "duration_ms": 41000,\n  "git": { "commit": "0123456789abcdef0123456789abcdef01234567", "short": "0123456", "branch": "main", "dirty": false },\n  "app_version": "1.0.0",\n  "images": [ { "service": "api", "ref": "tasks-api:%s", "id": "sha256:%s" } ],\n  "artifacts": [ { "path": "docker-compose.yml", "sha256": "%s" } ],\n  "previous_release": null,\n  "deployed_by": "ops@host",\n  "health": { "url": "http://127.0.0.1:8080/readyz", "status": "healthy", "attempts": 3, "duration_ms": 2100 }\n}\n' \
      "$id" "$status" "$created" "$created" "$id" "$digest" "$digest" >"$path/manifest.json"
    if ((index % 50 == 7)); then
      printf 'reason=failed its health gate\ntime=%s\nuser=ops@host\n' "$created" >"$path/BAD"
    elif ((index % 50 == 8)); then
      printf 'reason=rolled back from\ntime=%s\nuser=ops@host\n' "$created" >"$path/BAD"
    fi
  done
  ln -sfn "releases/$id" "$dir/current"
}
