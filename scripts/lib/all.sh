# shellcheck shell=bash
# Loads every library of the deployment scripts (deploy_local.sh, rollback.sh) and of their
# tests, from the directory of this file. Source it once: log.sh and config.sh define readonly
# values.

CD_LIB_DIR="${BASH_SOURCE[0]%/*}"

# shellcheck source=scripts/lib/log.sh
source "$CD_LIB_DIR/log.sh"
# shellcheck source=scripts/lib/json.sh
source "$CD_LIB_DIR/json.sh"
# shellcheck source=scripts/lib/atomic.sh
source "$CD_LIB_DIR/atomic.sh"
# shellcheck source=scripts/lib/kv.sh
source "$CD_LIB_DIR/kv.sh"
# shellcheck source=scripts/lib/lock.sh
source "$CD_LIB_DIR/lock.sh"
# shellcheck source=scripts/lib/contract.sh
source "$CD_LIB_DIR/contract.sh"
# shellcheck source=scripts/lib/releases.sh
source "$CD_LIB_DIR/releases.sh"
# shellcheck source=scripts/lib/pointer.sh
source "$CD_LIB_DIR/pointer.sh"
# shellcheck source=scripts/lib/compose.sh
source "$CD_LIB_DIR/compose.sh"
# shellcheck source=scripts/lib/http.sh
source "$CD_LIB_DIR/http.sh"
# shellcheck source=scripts/lib/health.sh
source "$CD_LIB_DIR/health.sh"
# shellcheck source=scripts/lib/history.sh
source "$CD_LIB_DIR/history.sh"
# shellcheck source=scripts/lib/manifest.sh
source "$CD_LIB_DIR/manifest.sh"
# shellcheck source=scripts/lib/image_archive.sh
source "$CD_LIB_DIR/image_archive.sh"
# shellcheck source=scripts/lib/slots.sh
source "$CD_LIB_DIR/slots.sh"
# shellcheck source=scripts/lib/proxy.sh
source "$CD_LIB_DIR/proxy.sh"
# shellcheck source=scripts/lib/stack.sh
source "$CD_LIB_DIR/stack.sh"
# shellcheck source=scripts/lib/gitinfo.sh
source "$CD_LIB_DIR/gitinfo.sh"
# shellcheck source=scripts/lib/config.sh
source "$CD_LIB_DIR/config.sh"
# shellcheck source=scripts/lib/preflight.sh
source "$CD_LIB_DIR/preflight.sh"
# shellcheck source=scripts/lib/listing.sh
source "$CD_LIB_DIR/listing.sh"
# shellcheck source=scripts/lib/local_images.sh
source "$CD_LIB_DIR/local_images.sh"
# shellcheck source=scripts/lib/envconfig.sh
source "$CD_LIB_DIR/envconfig.sh"
# shellcheck source=scripts/lib/secrets.sh
source "$CD_LIB_DIR/secrets.sh"
