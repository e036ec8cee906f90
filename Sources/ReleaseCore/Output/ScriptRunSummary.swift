/// The outcome of `reldash deploy` or `reldash rollback`, for `--json`.
public struct ScriptRunSummary: Equatable, Sendable {
    public var command: String
    public var script: String
    public var arguments: [String]
    public var exitCode: Int32
    public var signal: Int32?
    public var cancelled: Bool
    public var durationMilliseconds: Int64
    public var currentBefore: String?
    public var currentAfter: String?
    public var stdoutLines: Int
    public var stderrLines: Int
    /// The signal reldash itself received while the script ran (SIGINT, SIGTERM), if any: it then
    /// exits 128 + that signal, as a shell would.
    public var receivedSignal: Int32?

    public init(
        command: String, script: String, arguments: [String], exitCode: Int32, signal: Int32?, cancelled: Bool,
        durationMilliseconds: Int64, currentBefore: String?, currentAfter: String?, stdoutLines: Int, stderrLines: Int,
        receivedSignal: Int32? = nil
    ) {
        self.command = command
        self.script = script
        self.arguments = arguments
        self.exitCode = exitCode
        self.signal = signal
        self.cancelled = cancelled
        self.durationMilliseconds = durationMilliseconds
        self.currentBefore = currentBefore
        self.currentAfter = currentAfter
        self.stdoutLines = stdoutLines
        self.stderrLines = stderrLines
        self.receivedSignal = receivedSignal
    }

    /// The code reldash exits with after the run: 128 + the signal it received, else the
    /// script's own code.
    public var exitStatus: Int32 {
        receivedSignal.map { 128 + $0 } ?? exitCode
    }

    /// The `--json` document (the script's own output went to stderr, line by line).
    public func json(now: Timestamp) -> JSONValue {
        .object([
            ("schema_version", .integer(ReleaseJSON.schemaVersion)),
            ("generated_at", .string(now.rfc3339)),
            ("command", .string(command)),
            ("script", .string(script)),
            ("arguments", .array(arguments.map { .string($0) })),
            ("exit_code", .integer(Int64(exitCode))),
            ("signal", .optional(signal.map { Int64($0) })),
            ("cancelled", .bool(cancelled)),
            ("duration_ms", .integer(durationMilliseconds)),
            ("current_before", .optional(currentBefore)),
            ("current_after", .optional(currentAfter)),
            ("changed", .bool(currentBefore != currentAfter)),
            (
                "output_lines",
                .object([("stdout", .integer(Int64(stdoutLines))), ("stderr", .integer(Int64(stderrLines)))])
            ),
        ])
    }
}
