#!/usr/bin/env bash
# Unit tests of the per-environment configuration (deploy/env, scripts/lib/envconfig.sh) and of
# the SOPS secrets of scripts/deploy_local.sh (scripts/lib/secrets.sh, scripts/secrets_init.sh,
# the recipient half of scripts/secrets_rotate.sh). A fake engine (docker answers, compose
# refuses `up`), throwaway age keys and encrypted files made in the case directory: no
# container, no real secret. Bad input must exit 3 with the file and the fix named, create
# nothing, and leave nothing decrypted. About 40 s on 2 cores.
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"
# shellcheck source=scripts/tests/lib/cd.sh
source "$REPO_ROOT/scripts/tests/lib/cd.sh"
cd_source_libs

readonly DEPLOY="$REPO_ROOT/scripts/deploy_local.sh"
readonly INIT="$REPO_ROOT/scripts/secrets_init.sh" ROTATE="$REPO_ROOT/scripts/secrets_rotate.sh"
readonly SCHEMA="$REPO_ROOT/deploy/env/schema.tsv"
readonly SOPS=(sops --disable-version-check)

# --- helpers ---------------------------------------------------------------------------------

# env_file NAME KEY=VALUE...: a copy of deploy/env/staging.env with KEY set to VALUE (a new line
# when absent; "KEY=" with the marker DELETE removes it); prints its path.
env_file() {
  local path="$CASE_DIR/$1" pair key
  shift
  cp "$REPO_ROOT/deploy/env/staging.env" "$path"
  for pair in "$@"; do
    key="${pair%%=*}"
    grep -v "^$key=" "$path" >"$path.tmp" || true
    mv "$path.tmp" "$path"
    [ "${pair#*=}" = DELETE ] || printf '%s\n' "$pair" >>"$path"
  done
  printf '%s' "$path"
}

# make_key NAME: a throwaway age key CASE_DIR/NAME.key; prints its public key.
make_key() {
  (umask 077 && age-keygen -o "$CASE_DIR/$1.key" 2>/dev/null)
  age-keygen -y "$CASE_DIR/$1.key"
}

# make_secrets ENV PUBLIC_KEY: CASE_DIR/ENV.enc.yaml encrypted for PUBLIC_KEY, with a creation
# rule in CASE_DIR/sops.yaml; prints the file's path.
make_secrets() {
  printf 'creation_rules:\n  - path_regex: (^|/)%s\\.enc\\.yaml$\n    age: %s\n' "$1" "$2" >"$CASE_DIR/sops.yaml"
  "$INIT" --env "$1" --file "$CASE_DIR/$1.enc.yaml" --config "$CASE_DIR/sops.yaml" >/dev/null 2>&1 ||
    cd_fail "secrets_init.sh could not make $1 secrets"
  printf '%s' "$CASE_DIR/$1.enc.yaml"
}

# deploy_staging EXPECTED_CODE VAR=VALUE...: deploy_local.sh --env staging --no-build on the fake
# engine with the given settings.
deploy_staging() {
  local expected="$1"
  shift
  PATH="$CASE_DIR/bin:$PATH" assert_exit "$expected" env DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SOURCE_IMAGE=src:1 \
    DEPLOY_PROJECT_NAME=envunit API_PORT=28931 "$@" "$DEPLOY" --env staging --no-build --timeout 1
}

# assert_nothing_decrypted: no file at all under the deploy dir's secret store.
assert_nothing_decrypted() {
  if [ -d "$CASE_DIR/d/.secrets" ] && [ -n "$(find "$CASE_DIR/d/.secrets" -type f)" ]; then
    cd_fail "decrypted files left: $(find "$CASE_DIR/d/.secrets" -type f | tr '\n' ' ')"
  fi
}

# --- configuration ---------------------------------------------------------------------------

committedEnvironmentFilesAreValid() {
  local environment
  for environment in dev staging prod; do
    (envconfig_resolve "$environment" "$REPO_ROOT/deploy/env/$environment.env" "$SCHEMA") || cd_fail "deploy/env/$environment.env does not pass its own validator"
  done
}

