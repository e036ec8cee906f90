# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# The reverse proxy of the deployment stack (compose service proxy, nginx): it owns API_PORT
# and routes to one slot, named in DEPLOY_DIR/proxy/upstream.conf. A switch writes that file
# (tmp + rename: nginx never reads half of it), makes sure the proxy runs, asks it for a
# graceful reload (SIGHUP: new workers take the new file, old ones finish their requests) and
# waits until the proxy answers with the expected release id.
# Needs: atomic.sh, compose.sh, health.sh, kv.sh, log.sh.

PROXY_REASON=""
PROXY_OLD_WORKERS=""

# proxy_config_dir DIR: prints the directory mounted into the proxy (DEPLOY_DIR/proxy).
proxy_config_dir() {
  printf '%s/proxy' "$1"
}

# proxy_live_slot DIR: prints the slot the proxy's configuration routes to (blue, green), or
# nothing when the proxy was never configured.
proxy_live_slot() {
  local file
  file="$(proxy_config_dir "$1")/upstream.conf"
  [ -f "$file" ] || return 0
  if [[ "$(cat -- "$file")" =~ server\ api-(blue|green):8080 ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  fi
}

# proxy_prepare DIR NGINX_CONF: the proxy's directory, with the main nginx configuration copied
# from NGINX_CONF (the repository's deploy/proxy/nginx.conf) when it differs.
proxy_prepare() {
  local dir target
  dir="$(proxy_config_dir "$1")"
  target="$dir/nginx.conf"
  mkdir -p -- "$dir" || return 1
  cmp -s -- "$2" "$target" 2>/dev/null || atomic_copy "$2" "$target"
}

# proxy_write_upstream DIR SLOT ID: points the proxy's configuration at SLOT (serving ID);
# takes effect at the next reload.
proxy_write_upstream() {
  local dir="$1" slot="$2" id="$3"
  atomic_write "$(proxy_config_dir "$dir")/upstream.conf" "# Written by scripts/lib/proxy.sh at $(utc_now): release $id in slot $slot.
upstream api_live {
  server api-$slot:8080;
  keepalive 16;
}
"
}

# proxy_container PROJECT: prints the id of the running proxy container of PROJECT.
proxy_container() {
  docker ps -q --filter "label=com.docker.compose.project=$1" \
    --filter "label=com.docker.compose.service=proxy" 2>/dev/null | head -n 1
}

# proxy_current PROJECT IMAGE CONFIG_DIR: prints the running proxy of PROJECT when it runs
# IMAGE with CONFIG_DIR mounted (what compose up would keep as is); nothing otherwise.
proxy_current() {
  local container details
  container="$(proxy_container "$1")"
  [ -n "$container" ] || return 0
  details="$(docker inspect --format '{{.Config.Image}}|{{range .Mounts}}{{.Source}};{{end}}' "$container" 2>/dev/null)" ||
    return 0
  [ "${details%%|*}" = "$2" ] && [[ "${details#*|}" == *"$3;"* ]] && printf '%s' "$container"
  return 0
}

# proxy_apply DIR ID: the proxy of release ID's project runs with the written configuration. A
# proxy that already runs the right image on the right directory is reloaded gracefully
# (SIGHUP: new workers read the new upstream, old ones finish their requests; no compose call,
# which costs seconds). Otherwise compose up starts a stopped or missing proxy, recreates one
# whose definition changed, and removes containers of services the compose file no longer has;
# a proxy just started has read the new upstream already, one compose kept is reloaded.
proxy_apply() {
  local dir="$1" id="$2" env="$1/releases/$2/release.env" project running before after
  project="$(kv_get "$env" COMPOSE_PROJECT_NAME)"
  running="$(proxy_current "$project" "$(kv_get "$env" PROXY_IMAGE)" "$(kv_get "$env" PROXY_CONFIG_DIR)")"
  if [ -n "$running" ]; then
    proxy_reload "$running"
    return
  fi
  before="$(proxy_container "$project")"
  log_run_quiet "docker compose up proxy" compose_release "$dir" "$id" up -d --no-deps --remove-orphans proxy ||
    return 1
  after="$(proxy_container "$project")"
  [ -n "$after" ] || return 1
  if [ "$after" = "$before" ]; then
    proxy_reload "$after"
  else
    log_info "the proxy was (re)started (compose project $project)"
  fi
}

# proxy_switch DIR SLOT ID TIMEOUT: routes the proxy to SLOT and waits up to TIMEOUT seconds
# for the proxy's own port to report release ID. Sets PROXY_REASON on failure.
proxy_switch() {
  local dir="$1" slot="$2" id="$3" timeout="$4" url
  PROXY_REASON=""
  url="http://127.0.0.1:$(kv_get "$dir/releases/$id/release.env" API_PORT)"
  if ! proxy_write_upstream "$dir" "$slot" "$id"; then
    PROXY_REASON="could not write $(proxy_config_dir "$dir")/upstream.conf"
    return 1
  fi
  if ! proxy_apply "$dir" "$id"; then
    PROXY_REASON="the proxy could not be started or reloaded (see deploy.log)"
    return 1
  fi
  if ! health_gate "$url" "$id" "$timeout"; then
    PROXY_REASON="the proxy at $url does not serve release $id after ${timeout}s: $HEALTH_REASON"
    return 1
  fi
  log_info "proxy $url now routes to slot $slot (release $id, verified)"
}

# proxy_reload CONTAINER: graceful reload (SIGHUP), after noting in PROXY_OLD_WORKERS the pids of
# the workers it replaces (they keep their requests, and the old upstream, until done).
proxy_reload() {
  PROXY_OLD_WORKERS="$(docker top "$1" -o pid,args 2>/dev/null | awk '/nginx: worker process/ { printf "%s ", $1 }')" ||
    PROXY_OLD_WORKERS=""
  docker kill -s HUP "$1" >/dev/null
}

# proxy_old_worker_left LISTING: true when the `docker top -o pid,args` LISTING still has a worker
# from before the reload: one of PROXY_OLD_WORKERS, or any worker shutting down.
proxy_old_worker_left() {
  printf '%s\n' "$1" | awk -v old=" ${PROXY_OLD_WORKERS:-} " '
    /worker process is shutting down/ { found = 1 }
    /nginx: worker process/ && index(old, " " $1 " ") { found = 1 }
    END { exit !found }'
}

# proxy_wait_old_workers PROJECT TIMEOUT: waits up to TIMEOUT seconds until the proxy has no
# worker left from before its last reload (their requests, which may still go to the old slot,
# are done). A `docker top` that fails proves nothing: it is asked again. Succeeds when none is
# left; fails at the deadline.
proxy_wait_old_workers() {
  local project="$1" timeout="$2" container deadline listing
  container="$(proxy_container "$project")"
  [ -n "$container" ] || return 0
  deadline=$(($(now_ms) + timeout * 1000))
  while :; do
    if listing="$(docker top "$container" -o pid,args 2>/dev/null)" && ! proxy_old_worker_left "$listing"; then
      return 0
    fi
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
