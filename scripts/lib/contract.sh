# shellcheck shell=bash
# The reason codes of the deploy-tree contract (deploy/contract/README.md) and their texts, the
# same as deploy/contract/reasons.tsv (the unit tests compare the two) and as reldash's.

# contract_reason_text CODE: prints the text of CODE (the code itself when it is unknown).
contract_reason_text() {
  case "$1" in
    not_a_release_id) printf '%s' 'not a release id (YYYYMMDDTHHMMSSZ naming a real UTC second)' ;;
    symlink_entry) printf '%s' 'a symbolic link, not a release directory' ;;
    not_a_directory) printf '%s' 'not a directory' ;;
    no_manifest) printf '%s' 'no manifest.json: the deploy did not finish' ;;
    manifest_not_a_file) printf '%s' 'manifest.json is not a regular file' ;;
    manifest_unreadable) printf '%s' 'manifest.json cannot be read' ;;
    manifest_nul_byte) printf '%s' 'manifest.json contains a NUL byte' ;;
    manifest_too_large) printf '%s' 'manifest.json is larger than 262144 bytes' ;;
    not_an_object) printf '%s' 'manifest.json does not run from { to } (truncated or not a JSON object)' ;;
    schema_version_missing) printf '%s' 'manifest.json has no schema_version' ;;
    schema_version_unsupported) printf '%s' 'manifest.json has a schema_version other than 1' ;;
    release_id_missing) printf '%s' 'manifest.json has no release_id' ;;
    release_id_mismatch) printf '%s' 'manifest.json names another release than its directory' ;;
    no_outcome) printf '%s' 'manifest.json has no status deployed or failed' ;;
    several_outcomes) printf '%s' 'manifest.json has more than one status deployed or failed' ;;
    deploy_failed) printf '%s' 'the deploy failed (manifest status failed)' ;;
    marked_bad) printf '%s' 'marked BAD' ;;
    pointer_bad_target) printf '%s' 'deploy/current does not point to releases/<id>' ;;
    pointer_not_a_symlink) printf '%s' 'deploy/current is not a symbolic link and there is no current.txt' ;;
    pointer_text_not_a_file) printf '%s' 'deploy/current.txt is not a regular file' ;;
    pointer_text_invalid) printf '%s' 'deploy/current.txt does not hold a release id' ;;
    pointer_conflict) printf '%s' 'deploy/current and deploy/current.txt name different releases' ;;
    pointer_dangling) printf '%s' 'the current pointer names a release that is not in deploy/releases' ;;
    current_copy_ignored) printf '%s' 'deploy/current is a copy, not a symbolic link: current.txt is used' ;;
    pointer_broken) printf '%s' 'the current pointer is unusable' ;;
    no_current_release) printf '%s' 'nothing is deployed (no current pointer)' ;;
    current_environment_unknown) printf '%s' 'the current release has no APP_ENV in its release.env' ;;
    no_older_release) printf '%s' 'no release is older than the current one' ;;
    no_eligible_release) printf '%s' 'no older release is deployed, free of BAD, with a complete release.env, in the same environment' ;;
    target_is_current) printf '%s' 'the release is already current' ;;
    unknown_release) printf '%s' 'no such release in deploy/releases' ;;
    target_incomplete) printf '%s' 'the release is incomplete (no manifest.json)' ;;
    target_invalid) printf '%s' 'the release has an invalid manifest.json' ;;
    target_failed) printf '%s' 'the release failed its deploy' ;;
    target_bad) printf '%s' 'the release is marked BAD' ;;
    release_env_missing) printf '%s' 'the release has no release.env' ;;
    release_env_incomplete) printf '%s' 'release.env lacks RELEASE_ID, APP_ENV, API_IMAGE or COMPOSE_PROJECT_NAME' ;;
    release_env_mismatch) printf '%s' 'release.env names another release than its directory' ;;
    other_environment) printf '%s' 'the release was deployed to another environment than the current one' ;;
    lock_held) printf '%s' 'a deployment holds deploy/.lock' ;;
    lock_stale) printf '%s' 'deploy/.lock was left by a process that is gone from this host' ;;
    lock_invalid) printf '%s' 'deploy/.lock is not a directory' ;;
    *) printf '%s' "$1" ;;
  esac
}

# contract_reason CODE: prints "CODE: text", the form every listing and refusal uses.
contract_reason() {
  printf '%s: %s' "$1" "$(contract_reason_text "$1")"
}
