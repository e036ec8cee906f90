#!/usr/bin/env bash
# Builds, from Debian's packages only, local stand-ins for every upstream image the project
# uses, for machines that reach no container registry (the build machines, CI, air-gapped
# users). For each image:
#   - the upstream image is present locally or its registry answers: nothing is substituted;
#   - otherwise the local stand-in is built (or kept when it is up to date) and its tag is
#     written to .tools/local-images.env, which scripts/lib/local_images.sh loads before any
#     `docker build` or compose command (Dockerfile ARGs and compose image variables).
# Idempotent: an image whose recipe (files, base image, inputs) has not changed is not rebuilt.
set -Eeuo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT
readonly ENV_FILE="${LOCAL_IMAGES_ENV:-$REPO_ROOT/.tools/local-images.env}"
readonly LOG_DIR="$REPO_ROOT/.tools/image-logs"
readonly RECIPE_LABEL="io.tasks-local.recipe"
readonly SUITE=bookworm
readonly SWIFT_VERSION=6.3.1
readonly SWIFT_TOOLCHAIN="${SWIFT_TOOLCHAIN:-/opt/swift}"
readonly SWIFT_PACKAGES="${SWIFT_PACKAGES:-/opt/swift-packages}"
readonly PROBE_TIMEOUT="${PROBE_TIMEOUT:-20}"
readonly APT_ETC="${APT_ETC:-/etc/apt}"

# Image table, in build order: name, variable, upstream reference, local tag.
readonly IMAGE_NAMES=(debian swift runtime postgres prometheus alertmanager blackbox postgres-exporter nginx)
declare -Ar IMAGE_VARIABLE=(
  [debian]=DEBIAN_IMAGE [swift]=SWIFT_IMAGE [runtime]=RUNTIME_IMAGE [postgres]=POSTGRES_IMAGE
  [prometheus]=PROMETHEUS_IMAGE [alertmanager]=ALERTMANAGER_IMAGE [blackbox]=BLACKBOX_IMAGE
  [postgres-exporter]=POSTGRES_EXPORTER_IMAGE [nginx]=PROXY_IMAGE
)
declare -Ar IMAGE_UPSTREAM=(
  [debian]=debian:bookworm-slim
  [swift]="swift:${SWIFT_VERSION}-bookworm"
  [runtime]=gcr.io/distroless/cc-debian12:nonroot
  [postgres]=postgres:15-bookworm
  [prometheus]=prom/prometheus:v2.42.0
  [alertmanager]=prom/alertmanager:v0.25.0
  [blackbox]=prom/blackbox-exporter:v0.23.0
  [postgres-exporter]=quay.io/prometheuscommunity/postgres-exporter:v0.11.1
  [nginx]=nginx:1.22.1
)
declare -Ar IMAGE_LOCAL=(
  [debian]=tasks-local/debian:bookworm-slim
  [swift]="tasks-local/swift-builder:${SWIFT_VERSION}-bookworm"
  [runtime]=tasks-local/cc-runtime:debian12-nonroot
  [postgres]=tasks-local/postgres:15
  [prometheus]=tasks-local/prometheus:2.42
  [alertmanager]=tasks-local/alertmanager:0.25
  [blackbox]=tasks-local/blackbox-exporter:0.23
  [postgres-exporter]=tasks-local/postgres-exporter:0.11
  [nginx]=tasks-local/nginx:1.22
)
# Build context directory under scripts/images/ (debian has none: it is a debootstrap rootfs).
declare -Ar IMAGE_CONTEXT=(
  [swift]=swift-builder [runtime]=cc-runtime [postgres]=postgres [prometheus]=prometheus
  [alertmanager]=alertmanager [blackbox]=blackbox-exporter [postgres-exporter]=postgres-exporter
  [nginx]=nginx
)

FORCE=0
LOCAL_ONLY=0
declare -a SELECTED=()
declare -A CHOSEN=()
declare -a TEMP_DIRS=()

