import ReleaseCore

/// reldash's exit codes (README, "reldash", "Codes de sortie").
enum ExitStatus: Int32 {
    case ok = 0
    /// Something failed while running (I/O, a script that failed).
    case failure = 1
    /// Bad usage, or a deploy/rollback refused because it was not confirmed.
    case usage = 2
    /// A precondition does not hold: no deploy directory, lock held, no rollback target.
    case precondition = 3
    /// `status --fail-on-degraded` and health is not healthy.
    case degraded = 4
}

/// A command failure: what to print (text or JSON on stderr) and the exit code.
struct CommandFailure: Error {
    /// A stable identifier for `--json` (`deploy_dir_missing`, `unknown_release`, ...).
    let code: String
    let message: String
    let status: ExitStatus
}

/// Ends the process with `code` after a command already printed its output (no message).
struct ExitWith: Error {
    let code: Int32
}