prodRefusesDebugLoggingFaultInjectionAndTextLogs() {
  local file
  file="$(env_file prod.env LOG_LEVEL=debug FAULT_INJECTION=true LOG_FORMAT=text)"
  DEPLOY_DIR="$CASE_DIR/d" DEPLOY_ENV_FILE="$file" assert_exit 3 "$DEPLOY" --env prod
  assert_contains "$CMD_OUTPUT" "invalid configuration $file for 'prod' (3 problem(s))"
  assert_contains "$CMD_OUTPUT" "LOG_LEVEL=debug is refused in prod"
  assert_contains "$CMD_OUTPUT" "FAULT_INJECTION=true is refused in prod"
  assert_contains "$CMD_OUTPUT" "LOG_FORMAT=text is refused in prod"
  assert_contains "$CMD_OUTPUT" "nothing was changed"
  assert_no_path "$CASE_DIR/d"
}

unknownKeyWrongTypeAndMissingKeyAreEachNamed() {
  local file
  file="$(env_file bad.env LOG_LEVEL=loud DB_POOL_SIZE=ten FEATURE_TASK_SEARCH=yes FEATURE_DARK_MODE=true \
    API_MEM_LIMIT=DELETE)"
  DEPLOY_DIR="$CASE_DIR/d" DEPLOY_ENV_FILE="$file" assert_exit 3 "$DEPLOY" --env staging
  assert_contains "$CMD_OUTPUT" "unknown key FEATURE_DARK_MODE"
  assert_contains "$CMD_OUTPUT" "LOG_LEVEL='loud' is not a valid enum:"
  assert_contains "$CMD_OUTPUT" "DB_POOL_SIZE='ten' is not a valid int:1-200"
  assert_contains "$CMD_OUTPUT" "FEATURE_TASK_SEARCH='yes' is not a valid bool"
  assert_contains "$CMD_OUTPUT" "API_MEM_LIMIT is missing"
  assert_no_path "$CASE_DIR/d"
}

faultRateNeedsFaultInjectionOutsideProd() {
  local file
  file="$(env_file nofault.env FAULT_INJECTION=false)"
  DEPLOY_DIR="$CASE_DIR/d" DEPLOY_ENV_FILE="$file" FAULT_5XX_RATE=0.2 assert_exit 3 "$DEPLOY" --env staging
  assert_contains "$CMD_OUTPUT" "FAULT_5XX_RATE=0.2 needs FAULT_INJECTION=true"
  DEPLOY_DIR="$CASE_DIR/d" DEPLOY_ENV_FILE="$CASE_DIR/missing.env" assert_exit 3 "$DEPLOY" --env staging
  assert_contains "$CMD_OUTPUT" "the configuration of 'staging' is missing: $CASE_DIR/missing.env"
  assert_no_path "$CASE_DIR/d"
}

validatorTypesAcceptTheirValuesOnly() {
  local good bad
  for good in "bool true" "bool false" "memory 256m" "memory 1g" "int:1-200 1" "int:1-200 200" \
    "decimal:0-1 0" "decimal:0-1 1" "decimal:0-1 0.25" "decimal:0.1-4 0.1" "enum:a|b b"; do
    envconfig_value_valid "${good% *}" "${good##* }" || cd_fail "'$good' refused"
  done
  for bad in "bool True" "bool 1" "memory 256" "memory 0m" "int:1-200 0" "int:1-200 201" "int:1-200 01" \
    "decimal:0-1 1.01" "decimal:0-1 -0" "decimal:0.1-4 0.05" "decimal:0-1 .5" "enum:a|b c" "enum:a|b a|b"; do
    if envconfig_value_valid "${bad% *}" "${bad##* }"; then cd_fail "'$bad' accepted"; fi
  done
}

# --- secrets ---------------------------------------------------------------------------------

