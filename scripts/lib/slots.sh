# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# The two api slots of the deployment stack (compose services api-blue and api-green, one
# definition): which release runs in a slot, its loopback port, starting a release in a slot,
# draining and stopping a slot. Reads containers through docker's compose labels, so it works
# the same with compose v1 and v2.
# Needs: compose.sh, kv.sh, log.sh.

readonly SLOT_NAMES="blue green"
# Seconds a slot has to stop after SIGTERM: the api's drain delay plus its grace period fit in it.
readonly SLOT_STOP_TIMEOUT=15

# slot_valid NAME: succeeds for blue or green.
slot_valid() {
  [[ " $SLOT_NAMES " == *" $1 "* ]]
}

# slot_other SLOT: prints the other slot (blue for anything but blue).
slot_other() {
  if [ "$1" = blue ]; then printf green; else printf blue; fi
}

# slot_container PROJECT SLOT: prints the id of SLOT's running container (nothing when stopped).
slot_container() {
  docker ps -q --filter "label=com.docker.compose.project=$1" \
    --filter "label=com.docker.compose.service=api-$2" 2>/dev/null | head -n 1
}

# slot_release PROJECT SLOT: prints the RELEASE_ID of the release running in SLOT (nothing when
# the slot is stopped).
slot_release() {
  local container line
  container="$(slot_container "$1" "$2")"
  [ -n "$container" ] || return 0
  while IFS= read -r line; do
    [[ "$line" == RELEASE_ID=* ]] && printf '%s' "${line#RELEASE_ID=}"
  done < <(docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$container" 2>/dev/null)
  return 0
}

# slot_url PROJECT SLOT: prints http://127.0.0.1:PORT, SLOT's own loopback port (the gate's).
slot_url() {
  local container mapping
  container="$(slot_container "$1" "$2")"
  [ -n "$container" ] || return 1
  mapping="$(docker port "$container" 8080/tcp 2>/dev/null | head -n 1)"
  [[ "$mapping" =~ :([0-9]+)$ ]] || return 1
  printf 'http://127.0.0.1:%s' "${BASH_REMATCH[1]}"
}

# slot_start DIR ID SLOT: starts release ID in SLOT (compose up of that one service: the
# database is started first and waited for, and recreated only when its definition changed;
# the other slot is left alone).
slot_start() {
  local dir="$1" id="$2" slot="$3"
  log_run_quiet "docker compose up api-$slot for release $id" compose_release "$dir" "$id" up -d "api-$slot"
}

# slot_stop DIR ID SLOT: stops SLOT of release ID's project gracefully (SIGTERM: the api turns
# not-ready, waits its drain delay, finishes its requests), then removes its container, so no
# stopped container holds on to an old release's image (an operator may remove it; the saved
# archive brings it back); docker directly, as compose would.
slot_stop() {
  local dir="$1" id="$2" slot="$3" container
  local -a containers=()
  mapfile -t containers < <(docker ps -aq --filter "label=com.docker.compose.project=$(kv_get "$dir/releases/$id/release.env" COMPOSE_PROJECT_NAME)" \
    --filter "label=com.docker.compose.service=api-$slot" 2>/dev/null)
  for container in "${containers[@]}"; do
    log_run_quiet "docker stop api-$slot" docker stop -t "$SLOT_STOP_TIMEOUT" "$container" &&
      log_run_quiet "docker rm api-$slot" docker rm "$container" || return 1
  done
}