usage() {
  cat <<EOF
Usage: scripts/images/build-local-base-images.sh [--force] [--local] [--only NAME[,NAME...]]
       scripts/images/build-local-base-images.sh --print-mirror

Builds local stand-ins, from Debian's packages, for the upstream images that cannot be pulled,
and writes .tools/local-images.env (KEY=VALUE) pointing the image variables at them.

Images: ${IMAGE_NAMES[*]}
  (debian is the base of the others: it is built whenever another one is)

Options:
  --force        rebuild the local images even when they are up to date
  --local        build and use the local images even when the upstream ones can be pulled
  --only NAMES   only these images (comma-separated), plus their base
  --print-mirror print the Debian mirror and suites read from the apt sources, and exit
  -h, --help     this help

Environment: DEBIAN_MIRROR (default: read from the apt sources in APT_ETC, /etc/apt),
SWIFT_TOOLCHAIN (/opt/swift), SWIFT_PACKAGES (/opt/swift-packages), PROBE_TIMEOUT (seconds per
registry probe, 20), LOCAL_IMAGES_ENV (the env file written, .tools/local-images.env).
Exit codes: 0 done, 1 a build failed, 2 usage.
EOF
}

log() { printf 'local-images: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

cleanup() {
  local dir
  for dir in "${TEMP_DIRS[@]}"; do
    [ -d "$dir" ] && rm -rf "$dir"
  done
  return 0
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

parse_args() {
  local name
  while [ $# -gt 0 ]; do
    case "$1" in
      --force) FORCE=1 ;;
      --local) LOCAL_ONLY=1 ;;
      --only)
        [ $# -ge 2 ] || { log "--only needs a list of image names"; usage >&2; exit 2; }
        IFS=, read -r -a SELECTED <<<"$2"
        for name in "${SELECTED[@]}"; do
          [ -n "${IMAGE_VARIABLE[$name]:-}" ] ||
            { log "unknown image '$name' (known: ${IMAGE_NAMES[*]})"; exit 2; }
        done
        shift
        ;;
      --print-mirror) debian_mirror; exit 0 ;;
      -h | --help) usage; exit 0 ;;
      *) log "unknown argument '$1'"; usage >&2; exit 2 ;;
    esac
    shift
  done
  [ ${#SELECTED[@]} -gt 0 ] || SELECTED=("${IMAGE_NAMES[@]}")
  [[ " ${SELECTED[*]} " == *" debian "* ]] || SELECTED=(debian "${SELECTED[@]}")
}

# --- Registry probe ---------------------------------------------------------------------------

# upstream_available REF: the image is present locally or its registry answers for it.
upstream_available() {
  local ref="$1"
  docker image inspect "$ref" >/dev/null 2>&1 && return 0
  timeout "$PROBE_TIMEOUT" docker manifest inspect "$ref" >/dev/null 2>&1
}

# --- Debian mirror from the apt sources ----------------------------------------------------------

# apt_source_for SUITE: prints "URI<TAB>SUITES" of the first enabled deb source (one-line or
# deb822 format) that serves SUITE on this machine.
apt_source_for() {
  local suite="$1"
  local -a files=()
  local file
  for file in "$APT_ETC/sources.list" "$APT_ETC"/sources.list.d/*.list "$APT_ETC"/sources.list.d/*.sources; do
    [ -f "$file" ] && files+=("$file")
  done
  [ ${#files[@]} -gt 0 ] || return 1
  awk -v want="$suite" '
    function has_suite(list,   n, i, s) {
      n = split(list, s, /[ \t]+/)
      for (i = 1; i <= n; i++) if (s[i] == want) return 1
      return 0
    }
    function flush(   u) {
      if (!found && types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no" && has_suite(suites)) {
        split(uris, u, /[ \t]+/)
        printf "%s\t%s\n", u[1], suites
        found = 1
      }
      types = ""; uris = ""; suites = ""; enabled = ""
    }
    FNR == 1 { flush() }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^#/) next
      if (match($0, /^[A-Za-z-]+:/)) {
        key = tolower(substr($0, 1, RLENGTH - 1)); val = substr($0, RLENGTH + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", val)
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = tolower(val)
      }
      next
    }
    /^[ \t]*deb[ \t]/ {
      line = $0
      sub(/\[[^]]*\][ \t]*/, "", line)
      split(line, f, /[ \t]+/)
      if (!found && f[3] == want) { printf "%s\t%s\n", f[2], f[3]; found = 1 }
    }
    END { flush() }
  ' "${files[@]}" | head -n 1
}

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then
    printf '%s\t%s\n' "$DEBIAN_MIRROR" "$SUITE"
    return 0
  fi
  local source
  source="$(apt_source_for "$SUITE")"
  [ -n "$source" ] || die "no apt source in $APT_ETC serves Debian '$SUITE'; set DEBIAN_MIRROR=URL"
  printf '%s\n' "$source"
}