# The whole pass: decrypted into DEPLOY_DIR/.secrets (0700, file 0444), only the path in
# release.env, the resolved config and flags in release.env and the manifest, and, since this
# first deploy fails at `up` with nothing to bring back, the decrypted file removed.
encryptedSecretsAreDecryptedOutsideTheReleaseAndRemovedAfterAFailedFirstDeploy() {
  local pub file release password
  cd_fake_engine_refusing_compose
  pub="$(make_key staging)"
  file="$(make_secrets staging "$pub")"
  password="$(SOPS_AGE_KEY_FILE="$CASE_DIR/staging.key" "${SOPS[@]}" decrypt --extract '["db_password"]' "$file")"
  deploy_staging 1 DEPLOY_SECRETS_FILE="$file" SOPS_AGE_KEY_FILE="$CASE_DIR/staging.key"
  assert_contains "$CMD_OUTPUT" "db_password of 'staging' decrypted from $file"
  release="$(ls "$CASE_DIR/d/releases")"
  assert_eq "$CASE_DIR/d/.secrets/db_password" "$(kv_get "$CASE_DIR/d/releases/$release/release.env" DB_PASSWORD_FILE)" \
    "DB_PASSWORD_FILE"
  assert_eq true "$(kv_get "$CASE_DIR/d/releases/$release/release.env" FEATURE_TASK_SEARCH)" "flag in release.env"
  assert_eq json "$(kv_get "$CASE_DIR/d/releases/$release/release.env" LOG_FORMAT)" "LOG_FORMAT in release.env"
  assert_contains "$(cat "$CASE_DIR/d/releases/$release/manifest.json")" '"flags": {"task_search": true}'
  assert_contains "$(cat "$CASE_DIR/d/releases/$release/manifest.json")" '"LOG_LEVEL": "info", "LOG_FORMAT": "json"'
  if grep -rqF -- "$password" "$CASE_DIR/d"; then cd_fail "the password is written under the deploy dir"; fi
  assert_eq 700 "$(stat -c %a "$CASE_DIR/d/.secrets")" "mode of the secret store"
  assert_nothing_decrypted
}

missingKeyIsRefusedNamingTheVariable() {
  local file
  cd_fake_engine_refusing_compose
  file="$(make_secrets staging "$(make_key staging)")"
  deploy_staging 3 DEPLOY_SECRETS_FILE="$file" SOPS_AGE_KEY_FILE="$CASE_DIR/nowhere.key"
  assert_contains "$CMD_OUTPUT" "no age key to decrypt $file: $CASE_DIR/nowhere.key does not exist. Set SOPS_AGE_KEY_FILE"
  assert_no_path "$CASE_DIR/d/releases"
  assert_nothing_decrypted
}

# CI holds the key as a secret's content: SOPS_AGE_KEY, no key file at all.
keyGivenAsSopsAgeKeyContentIsUsed() {
  local file
  cd_fake_engine_refusing_compose
  file="$(make_secrets staging "$(make_key staging)")"
  deploy_staging 1 DEPLOY_SECRETS_FILE="$file" SOPS_AGE_KEY_FILE="$CASE_DIR/nowhere.key" \
    SOPS_AGE_KEY="$(grep '^AGE-SECRET-KEY-' "$CASE_DIR/staging.key")"
  assert_contains "$CMD_OUTPUT" "db_password of 'staging' decrypted from $file"
  assert_nothing_decrypted
}

wrongKeyIsRefusedAsNotARecipient() {
  local file
  cd_fake_engine_refusing_compose
  file="$(make_secrets staging "$(make_key staging)")"
  make_key intruder >/dev/null
  deploy_staging 3 DEPLOY_SECRETS_FILE="$file" SOPS_AGE_KEY_FILE="$CASE_DIR/intruder.key"
  assert_contains "$CMD_OUTPUT" "cannot decrypt $file (not one of its recipients)"
  assert_no_path "$CASE_DIR/d/releases"
  assert_nothing_decrypted
}

