/// Exit codes of the `tasks-api` binary (documented in docs/api.md).
public enum ExitStatus: Int32, Sendable {
    /// Done, including a graceful shutdown.
    case success = 0
    /// Failed at run time (migration error, server error, forced shutdown after the grace period).
    case failure = 1
    /// The database could not be reached or refused the login at start-up (`EX_UNAVAILABLE`).
    case databaseUnavailable = 69
    /// Invalid or missing configuration (`EX_CONFIG`); the message lists every problem.
    case configuration = 78
}
