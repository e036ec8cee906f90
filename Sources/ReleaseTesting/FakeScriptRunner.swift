import ReleaseCore
import ReleaseIO
import Synchronization

/// A script that prints the lines it is given and exits with the code it is given, without a
/// process. With `waitsForStop`, it then waits until cancelled and ends as a script killed by
/// SIGTERM would; `onRun` lets a test change a fake tree as the real script would.
public final class FakeScriptRunner: ScriptRunning {
    /// How the fake ends.
    public enum Ending: Sendable {
        case exit(Int32)
        /// Waits for cancellation, then reports SIGTERM (exit 143).
        case waitsForStop
        /// Cannot start (as a missing or non-executable script).
        case failsToStart(ScriptRunError)
    }

    private let lines: [ScriptLine]
    private let ending: Ending
    private let onRun: @Sendable (ScriptInvocation) -> Void
    private let invocations = Mutex<[ScriptInvocation]>([])

    public init(
        lines: [ScriptLine] = [], ending: Ending = .exit(0),
        onRun: @escaping @Sendable (ScriptInvocation) -> Void = { _ in }
    ) {
        self.lines = lines
        self.ending = ending
        self.onRun = onRun
    }

    /// Every invocation run, in order.
    public var runs: [ScriptInvocation] {
        invocations.withLock { $0 }
    }

    public func run(_ invocation: ScriptInvocation, grace: Double, onLine: @escaping @Sendable (ScriptLine) -> Void)
        async throws(ScriptRunError) -> ScriptExit
    {
        if case .failsToStart(let error) = ending { throw error }
        invocations.withLock { $0.append(invocation) }
        for line in lines { onLine(line) }
        onRun(invocation)
        switch ending {
        case .exit(let code):
            return ScriptExit(code: code, signal: nil, cancelled: Task.isCancelled)
        case .waitsForStop, .failsToStart:
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(5))
            }
            onLine(ScriptLine(stream: .stderr, text: "stopped by SIGTERM"))
            return ScriptExit(code: nil, signal: 15, cancelled: true)
        }
    }
}
