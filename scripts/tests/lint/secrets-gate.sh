#!/usr/bin/env bash
# The secrets gate of the CI job `secrets`, in the suite: scripts/ci/secrets-encrypted.sh passes
# on this repository (every tracked file under secrets/ is SOPS-encrypted) and fails, naming the
# file, on a fixture checkout holding a plaintext file there; gitleaks (scripts/ci/secrets.sh)
# finds nothing in this repository's tree and history, nor in a fixture holding only
# SOPS-encrypted secrets. Throwaway age keys, made in TEST_TMP. About 60 s on 2 cores (gitleaks
# on the history is most of it).
set -Eeuo pipefail
# shellcheck source=scripts/tests/lib/harness.sh
source "$REPO_ROOT/scripts/tests/lib/harness.sh"

readonly CI="$REPO_ROOT/scripts/ci"

# fixture NAME: an empty git repository under TEST_TMP; prints its path.
fixture() {
  local dir="$TEST_TMP/$1"
  mkdir -p "$dir/secrets"
  git -C "$dir" init -q
  git -C "$dir" config user.email gate@example.invalid
  git -C "$dir" config user.name gate
  printf '%s\n' "$dir"
}

# encrypted_secrets DIR ENV: DIR/secrets/ENV.enc.yaml made by scripts/secrets_init.sh for a
# throwaway key.
encrypted_secrets() {
  local key="$TEST_TMP/${1##*/}-$2.key"
  (umask 077 && age-keygen -o "$key" 2>/dev/null)
  "$REPO_ROOT/scripts/secrets_init.sh" --env "$2" --file "$1/secrets/$2.enc.yaml" \
    --recipient "$(age-keygen -y "$key")" >/dev/null 2>&1
}

gate_accepts_this_repository() {
  t_run "secrets gate: every tracked file under secrets/ of this repository is SOPS-encrypted" \
    "$CI/secrets-encrypted.sh" "$REPO_ROOT"
  if [ "$(git -C "$REPO_ROOT" rev-parse --is-shallow-repository)" = true ]; then
    # A shallow clone (CI test jobs) has no history to scan: the files that git would commit
    # only; the job `secrets` checks out every commit and scans them.
    local tree="$TEST_TMP/tree"
    mkdir -p "$tree"
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard |
      tar --null --ignore-failed-read -T - -cf -) | tar -C "$tree" -xf -
    t_run "secrets gate: gitleaks finds nothing in this repository's tree (shallow clone: no history here)" \
      gitleaks dir --no-banner --no-color --redact --exit-code 1 --config "$REPO_ROOT/.gitleaks.toml" "$tree"
    return 0
  fi
  CI_OUT="$TEST_TMP/ci-repo" t_run "secrets gate: gitleaks finds nothing in this repository's tree and history" \
    "$CI/secrets.sh" "$REPO_ROOT"
}

gate_refuses_a_plaintext_file() {
  local name="secrets gate: a plaintext file tracked under secrets/ fails the gate, named" dir code=0 out
  dir="$(fixture plaintext)"
  encrypted_secrets "$dir" staging
  printf 'db_password: %s\n' "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" >"$dir/secrets/prod.enc.yaml"
  git -C "$dir" add -A && git -C "$dir" commit -qm "secrets"
  out="$("$CI/secrets-encrypted.sh" "$dir" 2>&1)" || code=$?
  if [ "$code" -ne 0 ] && [[ "$out" == *"yet tracked under secrets/: secrets/prod.enc.yaml."* ]] &&
    [[ "$out" != *"staging.enc.yaml"* ]]; then
    t_pass "$name"
  else
    t_fail "$name" "exit $code: ${out:0:300}"
  fi
}

gate_accepts_encrypted_secrets_and_gitleaks_sees_no_leak() {
  local dir
  dir="$(fixture encrypted)"
  encrypted_secrets "$dir" staging
  encrypted_secrets "$dir" prod
  git -C "$dir" add -A && git -C "$dir" commit -qm "encrypted secrets"
  t_run "secrets gate: SOPS-encrypted files under secrets/ pass" "$CI/secrets-encrypted.sh" "$dir"
  CI_OUT="$TEST_TMP/ci-fixture" t_run "secrets gate: gitleaks finds no leak in SOPS-encrypted files" "$CI/secrets.sh" "$dir"
}

# generated_secrets_are_ignored: every place where a secret is generated or decrypted is ignored
# by git, and the encrypted files are not (a `secrets/*` rule once only matched the root
# directory and left monitoring/alertmanager/secrets/ committable).
generated_secrets_are_ignored() {
  local path missed="" tracked=""
  for path in secrets/db_password.txt secrets/dev/db_password.txt secrets/dev.enc.yaml .age/staging.key \
    deploy/.secrets/db_password monitoring/alertmanager/secrets/webhook_token monitoring/grafana/secrets/admin_password \
    .env; do
    git -C "$REPO_ROOT" check-ignore -q "$path" || missed+=" $path"
  done
  for path in secrets/staging.enc.yaml secrets/prod.enc.yaml .env.example; do
    ! git -C "$REPO_ROOT" check-ignore -q "$path" || tracked+=" $path"
  done
  if [ -z "$missed$tracked" ]; then
    t_pass "secrets gate: generated and decrypted secrets are ignored by git, encrypted files are not"
  else
    t_fail "secrets gate: generated and decrypted secrets are ignored by git, encrypted files are not" \
      "not ignored:${missed:- none}; ignored:${tracked:- none}"
  fi
}

main() {
  local tool
  for tool in git sops age-keygen gitleaks; do
    t_require "secrets gate" "$tool" "run scripts/ci/provision.sh (pinned in scripts/ci/requirements-tools.txt)" || exit 0
  done
  gate_accepts_this_repository
  generated_secrets_are_ignored
  gate_refuses_a_plaintext_file
  gate_accepts_encrypted_secrets_and_gitleaks_sees_no_leak
}

main "$@"