# --- Recipes ------------------------------------------------------------------------------------

# context_hash NAME BASE_REF [EXTRA]: fingerprint of an image's inputs (its context files, the
# base image id, anything else that changes the result).
context_hash() {
  local name="$1" base="$2" extra="${3:-}" dir base_id
  dir="$SCRIPT_DIR/${IMAGE_CONTEXT[$name]}"
  base_id="$(docker image inspect -f '{{.Id}}' "$base")"
  {
    (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    printf 'base %s\nextra %s\n' "$base_id" "$extra"
  } | sha256sum | cut -c1-16
}

debian_hash() {
  { declare -f build_debian slim_rootfs write_rootfs_sources; printf '%s\n' "$SUITE"; } |
    sha256sum | cut -c1-16
}

swift_inputs() {
  local version
  version="$("$SWIFT_TOOLCHAIN/usr/bin/swift" --version 2>&1 | head -n 1)"
  printf '%s\n' "$version"
  find "$SWIFT_PACKAGES" \( -name packed-refs -o -path '*/refs/tags/*' -o -path '*/refs/heads/*' \) \
    -type f -printf '%P %s\n' | LC_ALL=C sort | sha256sum | cut -c1-16
}

# up_to_date TAG HASH: the image exists and was built from the same recipe.
up_to_date() {
  local tag="$1" hash="$2" current
  [ "$FORCE" = 0 ] || return 1
  current="$(docker image inspect -f "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$tag" 2>/dev/null)" ||
    return 1
  [ "$current" = "$hash" ]
}

# --- Builders -----------------------------------------------------------------------------------

slim_rootfs() {
  local dir="$1"
  as_root rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/lintian "$dir"/usr/share/linda \
    "$dir"/etc/resolv.conf "$dir"/etc/hostname
  as_root find "$dir/usr/share/doc" -type f ! -name copyright -delete
  as_root find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
  as_root find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  as_root find "$dir/var/log" -type f -exec truncate -s 0 {} +
  # Keep derived images lean, as the official slim images do.
  as_root tee "$dir/etc/dpkg/dpkg.cfg.d/docker-slim" >/dev/null <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  as_root tee "$dir/etc/apt/apt.conf.d/docker-clean" >/dev/null <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
EOF
}

# write_rootfs_sources DIR URI SUITES: the image's apt sources, from this machine's mirror.
write_rootfs_sources() {
  local dir="$1" uri="$2" suites="$3" security
  security="$(apt_source_for "$SUITE-security" || true)"
  as_root rm -f "$dir/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' "$uri" "$suites"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [ -n "$security" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' "${security%%$'\t'*}" "$SUITE"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } | as_root tee "$dir/etc/apt/sources.list.d/debian.sources" >/dev/null
}

# build_debian TAG HASH: a minbase debootstrap of the suite, slimmed, imported as an image.
build_debian() {
  local tag="$1" hash="$2" source uri suites dir
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
  source="$(debian_mirror)"
  uri="${source%%$'\t'*}"
  suites="${source#*$'\t'}"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/local-debian.XXXXXX")"
  TEMP_DIRS+=("$dir")
  log "debian: debootstrap --variant=minbase $SUITE from the machine's mirror"
  as_root debootstrap --variant=minbase "$SUITE" "$dir" "$uri" >"$LOG_DIR/debian.log" 2>&1 ||
    { tail -n 30 "$LOG_DIR/debian.log" >&2; die "debootstrap failed (log: $LOG_DIR/debian.log)"; }
  slim_rootfs "$dir"
  write_rootfs_sources "$dir" "$uri" "$suites"
  as_root tar -C "$dir" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    --change "LABEL $RECIPE_LABEL=$hash" \
    --change "LABEL org.opencontainers.image.description=\"Debian $SUITE minbase, slimmed: local stand-in for ${IMAGE_UPSTREAM[debian]}\"" \
    - "$tag" >/dev/null
}

# docker_build NAME TAG HASH CONTEXT BASE [build args...]
docker_build() {
  local name="$1" tag="$2" hash="$3" context="$4" base="$5"
  shift 5
  DOCKER_BUILDKIT=1 docker build --progress=plain \
    --build-arg "BASE_IMAGE=$base" "$@" \
    --label "$RECIPE_LABEL=$hash" \
    --label "org.opencontainers.image.description=local stand-in for ${IMAGE_UPSTREAM[$name]}" \
    -t "$tag" "$context" >"$LOG_DIR/$name.log" 2>&1 ||
    { tail -n 40 "$LOG_DIR/$name.log" >&2; die "$name: docker build failed (log: $LOG_DIR/$name.log)"; }
}

# swift_context DIR: the build context with hard links to the toolchain and package mirrors
# (instant on the same filesystem; a copy otherwise).
swift_context() {
  local dir="$1"
  cp "$SCRIPT_DIR/swift-builder/Dockerfile" "$dir/"
  cp -al "$SWIFT_TOOLCHAIN/usr" "$dir/toolchain" 2>/dev/null || cp -a "$SWIFT_TOOLCHAIN/usr" "$dir/toolchain"
  cp -al "$SWIFT_PACKAGES" "$dir/swift-packages" 2>/dev/null || cp -a "$SWIFT_PACKAGES" "$dir/swift-packages"
}

check_swift_toolchain() {
  [ -x "$SWIFT_TOOLCHAIN/usr/bin/swift" ] ||
    die "no Swift toolchain at $SWIFT_TOOLCHAIN (set SWIFT_TOOLCHAIN to the directory holding usr/bin/swift)"
  [ -d "$SWIFT_PACKAGES" ] || die "no Swift package mirrors at $SWIFT_PACKAGES (set SWIFT_PACKAGES)"
  "$SWIFT_TOOLCHAIN/usr/bin/swift" --version 2>&1 | grep "Swift version $SWIFT_VERSION" >/dev/null ||
    die "the toolchain at $SWIFT_TOOLCHAIN is not Swift $SWIFT_VERSION: $("$SWIFT_TOOLCHAIN/usr/bin/swift" --version 2>&1 | head -n 1)"
}

# build_local NAME BASE: builds (or keeps) the local stand-in NAME; prints its tag.
build_local() {
  local name="$1" base="$2" tag="${IMAGE_LOCAL[$1]}" hash started context
  case "$name" in
    debian) hash="$(debian_hash)" ;;
    swift)
      check_swift_toolchain
      hash="$(context_hash swift "$base" "$(swift_inputs)")"
      ;;
    *) hash="$(context_hash "$name" "$base")" ;;
  esac
  if up_to_date "$tag" "$hash"; then
    log "$name: $tag is up to date"
    return 0
  fi
  started=$SECONDS
  log "$name: building $tag (log: .tools/image-logs/$name.log)"
  case "$name" in
    debian) build_debian "$tag" "$hash" ;;
    swift)
      context="$(mktemp -d "${TMPDIR:-/tmp}/local-swift.XXXXXX")"
      TEMP_DIRS+=("$context")
      swift_context "$context"
      docker_build swift "$tag" "$hash" "$context" "$base"
      rm -rf "$context"
      ;;
    *) docker_build "$name" "$tag" "$hash" "$SCRIPT_DIR/${IMAGE_CONTEXT[$name]}" "$base" ;;
  esac
  log "$name: built $tag in $((SECONDS - started)) s, $(image_size "$tag")"
}

