# shellcheck shell=bash
# Settings of the deployment scripts, from the environment, with their defaults. Tests and
# benchmarks override them so they never touch a real deployment (see docs/cd.md).
#   DEPLOY_DIR           state directory (releases/, current, history.jsonl, .lock/)   deploy/
#   DEPLOY_POINTER       auto | symlink | file                                        auto
#   DEPLOY_COMPOSE_FILE  compose file copied into each release                        deploy/docker-compose.yml
#   DEPLOY_PROJECT_NAME  compose project (one per environment: same volumes)          tasks-<env>
#   DEPLOY_IMAGE_REPO    repository of the per-release api image tags                 tasks-api
#   DEPLOY_BUILD_CONTEXT directory holding the Dockerfile that builds the api         repository root
#   DEPLOY_SECRETS_DIR   plaintext db_password.txt instead of SOPS (secrets.sh)         unset
#   DEPLOY_SOURCE_IMAGE  image deployed by --no-build                                 the current release's
#   API_PORT             host port of the api, bound on 127.0.0.1                     8080
#   POSTGRES_IMAGE       database image (local stand-in from .tools/local-images.env)  postgres:15-bookworm
#   PROXY_IMAGE          proxy image (local stand-in from .tools/local-images.env)     nginx:1.22.1
# Needs: log.sh (die), pointer.sh.

readonly DEPLOY_ENVIRONMENTS="dev staging prod"

# config_load REPO_ROOT: sets the DEPLOY_* variables (keeping values from the environment) and
# checks the ones every command needs. Exits 2 on a malformed value.
config_load() {
  local root="$1"
  DEPLOY_DIR="${DEPLOY_DIR:-$root/deploy}"
  DEPLOY_POINTER="${DEPLOY_POINTER:-auto}"
  pointer_mode_valid "$DEPLOY_POINTER" ||
    die "$EXIT_USAGE" "DEPLOY_POINTER='$DEPLOY_POINTER' is not one of auto, symlink, file"
}

# config_load_deploy REPO_ROOT ENVIRONMENT: the settings a deploy needs on top of config_load.
config_load_deploy() {
  local root="$1" environment="$2"
  DEPLOY_COMPOSE_FILE="${DEPLOY_COMPOSE_FILE:-$root/deploy/docker-compose.yml}"
  DEPLOY_PROJECT_NAME="${DEPLOY_PROJECT_NAME:-tasks-$environment}"
  DEPLOY_IMAGE_REPO="${DEPLOY_IMAGE_REPO:-tasks-api}"
  DEPLOY_BUILD_CONTEXT="${DEPLOY_BUILD_CONTEXT:-$root}"
  DEPLOY_SOURCE_IMAGE="${DEPLOY_SOURCE_IMAGE:-}"
  API_PORT="${API_PORT:-8080}"
  [[ "$DEPLOY_PROJECT_NAME" =~ ^[a-z0-9][a-z0-9_-]*$ ]] ||
    die "$EXIT_USAGE" "DEPLOY_PROJECT_NAME='$DEPLOY_PROJECT_NAME': use lowercase letters, digits, - and _"
  [[ "$DEPLOY_IMAGE_REPO" =~ ^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?$ ]] ||
    die "$EXIT_USAGE" "DEPLOY_IMAGE_REPO='$DEPLOY_IMAGE_REPO' is not a valid image repository name"
  if [[ ! "$API_PORT" =~ ^[1-9][0-9]{0,4}$ ]] || [ "$API_PORT" -gt 65535 ]; then
    die "$EXIT_USAGE" "API_PORT='$API_PORT' is not a TCP port (1-65535)"
  fi
}

# config_default_images: upstream defaults for the images no local stand-in replaced (call it
# after load_local_images, which never overrides a value already set).
config_default_images() {
  POSTGRES_IMAGE="${POSTGRES_IMAGE:-postgres:15-bookworm}"
  PROXY_IMAGE="${PROXY_IMAGE:-nginx:1.22.1}"
}

# config_environment_valid NAME: succeeds for dev, staging or prod.
config_environment_valid() {
  [[ " $DEPLOY_ENVIRONMENTS " == *" $1 "* ]]
}

# config_positive_int VALUE: succeeds for an integer >= 1.
config_positive_int() {
  [[ "$1" =~ ^[1-9][0-9]*$ ]]
}
