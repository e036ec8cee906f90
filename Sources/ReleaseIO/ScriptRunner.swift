import ReleaseCore
import Subprocess
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A script to run: scripts/deploy_local.sh or scripts/rollback.sh with their arguments.
public struct ScriptInvocation: Equatable, Sendable {
    /// Absolute or relative path of the script (it must be executable).
    public var path: String
    public var arguments: [String]
    /// Variables added to reldash's own environment.
    public var environment: [String: String]
    public var workingDirectory: String?

    public init(path: String, arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil)
    {
        self.path = path
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
    }
}

/// One line of a script's output, as it arrives.
public struct ScriptLine: Equatable, Sendable {
    public enum Stream: String, Sendable {
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

/// How a script ended.
public struct ScriptExit: Equatable, Sendable {
    /// The exit status when it exited.
    public var code: Int32?
    /// The signal that ended it, when one did.
    public var signal: Int32?
    /// True when reldash stopped it (cancellation: SIGTERM, then SIGKILL after the grace period).
    public var cancelled: Bool

    public init(code: Int32?, signal: Int32?, cancelled: Bool) {
        self.code = code
        self.signal = signal
        self.cancelled = cancelled
    }

    /// The code a shell would report: the exit status, or 128 + the signal number.
    public var shellCode: Int32 {
        code ?? (128 + (signal ?? 0))
    }
}

/// Why a script could not be started.
public enum ScriptRunError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case notExecutable(String)
    case launchFailed(String, String)

    public var description: String {
        switch self {
        case .notFound(let path): return "script \(path) not found (is --scripts-dir right?)"
        case .notExecutable(let path): return "script \(path) is not executable (chmod +x it)"
        case .launchFailed(let path, let why): return "cannot start \(path): \(why)"
        }
    }
}

/// Runs a script and streams its output. A protocol so commands can be tested without scripts.
public protocol ScriptRunning: Sendable {
    /// Starts the script, calls `onLine` for each line of stdout and stderr while it runs, and
    /// returns how it ended. Cancelling the calling task stops the script: SIGTERM to its process
    /// group, then SIGKILL after `grace` seconds.
    func run(_ invocation: ScriptInvocation, grace: Double, onLine: @escaping @Sendable (ScriptLine) -> Void)
        async throws(ScriptRunError) -> ScriptExit
}

/// `ScriptRunning` with swift-subprocess: the script gets its own process group (so docker and
/// compose children are signalled with it), stdin from /dev/null, and two pipes read
/// concurrently, so it never blocks on a full pipe whatever it prints.
public struct SubprocessScriptRunner: ScriptRunning {
    public init() {}

    public func run(_ invocation: ScriptInvocation, grace: Double, onLine: @escaping @Sendable (ScriptLine) -> Void)
        async throws(ScriptRunError) -> ScriptExit
    {
        try check(invocation.path)
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .milliseconds(Int64(grace * 1_000)))
        ]
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in invocation.environment { updates[Environment.Key(stringLiteral: key)] = value }
        let cancelled = CancellationFlag()
        let result: ExecutionResult<Void, SequenceOutput, SequenceOutput>
        do {
            result = try await withTaskCancellationHandler {
                try await Subprocess.run(
                    .path(FilePath(invocation.path)),
                    arguments: Arguments(invocation.arguments),
                    environment: .inherit.updating(updates),
                    workingDirectory: invocation.workingDirectory.map { FilePath($0) },
                    platformOptions: options,
                    input: .none,
                    output: .sequence,
                    error: .sequence
                ) { execution in
                    // Unstructured tasks: they do not inherit the cancellation that starts the
                    // teardown, so the script's last words (its SIGTERM cleanup) are still read
                    // and it never dies of SIGPIPE. They end when the pipes close.
                    let output = Task { await drain(execution.standardOutput, as: .stdout, onLine: onLine) }
                    let error = Task { await drain(execution.standardError, as: .stderr, onLine: onLine) }
                    await output.value
                    await error.value
                }
            } onCancel: {
                cancelled.set()
            }
        } catch {
            throw .launchFailed(invocation.path, "\(error)")
        }
        switch result.terminationStatus {
        case .exited(let code):
            return ScriptExit(code: Int32(code), signal: nil, cancelled: cancelled.isSet)
        case .signaled(let signal):
            return ScriptExit(code: nil, signal: Int32(signal), cancelled: cancelled.isSet)
        }
    }

    private func check(_ path: String) throws(ScriptRunError) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { throw .notFound(path) }
        guard FileManager.default.isExecutableFile(atPath: path) else { throw .notExecutable(path) }
    }
}

/// Reads a pipe to its end, handing over each line; never stops early, so the script never
/// blocks on a full pipe.
private func drain(
    _ output: SubprocessOutputSequence, as stream: ScriptLine.Stream, onLine: @Sendable (ScriptLine) -> Void
) async {
    var assembler = LineAssembler()
    do {
        for try await buffer in output {
            let lines = buffer.withUnsafeBytes { assembler.append($0) }
            for line in lines { onLine(ScriptLine(stream: stream, text: line)) }
        }
    } catch {
        onLine(ScriptLine(stream: .stderr, text: "reldash: reading the script's \(stream.rawValue) failed: \(error)"))
    }
    if let last = assembler.finish() { onLine(ScriptLine(stream: stream, text: last)) }
}

/// Records that the run was cancelled, from the cancellation handler's thread.
private final class CancellationFlag: Sendable {
    private let value = Mutex(false)

    func set() {
        value.withLock { $0 = true }
    }

    var isSet: Bool {
        value.withLock { $0 }
    }
}