image_size() {
  local bytes
  bytes="$(docker image inspect -f '{{.Size}}' "$1")"
  printf '%s MB' "$((bytes / 1000000))"
}

# --- Main ---------------------------------------------------------------------------------------

# choose NAME: decides between the upstream image and the local stand-in; records the choice.
choose() {
  local name="$1" upstream="${IMAGE_UPSTREAM[$1]}"
  if [ "$LOCAL_ONLY" = 0 ] && upstream_available "$upstream"; then
    log "$name: $upstream is available: no substitution"
    CHOSEN[$name]="$upstream"
    return 0
  fi
  CHOSEN[$name]="${IMAGE_LOCAL[$name]}"
}

write_env_file() {
  local name tmp substituted=0
  mkdir -p "$(dirname "$ENV_FILE")"
  tmp="$ENV_FILE.tmp.$$"
  {
    printf '# Written by scripts/images/build-local-base-images.sh on %s.\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf '# Local stand-ins for upstream images that no registry served here.\n'
    # Keep the substitutions of images not selected this time.
    if [ -f "$ENV_FILE" ]; then
      grep -E '^[A-Z_]+=' "$ENV_FILE" | while IFS= read -r line; do
        name="${line%%=*}"
        is_selected_variable "$name" || printf '%s\n' "$line"
      done
    fi
    for name in "${SELECTED[@]}"; do
      [ "${CHOSEN[$name]}" = "${IMAGE_LOCAL[$name]}" ] || continue
      printf '%s=%s\n' "${IMAGE_VARIABLE[$name]}" "${IMAGE_LOCAL[$name]}"
    done
  } >"$tmp"
  grep -qE '^[A-Z_]+=' "$tmp" && substituted=1
  if [ "$substituted" = 1 ]; then
    mv "$tmp" "$ENV_FILE"
    log "wrote ${ENV_FILE#"$REPO_ROOT"/}"
  else
    rm -f "$tmp" "$ENV_FILE"
    log "no substitution: ${ENV_FILE#"$REPO_ROOT"/} removed"
  fi
}

