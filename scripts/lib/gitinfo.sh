# shellcheck shell=bash
# shellcheck disable=SC2034 # the globals set here are this library's results, read by its callers
# Source identity of a build context: commit, short commit, branch, dirty flag. Every value is
# empty when git or the repository is missing (written as null in the manifest).

GIT_INFO_COMMIT=""
GIT_INFO_SHORT=""
GIT_INFO_BRANCH=""
GIT_INFO_DIRTY=""

# git_info_read DIR: fills GIT_INFO_* for the repository containing DIR.
git_info_read() {
  local dir="$1" changes
  GIT_INFO_COMMIT="" GIT_INFO_SHORT="" GIT_INFO_BRANCH="" GIT_INFO_DIRTY=""
  command -v git >/dev/null 2>&1 || return 0
  GIT_INFO_COMMIT="$(git -C "$dir" rev-parse --verify -q HEAD 2>/dev/null)" || {
    GIT_INFO_COMMIT=""
    return 0
  }
  GIT_INFO_SHORT="${GIT_INFO_COMMIT:0:7}"
  GIT_INFO_BRANCH="$(git -C "$dir" symbolic-ref -q --short HEAD 2>/dev/null || true)"
  # Read whole: `status | head -n 1` would let SIGPIPE fail the pipeline on a tree with many changes.
  changes="$(git -C "$dir" status --porcelain 2>/dev/null)" || changes=""
  if [ -n "$changes" ]; then GIT_INFO_DIRTY=true; else GIT_INFO_DIRTY=false; fi
}