# Two tamperings: a value added in clear (the MAC covers every value: exit 51) and the
# ciphertext of the password changed (AES-GCM authentication fails: exit 25).
tamperedFileIsRefusedByItsIntegrityChecks() {
  local file tampering
  cd_fake_engine_refusing_compose
  file="$(make_secrets staging "$(make_key staging)")"
  cp "$file" "$CASE_DIR/pristine.enc.yaml"
  for tampering in 's/^db_password:/owner_unencrypted: mallory\ndb_password:/' \
    's/^(db_password: ENC\[AES256_GCM,data:)[A-Za-z0-9+\/]{4}/\1AAAA/'; do
    cp "$CASE_DIR/pristine.enc.yaml" "$file"
    sed -i -E "$tampering" "$file"
    ! cmp -s "$file" "$CASE_DIR/pristine.enc.yaml" || cd_fail "the tampering '$tampering' changed nothing"
    deploy_staging 3 DEPLOY_SECRETS_FILE="$file" SOPS_AGE_KEY_FILE="$CASE_DIR/staging.key"
    assert_contains "$CMD_OUTPUT" "$file was modified after it was encrypted (SOPS integrity check failed"
    assert_no_path "$CASE_DIR/d/releases"
    assert_nothing_decrypted
  done
}

plaintextWhereEncryptedIsExpectedIsRefused() {
  cd_fake_engine_refusing_compose
  make_key staging >/dev/null
  printf 'db_password: not-encrypted-at-all\n' >"$CASE_DIR/staging.enc.yaml"
  deploy_staging 3 DEPLOY_SECRETS_FILE="$CASE_DIR/staging.enc.yaml" SOPS_AGE_KEY_FILE="$CASE_DIR/staging.key"
  assert_contains "$CMD_OUTPUT" "is not encrypted by SOPS (plaintext where an encrypted file is expected)"
  assert_no_path "$CASE_DIR/d/releases"
  assert_nothing_decrypted
}

missingSopsIsRefusedWithTheInstallCommand() {
  local file
  cd_fake_engine_refusing_compose
  file="$(make_secrets staging "$(make_key staging)")"
  # PATH without sops: the fakes, then only the system directories.
  PATH="$CASE_DIR/bin:/usr/bin:/bin" assert_exit 3 env DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SOURCE_IMAGE=src:1 \
    DEPLOY_PROJECT_NAME=envunit API_PORT=28931 DEPLOY_SECRETS_FILE="$file" "$DEPLOY" --env staging --no-build
  assert_contains "$CMD_OUTPUT" "sops is not installed"
  assert_no_path "$CASE_DIR/d/releases"
}

# A first dev deploy on a machine with no dev key: the key (0600) and secrets/dev.enc.yaml are
# made in the checkout, then decrypted like any environment's.
firstDevDeployMakesTheDevKeyAndSecrets() {
  local repo="$CASE_DIR/repo"
  cd_fake_engine_refusing_compose
  mkdir -p "$repo/scripts" "$repo/deploy"
  cp "$DEPLOY" "$INIT" "$repo/scripts/"
  cp -R "$REPO_ROOT/scripts/lib" "$repo/scripts/"
  cp -R "$REPO_ROOT/deploy/env" "$repo/deploy/"
  PATH="$CASE_DIR/bin:$PATH" assert_exit 1 env -u SOPS_AGE_KEY_FILE DEPLOY_DIR="$CASE_DIR/d" DEPLOY_SOURCE_IMAGE=src:1 \
    DEPLOY_PROJECT_NAME=envunit API_PORT=28931 DEPLOY_COMPOSE_FILE="$REPO_ROOT/deploy/docker-compose.yml" \
    "$repo/scripts/deploy_local.sh" --env dev --no-build --timeout 1
  assert_contains "$CMD_OUTPUT" "making this machine's dev key and secrets"
  assert_eq 600 "$(stat -c %a "$repo/.age/dev.key")" "mode of the dev key"
  [[ "$("${SOPS[@]}" filestatus "$repo/secrets/dev.enc.yaml")" == *'"encrypted":true'* ]] ||
    cd_fail "secrets/dev.enc.yaml is not encrypted"
  assert_contains "$CMD_OUTPUT" "db_password of 'dev' decrypted"
}

# --- recipients ------------------------------------------------------------------------------