is_selected_variable() {
  local variable="$1" name
  for name in "${SELECTED[@]}"; do
    [ "${IMAGE_VARIABLE[$name]}" = "$variable" ] && return 0
  done
  return 1
}

print_summary() {
  local name
  log "summary:"
  for name in "${SELECTED[@]}"; do
    if [ "${CHOSEN[$name]}" = "${IMAGE_LOCAL[$name]}" ]; then
      printf '  %-18s %-40s -> %s\n' "${IMAGE_VARIABLE[$name]}" "${IMAGE_UPSTREAM[$name]}" "${CHOSEN[$name]}" >&2
    else
      printf '  %-18s %-40s (upstream, not substituted)\n' "${IMAGE_VARIABLE[$name]}" "${IMAGE_UPSTREAM[$name]}" >&2
    fi
  done
}

main() {
  parse_args "$@"
  trap cleanup EXIT
  command -v docker >/dev/null || die "docker is missing"
  docker info >/dev/null 2>&1 || die "the Docker engine does not answer: start it (scripts/ci/provision.sh does)"
  mkdir -p "$LOG_DIR"
  local name base
  for name in "${SELECTED[@]}"; do
    choose "$name"
  done
  base="${CHOSEN[debian]}"
  for name in "${SELECTED[@]}"; do
    [ "${CHOSEN[$name]}" = "${IMAGE_LOCAL[$name]}" ] || continue
    build_local "$name" "$base"
  done
  write_env_file
  print_summary
}

main "$@"
