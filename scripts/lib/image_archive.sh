# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# A release's saved api image: DEPLOY_DIR/releases/<id>/image.tar.gz, the gzip-compressed output
# of `docker save` (deploy_local.sh --save-image), listed in manifest.json's artifacts with its
# sha256. rollback.sh loads it when the release's image is gone from the engine, after checking
# that sha256. It goes away with its release directory when the release is pruned.
# Needs: atomic.sh, manifest.sh, log.sh.

readonly IMAGE_ARCHIVE_NAME=image.tar.gz
ARCHIVE_ERROR=""

# _image_archive_stream IMAGE: writes IMAGE as a gzip-compressed `docker save` tar to stdout.
# gzip -1: measured on a 380 MB image, half the time of the default level (-6) for an archive
# 10 % larger (docs/cd.md, "Mesures").
_image_archive_stream() {
  docker save "$1" | gzip -1 -c
}

# image_archive_save IMAGE RELEASE_PATH: writes RELEASE_PATH/image.tar.gz atomically.
image_archive_save() {
  atomic_write_from "$2/$IMAGE_ARCHIVE_NAME" _image_archive_stream "$1"
}

# image_archive_present RELEASE_PATH: succeeds when the release has a saved image.
image_archive_present() {
  [ -f "$1/$IMAGE_ARCHIVE_NAME" ]
}

# image_archive_verify RELEASE_PATH: succeeds when the archive's sha256 is the one its manifest
# lists; otherwise sets ARCHIVE_ERROR.
image_archive_verify() {
  local path="$1" archive="$1/$IMAGE_ARCHIVE_NAME" expected actual
  expected="$(manifest_artifact_sha256 "$path/manifest.json" "$IMAGE_ARCHIVE_NAME")"
  if [ -z "$expected" ]; then
    ARCHIVE_ERROR="$archive is not listed with a sha256 in $path/manifest.json, so it cannot be trusted"
    return 1
  fi
  actual="$(sha256sum -- "$archive" 2>/dev/null)" || actual=""
  actual="${actual%% *}"
  if [ "$actual" != "$expected" ]; then
    ARCHIVE_ERROR="$archive is damaged: its sha256 is ${actual:-unreadable}, the manifest says $expected"
    return 1
  fi
}

# image_archive_load RELEASE_PATH IMAGE: verifies the release's archive, then `docker load`s it;
# succeeds when IMAGE is in the engine afterwards. Sets ARCHIVE_ERROR on failure.
image_archive_load() {
  local path="$1" image="$2" archive="$1/$IMAGE_ARCHIVE_NAME"
  ARCHIVE_ERROR=""
  image_archive_verify "$path" || return 1
  if ! log_run_quiet "docker load of $archive" docker load --input "$archive"; then
    ARCHIVE_ERROR="'docker load' of $archive failed"
    return 1
  fi
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    ARCHIVE_ERROR="$archive was loaded but does not hold $image"
    return 1
  fi
}
