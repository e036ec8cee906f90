/// What deploy_local.sh or rollback.sh a front end asks for; the application layer turns it into
/// the script's path and arguments.
public enum ScriptAction: Equatable, Sendable {
    /// `deploy_local.sh [--env E] ARGS`.
    case deploy(environment: String?, passthrough: [String])
    /// `rollback.sh --to ID ARGS`: the target is always explicit, so the script acts on exactly
    /// what was confirmed.
    case rollback(to: ReleaseID, passthrough: [String])

    /// `deploy` or `rollback`: the command's name in messages and `--json`.
    public var command: String {
        switch self {
        case .deploy: return "deploy"
        case .rollback: return "rollback"
        }
    }
}

/// One event of a script run, in order: lines as they come, `signal` when the operator asked to
/// stop (the script gets SIGTERM, then SIGKILL after the grace period), and `exited` last.
public enum ScriptEvent: Equatable, Sendable {
    case line(ScriptOutputLine)
    /// reldash received this signal (SIGINT, SIGTERM) or was asked to stop, and is stopping the script.
    case signal(Int32)
    /// The script ended; the summary holds its exit, and `current` read again from the deploy tree.
    case exited(ScriptRunSummary)
}

/// A line the script printed, on stdout or stderr.
public struct ScriptOutputLine: Equatable, Sendable {
    public enum Stream: String, Equatable, Sendable {
        case stdout
        case stderr
    }

    public var stream: Stream
    public var text: String

    public init(stream: Stream, text: String) {
        self.stream = stream
        self.text = text
    }
}