addThenRemoveARecipientReencryptsTheFile() {
  local alice bob file
  alice="$(make_key alice)"
  bob="$(make_key bob)"
  file="$(make_secrets staging "$alice")"
  SOPS_AGE_KEY_FILE="$CASE_DIR/bob.key" assert_exit 128 "${SOPS[@]}" decrypt "$file"
  SOPS_AGE_KEY_FILE="$CASE_DIR/alice.key" assert_exit 0 "$ROTATE" add-recipient --env staging --file "$file" \
    --config "$CASE_DIR/sops.yaml" "$bob"
  assert_contains "$(cat "$CASE_DIR/sops.yaml")" "age: $alice,$bob"
  SOPS_AGE_KEY_FILE="$CASE_DIR/bob.key" assert_exit 0 "${SOPS[@]}" decrypt --extract '["db_password"]' "$file"
  SOPS_AGE_KEY_FILE="$CASE_DIR/bob.key" assert_exit 0 "$ROTATE" remove-recipient --env staging --file "$file" \
    --config "$CASE_DIR/sops.yaml" "$alice"
  assert_contains "$CMD_OUTPUT" "rotate it now"
  SOPS_AGE_KEY_FILE="$CASE_DIR/alice.key" assert_exit 128 "${SOPS[@]}" decrypt "$file"
  SOPS_AGE_KEY_FILE="$CASE_DIR/bob.key" assert_exit 3 "$ROTATE" remove-recipient --env staging --file "$file" \
    --config "$CASE_DIR/sops.yaml" "$bob"
  assert_contains "$CMD_OUTPUT" "is the last recipient of 'staging'"
}

main() {
  local tool
  for tool in sops age-keygen; do
    t_require "environments unit tests" "$tool" "scripts/ci/provision.sh installs it" || exit 0
  done
  cd_case "env config: deploy/env/{dev,staging,prod}.env pass the validator" committedEnvironmentFilesAreValid
  cd_case "env config: prod refuses debug logs, fault injection, text logs (exit 3, nothing created)" \
    prodRefusesDebugLoggingFaultInjectionAndTextLogs
  cd_case "env config: unknown key, wrong types, a non-boolean flag and a missing key are all named (exit 3)" \
    unknownKeyWrongTypeAndMissingKeyAreEachNamed
  cd_case "env config: FAULT_5XX_RATE needs FAULT_INJECTION=true; a missing env file is refused" \
    faultRateNeedsFaultInjectionOutsideProd
  cd_case "env config: each type accepts its values and refuses the rest" validatorTypesAcceptTheirValuesOnly
  cd_case "secrets: decrypted into DEPLOY_DIR/.secrets (0700), path only in release.env, config+flags recorded, removed after a failed first deploy" \
    encryptedSecretsAreDecryptedOutsideTheReleaseAndRemovedAfterAFailedFirstDeploy
  cd_case "secrets: a missing age key is refused (exit 3), nothing created or decrypted" missingKeyIsRefusedNamingTheVariable
  cd_case "secrets: the key given as SOPS_AGE_KEY (a CI secret's content) decrypts" keyGivenAsSopsAgeKeyContentIsUsed
  cd_case "secrets: a wrong age key is refused (exit 3), nothing decrypted" wrongKeyIsRefusedAsNotARecipient
  cd_case "secrets: a tampered file (value added, ciphertext changed) is refused (exit 3), nothing decrypted" \
    tamperedFileIsRefusedByItsIntegrityChecks
  cd_case "secrets: a plaintext file where an encrypted one is expected is refused (exit 3)" \
    plaintextWhereEncryptedIsExpectedIsRefused
  cd_case "secrets: without sops the deploy is refused with the install command (exit 3)" \
    missingSopsIsRefusedWithTheInstallCommand
  cd_case "secrets: the first dev deploy makes the dev key (0600) and secrets/dev.enc.yaml" \
    firstDevDeployMakesTheDevKeyAndSecrets
  cd_case "secrets: add-recipient then remove-recipient re-encrypt (sops updatekeys); the last one stays" \
    addThenRemoveARecipientReencryptsTheFile
}

main "$@"
