# shellcheck shell=bash
# Loads what the monitoring scripts (monitoring_up.sh, monitoring_down.sh, monitoring_drill.sh)
# share: the deploy library pieces they use and the monitoring stack's own functions. Source it
# once, from the directory of this file.

MONITORING_LIB_DIR="${BASH_SOURCE[0]%/*}"

# shellcheck source=scripts/lib/log.sh
source "$MONITORING_LIB_DIR/../lib/log.sh"
# shellcheck source=scripts/lib/kv.sh
source "$MONITORING_LIB_DIR/../lib/kv.sh"
# shellcheck source=scripts/lib/compose.sh
source "$MONITORING_LIB_DIR/../lib/compose.sh"
# shellcheck source=scripts/lib/http.sh
source "$MONITORING_LIB_DIR/../lib/http.sh"
# shellcheck source=scripts/lib/local_images.sh
source "$MONITORING_LIB_DIR/../lib/local_images.sh"
# shellcheck source=scripts/monitoring/stack.sh
source "$MONITORING_LIB_DIR/stack.sh"
