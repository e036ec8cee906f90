#!/usr/bin/env bash
# Assembles a distroless-style root filesystem in DIR from Debian packages, without running
# their maintainer scripts: each .deb is unpacked with dpkg-deb -x and recorded in
# DIR/var/lib/dpkg/status.d/<package> (+ .md5sums), the layout of the real distroless images.
# Runs inside the build stage of scripts/images/cc-runtime/Dockerfile.
set -Eeuo pipefail

log() { printf 'make-rootfs: %s\n' "$*" >&2; }

usage() { printf 'Usage: make-rootfs.sh DIR PACKAGE...\n' >&2; }

download_packages() {
  local debs="$1"
  shift
  apt-get update -q >/dev/null
  # ca-certificates is installed in the build stage only, to produce the CA bundle.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ca-certificates >/dev/null
  mkdir -p "$debs"
  (cd "$debs" && apt-get download -q "$@" >/dev/null)
}

# record_package DEB DIR: unpacks DEB into DIR and writes its dpkg status entry.
record_package() {
  local deb="$1" dir="$2" name status_dir="$2/var/lib/dpkg/status.d" ctrl
  name="$(dpkg-deb -f "$deb" Package)"
  dpkg-deb -x "$deb" "$dir"
  mkdir -p "$status_dir"
  dpkg-deb -f "$deb" | awk '{ print } /^Package:/ { print "Status: install ok installed" }' \
    >"$status_dir/$name"
  ctrl="$(mktemp -d)"
  dpkg-deb -e "$deb" "$ctrl"
  [ -f "$ctrl/md5sums" ] && cp "$ctrl/md5sums" "$status_dir/$name.md5sums"
  rm -rf "$ctrl"
  log "unpacked $name $(dpkg-deb -f "$deb" Version)"
}

write_accounts() {
  local dir="$1"
  cat >"$dir/etc/passwd" <<'ACCOUNTS'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
ACCOUNTS
  cat >"$dir/etc/group" <<'ACCOUNTS'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
ACCOUNTS
  printf 'hosts: files dns\n' >"$dir/etc/nsswitch.conf"
}

make_directories() {
  local dir="$1"
  install -d -m 0700 "$dir/root"
  install -d -m 0700 -o 65532 -g 65532 "$dir/home/nonroot"
  install -d -m 1777 "$dir/tmp"
  install -d -m 0755 "$dir/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
  ln -sf /usr/share/zoneinfo/Etc/UTC "$dir/etc/localtime"
}

strip_documentation() {
  local dir="$1"
  rm -rf "$dir/usr/share/doc" "$dir/usr/share/man" "$dir/usr/share/info" "$dir/usr/share/lintian"
}

main() {
  [ $# -ge 2 ] || { usage; exit 2; }
  local dir="$1" debs=/tmp/debs deb
  shift
  download_packages "$debs" "$@"
  mkdir -p "$dir"
  for deb in "$debs"/*.deb; do
    record_package "$deb" "$dir"
  done
  write_accounts "$dir"
  make_directories "$dir"
  strip_documentation "$dir"
}

main "$@"
