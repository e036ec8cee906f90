/// reldash's exit codes (docs/reldash.md, "Codes de sortie"): the same for every front end.
public enum ExitStatus: Int32, Equatable, Sendable {
    case ok = 0
    /// Something failed while running (I/O, a script that could not start).
    case failure = 1
    /// Bad usage, or a deploy/rollback refused because it was not confirmed.
    case usage = 2
    /// A precondition does not hold: no deploy directory, lock held, no rollback target.
    case precondition = 3
    /// `status --fail-on-degraded` and health is not healthy.
    case degraded = 4
}

/// Why an operation could not be done: a stable code for `--json` (`deploy_dir_missing`,
/// `unknown_release`, ...), a message that says what to do, and the exit code a command ends with.
public struct AppFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let status: ExitStatus

    public init(code: String, message: String, status: ExitStatus) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// A usage error (exit 2) with the generic code `usage`.
    public static func usage(_ message: String) -> AppFailure {
        AppFailure(code: "usage", message: message, status: .usage)
    }

    public var description: String { message }
}
